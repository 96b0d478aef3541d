"""Hostile differential review of ``RuleSet.literal_check`` (b0ab8ff: what the Guard's segment table calls for a path
under a segment that holds one of its gate's literals), beyond the corpus of ``tests/guard/test_literal_check_corpus``:
synthetic rule sets whose globs share, nest and overlap their literals ("ab" in "xaby", literals sharing a long
prefix), "$" ends, Allow and Disallow globs of equal and different lengths, heads below the prefix with globs of
their own, escapes and non-ASCII characters in the rules. Paths under each prefix hold none, one or many of the
literals (so many sets of several that the check's per-set memo fills and the rest go to the matcher), in the
fragment only, with their escapes in lower case or one of their characters escaped, next to non-ASCII characters.
Each answer must be ``check_path``'s; the memo stays within its bound; one check shared by threads answers alike.

Each case is seeded (the seed is in the failure message); ``SCRAPECHECK_FUZZ=deep`` runs many more seeds.
"""

from __future__ import annotations

import random
import threading

import pytest

from scrapecheck.robots import RobotsPolicy, _match

from .conftest import _DEEP
from .test_matcher_hostile import race

SEEDS = range(150 if _DEEP else 6)
UA = "FooBot/1.0"
_LITERALS = ["ab", "xaby", "b", ".json", ".json?", "/edit", "/edit/", "?sort=", "?sort=asc", "%C3%A9", "\u00e9x", "~u",
             "%7Eu", "=1", "/-/blame/", "/-/blame/x", "/-/commits/", "k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"]
_HEADS = ["/", "/s/", "/s/a", "/s/ab/", "/s/b/", "/t/", "/t/x/y/", "/s/\u00e9/", "/s/%7E/", "/s/a b/"]


def _body(r: random.Random) -> tuple[str, list[str]]:
    """(a body, its literals): globs over a pool of literals under a few heads, "$" ends, both verdicts."""
    lines = ["User-agent: *"]
    literals = r.sample(_LITERALS, r.randint(4, len(_LITERALS)))
    for _ in range(r.randint(6, 30)):
        head = r.choice(_HEADS)
        parts = r.sample(literals, r.choice([1, 1, 1, 2, 3]))
        pattern = head + "*" + "*".join(parts) + r.choice(["", "", "$", "*"])
        lines.append(("Allow: " if r.random() < 0.35 else "Disallow: ") + pattern)
    for head in r.sample(_HEADS, 3):
        lines.append(("Allow: " if r.random() < 0.3 else "Disallow: ") + head + r.choice(["", "$", "x"]))
    rules = lines[1:]
    r.shuffle(rules)
    return "\n".join(lines[:1] + rules) + "\n", literals


def _paths(r: random.Random, prefix: str, literals: list[str], count: int) -> list[str]:
    paths = []
    for _ in range(count):
        path = prefix
        for literal in r.sample(literals, min(len(literals), r.choice([0, 1, 1, 2, 2, 3, 4, 6]))):
            way = r.random()
            if way < 0.6:
                path += r.choice(["", "", "x", "/", "a"]) + literal
            elif way < 0.7:
                path += literal.lower()  # escapes in lower case
            elif way < 0.8 and literal.isascii():
                i = r.randrange(len(literal))
                path += literal[:i] + "%{:02x}".format(ord(literal[i])) + literal[i + 1 :]
            elif way < 0.9:
                path += "#" + literal  # only in the fragment
            else:
                path += literal[: len(literal) // 2] + r.choice(literals)  # overlapping another
        path += r.choice(["", "", "/", "$", "*", "?q", "#f", "\u00e9", "%c3%a9", ";p"])
        paths.append(path)
    return paths


@pytest.mark.parametrize("tier", ["uncompiled", "compiled"])
def test_literal_check_answers_as_check_path(tier: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_match, "FORCE_TIER", tier)
    failures: list[str] = []
    filled = built = 0
    for seed in SEEDS:
        r = random.Random(seed)
        body, literals = _body(r)
        matcher = RobotsPolicy.parse(body).matcher(UA)
        for prefix in _HEADS[1:] + ["/s/x", "/u/", "/t/x/"]:
            check = matcher.literal_check(prefix)
            if check is None:
                if prefix.isascii() and "%" not in prefix:
                    failures.append(f"seed {seed}: no literal_check for {prefix!r}")
                continue
            for path in _paths(r, prefix, literals, 120):
                got, expected = check(path), matcher.check_path(path)
                if got is not expected:
                    failures.append(f"seed {seed}: literal_check({prefix!r})({path!r}) is {got}, check_path "
                                    f"{expected}; robots.txt {body!r}")
            state = check.__self__  # type: ignore[attr-defined]
            built += state.literals is not None
            several = len(getattr(state, "several", ()))
            filled += several == _match._LITERAL_SETS
            if several > _match._LITERAL_SETS:
                failures.append(f"seed {seed}: {several} sets kept for {prefix!r}")
    assert not failures, "\n".join(failures[:4])
    assert built > 10 and filled > 2, (built, filled)  # the memo of several literals filled, and went on


def test_literal_checks_shared_by_threads_answer_as_check_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fresh checks (their state is built on the first call) called by four threads at once: a thread may find the
    state half built by another, and the several-literal memo filled by all."""
    monkeypatch.setattr(_match, "FORCE_TIER", "uncompiled")
    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed + 1000)
        body, literals = _body(r)
        matcher = RobotsPolicy.parse(body).matcher(UA)
        checks = [(prefix, matcher.literal_check(prefix)) for prefix in ("/s/", "/t/", "/s/a") for _ in range(15)]
        paths = {prefix: _paths(r, prefix, literals, 40) for prefix in ("/s/", "/t/", "/s/a")}
        expected = {path: matcher.check_path(path) for group in paths.values() for path in group}
        start = threading.Barrier(4)

        def run(k: int) -> list[str]:
            found = []
            start.wait()  # noqa: B023 (joined in the loop)
            for prefix, check in checks:  # noqa: B023
                assert check is not None
                for path in random.Random(k).sample(paths[prefix], 10):  # noqa: B023
                    try:
                        if check(path) is not expected[path]:  # noqa: B023
                            found.append(f"seed {seed}: literal_check({prefix!r})({path!r})")  # noqa: B023
                    except Exception as exc:  # noqa: BLE001 - a thread's exception is a finding, not a crash
                        found.append(f"seed {seed}: literal_check({prefix!r})({path!r}) raised {exc!r}")  # noqa: B023
            return found

        failures += race(run)
    assert not failures, "\n".join(failures[:4])
