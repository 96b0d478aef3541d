"""The streaming core: URLs in, batches of rows out, in input order, with per-origin tallies.

Per URL the work is kept minimal: the origin's key is cut with plain string operations (``scheme://host``
up to the first ``/``; anything unusual takes the exact, validating path once per distinct head), one dict
lookup finds the origin's :class:`~.decide.OriginDecision`, and each agent's answer is a shared fields tuple
or one call of the origin's decider. Rows leave in :class:`Batch` es of column lists (turned into Arrow
arrays, CSV rows or row tuples by the caller); the tallies are counted per batch, not per URL.

Memory does not grow with the number of URLs: the URLs stream through; what is kept is per origin and
bounded (decisions for at most ``max_origins`` origins, in two generations; parsed bodies in a
:class:`~.decide.BodyCache`), plus one small tally row per origin for the origin table. When signals must be
fetched, rows wait in a window of at most ``window`` URLs for their origin's fetch; a full window waits for
its oldest row.
"""

from __future__ import annotations

from collections import Counter, deque
from concurrent.futures import Future
from itertools import islice, repeat
from operator import add, attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional, Protocol, Sequence, Union

from .columns import Agent
from .decide import ALLOWED, BodyCache, Invalid, OriginDecision
from .origins import OriginCache

if TYPE_CHECKING:
    from ..signals.model import TargetSignals

Row = tuple[Any, ...]
"""``(row, url, origin, keep, robots_outcome, robots_status, error, *per-agent fields)``; see columns."""

BATCH = 32_768
"""URLs per batch: large enough that per-batch work (Arrow arrays, counting) is amortised, small enough to
keep memory flat."""


class SignalSource(Protocol):
    """Where an origin's signals come from: a recorded file (answers at once) or a fetcher (a Future)."""

    def get(self, origin: str) -> Union[Optional["TargetSignals"], "Future[Optional[TargetSignals]]"]: ...


class NotAUrl:
    """Stands in an input stream where a record has no URL (bad JSON line, missing field, bytes that are not
    UTF-8); gives the reason, and the text shown in the ``url`` column (empty when there is none)."""

    __slots__ = ("reason", "text")

    def __init__(self, reason: str, text: Optional[str] = None) -> None:
        self.reason = reason
        self.text = text

    def __repr__(self) -> str:
        return f"NotAUrl({self.reason!r}, {self.text!r})"


def _odd(url: object) -> tuple[str, str]:
    """(url text, reason) for an input item that is not a str."""
    if isinstance(url, NotAUrl):
        return url.text or "", url.reason
    return ("" if url is None else str(url)), f"not a string ({type(url).__name__})"


class Batch:
    """Consecutive rows, as columns: ``urls[i]``, the origin decision ``states[i]`` (origin, robots outcome,
    status and error are its attributes) and, per agent, ``agents[a][i]`` the fields tuple. Row numbers run
    from ``start``. States and fields tuples are shared objects, so a batch holds few distinct ones: columns
    are built from those (:meth:`distinct`) and per-row codes, not row by row."""

    __slots__ = ("start", "urls", "states", "agents", "_keep", "_encoded")

    def __init__(self, start: int, urls: list[str], states: list[Any], agents: list[list[tuple[Any, ...]]]) -> None:
        self.start = start
        self.urls = urls
        self.states = states
        self.agents = agents
        self._keep: Optional[list[bool]] = None
        self._encoded: Optional[tuple[Any, ...]] = None

    def encoded(self) -> tuple[list[Any], list[int], list[tuple[list[Any], list[int]]]]:
        """``(distinct states, per-row state codes, per agent (distinct fields, per-row codes))``."""
        if self._encoded is None:
            states, codes = distinct(self.states)
            per_agent = []
            for fields in self.agents:
                unique, field_codes = distinct(fields)
                per_agent.append((unique, list(field_codes)))
            self._encoded = (states, list(codes), per_agent)
        return self._encoded  # type: ignore[return-value]

    def __len__(self) -> int:
        return len(self.urls)

    def head_columns(self) -> tuple[Iterator[Any], Iterator[Any], Iterator[Any], Iterator[Any]]:
        """origin, robots_outcome, robots_status, error (iterators)."""
        states = self.states
        return (map(_ORIGIN, states), map(_OUTCOME, states), map(_STATUS, states), map(_ERROR, states))

    def keep(self) -> list[bool]:
        if self._keep is None:
            if len(self.agents) == 1:
                self._keep = [f[0] == ALLOWED for f in self.agents[0]]
            else:
                self._keep = [all(f[0] == ALLOWED for f in row) for row in zip(*self.agents)]
        return self._keep

    def rows(self) -> Iterator[Row]:
        """Row tuples (see :data:`Row`), assembled in C (``zip``/``map``), not field by field."""
        origin, outcome, status, error = self.head_columns()
        rows: Iterator[Row] = zip(range(self.start, self.start + len(self.urls)), self.urls, origin, self.keep(),
                                  outcome, status, error)
        for fields in self.agents:
            rows = map(add, rows, fields)
        return rows


