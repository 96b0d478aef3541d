"""A DNS lookup that never answers: ``getaddrinfo`` cannot be cancelled, so the thread that runs it outlives
the deadline. Those threads must stay bounded: a stuck name is looked up once however often it is asked for,
and past a cap no new lookup starts (a clear failure instead of one more stuck thread).

``socket.getaddrinfo`` is replaced here because no offline test can make a real resolver hang; everything
above it (deadline, sharing, cap, clean-up) is the real code."""

from __future__ import annotations

import socket
import threading
from typing import Any, Iterator

import pytest

from scrapecheck.signals import addresses
from scrapecheck.signals.addresses import ResolutionFailed


@pytest.fixture
def stuck_dns(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    release = threading.Event()
    calls: list[str] = []

    def hanging(host: str, port: Any, *args: Any, **kwargs: Any) -> list[Any]:
        calls.append(host)
        release.wait(10)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(addresses.socket, "getaddrinfo", hanging)
    release.calls = calls  # type: ignore[attr-defined]
    yield release
    release.set()
    for thread in threading.enumerate():
        if thread.name.startswith("scrapecheck-dns"):
            thread.join(5)


def _dns_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name.startswith("scrapecheck-dns") and t.is_alive())


def test_a_stuck_name_is_looked_up_once_however_often_it_is_asked(stuck_dns: threading.Event) -> None:
    for _ in range(20):
        with pytest.raises(ResolutionFailed, match="longer than"):
            addresses.resolve("stuck.example", 80, timeout=0.01, allow_private=False)
    assert _dns_threads() == 1
    assert stuck_dns.calls == ["stuck.example"]  # type: ignore[attr-defined]


def test_stuck_lookups_are_capped_and_released(stuck_dns: threading.Event, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(addresses, "MAX_PENDING_LOOKUPS", 4)
    for n in range(4):
        with pytest.raises(ResolutionFailed, match="longer than"):
            addresses.resolve(f"stuck{n}.example", 80, timeout=0.01, allow_private=False)
    with pytest.raises(ResolutionFailed, match="still pending"):
        addresses.resolve("one-more.example", 80, timeout=0.01, allow_private=False)
    assert _dns_threads() == 4
    stuck_dns.set()
    for thread in threading.enumerate():
        if thread.name.startswith("scrapecheck-dns"):
            thread.join(5)
    assert _dns_threads() == 0
    with pytest.raises(ResolutionFailed, match="DNS lookup failed"):  # slots are free again
        addresses.resolve("one-more.example", 80, timeout=2, allow_private=False)
