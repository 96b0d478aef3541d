"""Where each origin's signals come from: a recorded signals file, or the fetcher with a resumable journal.

The fetcher fetches each origin once, at most ``max_concurrency`` origins at a time, each origin's requests one
after another (robots.txt, then ``/.well-known/tdmrep.json`` unless ``fetch_pages`` is off), through
:func:`scrapecheck.signals.fetch.fetch_origin`, the fetcher every command and the Guard use: the same RFC 9309
outcomes, deadlines, size caps and refusal of private addresses (unless ``allow_private_networks``). Every origin fetched
is appended to a journal (JSONL, flushed per line). A later run given the same journal reads what it records
(up to 24 hours old, RFC 9309 2.4) instead of fetching again, so an interrupted audit resumes where it stopped.
Each entry records what was fetched and how (its *scope*: TDMRep or robots.txt only, the User-Agent sent,
private addresses allowed or not); an entry of another scope is not read back but fetched again, so that a
robots-only journal never stands in for the opt-outs a full fetch would have found.
"""

from __future__ import annotations

import dataclasses
import json
import os
import stat
import threading
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import IO, Any, Optional, Union

from ..errors import ScrapecheckError

JOURNAL_VERSION = 1
MAX_JOURNAL_AGE = 24 * 3600.0
_ENTRY_START = b'{"origin": '
"""How every journal line starts (keys sorted): a cut line that does not is some other file's, never truncated."""


class RecordedSource:
    """Recorded signals: a ``Signals`` value, or a signals file's lazy index (anything with ``get(origin)``);
    answers at once, never touches the network. ``get`` is the lookup of the signals given, bound once."""

    immediate = True

    def __init__(self, signals: Any) -> None:
        self.signals = signals
        targets = getattr(signals, "targets", None)
        self.get: Any = targets.get if isinstance(targets, dict) else signals.get

    def close(self) -> None:
        pass


class FetchSource:
    """Fetches origins on a bounded thread pool and journals each result; reads the journal back on resume."""

    immediate = False

    def __init__(self, *, user_agent: str, config: Any = None, allow_private_networks: bool = False,
                 journal: Union[str, Path, None] = None, max_age: float = MAX_JOURNAL_AGE,
                 clock: Any = time.time) -> None:
        from ..signals.config import FetchConfig

        config = config if config is not None else FetchConfig()
        self.user_agent = user_agent
        self.config = dataclasses.replace(config, user_agent=user_agent,
                                          allow_private_networks=config.allow_private_networks
                                          or allow_private_networks)
        self._pool = ThreadPoolExecutor(max_workers=self.config.max_concurrency,
                                        thread_name_prefix="scrapecheck-audit")
        self._lock = threading.Lock()
        self._clock = clock
        self.max_age = max_age
        self.fetched = 0
        self.resumed = 0
        self._index: dict[str, int] = {}
        self.scope = {"fetch_pages": self.config.fetch_pages, "user_agent": user_agent,
                      "allow_private_networks": self.config.allow_private_networks}
        self.journal_path = Path(journal) if journal is not None else None
        self._journal: Optional[IO[bytes]] = None
        if self.journal_path is not None:
            self._open_journal()

    # --- journal ------------------------------------------------------------------------------------------
    def _open_journal(self) -> None:
        assert self.journal_path is not None
        path = self.journal_path
        try:
            kind = os.stat(path).st_mode
        except OSError:
            kind = stat.S_IFREG  # not there yet (or unreadable: open says why)
        if not stat.S_ISREG(kind):  # a FIFO would block, a device such as /dev/zero never end a line
            raise ScrapecheckError(f"{path}: the journal must be a regular file")
        try:
            self._journal = open(path, "a+b")
        except OSError as exc:
            raise ScrapecheckError(f"{path}: cannot open the journal: {exc.strerror or exc}") from None
        self._journal.seek(0)
        now = self._clock()
        offset = 0
        good_end = 0
        for number, line in enumerate(self._journal, 1):
            start = offset
            offset += len(line)
            bad = f"{path}: line {number}: not an audit journal entry; remove the file to start afresh"
            if not line.endswith(b"\n"):
                # a line cut short by an interruption: dropped, and fetched again; anything else is not ours
                if not (line.startswith(_ENTRY_START) or _ENTRY_START.startswith(line)):
                    self._journal.close()
                    raise ScrapecheckError(bad)
                break
            try:
                entry = json.loads(line)
                origin, recorded = entry["origin"], float(entry["recorded"])
                if entry.get("version") != JOURNAL_VERSION:
                    raise ValueError("version")
            except (ValueError, KeyError, TypeError):
                self._journal.close()
                raise ScrapecheckError(bad) from None
            good_end = offset
            if now - recorded <= self.max_age and entry.get("scope") == self.scope:
                self._index[origin] = start
        if good_end != offset:
            self._journal.truncate(good_end)
        self._journal.seek(0, os.SEEK_END)

    def _read(self, offset: int) -> Any:
        from ..signals.model import TargetSignals

        assert self._journal is not None
        with self._lock:
            position = self._journal.tell()
            self._journal.seek(offset)
            line = self._journal.readline()
            self._journal.seek(position)
        try:
            return TargetSignals.model_validate(json.loads(line)["signals"])
        except (ValueError, KeyError, TypeError):  # another version's model, a damaged line: fetched again
            return None

    def _record(self, origin: str, signals: Any) -> None:
        if self._journal is None:
            return
        entry = {"version": JOURNAL_VERSION, "origin": origin, "recorded": self._clock(), "scope": self.scope,
                 "signals": signals.model_dump(mode="json")}
        data = (json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
        with self._lock:
            self._journal.seek(0, os.SEEK_END)
            offset = self._journal.tell()
            self._journal.write(data)
            self._journal.flush()
            self._index[origin] = offset

    # --- fetching -----------------------------------------------------------------------------------------
    def _fetch(self, origin: str) -> Any:
        from ..signals.fetch import fetch_origin

        signals = fetch_origin(origin, user_agent=self.user_agent, config=self.config)
        self._record(origin, signals)
        with self._lock:
            self.fetched += 1
        return signals

    def get(self, origin: str) -> Any:
        offset = self._index.get(origin)
        if offset is not None:
            signals = self._read(offset)
            if signals is not None:
                self.resumed += 1
                return signals
        return self._pool.submit(self._fetch, origin)

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._journal is not None:
            with self._lock:
                self._journal.flush()
                os.fsync(self._journal.fileno())
                self._journal.close()
                self._journal = None


Source = Union[RecordedSource, FetchSource]
_ = Future  # re-exported for type checkers reading pipeline.SignalSource

__all__ = ["FetchSource", "JOURNAL_VERSION", "RecordedSource"]
