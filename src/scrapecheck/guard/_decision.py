"""The Guard's answers as small frozen values (dataclasses with slots, no pydantic: the hot path builds none).

A :class:`Decision` does not name the URL it answers: decisions are shared between URLs of one origin that
are decided the same way (same deciding line, same opt-outs), which is what keeps ``Guard.check`` cheap.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any, Callable, Literal, Optional

RobotsOutcomeName = Literal["success", "unavailable", "unreachable"]

#: How each recorded/fetched outcome of the signals layer reads in RFC 9309 §2.3.1 terms.
RFC_9309_OUTCOME: dict[str, RobotsOutcomeName] = {
    "ok": "success",            # 2xx: parse and obey
    "html": "success",          # 2xx, but an HTML page: parsed as no rules
    "not-found": "unavailable",  # 4xx (and too many redirects): no restrictions
    "refused": "unavailable",   # 401/403: no restrictions by the RFC (reported as a note)
    "unreachable": "unreachable",  # 5xx, 429, network failure: complete disallow
}


@dataclass(frozen=True, slots=True)
class RobotsFetch:
    """How the origin's robots.txt was obtained, in RFC 9309 §2.3.1 terms.

    ``outcome`` is ``success`` (2xx, rules obeyed), ``unavailable`` (4xx: everything allowed) or
    ``unreachable`` (5xx, 429, network failure, or not recorded: everything disallowed). ``detail`` keeps the
    finer signals-layer name (``ok``, ``html``, ``not-found``, ``refused``, ``unreachable``, ``not-recorded``).
    ``source`` is ``fetched`` or ``recorded`` (from a signals file; no network).
    """

    outcome: RobotsOutcomeName
    status: Optional[int]
    detail: str
    url: str
    source: Literal["fetched", "recorded"] = "fetched"
    error: Optional[str] = None


@dataclass(frozen=True, slots=True)
class Reason:
    """One fact behind a decision.

    ``rule_id`` is the scrapecheck rule it corresponds to (``ROB-001`` robots.txt disallows, ``ROB-051``
    unreachable, ``ROB-000`` not available, ``AIO-0xx`` AI opt-outs, ...; ``scrapecheck explain ID`` tells more).
    ``blocking`` reasons refused the URL; the others are notes (a low-confidence notice, a licence, a 401/403).
    For a robots rule, ``line`` and ``text`` are the deciding line's number and text; for an opt-out,
    ``signal`` is its kind (``tdmrep``, ``x-robots-tag``, ``content-signal``...), ``text`` the directive as
    found and ``source`` where (URL or header).
    """

    rule_id: str
    message: str
    blocking: bool = True
    line: Optional[int] = None
    text: Optional[str] = None
    signal: Optional[str] = None
    source: Optional[str] = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True, slots=True)
class Decision:
    """May this crawler fetch this URL now, and why.

    ``allowed`` is the answer; ``reasons`` the blocking facts first, then notes; ``delay_seconds`` the
    interval the site asks between requests (Crawl-delay or Request-rate; 0 when it says nothing);
    ``robots`` how robots.txt was obtained; ``token`` the product token matched against robots.txt;
    ``purpose`` the purpose the opt-outs were read for.
    """

    allowed: bool
    reasons: tuple[Reason, ...]
    delay_seconds: float
    robots: RobotsFetch
    token: str
    purpose: str

    @property
    def blocking(self) -> tuple[Reason, ...]:
        """The reasons that refused the URL (empty when allowed)."""
        return tuple(r for r in self.reasons if r.blocking)

    @property
    def rule_ids(self) -> tuple[str, ...]:
        return tuple(r.rule_id for r in self.reasons)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready form (the decision log writes this, plus the URL)."""
        return {
            "allowed": self.allowed,
            "reasons": [r.to_dict() for r in self.reasons],
            "delay_seconds": self.delay_seconds,
            "robots": {k: v for k, v in asdict(self.robots).items() if v is not None},
            "token": self.token,
            "purpose": self.purpose,
        }


