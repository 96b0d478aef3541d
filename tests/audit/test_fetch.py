"""``--fetch`` against real servers on 127.0.0.1: each origin once, RFC 9309 outcomes, private addresses refused
unless allowed, and a journal that lets an interrupted audit resume without fetching again."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import pytest
from signals.conftest import FAST, Site, closed_port, other_site, site  # noqa: F401 - the 127.0.0.1 servers

import scrapecheck
from scrapecheck.cli import main


@pytest.fixture
def sites(site: Site, other_site: Site, closed_port: int) -> tuple[Site, Site, str]:
    site.robots("User-agent: *\nDisallow: /private/\n")
    other_site.route("/robots.txt", status=503)
    return site, other_site, f"http://127.0.0.1:{closed_port}"


def _urls(a: Site, b: Site, dead: str) -> list[str]:
    return [f"{a.origin}/x", f"{b.origin}/y", f"{a.origin}/private/z", f"{dead}/w", f"{a.origin}/again"]


def robots_hits(site: Site) -> int:
    return site.paths_hit().count("/robots.txt")


def test_each_origin_fetched_once_rows_in_order(sites: tuple[Site, Site, str]) -> None:
    a, b, dead = sites
    urls = _urls(a, b, dead)
    rows = list(scrapecheck.audit(urls, agents=["AcmeBot"], purpose="ai-training", fetch=True, fetch_config=FAST))
    assert [r.url for r in rows] == urls
    assert [r.agents[0].verdict for r in rows] == ["allowed", "disallowed", "disallowed", "disallowed", "allowed"]
    assert [r.robots_outcome for r in rows] == ["ok", "unreachable", "ok", "unreachable", "ok"]
    assert rows[2].agents[0].robots_rule == "Disallow: /private/"
    assert robots_hits(a) == 1 and robots_hits(b) == 3  # one fetch; 503 retried twice (RFC 9309 fetch semantics)
    assert "/.well-known/tdmrep.json" in a.paths_hit()
    assert all("scrapecheck/" in agent for _, agent in a.hits)  # fetched as scrapecheck, not as the audited agent


def test_private_addresses_refused_unless_allowed(site: Site) -> None:
    site.robots("User-agent: *\nAllow: /\n")
    config = FAST.__class__(**{**FAST.__dict__, "allow_private_networks": False})
    rows = list(scrapecheck.audit([f"{site.origin}/a"], agents=["AcmeBot"], purpose="research", fetch=True,
                                  fetch_config=config))
    assert site.hits == []
    assert rows[0].robots_outcome == "unreachable" and not rows[0].keep
    rows = list(scrapecheck.audit([f"{site.origin}/a"], agents=["AcmeBot"], purpose="research", fetch=True,
                                  fetch_config=config, allow_private_networks=True))
    assert rows[0].robots_outcome == "ok" and rows[0].keep


def test_interrupted_audit_resumes_from_the_journal(sites: tuple[Site, Site, str], tmp_path: Path) -> None:
    a, b, dead = sites
    journal = tmp_path / "j.jsonl"
    one_at_a_time = FAST.__class__(**{**FAST.__dict__, "max_concurrency": 1})
    urls = [f"{a.origin}/1"] + [f"{a.origin}/{n}" for n in range(2, 50)] + [f"{b.origin}/1", f"{dead}/1"]
    rows = scrapecheck.audit(urls, agents=["AcmeBot"], purpose="research", fetch=True, fetch_config=one_at_a_time,
                             journal=journal)
    first = next(rows)  # the first origin is fetched; then the run is stopped
    rows.close()
    assert first.robots_outcome == "ok"
    recorded = [json.loads(line)["origin"] for line in journal.read_text(encoding="utf-8").splitlines()]
    assert a.origin in recorded and len(recorded) < 3
    hits_a = robots_hits(a)
    done = list(scrapecheck.audit(urls, agents=["AcmeBot"], purpose="research", fetch=True,
                                  fetch_config=one_at_a_time, journal=journal))
    assert robots_hits(a) == hits_a  # read back, not fetched again
    assert [r.robots_outcome for r in done[-2:]] == ["unreachable", "unreachable"]
    assert len(journal.read_text(encoding="utf-8").splitlines()) == 3
    again = list(scrapecheck.audit(urls, agents=["AcmeBot"], purpose="research", fetch=True,
                                   fetch_config=one_at_a_time, journal=journal))
    assert robots_hits(a) == hits_a and robots_hits(b) == 3
    assert [r.keep for r in again] == [r.keep for r in done]


def test_cut_journal_line_is_dropped_and_refetched(site: Site, tmp_path: Path) -> None:
    site.robots("User-agent: *\nDisallow: /\n")
    journal = tmp_path / "j.jsonl"
    list(scrapecheck.audit([f"{site.origin}/a"], agents=["A"], purpose="other", fetch=True, fetch_config=FAST,
                           journal=journal))
    text = journal.read_text(encoding="utf-8")
    journal.write_text(text[: len(text) // 2], encoding="utf-8")  # killed mid-write
    rows = list(scrapecheck.audit([f"{site.origin}/a"], agents=["A"], purpose="other", fetch=True,
                                  fetch_config=FAST, journal=journal))
    assert rows[0].agents[0].verdict == "disallowed" and robots_hits(site) == 2
    assert len(journal.read_text(encoding="utf-8").splitlines()) == 1


def test_cli_fetch_writes_a_journal_and_resumes(sites: tuple[Site, Site, str], tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    a, b, dead = sites
    source = tmp_path / "urls.txt"
    source.write_text("\n".join(_urls(a, b, dead)) + "\n", encoding="utf-8")
    out = tmp_path / "audit.csv"
    args = ["audit", str(source), "--agent", "AcmeBot", "--purpose", "ai-training", "--fetch", "--allow-private",
            "--timeout", "1", "--retries", "0", "-o", str(out)]
    assert main(args) == 0
    assert "origins fetched: 3, read back from the journal: 0" in capsys.readouterr().err
    assert (tmp_path / "audit.journal.jsonl").exists()
    first = out.read_text(encoding="utf-8")
    assert main(args) == 0
    assert "origins fetched: 0, read back from the journal: 3" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == first
    assert robots_hits(a) == 1
    with open(tmp_path / "audit.origins.csv", newline="", encoding="utf-8") as handle:
        origins = {r["origin"]: r for r in csv.DictReader(handle)}
    assert origins[a.origin]["robots_sha256"] and origins[a.origin]["fetched_at"]


def test_cli_refuses_private_without_the_flag(site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    site.robots("User-agent: *\nAllow: /\n")
    source = tmp_path / "urls.txt"
    source.write_text(f"{site.origin}/a\n", encoding="utf-8")
    assert main(["audit", str(source), "--agent", "A", "--purpose", "other", "--fetch", "--timeout", "1",
                 "--format", "jsonl"]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["robots_outcome"] == "unreachable" and site.hits == []


def test_dask_engine_fetches_each_origin_once_and_resumes(sites: tuple[Site, Site, str], tmp_path: Path) -> None:
    """--fetch on Dask: origins are partitioned, so each is fetched once in all; journals per partition resume."""
    pytest.importorskip("distributed")
    pq = pytest.importorskip("pyarrow.parquet")
    from scrapecheck.audit.run import AuditJob, run

    a, b, dead = sites
    source = tmp_path / "urls.txt"
    urls = _urls(a, b, dead) * 2
    source.write_text("\n".join(urls) + "\n", encoding="utf-8")
    out = tmp_path / "dask"

    def audit() -> list[dict[str, object]]:
        run(AuditJob(input=str(source), agents=["AcmeBot"], purpose="ai-training", fetch=True, output=str(out),
                     engine="dask", workers=1, dask_processes=False, partitions=2, progress=False,
                     fetch_config=dataclasses.replace(FAST, retries=0), allow_private=True))
        parts = sorted((out / "rows").glob("part-*.parquet"))
        return sorted((row for part in parts for row in pq.read_table(part).to_pylist()), key=lambda r: r["row"])

    rows = audit()
    assert [r["url"] for r in rows] == urls
    assert [r["acmebot_verdict"] for r in rows[:5]] == ["allowed", "disallowed", "disallowed", "disallowed", "allowed"]
    assert robots_hits(a) == 1 and robots_hits(b) == 1
    assert audit() == rows and robots_hits(a) == 1 and robots_hits(b) == 1  # read back from the journals
