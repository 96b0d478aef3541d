"""Hostile differential review of the parse's two readers: a small file is read whole (``_read_small``), a large
one (over 4 KiB, or holding a NUL) by its group structure first and each group's rules on first use
(``_read_structure`` then ``_read_rules``). The same records are given to both, with every spelling of a key that
robots.cc accepts or rejects (prefix keys, typos, no colon, whitespace and comments around the key, a key inside a
value or a comment, NULs, lines past robots.cc's line buffer), and each reader's answers, deciding lines and
groups are compared with the slow reference (``tests/robots/reference.py``).

Each case is seeded (the seed is in the failure message); ``SCRAPECHECK_FUZZ=deep`` runs many more seeds.
"""

from __future__ import annotations

import random

import pytest
from robots.reference import allowed as reference  # tests/ is on sys.path (tests/conftest.py)

from scrapecheck.robots import RobotsPolicy, _policy

from .conftest import _DEEP

SEEDS = range(1500 if _DEEP else 40)

_UA_KEYS = ["User-agent", "user-agent", "USER-AGENT", "useragent", "User agent", "user-agentx", "User-Agent ",
            " \t\x0b\x0cUser-agent", "User-agent\t", "#User-agent", "User-agen", "User_agent", "Useragent-x",
            "\x00User-agent"]
_RULE_KEYS = ["Disallow", "disallow", "DISALLOW", "Allow", "allow", "Dissallow", "Disalow", "Disallaw", "Diasllow",
              "Disallowed", "Allowance", " Disallow", "Dis allow", "Disallow\t", "Allo", "#Disallow", "Disallow\x00"]
_OTHER = ["Sitemap: https://h/s.xml", "Crawl-delay: 3", "Host: h", "Noindex: /x", "Request-rate: 1/5",
          "foo: bar", "Sitemap: /user-agent: FooBot", "", "  ", "\t", "#", "# User-agent: FooBot",
          "# Disallow: /", ":", "::", ": /x", "Disallow", "User-agent", "\x0c"]
_AGENT_VALUES = ["FooBot", "foobot", "FooBot/1.0", "FooBot-Extra", "Foo", "*", "* FooBot", "*FooBot", "FooBot*",
                 "BarBot", "Mozilla/5.0 (compatible; FooBot/1.0)", "", "FooBot # the bot", "Foo Bot", "\u00e9Bot",
                 "FooBot\x00BarBot", "*\x00"]
_AGENTS = ["FooBot", "FooBot/2.1 (+https://foo.example)", "foobot-extra", "BarBot",
           "Mozilla/5.0 (compatible; FooBot/1.0; +https://foo.example/bot)", "Other", "Foo"]
_PATTERN_BITS = ["/", "/a", "/b", "*", "$", "%2f", "\u00e9", "x", "/user-agent", "#c", " ", "/p q", "\x00z"]


def _value(r: random.Random) -> str:
    return "/" + "".join(r.choice(_PATTERN_BITS) for _ in range(r.randint(0, 4))) if r.random() < 0.9 else ""


def _separator(r: random.Random) -> str:
    return r.choice([": ", ":", " :", ":\t", " ", "\t", "  ", ": ", ": "])


def _line(r: random.Random) -> str:
    k = r.random()
    if k < 0.3:
        return r.choice(_UA_KEYS) + _separator(r) + r.choice(_AGENT_VALUES)
    if k < 0.85:
        return r.choice(_RULE_KEYS) + _separator(r) + _value(r) + r.choice(["", "", " # note", "\t#x", " extra"])
    return r.choice(_OTHER)


def _body(r: random.Random) -> str:
    lines = []
    for _ in range(r.randint(1, 5)):  # mostly group-shaped: agents, then rules
        lines += ["User-agent: " + r.choice(_AGENT_VALUES) for _ in range(r.randint(0, 2))]
        lines += [_line(r) for _ in range(r.randint(0, 8))]
    return r.choice(["\n", "\r\n", "\r"]).join(lines) + r.choice(["", "\n"])


def _large(r: random.Random, body: str) -> str:
    """``body`` with the same records made too large for the small reader: a long comment line or a long rule
    line put somewhere (before, between or after the records, never changing what any record says)."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    at = r.randint(0, len(lines))
    filler = r.choice(["#" + "p" * r.randint(4100, 6000), "x" * r.randint(4100, 20_000), " " * 4500,
                       "Crawl-delay: " + "9" * 4200, "Disallow: /" + "L" * r.randint(16_600, 16_700)])
    return "\n".join(lines[:at] + [filler] + lines[at:])


def _urls(r: random.Random) -> list[str]:
    base = ["/", "/a", "/b", "/a/b", "/ab", "/%2F", "/%2f", "/\u00e9", "/x", "/user-agent", "/p%20q", "/p q",
            "/robots.txt", "/L", "/" + "L" * 16_700]
    return [r.choice(["https://h", "http://h:80", ""]) + r.choice(base) + r.choice(["", "x", "/", "$", "#c"])
            for _ in range(10)]


@pytest.fixture(autouse=True)
def _fresh() -> None:
    _policy._PARSED.clear()


@pytest.mark.parametrize("size", ["small", "large"])
def test_both_readers_answer_as_the_reference(size: str) -> None:
    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed)
        body = _body(r)
        if size == "large":
            body = _large(r, body)
        data: str | bytes = body.encode("utf-8") if r.random() < 0.5 else body.encode("latin-1", "replace")
        policy = RobotsPolicy.parse(data)
        for agent in _AGENTS:
            for url in _urls(r):
                expected, line = reference(data, agent, url)
                verdict = policy.explain(agent, url)
                got = (policy.is_allowed(agent, url), verdict.allowed, verdict.line or 0,
                       policy.matcher(agent).decide(url)[0])
                if got != (expected, expected, line, expected):
                    failures.append(f"seed {seed} ({size}): {agent!r} {url[:60]!r} gave {got}, reference "
                                    f"{(expected, line)}; robots.txt {data[:2000]!r}")
    assert not failures, "\n".join(failures[:4])


def _shape(policy: RobotsPolicy) -> list[object]:
    return [(g.agents, g.agent_lines, [(x.allow, x.pattern, x.line) for x in g.rules]) for g in policy.groups]


def test_a_large_copy_has_the_small_ones_groups_and_lines() -> None:
    """The structure reader finds the same groups (agents, agent lines, rules with their lines) as the small
    reader, on the same records shifted by one padding line."""
    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed)
        body = _body(r)
        lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        large = "\n".join(lines + ["#" + "p" * 5000])  # padding last: line numbers stay the same
        small_policy, large_policy = RobotsPolicy.parse(body), RobotsPolicy.parse(large)
        small, big = _shape(small_policy), _shape(large_policy)
        if small != big or small_policy.user_agents != large_policy.user_agents:
            failures.append(f"seed {seed}: small {small} large {big}; robots.txt {body!r}")
        for agent in _AGENTS:
            a, b = small_policy.matcher(agent), large_policy.matcher(agent)
            if [(x.allow, x.pattern, x.line) for x in a.rules] != [(x.allow, x.pattern, x.line) for x in b.rules]:
                failures.append(f"seed {seed}: {agent!r} rules differ; robots.txt {body!r}")
    assert not failures, "\n".join(failures[:4])
