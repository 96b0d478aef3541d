"""The fault matrix: servers on 127.0.0.1 that misbehave, each with a defined outcome within a known bound.

Deadlines are short here (FAULT) so the matrix stays fast; the bound each test checks is the configured
deadline plus slack for a loaded machine, never a benchmark. ``pytest --durations=0 tests/signals/test_faults.py``
prints the time each case takes (docs/security.md has the table).
"""

from __future__ import annotations

import dataclasses
import gzip
import socket
import struct
import threading
import time
from typing import Callable, Iterator

import pytest

from scrapecheck.robots import RobotsPolicy
from scrapecheck.signals.fetch import collect, fetch_robots

from .conftest import FAST, Answer, Site, make_plan

FAULT = dataclasses.replace(FAST, connect_timeout=0.5, read_timeout=0.5, total_timeout=1.0, origin_timeout=3.0,
                            retries=2, backoff=0.01, max_retry_after=2.0, fetch_pages=False)
SLACK = 3.0
"""Allowance for a loaded CI machine on top of a configured deadline."""

Script = Callable[[socket.socket, str], None]


class RawServer:
    """A TCP server on 127.0.0.1 that reads one request and hands the socket to a script (bytes as it likes)."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.paths: list[str] = []
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._one, args=(conn,), daemon=True).start()

    def _one(self, conn: socket.socket) -> None:
        conn.settimeout(5)
        data = b""
        try:
            while b"\r\n\r\n" not in data:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            path = data.split(b" ", 2)[1].decode("latin-1")
            self.paths.append(path)
            self.script(conn, path)
        except OSError:
            pass
        finally:
            conn.close()

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.fixture
def raw() -> Iterator[Callable[[Script], RawServer]]:
    servers: list[RawServer] = []

    def start(script: Script) -> RawServer:
        servers.append(RawServer(script))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def robots_of(origin: str, config=FAULT):  # type: ignore[no-untyped-def]
    started = time.monotonic()
    target = fetch_robots(origin, user_agent="AcmeBot/1.0", config=config)
    return target, time.monotonic() - started


def trickle(data: bytes, pause: float) -> Script:
    def script(conn: socket.socket, path: str) -> None:
        for byte in data:
            conn.sendall(bytes([byte]))
            time.sleep(pause)
    return script


# --- the matrix ---------------------------------------------------------------------------------------------


def test_refused_connection(closed_port: int) -> None:
    target, took = robots_of(f"http://127.0.0.1:{closed_port}")
    assert target.robots.outcome == "unreachable" and "connection failed" in target.robots.error
    assert took < FAULT.connect_timeout + SLACK


def test_reset_mid_body(raw) -> None:  # type: ignore[no-untyped-def]
    def script(conn: socket.socket, path: str) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nUser-agent: *\nDisallow: /a\n")
        time.sleep(0.05)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with RST
    server = raw(script)
    target, took = robots_of(server.origin, dataclasses.replace(FAULT, retries=0))
    assert target.robots.outcome == "unreachable" and "connection broken" in target.robots.error
    assert target.robots.body is None  # half a robots.txt is not read as the rules
    assert took < FAULT.total_timeout + SLACK


def test_header_trickle_hits_the_response_deadline(raw) -> None:  # type: ignore[no-untyped-def]
    """Each byte arrives well inside the read timeout, so only a socket-level deadline stops it."""
    server = raw(trickle(b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 10_000, 0.05))
    target, took = robots_of(server.origin)
    assert target.robots.outcome == "unreachable"
    assert target.robots.error == "response not complete after 1s (slow headers)"
    assert took < FAULT.total_timeout + SLACK


def test_body_trickle_hits_the_response_deadline(raw) -> None:  # type: ignore[no-untyped-def]
    def script(conn: socket.socket, path: str) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
        trickle(b"#" * 100_000, 0.05)(conn, path)
    target, took = robots_of(raw(script).origin)
    assert target.robots.outcome == "unreachable"
    assert target.robots.error == "response not complete after 1s (slow body)"
    assert took < FAULT.total_timeout + SLACK


def test_endless_chunked_body_stops_at_the_cap(raw) -> None:  # type: ignore[no-untyped-def]
    def script(conn: socket.socket, path: str) -> None:
        conn.sendall(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        chunk = b"# endless\n" * 400
        while True:
            conn.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    target, took = robots_of(raw(script).origin)
    assert target.robots.outcome == "ok" and target.robots.truncated
    assert len(target.robots.raw or b"") == FAULT.max_robots_bytes and target.robots.size is None
    assert took < FAULT.total_timeout + SLACK


def test_gzip_bomb_is_inflated_only_up_to_the_cap(site: Site) -> None:
    bomb = gzip.compress(b"#" * 20_000_000, compresslevel=1)  # 20 MB of text in ~90 KB (ratio ~230:1)
    site.robots(bomb, headers={"Content-Encoding": "gzip"})
    target, took = robots_of(site.origin)
    assert target.robots.outcome == "ok" and target.robots.truncated
    assert len(target.robots.raw or b"") == FAULT.max_robots_bytes
    assert took < FAULT.total_timeout + SLACK


def test_ten_megabyte_body_is_cut_at_500_kib(site: Site) -> None:
    site.robots(b"User-agent: *\nDisallow: /early\n" + b"# padding\n" * 1_000_000)
    target, took = robots_of(site.origin)
    assert target.robots.outcome == "ok" and target.robots.truncated
    assert target.robots.size == 10_000_031 and len(target.robots.raw or b"") == 500 * 1024
    assert took < FAULT.total_timeout + SLACK


def test_invalid_utf8_is_matched_as_bytes(site: Site) -> None:
    site.robots(b"User-agent: *\nDisallow: /caf\xe9\n")
    target, took = robots_of(site.origin)
    robots = target.robots
    assert robots.outcome == "ok" and robots.raw == b"User-agent: *\nDisallow: /caf\xe9\n"
    assert not RobotsPolicy.parse(robots.effective_rules).is_allowed("AcmeBot", "/caf%E9")
    assert any("not valid UTF-8" in problem for problem in target.problems)


@pytest.mark.parametrize(("content_type", "outcome", "rules"), [
    ("text/html", "ok", True),                     # plain rules served as HTML: still rules, noted
    ("application/octet-stream", "ok", True),      # declared binary, but plain rules: Google obeys them, noted
    ("image/png", "ok", True),
    ("application/json", "ok", True),
    (None, "ok", True),
])
def test_wrong_content_type(site: Site, content_type: str | None, outcome: str, rules: bool) -> None:
    site.robots("User-agent: *\nDisallow: /x\n", content_type=content_type)
    target, _ = robots_of(site.origin)
    assert target.robots.outcome == outcome
    assert (b"Disallow: /x" in target.robots.effective_rules) is rules
    assert not RobotsPolicy.parse(target.robots.effective_rules).is_allowed("AcmeBot", "/x")
    if content_type in ("application/octet-stream", "image/png"):
        assert any(f"served as {content_type}, but its body is plain rules" in p for p in target.problems)


def test_a_binary_body_is_read_as_no_rules_whatever_its_type(site: Site) -> None:
    """What the media type no longer decides, the bytes do: an image or mostly control bytes hold no rule that
    Google's parser reads."""
    site.robots(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, content_type="text/plain")
    target, _ = robots_of(site.origin)
    assert target.robots.outcome == "ok" and not target.robots.effective_rules.strip()
    assert any("body is binary" in p for p in target.problems)


