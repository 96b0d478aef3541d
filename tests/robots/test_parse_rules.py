"""The rule read behind ``matcher()`` reads every group exactly as the line-by-line full read
(:func:`_read_all`) does: for a small file at parse (:func:`_read_small`), for a larger one from the group's
span when it is first used (:func:`_read_rules`); and the rule set built from its columns orders rules as
Google decides them."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from hypothesis import given
from hypothesis import strategies as st

from scrapecheck.robots import RobotsPolicy, _policy
from scrapecheck.robots._match import Rule, RuleSet
from scrapecheck.robots._policy import _read_rules
from scrapecheck.robots._syntax import escape_pattern

from .test_properties import EOL, LINE_PARTS, SETTINGS, robots_files


@contextmanager
def small_bytes(limit: int) -> Iterator[None]:
    """Bodies of at most ``limit`` bytes are read whole at parse; -1: none is."""
    saved, _policy._SMALL_BYTES = _policy._SMALL_BYTES, limit
    try:
        yield
    finally:
        _policy._SMALL_BYTES = saved


def _same_rules(text: str | bytes) -> None:
    """Both ways of reading a file (whole at parse when small, span by span on first use otherwise) read each
    group as the full read does."""
    for limit in (1 << 30, -1):
        with small_bytes(limit):
            policy = RobotsPolicy.parse(text)
        read_whole = [s.rules is not None for s in policy._skeletons]
        assert all(read_whole) if limit > 0 and "\x00" not in policy._body else not any(read_whole)
        builders = policy._read_all()[0]
        assert len(builders) == len(policy._skeletons)
        for index, (skeleton, builder) in enumerate(zip(policy._skeletons, builders)):
            assert skeleton.agents == builder.agents and skeleton.agent_lines == builder.agent_lines
            span = skeleton.rule_lines
            expected = [(allow, escape_pattern(value), line) for allow, value, line in builder.rules]
            allows, patterns, lines = _read_rules([policy._raw_lines[n - 1] for n in span], span.start)
            assert list(zip(allows, patterns, lines)) == expected
            ruleset = policy._ruleset((index,))
            assert [(r.allow, r.pattern, r.line) for r in ruleset.rules] == expected


@SETTINGS
@given(robots_files())
def test_rule_read_equals_full_read(robots: str) -> None:
    _same_rules(robots)


@SETTINGS
@given(st.lists(st.lists(LINE_PARTS | st.sampled_from(["%aa", "%2F", "/index.html", "$"]), max_size=6).map("".join),
                max_size=12), EOL)
def test_rule_read_equals_full_read_on_odd_lines(lines: list[str], eol: str) -> None:
    _same_rules(eol.join(lines))


@SETTINGS
@given(st.binary(max_size=300))
def test_rule_read_equals_full_read_on_bytes(data: bytes) -> None:
    _same_rules(data)


def test_rule_read_on_the_corpus() -> None:
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[2] / "benchmarks" / "robots" / "corpus"
    for path in sorted(corpus.glob("*.txt")):
        _same_rules(path.read_bytes())


def test_a_comment_after_the_value_and_odd_lines_are_read_as_google_does() -> None:
    body = ("User-agent: *\nDisallow: /a # note\nallow:/b#x\nDisallow /c\ndisallowed: /d\nDisallow: /%e9\n"
            "Disallow\nDisallow#: /e\n  Allow :  /f  \nDisallow:/g\x00/h\nDisallow:\t/i\t\x0b\nDISALLOW: /j\n")
    want = [(False, "/a", 2), (True, "/b", 3), (False, "/c", 4), (False, "/d", 5), (False, "/%E9", 6), (True, "/f", 9),
            (False, "/g", 10), (False, "/i", 11), (False, "/j", 12)]
    allows, patterns, numbers = _read_rules(body.split("\n")[1:], 2)
    assert list(zip(allows, patterns, numbers)) == want
    no_nul = [(a, "/g/h" if n == 10 else p, n) for a, p, n in want]
    for limit in (1 << 30, -1):  # read whole at parse, and from the group's span
        with small_bytes(limit):
            policy = RobotsPolicy.parse(body.replace("\x00", ""))
        assert (policy._skeletons[0].rules is not None) is (limit > 0)
        assert [(r.allow, r.pattern, r.line) for r in policy.matcher("x").rules] == no_nul
    long_line = "Disallow: /" + "k" * 20_000
    allows, patterns, numbers = _read_rules(["Disallow: /a", long_line, "Allow: /b"], 2)
    assert patterns == ["/a", long_line[10 : 2083 * 8 - 1], "/b"]  # robots.cc keeps 16,663 bytes of a line


@SETTINGS
@given(st.lists(st.tuples(st.booleans(), st.text(alphabet="/ab*$", max_size=6), st.integers(1, 30)), max_size=12))
def test_decision_order_and_parents(rules: list[tuple[bool, str, int]]) -> None:
    """Rules come out in decision order (length desc, Allow first, line asc), and each head's parent is its
    longest proper prefix among the heads."""
    ruleset = RuleSet([Rule(a, p, line, "") for a, p, line in rules])
    ruleset._index()  # built on demand, after the scan
    keys = [(-len(p), not a, ruleset.rules[i].line) for p, a, i in ruleset._ordered]
    assert keys == sorted(keys)
    assert all(p and p == ruleset.rules[i].pattern and a == ruleset.rules[i].allow for p, a, i in ruleset._ordered)
    heads = ruleset._heads
    assert heads == sorted(set(heads))
    for i, head in enumerate(heads):
        prefixes = [j for j, other in enumerate(heads) if j != i and head.startswith(other)]
        assert ruleset._parent[i] == (max(prefixes, key=lambda j: len(heads[j])) if prefixes else -1)


@SETTINGS
@given(st.lists(st.tuples(st.booleans(), st.text(alphabet="/ab*$", max_size=6).map(lambda p: p + "/index.html" * (p == "/a")),
                          st.integers(1, 30)), max_size=12))
def test_few_rules_are_built_as_in_bulk(rules: list[tuple[bool, str, int]]) -> None:
    """A rule set of a few rules is built one rule at a time, a larger one in bulk: both give the same
    decision order, heads, parents and tests."""
    from scrapecheck.robots import _match

    built = []
    for bulk_min in (0, 1 << 30):
        saved, _match._BULK_MIN_RULES = _match._BULK_MIN_RULES, bulk_min
        try:
            ruleset = RuleSet([Rule(a, p, line, "") for a, p, line in rules])
            ruleset._index()  # built on demand, after the scan
        finally:
            _match._BULK_MIN_RULES = saved
        owns = [ruleset._own_of(node) for node in range(len(ruleset._heads))] if ruleset._ordered else []
        built.append((ruleset._ordered, ruleset._fallback, ruleset._heads, ruleset._parent, owns,
                      ruleset._by_head, ruleset._starts, ruleset._budget))
    assert built[0] == built[1]


_ESCAPY = st.text(st.sampled_from("%/aAfF2g\n\xe9\xff*$"), max_size=12)


@SETTINGS
@given(st.lists(_ESCAPY, max_size=8))
def test_values_are_escaped_as_escape_pattern_escapes_each(values: list[str]) -> None:
    """The rule read escapes only the values that need it (a byte >= 0x80; a "%" when some value holds a lower-case
    escape), with the same result as escaping every value."""
    assert _policy._escaped(list(values)) == [escape_pattern(v) for v in values]


def test_values_needing_no_escape_are_kept_as_they_are() -> None:
    values = ["/a%2F", "/b"]
    assert _policy._escaped(values) is values
    assert _policy._escaped(["/a%2f", "/b%2F", "/c\xe9"]) == ["/a%2F", "/b%2F", "/c%E9"]
