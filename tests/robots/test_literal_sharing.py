"""``RuleSet.literal_check`` states shared between the prefixes (the Guard's segments) of one rule set (b663a10): two
prefixes that reach the same head nodes may still need different states, and whichever is built first, each prefix
must answer as ``check_path``. Pinned here: a key that one prefix holds and the other does not; a "head$" rule whose
head is the prefix itself; literals sharing a long prefix (``_cover``), which one prefix holds; and paths holding
several literals (the per-set memo, more sets than ``_LITERAL_SETS``), under prefixes that share it. Every case runs
in both orders of first use, on fresh rule sets."""

from __future__ import annotations

import itertools
from typing import Any, Callable

import pytest

from scrapecheck import Guard
from scrapecheck.robots import RobotsPolicy, _match

UA = "AcmeBot/1.0"


@pytest.fixture(autouse=True)
def _indexed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_match, "FORCE_TIER", "uncompiled")  # literal_check needs the index (no scan first)


def _both_orders(body: str, cases: dict[str, dict[str, bool]]) -> list[Any]:
    """For each order of first use of the prefixes in ``cases`` ({prefix: {path: allowed}}), a fresh rule set whose
    checks are made and called in that order, then all again interleaved; every answer checked against the rules
    (``cases``) and ``check_path``. Returns the rule sets."""
    made = []
    for order in itertools.permutations(cases):
        matcher = RobotsPolicy.parse(body).matcher(UA)
        checks: dict[str, Callable[[str], bool]] = {}
        for prefix in order:
            check = matcher.literal_check(prefix)
            assert check is not None, prefix
            checks[prefix] = check
            for path, allowed in cases[prefix].items():
                assert matcher.check_path(path) is allowed, (path, "the case itself is wrong")
                assert check(path) is allowed, (order, prefix, path)
        for paths in itertools.zip_longest(*(list(cases[p].items()) for p in order)):
            for prefix, item in zip(order, paths):
                if item is not None:
                    assert checks[prefix](item[0]) is item[1], (order, prefix, item[0])
        made.append(matcher)
    return made


def test_a_key_held_by_one_prefix_and_not_the_other() -> None:
    """/*foo*bar's key is "foo"; under /foo/ every path holds it and the rule is let in by "bar" instead. /foo/ and
    /baz/ reach the same head node ("/") and nothing below, so only what they hold tells their states apart: under
    /foo/ a path holding "bar" is refused, under /baz/ only one holding "foo" then "bar"."""
    body = "User-agent: *\nDisallow: /*foo*bar\nAllow: /*foo*bar*ok$\n"
    cases = {
        "/foo/": {"/foo/": True, "/foo/x": True, "/foo/bar": False, "/foo/xbar": False, "/foo/bar/ok": True,
                  "/foo/barok#x": True, "/foo/bar#ok": False, "/foo/%62ar": True, "/foo/\u00e9bar": False},
        "/baz/": {"/baz/": True, "/baz/bar": True, "/baz/barfoo": True, "/baz/foo/bar": False,
                  "/baz/foobarok": True, "/baz/bar#foo": True, "/baz/foo%2Fbar": False, "/baz/ok": True},
        "/bazfoo": {"/bazfoo": True, "/bazfoobar": False, "/bazfoo/x/bar/ok": True, "/bazfoo/x/bar/okx": False},
    }
    for matcher in _both_orders(body, cases):
        # Each prefix's gate names a literal its paths need not hold (not "foo" under /foo/, where all do).
        assert matcher.literal_gate("/foo/")[1] == ("bar",)  # type: ignore[index]
        assert matcher.literal_gate("/baz/")[1] == ("foo",)  # type: ignore[index]


def test_a_key_held_in_full_by_one_prefix() -> None:
    """Under /a/foo/bar/ every segment of /*foo*bar is held: the rule has no key there (every path is tested, and
    refused unless the longer Allow matches); under /a/fo/ (same head nodes) it needs both."""
    body = "User-agent: *\nDisallow: /*foo*bar\nDisallow: /a/*.pdf$\nAllow: /a/*.pdf$\n"
    cases = {
        "/a/foo/bar/": {"/a/foo/bar/": False, "/a/foo/bar/x": False, "/a/foo/bar/x.pdf": True},
        "/a/fo/": {"/a/fo/": True, "/a/fo/x.pdf": True, "/a/fo/foo": True, "/a/fo/foobar": False,
                   "/a/fo/o/bar": True, "/a/fo/foo.pdf#bar": True},
    }
    for matcher in _both_orders(body, cases):
        assert matcher.literal_gate("/a/foo/bar/") is None  # most paths there are refused: no gate says "allowed"


def test_a_head_dollar_rule_whose_head_is_the_prefix() -> None:
    """Disallow: /a/$ refuses "/a/" and nothing longer: under the prefix /a/ it must be tested, under /a/b/ and /a/c
    (whose deepest head node is /a/ as well) it can never match. Built from /a/b/ first, /a/ must not lose it."""
    body = "User-agent: *\nDisallow: /a/$\nDisallow: /*x*.pdf\nAllow: /a/*ok$\nDisallow: /a/b/c$\n"
    cases = {
        "/a/b/": {"/a/b/": True, "/a/b/x.pdf": False, "/a/b/c": False, "/a/b/c/": True, "/a/b/ok": True},
        "/a/": {"/a/": False, "/a/#f": False, "/a/?": True, "/a/x": True, "/a/x.pdf": False, "/a/x.pdfok": False,
                "/a/b/c": False, "/a/b/cc": True, "/a/%41": True},
        "/a/c": {"/a/c": True, "/a/cx.pdf": False, "/a/c/": True},
    }
    for matcher in _both_orders(body, cases):
        assert matcher.literal_gate("/a/") is None  # "/a/" itself is refused: not every path holding no literal is allowed