class Site:
    """What every decision of one origin shares, for one agent and purpose: the pacing, the robots.txt outcome,
    the token, the purpose, and ``resolve``, which works out a deferred decision in full (``resolve(None)``: the
    decision for URLs robots.txt allows; ``resolve(url)``: the one for a URL it refuses, given as the absolute URL or
    as what follows its authority when that holds no '?', ';', '#', starting with "/")."""

    __slots__ = ("delay_seconds", "robots", "token", "purpose", "resolve")

    def __init__(self, delay_seconds: float, robots: RobotsFetch, token: str, purpose: str,
                 resolve: Callable[[Optional[str]], Decision]) -> None:
        self.delay_seconds = delay_seconds
        self.robots = robots
        self.token = token
        self.purpose = purpose
        self.resolve = resolve


def _resolved(self: "_Deferred") -> Decision:
    try:
        return self._full
    except AttributeError:
        site, at = self._key
        full = site.resolve(at)
        object.__setattr__(self, "_full", full)  # a race resolves twice to equal values: harmless
        return full


class _Deferred(Decision):
    """A :class:`Decision` whose ``allowed`` is known and whose reasons are worked out on first access.

    Finding the deciding robots.txt line of a refused URL costs a second match, and reading the notices in a
    robots.txt's comments costs a regex scan; a crawler that only looks at ``allowed`` pays for neither. It
    reads, compares, hashes, prints, pickles and converts like the full decision (``dataclasses.replace``
    gives a plain one); ``delay_seconds``, ``robots``, ``token`` and ``purpose`` need no resolving.

    Made by :func:`deferred` (and inlined by the Guard's hot path): ``cls()`` then one slot set, all in C. So
    ``__new__`` and ``__init__`` are object's, and construction by value goes to :class:`Decision` through
    ``__class__`` (``dataclasses.replace`` calls ``obj.__class__(**fields)``; ``type(d)`` is still this class).
    """

    __slots__ = ("_key", "_full")
    #: (the :class:`Site`, what its ``resolve`` takes: None, the URL, or (the Guard's hot path) the path matched).
    _key: tuple[Site, Optional[str]]
    _full: Decision

    __new__ = object.__new__  # type: ignore[assignment]
    __init__ = object.__init__  # type: ignore[assignment]
    __class__ = property(lambda self: Decision)  # type: ignore[assignment]

    reasons = property(lambda self: _resolved(self).reasons)  # type: ignore[assignment]
    delay_seconds = property(lambda self: self._key[0].delay_seconds)  # type: ignore[assignment]
    robots = property(lambda self: self._key[0].robots)  # type: ignore[assignment]
    token = property(lambda self: self._key[0].token)  # type: ignore[assignment]
    purpose = property(lambda self: self._key[0].purpose)  # type: ignore[assignment]

    def __eq__(self, other: object) -> bool:
        return _resolved(self) == other

    def __hash__(self) -> int:
        return hash(_resolved(self))

    def __repr__(self) -> str:
        return repr(_resolved(self))

    def __reduce__(self) -> tuple[Any, ...]:
        full = _resolved(self)
        return Decision, (full.allowed, full.reasons, full.delay_seconds, full.robots, full.token, full.purpose)


class DeferredAllowed(_Deferred):
    __slots__ = ()
    allowed = True  # type: ignore[assignment]


class DeferredRefusal(_Deferred):
    __slots__ = ()
    allowed = False  # type: ignore[assignment]


class Routed(_Deferred):
    """The decision an origin's allowed URLs get from the Guard's hot path, which is also the route to it: the one
    object per origin the hot path touches. ``_check`` is the robots matcher's ``check_path`` (true: this decision;
    false: a refusal deferred with this object in place of the site, see :meth:`resolve`), ``_expires`` when the
    origin's state goes stale. ``allowed`` is a slot, set once (usually true; false when a site-wide opt-out or an
    unreachable robots.txt refuses every URL)."""

    __slots__ = ("_check", "_expires")
    _check: Callable[[str], bool]
    _expires: float

    def resolve(self, at: Optional[str]) -> Decision:
        """As :attr:`Site.resolve` (a refusal deferred by the hot path keeps this object as its site)."""
        return self._key[0].resolve(at)


#: The slot of a deferred decision's ``_key``, read and set around the properties of subclasses that build it.
_KEY_SLOT = _Deferred.__dict__["_key"]


