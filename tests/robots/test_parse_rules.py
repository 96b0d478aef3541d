"""The bulk rule read behind ``matcher()`` (:func:`_read_rules`: C-level string methods over all of a
group's rule lines at once) reads every group exactly as the line-by-line full read does, and the
rule set built from its columns orders rules as Google decides them."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from scrapecheck.robots import RobotsPolicy, _policy
from scrapecheck.robots._match import Rule, RuleSet
from scrapecheck.robots._policy import _read_rules
from scrapecheck.robots._syntax import escape_pattern

from .test_properties import EOL, LINE_PARTS, SETTINGS, robots_files


def _same_rules(policy: RobotsPolicy) -> None:
    """Both ways of reading a span (line by line for a few lines, in bulk for more) read each group as the
    full read does."""
    builders = policy._read_all()[0]
    for index, (skeleton, builder) in enumerate(zip(policy._skeletons, builders)):
        span = skeleton.rule_lines
        expected = [(allow, escape_pattern(value), line) for allow, value, line in builder.rules]
        for bulk_min in (0, 1 << 30):
            saved, _policy._BULK_MIN_LINES = _policy._BULK_MIN_LINES, bulk_min
            try:
                allows, patterns, lines = _read_rules([policy._raw_lines[n - 1] for n in span], span.start)
            finally:
                _policy._BULK_MIN_LINES = saved
            assert list(zip(allows, patterns, lines)) == expected
        ruleset = policy._ruleset((index,))
        assert [(r.allow, r.pattern, r.line) for r in ruleset.rules] == expected


@SETTINGS
@given(robots_files())
def test_bulk_rule_read_equals_full_read(robots: str) -> None:
    _same_rules(RobotsPolicy.parse(robots))


@SETTINGS
@given(st.lists(st.lists(LINE_PARTS | st.sampled_from(["%aa", "%2F", "/index.html", "$"]), max_size=6).map("".join),
                max_size=12), EOL)
def test_bulk_rule_read_equals_full_read_on_odd_lines(lines: list[str], eol: str) -> None:
    _same_rules(RobotsPolicy.parse(eol.join(lines)))


@SETTINGS
@given(st.binary(max_size=300))
def test_bulk_rule_read_equals_full_read_on_bytes(data: bytes) -> None:
    _same_rules(RobotsPolicy.parse(data))


def test_bulk_rule_read_on_the_corpus() -> None:
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[2] / "benchmarks" / "robots" / "corpus"
    for path in sorted(corpus.glob("*.txt")):
        _same_rules(RobotsPolicy.parse(path.read_bytes()))


def test_a_comment_after_the_value_and_odd_lines_are_read_as_google_does() -> None:
    body = ("User-agent: *\nDisallow: /a # note\nallow:/b#x\nDisallow /c\ndisallowed: /d\nDisallow: /%e9\n"
            "Disallow\nDisallow#: /e\n  Allow :  /f  \n")
    for bulk_min in (0, 1 << 30):  # in bulk, and line by line
        saved, _policy._BULK_MIN_LINES = _policy._BULK_MIN_LINES, bulk_min
        try:
            allows, patterns, numbers = _read_rules(body.split("\n")[1:9], 2)
        finally:
            _policy._BULK_MIN_LINES = saved
        assert list(zip(allows, patterns, numbers)) == [
            (False, "/a", 2), (True, "/b", 3), (False, "/c", 4), (False, "/d", 5), (False, "/%E9", 6), (True, "/f", 9)]


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
        built.append((ruleset._ordered, ruleset._fallback, ruleset._heads, ruleset._parent, ruleset._own,
                      ruleset._budget))
    assert built[0] == built[1]
