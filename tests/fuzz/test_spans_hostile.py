"""Hostile differential review of how a large file's big groups are read: groups of tens to hundreds of rule lines,
most spelled ``Disallow: value`` (the spelling a group's read may take in bulk), with every other spelling mixed in
(no space or two after the colon, a tab, lower case, ``Allow``, a comment after the value or a "#" inside it, a
value holding spaces or the text "Disallow: ", an empty value, comment and blank lines, ``Disallow: `` inside a
comment), lines at robots.cc's line-buffer limit, non-ASCII and escapes, CR, CRLF and LF line ends, a NUL. The
groups, agents, rules and their line numbers of the structure reader (files over 4 KiB) must be those of the whole-
file reader on the same body, and every answer and deciding line those of the slow reference
(``tests/robots/reference.py``).

Each case is seeded (the seed is in the failure message); ``SCRAPECHECK_FUZZ=deep`` runs many more seeds.
"""

from __future__ import annotations

import random

import pytest
import robots.reference
from robots.reference import allowed as reference  # tests/ is on sys.path (tests/conftest.py)

from scrapecheck.robots import RobotsPolicy, _policy, _syntax

from .conftest import _DEEP
from .test_index_hostile import _fast_matches

SEEDS = range(400 if _DEEP else 16)
AGENTS = ["FooBot", "BarBot/2.0", "Mozilla/5.0 (compatible; FooBot/1.0)", "Other"]
LIMIT = _syntax.MAX_LINE_BYTES  # robots.cc's line buffer
_BITS = ["/a", "/b", "/a/b", "/x.pdf", "*", "$", "%2f", "%2F", "\u00e9", "\u20ac", "?q=1", "/Disallow: /z", " ", "\t",
         "=", "/p q"]


def _value(r: random.Random) -> str:
    value = "/" + "".join(r.choice(_BITS) for _ in range(r.randint(0, 4)))
    return value if r.random() < 0.95 else r.choice(["", " ", "\t", "/"])


def _odd(r: random.Random) -> str:
    value = _value(r)
    return r.choice([
        f"Disallow:{value}", f"Disallow:  {value}", f"Disallow:\t{value}", f"disallow: {value}", f"DISALLOW: {value}",
        f"Allow: {value}", f"allow:{value}", f"Disallow: {value} # note", f"Disallow: {value}#x", f"Disallow: /a#{value}",
        f" Disallow: {value}", f"Disallow : {value}", f"Dissallow: {value}", f"Disallow {value}", "", "#",
        f"# Disallow: {value}", "#Disallow: /c", "Crawl-delay: 3", "Sitemap: https://h/s.xml", f"Disallow: {value}   ",
        f"Disallow: {value}\t", "Disallow: ", "Disallow:", "Disallow: #only a comment",
    ])


