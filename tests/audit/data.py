"""Shared inputs for the audit tests: a small recorded signals file and URLs over its origins."""

from __future__ import annotations

ROBOTS_A = "User-agent: *\nDisallow: /private/\nAllow: /private/ok\n\nUser-agent: GPTBot\nDisallow: /\n"
ROBOTS_C = "User-agent: *\nContent-Signal: ai-train=no\nAllow: /\n"

SIGNALS = {
    "version": 1,
    "targets": {
        "https://a.example": {"origin": "https://a.example", "opt_outs": [], "robots": {
            "url": "https://a.example/robots.txt", "outcome": "ok", "status": 200, "body": ROBOTS_A}},
        "https://b.example": {"origin": "https://b.example", "opt_outs": None, "robots": {
            "url": "https://b.example/robots.txt", "outcome": "unreachable", "status": 503}},
        "https://c.example": {"origin": "https://c.example", "opt_outs": [], "robots": {
            "url": "https://c.example/robots.txt", "outcome": "ok", "status": 200, "body": ROBOTS_C}},
        "https://e.example": {"origin": "https://e.example", "opt_outs": [], "robots": {
            "url": "https://e.example/robots.txt", "outcome": "not-found", "status": 404}},
    },
}

URLS = [
    "https://a.example/x",
    "https://a.example/private/y",
    "https://b.example/",
    "https://c.example/page",
    "ftp://x/y",
    "https://d.example/",
    "https://A.EXAMPLE:443/private/ok",
    "https://e.example/anything",
]
"""Expected AcmeBot (ai-training) verdicts, in order."""
ACME = ["reserved", "disallowed", "disallowed", "reserved", "invalid", "unknown", "reserved", "allowed"]
ACME_SEARCH = ["allowed", "disallowed", "disallowed", "allowed", "invalid", "unknown", "allowed", "allowed"]


