"""``audit(urls, agents=[...], purpose=..., signals=...)``: the dataset audit as a Python generator of rows.

Each :class:`AuditRow` answers one input URL, in input order: its origin, the robots.txt outcome and, per
agent, the verdict with its evidence. :func:`audit_column` does the same for a pandas or polars column and
returns a frame of the documented columns aligned with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional, Sequence, Union

from ..errors import InputError
from .columns import AGENT_ROW, Agent, agents_from, row_columns
from .pipeline import Auditor, Row
from .sources import FetchSource, RecordedSource

PURPOSES: tuple[str, ...] = (
    "ai-training", "ai-inference", "search-indexing", "research", "archiving", "price-monitoring", "marketing",
    "lead-generation", "data-resale", "security-research", "personal", "other",
)
"""The plan format's purpose kinds (``[purpose] kind``)."""


@dataclass(frozen=True, slots=True)
class AgentVerdict:
    """One agent's answer for one URL, with the evidence."""

    agent: str
    verdict: str
    robots_line: Optional[int]
    robots_rule: Optional[str]
    optout_kind: Optional[str]
    optout_source: Optional[str]
    optout_value: Optional[str]

    @property
    def allowed(self) -> bool:
        return self.verdict == "allowed"


@dataclass(frozen=True, slots=True)
class AuditRow:
    """One input URL's audit. ``keep`` is true when every agent may use it; ``as_dict`` gives the columns."""

    row: int
    url: str
    origin: Optional[str]
    keep: bool
    robots_outcome: str
    robots_status: Optional[int]
    error: Optional[str]
    agents: tuple[AgentVerdict, ...]

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"row": self.row, "url": self.url, "origin": self.origin, "keep": self.keep,
                               "robots_outcome": self.robots_outcome, "robots_status": self.robots_status,
                               "error": self.error}
        for verdict in self.agents:
            slug = _slug(verdict.agent)
            for column in AGENT_ROW:
                out[f"{slug}_{column.name}"] = getattr(verdict, column.name)
        return out


def _slug(agent: str) -> str:
    return agents_from([agent])[0].slug


def check_purpose(purpose: object, source: str = "--purpose") -> str:
    if not isinstance(purpose, str) or purpose not in PURPOSES:
        raise InputError(source, "purpose", f"{purpose!r} is not a purpose; one of {', '.join(PURPOSES)}")
    return purpose


SignalsInput = Union[Any, dict, str, Path, None]


def load_signals_input(signals: SignalsInput) -> Any:
    """Recorded signals: a ``Signals`` value or dict as given, a signals file as a lazy per-origin
    :class:`~scrapecheck.signals.index.SignalsIndex` (JSON of any size; entries read when their origin comes
    up; a TOML file is loaded whole).
    Anything with ``get(origin)`` works. Errors name the file and field."""
    if isinstance(signals, (str, Path)) and Path(signals).suffix.lower() == ".json":
        from ..signals.index import SignalsIndex

        return SignalsIndex(signals)
    from ..api import _signals

    return _signals(signals)


def make_source(*, signals: SignalsInput, fetch: bool, user_agent: Optional[str], allow_private_networks: bool,
                fetch_config: Any, journal: Union[str, Path, None]) -> Union[RecordedSource, FetchSource]:
    if signals is not None and fetch:
        raise InputError("audit", "signals", "give recorded signals or fetch=True, not both")
    if signals is not None:
        return RecordedSource(load_signals_input(signals))
    if not fetch:
        raise InputError("audit", "signals", "no signals: give a signals file (signals=...) or fetch=True")
    from .._version import __version__

    ua = user_agent or f"scrapecheck/{__version__} (dataset audit; robots.txt and opt-out check)"
    return FetchSource(user_agent=ua, config=fetch_config, allow_private_networks=allow_private_networks,
                       journal=journal)


def to_row(row: Row, agents: Sequence[Agent]) -> AuditRow:
    width = len(AGENT_ROW)
    verdicts = tuple(AgentVerdict(agent.user_agent, *row[7 + width * i: 7 + width * (i + 1)])
                     for i, agent in enumerate(agents))
    return AuditRow(row[0], row[1], row[2], row[3], row[4], row[5], row[6], verdicts)


def audit(urls: Iterable[str], *, agents: Sequence[str], purpose: str, signals: SignalsInput = None,
          fetch: bool = False, allow_private_networks: bool = False, fetch_config: Any = None,
          user_agent: Optional[str] = None, journal: Union[str, Path, None] = None,
          max_origins: int = 50_000) -> Iterator[AuditRow]:
    """Yield one :class:`AuditRow` per URL of ``urls``, in order, streaming (memory does not grow with URLs).

    ``signals``: a recorded ``Signals`` (or dict, or signals file); or ``fetch=True`` to fetch each origin
    once (robots.txt, start page, TDMRep; private addresses refused unless ``allow_private_networks``),
    journaled to ``journal`` when given so that a later call resumes without fetching again.
    """
    if isinstance(urls, (str, bytes, bytearray)):  # iterating would audit each character as a URL
        raise InputError("audit", "urls", f"give an iterable of URLs (a list, a file's lines), not one "
                         f"{type(urls).__name__}")
    parsed = agents_from(agents, "agents")
    check_purpose(purpose, "purpose")
    source = make_source(signals=signals, fetch=fetch, user_agent=user_agent,
                         allow_private_networks=allow_private_networks, fetch_config=fetch_config, journal=journal)
    auditor = Auditor(parsed, purpose, source, max_origins=max_origins)
    try:
        for row in auditor.rows(urls):
            yield to_row(row, parsed)
    finally:
        source.close()


def audit_column(column: Any, *, agents: Sequence[str], purpose: str, signals: SignalsInput = None,
                 fetch: bool = False, **options: Any) -> Any:
    """Audit a pandas or polars Series of URLs; returns a DataFrame of the same library, one row per value
    (pandas: same index), with the columns of ``columns.row_columns``."""
    parsed = agents_from(agents, "agents")
    check_purpose(purpose, "purpose")
    module = type(column).__module__.split(".")[0]
    if module not in ("pandas", "polars") or type(column).__name__ != "Series":
        raise TypeError(f"audit_column takes a pandas or polars Series, not {type(column).__name__}")
    values = column.to_list()
    source = make_source(signals=signals, fetch=fetch, user_agent=options.pop("user_agent", None),
                         allow_private_networks=options.pop("allow_private_networks", False),
                         fetch_config=options.pop("fetch_config", None), journal=options.pop("journal", None))
    try:
        rows = list(Auditor(parsed, purpose, source, **options).rows(values))
    finally:
        source.close()
    columns = row_columns(parsed)
    from .writers import arrow_table

    table = arrow_table(rows, columns)
    if module == "pandas":
        frame = table.to_pandas()
        frame.index = column.index
        return frame
    import polars as pl

    return pl.from_arrow(table)


__all__ = ["AgentVerdict", "AuditRow", "PURPOSES", "audit", "audit_column", "check_purpose"]
