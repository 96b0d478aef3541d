"""Reading a dataset's URLs as a stream: a text file of URLs, CSV/TSV (``column``), JSONL (``field``), Parquet.

Text-like readers yield *records* ``(url, raw)``: ``raw`` is the record exactly as read (line terminators
included), so filter mode can write kept records back unchanged; ``url`` is None for what is not a data record
(a text file's blank and ``#`` lines, a CSV header), which filter mode passes through. Parquet is read in
record batches (pyarrow, the optional ``parquet`` extra).

Text is read as UTF-8 with bytes that are not UTF-8 kept as lone surrogates (``surrogateescape``), so that
filter mode writes them back as they were; a URL holding such bytes is no URL (a ``NotAUrl`` saying which byte,
shown with U+FFFD). A byte order mark at the start of the input is not part of the first record's URL (it stays
in ``raw``). JSONL records end at a line feed only (a lone carriage return is JSON whitespace).
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path
from typing import IO, Any, Iterator, Optional

from ..errors import InputError
from .pipeline import NotAUrl as _Bad

FORMATS = ("text", "csv", "tsv", "jsonl", "parquet")
_BY_SUFFIX = {".txt": "text", ".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl",
              ".parquet": "parquet", ".pq": "parquet"}
csv.field_size_limit(16 * 1024 * 1024)


_MAGIC = (
    (re.compile(b"\\x1f\\x8b"), "gzip-compressed data", "decompress it first (zcat FILE | scrapecheck audit - ...)"),
    (re.compile(b"\\x28\\xb5\\x2f\\xfd"), "zstd-compressed data",
     "decompress it first (zstdcat FILE | scrapecheck audit - ...)"),
    (re.compile(b"BZh[1-9](1AY&SY|\\x17rE8P\\x90)"), "bzip2-compressed data",
     "decompress it first (bzcat FILE | scrapecheck audit - ...)"),
    (re.compile(b"\\xfd7zXZ\\x00"), "xz-compressed data", "decompress it first (xzcat FILE | scrapecheck audit - ...)"),
    (re.compile(b"PK\\x03\\x04"), "a ZIP archive", "extract the file of URLs first"),
    (re.compile(b"PAR1"), "a Parquet file", "give --input-format parquet"),
)
"""How files that are not text begin (none of them can begin a UTF-8 text of URLs, a CSV header or JSON)."""


class InputSpec:
    """An input file and how to read it; checked on construction (missing file, unknown format, options)."""

    def __init__(self, path: str, fmt: Optional[str] = None, column: Optional[str] = None,
                 field: Optional[str] = None) -> None:
        self.path = path
        self.stdin = path == "-"
        if fmt is None:
            fmt = "text" if self.stdin else _BY_SUFFIX.get(Path(path).suffix.lower(), "text")
        if fmt not in FORMATS:
            raise InputError(path, "--input-format", f"unknown input format {fmt!r} (one of {', '.join(FORMATS)})")
        self.format = fmt
        if column is not None and fmt not in ("csv", "tsv", "parquet"):
            raise InputError(path, "--column", f"--column is for CSV, TSV and Parquet input, not {fmt}")
        if field is not None and fmt != "jsonl":
            raise InputError(path, "--field", f"--field is for JSONL input, not {fmt}")
        self.column = column or "url"
        self.field = field or "url"
        if not self.stdin:
            p = Path(path)
            if not p.exists():
                raise InputError(path, "", "no such file")
            if not p.is_file():
                raise InputError(path, "", "not a regular file")
        if self.stdin and fmt == "parquet":
            raise InputError(path, "", "Parquet input must be a file, not standard input")
        if not self.stdin and fmt != "parquet":
            self._refuse_binary()

    def _refuse_binary(self) -> None:
        """A compressed or Parquet file read as text would give one invalid row per line of noise: refused."""
        try:
            with open(self.path, "rb") as handle:
                head = handle.read(16)
        except OSError as exc:
            raise InputError(self.path, "", f"cannot read: {exc.strerror or exc}") from None
        for magic, what, fix in _MAGIC:
            if magic.match(head):
                raise InputError(self.path, "", f"is {what}, not readable as {self.format} input: {fix}")

    def open_text(self) -> IO[str]:
        """The input as text (see the module docstring); close it with :func:`close_text`."""
        newline = "\n" if self.format == "jsonl" else ""
        if self.stdin:
            buffer = getattr(sys.stdin, "buffer", None)
            if buffer is None:  # a stdin replaced by a text stream
                return sys.stdin
            return io.TextIOWrapper(buffer, encoding="utf-8", errors="surrogateescape", newline=newline)
        try:
            return open(self.path, encoding="utf-8", errors="surrogateescape", newline=newline)
        except OSError as exc:
            raise InputError(self.path, "", f"cannot read: {exc.strerror or exc}") from None

    def size(self) -> Optional[int]:
        return None if self.stdin else Path(self.path).stat().st_size


def close_text(handle: IO[str]) -> None:
    """Close what :meth:`InputSpec.open_text` opened (standard input itself stays open)."""
    if handle is sys.stdin:
        return
    if isinstance(handle, io.TextIOWrapper) and handle.buffer is getattr(sys.stdin, "buffer", None):
        handle.detach()
        return
    handle.close()


_BOM = "\ufeff"
_SURROGATE = re.compile("[\ud800-\udfff]")
"""Bytes that are not UTF-8, as ``surrogateescape`` reads them (U+DC80-U+DCFF), and lone surrogates a JSON
string can spell with escapes (``"\\ud800"``): neither is text, nor can it be written as UTF-8."""


def _checked(url: str) -> Any:
    """``url``, or a ``NotAUrl`` when it holds bytes that are not UTF-8 or lone surrogates (each shown as U+FFFD
    in the ``url`` column)."""
    if url.isascii():
        return url
    found = _SURROGATE.search(url)
    if found is None:
        return url
    code = ord(found.group())
    reason = (f"not UTF-8 text (byte 0x{code - 0xDC00:02X})" if 0xDC80 <= code <= 0xDCFF else
              f"not text (a lone surrogate, U+{code:04X})")
    return _Bad(reason, _SURROGATE.sub("\ufffd", url))


class _Tap:
    """A line iterator that remembers the lines handed out, so a CSV record's raw text can be recovered."""

    __slots__ = ("lines", "taken", "first", "eof")

    def __init__(self, lines: IO[str]) -> None:
        self.lines = lines
        self.taken: list[str] = []
        self.first = True
        self.eof = False  # the reader has asked past the last line (the record it returns ended the file)

    def __iter__(self) -> "_Tap":
        return self

    def __next__(self) -> str:
        try:
            line = next(self.lines)
        except StopIteration:
            self.eof = True
            raise
        self.taken.append(line)
        if self.first:
            self.first = False
            if line.startswith(_BOM):  # kept in the raw record, not given to the CSV reader
                return line[1:]
        return line

    def take(self) -> str:
        raw = "".join(self.taken)
        self.taken.clear()
        return raw


