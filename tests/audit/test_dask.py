"""``--engine dask`` on a small local cluster agrees row for row with the single-process engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scrapecheck.audit.columns import agents_from, row_columns
from scrapecheck.audit.run import AuditJob, run
from scrapecheck.cli import main

from .data import SIGNALS, URLS

pytest.importorskip("distributed")
pq = pytest.importorskip("pyarrow.parquet")
pa = pytest.importorskip("pyarrow")


def _urls() -> list[str]:
    more = [f"https://{host}.example/{path}" for host in ("a", "b", "c", "d", "e") for path in
            ("", "private/1", "private/ok", "x?y=1", "page")]
    return URLS + more * 3 + ["not a url", "https://A.example:443/private/z"]


def test_dask_rows_match_the_local_engine(tmp_path: Path) -> None:
    signals = tmp_path / "signals.json"
    signals.write_text(json.dumps(SIGNALS), encoding="utf-8")
    source = tmp_path / "urls.txt"
    source.write_text("\n".join(_urls()) + "\n", encoding="utf-8")
    agents = ["AcmeBot", "GPTBot"]
    local = tmp_path / "local.parquet"
    run(AuditJob(input=str(source), agents=agents, purpose="ai-training", signals=str(signals), output=str(local),
                 progress=False))
    out = tmp_path / "dask"
    tally = run(AuditJob(input=str(source), agents=agents, purpose="ai-training", signals=str(signals),
                         output=str(out), engine="dask", workers=1, dask_processes=False, partitions=3,
                         progress=False))
    files = sorted((out / "rows").glob("part-*.parquet"))
    assert len(files) == 3
    distributed_rows = pa.concat_tables([pq.read_table(f) for f in files]).sort_by("row")
    expected = pq.read_table(local)
    names = [c.name for c in row_columns(agents_from(agents))]
    assert distributed_rows.column_names == names
    assert distributed_rows.to_pylist() == expected.to_pylist()
    # each origin lives in one partition only
    origins = [set(pq.read_table(f).column("origin").to_pylist()) - {None} for f in files]
    assert sum(len(o) for o in origins) == len(set().union(*origins))
    assert pq.read_table(out / "summary.parquet").to_pylist() == pq.read_table(
        tmp_path / "local.summary.parquet").to_pylist()
    assert pq.read_table(out / "origins.parquet").to_pylist() == pq.read_table(
        tmp_path / "local.origins.parquet").to_pylist()
    assert tally.urls == len(_urls())


def test_dask_cli_options_are_checked(tmp_path: Path, signals_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "urls.txt"
    source.write_text("https://a.example/\n", encoding="utf-8")
    common = [str(source), "--agent", "A", "--purpose", "other", "--signals", str(signals_file), "--engine", "dask"]
    assert main(["audit", *common]) == 2
    assert "--output DIR" in capsys.readouterr().err
    assert main(["audit", *common, "-o", str(tmp_path / "o"), "--filter"]) == 2
    assert "local engine only" in capsys.readouterr().err
