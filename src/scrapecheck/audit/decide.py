"""Per-origin decisions: one origin's signals (robots.txt and its RFC 9309 outcome, site-level opt-outs) and
the audit's agents and purpose, turned once into a small object that answers each URL of that origin.

This is the audit's only seam onto the decision rules: the robots matcher (:mod:`scrapecheck.robots`) for the
verdict and the deciding line of every URL, and the Guard's per-origin decision core
(:mod:`scrapecheck.guard._origin`) for which opt-outs refuse which purpose. Parsing and compiling a robots.txt costs
milliseconds, matching a URL microseconds, and many sites serve byte-identical files (CMS defaults), so
compiled bodies are shared through a bounded :class:`BodyCache` keyed by the text.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Optional, Sequence

from ..guard._origin import (
    ROBOTS_KINDS,
    OptOutSignal,
    OriginRules,
    _recorded_path,
    opt_out_reasons,
    path_pattern,
)
from ..robots import RobotsPolicy
from ..robots._syntax import path_of
from .columns import Agent

if TYPE_CHECKING:
    from ..signals.model import TargetSignals

_NO_OPTOUT: tuple[Optional[str], Optional[str], Optional[str]] = (None, None, None)
OptCols = tuple[Optional[str], Optional[str], Optional[str]]


def _columns(reason: Any, robots_url: str) -> OptCols:
    """(kind, source, value) of a blocking opt-out reason of the decision core."""
    where = reason.source or robots_url
    source = f"{where}#L{reason.line}" if reason.line is not None else where
    return reason.signal, source, reason.text


def binding(signals: Sequence["OptOutSignal"], purpose: str, robots_url: str) -> OptCols:
    """The first opt-out that refuses ``purpose`` (the Guard's rules: AIO-0xx, blocking only), as columns."""
    for reason in opt_out_reasons(signals, purpose):
        if reason.blocking:
            return _columns(reason, robots_url)
    return _NO_OPTOUT


class _Compiled(NamedTuple):
    decide: Callable[[str], tuple[bool, Any]]
    robots_opt_outs: tuple[OptOutSignal, ...]
    has_rules: bool


_UNCOMPILED_DECIDE = 3e-6
"""Rough seconds one uncompiled ``decide`` costs: used to tell when compiling a rule set pays for itself."""


def _decider(policy: RobotsPolicy, token: str) -> Callable[[str], tuple[bool, Any]]:
    """``url -> (allowed, deciding rule or None)`` for one agent.

    The matcher's ``decide`` never compiles its rule set on its own (an ``explain`` is usually a one-off); an
    audit asks the same rule set about many URLs, so once it has been asked about as many URLs as compiling
    would cost, it is compiled (the matcher's own budget, in the same units), then used directly.
    """
    try:
        ruleset = policy._resolve(policy._group_indexes(token))[1]  # noqa: SLF001 - the compiled rule set
        budget = ruleset._budget  # noqa: SLF001
        compile_now = ruleset._compile  # noqa: SLF001
    except AttributeError:  # pragma: no cover - the matcher changed its internals: stay correct, a bit slower
        def explained(url: str) -> tuple[bool, Any]:
            verdict = policy.explain(token, url)
            return verdict.allowed, verdict.rule

        return explained
    if budget is None:  # compiled already, or never worth it
        return ruleset.decide  # type: ignore[no-any-return]
    left = [max(1, int(budget / _UNCOMPILED_DECIDE))]

    def decide(url: str) -> tuple[bool, Any]:
        left[0] -= 1
        if left[0] == 0:
            compile_now()
        return ruleset.decide(url)  # type: ignore[no-any-return]

    return decide


class BodyCache:
    """Compiled robots.txt bodies per agent token, shared by origins serving the same text; LRU-bounded."""

    def __init__(self, limit: int = 2048) -> None:
        self._limit = limit
        self._entries: OrderedDict[str, tuple[RobotsPolicy, dict[str, _Compiled]]] = OrderedDict()

    def compiled(self, body: str, token: str) -> _Compiled:
        from ..signals.optouts import from_robots

        entry = self._entries.get(body)
        if entry is None:
            entry = (RobotsPolicy.parse(body), {})
            self._entries[body] = entry
            if len(self._entries) > self._limit:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(body)
        policy, per_token = entry
        hit = per_token.get(token)
        if hit is None:
            group = policy.group_for(token)
            has_rules = group is not None and bool(group.rules)
            found = tuple(OptOutSignal.of(o, OriginRules._preference_path(o))  # noqa: SLF001 - the core's rule
                          for o in from_robots(policy, token, ""))
            hit = _Compiled(_decider(policy, token), found, has_rules)
            per_token[token] = hit
        return hit

    def __len__(self) -> int:
        return len(self._entries)


class OriginDecision:
    """What an origin's signals say for each agent; :meth:`row` answers one URL of the origin.

    ``row(url)`` returns ``(keep, fields)``: fields are, per agent, verdict, robots line, robots rule text and
    the opt-out's kind, source and value (see :mod:`scrapecheck.audit.columns`). Which opt-outs refuse which
    purpose, and where a TDMRep or preference rule is limited to some paths, is the Guard's decision core's
    call (:mod:`scrapecheck.guard._origin`); low-confidence notices and licences never refuse.
    """

    __slots__ = ("origin", "outcome", "status", "sha256", "fetched_at", "optouts_collected", "problems",
                 "error", "opt_outs", "_plan", "_const", "_keep_const")

    def __init__(self, origin: str, signals: Optional["TargetSignals"], agents: Sequence[Agent], purpose: str,
                 bodies: BodyCache) -> None:
        self.origin = origin
        robots = signals.robots if signals is not None else None
        self.problems = tuple(signals.problems) if signals is not None else ()
        self.optouts_collected = signals is not None and signals.opt_outs is not None
        self.opt_outs: tuple[OptCols, ...]
        if robots is None:
            self.outcome, self.status, self.sha256, self.fetched_at = "missing", None, None, None
            self.error: Optional[str] = "no robots.txt recorded for this origin"
            self.opt_outs = tuple(_NO_OPTOUT for _ in agents)
            self._plan: Optional[tuple[Any, ...]] = None
            self._const: Optional[tuple[Any, ...]] = tuple(
                x for _ in agents for x in ("unknown", None, None) + _NO_OPTOUT)
            self._keep_const = False
            return
        self.outcome, self.status = robots.outcome, robots.status
        self.sha256, self.fetched_at = robots.sha256, robots.fetched_at
        self.error = None
        robots_url = robots.url
        recorded = [OptOutSignal.of(o, _recorded_path(o, robots_url)) for o in (signals.opt_outs or ())
                    if not (o.kind in ROBOTS_KINDS or str(o.where) == robots_url)] if signals is not None else []
        plan: list[tuple[Any, ...]] = []
        views = []
        dynamic = False
        for agent in agents:
            decide = None
            line = text = None
            if robots.outcome == "ok":
                compiled = bodies.compiled(robots.body or "", agent.token)
                signals_for_agent = list(compiled.robots_opt_outs) + recorded
                if compiled.has_rules:
                    decide = compiled.decide
                else:  # every URL allowed; Google's matching_line() may still name an empty Allow/Disallow
                    _, rule = compiled.decide("/")
                    line, text = (rule.line, rule.text) if rule is not None else (None, None)
            else:
                signals_for_agent = recorded
            opt = binding([s for s in signals_for_agent if s.path is None], purpose, robots_url)
            scoped = tuple((path_pattern(s.path), cols) for s in signals_for_agent if s.path is not None
                           for cols in [binding([s], purpose, robots_url)] if cols[0] is not None)
            views.append(opt)
            if robots.outcome == "unreachable":
                plan.append((None, ("disallowed", None, None) + opt, opt, ()))
                continue
            if decide is not None or (scoped and opt[0] is None):
                dynamic = True
                plan.append((decide, (line, text), opt, scoped if opt[0] is None else ()))
            else:
                verdict = "reserved" if opt[0] is not None else "allowed"
                plan.append((None, (verdict, line, text) + opt, opt, ()))
        self.opt_outs = tuple(views)
        if dynamic:
            self._plan = tuple(plan)
            self._const = None
            self._keep_const = False
        else:
            self._plan = None
            self._const = tuple(x for _, fields, _, _ in plan for x in fields)
            self._keep_const = all(fields[0] == "allowed" for _, fields, _, _ in plan)

    def row(self, url: str) -> tuple[bool, tuple[Any, ...]]:
        if self._plan is None:
            return self._keep_const, self._const  # type: ignore[return-value]
        keep = True
        out: list[Any] = []
        for decide, fields, opt, scoped in self._plan:
            if decide is None and not scoped:
                if fields[0] != "allowed":
                    keep = False
                out.extend(fields)
                continue
            if scoped:
                path = path_of(url)
                for match, cols in scoped:
                    if match(path):
                        opt = cols
                        break
            if decide is None:
                allowed, (line, text) = True, fields
            else:
                allowed, rule = decide(url)
                line, text = (rule.line, rule.text) if rule is not None else (None, None)
            if not allowed:
                keep = False
                verdict = "disallowed"
            elif opt[0] is not None:
                keep = False
                verdict = "reserved"
            else:
                verdict = "allowed"
            out.extend((verdict, line, text))
            out.extend(opt)
        return keep, tuple(out)


__all__ = ["BodyCache", "OriginDecision", "binding"]
