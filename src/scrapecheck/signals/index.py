"""A signals file read lazily, one origin at a time: for recordings too large to load whole.

``scrapecheck fetch`` over 10,000 origins writes a ~100 MB file; loading it whole builds every robots.txt body
and opt-out as pydantic objects at once (over a gigabyte). :class:`SignalsIndex` instead scans the file once
for where each origin's entry lies (byte offsets, a few dozen bytes per origin) and reads, parses and validates
an entry only when that origin is asked for. Memory is bounded by the number of origins, not the file size.

The scan checks the file's structure and its top-level fields (``version`` ...) as ``load_signals`` does; an
entry's own problems are reported when it is read, naming the file and ``targets.<origin>.<field>``.
"""

from __future__ import annotations

import json
import mmap
import os
import re
from pathlib import Path
from typing import Iterator, Optional, Union

from pydantic import ValidationError

from .._files import first_problem, open_regular
from ..errors import SignalsError
from .model import Signals, TargetSignals

MAX_INDEXED_BYTES = 8 * 1024 ** 3
"""Largest signals file indexed (8 GiB: about 800,000 origins recorded with their robots.txt)."""

_TOKEN = re.compile(rb'[{}\[\]"]')
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_SPACE = re.compile(rb"[ \t\r\n]*")
_SCALAR = re.compile(rb"[^,}\]\s]+")


class SignalsIndex:
    """Origin -> its entry of a signals file (JSON written by ``scrapecheck fetch``), parsed on demand.

    ``get(origin)`` returns the validated :class:`TargetSignals` or None; nothing is cached here (callers
    keep what they need). Thread-safe: entries are read with ``os.pread``.
    """

    def __init__(self, path: Union[str, Path], max_bytes: int = MAX_INDEXED_BYTES) -> None:
        self.path = str(path)
        if Path(path).suffix.lower() != ".json":
            raise SignalsError(self.path, "", "the file must end in .json")
        self._fd, size = open_regular(path, lambda message: SignalsError(self.path, "", message))
        if size > max_bytes:
            os.close(self._fd)
            raise SignalsError(self.path, "", f"{size} bytes, over the {max_bytes}-byte limit of a signals file; "
                                              "split its origins over several files")
        self.entries: dict[str, tuple[int, int]] = {}
        try:
            self._scan(size)
        except BaseException:
            os.close(self._fd)
            raise

    # ------------------------------------------------------------------ scanning
    def _scan(self, size: int) -> None:
        if size == 0:
            raise SignalsError(self.path, "", "invalid JSON: the file is empty")
        with mmap.mmap(self._fd, 0, access=mmap.ACCESS_READ) as data:
            pos = 3 if data[:3] == b"\xef\xbb\xbf" else 0
            pos = self._expect(data, pos, b"{")
            top: dict[str, object] = {}
            first = True
            while True:
                pos = _SPACE.match(data, pos).end()  # type: ignore[union-attr]
                if data[pos:pos + 1] == b"}":
                    break
                if not first:
                    pos = self._expect(data, pos, b",")
                first = False
                key, pos = self._key(data, pos)
                if key == "targets":
                    pos = self._targets(data, pos)
                    top["targets"] = {}
                else:
                    start = _SPACE.match(data, pos).end()  # type: ignore[union-attr]
                    pos = self._skip(data, start)
                    top[key] = self._load(data[start:pos], key)
            if _SPACE.match(data, pos + 1).end() != len(data):  # type: ignore[union-attr]
                self._bad(pos + 1, "extra data after the top-level object")
        try:
            Signals.model_validate(top)
        except ValidationError as exc:
            raise SignalsError(self.path, *first_problem(exc)) from None

    def _targets(self, data: mmap.mmap, pos: int) -> int:
        pos = self._expect(data, _SPACE.match(data, pos).end(), b"{")  # type: ignore[union-attr]
        first = True
        while True:
            pos = _SPACE.match(data, pos).end()  # type: ignore[union-attr]
            if data[pos:pos + 1] == b"}":
                return pos + 1
            if not first:
                pos = self._expect(data, pos, b",")
            first = False
            origin, pos = self._key(data, pos)
            start = _SPACE.match(data, pos).end()  # type: ignore[union-attr]
            pos = self._skip(data, start)
            self.entries[origin] = (start, pos)

    def _key(self, data: mmap.mmap, pos: int) -> tuple[str, int]:
        pos = _SPACE.match(data, pos).end()  # type: ignore[union-attr]
        m = _STRING.match(data, pos)
        if m is None:
            self._bad(pos, "expected a string key")
        key = self._load(m.group(), "key")  # type: ignore[union-attr]
        return key, self._expect(data, m.end(), b":")  # type: ignore[union-attr]

    def _skip(self, data: mmap.mmap, pos: int) -> int:
        """The end of the JSON value starting at ``pos`` (structure only; its content is checked on reading)."""
        opener = data[pos:pos + 1]
        if opener == b'"':
            m = _STRING.match(data, pos)
            if m is None:
                self._bad(pos, "unterminated string")
            return m.end()  # type: ignore[union-attr]
        if opener not in (b"{", b"["):
            m = _SCALAR.match(data, pos)
            if m is None:
                self._bad(pos, "expected a value")
            return m.end()  # type: ignore[union-attr]
        depth = 0
        search, string = _TOKEN.search, _STRING.match
        while True:
            m = search(data, pos)
            if m is None:
                self._bad(pos, "unexpected end of the file")
            char = m.group()  # type: ignore[union-attr]
            if char == b'"':
                s = string(data, m.start())  # type: ignore[union-attr]
                if s is None:
                    self._bad(m.start(), "unterminated string")  # type: ignore[union-attr]
                pos = s.end()  # type: ignore[union-attr]
                continue
            pos = m.end()  # type: ignore[union-attr]
            depth += 1 if char in (b"{", b"[") else -1
            if depth == 0:
                return pos

    def _expect(self, data: mmap.mmap, pos: int, char: bytes) -> int:
        pos = _SPACE.match(data, pos).end()  # type: ignore[union-attr]
        if data[pos:pos + 1] != char:
            self._bad(pos, f"expected {char.decode()!r}" if pos < len(data) else "unexpected end of the file")
        return pos + 1

    def _load(self, raw: bytes, where: str) -> object:
        try:
            return json.loads(raw)
        except (ValueError, RecursionError) as exc:
            raise SignalsError(self.path, where, f"invalid JSON: {exc}") from None

    def _bad(self, pos: int, message: str) -> None:
        raise SignalsError(self.path, "", f"invalid JSON: {message} at byte {pos}")

    # ------------------------------------------------------------------ reading
    def get(self, origin: str) -> Optional[TargetSignals]:
        span = self.entries.get(origin)
        if span is None:
            return None
        start, end = span
        raw = os.pread(self._fd, end - start, start)
        where = f"targets.{origin}"
        data = self._load(raw, where)
        try:
            return TargetSignals.model_validate(data)
        except ValidationError as exc:
            field, message = first_problem(exc)
            raise SignalsError(self.path, f"{where}.{field}" if field else where, message) from None

    def __contains__(self, origin: object) -> bool:
        return origin in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[str]:
        return iter(self.entries)

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __del__(self) -> None:
        try:
            self.close()
        except (AttributeError, OSError):  # pragma: no cover - a half-built index
            pass


__all__ = ["MAX_INDEXED_BYTES", "SignalsIndex"]
