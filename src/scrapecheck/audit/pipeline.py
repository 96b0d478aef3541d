"""The streaming core: URLs in, one row tuple per URL out, in input order, with per-origin tallies.

Memory does not grow with the number of URLs: the URLs stream through; what is kept is per origin and
bounded (decisions in an LRU of ``max_origins``, compiled bodies in a :class:`~.decide.BodyCache`), plus one
small tally row per origin for the origin table. When signals must be fetched, rows wait in a window of at
most ``window`` URLs for their origin's fetch; a full window waits for its oldest row.
"""

from __future__ import annotations

from collections import OrderedDict, deque
from concurrent.futures import Future
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional, Protocol, Sequence, Union

from .columns import Agent
from .decide import BodyCache, OriginDecision
from .origins import OriginCache

if TYPE_CHECKING:
    from ..signals.model import TargetSignals

Row = tuple[Any, ...]
"""``(row, url, origin, keep, robots_outcome, robots_status, error, *per-agent fields)``; see columns."""


class SignalSource(Protocol):
    """Where an origin's signals come from: a recorded file (answers at once) or a fetcher (a Future)."""

    def get(self, origin: str) -> Union[Optional["TargetSignals"], "Future[Optional[TargetSignals]]"]: ...


class NotAUrl:
    """Stands in an input stream where a record has no URL (bad JSON line, missing field); gives the reason."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __repr__(self) -> str:
        return f"NotAUrl({self.reason!r})"


def _odd(url: object) -> tuple[str, str]:
    """(url text, reason) for an input item that is not a str."""
    if isinstance(url, NotAUrl):
        return "", url.reason
    return ("" if url is None else str(url)), f"not a string ({type(url).__name__})"


_VERDICT_SLOT = {"allowed": 0, "disallowed": 1, "reserved": 2}


class Tally:
    """Per-origin counts and facts for the origin, domain and headline tables (one small entry per origin)."""

    def __init__(self, agents: Sequence[Agent]) -> None:
        self.agents = tuple(agents)
        self.width = len(self.agents)
        self.counts: dict[str, list[int]] = {}
        self.facts: dict[str, tuple[Any, ...]] = {}
        self.urls = 0
        self.invalid = 0
        self.kept = 0

    def origin_seen(self, decision: OriginDecision) -> None:
        if decision.origin not in self.facts:
            self.facts[decision.origin] = (decision.outcome, decision.status, decision.sha256, decision.fetched_at,
                                           decision.optouts_collected, "; ".join(decision.problems) or None,
                                           decision.opt_outs)
            self.counts[decision.origin] = [0] * (1 + 3 * self.width)

    def add(self, origin: str, keep: bool, fields: tuple[Any, ...]) -> None:
        counts = self.counts[origin]
        counts[0] += 1
        for i in range(self.width):
            slot = _VERDICT_SLOT.get(fields[6 * i])
            if slot is not None:
                counts[1 + 3 * i + slot] += 1

    def merge(self, other: "Tally") -> None:
        """Add another tally's counts (the Dask engine tallies each partition separately)."""
        self.urls += other.urls
        self.invalid += other.invalid
        self.kept += other.kept
        for origin, counts in other.counts.items():
            mine = self.counts.get(origin)
            if mine is None:
                self.counts[origin] = list(counts)
                self.facts[origin] = other.facts[origin]
            else:
                for i, value in enumerate(counts):
                    mine[i] += value


