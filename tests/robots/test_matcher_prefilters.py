"""The uncompiled tier's shortcuts never change an answer (issue 10): the one ``startswith`` over the
covering heads, and the token anchors that pick which of a node's many rules to test."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from scrapecheck.robots import RobotsPolicy, _match

from .reference import allowed as reference_allowed

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Letters, digits and splitting characters, so rules get anchors of every kind (first and last parts,
# whole tokens, tokens shorter than the anchor length) and paths share or miss them.
PIECES = ["/", "*", "a", "ab", "abab", "b1aba", "1", ".", "-", "=", "?"]
PATTERN = st.builds(lambda start, rest, end: start + "".join(rest) + end, st.sampled_from(["/", "/*", "/a", "/*/", "*"]),
                    st.lists(st.sampled_from(PIECES), max_size=6), st.sampled_from(["", "", "$", "*"]))
PATH = st.lists(st.sampled_from(PIECES[:1] + PIECES[2:] + ["%", "#"]), max_size=8).map("".join)


def _policy(robots: str, monkeypatch: pytest.MonkeyPatch, anchors: bool) -> RobotsPolicy:
    monkeypatch.setattr(_match, "FORCE_TIER", "uncompiled")
    monkeypatch.setattr(_match, "_ANCHOR_MIN_TESTS", 1 if anchors else 1 << 30)
    monkeypatch.setattr(_match, "_ANCHOR_MIN_VISITS", 1)  # anchored from the first visit
    monkeypatch.setattr(_match, "_ANCHOR_MAX_LOOSE", 1 << 30)
    return RobotsPolicy.parse(robots)


# The rules left to test from a literal on: made at once, or each time; a path's tokens: remembered, or (all but the
# first, or those over two characters) looked at each time.
@pytest.mark.parametrize(("suffixes", "tokens", "token_length"), [(32, 512, 32), (0, 1, 2)])
@SETTINGS
@example(rules=[(False, "/*/abab="), (True, "/*/b1aba."), (False, "/*/ab/$"), (False, "/*/a/")], paths=["x/abab=", "b/1abab=/", "a/b1aba.", "1/ab/", "x/a/"])
@given(rules=st.lists(st.tuples(st.booleans(), PATTERN), min_size=1, max_size=14), paths=st.lists(PATH, max_size=6))
def test_anchored_and_quick_answers_are_the_reference(rules: list[tuple[bool, str]], paths: list[str],
                                                      suffixes: int, tokens: int, token_length: int) -> None:
    robots = "User-agent: *\n" + "".join(f"{'Allow' if a else 'Disallow'}: {p}\n" for a, p in rules)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_match, "_SUFFIXES_MAX", suffixes)
        mp.setattr(_match, "_TOKENS_MAX", tokens)
        mp.setattr(_match, "_TOKEN_MAX", token_length)
        policy = _policy(robots, mp, anchors=True)
        matcher = policy.matcher("x")
        for path in paths:
            path = "/" + path
            expected, line = reference_allowed(robots, "x", "http://h" + path)
            assert matcher.check("http://h" + path) is expected, path
            assert matcher.check_path(path) is expected, path
            allowed, rule = matcher.decide_path(path)
            assert (allowed, 0 if rule is None else rule.line) == (expected, line), path


def test_anchor_kinds() -> None:
    def anchor(pattern: str) -> str | None:
        head, kind, mids, last = _match._literal_head(pattern)
        return _match._anchor((0, kind, len(head), mids, last, max(mids + (last,), key=len)))

    assert anchor("/*/*/commits/*?author") == "comm"  # a token after a "/": its first part
    assert anchor("/*/raw/") == "raw"  # a whole token may be shorter than the anchor length
    assert anchor("/*/raw") is None  # "raw" may go on in the path ("/rawx"): too short for a first part
    assert anchor("/*productId=*") is None  # no "/" before it
    assert anchor("/*.git$") is None and anchor("/*q=") is None


def test_anchored_nodes_agree_with_unanchored_ones_on_the_corpus() -> None:
    corpus = Path(__file__).resolve().parents[2] / "benchmarks" / "robots" / "corpus"
    for name in ("github.com.txt", "gitlab.txt", "www.unicef.org.txt", "www.etsy.com.txt", "www.w3.org.txt",
                 "www.patagonia.com.txt", "www.neimanmarcus.com.txt", "www.amazon.com.txt"):
        body = (corpus / name).read_bytes()
        answers = []
        for anchors in (True, False):
            with pytest.MonkeyPatch.context() as mp:  # nodes are built on first use: answer inside
                matcher = _policy(body.decode("latin-1"), mp, anchors).matcher("Googlebot")
                paths = set()
                for rule in matcher.rules:
                    core = rule.pattern.rstrip("$")
                    for fill in ("", "x", "a/b", "Ab-1.c", "/q?s=1"):
                        path = core.replace("*", fill)
                        paths.update({path, path + "/more", path + "?p=1"})
                answers.append([(p, matcher.decide_path(p)) for p in sorted(p if p[:1] == "/" else "/" + p for p in paths)])
        assert answers[0] == answers[1], name


# Globs of one node that share their head's length and middle segments, or only one of the two (the uncompiled tier
# keeps what is left of the path after them for the next candidate): unicef's and gitlab's shapes.
SHARED = ["/*/core/*.css$", "/*/core/*.js", "/*/prof/*.css$", "/a*/core/*.gif", "/*core/*.css", "/*/*/edit",
          "/*/*/raw", "/*/-/*/edit", "/*-/*/raw$", "/b/*/core/*.js", "/*/core/", "//*/core/*.gif", "/*/core/*.gif"]
SHARED_PATHS = ["/core/x.css", "/x/core/y.css", "/x/core/y.css?z", "/x/prof/y.css", "/ab/core/y.gif", "/a/core/y.gif",
                "/acore/y.css", "/x/y/edit", "/x/-/y/edit", "/x-/y/raw", "/x-/y/raw/", "/b/q/core/x.js", "/x/core/",
                "/core/x.gif", "/x/raw", "/x/y/raw#/z/edit", "/x/core/y.js#q", "//core/x.gif"]


@pytest.mark.parametrize("branch", ["loop", "many", "anchors"])
def test_globs_sharing_a_head_and_middle_segments(branch: str) -> None:
    robots = "User-agent: *\n" + "".join(f"{'Allow' if i % 3 == 0 else 'Disallow'}: {p}\n" for i, p in enumerate(SHARED))
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(_match, "_LOOP_MAX_TESTS", 1 << 30 if branch == "loop" else 0)
        matcher = _policy(robots, mp, anchors=branch == "anchors").matcher("x")
        for path in SHARED_PATHS:
            expected, line = reference_allowed(robots, "x", "http://h" + path)
            assert matcher.check_path(path) is expected, path
            allowed, rule = matcher.decide_path(path)
            assert (allowed, 0 if rule is None else rule.line) == (expected, line), path
