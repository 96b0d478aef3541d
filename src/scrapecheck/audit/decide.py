"""Per-origin decisions: one origin's signals (robots.txt and its RFC 9309 outcome, site-level opt-outs) and
the audit's agents and purpose, turned once into a small object that answers each URL of that origin.

This is the audit's only seam onto the decision rules: the robots matcher (:mod:`scrapecheck.robots`) and
the opt-out readers (:mod:`scrapecheck.signals.optouts`). Parsing and compiling a robots.txt costs
milliseconds, matching a URL microseconds, and many sites serve byte-identical files (CMS defaults), so
compiled bodies are shared through a bounded :class:`BodyCache` keyed by the text.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING, Any, Callable, NamedTuple, Optional, Sequence

from ..robots import RobotsPolicy
from .columns import Agent

if TYPE_CHECKING:
    from ..signals.model import OptOut, TargetSignals

# Which opt-outs bind which purpose: (kinds, scopes). An opt-out applies when its kind is listed and it
# reserves one of the scopes. Mirrors the AIO rules of policies/ai-opt-out.toml.
_AI_TRAINING_KINDS = frozenset({"robots-ai-intent", "tdmrep", "x-robots-tag", "meta-robots", "content-usage",
                                "content-signal", "legal-notice", "rsl-license"})
_AI_INFERENCE_KINDS = frozenset({"robots-ai-intent", "tdmrep", "x-robots-tag", "meta-robots", "content-usage",
                                 "content-signal", "rsl-license"})
PURPOSE_OPTOUTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "ai-training": (_AI_TRAINING_KINDS, frozenset({"ai-training", "tdm"})),
    "ai-inference": (_AI_INFERENCE_KINDS, frozenset({"ai-inference"})),
    "search-indexing": (frozenset({"content-usage", "content-signal"}), frozenset({"search"})),
}
"""Purposes not listed here are bound by robots.txt only (the audit reports no opt-out for them)."""


class OptOutView(NamedTuple):
    """The opt-out columns of a row: kind, source (URL, ``#L<line>`` for a robots.txt line), value."""

    kind: str
    source: str
    value: str


_NO_OPTOUT = (None, None, None)


def applicable(opt_outs: Sequence["OptOut"], purpose: str) -> Optional["OptOut"]:
    """The opt-out that binds ``purpose``: the first of high confidence, else the first of low, else None."""
    binding = PURPOSE_OPTOUTS.get(purpose)
    if binding is None:
        return None
    kinds, scopes = binding
    low = None
    for opt_out in opt_outs:
        if opt_out.kind in kinds and not scopes.isdisjoint(opt_out.scopes):
            if opt_out.confidence == "high":
                return opt_out
            low = low or opt_out
    return low


class _Compiled(NamedTuple):
    decide: Callable[[str], tuple[bool, Any]]
    robots_opt_outs: tuple["OptOut", ...]
    has_rules: bool


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
            hit = _Compiled(_decider(policy, token), tuple(from_robots(policy, token, "")), has_rules)
            per_token[token] = hit
        return hit

    def __len__(self) -> int:
        return len(self._entries)


def _decider(policy: RobotsPolicy, token: str) -> Callable[[str], tuple[bool, Any]]:
    """``url -> (allowed, deciding rule or None)`` for one agent, compiled once."""
    try:  # the matcher's compiled rule set, skipping explain()'s group lookup on every URL
        return policy._resolve(policy._group_indexes(token))[1].decide  # type: ignore[no-any-return]  # noqa: SLF001
    except AttributeError:  # pragma: no cover - the matcher changed its internals: stay correct, a bit slower
        def decide(url: str) -> tuple[bool, Any]:
            verdict = policy.explain(token, url)
            return verdict.allowed, verdict.rule

        return decide


def _view(opt_out: Optional["OptOut"], robots_url: str) -> tuple[Optional[str], Optional[str], Optional[str]]:
    if opt_out is None:
        return _NO_OPTOUT
    where = opt_out.where or robots_url
    source = f"{where}#L{opt_out.line}" if opt_out.line is not None else where
    return opt_out.kind, source, opt_out.value


class OriginDecision:
    """What an origin's signals say for each agent; :meth:`row` answers one URL of the origin.

    ``row(url)`` returns ``(keep, fields)``: fields are, per agent, verdict, robots line, robots rule text and
    the opt-out's kind, source and value (see :mod:`scrapecheck.audit.columns`).
    """

    __slots__ = ("origin", "outcome", "status", "sha256", "fetched_at", "optouts_collected", "problems",
                 "error", "opt_outs", "_plan", "_const", "_keep_const")

    def __init__(self, origin: str, signals: Optional["TargetSignals"], agents: Sequence[Agent], purpose: str,
                 bodies: BodyCache) -> None:
        self.origin = origin
        robots = signals.robots if signals is not None else None
        self.problems = tuple(signals.problems) if signals is not None else ()
        self.optouts_collected = signals is not None and signals.opt_outs is not None
        self.opt_outs: tuple[tuple[Optional[str], Optional[str], Optional[str]], ...]
        if robots is None:
            self.outcome, self.status, self.sha256, self.fetched_at = "missing", None, None, None
            self.error: Optional[str] = "no robots.txt recorded for this origin"
            self.opt_outs = tuple(_NO_OPTOUT for _ in agents)
            const = tuple(("unknown", None, None) + _NO_OPTOUT for _ in agents)
            self._plan: Optional[tuple[Any, ...]] = None
            self._const: Optional[tuple[Any, ...]] = tuple(x for part in const for x in part)
            self._keep_const = False
            return
        self.outcome, self.status = robots.outcome, robots.status
        self.sha256, self.fetched_at = robots.sha256, robots.fetched_at
        self.error = None
        site = tuple(signals.opt_outs or ()) if signals is not None else ()
        plan: list[tuple[Any, ...]] = []
        views = []
        dynamic = False
        for agent in agents:
            if robots.outcome == "unreachable":
                opt = _view(applicable(site, purpose), robots.url)
                plan.append((None, ("disallowed", None, None) + opt, opt))
            elif robots.outcome != "ok":
                opt = _view(applicable(site, purpose), robots.url)
                verdict = "reserved" if opt[0] is not None else "allowed"
                plan.append((None, (verdict, None, None) + opt, opt))
            else:
                compiled = bodies.compiled(robots.body or "", agent.token)
                opt = _view(applicable(compiled.robots_opt_outs + site, purpose), robots.url)
                if compiled.has_rules:
                    dynamic = True
                    plan.append((compiled.decide, None, opt))
                else:
                    # No rule applies to this agent: every URL is allowed; an empty Allow/Disallow may still
                    # be what Google's matching_line() reports, so ask once.
                    _, rule = compiled.decide("/")
                    verdict = "reserved" if opt[0] is not None else "allowed"
                    line = rule.line if rule is not None else None
                    text = rule.text if rule is not None else None
                    plan.append((None, (verdict, line, text) + opt, opt))
            views.append(opt)
        self.opt_outs = tuple(views)
        if dynamic:
            self._plan = tuple(plan)
            self._const = None
            self._keep_const = False
        else:
            self._plan = None
            self._const = tuple(x for _, fields, _ in plan for x in fields)
            self._keep_const = all(fields[0] == "allowed" for _, fields, _ in plan)

    def row(self, url: str) -> tuple[bool, tuple[Any, ...]]:
        if self._plan is None:
            return self._keep_const, self._const  # type: ignore[return-value]
        keep = True
        out: list[Any] = []
        for decide, fields, opt in self._plan:
            if decide is None:
                if fields[0] != "allowed":
                    keep = False
                out.extend(fields)
                continue
            allowed, rule = decide(url)
            if not allowed:
                keep = False
                verdict = "disallowed"
            elif opt[0] is not None:
                keep = False
                verdict = "reserved"
            else:
                verdict = "allowed"
            if rule is None:
                out.extend((verdict, None, None))
            else:
                out.extend((verdict, rule.line, rule.text))
            out.extend(opt)
        return keep, tuple(out)


__all__ = ["BodyCache", "OptOutView", "OriginDecision", "PURPOSE_OPTOUTS", "applicable"]