def _long(r: random.Random) -> str:
    """A rule line whose length is at robots.cc's line-buffer limit, give or take a few bytes."""
    room = LIMIT + r.randint(-2, 3) - len("Disallow: /")
    if r.random() < 0.3:  # two bytes a character (as written into a UTF-8 body)
        return "Disallow: /" + "\u00e9" * (room // 2) + "L" * (room % 2)
    return "Disallow: /" + "L" * room


def _group(r: random.Random, long: bool) -> list[str]:
    lines = ["User-agent: " + a for a in r.sample(["FooBot", "BarBot", "*", "foobot", "Mozilla"], r.randint(1, 2))]
    for _ in range(r.choice([20, 23, 24, 25, 26, 40, 120, 400])):
        k = r.random()
        if k < 0.75:
            lines.append("Disallow: " + _value(r))
        else:
            lines.append(_odd(r))
    if long:  # one line at the limit, somewhere in the group
        lines.insert(r.randint(1, len(lines)), _long(r))
    return lines


def _body(r: random.Random, long: bool) -> bytes:
    """A file over 4 KiB of one to three big groups; ``long``: with lines at robots.cc's line-buffer limit (the
    whole-file reader, made for files of at most 4 KiB, never meets one)."""
    lines: list[str] = []
    if r.random() < 0.3:
        lines += ["# " + "c" * 40] * 3 + ["Sitemap: https://h/s.xml", ""]
    for _ in range(r.randint(1, 3)):
        lines += _group(r, long) + r.choice([[], [""], ["# end"]])
    text = r.choice(["\n", "\r\n", "\r"]).join(lines) + r.choice(["", "\n", "\r\n"])
    while len(text.encode("utf-8")) <= 4200:  # over the whole-file reader's size
        text += "\nDisallow: /pad" + str(len(text))
    if r.random() < 0.05:
        text = text.replace("\nDisallow: /a", "\nDisallow: /a\x00", 1)  # a NUL: robots.cc's string ends there
    return text.encode("utf-8")


def _matches(path: str, pattern: str) -> bool:
    """The reference's matching, with plain patterns (the long lines) as a prefix or equality test."""
    if "*" not in pattern:
        return path == pattern[:-1] if pattern.endswith("$") else path.startswith(pattern)
    return _fast_matches(path, pattern)


def _shape(policy: RobotsPolicy) -> list[object]:
    return [(g.agents, g.agent_lines, [(x.allow, x.pattern, x.line) for x in g.rules]) for g in policy.groups]


@pytest.fixture(autouse=True)
def _fresh() -> None:
    _policy._PARSED.clear()


def test_big_groups_are_read_as_the_whole_file_reader_reads_them(monkeypatch: pytest.MonkeyPatch) -> None:
    failures: list[str] = []
    for seed in SEEDS:
        body = _body(random.Random(seed), False)
        big = RobotsPolicy.parse(body)
        matchers = [(agent, [(x.allow, x.pattern, x.line) for x in big.matcher(agent).rules]) for agent in AGENTS]
        shape = _shape(big)
        with monkeypatch.context() as m:
            m.setattr(_policy, "_SMALL_BYTES", 1 << 30)  # the same body read whole
            whole = RobotsPolicy.parse(body)
            expected = _shape(whole)
            expected_rules = [(agent, [(x.allow, x.pattern, x.line) for x in whole.matcher(agent).rules])
                              for agent in AGENTS]
        if shape != expected:
            diff = next(((a, b) for a, b in zip(shape, expected) if a != b), (shape, expected))
            failures.append(f"seed {seed}: groups differ: {str(diff)[:1500]}")
        if matchers != expected_rules:
            failures.append(f"seed {seed}: an agent's merged rules differ")
    assert not failures, "\n".join(failures[:3])


def test_big_groups_answer_as_the_reference(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(robots.reference, "matches", _matches)
    failures: list[str] = []
    for seed in SEEDS[: max(4, len(SEEDS) // 4)]:
        r = random.Random(seed)
        body = _body(r, True)
        policy = RobotsPolicy.parse(body)
        text = body.decode("utf-8")
        paths = ["/", "/a", "/b", "/a/b", "/x.pdf", "/p%20q", "/Disallow:%20/z", "/pad4300"]
        # Where a long line is cut: what its cut rule matches and the whole rule would not (and the reverse).
        paths += ["/" + "L" * (LIMIT - k) for k in (11, 10)] + ["/" + "%C3%A9" * ((LIMIT - 11) // 2) + "L"]
        paths += ["/" + "".join(r.choice(_BITS).strip() for _ in range(r.randint(1, 3))) for _ in range(6)]
        for agent in r.sample(AGENTS[:3], 2):
            for path in paths:
                url = "https://h" + path
                expected, line = reference(body, agent, url)
                verdict = policy.explain(agent, url)
                got = (verdict.allowed, verdict.line or 0, policy.matcher(agent).check(url))
                if got != (expected, line, expected):
                    failures.append(f"seed {seed}: {agent!r} {path[:80]!r} gave {got}, reference {(expected, line)}; "
                                    f"robots.txt {text[:1500]!r}")
    assert not failures, "\n".join(failures[:3])
