"""HTTPS against a real TLS server on 127.0.0.1, with a throw-away CA (trustme): the success path, a CA the
client does not trust, a certificate for another name, and the CLI's ``--ca-bundle`` option."""

from __future__ import annotations

import dataclasses
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator

import pytest
import trustme  # dev extra: a throw-away CA for the TLS tests

from scrapecheck.signals.fetch import FetchConfig, fetch_robots

from .conftest import FAST

BODY = b"User-agent: *\nDisallow: /private/\n"


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        body = BODY if self.path == "/robots.txt" else b"not here"
        self.send_response(200 if self.path == "/robots.txt" else 404)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def tls_server(ca: trustme.CA) -> Iterator[int]:
    """An HTTPS server whose certificate names ``site.test`` only, signed by ``ca``."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("site.test").configure_cert(context)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def bundle(ca: trustme.CA, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(path))
    return path


def _config(**changes: object) -> FetchConfig:
    return dataclasses.replace(FAST, retries=0, pinned_hosts=(("site.test", "127.0.0.1"),), **changes)  # type: ignore[arg-type]


def test_https_success_with_a_trusted_ca(tls_server: int, bundle: Path) -> None:
    target = fetch_robots(f"https://site.test:{tls_server}/", user_agent="AcmeBot/1.0",
                          config=_config(ca_certs=str(bundle)))
    assert target.robots is not None
    assert (target.robots.outcome, target.robots.status) == ("ok", 200)
    assert target.robots.body == BODY.decode()


def test_a_ca_the_client_does_not_trust_is_a_tls_failure(tls_server: int) -> None:
    target = fetch_robots(f"https://site.test:{tls_server}/", user_agent="AcmeBot/1.0", config=_config())
    assert target.robots is not None
    assert target.robots.outcome == "unreachable"
    assert target.robots.error is not None and target.robots.error.lower().startswith("tls")


def test_a_certificate_for_another_name_is_a_tls_failure(tls_server: int, bundle: Path) -> None:
    config = dataclasses.replace(_config(ca_certs=str(bundle)), pinned_hosts=(("other.test", "127.0.0.1"),))
    target = fetch_robots(f"https://other.test:{tls_server}/", user_agent="AcmeBot/1.0", config=config)
    assert target.robots is not None
    assert target.robots.outcome == "unreachable", target.robots
    assert (target.robots.error or "").lower().startswith("tls"), target.robots.error


def test_a_missing_or_unreadable_bundle_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="ca_certs"):
        FetchConfig(ca_certs=str(tmp_path / "missing.pem"))
    empty = tmp_path / "empty.pem"
    empty.write_text("not a certificate\n")
    with pytest.raises(ValueError, match="ca_certs"):
        FetchConfig(ca_certs=str(empty))


def test_cli_ca_bundle_option(tls_server: int, bundle: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from scrapecheck.cli import main

    # The robots command takes the file through --ca-bundle; pinning comes from the API only, so the
    # URL names 127.0.0.1, which the certificate does not: the failure must name TLS, not a refused address.
    code = main(["robots", f"https://127.0.0.1:{tls_server}/", "--agent", "A", "--allow-private",
                 "--ca-bundle", str(bundle), "/private/x"])
    captured = capsys.readouterr()
    assert "tls" in (captured.out + captured.err).lower(), captured
    assert code in (0, 1)
    assert main(["robots", f"https://127.0.0.1:{tls_server}/", "--agent", "A", "--allow-private",
                 "--ca-bundle", str(tmp_path / "none.pem"), "/x"]) == 2
    assert "ca-bundle" in capsys.readouterr().err
