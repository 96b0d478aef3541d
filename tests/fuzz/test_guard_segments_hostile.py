"""Hostile differential review of the Guard's segment table (``Guard._learn``, ``RuleSet.prefix_gate``): many URLs
under a few first path segments of each origin, so each segment is learned once and then answers from the table,
with the rules' own literals glued into the paths (the gate's literals), escapes in both cases, non-ASCII
characters, fragments and queries inside and after the first segment. Every answer, and the deciding line of
every refusal, is compared with the slow reference (``tests/robots/reference.py``) on the origin's body; rule sets
of the shapes of ``test_index_hostile`` (many globs under one head, deep prefix chains, many rules per head, quick
heads around their limit), in each forced tier, switching tiers mid-stream, with caches smaller than the number
of origins, and from threads.

Each case is seeded (the seed is in the failure message); ``SCRAPECHECK_FUZZ=deep`` runs many more seeds.
"""

from __future__ import annotations

import random

import pytest
import robots.reference  # tests/ is on sys.path (tests/conftest.py)

from scrapecheck import Guard
from scrapecheck._url import origin as url_origin
from scrapecheck.robots import _match

from .conftest import _DEEP
from .test_guard_hostile import _problem
from .test_index_hostile import _body, _fast_matches, _segments
from .test_matcher_hostile import _robots, race

SEEDS = range(300 if _DEEP else 6)
HOSTS = ["a.example", "b.example", "c.example", "127.0.0.1"]
AGENT = "FooBot/1.0"
_SHAPES = ["anchors", "quick", "nest", "dups", "random", "segments", "segments"]


def _segmented(r: random.Random) -> str:
    """A few first segments, each with at most eight heads under it (what the gate looks at), mostly Disallow
    rules with different lines (a shared refusal must name the rule that decides each URL), a few globs (the
    gate's literals), "$" rules and the odd Allow."""
    lines = ["User-agent: " + r.choice(["*", "FooBot"])]
    for segment in r.sample(["/s/", "/t/", "/a/", "/x/", "/ab/", "/pro/"], r.randint(1, 3)):
        for _ in range(r.randint(1, 7)):
            tail = r.choice(["", "a", "b", "ab", "a/", "b/c", "index.html", "%2F", "*x", "*.pdf$", "*/q*z", "c$",
                             "*", "$"])
            kind = "Allow" if r.random() < 0.15 else "Disallow"
            lines.append(f"{kind}: {segment if r.random() < 0.8 else segment[:-1]}{tail}")
    if r.random() < 0.5:  # a segment with more than eight heads below it: looked up by its first two segments
        segment = r.choice(["/m/", "/s/"])
        for i in range(r.randint(9, 14)):
            kind = "Allow" if r.random() < 0.1 else "Disallow"
            lines.append(f"{kind}: {segment}{r.choice(['w', 'p', 'q'])}{i}{r.choice(['/', '/', '/', '', '/*z', '$'])}")
    rules = lines[1:]
    r.shuffle(rules)
    return "\n".join(lines[:1] + rules) + "\n"


def _bodies(r: random.Random) -> dict[str, str | bytes]:
    out: dict[str, str | bytes] = {}
    for scheme in ("http", "https"):
        for host in HOSTS:
            shape = r.choice(_SHAPES)
            out[url_origin(f"{scheme}://{host}/")] = (_robots(r) if shape == "random" else _segmented(r)
                                                      if shape == "segments" else _body(r, shape))
    return out


def _first_segments(r: random.Random, pieces: list[str]) -> list[str]:
    """A few first segments per origin, most taken from the rules' heads ("/a/" of "/a/b*"), some odd."""
    found = []
    for piece in pieces:
        if piece.startswith("/") and "/" in piece[1:]:
            found.append(piece[: piece.index("/", 1) + 1])
    odd = ["/a/", "/x/", "/robots.txt/", "/%7e/", "/%7E/", "/\u00e9/", "/a?q=/", "/a;p/", "//", "/ab/", "/tree/",
           "/pro/", "/x/y/"]
    return r.sample(found, min(3, len(found))) + r.sample(odd, 3)


def _tail(r: random.Random, pieces: list[str]) -> str:
    tail = ""
    for _ in range(r.randint(0, 3)):
        tail += r.choice(["", "", "x", "-", "/", "q/"]) + r.choice(pieces + ["index.html", "a", "b", "%2f", "%2F"])
    tail += r.choice(["", "", "/", "$", "?q=1", "#/x", "#" + r.choice(pieces), "\u00e9", "%c3%a9", "%C3%A9"])
    return tail.lstrip("/") if r.random() < 0.5 else tail


def _stream(seed: int, guard: Guard, bodies: dict[str, str | bytes], count: int) -> list[str]:
    r = random.Random(seed)
    plan = {}
    for origin, body in bodies.items():
        pieces = _segments(body)
        plan[origin] = (pieces, _first_segments(r, pieces))
    spellings = {origin: [origin, origin.upper() if "[" not in origin else origin,
                          origin + (":443" if origin.startswith("https") else ":80")] for origin in bodies}
    found = []
    for _ in range(count):
        origin = r.choice(list(bodies))
        pieces, segments = plan[origin]
        segment = r.choice(segments)
        under = [piece[len(segment) :] for piece in pieces if piece.startswith(segment)]
        if under and r.random() < 0.5:  # the rest of a rule under this segment, then anything
            tail = r.choice(under) + r.choice(["", "", "x", "/", "a", "?q", "#", "%C3%A9", "\u00e9"])
        else:
            tail = _tail(r, pieces)
        url = r.choice(spellings[origin]) + segment + tail
        decision = guard.check(url)
        problem = _problem(bodies[origin], AGENT, url, decision, "check")
        if problem:
            found.append(f"seed {seed}: {problem[:3000]}")
    return found


@pytest.fixture
def switching(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rule sets leave the scan after a few checks (the segment table is filled only once a rule set has its
    index) and compile a few checks later; anchor indexes are built after a node's third visit."""
    monkeypatch.setattr(_match, "_SCAN_BASE", 3)
    monkeypatch.setattr(_match, "_SCAN_PER_RULE", 1)
    monkeypatch.setattr(_match, "_SAVED_PER_CHECK", 0.4e-3)
    monkeypatch.setattr(_match, "_ANCHOR_MIN_VISITS", 3)
    monkeypatch.setattr(robots.reference, "matches", _fast_matches)


@pytest.mark.parametrize(("tier", "max_origins"), [(None, 2), (None, 1000), ("uncompiled", 1000), ("grams", 3),
                                                   ("compiled", 1000)])
def test_segment_table_answers_as_the_reference(tier: str | None, max_origins: int, switching: None,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_match, "FORCE_TIER", tier)
    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed * 13 + 1)
        bodies = _bodies(r)
        guard = Guard.from_robots(AGENT, "research", bodies, max_origins=max_origins)
        failures += _stream(seed, guard, bodies, 250)
    assert not failures, "\n".join(failures[:4])


def test_segment_table_shared_by_threads_answers_as_the_reference(switching: None) -> None:
    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed * 17 + 3)
        bodies = _bodies(r)
        guard = Guard.from_robots(AGENT, "research", bodies, max_origins=3)
        failures += race(lambda k: _stream(seed * 10 + k, guard, bodies, 120))  # noqa: B023 (joined in the loop)
    assert not failures, "\n".join(failures[:4])
