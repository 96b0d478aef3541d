"""Snapshot round trips: fetch → save → load → evaluate offline gives the findings of a live evaluate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scrapecheck import evaluate, load_plan
from scrapecheck.cli import main
from scrapecheck.errors import SignalsError
from scrapecheck.signals.fetch import collect
from scrapecheck.signals.snapshot import dump_signals, load_signals, save_signals

from .conftest import FAST, Site

ROBOTS = """# No AI training on this site.
User-agent: GPTBot
Disallow: /

User-agent: *
Content-Signal: search=yes, ai-train=no
Disallow: /private/
"""


def serve_everything(site: Site, refused: Site) -> None:
    site.robots(ROBOTS)
    site.route("/", body='<html><head><meta name="robots" content="noai"></head></html>', content_type="text/html",
               headers={"X-Robots-Tag": "noimageai"})
    site.route("/.well-known/tdmrep.json", body='[{"location": "/*", "tdm-reservation": 1}]',
               content_type="application/json")
    refused.route("/robots.txt", status=403)


def write_plan(tmp_path: Path, *urls: str, kind: str = "ai-training") -> Path:
    targets = "".join(f'\n[[targets]]\nurl = "{url}"\nrequests_per_second = 1.0\n' for url in urls)
    path = tmp_path / "crawl.toml"
    path.write_text(f'version = 1\n\n[crawler]\nname = "roundtrip"\nuser_agent = "AcmeBot/1.0"\n\n'
                    f'[purpose]\nkind = "{kind}"\n{targets}', encoding="utf-8")
    return path


def finding_keys(report) -> list[tuple]:  # type: ignore[no-untyped-def]
    return [(f.rule_id, f.target, f.message, json.dumps(f.evidence, sort_keys=True)) for f in report.findings]


def test_fetch_save_load_evaluate_matches_a_live_evaluate(site: Site, other_site: Site, closed_port: int,
                                                         tmp_path: Path) -> None:
    serve_everything(site, other_site)
    dead = f"http://127.0.0.1:{closed_port}/"
    plan = load_plan(write_plan(tmp_path, f"{site.origin}/", f"{other_site.origin}/", dead))

    saved = save_signals(collect(plan, config=FAST), tmp_path / "signals.json")
    offline = evaluate(plan, offline=True, signals=load_signals(saved))
    live = evaluate(plan, allow_private_networks=True)

    assert finding_keys(offline) == finding_keys(live)
    ids = {f.rule_id for f in offline.findings}
    assert {"AIO-010", "AIO-011", "AIO-012", "AIO-014", "AIO-015", "ROB-050", "ROB-051"} <= ids
    assert offline.signals["targets"][site.origin]["robots"]["sha256"]  # the report embeds what it used


def test_search_indexing_plan_is_not_judged_by_ai_training_reservations(site: Site, other_site: Site,
                                                                       tmp_path: Path) -> None:
    serve_everything(site, other_site)
    plan = load_plan(write_plan(tmp_path, f"{site.origin}/", kind="search-indexing"))
    report = evaluate(plan, allow_private_networks=True)
    assert not {f.rule_id for f in report.findings} & {"AIO-010", "AIO-011", "AIO-012", "AIO-014", "AIO-015"}


def test_cli_fetch_then_check_with_signals_equals_live_check(site: Site, other_site: Site, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    serve_everything(site, other_site)
    plan = str(write_plan(tmp_path, f"{site.origin}/", f"{other_site.origin}/"))
    signals = str(tmp_path / "signals.json")

    assert main(["fetch", plan, "-o", signals, "--timeout", "2", "--retries", "0", "--allow-private"]) == 0
    fetched = capsys.readouterr()
    assert "robots.txt ok (HTTP 200)" in fetched.err and "refused (HTTP 403)" in fetched.err

    offline_status = main(["check", plan, "--offline", "--signals", signals, "--format", "json"])
    offline = json.loads(capsys.readouterr().out)
    live_status = main(["check", plan, "--format", "json", "--allow-private"])
    live = json.loads(capsys.readouterr().out)

    assert offline_status == live_status == 1
    assert offline["findings"] == live["findings"]
    assert offline["signals"]["targets"][site.origin]["robots"]["body"] == ROBOTS


def test_cli_fetch_to_stdout_writes_signals_json(site: Site, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    site.robots("User-agent: *\nAllow: /\n")
    assert main(["fetch", str(write_plan(tmp_path, f"{site.origin}/")), "--robots-only", "--allow-private"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["targets"][site.origin]["robots"]["outcome"] == "ok"
    assert data["targets"][site.origin]["opt_outs"] is None


def test_dump_is_stable_and_round_trips(site: Site) -> None:
    site.robots(ROBOTS)
    from .conftest import make_plan

    signals = collect(make_plan(f"{site.origin}/"), config=FAST)
    text = dump_signals(signals)
    assert text.endswith("\n") and json.loads(text)["targets"]
    from scrapecheck.signals.model import Signals

    assert Signals.model_validate_json(text) == signals


def test_save_to_an_unwritable_place_names_the_file(tmp_path: Path) -> None:
    from scrapecheck.signals.model import Signals

    with pytest.raises(SignalsError, match="cannot write"):
        save_signals(Signals(), tmp_path / "missing-dir" / "signals.json")


def test_fetch_output_must_be_json(tmp_path: Path, capsys) -> None:
    from scrapecheck.cli import main

    plan = tmp_path / "p.toml"
    plan.write_text('version = 1\n[crawler]\nname = "t"\nuser_agent = "T"\n[[targets]]\nurl = "http://127.0.0.1:9/"\n')
    assert main(["fetch", str(plan), "-o", str(tmp_path / "sig.yaml")]) == 2
    assert "name the file *.json" in capsys.readouterr().err