@pytest.mark.parametrize("body, paths", [
    ("User-agent: *\nDisallow: /a$\nDisallow: /*q*.pdf\n",
     ["/w/1", "/w/2", "/ac", "/ac?q.pdf", "/ac?q.pdf", "/a", "/a", "/a?x", "/a#f", "/a?q.pdf"]),
    ("User-agent: *\nDisallow: /a$\nDisallow: /*q*.pdf\nAllow: /ab*.pdf$\n",
     ["/ab", "/ab?q=.pdf", "/abq.pdf", "/a", "/a?x", "/a#f", "/aq.pdf", "/ab", "/a", "/ac", "/a?q.pdf"]),
], ids=["after-ac", "after-ab"])
def test_a_head_dollar_rule_reached_through_the_guard_by_two_leaves(body: str, paths: list[str]) -> None:
    """The same through the Guard's table: the leaf /ac (or /ab) learnt first, and its literal_check state built by a
    query holding a literal (a leaf's URLs are its name and a query or fragment), then the leaf /a, a "head$" rule's
    head. (Sharing the state of /ac with /a, both under the head node /a, lost "/a$": /a was allowed from its second
    URL on.)"""
    matcher = RobotsPolicy.parse(body).matcher(UA)
    guard = Guard.from_robots(UA, "other", {"https://a.example": body})
    for path in paths * 3:
        decision = guard.check("https://a.example" + path)
        expected, rule = matcher.decide_path(path)
        assert decision.allowed is expected, path
        if not expected:
            assert decision.reasons[0].line == rule.line, path  # type: ignore[union-attr]


def test_literals_sharing_a_long_prefix_held_by_one_prefix() -> None:
    """/wiki/index.php? and /wiki/Special: are looked for by "/wiki/" (_cover) under /x/, but /x/wiki/ (same head
    nodes, neither key held) holds "/wiki/" itself: there the two literals must be looked for, not their cover."""
    body = ("User-agent: *\nDisallow: /*/wiki/index.php?\nDisallow: /*/wiki/Special:\nAllow: /*/wiki/Special:Search$\n"
            "Disallow: /*.json$\n")
    cases = {
        "/x/": {"/x/": True, "/x/wiki/": True, "/x/wiki/index.php?t=1": False, "/x/wiki/Special:Search": True,
                "/x/wiki/Special:Random": False, "/x/wiki/a.json": False, "/x/a.json": False, "/x/wiki/index.php": True,
                "/x/%77iki/Special:Random": True},
        "/x/wiki/": {"/x/wiki/": True, "/x/wiki/a": True, "/x/wiki/index.php?": False, "/x/wiki/Special:Search": True,
                     "/x/wiki/Special:Searchx": False, "/x/wiki/Main": True, "/x/wiki/x.json": False,
                     "/x/wiki/x/wiki/Special:": False},
    }
    for matcher in _both_orders(body, cases):
        outer = matcher.literal_check("/x/")
        outer("/x/")
        assert outer.__self__.literals == (".json", "/wiki/")  # type: ignore[union-attr]
        inner = matcher.literal_check("/x/wiki/")
        inner("/x/wiki/")
        assert set(inner.__self__.literals) == {".json", "/wiki/Special:", "/wiki/index.php?"}  # type: ignore[union-attr]
        assert matcher.literal_gate("/x/wiki/") is None or "/wiki/" not in matcher.literal_gate("/x/wiki/")[1]


def test_several_literals_in_one_path_under_prefixes_sharing_a_state() -> None:
    """Eight globs of two literals each (k0..k7), with Allow and Disallow crossing: paths holding 2 to 4 of them are
    decided by the tests kept per set of literals met (at most _LITERAL_SETS, then by the matcher), a memo the prefixes
    /p/, /q/ and /r/ (same head nodes, nothing held) share. More sets than that are met, under each prefix in turn."""
    literals = [f"k{i}" for i in range(8)]
    lines = ["User-agent: *"]
    for i in range(8):
        a, b = literals[i], literals[(i + 3) % 8]
        lines.append(f"{'Allow' if i % 3 == 0 else 'Disallow'}: /*{a}*{b}")
        lines.append(f"{'Disallow' if i % 3 == 0 else 'Allow'}: /*{a}*{b}*{literals[(i + 5) % 8]}x")
    body = "\n".join(lines) + "\n"
    matcher = RobotsPolicy.parse(body).matcher(UA)
    oracle = RobotsPolicy.parse(body).matcher(UA)
    checks = {prefix: matcher.literal_check(prefix) for prefix in ("/p/", "/q/", "/r/")}
    paths = []
    for n in (2, 3, 4):
        for combo in itertools.combinations(literals, n):
            paths.append("/".join(combo))
            paths.append("".join(reversed(combo)) + "x")
    assert len({frozenset(p.replace("x", "").replace("/", " ").split()) for p in paths}) > 3 * _match._LITERAL_SETS
    seen = 0
    for i, tail in enumerate(paths):
        for prefix in (("/p/", "/q/", "/r/") if i % 2 else ("/r/", "/p/", "/q/")):
            path = prefix + tail
            assert checks[prefix](path) is oracle.check_path(path), path  # type: ignore[misc]
            seen += 1
    assert seen > 500
    for check in checks.values():
        several = check.__self__.several  # type: ignore[union-attr]
        assert 0 < len(several) <= _match._LITERAL_SETS
