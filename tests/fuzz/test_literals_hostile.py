"""Hostile differential review of a head node whose rules share their literals: many "*" rules under one head (and
under its parent "/", whose rules every node inherits) drawn from a small pool of literals, so that several rules of
one node look for the same literal, in any decision order, with middle parts, a final "$", and "head$" rules among
them. Their number crosses the uncompiled tier's per-node thresholds (a plain loop over a few literals, the gate, the
suffix table, the anchor index, the q-gram prefilter on long paths). Every public answer and deciding line is
compared with the slow reference (``tests/robots/reference.py``), in each forced tier and in streams that switch
tiers.

Each case is seeded (the seed is in the failure message); ``SCRAPECHECK_FUZZ=deep`` runs many more seeds.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
import robots.reference
from robots.reference import allowed as reference  # tests/ is on sys.path (tests/conftest.py)

from scrapecheck.robots import RobotsPolicy, _match, _policy

from .conftest import _DEEP
from .test_index_hostile import _fast_matches

SEEDS = range(300 if _DEEP else 10)
AGENT = "FooBot/1.0"
COUNTS = [1, 2, 5, 6, 7, 8, 15, 16, 17, 31, 32, 33, 34, 48, 70]
_POOL = ["a", "ab", "b/", "/c", ".pdf", "a/b", "x", "?q=", "%2F", "%2f", "\u00e9", "=1", "/", "aa", "ba", "b"]
_HEADS = ["/h/", "/h", "/hh/x/", "/"]


def _body(r: random.Random) -> tuple[str, str, list[str]]:
    """(body, the busy head, the literals in use)."""
    head = r.choice(_HEADS)
    pool = r.sample(_POOL, r.randint(1, 8))
    lines = []
    for _ in range(r.choice(COUNTS)):
        where = head if r.random() < 0.85 else r.choice(["/", head + "s/", head[:-1] or "/"])
        parts = [r.choice(pool) for _ in range(r.choice([1, 1, 1, 2, 2, 3]))]
        kind = r.random()
        if kind < 0.6:
            pattern = where + "*" + "*".join(parts) + r.choice(["", "", "$", "*", "*$"])
        elif kind < 0.75:
            pattern = where + parts[0] + "$"
        elif kind < 0.85:
            pattern = where + parts[0] + "*" + "*".join(parts[1:]) + r.choice(["", "$"])
        else:
            pattern = where + "".join(parts)
        lines.append(f"{r.choice(['Disallow', 'Disallow', 'Allow'])}: {pattern}")
    if r.random() < 0.3:
        lines.append(r.choice(["Disallow: /", "Allow: /", "Disallow: /h", "Allow: " + head]))
    r.shuffle(lines)
    return "User-agent: " + r.choice(["*", "FooBot"]) + "\n" + "\n".join(lines) + "\n", head, pool


def _path(r: random.Random, head: str, pool: list[str]) -> str:
    path = head if r.random() < 0.9 else r.choice(["/", "/h", "/hx/", "/robots.txt"])
    if r.random() < 0.08:
        path += "z" * r.randint(300, 3000)  # past the q-gram prefilter's length
    for _ in range(r.randint(0, 5)):
        path += r.choice(["", "", "z", "/", "-"]) + r.choice(pool + ["q", "%C3%A9", "%41"])
    return path + r.choice(["", "", "", "$", "?q=1", "#a/b", "?x#ab", ";b/"])


def _line(rule: _match.Rule | None) -> int:
    return 0 if rule is None else rule.line


def _stream(seed: int, body: str, head: str, pool: list[str], count: int) -> Iterator[str]:
    r = random.Random(seed * 7919 + 3)
    policy = RobotsPolicy.parse(body)
    matcher = policy.matcher(AGENT)
    for _ in range(count):
        path = _path(r, head, pool)
        expected, line = reference(body, AGENT, "http://h" + path)
        kind = r.randrange(5)
        if kind == 0:
            got: object = matcher.check("https://h.example" + path)
            ok = got is expected
        elif kind == 1:
            allowed, rule = matcher.decide("http://h" + path)
            got = (allowed, _line(rule))
            ok = got == (expected, line)
        elif kind == 2:
            got = matcher.check_path(path)
            ok = got is expected
        elif kind == 3:
            allowed, rule = matcher.decide_path(path)
            got = (allowed, _line(rule))
            ok = got == (expected, line)
        else:
            verdict = policy.explain(AGENT, "http://h" + path)
            got = (verdict.allowed, verdict.line or 0)
            ok = got == (expected, line)
        if not ok:
            name = ["check", "decide", "check_path", "decide_path", "explain"][kind]
            yield (f"seed {seed}: {name}({path[:120]!r}) gave {got}, reference {(expected, line)} in tier "
                   f"{matcher.tier}; robots.txt {body[:3000]!r}")


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(robots.reference, "matches", _fast_matches)
    _policy._PARSED.clear()
    yield
    _policy._PARSED.clear()


def _run(seeds: range, count: int) -> None:
    failures: list[str] = []
    for seed in seeds:
        body, head, pool = _body(random.Random(seed))
        failures += _stream(seed, body, head, pool, count)
    assert not failures, "\n".join(failures[:4])


@pytest.mark.parametrize("tier", ["scan", "uncompiled", "grams", "compiled"])
def test_shared_literals_in_each_forced_tier(tier: str, monkeypatch: pytest.MonkeyPatch, fresh: None) -> None:
    monkeypatch.setattr(_match, "FORCE_TIER", tier)
    monkeypatch.setattr(_match, "_ANCHOR_MIN_VISITS", 4)
    _run(SEEDS, 80)


def test_shared_literals_in_streams_that_switch_tiers(monkeypatch: pytest.MonkeyPatch, fresh: None) -> None:
    """Budgets shrunk: each stream scans, builds the index (anchors after a node's fourth visit) and compiles
    mid-stream."""
    monkeypatch.setattr(_match, "_SCAN_BASE", 3)
    monkeypatch.setattr(_match, "_SCAN_PER_RULE", 1)
    monkeypatch.setattr(_match, "_SAVED_PER_CHECK", 0.4e-3)
    monkeypatch.setattr(_match, "_ANCHOR_MIN_VISITS", 4)
    monkeypatch.setattr(_match, "COMPILE_CAP", 1.0)
    monkeypatch.setattr(_match, "_MAX_COMPILED_RULES", 10_000)
    _run(SEEDS, 120)


def test_shared_literals_with_default_budgets(fresh: None) -> None:
    """As shipped: the index is built when the budget says so, anchors after 32 visits of a node."""
    _run(SEEDS[:4], 400)
