"""``--engine dask``: the same audit, partitioned by origin over a Dask cluster (the optional ``dask`` extra).

Partitioning without a shuffle service, in two waves of tasks. A *split* task per chunk of the input (whole
row groups, at least :data:`SPLIT_ROWS` rows) reads the URL column, works out each URL's partition (the head
the origin depends on is cut by Arrow, each distinct head canonicalised once per worker, a stable crc32 of
the origin) and writes the chunk as an Arrow IPC file whose record batch ``p`` holds partition ``p``'s rows
(row number and URL), in input order. Meanwhile the driver reads the signals file's index. Then partition
``p`` is one *audit* task that memory-maps batch ``p`` of every chunk, so it reads only its own rows, and
audits them. Each origin lives in exactly one partition: its signals are loaded (or fetched, once, journaled
per partition) and parsed there only, and nothing but small tallies travels back. Text, CSV, TSV and JSONL
inputs are first converted to Parquet by the local engine's readers (in the driver), so both engines see
the same rows.

Each audit task writes ``OUT/rows/part-<p>.parquet`` (rows in ``row`` order) and returns its tally; the driver
merges the tallies into the origin, domain and headline tables (``OUT/origins.parquet``,
``OUT/domains.parquet``, ``OUT/summary.parquet``). The rows directory is written under a temporary name and
renamed when complete. Worker processes keep parsed robots.txt bodies and head partitions between tasks.
Without ``--scheduler`` a local cluster of ``workers`` processes (one thread each) is started; on Linux they
are forked from the driver once it has imported what the tasks use, so they are up in about half a second
and need no imports of their own; the cluster is closed while the driver writes the tables.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sys
import tempfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Optional, Sequence

from ..errors import InputError, ScrapecheckError
from . import columns as cols
from .inputs import InputSpec
from .inputs import urls as read_urls
from .origins import OriginCache
from .pipeline import Auditor, Tally
from .tables import domain_table, origin_table, summary_table

if TYPE_CHECKING:
    from .run import AuditJob

ROW_GROUP = 262_144
SPLIT_ROWS = ROW_GROUP
"""Rows of the input a split task takes at least (whole row groups)."""


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
    """Text, CSV, TSV or JSONL input, or a Parquet input whose URL column is not of Arrow strings, as a Parquet
    file of strings, read by the local engine's readers (in the driver): a value that is no URL keeps the text
    the local engine shows for it, and the reason in :data:`REASON`."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .pipeline import _odd

    path = folder / "input.parquet"
    schema = pa.schema([pa.field("url", pa.string()), pa.field(REASON, pa.string())])
    written = False
    with pq.ParquetWriter(path, schema) as writer:
        urls: list[Optional[str]] = []
        reasons: list[Optional[str]] = []
        for url in read_urls(spec):
            if url is None or url.__class__ is str:
                urls.append(url)  # None: the audit task says why, as the local engine does
                reasons.append(None)
            else:
                text, why = _odd(url)
                urls.append(text)
                reasons.append(why)
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
    same text), and each URL head's origin and partition (so a head is canonicalised once per process)."""

    bodies: Any = None
    origin_of: Any = None
    heads: dict[tuple[str, int], int] = {}

    @classmethod
    def get(cls) -> type["_Worker"]:
        if cls.bodies is None:
            from .decide import BodyCache

            cls.bodies = BodyCache()
            cls.origin_of = OriginCache()
        return cls


def partitions_of(urls: Any, partitions: int, origin_of: Any, memo: Optional[dict[tuple[str, int], int]] = None) -> Any:
    """Per URL of an Arrow string array, its origin's partition (an Arrow int32 array): the heads are cut by
    Arrow (RE2), each distinct head canonicalised once in Python (``memo`` keeps the answers between calls),
    then taken back."""
    import pyarrow as pa
    import pyarrow.compute as pc

    memo = {} if memo is None else memo
    heads = pc.struct_field(pc.extract_regex(urls, _HEAD), [0])
    encoded = pc.dictionary_encode(heads)
    chunks = encoded.chunks if hasattr(encoded, "chunks") else [encoded]
    out = []
    for chunk in chunks:
        parts = []
        for head in chunk.dictionary.to_pylist():
            found = memo.get((head, partitions))
            if found is None:
                if len(memo) >= 200_000:
                    memo.clear()
                found = memo[(head, partitions)] = partition_of(origin_of(head)[0], partitions)
            parts.append(found)
        taken = pa.array(parts, type=pa.int32()).take(chunk.indices)
        out.append(taken.fill_null(0))
    return pa.chunked_array(out, type=pa.int32())


