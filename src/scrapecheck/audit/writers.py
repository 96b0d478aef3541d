"""Writing rows and tables as CSV, JSONL or Parquet, streaming, and atomically when going to a file.

A file is written through :func:`scrapecheck._files.atomic_writer`: a temporary name beside it, flushed to disk
and renamed into place only when complete, so an interrupted or failed audit never leaves a half-written output
over a previous one (a character device such as ``/dev/stdout`` is written through).
CSV: a header row, ``true``/``false`` for booleans, an empty cell for null. JSONL: one object per line with
the column names as keys. Parquet: the Arrow types of :mod:`.columns` (needs pyarrow).

Rows arrive as :class:`~.pipeline.Batch` es (``write_batches``) or as row tuples (``write``, the side tables).
"""

from __future__ import annotations

import contextlib
import csv
import json
import sys
from operator import add
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Iterable, Iterator, Optional, Sequence

from .._files import atomic_writer
from ..errors import ScrapecheckError
from .columns import Column

if TYPE_CHECKING:
    from .pipeline import Batch

OUTPUT_FORMATS = ("csv", "jsonl", "parquet")


def atomic_file(path: str | Path, mode: str = "wb") -> contextlib.AbstractContextManager[IO[Any]]:
    """A handle on a temporary file that replaces ``path`` when the block ends without error (errors:
    ScrapecheckError naming the path)."""
    return atomic_writer(path, mode)


class _CsvSink:
    def __init__(self, handle: IO[str], columns: Sequence[Column]) -> None:
        self.writer = csv.writer(handle, lineterminator="\n")
        self.writer.writerow([c.name for c in columns])
        self.bools = [i for i, c in enumerate(columns) if c.type == "bool"]

    def write(self, rows: Iterable[tuple[Any, ...]]) -> None:
        writerow = self.writer.writerow
        bools = self.bools
        for row in rows:
            if bools:
                cells = list(row)
                for i in bools:
                    cells[i] = "true" if cells[i] else ("false" if cells[i] is not None else "")
                writerow(cells)  # csv writes None as an empty cell
            else:
                writerow(row)

    def write_batches(self, batches: Iterable["Batch"]) -> None:
        writerows = self.writer.writerows
        for batch in batches:
            origin, outcome, status, error = batch.head_columns()
            keep = ["true" if k else "false" for k in batch.keep()]
            rows: Iterator[tuple[Any, ...]] = zip(range(batch.start, batch.start + len(batch)), batch.urls, origin,
                                                  keep, outcome, status, error)
            for fields in batch.agents:
                rows = map(add, rows, fields)
            writerows(rows)

    def close(self) -> None:
        pass


class _JsonlSink:
    def __init__(self, handle: IO[str], columns: Sequence[Column]) -> None:
        self.handle = handle
        self.names = [c.name for c in columns]

    def write(self, rows: Iterable[tuple[Any, ...]]) -> None:
        names, dumps, write = self.names, json.dumps, self.handle.write
        for row in rows:
            write(dumps(dict(zip(names, row)), ensure_ascii=False))
            write("\n")

    def write_batches(self, batches: Iterable["Batch"]) -> None:
        for batch in batches:
            self.write(batch.rows())

    def close(self) -> None:
        pass


def arrow_schema(columns: Sequence[Column]) -> Any:
    import pyarrow as pa

    types = {"string": pa.string(), "int64": pa.int64(), "bool": pa.bool_(), "float64": pa.float64()}
    return pa.schema([pa.field(c.name, types[c.type]) for c in columns])


def arrow_table(rows: Sequence[tuple[Any, ...]], columns: Sequence[Column]) -> Any:
    import pyarrow as pa

    schema = arrow_schema(columns)
    data = list(zip(*rows)) if rows else [() for _ in columns]
    return pa.Table.from_arrays([pa.array(list(col), type=field.type) for col, field in zip(data, schema)],
                                schema=schema)


_IOTA: list[Any] = []