def distinct(items: list[Any]) -> tuple[list[Any], Iterator[int]]:
    """The distinct values of ``items`` (first seen first) and, per item, its index among them. Items are
    origin decisions (hashed by identity) or interned fields tuples: a few hundred distinct per batch."""
    unique = list(dict.fromkeys(items))
    index = {item: i for i, item in enumerate(unique)}
    return unique, map(index.__getitem__, items)


_ORIGIN = attrgetter("origin")
_OUTCOME = attrgetter("outcome")
_STATUS = attrgetter("status")
_ERROR = attrgetter("error")


_SLOTS = ("allowed", "disallowed", "reserved")
_BASE = attrgetter("tally_base")
_VERDICT = itemgetter(0)


class Tally:
    """Per-origin counts and facts for the origin, domain and headline tables (one small entry per origin).

    Counting is done in C, one dictionary update per URL and agent (``Counter.update`` over integer keys
    made with ``map``), with no Python loop over rows or over (origin, verdict) pairs: with thousands of
    origins in a batch nearly every row is its own pair. Each origin gets a base key when first seen (its
    decision carries it as ``tally_base``); per agent four keys follow it, one per verdict slot (other,
    allowed, disallowed, reserved); invalid rows count under a negative base.
    """

    def __init__(self, agents: Sequence[Agent]) -> None:
        self.agents = tuple(agents)
        self.width = len(self.agents)
        self._stride = 4 * self.width
        self._bases: dict[str, int] = {}
        self._raw: Counter[int] = Counter()
        # per agent: verdict -> key offset from the origin's base (anything else: the agent's "other" slot)
        self._offsets = [{verdict: 4 * a + 1 + i for i, verdict in enumerate(_SLOTS)} for a in range(self.width)]
        self.facts: dict[str, tuple[Any, ...]] = {}
        self.urls = 0
        self._kept = 0  # rows kept, counted per batch when there is more than one agent
        self._counts: Optional[dict[str, list[int]]] = None  # the tables' view, made once counting is done

    @property
    def invalid_base(self) -> int:
        return -self._stride

    def _base(self, origin: str) -> int:
        base = self._bases.get(origin)
        if base is None:
            base = self._bases[origin] = len(self._bases) * self._stride
        return base

    def origin_seen(self, decision: OriginDecision) -> None:
        origin = decision.origin
        if origin not in self.facts:
            self.facts[origin] = (decision.outcome, decision.status, decision.sha256, decision.fetched_at,
                                  decision.optouts_collected, "; ".join(decision.problems) or None,
                                  decision.opt_outs)
        decision.tally_base = self._base(origin)
        self._counts = None

    def add_batch(self, batch: Batch) -> None:
        """Count a batch's rows: per origin, URLs and verdicts per agent."""
        self._counts = None
        self.urls += len(batch)
        states = batch.states
        bases: Iterable[int] = map(_BASE, states) if self.width == 1 else list(map(_BASE, states))
        update = self._raw.update
        for a, fields in enumerate(batch.agents):
            offset = self._offsets[a].get
            other = 4 * a
            update(map(add, bases, map(offset, map(_VERDICT, fields), repeat(other))))
        if self.width > 1:
            self._kept += batch.keep().count(True)

    def _slots(self, base: int) -> list[int]:
        raw = self._raw
        return [raw[base + k] for k in range(self._stride)]

    @property
    def invalid(self) -> int:
        raw, base = self._raw, self.invalid_base
        return sum(raw[base + k] for k in range(4))

    @property
    def kept(self) -> int:
        if self.width > 1:
            return self._kept
        raw = self._raw
        return sum(raw[base + 1] for base in self._bases.values())

    @property
    def counts(self) -> dict[str, list[int]]:
        """Per origin ``[urls, per agent: allowed, disallowed, reserved]`` (the tables' layout); built from the
        raw counts on first use after a change, then kept."""
        if self._counts is not None:
            return self._counts
        out: dict[str, list[int]] = {}
        for origin, base in self._bases.items():
            slots = self._slots(base)
            row = [sum(slots[:4])]
            for a in range(self.width):
                row.extend(slots[4 * a + 1: 4 * a + 4])
            out[origin] = row
        self._counts = out
        return out

    def merge(self, other: "Tally") -> None:
        """Add another tally's counts (the Dask engine tallies each partition separately)."""
        self._counts = None
        self.urls += other.urls
        self._kept += other._kept
        raw = self._raw
        for origin, theirs in other._bases.items():
            if origin not in self.facts:
                self.facts[origin] = other.facts[origin]
            base = self._base(origin)
            for k, value in enumerate(other._slots(theirs)):
                if value:
                    raw[base + k] += value
        mine, theirs_base = self.invalid_base, other.invalid_base
        for k in range(4):
            value = other._raw[theirs_base + k]
            if value:
                raw[mine + k] += value


