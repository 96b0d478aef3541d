"""Hostile differential review of the Guard's segment table when it is full: sites with many more first segments and
leaf names than the table keeps per origin (its caps shrunk here so a few hundred URLs overflow them), segments
with many heads below them (looked up deeper, with the deeper levels capped too), origins evicted and reloaded
mid-stream, and the same URLs coming back after the table filled (some answered from it, the rest by the matcher).
Rules name the segments' own literals, "$" ends, leaf names with and without "?", and floating globs over all of
them; URLs hold those literals at the start, end and across a segment's "/", escapes, non-ASCII characters,
queries and fragments. Every answer and every refusal's deciding line is compared with the slow reference
(``tests/robots/reference.py``); after each stream the table holds only keys of cached origins, within the caps.

Each case is seeded (the seed is in the failure message); ``SCRAPECHECK_FUZZ=deep`` runs many more seeds.
"""

from __future__ import annotations

import random

import pytest
import robots.reference  # tests/ is on sys.path (tests/conftest.py)

from scrapecheck import Guard
from scrapecheck.guard import _guard
from scrapecheck.robots import _match

from .conftest import _DEEP
from .test_guard_hostile import _problem
from .test_index_hostile import _fast_matches

SEEDS = range(150 if _DEEP else 3)
AGENT = "FooBot/1.0"
ORIGINS = ["https://a.example", "http://b.example", "https://c.example"]
_LITERALS = ["x", ".pdf", "?sid=", "=1", "/z", "ab", "-", "a/b", "%2F", "q"]
_FLOATING = ["Disallow: /*.pdf$", "Disallow: /*?sid=", "Allow: /*?sid=ok", "Disallow: /*/z/", "Disallow: /*%C3%A9",
             "Disallow: /*-x", "Allow: /*.pdf?", "Disallow: /*;p"]


def _body(r: random.Random, count: int) -> tuple[str, list[str]]:
    """(a body naming ``count`` first segments, those segments): each with its own rules (prefix, "$", a literal
    glob, the leaf name alone), a few with many heads below them, and floating globs."""
    lines = ["User-agent: " + r.choice(["*", "FooBot"])]
    names = [f"w{n}" for n in range(count)]
    for name in names:
        for _ in range(r.randint(1, 3)):
            kind = "Allow" if r.random() < 0.3 else "Disallow"
            tail = r.choice(["/", "/", "", "$", "/$", "/*" + r.choice(_LITERALS), "*" + r.choice(_LITERALS) + "$",
                             "?", "/" + r.choice(_LITERALS), "/*"])
            lines.append(f"{kind}: /{name}{tail}")
    for name in r.sample(names, min(3, count)):  # many heads below: looked up one segment deeper
        for n in range(r.randint(4, 12)):
            kind = "Allow" if r.random() < 0.2 else "Disallow"
            lines.append(f"{kind}: /{name}/v{n}{r.choice(['/', '', '$', '/*x', '/u/'])}")
    lines += r.sample(_FLOATING, r.randint(0, 4))
    if r.random() < 0.2:
        lines.append(r.choice(["Disallow: /", "Allow: /"]))
    rules = lines[1:]
    r.shuffle(rules)
    return "\n".join(lines[:1] + rules) + "\n", names


def _path(r: random.Random, names: list[str]) -> str:
    name = r.choice(names) if r.random() < 0.8 else r.choice(["w", "w1x", "zz", "w%31", "W1", "\u00e9", "%C3%A9"])
    lit = r.choice(_LITERALS)
    k = r.random()
    if k < 0.3:  # a leaf: the name alone, then a query, fragment or nothing
        return "/" + name + r.choice(["", "", "?q", "?sid=1", "#f", "#/z/", "?a/b", lit, "$", ";p", "%41", "\u00e9"])
    if k < 0.55:  # under a head below the segment
        return f"/{name}/v{r.randrange(14)}" + r.choice(["", "/", "/x", "/u/", "?q", "#f", "/" + lit, lit])
    if k < 0.7:  # a literal across the segment's "/"
        cut = r.randrange(len(lit) + 1)
        return f"/{name}{lit[:cut]}/{lit[cut:]}" + r.choice(["", "x", "?q", "#f"])
    tail = "/".join(r.choice(["", "a", "b", lit, "v1", "u", "x.pdf", "%2f", "\u00e9"]) for _ in range(r.randint(1, 3)))
    return f"/{name}/{tail}" + r.choice(["", "", "?sid=ok", "?q", "#f", lit, "$", "*"])


def _check_table(guard: Guard, caps: tuple[int, int]) -> list[str]:
    """The table holds keys of cached origins only, each origin within the caps."""
    problems = []
    owned: set[str] = set()
    for entry in guard._entries.values():
        owned.update(entry.segments)
        if len(entry.segments) > caps[0] or entry.leaves > caps[1]:
            problems.append(f"{entry.origin}: {len(entry.segments)} segments, {entry.leaves} leaves over {caps}")
    stray = set(guard._segments) - owned
    if stray:
        problems.append(f"keys of no cached origin: {sorted(stray)[:3]}")
    return problems


@pytest.mark.parametrize(("tier", "max_origins", "caps", "extra"),
                         [(None, 1000, (12, 4), 0), (None, 2, (12, 4), 0), ("uncompiled", 1000, (6, 2), 0),
                          ("compiled", 1000, (40, 10), 0), (None, 1000, (6, 2), 9), (None, 2, (4, 1), 30)])
def test_a_full_segment_table_answers_as_the_reference(tier: str | None, max_origins: int, caps: tuple[int, int],
                                                       extra: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """``extra``: the keys an origin gets on top of the caps, one per literal head of its rules (at most this many,
    a third of them leaves: ``_MAX_EXTRA_SEGMENTS``), raised mid-stream once its index is built."""
    monkeypatch.setattr(_match, "FORCE_TIER", tier)
    monkeypatch.setattr(_match, "_SCAN_BASE", 3)  # the index (and so the table) from the first few URLs on
    monkeypatch.setattr(_match, "_SCAN_PER_RULE", 1)
    monkeypatch.setattr(_guard, "_MAX_SEGMENTS", caps[0])
    monkeypatch.setattr(_guard, "_MAX_LEAVES", caps[1])
    monkeypatch.setattr(_guard, "_MAX_EXTRA_SEGMENTS", extra)  # 0: the caps as given, whatever the rules' heads
    monkeypatch.setattr(_guard, "_DEEPER_HEADS", 3)
    monkeypatch.setattr(robots.reference, "matches", _fast_matches)
    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed * 31 + caps[0])
        made = {origin: _body(r, r.choice([5, 20, 60])) for origin in ORIGINS}
        bodies = {origin: body for origin, (body, _) in made.items()}
        guard = Guard.from_robots(AGENT, "research", bodies, max_origins=max_origins)
        urls = [r.choice([origin, origin, origin.upper()]) + _path(r, made[origin][1])
                for origin in ORIGINS for _ in range(60)]
        for _ in range(3):  # learnt while there is room, then answered from the table or by the matcher
            r.shuffle(urls)
            for url in urls:
                origin = url[: url.index("/", 8)].lower()
                problem = _problem(bodies[origin], AGENT, url, guard.check(url), "check")
                if problem:
                    failures.append(f"seed {seed}: {problem}")
        bound = (caps[0] + extra, caps[1] + extra // _guard._EXTRA_PER_LEAF)
        failures += [f"seed {seed}: {p}" for p in _check_table(guard, bound)]
    assert not failures, "\n".join(failures[:4])