def chunks_of(sizes: Sequence[int], least: int) -> list[tuple[list[int], int]]:
    """Consecutive row groups gathered into chunks of at least ``least`` rows (the last may be smaller):
    ``(row groups, first row)`` per chunk. One split task per chunk."""
    out: list[tuple[list[int], int]] = []
    groups: list[int] = []
    first = rows = 0
    for group, size in enumerate(sizes):
        groups.append(group)
        rows += size
        if rows - first >= least:
            out.append((groups, first))
            groups, first = [], rows
    if groups or not out:
        out.append((groups, first))
    return out


def _split(path: str, column: str, groups: Sequence[int], first: int, partitions: int, target: str) -> list[int]:
    """One chunk of the input (``groups``, whose first row is ``first``) split by partition: an Arrow IPC file
    whose record batch ``p`` holds partition ``p``'s rows (row number, URL, and why a record has no URL when the
    input was converted), in input order. Runs on a worker; returns the row count per partition."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    worker = _Worker.get()
    handle = pq.ParquetFile(path)
    wanted = [column] + ([REASON] if REASON in handle.schema_arrow.names else [])
    try:
        table = handle.read_row_groups(list(groups), columns=wanted, use_threads=False) if groups else \
            handle.schema_arrow.empty_table().select(wanted)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises OSError, ValueError ... for a damaged page
        # a plain ScrapecheckError: it travels back from the worker pickled (InputError's arguments do not)
        raise ScrapecheckError(f"{path}: not a readable Parquet file ({exc})") from None
    n = table.num_rows
    parts = partitions_of(table.column(0), partitions, worker.origin_of, worker.heads)
    rows = pc.add(_iota(n), pa.scalar(first, pa.int64()))
    names = ["row", "url"] + (["reason"] if len(wanted) > 1 else [])
    data = pa.table([rows, *table.columns], names=names)
    order = pc.sort_indices(parts)  # stable: input order within each partition
    data = data.take(order)
    counts = [0] * partitions
    for item in pc.value_counts(parts).to_pylist():
        counts[item["values"]] = item["counts"]
    tmp = target + ".tmp"
    with pa.OSFile(tmp, "wb") as sink, pa.ipc.new_file(sink, data.schema) as writer:
        at = 0
        for count in counts:
            piece = data.slice(at, count)
            writer.write_batch(piece.combine_chunks().to_batches()[0] if count else
                               pa.RecordBatch.from_pylist([], schema=data.schema))
            at += count
    os.replace(tmp, target)
    return counts


_IOTA: list[Any] = []


def _iota(n: int) -> Any:
    """0, 1, ... n - 1 as an Arrow int64 array (a slice of one kept per process)."""
    import pyarrow as pa

    if not _IOTA or len(_IOTA[0]) < n:
        _IOTA[:] = [pa.array(range(max(n, 1 << 18)), type=pa.int64())]
    return _IOTA[0].slice(0, n)


def _audit_part(splits: Sequence[str], counts: Sequence[Sequence[int]], part: int, folder: str,
                agents: Sequence[cols.Agent], purpose: str, signals: Any, fetch: Optional[dict[str, Any]],
                max_origins: int) -> Tally:
    """One partition: its rows of every chunk (record batch ``part`` of each split file, only its own rows),
    audited and written, in row order, to ``part-<part>.parquet``."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .pipeline import NotAUrl
    from .sources import FetchSource, RecordedSource
    from .writers import arrow_batch, arrow_schema, dictionary_columns

    worker = _Worker.get()
    source: Any = RecordedSource(signals) if fetch is None else FetchSource(**fetch)
    tally = Tally(agents)
    auditor = Auditor(agents, purpose, source, max_origins=max_origins, tally=tally, bodies=worker.bodies)
    schema = arrow_schema(cols.row_columns(agents))
    target = Path(folder) / f"part-{part:05d}.parquet"
    try:
        with pq.ParquetWriter(target, schema, compression="zstd", use_dictionary=dictionary_columns(schema)) as writer:
            for split, count in zip(splits, counts):
                if not count[part]:
                    continue
                with pa.memory_map(split) as mapped:
                    batch = pa.ipc.open_file(mapped).get_batch(part)
                    urls = batch.column(1)
                    rows = batch.column(0)
                    values: list[Any] = urls.to_pylist()
                    if batch.num_columns > 2:
                        reasons = batch.column(2).to_pylist()
                        values = [url if why is None else NotAUrl(why, url) for url, why in zip(values, reasons)]
                    text = urls if urls.null_count == 0 else None  # a null URL is written as "" (as locally)
                    at = 0  # a fetching source can hand the rows over in several batches, in order
                    for rows_batch in auditor.batches(values, 0, size=max(1, len(values))):
                        n = len(rows_batch)
                        writer.write_batch(arrow_batch(rows_batch, schema,
                                                       urls=None if text is None else text.slice(at, n),
                                                       rows=rows.slice(at, n)))
                        at += n
    finally:
        source.close()
    return tally


