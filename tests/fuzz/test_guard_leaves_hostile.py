"""Hostile differential review of the Guard's segment table on a path's *last* segment and its deeper levels (the
table looks URLs up by "scheme://authority/segment/" and, for a last segment, by its name up to the query or
fragment): URLs whose last segment is followed by "?", "#", a "?" inside the fragment ("/name#f?q"), a "/" inside
the query or fragment, an escape or params; names that a rule ends on ("/name$"), that extend one, or that only
share its first characters; and segments with many heads below them, down to four levels. Each URL comes back
many times (learnt, then answered from the table), from one Guard over three origins, with room for all of them
or for one (evictions). Every answer and the deciding line of every refusal is compared with the slow reference
(``tests/robots/reference.py``) on the origin's body.

Each case is seeded (the seed is in the failure message); ``SCRAPECHECK_FUZZ=deep`` runs many more seeds.
"""

from __future__ import annotations

import random

import pytest
import robots.reference  # tests/ is on sys.path (tests/conftest.py)

from scrapecheck import Guard

from .conftest import _DEEP
from .test_guard_hostile import _problem
from .test_index_hostile import _fast_matches

SEEDS = range(120 if _DEEP else 4)
AGENT = "FooBot/1.0"
ORIGINS = ["https://a.example", "http://b.example", "https://127.0.0.1"]
_NAMES = ["name", "names", "nam", "na", "Name", "n%61me", "name.pdf", "name.PDF", "w1", "w12", "p3", "x", "index.html",
          "robots.txt", "%C3%A9", "\u00e9", "q"]
_AFTER = ["", "", "?", "?q", "?q=/a/", "#", "#f", "#f?q", "#?", "?q#f", "#f/g?h", "?a/b#c", ";p", ";p?q", "%2F", "%2f",
          "/"]
_DIRS = ["/", "/", "/m/", "/m/w1/", "/m/p3/", "/a/b/", "/a/b/c/", "/a/b/c/d/", "/s/", "//"]


def _body(r: random.Random) -> str:
    """Rules that end on a name ("$"), that extend it, that hold "?" right after it, and directories with many
    heads below them (looked up one segment deeper, down to four levels)."""
    lines = ["User-agent: " + r.choice(["*", "FooBot"])]
    for directory in r.sample(_DIRS[1:], r.randint(2, 5)):
        for _ in range(r.randint(1, 4)):
            name = r.choice(_NAMES[:10])
            tail = r.choice(["$", "", "?", "?q", ".pdf$", "*$", "s", "/"])
            lines.append(f"{r.choice(['Disallow', 'Disallow', 'Allow'])}: {directory}{name}{tail}")
    for directory in ("/m/", "/a/b/c/"):  # more than eight heads below: looked up deeper
        for i in range(r.randint(9, 13)):
            lines.append(f"{'Allow' if r.random() < 0.2 else 'Disallow'}: {directory}{r.choice('wpq')}{i}"
                         f"{r.choice(['/', '', '$', '?'])}")
    if r.random() < 0.5:
        lines.append(r.choice(["Disallow: /", "Allow: /", "Disallow: /*?", "Disallow: /*.pdf$"]))
    rules = lines[1:]
    r.shuffle(rules)
    return "\n".join(lines[:1] + rules) + "\n"


def _pool(r: random.Random) -> list[str]:
    return [r.choice(ORIGINS).replace("a.example", r.choice(["a.example", "A.EXAMPLE", "a.example:443"]))
            + r.choice(_DIRS) + r.choice(_NAMES) + r.choice(_AFTER) for _ in range(90)]


@pytest.mark.parametrize("max_origins", [1, 10])
def test_last_segments_and_deep_segments_answer_as_the_reference(max_origins: int,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(robots.reference, "matches", _fast_matches)
    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed)
        bodies = {origin: _body(r) for origin in ORIGINS}
        guard = Guard.from_robots(AGENT, "research", bodies, max_origins=max_origins)
        pool = _pool(r)
        for _ in range(500):
            url = r.choice(pool)
            origin = next(o for o in ORIGINS if url.lower().replace(":443", "").startswith(o))
            problem = _problem(bodies[origin], AGENT, url, guard.check(url), "check")
            if problem:
                failures.append(f"seed {seed}: {problem}")
    assert not failures, "\n".join(failures[:4])
