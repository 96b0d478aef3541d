"""``--engine dask``: the same audit, partitioned by origin over a Dask cluster (the optional ``dask`` extra).

Reading: each Parquet row group is read by a worker, which numbers its rows (from the row-group offsets) and
splits them into ``P`` buckets by a stable hash of the URL's origin; other input formats are first converted
to a temporary Parquet file by the same readers as the local engine, so both engines see the same rows.
Auditing: bucket ``p`` from every reader goes to one task, so each origin lives in exactly one partition: its
signals are loaded (or fetched, once, journaled per partition) and compiled there only. Each task writes
``OUT/rows/part-<p>.parquet`` (rows sorted by ``row``) and returns its tally; the driver merges the tallies
into the origin, domain and headline tables (``OUT/origins.parquet``, ``OUT/domains.parquet``,
``OUT/summary.parquet``). The rows directory is written under a temporary name and renamed when complete.
Without ``--scheduler`` a local cluster is started (``workers`` processes, one thread each) and closed after.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import zlib
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional, Sequence

from ..errors import InputError, ScrapecheckError
from . import columns as cols
from .inputs import InputSpec, records
from .origins import OriginCache
from .pipeline import Auditor, Tally
from .tables import domain_table, origin_table, summary_table

if TYPE_CHECKING:
    from .run import AuditJob

ROW_GROUP = 262_144


def _need_dask() -> None:
    try:
        import dask  # noqa: F401
        import distributed  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError:
        raise ScrapecheckError("--engine dask needs dask, distributed and pyarrow: "
                               "pip install 'scrapecheck[dask]'") from None


def partition_of(origin: Optional[str], partitions: int) -> int:
    """A stable bucket for an origin (crc32, not Python's per-process salted hash); invalid URLs go to 0."""
    return 0 if origin is None else zlib.crc32(origin.encode("utf-8", "surrogatepass")) % partitions


def _to_parquet(spec: InputSpec, folder: Path) -> tuple[str, str]:
    """Text, CSV, TSV or JSONL input as a one-column Parquet file, read by the local engine's readers."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .pipeline import NotAUrl

    path = folder / "input.parquet"
    schema = pa.schema([pa.field("url", pa.string()), pa.field("reason", pa.string())])
    written = False
    with pq.ParquetWriter(path, schema) as writer:
        urls: list[Optional[str]] = []
        reasons: list[Optional[str]] = []
        for url, _ in records(spec):
            if url is None:
                continue
            if isinstance(url, NotAUrl):
                urls.append(None)
                reasons.append(url.reason)
            else:
                urls.append(url)
                reasons.append(None)
            if len(urls) >= ROW_GROUP:
                writer.write_table(pa.table([urls, reasons], schema=schema))
                urls, reasons, written = [], [], True
        if urls or not written:
            writer.write_table(pa.table([urls, reasons], schema=schema))
    return str(path), "url"


def _read_split(path: str, group: int, offset: int, column: str, partitions: int) -> list[Any]:
    """Row group ``group`` of the input, numbered from ``offset``, split into buckets by origin."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    handle = pq.ParquetFile(path)
    names = handle.schema_arrow.names
    wanted = [column] + (["reason"] if "reason" in names and column == "url" else [])
    table = handle.read_row_group(group, columns=wanted)
    urls = table.column(0).to_pylist()
    reasons = table.column(1).to_pylist() if len(wanted) > 1 else [None] * len(urls)
    origin_of = OriginCache()
    buckets: list[tuple[list[int], list[Any], list[Any]]] = [([], [], []) for _ in range(partitions)]
    for i, url in enumerate(urls):
        origin = origin_of(url)[0] if isinstance(url, str) else None
        bucket = buckets[partition_of(origin, partitions)]
        bucket[0].append(offset + i)
        bucket[1].append(url)
        bucket[2].append(reasons[i])
    schema = pa.schema([pa.field("row", pa.int64()), pa.field("url", pa.string()),
                        pa.field("reason", pa.string())])
    return [pa.table(list(b), schema=schema) for b in buckets]


@lru_cache(maxsize=4)
def _recorded(path: str, mtime: float) -> Any:
    from .api import load_signals_input

    return load_signals_input(path)


def _audit_part(pieces: Sequence[Any], part: int, folder: str, agents: Sequence[cols.Agent], purpose: str,
                signals: Optional[str], fetch: Optional[dict[str, Any]], max_origins: int) -> Tally:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .pipeline import NotAUrl
    from .sources import FetchSource, RecordedSource
    from .writers import arrow_table

    table = pa.concat_tables(pieces).sort_by("row")
    numbers = table.column("row").to_pylist()
    urls = [url if url is not None or reason is None else NotAUrl(reason)
            for url, reason in zip(table.column("url").to_pylist(), table.column("reason").to_pylist())]
    source: Any
    if signals is not None:
        source = RecordedSource(_recorded(signals, os.stat(signals).st_mtime))
    else:
        assert fetch is not None
        source = FetchSource(**fetch)
    tally = Tally(agents)
    auditor = Auditor(agents, purpose, source, max_origins=max_origins, tally=tally)
    try:
        rows = [(numbers[r[0]],) + r[1:] for r in auditor.rows(urls)]
    finally:
        source.close()
    target = Path(folder) / f"part-{part:05d}.parquet"
    pq.write_table(arrow_table(rows, cols.row_columns(agents)), target, compression="zstd")
    return tally


def run_dask(job: "AuditJob", spec: InputSpec, agents: Sequence[cols.Agent]) -> Tally:
    """Run the audit on Dask; see the module docstring for the layout of ``job.output``."""
    _need_dask()
    if job.filter:
        raise InputError("--engine", "engine", "--filter runs on the local engine only")
    if not job.output:
        raise InputError("--output", "output", "--engine dask writes a directory of Parquet files: give --output DIR")
    if job.format not in (None, "parquet"):
        raise InputError("--format", "format", "--engine dask writes Parquet")
    out = Path(job.output)
    if out.exists() and not out.is_dir():
        raise InputError(job.output, "--output", "exists and is not a directory")
    if job.signals is None and not job.fetch:
        raise InputError("audit", "signals", "no signals: give --signals FILE or --fetch")
    if job.signals is not None:
        from .api import load_signals_input

        load_signals_input(job.signals)  # a bad file is reported here, once, not by every worker
    import dask
    import pyarrow.parquet as pq
    from distributed import Client, LocalCluster

    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".audit-", dir=out))
    try:
        if spec.format == "parquet":
            path, column = spec.path, spec.column
            from .inputs import parquet_file

            parquet_file(spec)  # clear error for a missing column
        else:
            path, column = _to_parquet(spec, scratch)
        metadata = pq.ParquetFile(path).metadata
        sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
        with contextlib.ExitStack() as stack:
            if job.scheduler:
                client = stack.enter_context(Client(job.scheduler))
                workers = max(1, len(client.scheduler_info().get("workers", {})))
            else:
                workers = job.workers
                cluster = stack.enter_context(LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=job.dask_processes,
                    dashboard_address=None))
                client = stack.enter_context(Client(cluster))
            partitions = job.partitions or 2 * workers
            offsets = [sum(sizes[:i]) for i in range(len(sizes))]
            reads = [dask.delayed(_read_split, nout=partitions, pure=True)(path, g, offsets[g], column, partitions)
                     for g in range(len(sizes))]
            rows_tmp = scratch / "rows"
            rows_tmp.mkdir()
            fetch: Optional[dict[str, Any]] = None
            if job.fetch:
                from .._version import __version__

                journal_dir = out / "journal"
                journal_dir.mkdir(exist_ok=True)
                fetch = {"user_agent": job.user_agent or f"scrapecheck/{__version__} (dataset audit)",
                         "config": job.fetch_config, "allow_private_networks": job.allow_private}
            tasks = []
            for p in range(partitions):
                pieces = [read[p] for read in reads]
                part_fetch = None if fetch is None else {**fetch, "journal": str(out / "journal" / f"part-{p:05d}.jsonl")}
                tasks.append(dask.delayed(_audit_part)(pieces, p, str(rows_tmp), tuple(agents), job.purpose,
                                                       job.signals, part_fetch, job.max_origins))
            tallies = dask.compute(*tasks)
        tally = Tally(agents)
        for part in tallies:
            tally.merge(part)
        final = out / "rows"
        if final.exists():
            shutil.rmtree(final)
        os.replace(rows_tmp, final)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    from .writers import write_table

    write_table(str(out / "origins.parquet"), "parquet", cols.origin_columns(agents), origin_table(tally))
    write_table(str(out / "domains.parquet"), "parquet", cols.domain_columns(agents), domain_table(tally))
    write_table(str(out / "summary.parquet"), "parquet", cols.summary_columns(agents), summary_table(tally))
    return tally


__all__ = ["partition_of", "run_dask"]