class Auditor:
    """Turns URLs into rows for fixed agents, purpose and signal source; keeps the bounded per-origin state."""

    def __init__(self, agents: Sequence[Agent], purpose: str, source: SignalSource, *, max_origins: int = 50_000,
                 window: int = 20_000, tally: Optional[Tally] = None, bodies: Optional[BodyCache] = None) -> None:
        self.agents = tuple(agents)
        self.purpose = purpose
        self.source = source
        self.max_origins = max_origins
        self.window = window
        self.tally = tally if tally is not None else Tally(self.agents)
        self.origin_of = OriginCache()
        self.bodies = bodies if bodies is not None else BodyCache()
        # Decisions by origin, and by the URL head ("https://Host:443") that led to them, in two
        # generations: a hit costs one dict lookup, and at most 2 * max_origins decisions are alive.
        self.decisions: dict[str, OriginDecision] = {}
        self._old: dict[str, OriginDecision] = {}
        self.heads: dict[str, Any] = {}
        self._invalid: dict[Optional[str], Invalid] = {}

    # ------------------------------------------------------------------ per origin
    def _decision(self, origin: str, signals: Optional["TargetSignals"]) -> OriginDecision:
        decision = OriginDecision(origin, signals, self.agents, self.purpose, self.bodies)
        self._keep(origin, decision)
        self.tally.origin_seen(decision)
        return decision

    def _keep(self, origin: str, decision: OriginDecision) -> None:
        if len(self.decisions) >= self.max_origins:
            self._old = self.decisions
            self.decisions = {}
            self.heads = {}
        self.decisions[origin] = decision

    def _known(self, origin: str) -> Optional[OriginDecision]:
        decision = self.decisions.get(origin)
        if decision is None:
            decision = self._old.pop(origin, None)
            if decision is not None:
                self._keep(origin, decision)
        return decision

    def invalid(self, reason: Optional[str]) -> Invalid:
        found = self._invalid.get(reason)
        if found is None:
            if len(self._invalid) > 1024:
                self._invalid.clear()
            found = self._invalid[reason] = Invalid(reason, len(self.agents))
        return found

    def _state(self, url: str, cut: int) -> Any:
        """The decision (or :class:`Invalid`) for ``url`` when its head is not known yet (``cut``: the first
        '/' after the scheme, as the hot loop found it). Heads that decide alone are remembered."""
        origin, reason = self.origin_of(url)
        if origin is None:
            return self.invalid(reason)
        decision = self._known(origin)
        if decision is None:
            got = self.source.get(origin)
            if isinstance(got, Future):
                return got
            decision = self._decision(origin, got)
        head = url[:cut] if cut > 0 else None
        if head is not None and head.startswith(("https://", "http://")) and not any(c in head for c in "?#;\\@"):
            if len(self.heads) >= 4 * self.max_origins:  # many spellings of few origins: start afresh
                self.heads = {}
            self.heads[head] = decision
        return decision

    # ------------------------------------------------------------------ streaming
    def rows(self, urls: Iterable[Any], start: int = 0) -> Iterator[Row]:
        """One row per URL, in order. ``start`` numbers the first row (for partitions of a larger input)."""
        for batch in self.batches(urls, start):
            yield from batch.rows()

    def batches(self, urls: Iterable[Any], start: int = 0, size: int = BATCH) -> Iterator[Batch]:
        """The rows of ``urls`` in order, in batches of at most ``size``, counted in the tally as they go."""
        produce = self._immediate if getattr(self.source, "immediate", True) else self._windowed
        add = self.tally.add_batch
        for batch in produce(urls, start, size):
            add(batch)
            yield batch

    def _immediate(self, urls: Iterable[Any], start: int, size: int) -> Iterator[Batch]:
        it = iter(urls)
        single = len(self.agents) == 1
        while True:
            chunk = list(islice(it, size))
            if not chunk:
                return
            yield self._decide_chunk(chunk, start, single)
            start += len(chunk)

    def _decide_chunk(self, chunk: list[Any], start: int, single: bool) -> Batch:
        """The hot loop: per URL a string cut, one dict lookup and, per agent, a shared answer or one call.

        A URL whose head (``scheme://authority``, up to the first '/') is known is answered from its path
        (what follows the head: ``RuleSet.decide_path``); heads are only remembered when their authority
        holds no '?', ';', '#', '\\' or '@', so that cut is exactly where the matcher would cut. Any other
        URL is answered from its whole text."""
        heads = self.heads
        state_of = self._state
        states: list[Any] = []
        append = states.append
        texts = chunk
        odd = False
        if single:
            fields: list[Any] = []
            add = fields.append
            for url in chunk:
                if url.__class__ is not str:
                    odd = True
                    state = self._odd_state(url)
                    first = state.first
                    add(first if first.__class__ is tuple else first(str(url)))
                    append(state)
                    continue
                cut = url.find("/", 8)
                state = heads.get(url[:cut]) if cut > 0 else None
                if state is None:
                    state = state_of(url, cut)
                    first = state.first
                    add(first if first.__class__ is tuple else first(url))
                else:
                    first = state.first_path
                    add(first if first.__class__ is tuple else first(url[cut:]))
                append(state)
            if odd:
                texts = [u if u.__class__ is str else _odd(u)[0] if not isinstance(u, str) else str(u) for u in chunk]
            return Batch(start, texts, states, [fields])
        per_agent: list[list[Any]] = [[] for _ in self.agents]
        adds = [column.append for column in per_agent]
        for url in chunk:
            if url.__class__ is not str:
                odd = True
                state = self._odd_state(url)
                text = str(url) if isinstance(url, str) else ""
                answers = state.answers
            else:
                cut = url.find("/", 8)
                state = heads.get(url[:cut]) if cut > 0 else None
                if state is None:
                    state = state_of(url, cut)
                    text = url
                    answers = state.answers
                else:
                    text = url[cut:]
                    answers = state.path_answers
            append(state)
            for column_add, answer in zip(adds, answers):
                column_add(answer if answer.__class__ is tuple else answer(text))
        if odd:
            texts = [u if u.__class__ is str else _odd(u)[0] if not isinstance(u, str) else str(u) for u in chunk]
        return Batch(start, texts, states, per_agent)

    def _odd_state(self, url: Any) -> Any:
        """The decision for an input item that is not a plain str: a str subclass is read as its text."""
        if isinstance(url, str):
            text = str(url)
            return self._state(text, text.find("/", 8))
        return self.invalid(_odd(url)[1])

    def _windowed(self, urls: Iterable[Any], start: int, size: int) -> Iterator[Batch]:
        """Rows wait (at most ``window`` of them) for their origin's fetch; out in input order."""
        source = self.source
        pending: deque[tuple[str, Any]] = deque()  # (url text, decision, Invalid or origin awaiting its fetch)
        inflight: dict[str, Future[Any]] = {}
        ready_urls: list[str] = []
        ready_states: list[Any] = []
        index = start

        def resolve(origin: str, block: bool) -> Optional[OriginDecision]:
            decision = self._known(origin)
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

        def flush() -> Batch:
            nonlocal index, ready_urls, ready_states
            batch = self._answer(index, ready_urls, ready_states)
            index += len(ready_urls)
            ready_urls, ready_states = [], []
            return batch

        for url in urls:
            if isinstance(url, str):
                origin, reason = self.origin_of(url)
                if origin is None:
                    pending.append((url, self.invalid(reason)))
                else:
                    pending.append((url, origin))
                    if self._known(origin) is None and origin not in inflight:
                        resolve(origin, False)
            else:
                text, why = _odd(url)
                pending.append((text, self.invalid(why)))
            while pending:
                text, what = pending[0]
                if what.__class__ is str:
                    decision = resolve(what, len(pending) > self.window)
                    if decision is None:
                        if ready_urls:  # what is ready goes out while the fetch runs
                            yield flush()
                        break
                    what = decision
                pending.popleft()
                ready_urls.append(text)
                ready_states.append(what)
                if len(ready_urls) >= size:
                    yield flush()
        while pending:
            text, what = pending.popleft()
            if what.__class__ is str:
                decision = resolve(what, False)
                if decision is None:
                    if ready_urls:
                        yield flush()
                    decision = resolve(what, True)
                what = decision
            ready_urls.append(text)
            ready_states.append(what)
            if len(ready_urls) >= size:
                yield flush()
        if ready_urls:
            yield flush()

    def _answer(self, start: int, urls: list[str], states: list[Any]) -> Batch:
        per_agent: list[list[Any]] = [[] for _ in self.agents]
        for state, url in zip(states, urls):
            for column, answer in zip(per_agent, state.answers):
                column.append(answer if answer.__class__ is tuple else answer(url))
        return Batch(start, urls, states, per_agent)


__all__ = ["BATCH", "Auditor", "Batch", "NotAUrl", "Row", "SignalSource", "Tally"]
