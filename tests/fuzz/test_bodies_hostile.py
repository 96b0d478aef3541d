"""Hostile robots.txt bodies through every consumer: served by a real server on 127.0.0.1 to a live Guard, recorded
in signals for a recorded Guard and for the audit. Each answer must be the reference's (google/robotstxt's
algorithm) on the body's exact octets: issue 10, "bytes end to end".
"""

from __future__ import annotations

import base64
import hashlib

import pytest
from robots.reference import allowed as reference  # tests/ is on sys.path (tests/conftest.py)

import scrapecheck
from scrapecheck import Guard
from scrapecheck.signals.fetch import FetchConfig
from scrapecheck.signals.model import RobotsSignal, Signals, TargetSignals

from guard.conftest import Web

UA = "AcmeBot/1.0"

#: Bodies a site may serve (each a text file to Google's parser), and paths whose answers they decide.
BODIES = {
    "latin-1 octet": b"User-agent: *\nDisallow: /caf\xe9\n",
    "latin-1 and utf-8": b"User-agent: *\nDisallow: /\nAllow: /%e9t\xc3\xa9\nAllow: /caf\xe9/ok\n",
    "bom and cr-only": b"\xef\xbb\xbfUser-agent: *\rDisallow: /a\rAllow: /a/b\r",
    "invalid utf-8 in a comment": b"# \xff\xfe r\xe9sum\xe9\nUser-agent: AcmeBot\nDisallow: /x\n",
    "long line": b"User-agent: *\nDisallow: /" + b"x" * 20_000 + b"\nDisallow: /y\n",
    "only wildcards": b"User-agent: *\nDisallow: *\nAllow: $\n",
    # robots.cc reads each line as a C string: a NUL ends the line, the rest of the file is read as usual
    "nul bytes": b"User-agent: *\x00junk\nDisallow: /x\x00\x01junk\nAllow: /x/ok # \x00\n",
    # ... so UTF-16 text holds no rule it reads (each line ends after its first character): everything allowed
    "utf-16": "\ufeffUser-agent: *\nDisallow: /\n".encode("utf-16-le"),
}
PATHS = ["/x/ok", "/caf%E9", "/caf%e9", "/caf%C3%A9", "/caf\u00e9", "/caf%E9/ok", "/%E9t%C3%A9", "/%e9t\u00e9", "/a", "/a/b",
         "/x", "/y", "/" + "x" * 20_000, "/", "/robots.txt", "/robots.txt?x", "/ROBOTS.TXT"]


def _expected(body: bytes, path: str) -> tuple[bool, int]:
    """(allowed, the deciding line of a refusal; 0 when allowed: an allowed decision names no robots line)."""
    allowed, line = reference(body, UA, "http://h" + path)
    return allowed, 0 if allowed else line


def _line(decision: scrapecheck.Decision) -> int:
    return next((r.line or 0 for r in decision.reasons if r.rule_id == "ROB-001"), 0)


def _signals(origin: str, body: bytes) -> Signals:
    """What ``scrapecheck fetch`` records for ``body``: display text, and the exact octets when they differ."""
    text = body.decode("utf-8", "replace")
    exact = None if text.encode("utf-8") == body else base64.b64encode(body).decode("ascii")
    robots = RobotsSignal(url=f"{origin}/robots.txt", origin="fetched", outcome="ok", status=200, body=text,
                          body_base64=exact, sha256=hashlib.sha256(body).hexdigest())
    return Signals(targets={origin: TargetSignals(origin=origin, robots=robots, opt_outs=[])})


@pytest.mark.parametrize("name", sorted(BODIES))
def test_a_live_guard_matches_the_octets_served(name: str) -> None:
    """``Disallow: /caf\\xe9`` served as that octet matches "/caf%E9" (Google matches bytes). The Guard built its
    rules from the fetcher's display text, where the octet had become U+FFFD: "/caf%E9" was allowed."""
    body = BODIES[name]
    web = Web()
    try:
        web.robots(body)
        guard = Guard(UA, "research", allow_private_networks=True,
                      fetch_config=FetchConfig(connect_timeout=2.0, read_timeout=2.0, total_timeout=4.0, retries=0))
        for path in PATHS:
            decision = guard.check(web.origin + path)
            assert (decision.allowed, _line(decision)) == _expected(body, path), (name, path[:40])
    finally:
        web.close()


@pytest.mark.parametrize("name", sorted(BODIES))
def test_a_recorded_guard_and_the_audit_match_the_recorded_octets(name: str) -> None:
    body = BODIES[name]
    signals = _signals("https://a.example", body)
    guard = Guard(UA, "research", signals=signals)
    urls = ["https://a.example" + path for path in PATHS]
    rows = list(scrapecheck.audit(urls, agents=[UA], purpose="research", signals=signals))
    for path, row in zip(PATHS, rows):
        expected, line = _expected(body, path)
        decision = guard.check("https://a.example" + path)
        assert (decision.allowed, _line(decision)) == (expected, line), (name, path[:40])
        assert row.agents[0].verdict == ("allowed" if expected else "disallowed"), (name, path[:40])
        if not expected:
            assert row.agents[0].robots_line == line, (name, path[:40])
