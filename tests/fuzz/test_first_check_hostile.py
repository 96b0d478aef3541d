"""Hostile differential review of a rule set's *first* check (2efa692: a rule set of at most ``_SCAN_MIN_RULES``
rules answers it straight from its columns, with nothing set up, and builds its index on the second): every
check here is the first of a freshly parsed file, through ``check``, ``check_path`` or ``is_allowed``, then a
second one on the same rule set (the hand-over to the index), each compared with the slow reference
(``tests/robots/reference.py``). Files of the hostile shapes (random bits, many globs under one head, deep prefix
chains, many rules per head, derived ``index.htm`` rules) on both sides of the rule-count threshold.

Each case is seeded (the seed is in the failure message); ``SCRAPECHECK_FUZZ=deep`` runs many more seeds.
"""

from __future__ import annotations

import random

import pytest
from robots.reference import allowed as reference  # tests/ is on sys.path (tests/conftest.py)

from scrapecheck.robots import RobotsPolicy, _policy

from .conftest import _DEEP
from .test_index_hostile import _body, _path, _segments
from .test_matcher_hostile import _AGENTS, _robots, _url

SEEDS = range(4000 if _DEEP else 300)


@pytest.fixture(autouse=True)
def _fresh() -> None:
    _policy._PARSED.clear()


def test_first_and_second_checks_of_fresh_rule_sets_answer_as_the_reference() -> None:
    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed)
        if seed % 2:
            body, agent, pieces, shape = _robots(r), r.choice(_AGENTS), None, ""
        else:
            shape = ["anchors", "quick", "nest", "dups"][seed // 2 % 4]
            body, agent = _body(r, shape), "FooBot/1.0"
            pieces = _segments(body)
        for _ in range(3):
            path = _path(r, shape, pieces) if pieces is not None else "/" + _url(r).partition("://")[2].partition("/")[2]
            urls = [r.choice(["https://h", "http://h.example", ""]) + path, "https://h" + _path(r, shape, pieces)
                    if pieces is not None else _url(r)]
            how = r.choice(["check", "check_path", "is_allowed"])
            matcher = RobotsPolicy.parse(body).matcher(agent)
            policy = RobotsPolicy.parse(body)
            for n, url in enumerate(urls):
                expected, _ = reference(body, agent, url if how != "check_path" else "http://h" + path)
                if how == "check":
                    got = matcher.check(url)
                elif how == "check_path":
                    got = matcher.check_path(path)
                else:
                    got = policy.is_allowed(agent, url)
                if got is not expected:
                    failures.append(f"seed {seed}: {['first', 'second'][n]} {how}({url[:80]!r}) for {agent!r} gave "
                                    f"{got}, reference {expected}; robots.txt {body[:1500]!r}")
    assert not failures, "\n".join(failures[:5])
