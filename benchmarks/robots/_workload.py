"""Shared inputs of the robots benchmark and differential run: synthetic file, URLs, corpus."""

from __future__ import annotations

import random
import re
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
AGENTS = ("*", "AcmeBot", "GPTBot", "CCBot", "Googlebot")
WORDS = ("api", "user", "search", "static", "img", "cart", "checkout", "login", "admin", "wp", "tag", "page",
         "print", "share", "feed", "json", "tmp", "private", "docs", "blog")


def synthetic_robots(seed: int = 7) -> str:
    """400 rules over 5 groups (80 each), about 30% Allow, mixing plain prefixes, '*' and '$'."""
    rng = random.Random(seed)
    lines = []
    for agent in AGENTS:
        lines.append(f"User-agent: {agent}")
        for _ in range(80):
            path = "/" + "/".join(rng.choice(WORDS) for _ in range(rng.randint(1, 3)))
            kind = rng.random()
            if kind < 0.25:
                path += "/*." + rng.choice(("php", "json", "pdf"))
            elif kind < 0.40:
                path = "/*" + rng.choice("?&") + rng.choice(WORDS) + "="
            elif kind < 0.50:
                path += "$"
            elif kind < 0.60:
                path += "*/" + rng.choice(WORDS) + "$"
            lines.append(("Allow: " if rng.random() < 0.3 else "Disallow: ") + path)
        lines.append("")
    return "\n".join(lines) + "\n"


def synthetic_urls(count: int = 50_000, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    words = WORDS + ("x", "y")
    urls = []
    for _ in range(count):
        path = "/" + "/".join(rng.choice(words) for _ in range(rng.randint(1, 5)))
        if rng.random() < 0.3:
            path += "." + rng.choice(("php", "json", "pdf", "html"))
        if rng.random() < 0.3:
            path += "?" + rng.choice(words) + "=" + str(rng.randint(0, 99))
        urls.append("https://example.com" + path)
    return urls


def corpus() -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(CORPUS.glob("*.txt"))}


_PATTERN = re.compile(rb"^\s*(?:dis)?al+ow\s*:?\s*(\S*)", re.IGNORECASE | re.MULTILINE)
_AGENT = re.compile(rb"^\s*user[- ]?agent\s*:?\s*([^#\r\n]*)", re.IGNORECASE | re.MULTILINE)


def corpus_agents(body: bytes) -> list[str]:
    """Agents to try on a file: those it names, plus ones it does not."""
    named = {m.group(1).strip().decode("utf-8", "replace") for m in _AGENT.finditer(body)}
    named = {a.split("/")[0].split()[0] for a in named if a and a != "*"}
    return sorted(named) + ["Googlebot", "UnknownBot"]


def corpus_urls(body: bytes, seed: int = 11, extra: int = 40) -> list[str]:
    """URLs derived from the file's own patterns (each pattern made concrete several ways) plus noise."""
    rng = random.Random(seed)
    urls = ["https://example.com/", "https://example.com/index.html"]
    for m in _PATTERN.finditer(body):
        pattern = m.group(1).decode("utf-8", "replace")
        if not pattern:
            continue
        anchored = pattern.endswith("$")
        core = pattern[:-1] if anchored else pattern
        for fill in ("", "x", "a/b", "x.pdf", "q?s=1"):
            concrete = core.replace("*", fill or "z")
            for suffix in ("", "/", "/more", "?p=1", ".php"):
                if anchored and suffix:
                    continue
                path = concrete + suffix
                if not path.startswith("/"):
                    path = "/" + path
                urls.append("https://example.com" + _encode(path))
    for _ in range(extra):
        urls.append("https://example.com/" + "/".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4))))
    return urls


def _encode(path: str) -> str:
    """Percent-encode non-ASCII (the form both parsers expect for URLs)."""
    return "".join(c if ord(c) < 128 else "".join(f"%{b:02X}" for b in c.encode()) for c in path)
