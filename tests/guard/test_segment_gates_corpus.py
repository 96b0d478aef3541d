"""The Guard's segment table against the matcher on real files: every URL of protego's corpus files
(``benchmarks/robots/corpus``) and hostile paths made from each file's own rules (escapes, "$" and "*" written into the
path, non-ASCII characters, fragments and queries, very long paths, paths that end exactly at a segment's or a head's
boundary) gets from the table exactly what ``RuleSet.check_path`` answers, and a refusal names the rule
``decide_path`` names. Each URL is checked three times: loaded and learnt, then answered from the table (a
segment's own answer, its gate, or the gate of the head below it the path starts with: ``Through.subs``)."""

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
TAILS = ("", "x", "/", "/x", "/x/y", "%2F", "%2f", "%41b", "\u00e9", "%C3%A9", "#f", "#/x", "?q=1", "?", "$", "*",
         "x$", ".pdf", ".php?x=1#y", "/index.html", "a" * 3000)


@pytest.fixture(params=["uncompiled", "compiled"])
def indexed(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Rule sets built with their index at once (the table learns gates only from an index)."""
    monkeypatch.setattr(_match, "FORCE_TIER", request.param)
    yield request.param


def _paths(body: bytes, rng: random.Random, limit: int) -> list[str]:
    """Paths from the file's own patterns: each head (the literal before a "*" or "$"), each of its prefixes that ends
    a segment, and the patterns filled in, each with hostile tails."""
    stems = {"/", "/robots.txt"}
    for m in _RULE.finditer(body):
        pattern = m.group(1).decode("utf-8", "replace")
        pattern = pattern if pattern.startswith("/") else "/" + pattern
        head = pattern.split("*")[0].rstrip("$")
        stems.update((head, head[:-1] or "/", pattern.replace("*", "zz").rstrip("$"), pattern))
        stems.update(head[: i + 1] for i, ch in enumerate(head) if ch == "/")  # segment boundaries
    stems_list = sorted(stems)
    paths = [stem + tail for stem in stems_list for tail in TAILS]
    rng.shuffle(paths)
    return paths[:limit]


def _files() -> list[Path]:
    files = sorted(CORPUS.glob("*.txt"))
    assert len(files) >= 40
    return files


def test_the_segment_table_answers_as_check_path_on_the_corpus(indexed: str) -> None:
    rng = random.Random(21)
    subs_answered = checked = 0
    for file in _files():
        body = file.read_bytes()
        matcher = RobotsPolicy.parse(body).matcher(UA)
        guard = Guard.from_robots(UA, "other", {"https://a.example": body})
        paths = _paths(body, rng, 700)
        for path in paths:
            url = "https://a.example" + path
            for _ in range(3):
                decision = guard.check(url)
            expected, rule = matcher.decide_path(path)
            assert decision.allowed is matcher.check_path(path) is expected, (file.name, path)
            if not expected:
                assert decision.reasons[0].line == rule.line, (file.name, path)  # type: ignore[union-attr]
            checked += 1
        for value in guard._segments.values():
            if type(value) is Through and value.subs:
                subs_answered += sum(1 for _, keys, _ in value.subs if keys is not None)
    assert checked > 20_000
    assert subs_answered > 50  # heads below a segment with gates of their own occur throughout the corpus


def test_a_head_below_a_segment_is_answered_by_its_own_gate(indexed: str) -> None:
    """Under /a/ (allowed), /a/b (refused by line 3) and, under it, /a/b/c/ (allowed) and /a/b/d*.pdf (refused by line
    5): a URL starting with a head below the segment gets that head's answer, and the deciding line of the deepest
    head, from the table; one holding that head's literal gets the matcher's."""
    body = ("User-agent: *\nAllow: /a/\nDisallow: /a/b\nAllow: /a/b/c/\nDisallow: /a/b/d*.pdf\n"
            "Disallow: /*?sessionid=\n")
    guard = Guard.from_robots(UA, "other", {"https://a.example": body})
    matcher = RobotsPolicy.parse(body).matcher(UA)
    cases = {"/a/x": (True, None), "/a/b": (False, 3), "/a/bx/1": (False, 3), "/a/b/c/1": (True, None),
             "/a/b/c": (False, 3), "/a/b/d/1.pdf": (False, 5), "/a/b/d/1.pdfx": (False, 5), "/a/b/d/1.pd": (False, 3),
             "/a/b/c/x.pdf": (True, None),
             "/a/b/c/?sessionid=1": (False, 6), "/a/b/x?sessionid=1": (False, 6), "/a/b/d%41.pdf": (False, 5),
             "/a/b/c/\u00e9": (True, None), "/a/b#x": (False, 3), "/a/#b": (True, None)}
    for path, (allowed, line) in cases.items():
        for _ in range(3):
            decision = guard.check("https://a.example" + path)
        assert decision.allowed is allowed is matcher.check_path(path), path
        assert (decision.reasons[0].line if not allowed else None) == line, path
    through = guard._segments["https://a.example/a/"]
    assert type(through) is Through and through.below == ("/a/b", "/a/b/c/", "/a/b/d")
    heads = [head for head, _, _ in through.subs]
    assert heads == ["/a/b/d", "/a/b/c/", "/a/b"]  # deepest first
    assert all(keys is not None for _, keys, _ in through.subs)


def test_a_leaf_and_the_root_answered_by_the_gate_of_their_query(indexed: str) -> None:
    """A leaf's URLs ("/name", "/name#f", "/name?q") and the root's ("/", "/#f", "/?q") get the gate of the name and a
    "?" only when the name itself is allowed: "/shop" and "/" refused exactly ("$"), their queries allowed."""
    body = ("User-agent: *\nDisallow: /shop$\nDisallow: /$\nDisallow: /*?sessionid=\nDisallow: /cart?x\n"
            "Allow: /cart?x=1\nDisallow: /a\nAllow: /a?\n")
    guard = Guard.from_robots(UA, "other", {"https://a.example": body})
    matcher = RobotsPolicy.parse(body).matcher(UA)
    paths = [name + tail for name in ("/shop", "/", "/cart", "/free", "/a", "/robots.txt")
             for tail in ("", "#f", "#?sessionid=", "?", "?q", "?sessionid=1", "?x", "?x=1", "?x=2#f", "?\u00e9",
                          "?%41")]
    for path in paths:
        for _ in range(3):
            decision = guard.check("https://a.example" + path)
        expected, rule = matcher.decide_path(path)
        assert decision.allowed is expected, path
        if not expected:
            assert decision.reasons[0].line == rule.line, path  # type: ignore[union-attr]
    table = guard._segments
    assert table["https://a.example/cart"].literals == ("?sessionid=",) and table["https://a.example/cart"].below
    assert table["https://a.example/free"].literals == ("?sessionid=",)
    for key in ("https://a.example/shop", "https://a.example/"):  # refused as a name: the matcher decides each
        assert type(table[key]) is Through and table[key].literals is None, key