def _warm() -> None:
    """Import what the tasks use, in the driver before a local cluster forks its workers (they inherit it)."""
    import pyarrow.compute  # noqa: F401
    import pyarrow.ipc  # noqa: F401
    import pyarrow.parquet  # noqa: F401

    from ..robots import RobotsPolicy
    from ..signals import index  # noqa: F401
    from ..signals import model  # noqa: F401
    from . import decide, sources, writers  # noqa: F401

    RobotsPolicy.parse("User-agent: *\nDisallow: /x\n").matcher("a").decide_path("/x")


def run_dask(job: "AuditJob", spec: InputSpec, agents: Sequence[cols.Agent]) -> Tally:
    """Run the audit on Dask; see the module docstring for the layout of ``job.output``."""
    if job.filter:
        raise InputError("--engine", "engine", "--filter runs on the local engine only")
    if not job.output:
        raise InputError("--output", "output", "--engine dask writes a directory of Parquet files: give --output DIR")
    if job.format not in (None, "parquet"):
        raise InputError("--format", "format", "--engine dask writes Parquet")
    out = Path(job.output)
    if out.exists() and not out.is_dir():
        raise InputError(job.output, "--output", "exists and is not a directory")
    _refuse_strangers(job.output, out / "rows")
    if job.signals is None and not job.fetch:
        raise InputError("audit", "signals", "no signals: give --signals FILE or --fetch")
    import pyarrow.parquet as pq

    if spec.format == "parquet":
        from .inputs import parquet_file

        parquet_file(spec)  # clear error for a missing column, before any cluster starts
    # The signals file's index is read by a forked child while the driver imports Dask and starts the cluster.
    scan = _ForkedScan(job.signals) if job.signals is not None and _scan_apart(job) else None
    try:
        _need_dask()
        try:
            out.mkdir(parents=True, exist_ok=True)
            if job.fetch:
                (out / "journal").mkdir(exist_ok=True)
            scratch = Path(tempfile.mkdtemp(prefix=".audit-", dir=out))
        except OSError as exc:
            raise InputError(job.output, "--output", f"cannot make the folder {exc.filename or out}: "
                             f"{exc.strerror or exc}") from None
    except BaseException:
        if scan is not None:
            scan.cancel()
        raise
    client: Any = None
    cluster: Any = None
    try:
        with contextlib.ExitStack() as stack:
            if scan is not None:
                stack.callback(scan.cancel)
            if job.scheduler:
                from distributed import Client

                try:
                    connected = Client(job.scheduler)
                except (OSError, ValueError, TypeError) as exc:  # no scheduler there, or no address at all
                    raise ScrapecheckError(f"--scheduler {job.scheduler}: cannot use it ({exc})") from None
                client = stack.enter_context(connected)
                workers = max(1, len(client.scheduler_info().get("workers", {})))
            else:
                _warm()  # before the workers fork, so that they start with it imported
                cluster, client = _local_cluster(job.workers, job.dask_processes)
                stack.callback(_close, cluster, client)
                workers = job.workers
            partitions = job.partitions or workers
            if spec.format == "parquet" and _strings(spec):
                path, column = spec.path, spec.column
            else:
                path, column = _to_parquet(spec, scratch)
            metadata = pq.ParquetFile(path).metadata
            sizes = [metadata.row_group(i).num_rows for i in range(metadata.num_row_groups)]
            (scratch / "split").mkdir()
            splits: list[str] = []
            counts: list[Any] = []
            # The workers split the input by partition while the driver reads the signals file's index.
            for n, (groups, first) in enumerate(chunks_of(sizes, SPLIT_ROWS)):
                splits.append(str(scratch / "split" / f"chunk-{n:05d}.arrow"))
                counts.append(client.submit(_split, path, column, groups, first, partitions, splits[-1],
                                            key=f"scrapecheck-split-{n}-{_run_id()}", pure=False))
            signals: Any = None
            if scan is not None:
                signals = scan.result()
            elif job.signals is not None:
                from .api import load_signals_input

                # A bad file is reported here, once; the workers get the index (origin -> where its entry lies).
                signals = load_signals_input(job.signals)
            rows_tmp = scratch / "rows"
            rows_tmp.mkdir()
            fetch: Optional[dict[str, Any]] = None
            if job.fetch:
                from .._version import __version__

                fetch = {"user_agent": job.user_agent or f"scrapecheck/{__version__} (dataset audit)",
                         "config": job.fetch_config, "allow_private_networks": job.allow_private}
            futures: list[Any] = []
            # Partition p preferably on worker p (mod the workers): both start at once, one per worker.
            addresses = sorted(client.scheduler_info().get("workers", {}))
            for p in range(partitions):
                part_fetch = None if fetch is None else {**fetch, "journal": str(out / "journal" / f"part-{p:05d}.jsonl")}
                where = [addresses[p % len(addresses)]] if addresses else None
                futures.append(client.submit(_audit_part, splits, counts, p, str(rows_tmp), tuple(agents),
                                             job.purpose, signals, part_fetch, job.max_origins,
                                             key=f"scrapecheck-audit-{p}-{_run_id()}", pure=False,
                                             workers=where, allow_other_workers=True))
            tallies = client.gather(futures)
            if cluster is not None:  # done with the cluster: it stops while the driver writes the tables
                stack.pop_all()
        stopper = None
        if cluster is not None:
            import threading

            stopper = threading.Thread(target=_close, args=(cluster, client), name="scrapecheck-dask-close",
                                       daemon=True)
            stopper.start()
        try:
            from .writers import sink

            tally = Tally(agents)
            for part in tallies:
                tally.merge(part)
            # The tables are written under temporary names and renamed with the rows, once all are complete: a
            # table that cannot be written leaves the previous run's rows, not new rows beside old tables.
            with contextlib.ExitStack() as outputs:
                for name, columns, table in (("origins", cols.origin_columns(agents), origin_table(tally)),
                                             ("domains", cols.domain_columns(agents), domain_table(tally)),
                                             ("summary", cols.summary_columns(agents), summary_table(tally))):
                    outputs.enter_context(sink(str(out / f"{name}.parquet"), "parquet", columns)).write(table)
                final = out / "rows"
                if final.exists():
                    shutil.rmtree(final)
                os.replace(rows_tmp, final)
        finally:
            if stopper is not None:
                stopper.join()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return tally


