"""Hostile differential review of the uncompiled tier's index at its thresholds: rule sets shaped to reach each
of its inner paths (anchor indexes built after a node's 32nd visit, the q-gram prefilter on long paths, quick
heads at and past their limit, deep prefix chains past the compiler's depth, many rules per head, derived
``index.htm`` rules), which the random files of ``test_matcher_hostile`` rarely reach. Every public answer is
compared with the slow reference (``tests/robots/reference.py``) in each forced tier, in streams that cross the
switch points, and from threads sharing one fresh rule set.

Each case is seeded (the seed is in the failure message); ``SCRAPECHECK_FUZZ=deep`` runs many more seeds.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterator

import pytest
import robots.reference
from robots.reference import allowed as reference  # tests/ is on sys.path (tests/conftest.py)

from scrapecheck.robots import RobotsPolicy, _match, _policy

from .conftest import _DEEP
from .test_matcher_hostile import race

SEEDS = range(400 if _DEEP else 8)
AGENT = "FooBot/1.0"

# Path tokens shared by the rules and the paths, so that anchors, literals and heads are hit often.
_WORDS = ["ab", "abcd", "abcde", "commits", "commit", "x", "pro", "profiles", "tree", "t", "a%2F", "%C3%A9", "\u00e9",
          "%e9", "index.html", "index.htm", "robots.txt", "", "*", "$", "a$", "q=1", "p;x", "edit"]


def _word(r: random.Random) -> str:
    return r.choice(_WORDS)


def _glob(r: random.Random) -> str:
    """A pattern with a literal head, then "*" parts whose literals hold "/"-separated tokens (anchors)."""
    head = r.choice(["/", "/", "/a/", "/pro", "/x/y/", "/ab", "", "/tree/"])
    parts = []
    for _ in range(r.randint(1, 3)):
        token = "/".join(_word(r) for _ in range(r.randint(1, 3)))
        parts.append(r.choice(["/", ""]) + token + r.choice(["/", "", ".css", ""]))
    tail = r.choice(["", "", "$", "*", "*$"])
    return head + "*" + "*".join(parts) + tail


def _plain(r: random.Random) -> str:
    return "/" + "/".join(_word(r) for _ in range(r.randint(0, 4))) + r.choice(["", "", "/", "$"])


def _rules(r: random.Random, shape: str) -> list[str]:
    lines: list[str] = []
    if shape == "anchors":  # one node with many globs to test: anchor index after 32 visits
        for _ in range(r.randint(16, 48)):
            lines.append(r.choice(["Disallow", "Allow"]) + ": " + _glob(r))
        for _ in range(r.randint(0, 10)):
            lines.append(r.choice(["Disallow", "Allow"]) + ": " + _plain(r))
    elif shape == "quick":  # Disallow heads around the one-call limit (24), some with escapes
        count = r.choice([1, 2, 23, 24, 25, 26, 95, 97, 120])
        for i in range(count):
            lines.append(f"Disallow: /{r.choice(['d', 'e', 'a%2F', 'ab'])}{i}{r.choice(['', '/', '$', '*x'])}")
        for _ in range(r.randint(0, 4)):
            lines.append("Allow: " + _plain(r))
    elif shape == "nest":  # deep prefix chains (past the regex compiler's depth limit)
        depth = r.choice([8, 30, 61, 70])
        segment = r.choice(["a/", "a", "ab/", "%2F"])
        for k in range(1, depth + 1):
            pattern = "/" + segment * k
            lines.append(f"{'Allow' if k % r.choice([2, 3]) else 'Disallow'}: {pattern}{r.choice(['', '', '$', '*b'])}")
    elif shape == "dups":  # many rules per head, repeated rules of both kinds, derived index.htm rules
        base = [_plain(r) for _ in range(r.randint(2, 6))] + [_glob(r) for _ in range(r.randint(1, 4))]
        base += [p + "index.html" for p in ("/", "/a/", "/*/", "/a*/")] + ["/a/index.htm$", ""]
        for _ in range(r.randint(8, 40)):
            lines.append(r.choice(["Disallow", "Allow", "allow", "DISALLOW"]) + ": " + r.choice(base))
    else:  # grams: many floating globs (the q-gram prefilter is used on long paths)
        for i in range(r.randint(130, 220)):
            lines.append(f"{r.choice(['Disallow', 'Disallow', 'Allow'])}: /*{r.choice(_WORDS[:10])}{i:03d}"
                         f"{r.choice(['', '$', '/', '*z'])}")
    r.shuffle(lines)
    head = ["User-agent: FooBot"] if r.random() < 0.7 else ["User-agent: *"]
    if r.random() < 0.3:  # split over two groups that merge for FooBot
        cut = len(lines) // 2
        lines = lines[:cut] + ["", "User-agent: BarBot", "Disallow: /bar", "", "User-agent: foobot"] + lines[cut:]
    return head + lines


def _body(r: random.Random, shape: str) -> str | bytes:
    text = "\n".join(_rules(r, shape)) + "\n"
    return text.encode("latin-1", "replace") if r.random() < 0.3 else text


def _segments(body: str | bytes) -> list[str]:
    """The literal pieces of the file's patterns (between "*"s, "$" dropped): paths built from them reach the
    rules' tests, where random paths mostly stop at a literal prefilter."""
    text = body.decode("latin-1") if isinstance(body, bytes) else body
    pieces = []
    for line in text.split("\n"):
        if line.lower().startswith(("allow:", "disallow:")):
            pieces += [p.rstrip("$") for p in line.split(":", 1)[1].strip().split("*") if p.strip("$")]
    return pieces or ["/"]


