"""Hostile differential review of the Guard on URLs that hold its gates' literals (the URLs the segment table sends
past a segment's one answer: ``RuleSet.prefix_gate``'s literals, then the matcher or a shortcut for the paths under
that segment). Rule sets of the corpus's shapes: many floating globs at the root ("/*.json", "/*?sort=", gitlab's
"/*/-/blame/"), literals sharing a long prefix (looked for by that prefix), literals holding one another, "$" ends,
Allow globs that outrank Disallow ones, a segment whose every path holds a literal (no gate from the walk: one
from ``literal_check``'s literals), and segments with heads below them that carry globs of their own. URLs hold
none, one, two or all of those literals: at the path's start or end, across a "/", inside the query or only in the
fragment, with one of their characters escaped or their escapes in lower case, next to an escape or a non-ASCII
character (rules hold escapes and non-ASCII characters too). Each URL comes back (learnt, then answered from the
table); every answer and every refusal's deciding line is compared with the slow reference
(``tests/robots/reference.py``). Paths holding two of a segment's literals whose shortcut answers agree (both
refused, say) are here on purpose: a shortcut must still see the second literal.

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
#: Globs anywhere (floating), as large sites write them: their literals are the gates' literals of every segment.
_FLOATING = ["/*.json", "/*.json$", "/*?sort=", "/*?page=", "/*/edit", "/*/raw/", "/*/-/blame/", "/*/-/commits/",
             "/*.atom$", "/*;jsessionid", "/*preview=true", "/*theme_preview=true", "/*/index.php?", "/*/Special:",
             "/*&action=", "/*?action=edit", "/*.json?public", "/*?page=1$", "/*x", "/*/z/*q", "/*.pdf*.zip$",
             "/*sessionid", "/*?sessionid=ok", "/*%C3%A9", "/*\u00e9x", "/*%2F", "/*~u", "/*%7Ev"]
_SEGMENTS = ["/s/", "/t/", "/wiki/", "/u/v/", "/api/"]
_RESTS = ["", "", "a", "ab", "a/", "a/b/", "b", "index.php", "Special:", "\u00e9", "%C3%A9b", "%7E", "~"]
_TAILS = ["", "", "", "*x", "*.json", "*.json$", "$", "*?sort=", "*/edit$", "*q*z", "*x$", "?", "*&action=", "/"]


def _body(r: random.Random) -> tuple[str, list[str], list[str]]:
    """(the body, the heads it names, the literals of its globs)."""
    lines = ["User-agent: " + r.choice(["*", "FooBot"])]
    for glob in r.sample(_FLOATING, r.randint(2, 14)):
        lines.append(("Allow: " if r.random() < 0.25 else "Disallow: ") + glob)
    heads = []
    for segment in r.sample(_SEGMENTS, r.randint(1, 3)):
        for rest in r.sample(_RESTS, r.randint(1, 5)):
            head = segment + rest
            heads.append(head)
            for _ in range(r.randint(1, 3)):
                kind = "Allow" if r.random() < 0.3 else "Disallow"
                lines.append(f"{kind}: {head}{r.choice(_TAILS)}")
    if r.random() < 0.5:  # a literal every path under /tickets/ holds (no gate from the walk), allowed but for a few
        heads.append("/tickets/")
        lines += ["Allow: /*/tickets/", f"Disallow: /*/tickets/{r.choice(['x$', 'x', 'edit', '*.json'])}",
                  f"Disallow: /tickets/*{r.choice(['q', 'a$', '.json', 'b/'])}",
                  f"Allow: /tickets/{r.choice(['', 'a', 'z$'])}"]
    if r.random() < 0.3:
        lines.append(r.choice(["Disallow: /", "Allow: /", "Disallow: /*", "Allow: /$", "Disallow: /$"]))
    literals = sorted({piece for line in lines[1:] for piece in line.split(": ", 1)[1].replace("$", "").split("*")[1:]
                       if piece})
    rules = lines[1:]
    r.shuffle(rules)
    return "\n".join(lines[:1] + rules) + "\n", heads, literals


def _url(r: random.Random, origin: str, heads: list[str], literals: list[str]) -> str:
    path = r.choice(heads + ["/", "/x/", "/wiki/", "/s/", "/api/v1/", "/tickets/"])
    for _ in range(r.choice([0, 1, 1, 1, 2, 3])):  # none, one, or several of the literals
        literal = r.choice(literals)
        where = r.random()
        if where < 0.4:
            path += r.choice(["", "", "x", "/", "-"]) + literal
        elif where < 0.6:  # across a "/"
            cut = r.randrange(len(literal) + 1)
            path += literal[:cut] + "/" + literal[cut:]
        elif where < 0.75:
            path += r.choice(["?", "?q=", "&", ";"]) + literal
        elif where < 0.8:
            path += "#" + literal  # only in the fragment: ignored
        elif where < 0.88:  # one of its characters escaped (the same path to the matcher, once decoded)
            i = r.randrange(len(literal))
            escape = "%{:02X}".format(ord(literal[i])) if literal[i].isascii() else literal[i]
            path += literal[:i] + (escape if r.random() < 0.5 else escape.lower()) + literal[i + 1 :]
        elif where < 0.92 and "%" in literal:  # its escapes in lower case
            path += literal.lower()
        else:
            path = literal.lstrip("/") if path.endswith("/") else path + literal  # right after the head
            path = path if path.startswith("/") else "/" + path
    path += r.choice(["", "", "", "/", "x", "?", "?q=1", "#f", "$", "*", ";p", "%2F", "%2f", "%41", "\u00e9", "%C3%A9",
                      "%c3%a9"])
    return r.choice([origin, origin, origin.upper()]) + path


@pytest.mark.parametrize(("tier", "max_origins"), [(None, 1000), (None, 1), ("uncompiled", 1000), ("grams", 1000),
                                                   ("compiled", 1000)])
def test_urls_holding_gate_literals_answer_as_the_reference(tier: str | None, max_origins: int,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_match, "FORCE_TIER", tier)
    monkeypatch.setattr(_match, "_SCAN_BASE", 3)  # the index (and so the table) from the first few URLs on
    monkeypatch.setattr(_match, "_SCAN_PER_RULE", 1)
    monkeypatch.setattr(_match, "_SAVED_PER_CHECK", 0.4e-3)  # with no tier forced: compiled mid-stream
    monkeypatch.setattr(_match, "_ANCHOR_MIN_VISITS", 3)
    monkeypatch.setattr(robots.reference, "matches", _fast_matches)
    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed * 7 + 5)
        made = {origin: _body(r) for origin in ORIGINS}
        bodies = {origin: body for origin, (body, _, _) in made.items()}
        guard = Guard.from_robots(AGENT, "research", bodies, max_origins=max_origins)
        urls = [(origin, _url(r, origin, made[origin][1], made[origin][2])) for origin in ORIGINS for _ in range(60)]
        for _ in range(3):  # learnt, then answered from the table
            r.shuffle(urls)
            for origin, url in urls:
                problem = _problem(bodies[origin], AGENT, url, guard.check(url), "check")
                if problem:
                    failures.append(f"seed {seed}: {problem}")
    assert not failures, "\n".join(failures[:4])


@pytest.mark.parametrize("tier", ["uncompiled", "compiled"])
def test_a_path_holding_two_literals_is_decided_by_both(tier: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Under "/t/" (refused), a path holding "&action=" alone is refused like any other; one holding "?page=" too is
    allowed by "/*?page=" only if that rule outranks "/*&action=", which it does not (shorter)."""
    monkeypatch.setattr(_match, "FORCE_TIER", tier)
    body = "User-agent: FooBot\nDisallow: /*&action=\nAllow: /*?page=\nDisallow: /t/\n"
    guard = Guard.from_robots(AGENT, "research", {"https://a.example": body})
    urls = [f"https://a.example/t/{tail}" for tail in ("&action=?page=", "?page=&action=", "x&action=?page=1#f",
                                                       "?page=", "&action=", "x", "a/?page=2")]
    for _ in range(3):  # learnt, then answered from the table
        for url in urls:
            assert _problem(body, AGENT, url, guard.check(url), "check") is None


