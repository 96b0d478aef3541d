"""``RuleSet.literal_check``, what the Guard's segment table calls for a URL holding one of its gate's literals (or
under a segment without a gate): on every file of protego's corpus (``benchmarks/robots/corpus``), for every prefix
ending a segment of a rule's head, it answers exactly as ``check_path`` for hostile paths made from the file's own
rules (escapes, "$" and "*" written into the path, non-ASCII characters, "%", fragments, long paths, paths ending at a
segment's or head's boundary) and for paths made of the prefix and the literals it looks for: one literal, two (its
per-set tests), overlapping ones, at the very start and end of what follows the prefix, only in the fragment. Then the
Guard over the same file answers those URLs as ``decide_path`` (verdict and deciding line)."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Iterator

import pytest

from scrapecheck import Guard
from scrapecheck.guard._decision import Through
from scrapecheck.robots import RobotsPolicy, _match

UA = "AcmeBot/1.0"
CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "robots" / "corpus"
_RULE = re.compile(rb"^\s*(?:dis)?allow\s*:?\s*(\S+)", re.IGNORECASE | re.MULTILINE)
TAILS = ("", "x", "/", "/x/y", "%2F", "%41b", "%c3%a9", "\u00e9", "#f", "#/x", "?q=1", "$", "*", ".pdf",
         ".php?x=1#y", "a" * 2100)


@pytest.fixture(params=["uncompiled", "compiled"])
def indexed(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(_match, "FORCE_TIER", request.param)
    yield request.param


def _prefixes(body: bytes) -> list[str]:
    """Each rule's head cut after each of its "/" (segments, as the Guard's table keys them), and its leaf."""
    found = {"/"}
    for m in _RULE.finditer(body):
        pattern = m.group(1).decode("utf-8", "replace")
        head = (pattern if pattern.startswith("/") else "/" + pattern).split("*")[0].rstrip("$")
        found.update(head[: i + 1] for i, ch in enumerate(head) if ch == "/")
        found.add(head)
    return sorted(found)


def _literal_paths(prefix: str, literals: tuple[str, ...], rng: random.Random) -> list[str]:
    """Paths holding the literals in every way that matters to which rules are let in."""
    paths = []
    for literal in literals:
        other = rng.choice(literals)
        paths += [prefix + literal, prefix + literal + "/x", prefix + "x" + literal, prefix + "x/" + literal + "$",
                  prefix + "x" + literal + ".pdf", prefix + "#" + literal, prefix + literal + other,
                  prefix + literal[:-1] + other, prefix + other + "/" + literal + "?q", prefix + literal + "%41",
                  prefix + literal + "\u00e9", prefix + "a" * 2100 + literal]
    return paths


def test_literal_check_answers_as_check_path_on_the_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_match, "FORCE_TIER", "uncompiled")  # (its state is the index's in either tier)
    rng = random.Random(5)
    checked = several = built = refusing = 0
    for file in sorted(CORPUS.glob("*.txt")):
        body = file.read_bytes()
        matcher = RobotsPolicy.parse(body).matcher(UA)
        prefixes = _prefixes(body)
        stems = [p for p in prefixes if not p.endswith("/")] + prefixes
        for prefix in prefixes:
            check = matcher.literal_check(prefix)
            if check is None:
                continue
            state = check.__self__
            paths = [prefix + tail for tail in TAILS] + [s + t for s in stems if s.startswith(prefix)
                                                          for t in rng.sample(TAILS, 3)]
            check(prefix)  # builds its state
            if state.literals is not None:
                built += 1
                refusing += state.refusing
                paths += _literal_paths(prefix, state.literals, rng)
            for path in paths:
                assert check(path) is matcher.check_path(path), (file.name, prefix, path)
                checked += 1
            several += len(getattr(state, "several", ()))
    assert checked > 20_000 and built > 500 and refusing > 100  # (refusing: every rule there refuses)
    assert several > 50  # paths holding several literals are decided by their own tests


def test_the_guard_answers_literal_paths_as_decide_path(indexed: str) -> None:
    rng = random.Random(8)
    for name in ("gitlab.txt", "www.unicef.org.txt", "www.w3.org.txt", "www.agoda.com.txt", "wikipedia.txt",
                 "www.tsa.gov.txt", "drafthouse.com.txt", "www.patagonia.com.txt", "www.ebay.co.uk.txt"):
        body = (CORPUS / name).read_bytes()
        matcher = RobotsPolicy.parse(body).matcher(UA)
        guard = Guard.from_robots(UA, "other", {"https://a.example": body})
        paths = []
        for prefix in _prefixes(body):
            check = matcher.literal_check(prefix)
            if check is not None:
                check(prefix)
                literals = check.__self__.literals or ()
                paths += _literal_paths(prefix, literals, rng)[:40]
                paths += [prefix + "z/" + literal + "#1" for literal in literals]
        for path in paths:
            url = "https://a.example" + path
            for _ in range(3):
                decision = guard.check(url)
            expected, rule = matcher.decide_path(path)
            assert decision.allowed is expected, (name, path)
            if not expected:
                assert decision.reasons[0].line == rule.line, (name, path)  # type: ignore[union-attr]


def test_literal_check_decides_from_the_rules_its_literals_let_in(indexed: str) -> None:
    """Under /a/: /*/tickets/ (refused, line 2) unless the longer /*/tickets/*.js is in it (allowed, line 3), /a/ (line
    4) refused as a whole but for /a/*.css$ (line 5); /a/b (line 6, below the prefix). A key every path under /a/ holds
    ("/a/") is always let in; "head$" only on its head; no rule: allowed."""
    body = ("User-agent: *\nDisallow: /*/tickets/\nAllow: /*/tickets/*.js\nDisallow: /a/\nAllow: /a/*.css$\n"
            "Allow: /a/b\nDisallow: /a/b/c$\nDisallow: /*/a/\n")
    matcher = RobotsPolicy.parse(body).matcher(UA)
    check = matcher.literal_check("/a/")
    cases = {"/a/": False, "/a/x": False, "/a/x.css": True, "/a/x.css#f": True, "/a/x.cssx": False,
             "/a/tickets/": False, "/a/x/tickets/1.js": True, "/a/x/tickets/1.css": False, "/a/b": True,
             "/a/b/c": False, "/a/b/c#x": False, "/a/b/c/": True, "/a/b/tickets/": False, "/a/b/tickets/.js": True,
             "/a/%62": False, "/a/x/%74ickets/": False, "/a/\u00e9.css": True, "/a/#/tickets/": False,
             "/a/a/": False, "/a/x/a/x.css": True}
    for path, allowed in cases.items():
        assert check(path) is allowed is matcher.check_path(path), path
    state = check.__self__
    assert set(state.literals) == {"/tickets/", ".css"}  # a rule's key is its longest literal segment
    assert state.by_literal[".css"] != state.tests  # tests of its own
    assert state.several  # "/a/x/tickets/1.js" holds two literals


