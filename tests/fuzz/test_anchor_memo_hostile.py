"""Hostile differential review of an anchor node's memos (5b3d8c4): the per-node memo of a path token's first
``_P`` characters (``_TokenHeads``: bounded by ``_TOKENS_MAX`` tokens of at most ``_TOKEN_MAX`` characters) and the
memo of the rules to test for a set of several anchors (bounded by ``_MULTI_MAX`` sets). The bounds are shrunk so
that short streams fill each memo and run past it: tokens that share an anchor's first characters and differ
after them, tokens longer than the memo keeps, empty and one-character tokens, the same anchor sets again after the
memo is full, and many distinct sets. Every answer (``check``, ``decide``, ``check_path``) and deciding line is
compared with the slow reference (``tests/robots/reference.py``, its pattern test run by ``re``).

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

SEEDS = range(200 if _DEEP else 6)
AGENT = "FooBot/1.0"
# Anchors (a rule's literal token after a "/"), some sharing their first characters, some shorter than _P.
_ANCHORS = ["alpha", "alpine", "alps", "beta", "bet", "be", "gamma", "gam", "delta", "deltas", "%C3%A9t", "e%2F"]
# Path tokens: the anchors, their first characters, longer and shorter spellings, and noise.
_NOISE = ["", "a", "al", "alp", "alph", "alphabet", "alpha-x", "betamax", "bet", "b", "gammas", "gam", "del",
          "%C3%A9", "%C3%A9tude", "e%2F", "e%2Fx", "x", "index.html", "q=1"]


def _body(r: random.Random) -> str:
    """One node ("/") with many glob rules, each with an anchor (a literal token after a "/"), and a few
    without, in both kinds, so several anchors on one path change which rule decides."""
    lines = ["User-agent: " + r.choice(["*", "FooBot"])]
    for _ in range(r.randint(18, 40)):
        anchor = r.choice(_ANCHORS)
        tail = r.choice(["", "/", "/x", "*/z", "$", "*.pdf$"])
        pattern = "/*" + r.choice(["/", "x/", "/q/"]) + anchor + r.choice(["/", ""]) + tail
        lines.append(f"{r.choice(['Disallow', 'Disallow', 'Allow'])}: {pattern}")
    for _ in range(r.randint(0, 4)):
        lines.append(f"{r.choice(['Disallow', 'Allow'])}: /*{r.choice(['zz', '.css$', 'q'])}")
    lines.append(r.choice(["Allow: /", "Disallow: /priv", "Allow: /*alpha/beta/"]))
    return "\n".join(lines) + "\n"


def _token(r: random.Random, serial: int) -> str:
    pick = r.random()
    if pick < 0.35:
        return r.choice(_ANCHORS)
    if pick < 0.6:
        return r.choice(_NOISE)
    if pick < 0.75:  # longer than the memo keeps, starting with an anchor or its first characters
        return r.choice(_ANCHORS + _NOISE) + "w" * r.randint(2, 40)
    return f"t{serial}"  # distinct tokens: fill the token memo


def _paths(r: random.Random, count: int) -> Iterator[str]:
    seen: list[str] = []
    for serial in range(count):
        if seen and r.random() < 0.25:  # the same anchor sets again, once the memos are full
            yield r.choice(seen)
            continue
        tokens = [_token(r, serial) for _ in range(r.randint(1, 7))]
        path = "/" + "/".join(tokens) + r.choice(["", "", "/", ".pdf", "?q=/alpha/", "#/beta/"])
        seen.append(path)
        yield path


@pytest.fixture
def small_memos(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Anchors built on a node's second visit; memos of a few entries (passed after a few dozen paths)."""
    monkeypatch.setattr(_match, "_ANCHOR_MIN_VISITS", 2)
    monkeypatch.setattr(_match, "_TOKENS_MAX", 12)
    monkeypatch.setattr(_match, "_TOKEN_MAX", 6)
    monkeypatch.setattr(_match, "_MULTI_MAX", 4)
    monkeypatch.setattr(robots.reference, "matches", _fast_matches)
    _policy._PARSED.clear()
    yield
    _policy._PARSED.clear()


@pytest.mark.parametrize("tier", [None, "uncompiled"])
def test_anchor_memos_past_their_bounds_answer_as_the_reference(tier: str | None, small_memos: None,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_match, "FORCE_TIER", tier)
    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed)
        body = _body(r)
        matcher = RobotsPolicy.parse(body).matcher(AGENT)
        for path in _paths(r, 260):
            expected, line = reference(body, AGENT, "https://h" + path)
            how = r.choice(["check", "decide", "check_path"])
            if how == "check":
                got, got_line = matcher.check("https://h" + path), None
            elif how == "decide":
                got, rule = matcher.decide("https://h" + path)
                got_line = 0 if rule is None else rule.line
            else:
                got, got_line = matcher.check_path(path), None
            if got is not expected or (got_line is not None and got_line != line):
                failures.append(f"seed {seed}: {how}({path!r}) gave {(got, got_line)}, reference {(expected, line)}; "
                                f"robots.txt {body!r}")
    assert not failures, "\n".join(failures[:4])


def test_the_memos_are_really_filled_past_their_bounds(small_memos: None) -> None:
    """The streams above reach the code under test: an anchor index is built, its token memo stops at its bound
    with longer tokens never kept, and several-anchor sets are kept up to their bound."""
    r = random.Random(0)
    body = _body(r)
    matcher = RobotsPolicy.parse(body).matcher(AGENT)
    made: list[tuple] = []
    real = _match._anchors

    def spy(tests: tuple) -> object:
        found = real(tests)
        if found is not None:
            made.append(found)
        return found

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_match, "_anchors", spy)
        for path in _paths(r, 400):
            matcher.check("https://h" + path)
    assert made, "no anchor index was built"
    heads, by_anchor, positions = made[0][1].__self__, made[0][2], made[0][4]
    assert len(heads) == _match._TOKENS_MAX and all(len(token) <= _match._TOKEN_MAX for token in heads)
    assert len(by_anchor) == len(positions) + _match._MULTI_MAX
