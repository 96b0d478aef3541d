"""The shipped list of AI crawlers (ai.robots.txt, MIT; see data/ai-robots.LICENSE for origin and commit).

Each agent is classed by what blocking it reserves: training data collection, AI answers (search, assistants,
agents), or both when the list's description does not tell them apart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_TRAINING_WORDS = ("train", "scrap", "dataset", "data provider", "llm", "crawl dataset", "data is sold",
                   "machine learning")
_INFERENCE_WORDS = ("search", "assistant", "agent", "answer", "response", "user-initiated", "prompt", "siri")


@dataclass(frozen=True)
class AIAgent:
    token: str
    operator: str
    function: str
    scopes: tuple[str, ...]


def _scopes(function: str) -> tuple[str, ...]:
    text = function.lower()
    training = any(word in text for word in _TRAINING_WORDS)
    inference = any(word in text for word in _INFERENCE_WORDS)
    if training and not inference:
        return ("ai-training",)
    if inference and not training:
        return ("ai-inference",)
    return ("ai-training", "ai-inference")


@lru_cache(maxsize=1)
def ai_agents() -> dict[str, AIAgent]:
    """Lower-cased product token → agent."""
    raw = json.loads(resources.files("scrapecheck").joinpath("data/ai-robots.json").read_text(encoding="utf-8"))
    agents = {}
    for token, info in raw.items():
        function = str(info.get("function", ""))
        agents[token.lower()] = AIAgent(token, str(info.get("operator", "")), function, _scopes(function))
    return agents
