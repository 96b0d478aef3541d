"""A real HTTP server on 127.0.0.1, one per test, serving scripted responses (no mocks of urllib3).

``site.route(path, ...)`` scripts one path: status, headers, body, a delay before the answer, a body trickled
out slowly, or a list of answers served in turn (for retries). Unscripted paths answer 404. ``site.hits``
records every request as (path, user-agent).
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator, Optional, Union

import pytest

from scrapecheck.plan import CrawlPlan, parse_plan
from scrapecheck.signals.fetch import FetchCache, FetchConfig

FAST = FetchConfig(connect_timeout=4.0, read_timeout=4.0, total_timeout=8.0, retries=2, backoff=0.01,
                   max_retry_after=2.0, cache_ttl=0, allow_private_networks=True)
"""Tiny backoff so the whole suite stays fast; no cache unless a test asks for one; the local test server is
on 127.0.0.1, so private networks are allowed (tests of the refusal turn it off). The timeouts only bound a
test that goes wrong: tests of timeouts set their own, short ones. They are not shorter because on a loaded
2-core machine the local server thread can take over a second to answer, which read as "unreachable"."""


@dataclass
class Answer:
    status: int = 200
    body: Union[bytes, str] = b""
    headers: dict[str, Union[str, list[str]]] = field(default_factory=dict)
    delay: float = 0.0          # seconds before the status line
    trickle: float = 0.0        # seconds between body chunks of 16 bytes
    content_type: Optional[str] = "text/plain"


class Site:
    def __init__(self) -> None:
        self.routes: dict[str, list[Answer]] = {}
        self.hits: list[tuple[str, str]] = []
        self.hosts: list[str] = []
        self.lock = threading.Lock()
        handler = _handler(self)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
        self.thread.start()
        self.port = self.server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"

    def route(self, path: str, *answers: Answer, **kwargs: object) -> None:
        """Script ``path``: one Answer built from kwargs, or several Answers served in turn (last repeats)."""
        self.routes[path] = list(answers) if answers else [Answer(**kwargs)]  # type: ignore[arg-type]

    def robots(self, text: Union[str, bytes], **kwargs: object) -> None:
        self.route("/robots.txt", body=text, **kwargs)

    def paths_hit(self) -> list[str]:
        return [path for path, _ in self.hits]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            with site.lock:
                site.hits.append((self.path, self.headers.get("User-Agent", "")))
                site.hosts.append(self.headers.get("Host", ""))
                answers = site.routes.get(self.path)
                if answers is None:
                    answer = Answer(status=404, body=b"not here")
                elif len(answers) > 1:
                    answer = answers.pop(0)
                else:
                    answer = answers[0]
            if answer.delay:
                time.sleep(answer.delay)
            body = answer.body.encode("utf-8") if isinstance(answer.body, str) else answer.body
            try:
                self.send_response(answer.status)
                if answer.content_type:
                    self.send_header("Content-Type", answer.content_type)
                for name, value in answer.headers.items():
                    for item in value if isinstance(value, list) else [value]:
                        self.send_header(name, item)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if answer.trickle:
                    for start in range(0, len(body), 16):
                        self.wfile.write(body[start:start + 16])
                        self.wfile.flush()
                        time.sleep(answer.trickle)
                else:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site()
    yield server
    server.close()


@pytest.fixture
def other_site() -> Iterator[Site]:
    server = Site()
    yield server
    server.close()


@pytest.fixture
def closed_port() -> int:
    """A port on 127.0.0.1 with nothing listening (connection refused)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.fixture
def cache() -> FetchCache:
    return FetchCache()


def make_plan(*urls: str, kind: str = "ai-training", user_agent: str = "AcmeBot/1.0 (+https://acme.example/bot)",
              **extra: object) -> CrawlPlan:
    data: dict[str, object] = {
        "version": 1,
        "crawler": {"name": "signals-test", "user_agent": user_agent},
        "purpose": {"kind": kind},
        "targets": [{"url": url, "requests_per_second": 1.0} for url in urls],
    }
    data.update(extra)
    return parse_plan(data)
