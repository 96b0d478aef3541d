"""``--engine dask`` on a small local cluster agrees row for row with the single-process engine."""

from __future__ import annotations

import json
import os
import sys
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


def _children() -> set[int]:
    """Processes whose parent is this one (Linux /proc)."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid():
                found.add(int(entry.name))
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked local workers are a Linux path")
def test_dask_worker_processes_over_several_chunks_match_the_local_engine(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    """Two forked worker processes, the input split in several chunks (row groups of 7 rows, chunks of at
    least 10): same rows as the local engine, no traceback on stderr, and no worker process left behind."""
    from scrapecheck.audit import dask_engine

    signals = tmp_path / "signals.json"
    signals.write_text(json.dumps(SIGNALS), encoding="utf-8")
    urls = _urls() * 2
    source = tmp_path / "urls.parquet"
    pq.write_table(pa.table({"url": urls, "other": list(range(len(urls)))}), source, row_group_size=7)
    assert pq.ParquetFile(source).metadata.num_row_groups > 3
    monkeypatch.setattr(dask_engine, "SPLIT_ROWS", 10)
    agents = ["AcmeBot"]
    local = tmp_path / "local.parquet"
    run(AuditJob(input=str(source), agents=agents, purpose="ai-training", signals=str(signals), output=str(local),
                 progress=False))
    before = _children()
    out = tmp_path / "dask"
    tally = run(AuditJob(input=str(source), agents=agents, purpose="ai-training", signals=str(signals),
                         output=str(out), engine="dask", workers=2, progress=False))
    assert tally.urls == len(urls)
    files = sorted((out / "rows").glob("part-*.parquet"))
    assert len(files) == 2
    for f in files:  # each part in row order
        rows = pq.read_table(f).column("row").to_pylist()
        assert rows == sorted(rows)
    distributed_rows = pa.concat_tables([pq.read_table(f) for f in files]).sort_by("row")
    assert distributed_rows.to_pylist() == pq.read_table(local).to_pylist()
    assert pq.read_table(out / "origins.parquet").to_pylist() == pq.read_table(
        tmp_path / "local.origins.parquet").to_pylist()
    assert not list(out.glob(".audit-*")), "scratch files left behind"
    assert _children() <= before, "worker processes left running"
    assert "Traceback" not in capfd.readouterr().err


def test_dask_jsonl_input_with_records_without_url_matches_the_local_engine(tmp_path: Path) -> None:
    """A converted input (JSONL) keeps why a record has no URL through the split, in the right rows."""
    signals = tmp_path / "signals.json"
    signals.write_text(json.dumps(SIGNALS), encoding="utf-8")
    lines = [json.dumps({"url": u}) for u in _urls()]
    lines[3:3] = ["not json", json.dumps({"link": "https://a.example/"}), json.dumps({"url": 7})]
    source = tmp_path / "urls.jsonl"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    local = tmp_path / "local.parquet"
    run(AuditJob(input=str(source), agents=["AcmeBot"], purpose="ai-training", signals=str(signals),
                 output=str(local), progress=False))
    out = tmp_path / "dask"
    run(AuditJob(input=str(source), agents=["AcmeBot"], purpose="ai-training", signals=str(signals),
                 output=str(out), engine="dask", workers=1, dask_processes=False, partitions=2, progress=False))
    rows = pa.concat_tables([pq.read_table(f) for f in sorted((out / "rows").glob("part-*.parquet"))]).sort_by("row")
    expected = pq.read_table(local).to_pylist()
    assert rows.to_pylist() == expected
    assert [r["error"] for r in expected[3:6]] == [r["error"] for r in rows.to_pylist()[3:6]]
    assert all(r["error"] for r in expected[3:6])


def test_chunks_gather_row_groups_of_at_least_the_given_rows() -> None:
    from scrapecheck.audit.dask_engine import chunks_of

    assert chunks_of([5, 5, 5, 5, 5], 10) == [([0, 1], 0), ([2, 3], 10), ([4], 20)]
    assert chunks_of([20, 3], 10) == [([0], 0), ([1], 20)]
    assert chunks_of([], 10) == [([], 0)]
    assert chunks_of([4, 4], 10) == [([0, 1], 0)]


def test_the_local_cluster_runs_without_the_profiler_and_closes() -> None:
    """The audit's own cluster: worker processes with the statistical profiler off (it interrupts every task
    every 10 ms), and nothing left running once closed."""
    from scrapecheck.audit.dask_engine import _close, _local_cluster, _warm

    def profiling() -> object:
        import dask

        return dask.config.get("distributed.worker.profile.enabled")

    _warm()
    before = _children()
    cluster, client = _local_cluster(1, True)
    try:
        assert list(client.run(profiling).values()) == [False]
    finally:
        _close(cluster, client)
    assert _children() <= before


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forked local workers are a Linux path")
def test_closing_the_local_cluster_over_a_running_task_is_quiet() -> None:
    """After an error the cluster is closed while a worker still runs a task: its nanny kills it (after a few
    seconds) and logs a warning, which must not reach stderr (the error is reported once, alone)."""
    import logging
    import time

    from scrapecheck.audit.dask_engine import _close, _local_cluster, _warm

    class Records(logging.Handler):
        def __init__(self) -> None:
            super().__init__(logging.DEBUG)
            self.seen: list[str] = []

        def emit(self, record: logging.LogRecord) -> None:
            if record.levelno >= logging.WARNING:
                self.seen.append(record.getMessage())

    _warm()
    before = _children()
    cluster, client = _local_cluster(1, True)
    records = Records()
    logger = logging.getLogger("distributed")
    logger.addHandler(records)
    try:
        def busy() -> None:
            end = time.monotonic() + 30
            while time.monotonic() < end:
                pass

        future = client.submit(busy, pure=False)
        while not any(client.processing().values()):
            time.sleep(0.05)
        started = time.monotonic()
        _close(cluster, client)
        assert future.status != "finished"
    finally:
        logger.removeHandler(records)
    assert time.monotonic() - started < 20
    assert _children() <= before
    assert records.seen == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the index is read apart only on Linux")
def test_the_signals_index_read_by_a_forked_child_is_the_drivers(tmp_path: Path) -> None:
    from scrapecheck.audit.api import load_signals_input
    from scrapecheck.audit.dask_engine import _ForkedScan

    signals = tmp_path / "signals.json"
    signals.write_text(json.dumps(SIGNALS), encoding="utf-8")
    before = _children()
    index = _ForkedScan(str(signals)).result()
    assert index.entries == load_signals_input(str(signals)).entries
    assert index.get("https://a.example").robots.body == SIGNALS["targets"]["https://a.example"]["robots"]["body"]
    left = _ForkedScan(str(signals))
    left.cancel()
    assert _children() <= before


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the index is read apart only on Linux")
def test_a_bad_signals_file_read_apart_is_the_same_one_line_error(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    from scrapecheck.errors import SignalsError

    bad = tmp_path / "signals.json"
    bad.write_text('{"version": 1, "targets": {"https://a.example": {}', encoding="utf-8")
    source = tmp_path / "urls.txt"
    source.write_text("https://a.example/\n", encoding="utf-8")
    with pytest.raises(SignalsError) as local:
        run(AuditJob(input=str(source), agents=["A"], purpose="ai-training", signals=str(bad),
                     output=str(tmp_path / "l.parquet"), progress=False))
    before = _children()
    with pytest.raises(SignalsError) as apart:
        run(AuditJob(input=str(source), agents=["A"], purpose="ai-training", signals=str(bad),
                     output=str(tmp_path / "d"), engine="dask", workers=1, progress=False))
    assert str(apart.value) == str(local.value) and apart.value.field == local.value.field
    assert _children() <= before
    common = [str(source), "--agent", "A", "--purpose", "ai-training", "--signals", str(bad)]
    assert main(["audit", *common, "--engine", "dask", "--workers", "1", "-o", str(tmp_path / "d2")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(local.value) in err
