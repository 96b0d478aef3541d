"""How a rule set's index is built (issue 10, a hundred URLs per origin): in bulk over columns, with the
decision order as one sort of ints, each rule's test made only when a path first reaches its head, and a
node's anchor index only once paths have reached it often. None of these shortcuts may change an answer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrapecheck.robots import RobotsPolicy, _match
from scrapecheck.robots._match import Rule, RuleSet

from .reference import allowed as reference_allowed
from .test_properties import SETTINGS

PATTERNS = st.text(alphabet="/ab*$", max_size=6).map(lambda p: p + "/index.html" * (p == "/a"))


def _built(rules: list[Rule]) -> RuleSet:
    ruleset = RuleSet(rules)
    ruleset._index()  # built on demand, after the scan
    return ruleset


@SETTINGS
@given(st.lists(st.tuples(st.booleans(), PATTERNS, st.integers(-(1 << 40), 1 << 40) | st.integers(1, 4)),
                min_size=_match._BULK_MIN_RULES, max_size=20))
def test_bulk_decision_order_is_googles_on_any_lines(rules: list[tuple[bool, str, int]]) -> None:
    """The bulk order (one int per rule) is (length desc, Allow first, line asc), ties in the given order and
    derived ``/index.htm`` rules after the rest, a later duplicate dropped: whatever the lines (unsorted,
    equal, negative, huge: rule sets built by hand)."""
    ruleset = _built([Rule(a, p, line, "") for a, p, line in rules])
    entries = [(-len(p), not a, line, position, p, position) for position, (a, p, line) in enumerate(rules) if p]
    for i, (a, p, line) in enumerate(rules):
        derived = _match.index_html_pattern(p) if a and "/index.htm" in p else None
        if derived is not None:
            entries.append((-len(derived), False, line, len(rules) + i, derived, i))
    seen: set[tuple[bool, str]] = set()
    expected = []
    for e in sorted(entries):
        if (e[1], e[4]) not in seen:
            seen.add((e[1], e[4]))
            expected.append((e[4], not e[1], e[5]))
    assert ruleset._ordered == tuple(expected)



@SETTINGS
@given(st.lists(st.tuples(st.booleans(), PATTERNS, st.integers(1, 3)), min_size=_match._BULK_MIN_RULES, max_size=40))
def test_a_policys_columns_sort_as_rules_built_by_hand(rules: list[tuple[bool, str, int]]) -> None:
    """A policy's columns (lines ascending with the positions) are put in decision order by one descending sort on
    length and kind, ties left in line order; the result is the general order's, derived rules and duplicates
    included."""
    lines = []
    for _, _, step in rules:
        lines.append((lines[-1] if lines else 0) + step)
    built = [Rule(a, p, line, "") for (a, p, _), line in zip(rules, lines)]
    columns = RuleSet._lazy([r.allow for r in built], [r.pattern for r in built], lines, lambda: tuple(built))
    columns._index()
    assert columns._ordered == _built(built)._ordered
    assert columns._heads == _built(built)._heads and columns._parent == _built(built)._parent


@SETTINGS
@given(st.lists(st.text(alphabet="/ab\xe9\U0010ffff", max_size=5), min_size=1, max_size=30, unique=True))
def test_parents_by_upper_bounds_are_the_longest_proper_prefixes(heads: list[str]) -> None:
    """ASCII heads find their parents by the walk's upper bounds (head + "\\x80"); any heads by prefix tests: the same
    longest proper prefix among them either way."""
    heads.sort()
    expected = [max((j for j in range(i) if heads[i].startswith(heads[j])), key=lambda j: len(heads[j]), default=-1)
                for i in range(len(heads))]
    assert _match._parents(heads) == expected
    if "".join(heads).isascii():
        assert _match._parents(heads, ["\x80", *(h + "\x80" for h in heads)]) == expected


@SETTINGS
@given(st.lists(PATTERNS.filter(bool), max_size=12))
def test_floating_globs_are_counted_as_defined(patterns: list[str]) -> None:
    """A floating glob has a literal head of at most one character and something to test after its "*"."""
    expected = 0
    for pattern in patterns:
        head, kind, _, _ = _match._literal_head(pattern)
        expected += kind >= 2 and len(head) <= 1
    assert _match._floating(patterns) == expected


@SETTINGS
@given(st.lists(st.tuples(st.booleans(), PATTERNS.filter(bool)), min_size=1, max_size=20))
def test_each_rules_test_is_made_from_its_pattern(rules: list[tuple[bool, str]]) -> None:
    """The tests made on first use are those of each rule's pattern, grouped under its literal head."""
    ruleset = _built([Rule(a, p, n, "") for n, (a, p) in enumerate(rules, 1)])
    patterns = [p for p, _, _ in ruleset._ordered]
    seen = []
    for node, head in enumerate(ruleset._heads):
        for test in ruleset._own_of(node):
            pattern = patterns[test[0]]
            literal, kind, mids, last = _match._literal_head(pattern)
            assert literal == head
            assert test == (test[0], kind, len(literal), mids, last, max(mids + (last,), key=len) if kind >= 2 else "")
            seen.append(test[0])
        assert [t[0] for t in ruleset._own_of(node)] == sorted(t[0] for t in ruleset._own_of(node))
    assert sorted(seen) == list(range(len(patterns)))


def test_a_node_gets_its_anchors_only_once_reached_often(monkeypatch: pytest.MonkeyPatch) -> None:
    """A node with many rules to test answers by looking for each literal until paths have reached it
    ``_ANCHOR_MIN_VISITS`` times; then its anchor index is built and kept. Every answer on the way is Google's."""
    monkeypatch.setattr(_match, "FORCE_TIER", "uncompiled")
    monkeypatch.setattr(_match, "_ANCHOR_MIN_VISITS", 5)
    words = [f"w{i:02d}x" for i in range(24)]
    robots = "User-agent: *\nDisallow: /s/\n" + "".join(
        f"{'Allow' if i % 3 == 0 else 'Disallow'}: /s/*/{w}/\n" for i, w in enumerate(words))
    matcher = RobotsPolicy.parse(robots).matcher("x")
    paths = [f"/s/a/{w}/b" for w in words[:4]] + ["/s/a/none/", "/s/b/w05x/"]
    node = matcher._heads.index("/s/")
    for visit in range(1, 12):
        for path in paths:
            expected, line = reference_allowed(robots, "x", "http://h" + path)
            allowed, rule = matcher.decide_path(path)
            assert (allowed, 0 if rule is None else rule.line) == (expected, line), (visit, path)
            assert matcher.check_path(path) is expected, (visit, path)
        entry = matcher._table[node]
        if visit * len(paths) * 2 < 5:
            assert entry is None and node in matcher._young
        if visit >= 3:
            assert entry is not None and entry[4] is not None and node not in matcher._young


def test_anchors_wait_for_nothing_when_asked_not_to(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_match, "FORCE_TIER", "uncompiled")
    monkeypatch.setattr(_match, "_ANCHOR_MIN_VISITS", 1)
    robots = "User-agent: *\n" + "".join(f"Disallow: /*/w{i:02d}x/\n" for i in range(20))
    matcher = RobotsPolicy.parse(robots).matcher("x")
    assert matcher.check_path("/a/w03x/") is False
    assert not matcher._young and any(e is not None and e[4] is not None for e in matcher._table)
