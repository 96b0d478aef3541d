"""Hostile review of :class:`RuleSet` built by hand (it is public: ``RuleSet(rules)`` from :class:`Rule` values),
with patterns no robots.txt yields (the parse percent-encodes every pattern to ASCII): any ``str`` must build and
answer without an exception, and every tier must give the same answers.

A pattern holding "#" is left out of the agreement check: a path's fragment is cut before matching, and the
tiers differ on whether such a pattern's literal head can still meet a path's "#" (no robots.txt can hold one:
"#" starts a comment there).
"""

from __future__ import annotations

import random

import pytest

from scrapecheck.robots import Rule, RuleSet, _match

from .conftest import _DEEP

SEEDS = range(2000 if _DEEP else 150)
_BITS = ["/", "a", "b", "*", "$", "%2f", "%2F", "\u00e9", "\x7f", "\x00", "\U0010ffff", "\udc80", "?", "index.html",
         "\x80", "%"]
_PATH_BITS = ["/", "a", "b", "%2f", "%2F", "\u00e9", "\x7f", "\x00", "\U0010ffff", "?", "index.html", "%C3%A9", "#"]
_TIERS = ["scan", "uncompiled", "grams", "compiled"]


def _answers(rules: list[Rule], paths: list[str]) -> list[tuple[bool, bool, bool, bool, int]]:
    ruleset = RuleSet(rules)
    out = []
    for path in paths:
        allowed, rule = ruleset.decide("https://h" + path)
        out.append((ruleset.check("https://h" + path), ruleset.check_path(path), allowed,
                    ruleset.decide_path(path)[0], 0 if rule is None else rule.line))
    return out


@pytest.mark.parametrize("single", [True, False])
def test_hand_built_rule_sets_build_and_agree_in_every_tier(single: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """A pattern ending in U+10FFFF, alone as a Disallow, made ``RuleSet`` raise ValueError in every tier: the one
    quick head's upper bound was its last character plus one (``chr(0x110000)``)."""
    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed)
        count = 1 if single else r.randint(2, 14)
        rules = [Rule(r.random() < (0.2 if single else 0.5),
                      "/" + "".join(r.choice(_BITS) for _ in range(r.randint(0, 5))), i + 1, "") for i in range(count)]
        paths = ["/" + "".join(r.choice(_PATH_BITS) for _ in range(r.randint(0, 6))) for _ in range(20)]
        answers = {}
        for tier in _TIERS:
            monkeypatch.setattr(_match, "FORCE_TIER", tier)
            try:
                answers[tier] = _answers(rules, paths)
            except Exception as exc:  # noqa: BLE001 - any exception is the failure reported
                failures.append(f"seed {seed} {tier}: {type(exc).__name__}: {exc} for {[x.pattern for x in rules]!r}")
        if len(answers) < len(_TIERS) or any("#" in x.pattern for x in rules):
            continue
        for tier in _TIERS[1:]:
            for path, one, other in zip(paths, answers["scan"], answers[tier], strict=True):
                if one != other:
                    failures.append(f"seed {seed}: {path!r} scan {one} {tier} {other} for "
                                    f"{[(x.allow, x.pattern) for x in rules]!r}")
    assert not failures, "\n".join(failures[:5])


def test_a_lone_disallow_ending_in_the_last_code_point() -> None:
    ruleset = RuleSet([Rule(False, "/a\U0010ffff", 1, "Disallow: /a\U0010ffff")])
    assert ruleset.check("https://h/a") is True
    assert ruleset.check_path("/a\U0010ffff") is True  # the path is percent-encoded: the pattern is not
