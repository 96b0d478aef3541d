"""``--engine dask``: the same audit, partitioned by origin over a Dask cluster (the optional ``dask`` extra).

Partitioning without a shuffle: the driver works out each URL's partition once (the head the origin depends
on is cut by Arrow, each distinct head canonicalised once, a stable crc32 of the origin taken back per row)
and writes it as a one-column Parquet file beside the rows, aligned with the input's row groups; it does so
while the local cluster starts, so that work costs no time of its own. Partition ``p`` is one task, which
reads the input's URL column row group by row group (Parquet; other formats are first converted to a
temporary Parquet file by the local engine's readers, so both engines see the same rows) with the partition
column, and audits only the rows of its own origins. So each origin lives in exactly one partition: its
signals are loaded (or fetched, once, journaled per partition) and parsed there only, and nothing but small
tallies travels back. Reading the URL column once per partition costs Arrow time, not Python time.

Each task writes ``OUT/rows/part-<p>.parquet`` (rows in ``row`` order) and returns its tally; the driver merges
the tallies into the origin, domain and headline tables (``OUT/origins.parquet``, ``OUT/domains.parquet``,
``OUT/summary.parquet``). The rows directory is written under a temporary name and renamed when complete.
Worker processes keep parsed robots.txt bodies between tasks. Without ``--scheduler`` a local cluster is
started (``workers`` processes, one thread each) while the driver reads the signals file's index and the
partition column, and closed while the driver writes the tables.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import zlib
from concurrent.futures import ThreadPoolExecutor
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


REASON = "__scrapecheck_reason"
"""Column of the converted input holding why a record has no URL (a JSONL line that is not JSON ...)."""


def _to_parquet(spec: InputSpec, folder: Path) -> tuple[str, str]:
    """Text, CSV, TSV or JSONL input as a Parquet file, read by the local engine's readers (in the driver)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .pipeline import NotAUrl

    path = folder / "input.parquet"
    schema = pa.schema([pa.field("url", pa.string()), pa.field(REASON, pa.string())])
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


_HEAD = r"^[ \t]*(?P<head>[A-Za-z][A-Za-z0-9+.\-]*://[^/?#\\]*)"
"""The part of a URL its origin depends on (as :class:`~.origins.OriginCache` cuts it), for Arrow's RE2."""


class _Worker:
    """What a worker process keeps between tasks: parsed robots.txt bodies (shared by every origin serving the
    same text)."""

    bodies: Any = None

    @classmethod
    def get(cls) -> type["_Worker"]:
        if cls.bodies is None:
            from .decide import BodyCache

            cls.bodies = BodyCache()
        return cls


def partitions_of(urls: Any, partitions: int, origin_of: Any) -> Any:
    """Per URL of an Arrow string array, its origin's partition (an Arrow int32 array), computed in the map
    task: the heads are cut by Arrow (RE2), each distinct head canonicalised once in Python, then taken back."""
    import pyarrow as pa
    import pyarrow.compute as pc

    heads = pc.struct_field(pc.extract_regex(urls, _HEAD), [0])
    encoded = pc.dictionary_encode(heads)
    chunks = encoded.chunks if hasattr(encoded, "chunks") else [encoded]
    out = []
    for chunk in chunks:
        parts = [partition_of(origin_of(head)[0], partitions) for head in chunk.dictionary.to_pylist()]
        taken = pa.array(parts, type=pa.int32()).take(chunk.indices)
        out.append(taken.fill_null(0))
    return pa.chunked_array(out, type=pa.int32()) if len(out) != 1 else out[0]


PART_COLUMN = "partition"


