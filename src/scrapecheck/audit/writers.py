"""Writing rows and tables as CSV, JSONL or Parquet, streaming, and atomically when going to a file.

A file is written to a temporary name beside it, flushed to disk and renamed into place only when complete,
so an interrupted or failed audit never leaves a half-written output over a previous one.
CSV: a header row, ``true``/``false`` for booleans, an empty cell for null. JSONL: one object per line with
the column names as keys. Parquet: the Arrow types of :mod:`.columns` (needs pyarrow).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Optional, Sequence

from ..errors import ScrapecheckError
from .columns import Column

OUTPUT_FORMATS = ("csv", "jsonl", "parquet")


@contextlib.contextmanager
def atomic_file(path: str | Path, mode: str = "wb") -> Iterator[IO[Any]]:
    """A handle on a temporary file that replaces ``path`` when the block ends without error."""
    target = Path(path)
    if target.is_dir():
        raise ScrapecheckError(f"{path}: cannot write: is a directory")
    try:
        kind = os.stat(target).st_mode
    except OSError:
        kind = stat.S_IFREG
    if stat.S_ISCHR(kind):  # /dev/stdout, /dev/null: write through; renaming over it would replace the device
        try:
            stream: IO[Any] = (open(target, mode) if "b" in mode
                               else open(target, mode, encoding="utf-8", newline=""))
            with stream:
                yield stream
        except OSError as exc:
            raise ScrapecheckError(f"{path}: cannot write: {exc.strerror or exc}") from None
        return
    if not stat.S_ISREG(kind):
        raise ScrapecheckError(f"{path}: cannot write: not a regular file (a FIFO or socket)")
    folder = target.parent if str(target.parent) else Path(".")
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ScrapecheckError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        if "b" in mode:
            handle: IO[Any] = os.fdopen(fd, mode)
        else:
            handle = os.fdopen(fd, mode, encoding="utf-8", newline="")
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise ScrapecheckError(f"{path}: cannot write: {exc.strerror or exc}") from None
        raise


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


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


class _ParquetSink:
    def __init__(self, handle: IO[bytes], columns: Sequence[Column], batch: int = 65_536) -> None:
        import pyarrow.parquet as pq

        self.columns = columns
        self.writer = pq.ParquetWriter(handle, arrow_schema(columns), compression="zstd")
        self.batch = batch
        self.buffer: list[tuple[Any, ...]] = []

    def write(self, rows: Iterable[tuple[Any, ...]]) -> None:
        buffer = self.buffer
        for row in rows:
            buffer.append(row)
            if len(buffer) >= self.batch:
                self._flush()

    def _flush(self) -> None:
        if self.buffer:
            self.writer.write_table(arrow_table(self.buffer, self.columns))
            self.buffer = []

    def close(self) -> None:
        self._flush()
        self.writer.close()


def need_pyarrow(what: str) -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise ScrapecheckError(f"{what} needs pyarrow: pip install 'scrapecheck[parquet]'") from None


@contextlib.contextmanager
def sink(path: Optional[str], fmt: str, columns: Sequence[Column]) -> Iterator[Any]:
    """A writer of row tuples to ``path`` (atomically) or to stdout when ``path`` is None (not Parquet)."""
    if fmt == "parquet":
        need_pyarrow("Parquet output")
        if path is None:
            raise ScrapecheckError("Parquet output needs --output FILE")
        with atomic_file(path, "wb") as handle:
            parquet = _ParquetSink(handle, columns)
            yield parquet
            parquet.close()
        return
    factory: Any = _CsvSink if fmt == "csv" else _JsonlSink
    if path is None:
        out = factory(sys.stdout, columns)
        yield out
        out.close()
        return
    with atomic_file(path, "w") as handle:
        out = factory(handle, columns)
        yield out
        out.close()


def write_table(path: str, fmt: str, columns: Sequence[Column], rows: Sequence[tuple[Any, ...]]) -> None:
    with sink(path, fmt, columns) as out:
        out.write(rows)


__all__ = ["OUTPUT_FORMATS", "arrow_schema", "arrow_table", "atomic_file", "need_pyarrow", "sink", "write_table"]