@pytest.mark.parametrize("tier", ["uncompiled", "compiled"])
def test_each_literal_of_a_gate_from_literal_check_is_looked_for(tier: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """/tickets/ gets no gate from the walk (every path there holds /*/tickets/'s literal) but one from its rules'
    literals (its paths holding none of them are allowed): each literal alone, anywhere in the path, refuses."""
    monkeypatch.setattr(_match, "FORCE_TIER", tier)
    body = ("User-agent: FooBot\nAllow: /*/tickets/\nDisallow: /*/tickets/x$\nDisallow: /*.json\nDisallow: /*?sort=\n"
            "Disallow: /tickets/*q\nDisallow: /*%C3%A9\nAllow: /tickets/ok\n")
    guard = Guard.from_robots(AGENT, "research", {"https://a.example": body})
    tails = ["a", "a.json", ".json/b", "a?sort=1", "?sort=", "q", "aq/b", "a/tickets/x", "a/tickets/xy", "%C3%A9",
             "%c3%a9", "\u00e9", "ok", "ok.json", "b#.json", "b#q", "b?x#?sort=", "a/b/c"]
    urls = [f"https://a.example/tickets/{tail}" for tail in tails]
    for _ in range(3):  # learnt, then answered from the table
        for url in urls:
            assert _problem(body, AGENT, url, guard.check(url), "check") is None
