"""The uncompiled tier's per-check shortcuts never change an answer (issue 10): the quick heads tested on
the URL before its path is cut out and normalised, each node's answer kept once known, the fragment cut
only where an answer depends on it, and "/robots.txt" looked at only on the node it lands on. One matcher
answers a whole sequence of URLs (as a crawler's does), each twice, against the reference."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scrapecheck.robots import RobotsPolicy, _match, _syntax

from .reference import allowed as reference_allowed

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Escapes in both cases, a bare "%", non-ASCII, "#", and the pieces of "/robots.txt", in rules and paths.
PIECES = ["/", "a", "ab", "%2f", "%2F", "%", "%c3%a9", "é", "robots.txt", ".", "?", "txt"]
PATTERN = st.builds(lambda start, rest, end: start + "".join(rest) + end,
                    st.sampled_from(["/", "/a", "/r", "/robots.txt", "/%2F", "/%", "/é", "/*", "*", ""]),
                    st.lists(st.sampled_from(PIECES + ["*"]), max_size=4), st.sampled_from(["", "", "$", "*"]))
PATH = st.lists(st.sampled_from(PIECES + ["#", "#a", "/robots.txt"]), max_size=6).map(lambda p: "/" + "".join(p))
FORMS = ("http://h{}", "https://h.example{}", "{}", "http://h{}#frag")


@SETTINGS
@example(rules=[(False, "/")], paths=["/robots.txt", "/robots.txt#a", "/a", "/robots.txt?"], empty=None)
@example(rules=[(False, "/%2F")], paths=["/%2f", "/%2Fa", "/a"], empty="Allow")
@example(rules=[(False, "/a")], paths=["/robots.txt", "/b"], empty="Allow")  # no head above "/robots.txt"
@example(rules=[(False, "/"), (True, "/*q")], paths=["/a", "/robots.txt", "/robots.txt#q"], empty=None)
@example(rules=[(False, "/é"), (True, "/a")], paths=["/é", "/%C3%A9", "/%c3%a9x", "/a#é"], empty=None)
@example(rules=[(False, "/robots.txt"), (False, "/a$")], paths=["/robots.txt", "/robots.txt#", "/a#b", "/a"],
         empty="Disallow")
@given(rules=st.lists(st.tuples(st.booleans(), PATTERN), min_size=1, max_size=10), paths=st.lists(PATH, max_size=8),
       empty=st.sampled_from([None, "Allow", "Disallow"]))
def test_one_matcher_answers_a_sequence_of_urls_as_the_reference(
        rules: list[tuple[bool, str]], paths: list[str], empty: str | None) -> None:
    robots = "User-agent: *\n" + "".join(f"{'Allow' if a else 'Disallow'}: {p}\n" for a, p in rules)
    if empty is not None:  # an empty rule is what decide names when no rule matched ("/robots.txt" names none)
        robots += f"{empty}:\n"
    for tier in ("uncompiled", "grams"):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(_match, "FORCE_TIER", tier)
            matcher = RobotsPolicy.parse(robots).matcher("x")
            for _ in range(2):  # the second round is answered from what the first one built
                for path in paths:
                    for form in FORMS:
                        url = form.format(path)
                        expected, line = reference_allowed(robots, "x", url)
                        assert matcher.check(url) is expected, (tier, url)
                        allowed, rule = matcher.decide(url)
                        assert (allowed, 0 if rule is None else rule.line) == (expected, line), (tier, url)
                    expected, line = reference_allowed(robots, "x", "http://h" + path)
                    assert matcher.check_path(path) is expected, (tier, path)
                    allowed, rule = matcher.decide_path(path)
                    assert (allowed, 0 if rule is None else rule.line) == (expected, line), (tier, path)


@pytest.mark.parametrize("rules", [["/x"], ["/x", "/y/z"], ["/x", "/y", "/%7Ez"]])
def test_quick_heads_on_the_url_of_the_remembered_origin(rules: list[str]) -> None:
    """One, several, and quick heads with an escape (those go the long way): URLs of one origin, then of
    another, then the first again, each on and off the heads, with fragments and escapes."""
    robots = "User-agent: *\n" + "".join(f"Disallow: {p}\n" for p in rules) + "Allow: /x/ok\n"
    matcher = RobotsPolicy.parse(robots).matcher("x")
    for host in ("http://a", "https://b.example", "http://a", "http://a:80"):
        for path in ("/x", "/x/ok", "/xy", "/w", "/y", "/y/z", "/y/za", "/%7ez", "/%7Ez", "/~z", "/", "/x#", "/#x",
                     "/w#/x", "/robots.txt", "/x/ok#q"):
            expected, _ = reference_allowed(robots, "x", host + path)
            assert matcher.check(host + path) is expected, host + path
            assert matcher.check_path(path) is expected, path


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="%%%2fFaAgé/0", max_size=12))
def test_lower_escape_test_is_the_literal_one(value: str) -> None:
    """``has_lower_escape`` (a regex search) against the definition, spelt out: some "%" is followed by two hex
    digits, at least one of them lower-case."""
    hexdigits = "0123456789abcdefABCDEF"
    pairs = [value[i + 1 : i + 3] for i in range(len(value)) if value[i] == "%"]
    expected = any(len(pair) == 2 and all(c in hexdigits for c in pair) and any(c in "abcdef" for c in pair)
                   for pair in pairs)
    assert _syntax.has_lower_escape(value) is expected
    assert (_syntax.normalise_path(value) == value) is (value.isascii() and not expected)


@pytest.mark.parametrize(("value", "expected"), [
    ("/a%2fb", True), ("/a%2Fb", False), ("%aB", True), ("%Ab", True), ("%AB", False), ("%a", False), ("%1", False),
    ("%g1", False), ("%1g", False), ("%%af", True), ("%%", False), ("x%", False), ("/%E4%B8%ad", True),
    ("/wiki/%D0%A1%D0%BF%D0%B5%D1%86", False), ("/%C3%a9", True), ("", False), ("%af%", True)])
def test_lower_escape_cases(value: str, expected: bool) -> None:
    assert _syntax.has_lower_escape(value) is expected
