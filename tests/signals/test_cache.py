"""The caller-owned cache: TTL at most 24 h, bounded, one fetch per key however many threads ask."""

from __future__ import annotations

import threading
import time

import pytest

from scrapecheck.signals.cache import SignalsCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_entries_expire_after_their_ttl() -> None:
    clock = Clock()
    cache: SignalsCache[str] = SignalsCache(clock=clock)
    cache.put("a", "A", 10)
    assert cache.get("a") == "A"
    clock.now += 10.5
    assert cache.get("a") is None and len(cache) == 0


def test_ttl_is_capped_at_24_hours() -> None:
    clock = Clock()
    cache: SignalsCache[str] = SignalsCache(clock=clock)
    cache.put("a", "A", 7 * 86400)
    clock.now += 86400 + 1
    assert cache.get("a") is None


def test_zero_ttl_stores_nothing() -> None:
    cache: SignalsCache[str] = SignalsCache()
    cache.put("a", "A", 0)
    assert cache.get("a") is None


def test_least_recently_used_entry_goes_first() -> None:
    cache: SignalsCache[int] = SignalsCache(max_entries=2)
    cache.put("a", 1, 60)
    cache.put("b", 2, 60)
    assert cache.get("a") == 1  # a is now more recent than b
    cache.put("c", 3, 60)
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (1, None, 3)


@pytest.mark.parametrize("bad", [0, -1, True, 1.5])
def test_bound_must_be_a_positive_integer(bad: object) -> None:
    with pytest.raises(ValueError):
        SignalsCache(max_entries=bad)  # type: ignore[arg-type]


def test_concurrent_first_requests_fetch_once() -> None:
    cache: SignalsCache[str] = SignalsCache()
    calls = []
    gate = threading.Event()

    def fetch() -> str:
        calls.append(1)
        gate.wait(2)
        return "value"

    results: list[str] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get_or_fetch("k", fetch, lambda v: 60)))
               for _ in range(8)]
    for thread in threads:
        thread.start()
    time.sleep(0.05)
    gate.set()
    for thread in threads:
        thread.join(2)
    assert results == ["value"] * 8 and len(calls) == 1


def test_a_failed_fetch_lets_the_next_caller_try() -> None:
    cache: SignalsCache[str] = SignalsCache()

    def boom() -> str:
        raise RuntimeError("no")

    with pytest.raises(RuntimeError):
        cache.get_or_fetch("k", boom, lambda v: 60)
    assert cache.get_or_fetch("k", lambda: "ok", lambda v: 60) == "ok"


def test_no_cache_is_shared_between_owners() -> None:
    first: SignalsCache[str] = SignalsCache()
    second: SignalsCache[str] = SignalsCache()
    first.put("k", "v", 60)
    assert second.get("k") is None
