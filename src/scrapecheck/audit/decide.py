"""Per-origin decisions: one origin's signals (robots.txt and its RFC 9309 outcome, site-level opt-outs) and
the audit's agents and purpose, turned once into a small object that answers each URL of that origin.

This is the audit's only seam onto the decision rules: the robots matcher (:mod:`scrapecheck.robots`) for the
verdict and the deciding line of every URL, and the opt-out rules the Guard uses
(:mod:`scrapecheck.guard._origin`: which opt-outs refuse which purpose). Parsing and compiling a robots.txt
costs milliseconds, matching a URL microseconds, and many sites serve byte-identical files (CMS defaults), so
parsed bodies are shared through a bounded :class:`BodyCache` keyed by the text.

Per URL and agent the answer is one *fields* tuple ``(verdict, robots line, robots rule, opt-out kind, source,
value)``; the tuples are built once per (parsed body, opt-out, deciding rule), interned by value in the
:class:`BodyCache`, and shared by every URL they answer, whatever its origin: the hot path allocates nothing
but the matcher's own result, and a batch of rows holds a few hundred distinct tuples, not one per origin
and rule (the writers and the tallies work over the distinct ones).

Each answer comes in two forms: ``url -> fields`` and ``path -> fields``, where ``path`` is what follows the
URL's authority (``RuleSet.decide_path``): the audit cuts the authority anyway to find the origin, so the
matcher need not find it again.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Optional, Sequence, Union

from .._url import path_and_query
from ..guard._origin import (OptOutSignal, opt_out_reasons, path_scope, preference_path, recorded_opt_outs,
                             robots_octets)
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
    decide_path: Callable[[str], tuple[bool, Any]]
    robots_opt_outs: tuple[OptOutSignal, ...]
    has_rules: bool
    answers: dict[OptCols, tuple[Callable[[str], Fields], Callable[[str], Fields]]]
    """(url answer, path answer) per site-wide opt-out state, shared by the origins serving this body."""


_FIELDS_LIMIT = 65_536


class BodyCache:
    """Parsed robots.txt bodies and per-token matchers, shared by origins serving the same text; LRU-bounded.
    Also interns fields tuples by value (bounded), so equal answers are one object across origins."""

    def __init__(self, limit: int = 2048) -> None:
        self._limit = limit
        self._entries: OrderedDict[Union[str, bytes], tuple[RobotsPolicy, dict[str, _Compiled]]] = OrderedDict()
        self._fields: dict[Fields, Fields] = {}

    def intern(self, fields: Fields) -> Fields:
        """The one shared tuple equal to ``fields`` (identity only spares memory and distinct-value work)."""
        known = self._fields.get(fields)
        if known is None:
            if len(self._fields) >= _FIELDS_LIMIT:
                self._fields = {}
            known = self._fields[fields] = fields
        return known

    def by_rule(self, compiled: _Compiled, opt: OptCols) -> tuple[Callable[[str], Fields], Callable[[str], Fields]]:
        """The (url, path) answers for an origin serving ``compiled``'s body with site-wide opt-out ``opt``."""
        pair = compiled.answers.get(opt)
        if pair is None:
            pair = compiled.answers[opt] = _by_rule(compiled.decide, compiled.decide_path, opt, self.intern)
        return pair

    def compiled(self, body: Union[str, bytes], token: str) -> _Compiled:
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
            rules = matcher(policy, token)
            hit = _Compiled(rules.decide, rules.decide_path, found, has_rules, {})
            per_token[token] = hit
        return hit

    def __len__(self) -> int:
        return len(self._entries)


def _by_rule(decide: Callable[[str], tuple[bool, Any]], decide_path: Callable[[str], tuple[bool, Any]],
             opt: OptCols, intern: Callable[[Fields], Fields]) -> tuple[Callable[[str], Fields],
                                                                   Callable[[str], Fields]]:
    """(``url -> fields``, ``path -> fields``) for origins whose robots.txt has rules for the agent and one
    site-wide opt-out state: the fields are made once per deciding rule (keyed by its identity: rules live
    with their policy, and the policy with these closures)."""
    made: dict[int, Fields] = {}
    reserved = opt[0] is not None

    def make(allowed: bool, rule: Any) -> Fields:
        verdict = ("reserved" if reserved else ALLOWED) if allowed else "disallowed"
        line, text = (rule.line, rule.text) if rule is not None else (None, None)
        fields = made[id(rule)] = intern((verdict, line, text) + opt)
        return fields

    def answer(url: str) -> Fields:
        allowed, rule = decide(url)
        return made.get(id(rule)) or make(allowed, rule)

    def answer_path(path: str) -> Fields:
        allowed, rule = decide_path(path)
        return made.get(id(rule)) or make(allowed, rule)

    return answer, answer_path