def _text_records(handle: IO[str]) -> Iterator[tuple[Any, str]]:
    first = True
    for line in handle:
        url = line[1:].strip() if first and line.startswith(_BOM) else line.strip()
        first = False
        if not url or url.startswith("#"):
            yield None, line
        else:
            yield _checked(url), line


def _never_closes(raw: str, delimiter: str) -> bool:
    """Whether a record that ended the file did so inside a quoted field (the lenient reader then makes the
    rest of the file one value, swallowing every record after the quote)."""
    try:
        for _ in csv.reader(io.StringIO(raw.lstrip(_BOM), newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as exc:
        return "unexpected end of data" in str(exc)
    return False


def _csv_records(spec: InputSpec, handle: IO[str]) -> Iterator[tuple[Optional[str], str]]:
    tap = _Tap(handle)
    delimiter = "\t" if spec.format == "tsv" else ","
    reader = csv.reader(tap, delimiter=delimiter)

    def check_end() -> None:
        if tap.eof and _never_closes("".join(tap.taken), delimiter):
            start = reader.line_num - len(tap.taken) + 1
            raise InputError(spec.path, f"line {start}", "a quoted field opened on this line never closes (the "
                             "rest of the file would be one value): close the quote or escape it as \"\"")

    try:
        header = next(reader)
    except StopIteration:
        raise InputError(spec.path, "", "empty file: a header row naming the columns is needed") from None
    except csv.Error as exc:
        raise InputError(spec.path, "line 1", f"not {spec.format.upper()} ({exc})") from None
    check_end()
    names = [name.strip() for name in header]
    if spec.column not in names:
        shown = ", ".join(repr(n) for n in names[:20])
        raise InputError(spec.path, "--column", f"no column {spec.column!r} in the header (columns: {shown})")
    _only_once(spec, names)
    position = names.index(spec.column)
    yield None, tap.take()
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            rest = tap.take()
            if rest:
                yield None, rest
            return
        except csv.Error as exc:
            raise InputError(spec.path, f"line {reader.line_num}", f"not {spec.format.upper()} ({exc})") from None
        check_end()
        raw = tap.take()
        if not fields:
            yield None, raw  # a blank line is no record
            continue
        yield (_checked(fields[position].strip()) if position < len(fields) else ""), raw


def _jsonl_records(spec: InputSpec, handle: IO[str]) -> Iterator[tuple[Any, str]]:
    path = spec.field.split(".")
    for number, line in enumerate(handle, 1):
        if not line.strip():
            yield None, line
            continue
        try:
            value: Any = json.loads(line[1:] if number == 1 and line.startswith(_BOM) else line)
        except ValueError as exc:
            yield _Bad(f"line {number}: not valid JSON ({exc})"), line
            continue
        for key in path:
            if not isinstance(value, dict) or key not in value:
                value = _Bad(f"line {number}: no field {spec.field!r}")
                break
            value = value[key]
        if not isinstance(value, (str, _Bad)):
            value = _Bad(f"line {number}: field {spec.field!r} is not a string")
        yield (_checked(value.strip()) if isinstance(value, str) else value), line


def records(spec: InputSpec) -> Iterator[tuple[Any, str]]:
    """``(url or None, raw record)`` for text, CSV, TSV and JSONL input, streaming."""
    handle = spec.open_text()
    try:
        if spec.format == "text":
            yield from _text_records(handle)
        elif spec.format in ("csv", "tsv"):
            yield from _csv_records(spec, handle)
        elif spec.format == "jsonl":
            yield from _jsonl_records(spec, handle)
        else:  # pragma: no cover - parquet goes through batches()
            raise InputError(spec.path, "", "Parquet is read in batches")
    except UnicodeDecodeError as exc:  # pragma: no cover - surrogateescape keeps going
        raise InputError(spec.path, "", f"not UTF-8 text ({exc})") from None
    finally:
        close_text(handle)


def parquet_file(spec: InputSpec) -> Any:
    """The ``pyarrow.parquet.ParquetFile``; a clear error when pyarrow is missing or the file is not Parquet."""
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise InputError(spec.path, "", "Parquet needs pyarrow: pip install 'scrapecheck[parquet]'") from None
    try:
        handle = pq.ParquetFile(spec.path)
    except Exception as exc:  # noqa: BLE001 - pyarrow raises several types for a bad file
        raise InputError(spec.path, "", f"not a Parquet file ({exc})") from None
    names = handle.schema_arrow.names
    if spec.column not in names:
        raise InputError(spec.path, "--column", f"no column {spec.column!r} (columns: {', '.join(names[:20])})")
    _only_once(spec, names)
    return handle


def _only_once(spec: InputSpec, names: list[str]) -> None:
    """A URL column named more than once is ambiguous: refused rather than guessed."""
    count = names.count(spec.column)
    if count > 1:
        raise InputError(spec.path, "--column", f"{count} columns are named {spec.column!r}: rename all but the one "
                         "holding the URLs")


def batches(spec: InputSpec, batch_size: int = 65_536, *, all_columns: bool = False) -> Iterator[Any]:
    """Record batches of a Parquet input (only the URL column unless ``all_columns``)."""
    handle = parquet_file(spec)
    columns = None if all_columns else [spec.column]
    read = iter(handle.iter_batches(batch_size=batch_size, columns=columns))
    while True:
        try:
            batch = next(read)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - pyarrow raises OSError, ValueError ... for a damaged page
            raise InputError(spec.path, "", f"not a readable Parquet file ({exc})") from None
        yield batch


def urls(spec: InputSpec) -> Iterator[Any]:
    """Just the URLs, in order (a ``_Bad`` reason where a record has none)."""
    if spec.format == "parquet":
        for batch in batches(spec):
            yield from batch.column(0).to_pylist()
        return
    if spec.format == "text":
        yield from _text_urls(spec)
        return
    for url, _ in records(spec):
        if url is not None:
            yield url


def _text_urls(spec: InputSpec) -> Iterator[Any]:
    """A text input's URLs read a megabyte of lines at a time (the same lines as :func:`_text_records` keeps)."""
    handle = spec.open_text()
    try:
        read = handle.readlines
        first = True
        while True:
            lines = read(1 << 20)
            if not lines:
                return
            if first:
                first = False
                if lines[0].startswith(_BOM):
                    lines[0] = lines[0][1:]
            found = [url for url in map(str.strip, lines) if url and url[0] != "#"]
            joined = "".join(found)  # a str knows whether it is ASCII: one copy, then O(1)
            if not joined.isascii() and _SURROGATE.search(joined):
                found = [_checked(url) for url in found]
            yield from found
    finally:
        close_text(handle)


__all__ = ["FORMATS", "InputSpec", "batches", "parquet_file", "records", "urls"]
