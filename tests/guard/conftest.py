"""A real HTTP server on 127.0.0.1 for the Guard's tests: scripted paths, everything else 404, hits recorded.

``web.route(path, status=..., body=..., headers=..., delay=...)`` scripts one path (a query string is part of
the path). ``web.hits`` lists (path, user-agent) of every request, in order.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Iterator, Union

import pytest


@dataclass
class Route:
    status: int = 200
    body: Union[bytes, str] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    content_type: str = "text/plain"


class Web:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: list[tuple[str, str]] = []
        self.stamps: list[tuple[str, float]] = []
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01},
                                       daemon=True)
        self.thread.start()
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"

    def route(self, path: str, **kwargs: object) -> None:
        self.routes[path] = Route(**kwargs)  # type: ignore[arg-type]

    def robots(self, text: str, **kwargs: object) -> None:
        self.route("/robots.txt", body=text, **kwargs)

    def paths(self) -> list[str]:
        with self.lock:
            return [path for path, _ in self.hits]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _handler(web: Web) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            with web.lock:
                web.hits.append((self.path, self.headers.get("User-Agent", "")))
                web.stamps.append((self.path, time.monotonic()))
                route = web.routes.get(self.path, Route(status=404, body=b"not here"))
            if route.delay:
                time.sleep(route.delay)
            body = route.body.encode("utf-8") if isinstance(route.body, str) else route.body
            try:
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                for name, value in route.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass

    return Handler


@pytest.fixture
def web() -> Iterator[Web]:
    server = Web()
    yield server
    server.close()


@pytest.fixture
def web2() -> Iterator[Web]:
    server = Web()
    yield server
    server.close()
