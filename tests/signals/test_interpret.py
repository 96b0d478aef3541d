"""The RFC 9309 reading of a robots.txt fetch, tested as a pure function: no server, no sockets."""

from __future__ import annotations

import base64
import hashlib

import pytest

from scrapecheck.robots import RobotsPolicy
from scrapecheck.signals.client import Response
from scrapecheck.signals.interpret import OUTCOME_TABLE, RFC9309_CLASS, classify, interpret_robots


def response(status: int | None = 200, body: bytes = b"", *, error_kind: str | None = None,
             content_type: str = "text/plain", truncated: bool = False) -> Response:
    return Response(url="https://example.com/robots.txt", final_url="https://example.com/robots.txt",
                    fetched_at="2026-01-01T00:00:00Z", status=status, body=body, truncated=truncated,
                    headers={"content-type": [content_type]} if content_type else {},
                    error=None if error_kind is None else f"{error_kind} happened", error_kind=error_kind,  # type: ignore[arg-type]
                    attempts=1, size=len(body))


@pytest.mark.parametrize(("status", "outcome", "rfc"), [
    (200, "ok", "success"), (204, "ok", "success"), (299, "ok", "success"),
    (400, "not-found", "unavailable"), (404, "not-found", "unavailable"), (410, "not-found", "unavailable"),
    (451, "not-found", "unavailable"),
    (401, "refused", "unavailable"), (403, "refused", "unavailable"),
    (429, "unreachable", "unreachable"),
    (500, "unreachable", "unreachable"), (503, "unreachable", "unreachable"), (599, "unreachable", "unreachable"),
    (100, "unreachable", "unreachable"), (304, "unreachable", "unreachable"), (600, "unreachable", "unreachable"),
])
def test_status_table(status: int, outcome: str, rfc: str) -> None:
    assert classify(status, None)[0] == outcome
    assert RFC9309_CLASS[outcome] == rfc
    signal, _ = interpret_robots(response(status, b"User-agent: *\nDisallow: /\n"))
    assert (signal.outcome, signal.status, signal.rfc9309) == (outcome, status, rfc)


@pytest.mark.parametrize(("kind", "outcome"), [
    ("redirect-loop", "not-found"), ("too-many-redirects", "not-found"),
    ("dns", "unreachable"), ("blocked", "unreachable"), ("connect", "unreachable"), ("tls", "unreachable"),
    ("timeout", "unreachable"), ("deadline", "unreachable"), ("protocol", "unreachable"),
    ("encoding", "unreachable"), ("bad-url", "unreachable"), ("bad-redirect", "unreachable"),
])
def test_failure_table(kind: str, outcome: str) -> None:
    signal, problems = interpret_robots(response(None, error_kind=kind))
    assert signal.outcome == outcome and signal.error == f"{kind} happened"
    assert any(f"{kind} happened" in problem for problem in problems)
    expected = b"" if outcome == "not-found" else b"User-agent: *\nDisallow: /\n"
    assert signal.effective_rules == expected


def test_a_failure_wins_over_a_status_seen_before_it() -> None:
    # a 200 whose body broke off mid-way is not a success
    assert interpret_robots(response(200, b"User-agent: *\n", error_kind="protocol"))[0].outcome == "unreachable"


def test_the_table_ends_with_a_catch_all() -> None:
    assert OUTCOME_TABLE[-1][1](None, None) and OUTCOME_TABLE[-1][1](999, None)


def test_html_is_reported_and_read_as_no_rules() -> None:
    signal, problems = interpret_robots(response(200, b"<!doctype html><html>Disallow: /</html>",
                                                 content_type="text/html"))
    assert signal.outcome == "html" and signal.body is None and signal.effective_rules == b""
    assert signal.rfc9309 == "success" and any("HTML page" in p for p in problems)


def test_binary_body_keeps_no_rules() -> None:
    signal, problems = interpret_robots(response(200, b"\x89PNG\r\n\x1a\n\x00\x00", content_type="image/png"))
    assert signal.outcome == "ok" and signal.body is None and signal.effective_rules == b""
    assert any("binary" in p for p in problems)


def test_invalid_utf8_is_kept_as_exact_bytes_and_matched_as_octets() -> None:
    raw = b"User-agent: *\nDisallow: /caf\xe9\n"
    signal, problems = interpret_robots(response(200, raw))
    assert signal.body == "User-agent: *\nDisallow: /caf\ufffd\n"  # for people
    assert signal.raw == raw and base64.b64decode(signal.body_base64 or "") == raw  # for matching
    assert signal.sha256 == hashlib.sha256(raw).hexdigest()
    assert any("not valid UTF-8" in p for p in problems)
    policy = RobotsPolicy.parse(signal.effective_rules)
    assert not policy.is_allowed("AnyBot", "/caf%E9")
    assert policy.is_allowed("AnyBot", "/caf%C3%A9")


def test_valid_utf8_needs_no_second_copy() -> None:
    signal, _ = interpret_robots(response(200, "User-agent: *\nDisallow: /café\n".encode()))
    assert signal.body_base64 is None and signal.raw == "User-agent: *\nDisallow: /café\n".encode()


def test_truncated_body_is_noted() -> None:
    signal, problems = interpret_robots(response(200, b"User-agent: *\nDisallow: /a\n", truncated=True))
    assert signal.truncated and any("RFC 9309 2.5" in p for p in problems)


def test_retry_notes_become_problems() -> None:
    fetched = response(503)
    fetched.notes.append("HTTP 503: retried after 1s")
    _, problems = interpret_robots(fetched)
    assert problems[0] == "robots.txt: HTTP 503: retried after 1s"
