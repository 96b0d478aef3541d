"""The signals registry: which signals exist, what each can carry, and what a target is missing.

One table, :data:`SIGNALS`, answers three questions that used to be answered in seven places:

- the engine asks which opt-outs a target has per signal (:func:`opt_outs_by_signal`), and the ``opt-out``
  check asks which signal a missing opt-out kind would come from (:func:`signals_carrying`);
- ``evaluate`` asks which origins lack a signal and must be fetched (:func:`missing_origins`);
- the fetcher asks which signals to collect and in which order (:data:`SIGNALS`, each with its collector).

**Adding a signal** (e.g. a site-wide ``/ai.txt``): write its collector (``collect(ctx) -> list[OptOut]`` or
None when unreadable, with problems appended to ``ctx.problems``) and add one :class:`SignalSpec` to
:data:`SIGNALS` below. It is stored in ``TargetSignals.extra[name]`` (the signals file format needs no change),
rules can name it in ``undecided`` checks, and a new opt-out kind it reports goes into ``OptOutKind`` in
``model.py``. Two files; before this registry it was six.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable, Optional

if TYPE_CHECKING:
    from ..plan import CrawlPlan
    from ..robots import RobotsPolicy
    from .model import OptOut, Signals, TargetSignals


@dataclass
class CollectContext:
    """What a collector gets: the fetch function bound to the origin's client and deadline, and what is known."""

    origin: str
    """The origin's key (``scheme://host[:port]``, Unicode host)."""
    base_url: str
    """The origin as requested (ASCII host): ``ctx.base_url + "/ai.txt"``."""
    get: Callable[..., object]
    """``get(url, cap, accept)`` -> :class:`~.client.Response` (redirects, deadline and address checks done)."""
    robots_policy: "RobotsPolicy"
    token: str
    pages: tuple[str, ...]
    paths: tuple[str, ...]
    problems: list[str] = field(default_factory=list)
    records: list[dict[str, object]] = field(default_factory=list)


@dataclass(frozen=True)
class SignalSpec:
    """One signal: its name (as rules and ``not_checked`` name it), what it is, the opt-out kinds it can carry,
    whether a target has it, and the opt-outs it holds."""

    name: str
    description: str
    opt_out_kinds: frozenset[str]
    collected: Callable[["TargetSignals"], bool]
    opt_outs: Callable[["TargetSignals", Optional["RobotsPolicy"], str], Optional[list["OptOut"]]]
    collect: Optional[Callable[[CollectContext], Optional[list["OptOut"]]]] = None
    """Collector for signals stored in ``TargetSignals.extra``; robots and pages are collected by fetch.py."""


def _robots_opt_outs(collected: "TargetSignals", policy: Optional["RobotsPolicy"], token: str
                     ) -> Optional[list["OptOut"]]:
    robots = collected.robots
    if robots is None or policy is None:
        return None
    if robots.outcome != "ok":
        return []
    from .optouts import from_robots

    return from_robots(policy, token, robots.url)


def stored_in_extra(name: str) -> dict[str, Callable[..., object]]:
    """``collected`` and ``opt_outs`` for a new signal kept in ``TargetSignals.extra[name]``:
    ``SignalSpec(name=..., description=..., opt_out_kinds=..., collect=..., **stored_in_extra(name))``."""
    return {"collected": lambda c: name in c.extra,
            "opt_outs": lambda c, _policy, _token: c.extra.get(name)}


SIGNALS: tuple[SignalSpec, ...] = (
    SignalSpec(
        name="robots",
        description="the target's robots.txt (RFC 9309), and the AI opt-outs written in it",
        opt_out_kinds=frozenset({"robots-ai-agent", "robots-ai-intent", "content-usage", "content-signal",
                                 "rsl-license", "legal-notice"}),
        collected=lambda c: c.robots is not None,
        opt_outs=_robots_opt_outs,
    ),
    SignalSpec(
        name="pages",
        description="opt-outs outside robots.txt: start-page headers and meta tags, /.well-known/tdmrep.json",
        opt_out_kinds=frozenset({"x-robots-tag", "meta-robots", "tdmrep", "content-usage", "content-signal",
                                 "rsl-license"}),
        collected=lambda c: c.opt_outs is not None,
        opt_outs=lambda c, _policy, _token: c.opt_outs,
    ),
)
"""Every signal, in collection order (robots first: the others are fetched only where it allows)."""



def names() -> tuple[str, ...]:
    """Every signal's name, in collection order."""
    return tuple(spec.name for spec in SIGNALS)


def signals_carrying(kinds: Optional[Iterable[str]]) -> tuple[SignalSpec, ...]:
    """The signals that can carry any of these opt-out kinds (all signals when ``kinds`` is None or empty)."""
    wanted = set(kinds or ())
    return tuple(spec for spec in SIGNALS if not wanted or spec.opt_out_kinds & wanted)


def missing(collected: Optional["TargetSignals"]) -> tuple[str, ...]:
    """Names of the signals an origin lacks (every one when nothing was collected)."""
    if collected is None:
        return names()
    return tuple(spec.name for spec in SIGNALS if not spec.collected(collected))


def missing_origins(plan: "CrawlPlan", signals: Optional["Signals"]) -> list[str]:
    """Origins of the plan's targets that lack a signal, given the plan's snapshots and ``signals``."""
    from .snapshot import from_plan

    have = from_plan(plan)
    if signals is not None:
        have = signals.merged_over(have)
    result: list[str] = []
    for target in plan.targets:
        if target.origin not in result and missing(have.for_origin(target.origin)):
            result.append(target.origin)
    return result


def opt_outs_by_signal(collected: Optional["TargetSignals"], robots_policy: Optional["RobotsPolicy"],
                       token: str) -> dict[str, Optional[list["OptOut"]]]:
    """Per signal: its opt-outs, ``[]`` when collected with none, None when not collected."""
    if collected is None:
        return {name: None for name in names()}
    return {spec.name: spec.opt_outs(collected, robots_policy, token) if spec.collected(collected) else None
            for spec in SIGNALS}


__all__ = ["SIGNALS", "CollectContext", "SignalSpec", "missing", "missing_origins", "names", "opt_outs_by_signal",
           "signals_carrying", "stored_in_extra"]
