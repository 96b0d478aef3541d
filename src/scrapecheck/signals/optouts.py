"""Opt-outs read from a robots.txt: AI crawlers it blocks, and what that says about an unnamed crawler."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .ai_agents import ai_agents
from .model import OptOut

if TYPE_CHECKING:
    from ..robots import RobotsPolicy


def from_robots(policy: "RobotsPolicy", own_token: str, robots_url: str) -> list[OptOut]:
    """AI agents disallowed from the whole site (``/``) in this robots.txt, as typed opt-outs."""
    known = ai_agents()
    found: list[OptOut] = []
    blocked_training: list[str] = []
    for group in policy.groups:
        for agent in group.agents:
            info = known.get(agent.lower())
            if info is None:
                continue
            verdict = policy.explain(agent, "/")
            if verdict.allowed:
                continue
            line = verdict.rule.line if verdict.rule is not None else None
            found.append(OptOut(kind="robots-ai-agent", scopes=list(info.scopes), value=f"User-agent: {agent} / "
                                f"{verdict.rule.text if verdict.rule else 'Disallow: /'}", where=robots_url,
                                line=line, agents=[info.token]))
            if "ai-training" in info.scopes:
                blocked_training.append(info.token)
    if blocked_training and own_token.lower() not in known and not policy.names_agent(own_token):
        found.append(OptOut(kind="robots-ai-intent", scopes=["ai-training"],
                            value="AI-training crawlers blocked: " + ", ".join(sorted(set(blocked_training))),
                            where=robots_url, agents=sorted(set(blocked_training))))
    return found
