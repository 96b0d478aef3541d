"""``scrapecheck robots``: against a local file and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import argparse
import http.server
import json
import threading
from pathlib import Path
from typing import Iterator

import pytest

from scrapecheck.errors import InputError
from scrapecheck.robots import command

ROBOTS = b"User-agent: *\nDisallow: /private/\nAllow: /private/ok\n\nUser-agent: AcmeBot\nDisallow: /\nCrawl-delay: 3\n"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    parser = argparse.ArgumentParser()
    command.add_parser(parser.add_subparsers(dest="command"))
    code = command.run(parser.parse_args(["robots", *argv]))
    return code, capsys.readouterr().out


@pytest.fixture
def robots_file(tmp_path: Path) -> Path:
    path = tmp_path / "robots.txt"
    path.write_bytes(ROBOTS)
    return path


def test_text_output(robots_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run([str(robots_file), "--agent", "OtherBot/1.0", "/private/x", "/private/ok", "/public"], capsys)
    assert code == 0
    assert out.splitlines() == [
        "disallowed  /private/x   line 2: Disallow: /private/",
        "allowed     /private/ok  line 3: Allow: /private/ok",
        "allowed     /public      (no matching rule)",
    ]


def test_json_output(robots_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out = run([str(robots_file), "--agent", "AcmeBot/2 (+https://acme.example)", "--format", "json", "/x"], capsys)
    document = json.loads(out)
    assert code == 0
    assert document["product_token"] == "AcmeBot"
    assert document["group"] == {"agents": ["AcmeBot"], "lines": [5]}
    assert document["results"] == [{"path": "/x", "allowed": False, "line": 6, "rule": "Disallow: /"}]
    assert document["crawl_delay"] == 3.0


def test_missing_file_is_an_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError, match="cannot read"):
        run([str(tmp_path / "absent.txt"), "--agent", "x"], capsys)


class _Handler(http.server.BaseHTTPRequestHandler):
    seen_agents: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        _Handler.seen_agents.append(self.headers.get("User-Agent", ""))
        host = self.headers.get("Host", "")
        status = {"gone": 404, "down": 503}.get(self.server.mode, 200)  # type: ignore[attr-defined]
        body = ROBOTS if status == 200 and self.path == "/robots.txt" else b"no"
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        del host

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[http.server.HTTPServer]:
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    httpd.mode = "ok"  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_fetch_from_url(server: http.server.HTTPServer, capsys: pytest.CaptureFixture[str]) -> None:
    base = f"http://127.0.0.1:{server.server_address[1]}"
    code, out = run([base + "/private/x?y=1", "--agent", "OtherBot/1.0"], capsys)
    assert code == 0
    assert out.split() == ["disallowed", "/private/x?y=1", "line", "2:", "Disallow:", "/private/"]
    assert _Handler.seen_agents[-1] == "OtherBot/1.0"


def test_fetch_404_means_everything_allowed(server: http.server.HTTPServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.mode = "gone"  # type: ignore[attr-defined]
    code, out = run([f"http://127.0.0.1:{server.server_address[1]}", "--agent", "x", "/a"], capsys)
    assert code == 0 and out.startswith("allowed")


def test_fetch_503_is_an_error(server: http.server.HTTPServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.mode = "down"  # type: ignore[attr-defined]
    with pytest.raises(InputError, match="HTTP 503"):
        run([f"http://127.0.0.1:{server.server_address[1]}", "--agent", "x", "/a"], capsys)


def test_registered_in_main_cli(robots_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from scrapecheck import cli

    code = cli.main(["robots", str(robots_file), "--agent", "x", "/private/x"])
    assert code == 1 - 1
    assert capsys.readouterr().out.startswith("disallowed")