class SegmentRefusal(DeferredRefusal):
    """A refusal the Guard's hot path hands to the URLs under one path segment of an origin that robots.txt refuses
    by one rule (see ``RuleSet.prefix_gate``); ``_key`` is (the route, the segment), built when read from the route
    (in the slot of ``_key``) and ``_segment`` (the Guard's table keeps several a site: no tuple each);
    ``_expires`` is the route's."""

    __slots__ = ("_expires", "_segment")
    _expires: float
    _segment: str
    _key = property(lambda self: (_KEY_SLOT.__get__(self), self._segment))  # type: ignore[assignment]


class Through:
    """What the Guard's segment table holds for a path segment whose URLs robots.txt may answer differently: the
    origin's route, ``check`` (its matcher's ``check_path``, or the same for the paths under the segment only: see
    ``RuleSet.check_under``), when it goes stale, and when ``literals`` is not None, the ``answer`` of every URL
    whose path holds none of them, starts with none of ``below`` and holds only ASCII characters but "%" (see
    ``RuleSet.prefix_gate``). ``deeper``: the table may hold the segment's URLs by their first two segments (a
    segment with many heads below it). ``below`` is None when there is none (the hot path then skips that test);
    ``subs`` holds, per head below, deepest first, (head, literals, answer): a path that starts with that head (and
    with none deeper) and holds none of its literals gets that answer (its literals None: the matcher decides)."""

    __slots__ = ("route", "_expires", "literals", "answer", "below", "check", "deeper", "subs")
    route: Routed
    _expires: float
    literals: Optional[tuple[str, ...]]
    answer: Any
    below: Optional[tuple[str, ...]]
    check: Callable[[str], bool]
    deeper: bool
    subs: tuple[tuple[str, Optional[tuple[str, ...]], Any], ...]

    def __init__(self, route: Routed, literals: Optional[tuple[str, ...]] = None, answer: Optional[Decision] = None,
                 below: tuple[str, ...] = (), check: Optional[Callable[[str], bool]] = None,
                 deeper: bool = False, subs: tuple[tuple[str, Optional[tuple[str, ...]], Any], ...] = ()) -> None:
        self.route = route
        self._expires = route._expires
        self.literals = literals
        self.answer = answer
        self.below = below or None
        self.check = route._check if check is None else check
        self.deeper = deeper
        self.subs = subs


#: The slot setter of deferred decisions (bypassing the frozen ``__setattr__``; one C call).
SET_KEY: Callable[[Any, Any], None] = _Deferred.__dict__["_key"].__set__


def routed(decision: Decision, site: Site, check: Callable[[str], bool], expires: float) -> Routed:
    """A :class:`Routed` deciding as ``decision`` does (what ``site.resolve(None)`` gives, fully or deferred)."""
    route = Routed()
    Decision.__dict__["allowed"].__set__(route, decision.allowed)
    key = getattr(decision, "_key", None)  # a deferred decision's (site, None) serves the route too: one tuple
    SET_KEY(route, key if type(key) is tuple and key[0] is site and key[1] is None else (site, None))
    Routed.__dict__["_check"].__set__(route, check)
    Routed.__dict__["_expires"].__set__(route, expires)
    if type(decision) is Decision:
        _Deferred.__dict__["_full"].__set__(route, decision)
    return route


def segment_refusal(route: Routed, segment: str) -> SegmentRefusal:
    """The refusal shared by the URLs under ``segment`` (a path prefix, starting with "/") of ``route``'s origin."""
    decision = SegmentRefusal()
    SET_KEY(decision, route)
    SegmentRefusal.__dict__["_segment"].__set__(decision, segment)
    SegmentRefusal.__dict__["_expires"].__set__(decision, route._expires)
    return decision


def deferred(allowed: bool, site: Site, url: Optional[str]) -> Decision:
    """A decision resolved on first look at its reasons (see :class:`_Deferred`); the Guard's hot path inlines
    this."""
    decision = (DeferredAllowed if allowed else DeferredRefusal)()
    SET_KEY(decision, (site, url))
    return decision


__all__ = ["RFC_9309_OUTCOME", "Decision", "Reason", "RobotsFetch", "RobotsOutcomeName", "Routed", "SegmentRefusal",
           "Site", "Through", "deferred", "routed", "segment_refusal"]