def arrow_batch(batch: "Batch", schema: Any, urls: Any = None, rows: Any = None) -> Any:
    """One :class:`~.pipeline.Batch` as an Arrow record batch of ``schema`` (the row columns).

    Columns other than the URL are built from the batch's few distinct states and fields tuples and taken by
    per-row codes (Arrow ``take``, in C++); ``urls`` may be the input's own Arrow array of the URLs, ``rows``
    the row numbers when they are not consecutive (a partition of the input).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(batch)
    if not _IOTA or len(_IOTA[0]) < n:
        _IOTA[:] = [pa.array(range(max(n, 65_536)), type=pa.int64())]
    if rows is None:
        rows = pc.add(_IOTA[0].slice(0, n), pa.scalar(batch.start, pa.int64()))
    types = schema.types
    states, state_codes, per_agent = batch.encoded()
    taken = pa.array(state_codes, type=pa.int32(), size=n)
    head = [pa.array([getattr(s, name) for s in states], type=types[i]).take(taken)
            for i, name in ((2, "origin"), (4, "outcome"), (5, "status"), (6, "error"))]
    agent_arrays: list[Any] = []
    keep = None
    for a, (unique, field_codes) in enumerate(per_agent):
        by_code = pa.array(field_codes, type=pa.int32(), size=n)
        base = 7 + 6 * a
        columns = list(zip(*unique)) if unique else [() for _ in range(6)]
        arrays = [pa.array(column, type=types[base + i]).take(by_code) for i, column in enumerate(columns)]
        allowed = pc.equal(arrays[0], pa.scalar(ALLOWED_VERDICT, pa.string()))
        keep = allowed if keep is None else pc.and_(keep, allowed)
        agent_arrays.extend(arrays)
    url_array = urls if urls is not None else pa.array(batch.urls, type=pa.string(), size=n)
    data = [rows, url_array, head[0], keep, head[1], head[2], head[3], *agent_arrays]
    return pa.RecordBatch.from_arrays(data, schema=schema)


ALLOWED_VERDICT = "allowed"


def dictionary_columns(schema: Any) -> list[str]:
    """Columns worth Parquet's dictionary encoding: all but the row number and the URL, which are (nearly)
    unique, so building a dictionary for them costs time and then falls back to plain encoding anyway."""
    return [name for name in schema.names if name not in ("row", "url")]


class _ParquetSink:
    def __init__(self, handle: IO[bytes], columns: Sequence[Column], batch: int = 65_536) -> None:
        import pyarrow.parquet as pq

        self.columns = columns
        self.schema = arrow_schema(columns)
        self.writer = pq.ParquetWriter(handle, self.schema, compression="zstd",
                                       use_dictionary=dictionary_columns(self.schema))
        self.batch = batch
        self.buffer: list[tuple[Any, ...]] = []
        self.pending: list[Any] = []
        self.pending_rows = 0

    def write(self, rows: Iterable[tuple[Any, ...]]) -> None:
        buffer = self.buffer
        for row in rows:
            buffer.append(row)
            if len(buffer) >= self.batch:
                self._flush()

    def write_batches(self, batches: Iterable["Batch"]) -> None:
        """Record batches gathered into row groups of about ``batch`` rows."""
        for batch in batches:
            self.pending.append(arrow_batch(batch, self.schema))
            self.pending_rows += len(batch)
            if self.pending_rows >= self.batch:
                self._flush_pending()

    def _flush_pending(self) -> None:
        if self.pending:
            import pyarrow as pa

            self.writer.write_table(pa.Table.from_batches(self.pending, schema=self.schema))
            self.pending, self.pending_rows = [], 0

    def _flush(self) -> None:
        if self.buffer:
            self.writer.write_table(arrow_table(self.buffer, self.columns))
            self.buffer = []

    def close(self) -> None:
        self._flush_pending()
        self._flush()
        self.writer.close()

    def abandon(self) -> None:
        """Close the writer of a file that is being thrown away (else it closes when collected, onto a closed
        file, and prints a traceback)."""
        with contextlib.suppress(Exception):
            self.writer.close()


def need_pyarrow(what: str) -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise ScrapecheckError(f"{what} needs pyarrow: pip install 'scrapecheck[parquet]'") from None


@contextlib.contextmanager
def sink(path: Optional[str], fmt: str, columns: Sequence[Column]) -> Iterator[Any]:
    """A writer of row tuples (``write``) or batches (``write_batches``) to ``path`` (atomically) or to stdout
    when ``path`` is None (not Parquet)."""
    if fmt == "parquet":
        need_pyarrow("Parquet output")
        if path is None:
            raise ScrapecheckError("Parquet output needs --output FILE")
        with atomic_writer(path, "wb") as handle:
            parquet = _ParquetSink(handle, columns)
            try:
                yield parquet
            except BaseException:
                parquet.abandon()
                raise
            parquet.close()
        return
    factory: Any = _CsvSink if fmt == "csv" else _JsonlSink
    if path is None:
        out = factory(sys.stdout, columns)
        yield out
        out.close()
        return
    with atomic_writer(path, "w") as handle:
        out = factory(handle, columns)
        yield out
        out.close()


def write_table(path: str, fmt: str, columns: Sequence[Column], rows: Sequence[tuple[Any, ...]]) -> None:
    with sink(path, fmt, columns) as out:
        out.write(rows)


__all__ = ["OUTPUT_FORMATS", "arrow_batch", "arrow_schema", "arrow_table", "atomic_file", "need_pyarrow", "sink",
           "write_table"]
