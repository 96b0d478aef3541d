"""A report embeds what the evidence needs: a local snapshot file is named and hashed, not copied."""

from __future__ import annotations

import hashlib
from pathlib import Path

import scrapecheck

PLAN = Path(__file__).resolve().parent.parent / "examples" / "plans" / "linkedin-fake-accounts.toml"


def test_snapshot_file_body_stays_out_of_the_report_but_its_identity_is_there() -> None:
    report = scrapecheck.evaluate(scrapecheck.load_plan(PLAN), offline=True)
    robots = report.signals["targets"]["https://www.linkedin.com"]["robots"]
    raw = (PLAN.parent / "snapshots" / "linkedin.com.txt").read_bytes()
    assert "body" not in robots and "body_base64" not in robots
    assert robots["file"] == "snapshots/linkedin.com.txt"
    assert robots["sha256"] == hashlib.sha256(raw).hexdigest() and robots["size"] == len(raw)
    # the findings still quote the deciding line
    rob = next(f for f in report.findings if f.rule_id == "ROB-001")
    assert "Disallow: /" in str(rob.evidence)


def test_inline_snapshot_and_fetched_bodies_are_kept(tmp_path: Path) -> None:
    plan = tmp_path / "p.toml"
    plan.write_text('version = 1\n[crawler]\nname = "t"\nuser_agent = "TBot/1.0"\n[[targets]]\n'
                    'url = "https://e.example/x"\nrobots_txt = "User-agent: *\\nDisallow: /x"\n', encoding="utf-8")
    report = scrapecheck.evaluate(scrapecheck.load_plan(plan), offline=True)
    assert report.signals["targets"]["https://e.example"]["robots"]["body"] == "User-agent: *\nDisallow: /x"