def test_a_segment_without_a_gate_gets_one_from_its_literals(indexed: str) -> None:
    """/tickets/ has no gate (every path there holds /*/tickets/'s literal), but its paths holding no "/tickets/x" are
    allowed whichever rule matches: the table answers those, and the rules that literal lets in the others; /account/
    (two refusing rules, one of them a glob) is refused by the rule each path names."""
    body = ("User-agent: *\nAllow: /*/tickets/\nDisallow: /*/tickets/x$\nDisallow: /b\nDisallow: /account/\n"
            "Disallow: /*/account/\n")
    guard = Guard.from_robots(UA, "other", {"https://a.example": body})
    matcher = RobotsPolicy.parse(body).matcher(UA)
    assert matcher.prefix_gate("/tickets/") is None and matcher.prefix_gate("/account/") is None
    paths = ["/tickets/", "/tickets/a", "/tickets/a/tickets/x", "/tickets/a/tickets/x#f", "/tickets/x", "/tickets/x/",
             "/tickets/%41/tickets/x", "/tickets/\u00e9/tickets/x", "/tickets/a/tickets/xy", "/account/",
             "/account/a/account/", "/account/x#/account/", "/b/tickets/x"]
    for path in paths:
        for _ in range(3):
            decision = guard.check("https://a.example" + path)
        expected, rule = matcher.decide_path(path)
        assert decision.allowed is expected, path
        if not expected:
            assert decision.reasons[0].line == rule.line, path  # type: ignore[union-attr]
    through = guard._segments["https://a.example/tickets/"]
    assert type(through) is Through and through.literals == ("/account/", "/tickets/x") and through.answer is through.route
    assert type(guard._segments["https://a.example/account/"]) is Through


def test_a_glob_whose_longest_segment_every_path_holds_is_let_in_by_its_next(indexed: str) -> None:
    """Under /core/, /*/core/*.css$ (allowed) needs "/core/" (every path there holds it) and ".css": it is let in by
    ".css", so a path holding none is refused by /core/ without a test; /blog/*/*? needs "/" and "?": the paths holding
    neither "?" nor "/core/" are all allowed."""
    body = "User-agent: *\nAllow: /*/core/*.css$\nDisallow: /core/\nDisallow: /blog/*/*?\nDisallow: /*/core/\n"
    matcher = RobotsPolicy.parse(body).matcher(UA)
    core = matcher.literal_check("/core/")
    paths = ["/core/", "/core/a", "/core/a.css", "/core/x/core/a.css", "/core/x/core/a.cssx", "/core/core/a.css",
             "/core/a.css#f", "/core/x/core/a.css#f"]
    for path in paths:
        assert core(path) is matcher.check_path(path), path
    state = core.__self__
    assert state.literals == (".css",) and state.tests is False
    blog = matcher.literal_check("/blog/")
    for path in ("/blog/", "/blog/a/b", "/blog/a/b?q", "/blog/?q", "/blog/a?q", "/blog/a/?", "/blog/a/b#?"):
        assert blog(path) is matcher.check_path(path), path
    assert blog.__self__.literals == ("/core/", "?") and blog.__self__.tests is True
    assert matcher.literal_gate("/blog/")[1] == ("/core/", "?")  # type: ignore[index]
