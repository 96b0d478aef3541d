"""Hostile differential review of a *large* rule set's first checks and of long paths in the scan: files of 150 to
700 rules (around the scan's rule-count threshold and far past it), whose first few checks of each fresh parse
are answered before any lookup is built, then by the scan's lookups, then by the index; globs whose literal parts
hold characters rare in paths ("?", "=", "_", "%", upper case, digits) or common ones, "$" ends, ``index.htm``
Allows, "Disallow: /" and "Allow: /"; paths up to 20,000 characters (past the scan's long-path prefilter) that hold
a glob's parts, all but one of them, or only their rarest character. Every public answer and deciding line is
compared with the slow reference (``tests/robots/reference.py``).

Each case is seeded (the seed is in the failure message); ``SCRAPECHECK_FUZZ=deep`` runs many more seeds.
"""

from __future__ import annotations

import random

import pytest
import robots.reference
from robots.reference import allowed as reference  # tests/ is on sys.path (tests/conftest.py)

from scrapecheck.robots import RobotsPolicy, _match, _policy

from .conftest import _DEEP
from .test_index_hostile import _fast_matches

SEEDS = range(150 if _DEEP else 5)
AGENT = "FooBot/1.0"
_PARTS = ["?id=", "=1", "_x", "%2F", "%C3%A9", "Q", "Zz", "7", "/a", "/e/", "ta", "x.php", ".pdf", "-", "~u"]
_HEADS = ["/", "/a", "/a/", "/e/t", "/shop/", "/s", "/x_y/", "/p%2F", "/Q/"]


def _pattern(r: random.Random) -> str:
    head = r.choice(_HEADS) + (str(r.randrange(400)) if r.random() < 0.6 else "")
    k = r.random()
    if k < 0.45:
        return head + r.choice(["", "", "/", "$"])
    parts = [r.choice(_PARTS) for _ in range(r.randint(1, 3))]
    return head + "*" + "*".join(parts) + r.choice(["", "", "$", "*", "*$"])


def _body(r: random.Random) -> tuple[str, list[str]]:
    count = r.choice([150, 151, 152, 200, 400, 700])
    patterns = [_pattern(r) for _ in range(count)]
    lines = ["User-agent: " + r.choice(["*", "FooBot"])]
    lines += [f"{'Allow' if r.random() < 0.25 else 'Disallow'}: {p}" for p in patterns]
    lines += r.sample(["Allow: /a/index.html", "Allow: /shop/*/index.htm", "Disallow: /", "Allow: /", "Disallow: /*?",
                       "Allow: /*.pdf$"], r.randint(0, 3))
    rules = lines[1:]
    r.shuffle(rules)
    return "\n".join(lines[:1] + rules) + "\n", patterns


def _path(r: random.Random, patterns: list[str]) -> str:
    if r.random() < 0.08:  # where a derived ".../$" rule (from an index.htm Allow) may decide
        return r.choice(["/a/", "/shop/z/", "/shop/"])
    anchored = r.choice(patterns)
    pattern = anchored.rstrip("$")
    pieces = pattern.split("*")
    k = r.random()
    if k < 0.3:  # all but one of its parts
        if len(pieces) > 2:
            del pieces[r.randrange(1, len(pieces))]
    elif k < 0.45:  # only the rarest-looking character of a part
        pieces = [pieces[0]] + [p[-1:] for p in pieces[1:]]
    fill = r.choice(["", "z", "/b/", "e" * r.randint(1, 40)])
    path = fill.join(pieces) if pieces[0] else "/" + fill.join(pieces)
    if r.random() < 0.5:  # long: past the scan's prefilter length, inside the pattern's span or after it
        filler = r.choice(["e", "/ta", "x", "Q", "?"]) * r.choice([2049, 2100, 5000, 20_000])
        at = r.randint(len(pieces[0]), len(path))
        path = path[:at] + filler + path[at:]
    if anchored.endswith("$") and r.random() < 0.7:
        return path  # ends where the "$" says
    return path + r.choice(["", "", "$", "?q=1", "#f", "/index.html", "x"])


def _line(rule: _match.Rule | None) -> int:
    return 0 if rule is None else rule.line


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(robots.reference, "matches", _fast_matches)
    _policy._PARSED.clear()


@pytest.mark.parametrize("tier", [None, "scan"])
def test_first_checks_of_large_rule_sets_and_long_paths_answer_as_the_reference(
        tier: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_match, "FORCE_TIER", tier)
    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed)
        body, patterns = _body(r)
        for _ in range(8):  # fresh parses: each stream starts with the first checks
            _policy._PARSED.clear()
            policy = RobotsPolicy.parse(body)
            matcher = policy.matcher(AGENT)
            for n in range(4):
                path = _path(r, patterns)
                expected, line = reference(body, AGENT, "http://h" + path)
                how = r.randrange(5)
                if how == 0:
                    got: object = matcher.check("https://h" + path)
                    ok = got is expected
                elif how == 1:
                    got = matcher.check_path(path)
                    ok = got is expected
                elif how == 2:
                    allowed, rule = matcher.decide("http://h" + path)
                    got = (allowed, _line(rule))
                    ok = got == (expected, line)
                elif how == 3:
                    allowed, rule = matcher.decide_path(path)
                    got = (allowed, _line(rule))
                    ok = got == (expected, line)
                else:
                    got = policy.is_allowed(AGENT, "https://h" + path)
                    ok = got is expected
                if not ok:
                    name = ["check", "check_path", "decide", "decide_path", "is_allowed"][how]
                    failures.append(f"seed {seed}: check {n + 1} {name}({path[:100]!r}, {len(path)} chars) gave {got}, "
                                    f"reference {(expected, line)}; robots.txt {body[:1200]!r}")
    assert not failures, "\n".join(failures[:4])