def write_partitions(path: str, column: str, partitions: int, target: Path) -> str:
    """Each URL's partition, as a Parquet file of one int32 column with the input's row groups (in the driver,
    once, instead of once in every task)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    handle = pq.ParquetFile(path)
    origin_of = OriginCache()
    schema = pa.schema([pa.field(PART_COLUMN, pa.int32())])
    with pq.ParquetWriter(target, schema, compression="zstd", use_dictionary=False) as writer:
        for group in range(handle.metadata.num_row_groups):
            urls = handle.read_row_group(group, columns=[column]).column(0).combine_chunks()
            writer.write_table(pa.table([partitions_of(urls, partitions, origin_of)], schema=schema),
                               row_group_size=max(1, len(urls)))
    return str(target)


def _audit_part(path: str, column: str, groups: Sequence[tuple[int, int]], part: int, partitions: int,
                folder: str, agents: Sequence[cols.Agent], purpose: str, signals: Any,
                fetch: Optional[dict[str, Any]], max_origins: int, parts_path: str) -> Tally:
    """One partition: every row group of the input is read (the URL column only, and the partition column
    the driver wrote) and the rows whose origin falls in this partition are audited and written, in row
    order, to ``part-<part>.parquet``."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from .pipeline import NotAUrl
    from .sources import FetchSource, RecordedSource
    from .writers import arrow_batch, arrow_schema, dictionary_columns

    worker = _Worker.get()
    handle = pq.ParquetFile(path)
    parts = pq.ParquetFile(parts_path)
    wanted = [column] + ([REASON] if REASON in handle.schema_arrow.names else [])
    source: Any = RecordedSource(signals) if fetch is None else FetchSource(**fetch)
    tally = Tally(agents)
    auditor = Auditor(agents, purpose, source, max_origins=max_origins, tally=tally, bodies=worker.bodies)
    schema = arrow_schema(cols.row_columns(agents))
    target = Path(folder) / f"part-{part:05d}.parquet"
    try:
        with pq.ParquetWriter(target, schema, compression="zstd", use_dictionary=dictionary_columns(schema)) as writer:
            for group, offset in groups:
                mask = pc.equal(parts.read_row_group(group).column(0).combine_chunks(), part)
                if not pc.any(mask).as_py():
                    continue
                table = handle.read_row_group(group, columns=wanted)
                urls = table.column(0).combine_chunks()
                chosen = pc.indices_nonzero(mask)
                urls = urls.take(chosen)
                values: list[Any] = urls.to_pylist()
                if len(wanted) > 1:
                    reasons = table.column(1).combine_chunks().take(chosen).to_pylist()
                    values = [url if url is not None or why is None else NotAUrl(why)
                              for url, why in zip(values, reasons)]
                rows = pc.add(chosen.cast(pa.int64()), pa.scalar(offset, pa.int64()))
                text = urls if urls.null_count == 0 else None  # a null URL is written as "" (as locally)
                at = 0  # a fetching source can hand the rows over in several batches, in order
                for batch in auditor.batches(values, 0, size=max(1, len(values))):
                    n = len(batch)
                    writer.write_batch(arrow_batch(batch, schema, urls=None if text is None else text.slice(at, n),
                                                   rows=rows.slice(at, n)))
                    at += n
    finally:
        source.close()
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
    import pyarrow.parquet as pq

    if spec.format == "parquet":
        from .inputs import parquet_file

        parquet_file(spec)  # clear error for a missing column, before any cluster starts
    out.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".audit-", dir=out))
    closing: Optional[Any] = None
    try:
        with contextlib.ExitStack() as stack:
            # The local cluster starts (worker processes spawn and import) while the driver reads the signals
            # file's index and works out every URL's partition.
            starting = None
            if not job.scheduler:
                pool = stack.enter_context(ThreadPoolExecutor(1, thread_name_prefix="scrapecheck-dask"))
                starting = pool.submit(_local_cluster, job.workers, job.dask_processes)
                stack.callback(_close_started, starting)
            signals: Any = None
            if job.signals is not None:
                from .api import load_signals_input

                # A bad file is reported here, once; the workers get the index (origin -> where its entry lies).
                signals = load_signals_input(job.signals)
            if spec.format == "parquet":
                path, column = spec.path, spec.column
            else:
                path, column = _to_parquet(spec, scratch)
            metadata = pq.ParquetFile(path).metadata
            sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
            groups = [(g, sum(sizes[:g])) for g in range(len(sizes))]
            rows_tmp = scratch / "rows"
            rows_tmp.mkdir()
            fetch: Optional[dict[str, Any]] = None
            if job.fetch:
                from .._version import __version__

                (out / "journal").mkdir(exist_ok=True)
                fetch = {"user_agent": job.user_agent or f"scrapecheck/{__version__} (dataset audit)",
                         "config": job.fetch_config, "allow_private_networks": job.allow_private}
            if job.scheduler:
                from distributed import Client

                client = stack.enter_context(Client(job.scheduler))
                workers = max(1, len(client.scheduler_info().get("workers", {})))
            else:
                workers = job.workers
            partitions = job.partitions or workers
            parts_path = write_partitions(path, column, partitions, scratch / "partitions.parquet")
            if starting is not None:
                client = starting.result()[1]
            futures: list[Any] = []
            for p in range(partitions):
                part_fetch = None if fetch is None else {**fetch, "journal": str(out / "journal" / f"part-{p:05d}.jsonl")}
                futures.append(client.submit(_audit_part, path, column, groups, p, partitions, str(rows_tmp),
                                             tuple(agents), job.purpose, signals, part_fetch, job.max_origins,
                                             parts_path, key=f"scrapecheck-audit-{p}-{os.getpid()}-{id(futures)}",
                                             pure=False))
            tallies = client.gather(futures)
            if starting is not None:  # done with the cluster: it stops while the driver writes the tables
                closing = starting
                stack.pop_all()
                pool.shutdown(wait=False)
        tally = Tally(agents)
        for part in tallies:
            tally.merge(part)
        final = out / "rows"
        if final.exists():
            shutil.rmtree(final)
        os.replace(rows_tmp, final)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    stopper = None
    if closing is not None:
        import threading

        stopper = threading.Thread(target=_close_started, args=(closing,), name="scrapecheck-dask-close", daemon=True)
        stopper.start()
    try:
        from .writers import write_table

        write_table(str(out / "origins.parquet"), "parquet", cols.origin_columns(agents), origin_table(tally))
        write_table(str(out / "domains.parquet"), "parquet", cols.domain_columns(agents), domain_table(tally))
        write_table(str(out / "summary.parquet"), "parquet", cols.summary_columns(agents), summary_table(tally))
    finally:
        if stopper is not None:
            stopper.join()
    return tally


def _local_cluster(workers: int, processes: bool) -> tuple[Any, Any]:
    from distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes, dashboard_address=None)
    try:
        return cluster, Client(cluster)
    except BaseException:
        cluster.close()
        raise


def _close_started(starting: Any) -> None:
    """Close the client and cluster a start produced (waits for the start; a failed start has nothing)."""
    try:
        cluster, client = starting.result()
    except BaseException:
        return
    try:
        client.close()
    finally:
        cluster.close()


__all__ = ["partition_of", "run_dask"]
