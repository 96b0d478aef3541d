"""Hostile differential review of group selection in files with many groups: hundreds of groups, the agent named in
many of them (merged, RFC 9309 §2.2.1), the ``*`` group several times, agents sharing a group with others, groups
with no rules, user-agent lines last, other records between user-agent lines and inside groups, and files large
enough for the structure reader. Every answer and deciding line is compared with the slow reference
(``tests/robots/reference.py``), and ``crawl_delay`` with a literal statement of issue 10's rule: a Crawl-delay
applies to the agents of the user-agent lines it follows (the run of them before it, with no other record between).

Each case is seeded (the seed is in the failure message); ``SCRAPECHECK_FUZZ=deep`` runs many more seeds.
"""

from __future__ import annotations

import math
import random

import pytest
from robots.reference import allowed as reference  # tests/ is on sys.path (tests/conftest.py)
from robots.reference import key_value

from scrapecheck.robots import RobotsPolicy, _policy
from scrapecheck.robots._syntax import extract_agent, product_token, split_lines, strip_bom, to_latin1

from .conftest import _DEEP

SEEDS = range(600 if _DEEP else 12)
_NAMES = ["FooBot", "foobot", "FooBot/2.0", "BarBot", "*", "Baz", "FooBot-News", "Foo", "* ", "FOOBOT"]
_AGENTS = ["FooBot", "BarBot/1.1", "Mozilla/5.0 (compatible; FooBot/1.0; +https://foo.example/bot)", "Qux", "Baz",
           "foobot-news"]
_DELAYS = ["1", "2.5", "0", "-1", "x", "", "3 s", "inf", "nan", "1e400", "7"]


def _body(r: random.Random) -> str:
    lines: list[str] = []
    for _ in range(r.randint(20, 300)):
        for _ in range(r.randint(1, 3)):
            lines.append("User-agent: " + r.choice(_NAMES))
            if r.random() < 0.15:
                lines.append("Crawl-delay: " + r.choice(_DELAYS))
        for _ in range(r.choice([0, 1, 1, 2, 3, 5])):
            k = r.random()
            if k < 0.75:
                lines.append(f"{r.choice(['Allow', 'Disallow'])}: /{r.choice(['a', 'b', 'c', ''])}{r.randint(0, 9)}"
                             f"{r.choice(['', '/', '*', '$'])}")
            elif k < 0.9:
                lines.append(r.choice(["Crawl-delay", "crawl-delay", "Request-rate"]) + ": " + r.choice(_DELAYS))
            else:
                lines.append(r.choice(["Sitemap: https://h/s.xml", "# a comment", "", "Host: h"]))
    if r.random() < 0.3:
        lines.append("User-agent: " + r.choice(_NAMES))  # a group with no rules, last
    return "\n".join(lines) + "\n"


def _crawl_delay(body: str, user_agent: str) -> float | None:
    """Issue 10: the first valid Crawl-delay that follows a run of user-agent lines naming the agent's token (or,
    when no line names it, a run holding ``*``). A record before any user-agent line belongs to no group."""
    text, _ = to_latin1(body)
    token = product_token(user_agent).lower()

    def names(value: str) -> bool:
        return not (value[:1] == "*" and (len(value) == 1 or value[1] in " \t")) and \
            extract_agent(value).lower() == token

    def is_global(value: str) -> bool:
        return value[:1] == "*" and (len(value) == 1 or value[1] in " \t")

    records = [kv for kv in map(key_value, split_lines(strip_bom(text))) if kv is not None]
    specific = bool(token) and any(k.lower().startswith(("user-agent", "useragent", "user agent")) and names(v)
                                   for k, v in records)
    run: list[str] = []
    run_open = seen_agent = False
    for key, value in records:
        key = key.lower()
        if key.startswith(("user-agent", "useragent", "user agent")):
            if not run_open:
                run, run_open = [], True
            run.append(value)
            seen_agent = True
            continue
        run_open = False
        if key != "crawl-delay" or not seen_agent:
            continue
        if not (any(map(names, run)) if specific else any(map(is_global, run))):
            continue
        try:
            delay = float(value.split()[0]) if value.strip() else math.nan
        except ValueError:
            continue
        if math.isfinite(delay) and delay >= 0:
            return delay
    return None


@pytest.fixture(autouse=True)
def _fresh() -> None:
    _policy._PARSED.clear()


def test_many_merged_groups_answer_as_the_reference() -> None:
    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed)
        body = _body(r)
        policy = RobotsPolicy.parse(body.encode() if r.random() < 0.5 else body)
        for agent in _AGENTS:
            matcher = policy.matcher(agent)
            for _ in range(12):
                url = r.choice(["https://h", ""]) + f"/{r.choice(['a', 'b', 'c', 'd'])}{r.randint(0, 9)}" + \
                    r.choice(["", "/", "x", "$"])
                expected, line = reference(body, agent, url)
                verdict = policy.explain(agent, url)
                allowed, rule = matcher.decide(url)
                got = (matcher.check(url), allowed, 0 if rule is None else rule.line, verdict.allowed,
                       verdict.line or 0)
                if got != (expected, expected, line, expected, line):
                    failures.append(f"seed {seed}: {agent!r} {url!r} gave {got}, reference {(expected, line)}")
    assert not failures, "\n".join(failures[:5])


def test_crawl_delay_follows_the_user_agent_lines_it_comes_after() -> None:
    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed)
        body = _body(r)
        policy = RobotsPolicy.parse(body)
        for agent in _AGENTS:
            expected, got = _crawl_delay(body, agent), policy.crawl_delay(agent)
            if expected != got:
                failures.append(f"seed {seed}: crawl_delay({agent!r}) gave {got}, expected {expected}")
    assert not failures, "\n".join(failures[:5])
