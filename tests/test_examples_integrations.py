"""The Scrapy and audit examples do what their docstrings say, not only exit 0 (test_examples runs them too)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def _run(script: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(EXAMPLES / script), *args], capture_output=True, text=True,
                          timeout=120, cwd=str(EXAMPLES))
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.mark.slow
def test_scrapy_example_drops_the_disallowed_link_and_the_noai_page() -> None:
    pytest.importorskip("scrapy")
    out = _run("scrapy_guarded_spider.py")
    reached = [line.split()[1] for line in out.splitlines() if line.startswith("reached ")]
    assert any(url.endswith("/articles/1") for url in reached)
    assert not any("/private/" in url or url.endswith("/gallery") for url in reached)
    assert "scrapecheck/refused/ROB-001 1" in out and "scrapecheck/response_refused/AIO-012 1" in out


def test_audit_example_lists_the_rows_to_drop(tmp_path: Path) -> None:
    pytest.importorskip("duckdb")
    out = _run("audit_parquet_duckdb.py", str(tmp_path))
    assert "drop https://news.example/drafts/next: disallowed (Disallow: /drafts/)" in out
    assert "drop https://shop.example/item/42: reserved (content-signal" in out
    assert "wiki.example" not in out  # robots.txt 404: no restrictions, the row is kept
    assert (tmp_path / "audit.parquet").is_file()