def test_redirect_loop(site: Site) -> None:
    site.route("/robots.txt", status=302, headers={"Location": "/a"})
    site.route("/a", status=302, headers={"Location": "/robots.txt"})
    target, took = robots_of(site.origin)
    assert target.robots.outcome == "not-found" and "redirect loop" in target.robots.error


@pytest.mark.parametrize("location", ["ftp://127.0.0.1/robots.txt", "file:///etc/passwd", "gopher://x/",
                                      "javascript:alert(1)"])
def test_redirect_to_another_scheme_is_not_followed(site: Site, location: str) -> None:
    site.route("/robots.txt", status=301, headers={"Location": location})
    target, _ = robots_of(site.origin)
    assert target.robots.outcome == "unreachable" and "non-HTTP URL" in target.robots.error
    assert site.paths_hit() == ["/robots.txt"]


@pytest.mark.parametrize("location", ["http://[bad/", "http://[::1/x", "http://example.com:99999/",
                                      "http://exa mple.com/"])
def test_malformed_location_is_an_outcome_not_a_traceback(site: Site, location: str) -> None:
    site.route("/robots.txt", status=302, headers={"Location": location})
    target, _ = robots_of(site.origin)
    assert target.robots.outcome == "unreachable"
    assert "malformed Location" in target.robots.error or "cannot be requested" in target.robots.error