def _built(r: random.Random, pieces: list[str]) -> str:
    """A path made of a few of ``pieces``, glued directly or by a short filler (so a piece's token may start
    inside a path token)."""
    path = r.choice(["", "/", "/ab", "/x/y/", "/tree/", "/pro"])
    for _ in range(r.randint(1, 3)):
        path += r.choice(["", "", "/", "x", "-", "/q/"]) + r.choice(pieces)
    path += r.choice(["", "", "/", "#/x", "?q=1", "$"])
    return path if path.startswith("/") else "/" + path


def _path(r: random.Random, shape: str, pieces: list[str]) -> str:
    if r.random() < 0.4:
        return _built(r, pieces)
    if shape == "grams" and r.random() < 0.08:
        return "/" + "q" * r.randint(15_000, 40_000) + r.choice(_WORDS[:10]) + f"{r.randrange(220):03d}" \
            + r.choice(["", "z", "/", "#x"])
    if shape == "nest" and r.random() < 0.5:
        return "/" + r.choice(["a/", "a", "ab/", "%2f", "%2F"]) * r.randint(0, 75) + r.choice(["", "b", "$", "#", "/"])
    if shape == "quick" and r.random() < 0.5:
        return f"/{r.choice(['d', 'e', 'a%2F', 'a%2f', 'ab', 'a/'])}{r.randrange(130)}{r.choice(['', '/', 'x', '#'])}"
    path = "/" + _word(r)
    for _ in range(r.randint(0, 6)):  # words glued to each other too: tokens that hold a literal's token inside
        path += r.choice(["/", "/", "/", "", "-", "x"]) + _word(r)
    return path + r.choice(["", "", "/", ".css", "?q=1", "#frag/commits/"])


def _line(rule: _match.Rule | None) -> int:
    return 0 if rule is None else rule.line


def _stream(seed: int, shape: str, policy: RobotsPolicy, body: str | bytes, count: int) -> Iterator[str]:
    """Every public answer on one rule set, in turn; a message per disagreement with the reference."""
    r = random.Random(seed * 104729 + 7)
    matcher = policy.matcher(AGENT)
    hosts = ["https://h", "http://h.example", "https://h.example:8443", "HTTP://H"]
    pieces = _segments(body)
    for _ in range(count):
        path = _path(r, shape, pieces)
        kind = r.randrange(6)
        url = path if kind >= 4 else r.choice(hosts) + path
        expected, line = reference(body, AGENT, url if kind < 4 else "http://h" + path)
        if kind == 0:
            got: object = matcher.check(url)
            ok = got is expected
        elif kind == 1:
            allowed, rule = matcher.decide(url)
            got = (allowed, _line(rule))
            ok = got == (expected, line)
        elif kind == 2:
            verdict = policy.explain(AGENT, url)
            got = (verdict.allowed, verdict.line or 0)
            ok = got == (expected, line)
        elif kind == 3:
            got = policy.is_allowed(AGENT, url)
            ok = got is expected
        elif kind == 4:
            got = matcher.check_path(path)
            ok = got is expected
        else:
            allowed, rule = matcher.decide_path(path)
            got = (allowed, _line(rule))
            ok = got == (expected, line)
        if not ok:
            name = ["check", "decide", "explain", "is_allowed", "check_path", "decide_path"][kind]
            yield (f"seed {seed} ({shape}): {name}({url[:100]!r}) gave {got}, reference {(expected, line)} in tier "
                   f"{matcher.tier}; robots.txt {body if len(body) < 3000 else body[:3000]!r}")


