"""``scrapecheck robots``: against a local file and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import argparse
import http.server
import json
import threading
from pathlib import Path
from typing import Iterator

import pytest

from scrapecheck.commands import robots as command
from scrapecheck.errors import InputError

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
    code, out = run([str(robots_file), "--agent", "AcmeBot/2 (+https://acme.example)", "--format", "json", "/x"],
                    capsys)
    document = json.loads(out)
    assert code == 0
    assert document["product_token"] == "AcmeBot"
    assert document["group"] == {"agents": ["AcmeBot"], "lines": [5]}
    assert document["results"] == [{"path": "/x", "allowed": False, "line": 6, "rule": "Disallow: /", "reason": None}]
    assert document["crawl_delay"] == 3.0
    assert document["outcome"] == "ok" and document["fetch"] is None


def test_missing_file_is_an_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError, match="no such file"):
        run([str(tmp_path / "absent.txt"), "--agent", "x"], capsys)
    with pytest.raises(InputError, match="give a URL such as https://example.com/"):
        run(["example.invalid", "--agent", "x"], capsys)


# --- local files: bounded reads ------------------------------------------------------------------------------


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_special_files_are_refused_without_reading(special: str, capsys: pytest.CaptureFixture[str]) -> None:
    if not Path(special).exists():
        pytest.skip(f"no {special} here")
    with pytest.raises(InputError, match="not a regular file"):
        run([special, "--agent", "A", "/"], capsys)


def test_fifo_is_refused_without_blocking(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import os

    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    fifo = tmp_path / "robots.fifo"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        run([str(fifo), "--agent", "A", "/"], capsys)


def test_directory_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InputError, match="is a directory"):
        run([str(tmp_path), "--agent", "A", "/"], capsys)


def test_file_over_the_cap_is_refused_and_one_under_it_is_read(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(command, "MAX_FILE_BYTES", 1024)
    big = tmp_path / "big.txt"
    big.write_bytes(b"User-agent: *\nDisallow: /x\n" + b"# padding\n" * 200)
    with pytest.raises(InputError, match="over the 1024-byte limit"):
        run([str(big), "--agent", "A", "/x"], capsys)
    big.write_bytes(b"User-agent: *\nDisallow: /x\n" + b"# pad\n" * 100)
    code, out = run([str(big), "--agent", "A", "/x"], capsys)
    assert code == 0 and out.startswith("disallowed")


def test_cli_refuses_dev_zero_with_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    from scrapecheck import cli

    if not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero here")
    assert cli.main(["robots", "/dev/zero", "--agent", "A", "/"]) == 2
    err = capsys.readouterr().err
    assert "not a regular file" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


# --- malformed URLs --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("url", "message"), [
    ("http://[::1", "not a valid URL"),
    ("http://[::1/robots.txt", "not a valid URL"),
    ("https://example.com:99999/", "Port out of range"),
    ("https://example.com:http/", "not a valid URL"),
    ("http:///path", "URL has no host"),
    ("http://exa mple.com/", "not a valid URL"),
])
def test_malformed_urls_exit_2_with_one_line(url: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    from scrapecheck import cli

    assert cli.main(["robots", url, "--agent", "a", "/"]) == 2
    captured = capsys.readouterr()
    assert message in captured.err and "Traceback" not in captured.err
    assert len(captured.err.strip().splitlines()) == 1 and captured.out == ""
    with pytest.raises(InputError, match=message):
        run([url, "--agent", "a", "/"], capsys)


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
    code, out = run([base + "/private/x?y=1", "--agent", "OtherBot/1.0", "--allow-private"], capsys)
    assert code == 0
    assert out.split() == ["disallowed", "/private/x?y=1", "line", "2:", "Disallow:", "/private/"]
    assert _Handler.seen_agents[-1] == "OtherBot/1.0"


def test_fetch_404_means_everything_allowed(server: http.server.HTTPServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.mode = "gone"  # type: ignore[attr-defined]
    base = f"http://127.0.0.1:{server.server_address[1]}"
    code, out = run([base, "--agent", "x", "--allow-private", "/a"], capsys)
    assert code == 0 and out.startswith("allowed")


def test_fetch_503_disallows_everything(server: http.server.HTTPServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.mode = "down"  # type: ignore[attr-defined]
    base = f"http://127.0.0.1:{server.server_address[1]}"
    code, out = run([base, "--agent", "x", "--retries", "0", "--allow-private", "/a"], capsys)
    assert code == 0 and out.split() == ["disallowed", "/a", "(robots.txt", "unreachable)"]


def test_command_has_no_network_code_of_its_own() -> None:
    """DESIGN.md: network lives in one module (signals/fetch.py); the command goes through it."""
    source = Path(command.__file__).read_text(encoding="utf-8")
    assert "urllib3" not in source and "fetch_robots" in source


def test_registered_in_main_cli(robots_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from scrapecheck import cli

    code = cli.main(["robots", str(robots_file), "--agent", "x", "/private/x"])
    assert code == 1 - 1
    assert capsys.readouterr().out.startswith("disallowed")


@pytest.mark.parametrize("body", [
    "User-agent: *\nDisallow: /\n".encode("utf-16"),                   # UTF-16 with its byte-order mark
    b"\x89PNG\r\n\x1a\n" + bytes(range(256)),
])
def test_a_binary_file_is_said_to_hold_no_rule(tmp_path: Path, body: bytes, capsys: pytest.CaptureFixture[str]) -> None:
    """Google's parser reads no rule in a UTF-16 file or an image, so every path is allowed: the answer is right,
    but it must not look like a file of rules that allows the path (it printed only 'allowed (no matching rule)')."""
    from scrapecheck import cli

    robots = tmp_path / "robots.txt"
    robots.write_bytes(body)
    assert cli.main(["robots", str(robots), "--agent", "A", "/x"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("allowed")
    assert "looks binary" in captured.err and "no rule" in captured.err
