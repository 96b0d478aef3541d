"""RobotsDisallows and the AI-agent opt-outs ask the per-agent matcher first and ``explain`` only for a
disallowed path (issue 10: explain builds the group's Rule objects, a large part of a 50-target check). Their
answers must be those of asking ``explain`` about every path, on every file of the robots corpus."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from scrapecheck.plan import parse_plan
from scrapecheck.policy.kinds import Context, Outcome, RobotsDisallows, TargetView
from scrapecheck.robots import RobotsPolicy, product_token
from scrapecheck.signals.ai_agents import lookup
from scrapecheck.signals.model import RobotsSignal

CORPUS = sorted((Path(__file__).resolve().parent.parent / "benchmarks" / "robots" / "corpus").glob("*.txt"))
AGENTS = ["BenchBot/1.0 (+https://bench.example/bot)", "Googlebot/2.1", "GPTBot/1.2",
          "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "CCBot"]


def _paths(body: bytes) -> list[str]:
    """Generic paths and paths made from the file's own rules (so that some are disallowed)."""
    found = ["/", "/a/", "/private/x", "/docs/file.pdf", "/b/c?d=e", "/robots.txt"]
    for value in re.findall(rb"(?im)^\s*(?:dis)?allow\s*:\s*(/[^\s#]*)", body)[:40]:
        path = value.decode("latin-1").replace("*", "x").rstrip("$")
        if path.startswith("/") and path.isprintable():
            found.append(path)
    return list(dict.fromkeys(found))


def _reference(policy: RobotsPolicy, agent: str, paths: list[str], robots: RobotsSignal) -> Outcome:
    """RobotsDisallows as written before: explain about every path."""
    disallowed, first = [], None
    for path in paths:
        verdict = policy.explain(agent, path)
        if not verdict.allowed:
            disallowed.append(path)
            first = first or verdict
    evidence: dict[str, Any] = {"robots_url": robots.url, "agent": agent, "robots_outcome": robots.outcome}
    if first is None:
        return Outcome(False, evidence)
    evidence["disallowed_paths"] = disallowed
    if first.rule is not None:
        evidence.update(line=first.rule.line, rule=first.rule.text)
    evidence["group"] = ", ".join(first.agent_group) if first.agent_group else None
    return Outcome(True, evidence)


@pytest.mark.parametrize("user_agent", AGENTS)
def test_robots_disallows_answers_as_explain_on_every_path(user_agent: str) -> None:
    assert len(CORPUS) > 20
    fired = 0
    for file in CORPUS:
        body = file.read_bytes()
        paths = _paths(body)
        plan = parse_plan({"crawler": {"name": "n", "user_agent": user_agent},
                           "targets": [{"url": "https://site.example/", "paths": paths}]})
        robots = RobotsSignal(url="https://site.example/robots.txt", body=body.decode("latin-1"))
        view = TargetView(target=plan.targets[0], robots=robots, robots_policy=RobotsPolicy.parse(body),
                          robots_opt_outs=[], page_opt_outs=[], platform=None)
        got = RobotsDisallows(kind="robots-disallows").check_target(Context(plan=plan, thresholds={}), view)
        expected = _reference(RobotsPolicy.parse(body), product_token(user_agent), paths, robots)
        assert got == expected, file.name
        fired += bool(got.state)
    assert 0 < fired < len(CORPUS) or user_agent.startswith("GPTBot")  # both answers seen


def test_ai_agent_check_of_the_root_answers_as_explain() -> None:
    """The opt-out reader skips an AI agent when ``matcher(token).check('/')`` allows it: exactly when
    ``explain(token, '/')`` does."""
    blocked = 0
    for file in CORPUS:
        policy = RobotsPolicy.parse(file.read_bytes())
        for agent in policy.user_agents:
            info = lookup(agent)
            if info is None:
                continue
            allowed = RobotsPolicy.parse(file.read_bytes()).explain(info.token, "/").allowed
            assert policy.matcher(info.token).check("/") == allowed, (file.name, agent)
            blocked += not allowed
    assert blocked > 10