def _scoped(decide: Optional[Callable[[str], tuple[bool, Any]]], fixed: tuple[Any, Any],
            scoped: tuple[tuple[Callable[[str], bool], OptCols], ...],
            intern: Callable[[Fields], Fields]) -> tuple[Callable[[str], Fields], Callable[[str], Fields]]:
    """(``url -> fields``, ``path -> fields``) when opt-outs are limited to some paths (TDMRep locations, page
    URLs, aipref paths)."""

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
        return intern((verdict, line, text) + opt)

    return answer, lambda path: answer("http://h" + path)


class OriginDecision:
    """What an origin's signals say for each agent: ``answers[i]`` answers agent ``i`` for any URL of it.

    An answer is a fields tuple when every URL gets the same (no rules for the agent, an unreachable or
    missing robots.txt, a site-wide opt-out and no rules), else a callable ``url -> fields``;
    ``path_answers[i]`` is the same answer taking what follows the URL's authority (a tuple where
    ``answers[i]`` is one), for URLs whose authority holds no '?', ';' or '#'. Which opt-outs
    refuse which purpose, and where a TDMRep or preference rule is limited to some paths, is the Guard's
    rules' call; low-confidence notices and licences never refuse.
    """

    __slots__ = ("origin", "outcome", "status", "sha256", "fetched_at", "optouts_collected", "problems",
                 "error", "opt_outs", "answers", "path_answers", "first", "first_path", "const_keep", "tally_base")
    tally_base: int
    """Set by the :class:`~.pipeline.Tally` that counts this origin's rows: where its counts start."""

    def __init__(self, origin: str, signals: Optional["TargetSignals"], agents: Sequence[Agent], purpose: str,
                 bodies: BodyCache) -> None:
        self.origin = origin
        robots = signals.robots if signals is not None else None
        self.problems = tuple(signals.problems) if signals is not None else ()
        self.optouts_collected = signals is not None and signals.opt_outs is not None
        self.opt_outs: tuple[OptCols, ...]
        answers: list[Answer] = []
        path_answers: list[Answer] = []
        intern = bodies.intern
        if robots is None:
            self.outcome, self.status, self.sha256, self.fetched_at = "missing", None, None, None
            self.error: Optional[str] = "no robots.txt recorded for this origin"
            self.opt_outs = tuple(_NO_OPTOUT for _ in agents)
            answers = [intern(("unknown", None, None) + _NO_OPTOUT) for _ in agents]
            path_answers = list(answers)
        else:
            self.outcome, self.status = robots.outcome, robots.status
            self.sha256, self.fetched_at = robots.sha256, robots.fetched_at
            self.error = None
            robots_url = robots.url
            recorded = recorded_opt_outs(signals, robots_url) if signals is not None else []
            views = []
            for agent in agents:
                compiled = None
                decide = None
                line = text = None
                if robots.outcome == "ok":
                    compiled = bodies.compiled(robots_octets(robots) or "", agent.token)  # the exact octets
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
                pair: tuple[Answer, Answer]
                if robots.outcome == "unreachable":
                    fields = intern(("disallowed", None, None) + opt)
                    pair = (fields, fields)
                elif scoped and opt[0] is None:
                    pair = _scoped(decide, (line, text), scoped, intern)
                elif decide is not None and compiled is not None:
                    pair = bodies.by_rule(compiled, opt)
                else:
                    fields = intern(("reserved" if opt[0] is not None else ALLOWED, line, text) + opt)
                    pair = (fields, fields)
                answers.append(pair[0])
                path_answers.append(pair[1])
            self.opt_outs = tuple(views)
        self.answers = tuple(answers)
        self.path_answers = tuple(path_answers)
        self.first = self.answers[0]
        self.first_path = self.path_answers[0]
        self.const_keep = all(a.__class__ is tuple and a[0] == ALLOWED for a in self.answers)

    def fields(self, url: str) -> tuple[Fields, ...]:
        """Every agent's fields for ``url`` (a URL of this origin)."""
        return tuple(a if a.__class__ is tuple else a(url) for a in self.answers)  # type: ignore[operator]


class Invalid:
    """Stands for the origin of a row whose URL has none: the same attributes as an :class:`OriginDecision`."""

    __slots__ = ("error", "answers", "first", "path_answers", "first_path", "tally_base")
    origin = None
    outcome = "invalid-url"
    status = None

    def __init__(self, reason: Optional[str], width: int) -> None:
        self.error = reason
        self.answers = self.path_answers = (("invalid", None, None) + _NO_OPTOUT,) * width
        self.first = self.first_path = self.answers[0]
        self.tally_base = -4 * width  # the tally counts invalid rows apart from every origin


__all__ = ["ALLOWED", "BodyCache", "Fields", "Invalid", "OriginDecision", "binding", "matcher"]
