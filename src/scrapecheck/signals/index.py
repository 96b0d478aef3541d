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
from typing import Iterator, NoReturn, Optional, Union

from pydantic import ValidationError

from .._files import _DuplicateKey, _unique_keys, first_problem, open_regular
from ..errors import SignalsError
from .model import Signals, TargetSignals

MAX_INDEXED_BYTES = 8 * 1024 ** 3
"""Largest signals file indexed (8 GiB: about 800,000 origins recorded with their robots.txt)."""

_TOKEN = re.compile(rb'[{}\[\]"]')
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
        self._stamp = _stamp(os.fstat(self._fd))
        if size > max_bytes:
            self.close()
            raise SignalsError(self.path, "", f"{size} bytes, over the {max_bytes}-byte limit of a signals file; "
                                              "split its origins over several files")
        self.entries: dict[str, tuple[int, int]] = {}
        try:
            self._scan(size)
        except BaseException:
            self.close()
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
                if key in top:
                    self._twice(key, "")
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
            if origin in self.entries:
                self._twice(origin, "targets")
            start = _SPACE.match(data, pos).end()  # type: ignore[union-attr]
            pos = self._skip(data, start)
            self.entries[origin] = (start, pos)

    def _key(self, data: mmap.mmap, pos: int) -> tuple[str, int]:
        pos = _SPACE.match(data, pos).end()  # type: ignore[union-attr]
        if data[pos:pos + 1] != b'"':
            self._bad(pos, "expected a string key")
        end = self._string_end(data, pos)
        key = self._load(data[pos:end], "key")
        return str(key), self._expect(data, end, b":")

    def _skip(self, data: mmap.mmap, pos: int) -> int:
        """The end of the JSON value starting at ``pos`` (structure only; its content is checked on reading)."""
        opener = data[pos:pos + 1]
        if opener == b'"':
            return self._string_end(data, pos)
        if opener not in (b"{", b"["):
            m = _SCALAR.match(data, pos)
            if m is None:
                self._bad(pos, "expected a value")
            return m.end()  # type: ignore[union-attr]
        depth = 0
        search, string_end = _TOKEN.search, self._string_end
        while True:
            m = search(data, pos)
            if m is None:
                self._bad(pos, "unexpected end of the file")
            char = m.group()  # type: ignore[union-attr]
            if char == b'"':
                pos = string_end(data, m.start())  # type: ignore[union-attr]
                continue
            pos = m.end()  # type: ignore[union-attr]
            depth += 1 if char in (b"{", b"[") else -1
            if depth == 0:
                return pos

    def _string_end(self, data: mmap.mmap, pos: int) -> int:
        """The end of the string whose opening quote is at ``pos``: the next quote not escaped (``find`` runs
        in C; only a quote after backslashes needs a look back)."""
        find = data.find
        at = pos + 1
        while True:
            quote = find(b'"', at)
            if quote < 0:
                self._bad(pos, "unterminated string")
            back = quote - 1
            while data[back] == 0x5C:  # backslash
                back -= 1
            if (quote - 1 - back) % 2 == 0:
                return quote + 1
            at = quote + 1

    def _expect(self, data: mmap.mmap, pos: int, char: bytes) -> int:
        pos = _SPACE.match(data, pos).end()  # type: ignore[union-attr]
        if data[pos:pos + 1] != char:
            self._bad(pos, f"expected {char.decode()!r}" if pos < len(data) else "unexpected end of the file")
        return pos + 1

    def _load(self, raw: bytes, where: str) -> object:
        try:
            return json.loads(raw, object_pairs_hook=_unique_keys)
        except _DuplicateKey as exc:
            self._twice(str(exc.args[0]), where)
        except (ValueError, RecursionError) as exc:
            raise SignalsError(self.path, where, f"invalid JSON: {exc}") from None

    def _twice(self, key: str, where: str) -> NoReturn:
        """A key given twice in one object: refused, as ``load_signals`` refuses it (JSON would keep the last)."""
        raise SignalsError(self.path, where, f"invalid JSON: the key {key!r} is given twice in one object")

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

    def __getstate__(self) -> dict[str, object]:
        """Pickled as the path and the spans (for workers of a cluster), not the open file."""
        return {"path": self.path, "entries": self.entries, "stamp": self._stamp}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.path = str(state["path"])
        self.entries = state["entries"]  # type: ignore[assignment]
        self._stamp = state["stamp"]  # type: ignore[assignment]
        self._fd, _ = open_regular(self.path, lambda message: SignalsError(self.path, "", message))
        if _stamp(os.fstat(self._fd)) != self._stamp:
            self.close()
            raise SignalsError(self.path, "", "changed while the audit was reading it")

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


def _stamp(info: os.stat_result) -> tuple[int, int, int]:
    return info.st_size, info.st_mtime_ns, info.st_ino


__all__ = ["MAX_INDEXED_BYTES", "SignalsIndex"]
