"""Per-origin decisions: one origin's signals (robots.txt and its RFC 9309 outcome, site-level opt-outs) and
the audit's agents and purpose, turned once into a small object that answers each URL of that origin.

This is the audit's only seam onto the decision rules: the robots matcher (:mod:`scrapecheck.robots`) for the
verdict and the deciding line of every URL, and the opt-out rules the Guard uses
(:mod:`scrapecheck.guard._origin`: which opt-outs refuse which purpose). Parsing and compiling a robots.txt
costs milliseconds, matching a URL microseconds, and many sites serve byte-identical files (CMS defaults), so
parsed bodies are shared through a bounded :class:`BodyCache` keyed by the text.

Per URL and agent the answer is one *fields* tuple ``(verdict, robots line, robots rule, opt-out kind, source,
value)``; the tuples are built once per (origin, deciding rule) and shared by every URL they answer, so the
hot path allocates nothing but the matcher's own result.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Optional, Sequence, Union

from .._url import path_and_query
from ..guard._origin import OptOutSignal, opt_out_reasons, path_scope, preference_path, recorded_opt_outs
from ..robots import RobotsPolicy
from .columns import Agent

if TYPE_CHECKING:
    from ..signals.model import TargetSignals

_NO_OPTOUT: tuple[Optional[str], Optional[str], Optional[str]] = (None, None, None)
OptCols = tuple[Optional[str], Optional[str], Optional[str]]
Fields = tuple[Any, ...]
"""One agent's answer for one URL: verdict, robots line, robots rule, opt-out kind, source, value."""
Answer = Union[Fields, Callable[[str], Fields]]
"""Per agent and origin: the fields of every URL (a tuple), or a callable ``url -> fields``."""

ALLOWED = "allowed"


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


def matcher(policy: RobotsPolicy, token: str) -> Any:
    """The policy's per-agent matcher (``RobotsPolicy.matcher``): ``decide(url) -> (allowed, deciding rule or
    None)`` is the hot path, and compiles its rule set on its own once that pays."""
    return policy.matcher(token)


class _Compiled(NamedTuple):
    decide: Callable[[str], tuple[bool, Any]]
    robots_opt_outs: tuple[OptOutSignal, ...]
    has_rules: bool


class BodyCache:
    """Parsed robots.txt bodies and per-token matchers, shared by origins serving the same text; LRU-bounded."""

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
            found = tuple(OptOutSignal.of(o, preference_path(o)) for o in from_robots(policy, token, ""))
            hit = _Compiled(matcher(policy, token).decide, found, has_rules)
            per_token[token] = hit
        return hit

    def __len__(self) -> int:
        return len(self._entries)


def _by_rule(decide: Callable[[str], tuple[bool, Any]], opt: OptCols) -> Callable[[str], Fields]:
    """``url -> fields`` for an origin whose robots.txt has rules for the agent and one site-wide opt-out
    state: the fields are made once per deciding rule (keyed by its identity: rules live with their policy)."""
    made: dict[int, Fields] = {}
    reserved = opt[0] is not None

    def answer(url: str) -> Fields:
        allowed, rule = decide(url)
        fields = made.get(id(rule))
        if fields is None:
            verdict = ("reserved" if reserved else ALLOWED) if allowed else "disallowed"
            line, text = (rule.line, rule.text) if rule is not None else (None, None)
            fields = made[id(rule)] = (verdict, line, text) + opt
        return fields

    return answer


def _scoped(decide: Optional[Callable[[str], tuple[bool, Any]]], fixed: tuple[Any, Any],
            scoped: tuple[tuple[Callable[[str], bool], OptCols], ...]) -> Callable[[str], Fields]:
    """``url -> fields`` when opt-outs are limited to some paths (TDMRep locations, page URLs, aipref paths)."""

    def answer(url: str) -> Fields:
        path = path_and_query(url)
        opt = _NO_OPTOUT
        for match, cols in scoped:
            if match(path):
                opt = cols
                break
        if decide is None:
            allowed, (line, text) = True, fixed
        else:
            allowed, rule = decide(url)
            line, text = (rule.line, rule.text) if rule is not None else (None, None)
        verdict = ("reserved" if opt[0] is not None else ALLOWED) if allowed else "disallowed"
        return (verdict, line, text) + opt

    return answer


class OriginDecision:
    """What an origin's signals say for each agent: ``answers[i]`` answers agent ``i`` for any URL of it.

    An answer is a fields tuple when every URL gets the same (no rules for the agent, an unreachable or
    missing robots.txt, a site-wide opt-out and no rules), else a callable ``url -> fields``. Which opt-outs
    refuse which purpose, and where a TDMRep or preference rule is limited to some paths, is the Guard's
    rules' call; low-confidence notices and licences never refuse.
    """

    __slots__ = ("origin", "outcome", "status", "sha256", "fetched_at", "optouts_collected", "problems",
                 "error", "opt_outs", "answers", "first", "const_keep")

    def __init__(self, origin: str, signals: Optional["TargetSignals"], agents: Sequence[Agent], purpose: str,
                 bodies: BodyCache) -> None:
        self.origin = origin
        robots = signals.robots if signals is not None else None
        self.problems = tuple(signals.problems) if signals is not None else ()
        self.optouts_collected = signals is not None and signals.opt_outs is not None
        self.opt_outs: tuple[OptCols, ...]
        answers: list[Answer] = []
        if robots is None:
            self.outcome, self.status, self.sha256, self.fetched_at = "missing", None, None, None
            self.error: Optional[str] = "no robots.txt recorded for this origin"
            self.opt_outs = tuple(_NO_OPTOUT for _ in agents)
            answers = [("unknown", None, None) + _NO_OPTOUT for _ in agents]
        else:
            self.outcome, self.status = robots.outcome, robots.status
            self.sha256, self.fetched_at = robots.sha256, robots.fetched_at
            self.error = None
            robots_url = robots.url
            recorded = recorded_opt_outs(signals, robots_url) if signals is not None else []
            views = []
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
                scoped = tuple((path_scope(s), cols) for s in signals_for_agent if s.path is not None
                               for cols in [binding([s], purpose, robots_url)] if cols[0] is not None)
                views.append(opt)
                if robots.outcome == "unreachable":
                    answers.append(("disallowed", None, None) + opt)
                elif scoped and opt[0] is None:
                    answers.append(_scoped(decide, (line, text), scoped))
                elif decide is not None:
                    answers.append(_by_rule(decide, opt))
                else:
                    answers.append(("reserved" if opt[0] is not None else ALLOWED, line, text) + opt)
            self.opt_outs = tuple(views)
        self.answers = tuple(answers)
        self.first = self.answers[0]
        self.const_keep = all(a.__class__ is tuple and a[0] == ALLOWED for a in self.answers)

    def fields(self, url: str) -> tuple[Fields, ...]:
        """Every agent's fields for ``url`` (a URL of this origin)."""
        return tuple(a if a.__class__ is tuple else a(url) for a in self.answers)  # type: ignore[operator]


class Invalid:
    """Stands for the origin of a row whose URL has none: the same attributes as an :class:`OriginDecision`."""

    __slots__ = ("error", "answers", "first")
    origin = None
    outcome = "invalid-url"
    status = None

    def __init__(self, reason: Optional[str], width: int) -> None:
        self.error = reason
        self.answers = tuple(("invalid", None, None) + _NO_OPTOUT for _ in range(width))
        self.first = self.answers[0]


__all__ = ["ALLOWED", "BodyCache", "Fields", "Invalid", "OriginDecision", "binding", "matcher"]
