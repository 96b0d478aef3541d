"""Audit a small URL list for opt-outs into Parquet, then ask duckdb which rows to drop and why.

    python examples/audit_parquet_duckdb.py [WORKDIR]

Runs offline: the signals are a recorded file (what ``scrapecheck fetch`` or ``scrapecheck audit --fetch``
writes), here made up for three sites. Needs the ``parquet`` extra (pyarrow) and duckdb.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import duckdb

from scrapecheck.cli import main as scrapecheck

SIGNALS = {
    "version": 1,
    "targets": {
        "https://news.example": {"origin": "https://news.example", "opt_outs": [], "robots": {
            "url": "https://news.example/robots.txt", "outcome": "ok", "status": 200,
            "body": "User-agent: *\nDisallow: /drafts/\n\nUser-agent: GPTBot\nDisallow: /\n"}},
        "https://shop.example": {"origin": "https://shop.example", "opt_outs": [], "robots": {
            "url": "https://shop.example/robots.txt", "outcome": "ok", "status": 200,
            "body": "User-agent: *\nContent-Signal: ai-train=no\nAllow: /\n"}},
        "https://wiki.example": {"origin": "https://wiki.example", "opt_outs": [], "robots": {
            "url": "https://wiki.example/robots.txt", "outcome": "not-found", "status": 404}},
    },
}
URLS = ["https://news.example/2026/11/story", "https://news.example/drafts/next", "https://shop.example/item/42",
        "https://wiki.example/Main_Page", "https://unknown.example/"]


def run(workdir: Path) -> list[tuple]:
    (workdir / "signals.json").write_text(json.dumps(SIGNALS), encoding="utf-8")
    (workdir / "urls.txt").write_text("\n".join(URLS) + "\n", encoding="utf-8")
    out = workdir / "audit.parquet"
    status = scrapecheck(["audit", str(workdir / "urls.txt"), "--agent", "AcmeBot/1.0", "--purpose", "ai-training",
                          "--signals", str(workdir / "signals.json"), "--format", "parquet", "-o", str(out)])
    if status != 0:
        raise SystemExit(f"audit failed with exit status {status}")
    return duckdb.sql(
        "SELECT url, acmebot_verdict, CASE acmebot_verdict WHEN 'disallowed' THEN acmebot_robots_rule "
        "WHEN 'reserved' THEN acmebot_optout_kind || ' from ' || acmebot_optout_source ELSE robots_outcome END "
        f"FROM read_parquet('{out}') WHERE NOT keep ORDER BY row").fetchall()


if __name__ == "__main__":
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp(prefix="scrapecheck-audit-"))
    for url, verdict, why in run(folder):
        print(f"drop {url}: {verdict} ({why})")