def test_malformed_location_on_a_page_keeps_the_origins_other_signals(site: Site) -> None:
    """It used to raise out of the origin's collection and drop its opt-outs; now only that page is unread."""
    site.robots("User-agent: *\nAllow: /\n")
    site.route("/", status=302, headers={"Location": "http://[bad/"})
    site.route("/.well-known/tdmrep.json", body='[{"location": "/*", "tdm-reservation": 1}]',
               content_type="application/json")
    plan = make_plan(f"{site.origin}/")
    target = collect(plan, config=dataclasses.replace(FAULT, fetch_pages=True)).targets[site.origin]
    assert target.robots.outcome == "ok"
    assert [o.kind for o in target.opt_outs or []] == ["tdmrep"]
    assert any("malformed Location" in problem for problem in target.problems)
    assert not any("internal error" in problem for problem in target.problems)


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_on_every_redirect_hop_stays_within_the_origin_deadline(site: Site, status: int) -> None:
    """Was 363 s for 503 + Retry-After: 10 on six hops; the origin deadline bounds it (60 s by default)."""
    hops = ["/robots.txt", *(f"/hop{n}" for n in range(1, 6))]
    for here, there in zip(hops, [*hops[1:], "/final"], strict=True):
        site.route(here, Answer(status=status, headers={"Retry-After": "1"}),
                   Answer(status=301, headers={"Location": there}))
    site.route("/final", body="User-agent: *\nDisallow: /\n")
    config = dataclasses.replace(FAULT, origin_timeout=2.5, total_timeout=1.0)
    target, took = robots_of(site.origin, config)
    assert target.robots.outcome == "unreachable" and target.robots.status == status
    assert any("origin deadline" in problem for problem in target.problems)
    assert took < config.origin_timeout + SLACK
    assert "/final" not in site.paths_hit()


def test_tls_failure_is_unreachable(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A certificate nobody signed: the HTTPS path verifies it (against the name, not the address)."""
    import shutil
    import ssl
    import subprocess

    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1", "-subj", "/CN=self.test",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    port = listener.getsockname()[1]

    def serve() -> None:
        try:
            conn, _ = listener.accept()
            with context.wrap_socket(conn, server_side=True) as tls:
                tls.recv(1024)
        except (OSError, ssl.SSLError):
            pass

    threading.Thread(target=serve, daemon=True).start()
    try:
        config = dataclasses.replace(FAULT, pinned_hosts=(("self.test", "127.0.0.1"),))
        target, took = robots_of(f"https://self.test:{port}", config)
    finally:
        listener.close()
    assert target.robots.outcome == "unreachable" and target.robots.error.startswith("TLS error")
    assert "certificate" in target.robots.error.lower()
    assert took < FAULT.total_timeout + SLACK


def test_dns_failure() -> None:
    target, took = robots_of("http://no-such-host.invalid")
    assert target.robots.outcome == "unreachable" and "DNS lookup failed" in target.robots.error
    assert took < FAULT.resolve_timeout + SLACK


def test_redirect_to_a_private_address_is_refused(site: Site) -> None:
    """The first hop is a public name pinned to the test server; its redirect to 127.0.0.1 is checked."""
    site.route("/robots.txt", status=302, headers={"Location": f"http://127.0.0.1:{site.port}/internal"})
    site.route("/internal", body="SECRET internal body")
    config = dataclasses.replace(FAULT, allow_private_networks=False, pinned_hosts=(("public.test", "127.0.0.1"),))
    target, _ = robots_of(f"http://public.test:{site.port}", config)
    robots = target.robots
    assert robots.outcome == "unreachable" and "loopback" in robots.error and "refused" in robots.error
    assert site.paths_hit() == ["/robots.txt"]  # /internal was never requested
    assert "SECRET" not in robots.model_dump_json()


def test_redirect_to_localhost_by_name_is_refused(site: Site) -> None:
    site.route("/robots.txt", status=302, headers={"Location": f"http://localhost:{site.port}/internal"})
    config = dataclasses.replace(FAULT, allow_private_networks=False, pinned_hosts=(("public.test", "127.0.0.1"),))
    target, _ = robots_of(f"http://public.test:{site.port}", config)
    assert target.robots.outcome == "unreachable" and "refused" in target.robots.error
    assert site.paths_hit() == ["/robots.txt"]