_PART = re.compile(r"part-\d{5,}\.parquet")


def _refuse_strangers(output: str, rows: Path) -> None:
    """``OUT/rows`` is replaced whole at the end of a run: refused when it holds anything but a previous run's
    parts (an existing folder of the user's given as ``--output`` must not lose its ``rows`` subfolder)."""
    if not rows.exists() and not rows.is_symlink():
        return
    if rows.is_symlink() or not rows.is_dir():
        raise InputError(output, "--output", f"{rows} exists and is not a folder of audit rows; choose another "
                         "output directory")
    for item in rows.iterdir():
        if not _PART.fullmatch(item.name) or not item.is_file():
            raise InputError(output, "--output", f"{rows} holds {item.name!r}, which no audit wrote, and the rows "
                             "replace that folder whole; choose another output directory")


def _strings(spec: InputSpec) -> bool:
    """Whether a Parquet input's URL column holds Arrow strings, which the split tasks read as they are (any
    other type is converted first, so that each value gets the local engine's answer)."""
    import pyarrow as pa

    from .inputs import parquet_file

    kind = parquet_file(spec).schema_arrow.field(spec.column).type
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _scan_apart(job: "AuditJob") -> bool:
    """Whether the signals index is read by a forked child: a JSON signals file and a local cluster of forked
    worker processes (the driver would otherwise read it alone while a core waits for Dask to import)."""
    return (job.signals is not None and not job.scheduler and job.dask_processes and _can_fork()
            and Path(job.signals).suffix.lower() == ".json")


