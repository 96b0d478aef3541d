"""A cache of collected origins that its caller owns: bounded, expiring, thread-safe, one fetch per key at once.

There is no process-wide cache: ``collect`` uses one only when given one, and a Guard keeps its own. Entries
live at most 24 hours (RFC 9309 §2.4) and at most ``max_entries`` are kept (least recently used goes first),
so a long crawl over many sites cannot grow without bound. :meth:`SignalsCache.get_or_fetch` lets concurrent
first requests for one key wait for a single fetch.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Callable, Generic, Hashable, Optional, TypeVar

from .config import RFC_9309_CACHE_LIMIT

V = TypeVar("V")


class SignalsCache(Generic[V]):
    """LRU of ``key -> value`` with a per-entry TTL (capped at 24 h)."""

    def __init__(self, max_entries: int = 10_000, *, clock: Callable[[], float] = time.monotonic) -> None:
        if isinstance(max_entries, bool) or not isinstance(max_entries, int) or max_entries < 1:
            raise ValueError(f"max_entries must be an integer >= 1, not {max_entries!r}")
        self.max_entries = max_entries
        self._clock = clock
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[float, V]] = OrderedDict()
        self._inflight: dict[Hashable, threading.Event] = {}

    def get(self, key: Hashable) -> Optional[V]:
        """The live value for ``key`` (marking it recently used), or None."""
        with self._lock:
            return self._get_locked(key)

    def _get_locked(self, key: Hashable) -> Optional[V]:
        entry = self._entries.get(key)
        if entry is None:
            return None
        if entry[0] <= self._clock():
            del self._entries[key]
            return None
        self._entries.move_to_end(key)
        return entry[1]

    def put(self, key: Hashable, value: V, ttl: float) -> None:
        """Keep ``value`` for ``ttl`` seconds (at most 24 h); ``ttl <= 0`` stores nothing."""
        if not ttl > 0:
            return
        with self._lock:
            self._entries[key] = (self._clock() + min(ttl, RFC_9309_CACHE_LIMIT), value)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def get_or_fetch(self, key: Hashable, fetch: Callable[[], V], ttl: Callable[[V], float]) -> V:
        """The cached value, or ``fetch()`` run once however many threads ask for ``key`` at the same time."""
        while True:
            with self._lock:
                hit = self._get_locked(key)
                if hit is not None:
                    return hit
                waiting = self._inflight.get(key)
                if waiting is None:
                    event = self._inflight[key] = threading.Event()
                    break
            waiting.wait()  # then look again: the value, or (nothing stored) our turn to fetch
        try:
            value = fetch()
            self.put(key, value, ttl(value))
            return value
        finally:
            with self._lock:
                self._inflight.pop(key, None)
            event.set()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            now = self._clock()
            return sum(1 for expires, _ in self._entries.values() if expires > now)


__all__ = ["SignalsCache"]