SHAPES = ["anchors", "quick", "nest", "dups", "grams"]

_REGEXES: dict[str, Callable[[str], object]] = {}


def _fast_matches(path: str, pattern: str) -> bool:
    """``reference.matches`` through Python's regex engine (its position sets cost too much on 40 KB paths)."""
    match = _REGEXES.get(pattern)
    if match is None:
        anchored = pattern.endswith("$")
        body = pattern[:-1] if anchored else pattern
        source = ".*".join(map(re.escape, body.split("*"))) + (r"\Z" if anchored else "")
        match = _REGEXES[pattern] = re.compile(source, re.DOTALL).match
    return match(path) is not None


def test_the_fast_reference_matches_as_the_reference() -> None:
    r = random.Random(5)
    bits = ["/", "a", "b", "*", "$", "%2F"]
    for _ in range(3000):
        pattern = "".join(r.choice(bits) for _ in range(r.randint(0, 6)))
        path = "/" + "".join(r.choice(bits) for _ in range(r.randint(0, 8)))
        assert _fast_matches(path, pattern) is robots.reference.matches(path, pattern), (path, pattern)


@pytest.fixture
def fresh() -> Iterator[None]:
    _policy._PARSED.clear()
    yield
    _policy._PARSED.clear()


def _run(shape: str, count: int, seeds: range, each: Callable[[int, RobotsPolicy, str | bytes], list[str]]) -> None:
    failures: list[str] = []
    for seed in seeds:
        r = random.Random(seed * 31 + SHAPES.index(shape))
        body = _body(r, shape)
        failures += each(seed, RobotsPolicy.parse(body), body)
    assert not failures, "\n".join(failures[:4])


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("tier", ["scan", "uncompiled", "grams", "compiled"])
def test_index_thresholds_in_each_forced_tier(shape: str, tier: str, monkeypatch: pytest.MonkeyPatch,
                                              fresh: None) -> None:
    monkeypatch.setattr(_match, "FORCE_TIER", tier)
    monkeypatch.setattr(robots.reference, "matches", _fast_matches)
    count = 30 if shape == "grams" else 90
    _run(shape, count, SEEDS, lambda seed, policy, body: list(_stream(seed, shape, policy, body, count)))


@pytest.mark.parametrize("shape", SHAPES)
def test_index_thresholds_in_streams_that_switch_tiers(shape: str, monkeypatch: pytest.MonkeyPatch,
                                                       fresh: None) -> None:
    """Budgets shrunk: each stream starts in the scan, builds the index and compiles (where it may) mid-stream;
    anchors are built after a node's fourth visit."""
    monkeypatch.setattr(_match, "_SCAN_BASE", 3)
    monkeypatch.setattr(_match, "_SCAN_PER_RULE", 1)
    monkeypatch.setattr(_match, "_SAVED_PER_CHECK", 0.4e-3)
    monkeypatch.setattr(_match, "_ANCHOR_MIN_VISITS", 4)
    monkeypatch.setattr(_match, "COMPILE_CAP", 1.0)
    monkeypatch.setattr(_match, "_MAX_COMPILED_RULES", 10_000)
    monkeypatch.setattr(robots.reference, "matches", _fast_matches)
    count = 30 if shape == "grams" else 90
    _run(shape, count, SEEDS, lambda seed, policy, body: list(_stream(seed, shape, policy, body, count)))


@pytest.mark.parametrize("shape", ["anchors", "dups", "nest"])
def test_threads_on_a_fresh_rule_set_build_nodes_and_anchors_as_the_reference(shape: str,
                                                                               monkeypatch: pytest.MonkeyPatch,
                                                                               fresh: None) -> None:
    """Four threads start together on one fresh rule set: nodes, chains, young nodes and anchor indexes are built
    by whichever thread comes first, half-built state is met by the others."""
    monkeypatch.setattr(_match, "_ANCHOR_MIN_VISITS", 3)
    monkeypatch.setattr(_match, "_SCAN_BASE", 3)
    monkeypatch.setattr(_match, "_SCAN_PER_RULE", 1)
    monkeypatch.setattr(_match, "_SAVED_PER_CHECK", 0.4e-3)
    monkeypatch.setattr(robots.reference, "matches", _fast_matches)

    def each(seed: int, policy: RobotsPolicy, body: str | bytes) -> list[str]:
        return race(lambda k: _stream(seed * 10 + k, shape, policy, body, 40))

    _run(shape, 40, SEEDS[: max(1, len(SEEDS) // 2)], each)