class _ForkedScan:
    """:func:`~.api.load_signals_input` of a JSON signals file in a forked child process, which sends the index
    (the spans of the entries, not the file) back through a pipe; its error, if any, is raised by
    :meth:`result`, as the driver's own reading would."""

    def __init__(self, path: str) -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: read the index, send it, leave without running the parent's exit handlers
            try:
                os.close(read)
                with os.fdopen(write, "wb") as out:
                    out.write(_scan_payload(path))
            finally:
                os._exit(0)
        os.close(write)
        self.pid = pid
        self.read = read

    def result(self) -> Any:
        import pickle

        with os.fdopen(self.read, "rb") as handle:
            self.read = -1
            data = handle.read()
        os.waitpid(self.pid, 0)
        self.pid = 0
        if not data:
            raise ScrapecheckError("reading the signals file's index failed (its process ended without an answer)")
        ok, value = pickle.loads(data)
        if not ok:
            kind, args, fields = value
            error = kind.__new__(kind, *args)  # scrapecheck's errors take other arguments than they keep
            error.args = args
            error.__dict__.update(fields)
            raise error
        return value

    def cancel(self) -> None:
        """Stop the child and release the pipe (when the run ends before :meth:`result`)."""
        import signal

        if self.pid:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(self.pid, 0)
            self.pid = 0
        if self.read >= 0:
            os.close(self.read)
            self.read = -1


def _scan_payload(path: str) -> bytes:
    import pickle

    from .api import load_signals_input

    try:
        return pickle.dumps((True, load_signals_input(path)))
    except ScrapecheckError as exc:
        return pickle.dumps((False, (type(exc), exc.args, exc.__dict__)))
    except Exception as exc:  # noqa: BLE001 - reported in the driver as one line, never lost
        return pickle.dumps((False, (ScrapecheckError, (f"{path}: {type(exc).__name__}: {exc}",), {})))


_RUNS = [0]


def _run_id() -> str:
    """Unique task keys per run (a remote scheduler may remember keys of an earlier run)."""
    return f"{os.getpid()}-{id(_RUNS)}-{_RUNS[0]}"


LOCAL_SETTINGS = {
    # The statistical profiler samples the running task's stack every 10 ms (the task thread gives up the GIL
    # for it): about 4% of a worker's time, for a profile nobody reads.
    "distributed.worker.profile.enabled": False,
    # Event-loop health checks, resource sampling and the nannies' memory polls, every 20, 500 and 100 ms by
    # default, in every process on the cores the tasks need; their answers are not needed that often here.
    "distributed.admin.tick.interval": "1s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.worker.memory.monitor-interval": "1s",
    # Partition p is placed on worker p; moving it elsewhere only costs the bodies parsed there.
    "distributed.scheduler.work-stealing": False,
}
"""Dask settings of the local cluster the audit starts (not of a cluster given with ``--scheduler``)."""


def _local_cluster(workers: int, processes: bool) -> tuple[Any, Any]:
    """A local cluster of ``workers`` processes (one thread each). On Linux they are forked from the driver,
    which has imported what the tasks use (:func:`_warm`): a worker is up in a fraction of the time a fresh
    interpreter takes to start and import Dask, pyarrow and scrapecheck, and goes away as quickly."""
    import dask
    from distributed import Client, LocalCluster

    _RUNS[0] += 1
    fork = processes and _can_fork()
    settings = dict(LOCAL_SETTINGS)
    if fork:
        settings["distributed.worker.multiprocessing-method"] = "fork"
    with dask.config.set(settings), _quiet_children(fork):
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes, dashboard_address=None)
    try:
        return cluster, Client(cluster)
    except BaseException:
        cluster.close()
        raise


def _can_fork() -> bool:
    return sys.platform.startswith("linux")


@contextlib.contextmanager
def _quiet_children(fork: bool) -> Iterator[None]:
    """Forked workers log only critical messages: a worker whose heartbeat meets the scheduler closing at the
    end logs a traceback on stderr otherwise (a task's own error still reaches the driver, which reports it).
    The driver's logging is as it was once the workers are up."""
    logger = logging.getLogger("distributed")
    level = logger.level
    if fork:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        logger.setLevel(level)


def _close(cluster: Any, client: Any) -> None:
    """Close the client and the local cluster, quietly: after an error a worker may still be running a task,
    which its nanny kills after a few seconds with a warning on stderr (the error itself is reported once)."""
    logger = logging.getLogger("distributed")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        client.close()
    finally:
        try:
            cluster.close()
        finally:
            logger.setLevel(level)


__all__ = ["partition_of", "run_dask"]
