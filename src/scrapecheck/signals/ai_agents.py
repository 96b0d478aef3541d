"""The shipped list of AI crawlers (ai.robots.txt, MIT; see data/ai-robots.LICENSE for origin and commit).

Each agent is classed by what blocking it reserves: training data collection (``ai-training``), AI answers
such as search, assistants and agents (``ai-inference``), or both when neither the vendor nor the list's
description tells them apart. Well-known tokens are classed by a curated table (``CURATED``) taken from the
vendors' own crawler documentation (source id ``ai-crawler-tokens``); the rest by words in the list's
``function`` text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal, Optional

_TRAINING_WORDS = ("train", "scrap", "dataset", "llm", "crawl dataset", "data is sold", "machine learning",
                   "model")
_INFERENCE_WORDS = ("search", "assistant", "agent", "answer", "response", "user-initiated", "prompt", "siri",
                    "user quer", "on behalf of")
_BOTH_WORDS = ("ai data provider",)

TRAINING: tuple[str, ...] = ("ai-training",)
INFERENCE: tuple[str, ...] = ("ai-inference",)
BOTH: tuple[str, ...] = ("ai-training", "ai-inference")

CURATED: dict[str, tuple[str, ...]] = {
    # OpenAI: GPTBot trains; OAI-SearchBot indexes for ChatGPT search; ChatGPT-User/Agent fetch for a user.
    "gptbot": TRAINING,
    "oai-searchbot": INFERENCE,
    "chatgpt-user": INFERENCE,
    "chatgpt agent": INFERENCE,
    "operator": INFERENCE,
    # Anthropic: ClaudeBot trains; Claude-SearchBot indexes for search; Claude-User fetches for a user.
    "claudebot": TRAINING,
    "anthropic-ai": TRAINING,
    "claude-web": BOTH,
    "claude-searchbot": INFERENCE,
    "claude-user": INFERENCE,
    # Common Crawl: an open crawl used by many training sets.
    "ccbot": TRAINING,
    # Google-Extended: a control token for Gemini training and grounding; sends no requests of its own.
    "google-extended": BOTH,
    "google-cloudvertexbot": INFERENCE,
    "googleother": BOTH,
    "googleother-image": BOTH,
    "googleother-video": BOTH,
    "gemini-deep-research": INFERENCE,
    "google-notebooklm": INFERENCE,
    "notebooklm": INFERENCE,
    # Apple: Applebot-Extended controls training of Apple's foundation models; Applebot is the search crawler.
    "applebot-extended": TRAINING,
    "applebot": INFERENCE,
    # ByteDance, Meta, Amazon, others.
    "bytespider": TRAINING,
    "tiktokspider": TRAINING,
    "meta-externalagent": TRAINING,
    "facebookbot": TRAINING,
    "meta-externalfetcher": INFERENCE,
    "meta-webindexer": INFERENCE,
    "amazonbot": BOTH,
    "amzn-searchbot": INFERENCE,
    "amzn-user": INFERENCE,
    "perplexitybot": INFERENCE,
    "perplexity-user": INFERENCE,
    "cohere-ai": INFERENCE,
    "cohere-training-data-crawler": TRAINING,
    "ai2bot": TRAINING,
    "ai2bot-dolma": TRAINING,
    "deepseekbot": TRAINING,
    "diffbot": BOTH,
    "omgili": TRAINING,
    "omgilibot": TRAINING,
    "timpibot": TRAINING,
    "img2dataset": TRAINING,
    "laiondownloader": TRAINING,
    "youbot": BOTH,
    "duckassistbot": INFERENCE,
    "mistralai-user": INFERENCE,
    "petalbot": INFERENCE,
    "yandexadditional": BOTH,
    "yandexadditionalbot": BOTH,
}


@dataclass(frozen=True)
class AIAgent:
    token: str
    operator: str
    function: str
    scopes: tuple[str, ...]
    classified_by: Literal["curated", "description"] = "description"

    @property
    def trains(self) -> bool:
        return "ai-training" in self.scopes

    @property
    def answers(self) -> bool:
        return "ai-inference" in self.scopes


def _scopes(function: str) -> tuple[str, ...]:
    text = function.lower()
    if any(word in text for word in _BOTH_WORDS):
        return BOTH
    training = any(word in text for word in _TRAINING_WORDS)
    inference = any(word in text for word in _INFERENCE_WORDS)
    if training and not inference:
        return TRAINING
    if inference and not training:
        return INFERENCE
    return BOTH


_DATA = Path(__file__).parent.parent / "data" / "ai-robots.json"
"""The shipped list, inside the package as the packs are (``importlib.resources`` would add ~2% to every
``scrapecheck check``, issue 10; a wheel installs the package as files)."""


@lru_cache(maxsize=1)
def ai_agents() -> dict[str, AIAgent]:
    """Lower-cased product token → agent."""
    raw = json.loads(_DATA.read_text(encoding="utf-8"))
    agents = {}
    for token, info in raw.items():
        function = str(info.get("function", ""))
        key = token.lower()
        curated = CURATED.get(key)
        agents[key] = AIAgent(token, str(info.get("operator", "")), function,
                              curated if curated is not None else _scopes(function),
                              "curated" if curated is not None else "description")
    for key, scopes in CURATED.items():  # curated tokens the shipped list lacks
        if key not in agents:
            agents[key] = AIAgent(key, "", "", scopes, "curated")
    return agents


def lookup(token: str) -> Optional[AIAgent]:
    """The AI agent a robots.txt ``User-agent`` value names, if any (case-insensitive, ``/version`` ignored)."""
    known = ai_agents()
    key = token.strip().lower()
    if key in known:
        return known[key]
    return known.get(key.split("/", 1)[0].strip())
