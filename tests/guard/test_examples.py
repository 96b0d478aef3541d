"""The Guard examples (requests, sync; httpx, async) run as written against a server on 127.0.0.1."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import Web

pytestmark = pytest.mark.slow

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "guard"


def site(web: Web) -> None:
    web.robots("User-agent: *\nDisallow: /private\nCrawl-delay: 0.05\n")
    web.route("/", body='<a href="/a">a</a> <a href="/private/b">b</a> <a href="/noai">c</a> <a href="/moved">d</a>',
              content_type="text/html")
    web.route("/a", body='<a href="/">home</a>', content_type="text/html")
    web.route("/noai", body="<p>mine</p>", content_type="text/html", headers={"X-Robots-Tag": "noai"})
    web.route("/moved", status=301, headers={"Location": "/private/c"})


@pytest.mark.parametrize("script", ["requests_crawl.py", "httpx_crawl.py"])
def test_example_crawls_only_what_the_guard_allows(web: Web, script: str) -> None:
    pytest.importorskip(script.split("_")[0])
    site(web)
    done = subprocess.run([sys.executable, str(EXAMPLES / script), web.origin + "/", "--allow-private"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = sorted(done.stdout.splitlines())
    o = web.origin
    assert [line.split(" (")[0] for line in lines if line.startswith("keep")] == [f"keep {o}/", f"keep {o}/a"]
    assert any(line.startswith(f"skip {o}/private/b: ROB-001") for line in lines)
    assert any(line.startswith(f"skip {o}/private/c: ROB-001") for line in lines)  # reached by a redirect
    assert any(line.startswith(f"drop {o}/noai: AIO-012") for line in lines)
    assert not any(path.startswith("/private") for path in web.paths())


def test_example_without_opt_in_refuses_a_private_address(web: Web) -> None:
    site(web)
    done = subprocess.run([sys.executable, str(EXAMPLES / "requests_crawl.py"), web.origin + "/"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith(f"skip {web.origin}/: ROB-051")
    assert web.hits == []