class Auditor:
    """Turns URLs into rows for fixed agents, purpose and signal source; keeps the bounded per-origin state."""

    def __init__(self, agents: Sequence[Agent], purpose: str, source: SignalSource, *, max_origins: int = 50_000,
                 window: int = 20_000, tally: Optional[Tally] = None) -> None:
        self.agents = tuple(agents)
        self.purpose = purpose
        self.source = source
        self.max_origins = max_origins
        self.window = window
        self.tally = tally if tally is not None else Tally(self.agents)
        self.origin_of = OriginCache()
        self.bodies = BodyCache()
        self.decisions: OrderedDict[str, OriginDecision] = OrderedDict()
        self._invalid_fields = tuple(x for _ in self.agents for x in ("invalid", None, None, None, None, None))

    def _decision(self, origin: str, signals: Optional["TargetSignals"]) -> OriginDecision:
        decision = OriginDecision(origin, signals, self.agents, self.purpose, self.bodies)
        self.decisions[origin] = decision
        if len(self.decisions) > self.max_origins:
            self.decisions.popitem(last=False)
        self.tally.origin_seen(decision)
        return decision

    def rows(self, urls: Iterable[Any], start: int = 0) -> Iterator[Row]:
        """One row per URL, in order. ``start`` numbers the first row (for partitions of a larger input)."""
        probe = getattr(self.source, "immediate", True)
        if probe:
            return self._rows_immediate(urls, start)
        return self._rows_windowed(urls, start)

    def _invalid(self, index: int, url: str, reason: Optional[str]) -> Row:
        self.tally.urls += 1
        self.tally.invalid += 1
        return (index, url, None, False, "invalid-url", None, reason) + self._invalid_fields

    def _rows_immediate(self, urls: Iterable[Any], start: int) -> Iterator[Row]:
        origin_of, decisions, source, tally = self.origin_of, self.decisions, self.source, self.tally
        add = tally.add
        index = start - 1
        kept = valid = 0
        try:
            for url in urls:
                index += 1
                if url.__class__ is not str and not isinstance(url, str):
                    yield self._invalid(index, *_odd(url))
                    continue
                origin, reason = origin_of(url)
                if origin is None:
                    yield self._invalid(index, url, reason)
                    continue
                decision = decisions.get(origin)
                if decision is None:
                    decision = self._decision(origin, source.get(origin))  # type: ignore[arg-type]
                else:
                    decisions.move_to_end(origin)
                keep, fields = decision.row(url)
                add(origin, keep, fields)
                kept += keep
                valid += 1
                yield (index, url, origin, keep, decision.outcome, decision.status, decision.error) + fields
        finally:
            tally.urls += valid
            tally.kept += kept

    def _rows_windowed(self, urls: Iterable[Any], start: int) -> Iterator[Row]:
        origin_of, decisions, source = self.origin_of, self.decisions, self.source
        pending: deque[tuple[int, str, Optional[str], Optional[str]]] = deque()
        inflight: dict[str, Future[Any]] = {}

        def ready(origin: str, block: bool) -> Optional[OriginDecision]:
            decision = decisions.get(origin)
            if decision is not None:
                return decision
            future = inflight.get(origin)
            if future is None:
                got = source.get(origin)
                if not isinstance(got, Future):
                    return self._decision(origin, got)
                inflight[origin] = future = got
            if not block and not future.done():
                return None
            del inflight[origin]
            return self._decision(origin, future.result())

        def emit(index: int, url: str, origin: str) -> Row:
            decision = decisions.get(origin) or ready(origin, True)
            assert decision is not None
            keep, fields = decision.row(url)
            self.tally.add(origin, keep, fields)
            self.tally.kept += keep
            self.tally.urls += 1
            return (index, url, origin, keep, decision.outcome, decision.status, decision.error) + fields

        index = start - 1
        for url in urls:
            index += 1
            if url.__class__ is not str and not isinstance(url, str):
                text, why = _odd(url)
                pending.append((index, text, None, why))
            else:
                origin, reason = origin_of(url)
                pending.append((index, url, origin, reason))
                if origin is not None and origin not in decisions and origin not in inflight:
                    ready(origin, False)
            while pending:
                i, u, o, r = pending[0]
                if o is None:
                    pending.popleft()
                    yield self._invalid(i, u, r)
                    continue
                if ready(o, len(pending) > self.window) is None:
                    break
                pending.popleft()
                yield emit(i, u, o)
        while pending:
            i, u, o, r = pending.popleft()
            yield self._invalid(i, u, r) if o is None else emit(i, u, o)
