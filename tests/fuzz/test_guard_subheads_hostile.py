"""Hostile differential review of the Guard's segment table where a segment has heads below it that carry their own
globs: "/s/" with nested heads under it ("/s/a", "/s/ab", "/s/a/", "/s/a/b"), each with rules of its own ("*x",
"*x$", "$", plain), Allow and Disallow mixed so that the heads' answers differ, some heads with an escape or a
non-ASCII character, a few or more than eight heads below a segment, and globs on the segment itself. Paths go under
each head, holding its literals or not, with queries, fragments, escapes and non-ASCII characters. Each URL comes
back several times (learnt, then answered from the table); every answer and the deciding line of every refusal is
compared with the slow reference (``tests/robots/reference.py``).

Each case is seeded (the seed is in the failure message); ``SCRAPECHECK_FUZZ=deep`` runs many more seeds.
"""

from __future__ import annotations

import random

import pytest
import robots.reference  # tests/ is on sys.path (tests/conftest.py)

from scrapecheck import Guard
from scrapecheck.robots import _match

from .conftest import _DEEP
from .test_guard_hostile import _problem
from .test_index_hostile import _fast_matches

SEEDS = range(200 if _DEEP else 5)
AGENT = "FooBot/1.0"
ORIGINS = ["https://a.example", "http://b.example"]
_RESTS = ["a", "ab", "abc", "a/", "a/b", "a/b/", "b", "b.", "q", "%41", "%c3%a9", "\u00e9", "x/y"]
_LITERALS = ["x", "y", ".pdf", "/z", "?", "=1", "ab", "a/", "q"]


def _body(r: random.Random) -> tuple[str, list[str]]:
    """(the body, the heads it names)."""
    lines = ["User-agent: " + r.choice(["*", "FooBot"])]
    heads = []
    for segment in r.sample(["/s/", "/t/", "/u/v/"], r.randint(1, 2)):
        chosen = r.sample(_RESTS, r.choice([2, 3, 5, 8, 9, 11]))
        for rest in [""] + chosen:
            head = segment + rest
            heads.append(head)
            for _ in range(r.randint(1, 3)):
                lit = r.choice(_LITERALS)
                tail = r.choice(["", "", "*" + lit, "*" + lit, "*" + lit + "$", "$", lit, "*" + lit + "*" + r.choice(_LITERALS)])
                kind = "Allow" if r.random() < 0.3 else "Disallow"
                lines.append(f"{kind}: {head}{tail}")
    if r.random() < 0.3:
        lines.append(r.choice(["Disallow: /", "Allow: /", "Disallow: /*.pdf$", "Disallow: /*?"]))
    rules = lines[1:]
    r.shuffle(rules)
    return "\n".join(lines[:1] + rules) + "\n", heads


def _url(r: random.Random, origin: str, heads: list[str]) -> str:
    path = r.choice(heads)
    for _ in range(r.randint(0, 2)):
        path += r.choice(["", "", "x", "-", "/"]) + r.choice(_LITERALS + ["k", "b", "abc"])
    path += r.choice(["", "", "", "/", "?q=1", "#x", "#/z", "%2F", "\u00e9", "%C3%A9", "$", ";p"])
    return r.choice([origin, origin, origin.upper()]) + path


@pytest.mark.parametrize(("tier", "max_origins"), [(None, 1000), (None, 1), ("uncompiled", 1000), ("compiled", 1000)])
def test_heads_below_a_segment_answer_as_the_reference(tier: str | None, max_origins: int,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_match, "FORCE_TIER", tier)
    monkeypatch.setattr(_match, "_SCAN_BASE", 3)  # the index (and so the table) from the first few URLs on
    monkeypatch.setattr(_match, "_SCAN_PER_RULE", 1)
    monkeypatch.setattr(robots.reference, "matches", _fast_matches)
    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed)
        made = {origin: _body(r) for origin in ORIGINS}
        bodies = {origin: body for origin, (body, _) in made.items()}
        guard = Guard.from_robots(AGENT, "research", bodies, max_origins=max_origins)
        urls = [(origin, _url(r, origin, made[origin][1])) for origin in ORIGINS for _ in range(45)]
        for _ in range(3):  # learnt, then answered from the table
            r.shuffle(urls)
            for origin, url in urls:
                problem = _problem(bodies[origin], AGENT, url, guard.check(url), "check")
                if problem:
                    failures.append(f"seed {seed}: {problem[:2500]}")
    assert not failures, "\n".join(failures[:4])
