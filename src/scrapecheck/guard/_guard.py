"""The runtime Guard: one call per request inside the crawl loop, answered from per-origin state kept in memory.

Per origin, robots.txt (and what else the site says at origin level) is obtained once on first use, compiled
into an :class:`~scrapecheck.guard._origin.OriginRules`, and kept in a bounded cache (least recently used
out, second-chance approximation) for at most ``cache_ttl`` seconds (RFC 9309 §2.4: at most 24 hours). An
unreachable robots.txt refuses everything (fail closed) and is retried after ``fetch_config.failure_cache_ttl``.
Concurrent first requests for one origin, from threads or tasks, share one fetch.

The hot path (a cached origin) is a dict lookup on the URL's scheme-and-authority prefix and one match: an
allowed URL gets a shared frozen :class:`Decision`, a refused one a small deferred decision whose deciding
line is found only when its reasons are read. No URL parsing, no lock, no clock in recorded mode.
"""

from __future__ import annotations

import functools
import io
import math
import os
import threading
import time
from typing import IO, TYPE_CHECKING, Any, Callable, Iterable, Mapping, Optional, Union

from ..errors import GuardClosedError, InputError
from ..robots import product_token
from ._decision import (
    SET_KEY,
    Decision,
    DeferredRefusal,
    Reason,
    RobotsFetch,
    Routed,
    Through,
    deferred,
    routed,
    segment_refusal,
)
from ._origin import PURPOSES, BodyCache, OptOutSignal, OriginRules, Plan, opt_out_reasons

if TYPE_CHECKING:  # asyncio, concurrent.futures, json and datetime load on first use, not on import
    from concurrent.futures import Future

RFC_9309_CACHE_LIMIT = 24 * 3600.0
#: Parsed bodies kept for origins serving the same robots.txt: the popular ones (CMS defaults) stay, and the
#: memory this costs is bounded whatever the number of origins (a cached origin keeps its matcher, not its parse).
_SHARED_BODIES = 256
_BAD_IN_AUTHORITY = ("?", "#", "@", ";", "\\", " ")
_ROUTE_CHECK = Routed.__dict__["_check"].__set__
#: Path segments remembered per cached origin in the segment table (see ``Guard._learn``): a bound on its memory
#: (a key and at most one small object each), whatever the URLs.
_MAX_SEGMENTS = 128
#: A segment with more heads below it than this, and no single answer, is looked up by one segment more, down to
#: paths of _DEEPER_LEVELS segments.
_DEEPER_HEADS = 8
_DEEPER_LEVELS = 4
#: Of those, how many may be leaves (a path's last segment by its name, "/name"): the rest stay for segments.
_MAX_LEAVES = 48
#: An origin whose rules have many literal heads has as many segments with answers of their own (etsy: 638 heads,
#: ~470 segments and leaves met in the warm benchmark): its table may hold one more key per head, at most this many
#: more (the memory this costs is a fraction of what its matcher already holds for those heads), and of those, one
#: in _EXTRA_PER_LEAF a leaf.
_MAX_EXTRA_SEGMENTS = 384
_EXTRA_PER_LEAF = 3
#: URLs kept per origin while its matcher scans (no index yet, so no gate to learn a segment from; see ``Guard._learn``),
#: and checked again through the table once the index is built, _REPLAY at a time (a check each: their segments, and
#: what those build on first use, are then in place before these URLs come again; bench_guard: its large files scan
#: for 150 to 775 of a site's 1,000 URLs a pass, so their segments were learnt in the next pass). Only URLs of at
#: most _MAX_WAITING_URL characters, and at most _MAX_WAITING_CHARS characters of them over all the Guard's origins: a
#: bound on what this keeps alive whatever the URLs (bench_guard's warm workload peaks at 16,447 URLs, 0.87 M characters).
_MAX_WAITING = 1024
_MAX_WAITING_URL = 1024
_MAX_WAITING_CHARS = 2_000_000
_REPLAY = 32
#: An origin with more than this many keys in the table is crawled in earnest (a cold start's 10 URLs a site meet
#: fewer): there, the URL that adds a key is answered through its new entry, as its next URL under that key will be,
#: so what the entry builds on first use (a literal check's state) is built now, not when this URL, or another one
#: holding the same literal, comes again. Below it the matcher answers that URL, and an entry builds only for a second
#: one (bench_guard's cold start, 2,000 origins at 10 URLs each: 455 ``_literal_tests`` builds, against 870 when every
#: new key's first URL is answered through its entry).
_SETTLE_AFTER = 24


class _Entry:
    """One cached origin: its rules, this Guard's plan for them (matcher, shared decisions), cache bookkeeping."""

    __slots__ = ("origin", "rules", "decide", "matcher", "check", "check_path", "ok", "site", "expires", "used",
                 "aliases", "route", "segments", "leaves", "through", "literals")

    def __init__(self, origin: str, rules: OriginRules, plan: Plan, expires: float) -> None:
        self.origin = origin
        self.rules = rules
        self.decide = plan.decide
        self.matcher = matcher = plan.matcher
        #: The robots matcher's ``check`` and ``check_path``, bound once (they follow the matcher's own switch of
        #: tiers); None when ``decide`` must see every URL.
        self.check: Optional[Callable[[str], bool]] = None if matcher is None else matcher.check
        self.check_path: Optional[Callable[[str], bool]] = None if matcher is None else matcher.check_path
        self.site = plan.site
        self.expires = expires
        #: Used since the eviction last passed over it (second chance). The hot path never writes it: it only
        #: finds origins whose route is installed, and a route is installed only with ``used`` set (see _use).
        self.used = False
        self.aliases: tuple[str, ...] = ()  # (a tuple: most origins have one, which a list holds in more bytes)
        #: What the hot path finds for a cached origin, in one object (see :class:`Routed`): the matcher's
        #: check_path, or ``bool`` (a path is never empty) for a plan with nothing to match, whose one decision it
        #: then is (a refusal when robots.txt is unreachable). None when ``decide`` must see every URL.
        check = self.check_path if self.check_path is not None else bool if plan.constant else None
        self.route: Optional[Routed] = (None if check is None
                                         else routed(plan.ok, plan.site, check, expires))  # type: ignore[arg-type]
        #: What URLs the matcher allows get (the route itself when there is one: one object handed out for them).
        self.ok = plan.ok if self.route is None else self.route
        #: Its keys in the Guard's segment table (see ``Guard._learn``), and what that table holds for its segments
        #: whose URLs the matcher must decide one by one.
        self.segments: list[str] = []
        self.leaves = 0  # how many of them are leaves (see Guard._learn)
        #: The literal tuples of its table's gates, one object per distinct tuple (see :meth:`shared`); None until
        #: the first (about half the origins have none).
        self.literals: Optional[dict[tuple[str, ...], tuple[str, ...]]] = None
        self.through: Optional[Through] = None if self.route is None else Through(self.route)

    @property
    def caps(self) -> tuple[int, int, bool]:
        """At most how many keys, and of them leaves, it may have in the segment table, and whether that is final: one
        more key per literal head of its matcher's rules (see _MAX_EXTRA_SEGMENTS) once its index is built (heads are
        known then). Worked out when asked (only past the base caps: see Guard._remember), not kept: a tuple (and up
        to two ints) less per origin."""
        matcher = self.matcher
        if matcher is None or getattr(matcher, "tier", "scan") == "scan":
            return _MAX_SEGMENTS, _MAX_LEAVES, False
        extra = min(getattr(matcher, "heads_below", lambda _: 0)(""), _MAX_EXTRA_SEGMENTS)
        return _MAX_SEGMENTS + extra, _MAX_LEAVES + extra // _EXTRA_PER_LEAF, True

    def shared(self, literals: tuple[str, ...]) -> tuple[str, ...]:
        """``literals`` as the one tuple of this origin's gates equal to it: most segments of a site share its gate's
        literals (rules starting with a wildcard apply under every segment), so the hot path finds the same tuple
        under all of them (fewer objects to fetch from memory, one site's URLs after another's), and the table keeps
        one per distinct set (bench_guard: 805 for 11,302 gates over 1,000 sites). Within one origin only."""
        table = self.literals
        if table is None:
            table = self.literals = {}  # (only while learning, under no lock: a race shares a tuple less)
        return table.setdefault(literals, literals)

    def answer(self, url: str) -> Decision:
        """The decision for ``url`` (a refusal by robots.txt is deferred: its reasons are read when looked at)."""
        check = self.check
        if check is not None:
            return self.ok if check(url) else deferred(False, self.site, url)  # type: ignore[arg-type,return-value]
        return self.decide(url)


_HOST_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789.-")


def _plain_origin(prefix: str) -> Optional[str]:
    """``prefix`` itself when it is already an origin as :func:`scrapecheck._url.origin` writes it (lower-case
    http(s), a lower-case ASCII host of letters, digits, dots and hyphens, no port, no IDNA label), else None:
    then the exact parser decides."""
    if prefix.startswith("https://"):
        host = prefix[8:]
    elif prefix.startswith("http://"):
        host = prefix[7:]
    else:
        return None
    if host and _HOST_CHARS.issuperset(host) and "xn--" not in host:
        return prefix
    return None


def _alias_key(entry: _Entry, prefix: str) -> str:
    """The string object keying ``prefix`` in the aliases (one of ``entry.aliases``): the routes' key is the same
    object, not an equal copy (a string per cached origin)."""
    for alias in entry.aliases:
        if alias == prefix:
            return alias
    return prefix


def _subs(matcher: Any, route: Routed, below: tuple[str, ...], shared: Callable[[tuple[str, ...]], tuple[str, ...]]
          ) -> tuple[tuple[str, Optional[tuple[str, ...]], Any], ...]:
    """:attr:`Through.subs` for the heads ``below`` a segment (sorted, as ``prefix_gate`` gives them): per head, deepest
    first, (head, the literals of its own ``prefix_gate`` (as ``shared`` gives them) or None when it has none, its
    verdict as a decision). A path under the segment that starts with a head below it and none deeper starts with none
    of the heads below that head (each of those is below the segment too), so that head's gate answers it as
    ``check_path`` would, unless the path holds one of its literals (it holds no "%" and only ASCII characters: the
    segment's gate looked first)."""
    subs: list[tuple[str, Optional[tuple[str, ...]], Any]] = []
    for head in reversed(below):
        gate = matcher.prefix_gate(head)
        if gate is None:
            subs.append((head, None, None))
        else:
            subs.append((head, shared(gate[1]), route if gate[2] else segment_refusal(route, head)))
    return tuple(subs)


def _input(field: str, message: str) -> InputError:
    return InputError("Guard", field, message)


def _check_header_value(user_agent: str) -> None:
    """What the CLI and the fetcher accept as a User-Agent (``signals.config.check_user_agent``, whose package
    would load pydantic): Latin-1 characters without control characters (it is sent as an HTTP header)."""
    bad = next((ch for ch in user_agent if ord(ch) < 32 or ord(ch) == 127), None)
    if bad is not None:
        raise _input("user_agent", f"contains the control character {bad!r}; a User-Agent is one line")
    try:
        user_agent.encode("latin-1")
    except UnicodeEncodeError as exc:
        raise _input("user_agent", f"contains {user_agent[exc.start]!r}, which an HTTP header cannot carry "
                                   "(only Latin-1 characters can be sent)") from None


class Guard:
    """Checks each URL a crawler is about to fetch against robots.txt, its pacing and the site's AI opt-outs.

    >>> guard = Guard("AcmeBot/1.0", "ai-training", signals="signals.json")   # doctest: +SKIP
    >>> decision = guard.check("https://example.com/a")                      # doctest: +SKIP
    >>> decision.allowed, [r.rule_id for r in decision.reasons]              # doctest: +SKIP

    ``user_agent`` is the User-Agent the crawler sends (robots.txt is matched on its product token);
    ``purpose`` one of the plan's purpose kinds, which decides which opt-outs refuse. ``signals`` (a signals
    file written by ``scrapecheck fetch``, its parsed dict, or a ``Signals`` value) makes the Guard use only
    recorded signals: no network at all, and origins not recorded are refused. ``cache_ttl`` (seconds, at
    most 86400) bounds how long an origin's state is reused; ``max_origins`` how many are kept.
    ``respect_ai_optouts=False`` keeps robots.txt and pacing but lets opt-outs through as notes only.
    ``allow_private_networks`` lets the fetcher reach loopback/private addresses (tests, intranets).
    ``decision_log`` (a path or a text file) receives one JSON line per refusal. ``clock`` is a monotonic
    clock in seconds (for tests).
    """

    def __init__(self, user_agent: str, purpose: str, *, signals: Any = None,
                 cache_ttl: float = RFC_9309_CACHE_LIMIT, max_origins: int = 10_000,
                 respect_ai_optouts: bool = True, allow_private_networks: bool = False,
                 fetch_config: Any = None, decision_log: Union[str, "os.PathLike[str]", IO[str], None] = None,
                 clock: Optional[Callable[[], float]] = None) -> None:
        if not isinstance(user_agent, str):
            raise TypeError(f"user_agent must be a str, not {type(user_agent).__name__}")
        user_agent = user_agent.strip()
        if not user_agent or not product_token(user_agent):
            raise _input("user_agent", f"{user_agent!r} has no product token (letters, '-' and '_' first, "
                                       "e.g. 'AcmeBot/1.0')")
        _check_header_value(user_agent)
        if purpose not in PURPOSES:
            raise _input("purpose", f"{purpose!r} is not one of {', '.join(PURPOSES)}")
        # (no math.isfinite: a huge int overflows it; nan and inf fail the comparison)
        if isinstance(cache_ttl, bool) or not isinstance(cache_ttl, (int, float)) \
                or not 0 < cache_ttl <= RFC_9309_CACHE_LIMIT:
            raise _input("cache_ttl", f"{_shown(cache_ttl)}: must be > 0 and at most 86400 seconds (RFC 9309 2.4)")
        if isinstance(max_origins, bool) or not isinstance(max_origins, int) or max_origins < 1:
            raise _input("max_origins", f"{_shown(max_origins)}: must be an integer >= 1")
        for name, flag in (("respect_ai_optouts", respect_ai_optouts),
                           ("allow_private_networks", allow_private_networks)):
            if not isinstance(flag, bool):  # ("no" would be true, and one of them turns on the unsafe direction)
                raise TypeError(f"{name} must be a bool, not {type(flag).__name__}")
        self.user_agent = user_agent
        self.token = product_token(user_agent)
        self.purpose = purpose
        self.cache_ttl = float(cache_ttl)
        self.max_origins = max_origins
        self.respect_ai_optouts = respect_ai_optouts
        self.allow_private_networks = allow_private_networks
        self._fetch_config = fetch_config
        if fetch_config is not None:
            from ..signals.config import FetchConfig

            if not isinstance(fetch_config, FetchConfig):
                raise TypeError(f"fetch_config must be a FetchConfig, not {type(fetch_config).__name__}")
        self._clock = clock or time.monotonic
        self._recorded = _recorded(signals)
        self._entries: dict[str, _Entry] = {}
        #: Raw "scheme://authority" prefixes of URLs routed to an entry (only authorities with no '?', ';', '#',
        #: '/': see _origin_of), and the hot path's table: the same prefixes, for entries used since the eviction
        #: last passed over them, to the entry's route. Both change only under the lock.
        self._aliases: dict[str, _Entry] = {}
        self._routes: dict[str, Routed] = {}
        #: The hot path's first table: "scheme://authority/segment/" (a routed prefix, then a path's first segment
        #: with both its slashes) to what every URL under it gets (the route, or a SegmentRefusal), or to a
        #: Through when its URLs need the matcher. Filled by _learn, emptied with the entry's routes (_unroute).
        self._segments: dict[str, Any] = {}
        #: Per cached entry whose matcher scans (no index: no gates yet), URLs checked meanwhile (see _MAX_WAITING),
        #: checked again once the index is built (_replay); dropped with the entry's routes.
        self._waiting: dict[_Entry, list[str]] = {}
        self._waiting_chars = 0  # their characters, over all entries (see _MAX_WAITING_CHARS)
        self._loading: dict[str, "Future[_Entry]"] = {}
        self._lock = threading.Lock()
        self._pace: dict[str, float] = {}
        self._pace_lock = threading.Lock()
        self._log: Optional[_DecisionLog] = None if decision_log is None else _DecisionLog(decision_log)
        self._bodies = BodyCache(min(max_origins, _SHARED_BODIES), max_origins)
        self._parse = self._bodies.parse  # bound once: each origin's rules keep it
        self._decide: Callable[[str], Decision] = self._slow  # set with check, below
        self.fetches = 0
        """How many origins were fetched (network) or built from recorded signals so far."""
        self.check = self._make_check()  # type: ignore[method-assign,assignment]  # a closure: the hot path, see check()

    def _make_check(self) -> Callable[[str], Decision]:
        """:meth:`check` as a closure over the cache (no attribute lookups per call); same behaviour.

        A cached origin costs one slice, one dict lookup of its route, one matcher ``check_path`` and, for an
        allowed URL, the route itself (a :class:`Routed` decision); a refused one gets a small deferred decision
        whose reasons are found when read. Per origin, nothing is touched but the route and the matcher.
        Also sets ``self._decide``: the same without the decision log (pacing uses it).
        """
        # Only what is this Guard's is a closure cell (each cell is one more object touched per check); the
        # refusal's class and slot setter are read as module globals.
        get, clock, slow, log, learn = self._routes.get, self._clock, self._slow, self._log, self._learn
        segment = self._segments.get

        # A route's key is the raw "scheme://authority" of URLs already routed to its entry, and only an authority
        # holding no '?', ';', '#' or '/' is ever one (see _origin_of): what follows it is the path the matcher's
        # check_path takes, and a refusal keeps that path for its deferred reasons (see Plan, site.resolve).
        def decide_timed(url: str) -> Decision:
            try:
                cut = url.find("/", 8)
            except (AttributeError, TypeError):  # (bytes have a find, which the str "/" fails)
                raise TypeError(f"url must be a str, not {type(url).__name__}") from None
            if cut > 0:
                end = url.find("/", cut + 1) + 1
                if end:
                    key = url[:end]
                else:  # one segment: by its name, without the query and fragment
                    stop = url.find("?", cut)
                    if stop < 0:
                        stop = url.find("#", cut)
                    key = url[:stop] if stop > 0 else url
                hit = segment(key)
                if hit is not None and hit._expires > clock():
                    if type(hit) is not Through:
                        return hit  # what every URL under this segment gets
                    while hit.deeper:  # many heads below: by one segment more (the last one by its name)
                        start = end
                        end = url.find("/", start) + 1
                        if end:
                            key = url[:end]
                        else:
                            stop = url.find("?", start)
                            if stop < 0:
                                stop = url.find("#", start)
                            key = url[:stop] if stop > 0 else url
                            if len(key) == start:
                                break  # nothing after the segment's "/" but a query or fragment: its own entry
                        deeper = segment(key)
                        if deeper is None:
                            return learn(url, cut, key, hit.route, hit.check)
                        if type(deeper) is not Through:
                            return deeper  # type: ignore[no-any-return]
                        hit = deeper  # (a leaf is never deeper: the loop ends there)
                    path = url[cut:]
                    literals = hit.literals
                    if literals is not None:  # most URLs here hold none of them: the segment's answer
                        # (a loop of ``in`` tests: a regex search over them all costs 3 to 4 times the
                        # instructions, 4,300 against 1,200 for one literal, 9,400 against 7,200 for 15)
                        for literal in literals:
                            if literal in path:
                                break
                        else:
                            if "%" not in path and path.isascii():
                                if hit.below is None:
                                    return hit.answer  # type: ignore[no-any-return]  # set with literals
                                # Under a head below the segment, the deepest one's own gate (see Through.subs); under
                                # none, the segment's answer. (No str.startswith over all of them first: most paths
                                # that get here start with one, bench_guard: 82,093 of 97,807 a pass.)
                                for head, keys, answer in hit.subs:
                                    if path.startswith(head):
                                        if keys is not None:
                                            for key in keys:
                                                if key in path:
                                                    break
                                            else:
                                                return answer  # type: ignore[no-any-return]
                                        break
                                else:
                                    return hit.answer  # type: ignore[no-any-return]
                    if hit.check(path):
                        return hit.route
                    decision = DeferredRefusal()
                    SET_KEY(decision, (hit.route, path))
                    return decision
                route = get(url[:cut])  # type: ignore[assignment]
                if route is not None and route._expires > clock():
                    return learn(url, cut, key, route)
            return slow(url)

        def decide_recorded(url: str) -> Decision:  # the same, without the clock (recorded state never ages)
            try:
                cut = url.find("/", 8)
            except (AttributeError, TypeError):  # (bytes have a find, which the str "/" fails)
                raise TypeError(f"url must be a str, not {type(url).__name__}") from None
            if cut > 0:
                end = url.find("/", cut + 1) + 1
                if end:
                    key = url[:end]
                else:  # one segment: by its name, without the query and fragment
                    stop = url.find("?", cut)
                    if stop < 0:
                        stop = url.find("#", cut)
                    key = url[:stop] if stop > 0 else url
                hit = segment(key)
                if hit is not None:
                    if type(hit) is not Through:
                        return hit  # what every URL under this segment gets
                    while hit.deeper:  # many heads below: by one segment more (the last one by its name)
                        start = end
                        end = url.find("/", start) + 1
                        if end:
                            key = url[:end]
                        else:
                            stop = url.find("?", start)
                            if stop < 0:
                                stop = url.find("#", start)
                            key = url[:stop] if stop > 0 else url
                            if len(key) == start:
                                break  # nothing after the segment's "/" but a query or fragment: its own entry
                        deeper = segment(key)
                        if deeper is None:
                            return learn(url, cut, key, hit.route, hit.check)
                        if type(deeper) is not Through:
                            return deeper  # type: ignore[no-any-return]
                        hit = deeper  # (a leaf is never deeper: the loop ends there)
                    path = url[cut:]
                    literals = hit.literals
                    if literals is not None:  # most URLs here hold none of them: the segment's answer
                        # (a loop of ``in`` tests: a regex search over them all costs 3 to 4 times the
                        # instructions, 4,300 against 1,200 for one literal, 9,400 against 7,200 for 15)
                        for literal in literals:
                            if literal in path:
                                break
                        else:
                            if "%" not in path and path.isascii():
                                if hit.below is None:
                                    return hit.answer  # type: ignore[no-any-return]  # set with literals
                                # Under a head below the segment, the deepest one's own gate (see Through.subs); under
                                # none, the segment's answer. (No str.startswith over all of them first: most paths
                                # that get here start with one, bench_guard: 82,093 of 97,807 a pass.)
                                for head, keys, answer in hit.subs:
                                    if path.startswith(head):
                                        if keys is not None:
                                            for key in keys:
                                                if key in path:
                                                    break
                                            else:
                                                return answer  # type: ignore[no-any-return]
                                        break
                                else:
                                    return hit.answer  # type: ignore[no-any-return]
                    if hit.check(path):
                        return hit.route
                    decision = DeferredRefusal()
                    SET_KEY(decision, (hit.route, path))
                    return decision
                route = get(url[:cut])  # type: ignore[assignment]
                if route is not None:
                    return learn(url, cut, key, route)
            return slow(url)

        decide = decide_timed if self._recorded is None else decide_recorded
        self._decide = decide
        if log is None:
            chosen = decide
        else:
            def chosen(url: str) -> Decision:
                decision = decide(url)
                if not decision.allowed:
                    log.write(url, decision)
                return decision

        chosen.__doc__ = Guard.check.__doc__
        return chosen

    @classmethod
    def from_robots(cls, user_agent: str, purpose: str, robots: Mapping[str, Union[str, bytes]],
                    **options: Any) -> "Guard":
        """A recorded-mode Guard from robots.txt bodies you already hold, ``{origin or URL: body}`` (str or
        bytes, read as fetched with HTTP 200). No network; origins not given are refused. ``options`` are
        :class:`Guard`'s keyword arguments (not ``signals``)."""
        if "signals" in options:
            raise TypeError("from_robots() takes robots bodies instead of signals")
        if not isinstance(robots, Mapping):
            raise TypeError(f"robots must be a mapping of origins to robots.txt bodies, not {type(robots).__name__}")
        guard = cls(user_agent, purpose, **options)
        from .._url import origin as robots_origin

        table: dict[str, Callable[..., OriginRules]] = {}
        keys: dict[str, str] = {}
        for key, body in robots.items():
            if not isinstance(body, (str, bytes)):
                raise TypeError(f"robots[{key!r}] must be str or bytes, not {type(body).__name__}")
            origin = (_plain_origin(key) if isinstance(key, str) else None) or robots_origin(key)
            if keys.setdefault(origin, key) is not key:  # (one body would silently replace the other)
                raise InputError(key, "robots", f"names the same origin as {keys[origin]!r} ({origin})")
            fetch = RobotsFetch("success", 200, "ok", f"{origin}/robots.txt", "recorded")
            table[origin] = functools.partial(OriginRules, origin, fetch, body)
        guard._recorded = table
        guard.check = guard._make_check()  # type: ignore[method-assign,assignment]
        return guard

    def __repr__(self) -> str:
        mode = "recorded" if self._recorded is not None else "live"
        return f"<Guard {self.user_agent!r} {self.purpose} {mode} origins={len(self._entries)}>"

    @property
    def recorded(self) -> bool:
        """True when built from recorded signals (never touches the network)."""
        return self._recorded is not None

    # ------------------------------------------------------------------ the hot path
    def check(self, url: str) -> Decision:
        """May the crawler fetch ``url`` (an absolute http(s) URL)? Fetches the origin's state on first use.

        A malformed URL is an :class:`~scrapecheck.errors.InputError`; nothing a site or the network does
        raises (an unreachable robots.txt is a refusal). (Replaced per instance by a closure that does the
        same faster; see ``_make_check``.)
        """
        decision = self._decide(url)
        if not decision.allowed and self._log is not None:
            self._log.write(url, decision)
        return decision

    def check_cached(self, url: str) -> Optional[Decision]:
        """The decision for ``url`` if its origin's state is cached and fresh, else None. Never fetches, never
        blocks: an event-loop or reactor thread can call it, and hand the miss to :meth:`check` in a worker
        thread (or use :meth:`acheck`)."""
        decision = self._cached(url)
        if decision is not None and not decision.allowed and self._log is not None:
            self._log.write(url, decision)
        return decision

    def _cached(self, url: str) -> Optional[Decision]:
        """:meth:`check_cached` without the log: decided by the entry found, so never a fetch (the entry may leave
        the cache meanwhile; :meth:`check` would then load it again)."""
        if not isinstance(url, str):
            raise TypeError(f"url must be a str, not {type(url).__name__}")
        cut = url.find("/", 8)
        raw = url[:cut] if cut > 0 else url
        entry = self._aliases.get(raw)
        if entry is None or entry.expires <= self._clock():
            return None
        self._use(entry, raw)
        return entry.answer(url)

    async def acheck(self, url: str) -> Decision:
        """:meth:`check` for asyncio: a cached origin is answered at once; a fetch runs in a worker thread, and
        concurrent tasks (or threads) asking for the same origin share it. Never blocks the event loop."""
        if not isinstance(url, str):
            raise TypeError(f"url must be a str, not {type(url).__name__}")
        cut = url.find("/", 8)
        raw = url[:cut] if cut > 0 else url
        entry = self._aliases.get(raw)
        if entry is None or entry.expires <= self._clock():
            origin, prefix = self._origin_of(url)
            entry, future, owner = self._begin(origin)
            if entry is None:
                import asyncio

                if owner:
                    await asyncio.get_running_loop().run_in_executor(None, self._load_into, origin, future)
                entry = await asyncio.wrap_future(future)
            self._alias(prefix, entry)
        else:
            self._use(entry, raw)
        decision = entry.answer(url)
        if not decision.allowed and self._log is not None:
            self._log.write(url, decision)
        return decision

    # ------------------------------------------------------------------ pacing
    def wait_time(self, url: str, *, reserve: bool = True) -> float:
        """Seconds to wait before fetching ``url``, and a reservation of that slot.

        Paces per origin at the interval robots.txt asks (the larger of Crawl-delay and Request-rate's),
        counted from the Guard's own previous slot there: call it right before each request, sleep the
        result, then fetch. Concurrent callers get successive slots. 0 when the site asks for no delay.
        ``reserve=False`` only tells the wait (a crawler that drops a request it would hold too long).
        """
        decision = self._cached(url) or self._decide(url)  # not logged again: the crawler's check() logged it
        delay = decision.delay_seconds
        origin = self._origin_of(url)[0]
        with self._pace_lock:
            now = self._clock()
            start = max(now, self._pace.get(origin, now))
            if delay > 0 and reserve:
                if len(self._pace) >= 2 * self.max_origins:
                    self._pace = {o: t for o, t in self._pace.items() if t > now}
                self._pace[origin] = start + delay
            return start - now

    # ------------------------------------------------------------------ responses
    def check_response(self, url: str, status: int, headers: Any, body: Union[bytes, str, None] = None) -> Decision:
        """The decision for a response already fetched: :meth:`check` plus the page's own opt-outs.

        Reads X-Robots-Tag, ``<meta name="robots">`` noai/noimageai, TDMRep headers and meta tags, Content-Usage
        and Content-Signal headers (and their meta copies). ``headers`` is a mapping (values may be lists) or
        (name, value) pairs; ``body`` the page, read for meta tags when it is HTML.
        """
        decision = self._response(url, status, headers, body, self._decide)
        assert decision is not None  # (_decide always decides)
        return decision

    def _response(self, url: str, status: int, headers: Any, body: Union[bytes, str, None],
                  decide: Callable[[str], Optional[Decision]]) -> Optional[Decision]:
        """:meth:`check_response` with the robots decision from ``decide`` (:meth:`_cached`: None for an origin not
        cached, then None here, nothing fetched: the Scrapy middleware's reactor thread)."""
        if isinstance(status, bool) or not isinstance(status, int) or not 100 <= status <= 999:
            raise _input("status", f"{_shown(status)}: must be an HTTP status code")
        pairs = _header_pairs(headers)  # (checked whatever the answer: a wrong argument is wrong every time)
        _check_body(body)
        base = decide(url)
        if base is None:
            return None
        if base.robots.outcome != "unreachable":
            decision = self._with_page(url, base, pairs, body)
        else:
            decision = base
        if not decision.allowed and self._log is not None:
            self._log.write(url, decision)
        return decision

    def _with_page(self, url: str, base: Decision, pairs: list[tuple[str, str]],
                   body: Union[bytes, str, None]) -> Decision:
        found = _page_opt_outs(url, pairs, body, self.token)
        if not found:
            return base
        page_reasons = opt_out_reasons(found, self.purpose)
        if not self.respect_ai_optouts:
            page_reasons = [Reason(r.rule_id, r.message, False, r.line, r.text, r.signal, r.source)
                            for r in page_reasons]
        if not page_reasons:
            return base
        reasons = sorted(base.reasons + tuple(page_reasons), key=lambda r: not r.blocking)
        return Decision(not any(r.blocking for r in reasons), tuple(reasons), base.delay_seconds, base.robots,
                        base.token, base.purpose)

    # ------------------------------------------------------------------ cache
    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        """Forget every origin (the next check of each fetches again)."""
        with self._lock:
            self._entries.clear()
            self._aliases.clear()
            self._routes.clear()
            self._segments.clear()
            self._waiting.clear()
            self._waiting_chars = 0
            self._bodies = BodyCache(min(self.max_origins, _SHARED_BODIES), self.max_origins)
            self._parse = self._bodies.parse

    def rules_for(self, url: str) -> OriginRules:
        """The compiled state of ``url``'s origin (fetched if needed): parsed robots.txt, outcome, opt-outs."""
        return self._entry_for(url).rules

    def close(self) -> None:
        """Close the decision log (the file too, if the Guard opened it): from then on a refusal, which the log
        can no longer record, is an error rather than an answer left out of it."""
        if self._log is not None:
            self._log.close()

    def __enter__(self) -> "Guard":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ the slow path
    def _origin_of(self, url: str) -> tuple[str, Optional[str]]:
        """(origin, the URL's raw scheme-and-authority prefix when it may serve as a cache alias)."""
        if not isinstance(url, str):
            raise TypeError(f"url must be a str, not {type(url).__name__}")
        cut = url.find("/", 8)
        prefix = url[:cut] if cut > 0 else url
        origin = _plain_origin(prefix)  # the common case, by plain string tests
        if origin is not None:
            return origin, prefix
        from .._url import origin as url_origin  # the one origin function (IDNA, default ports)

        origin = url_origin(url)
        authority = prefix[8:] if prefix.startswith("https://") else prefix[7:] if prefix.startswith("http://") else ""
        ok = bool(authority) and "/" not in authority and not any(c in authority for c in _BAD_IN_AUTHORITY)
        return origin, (prefix if ok else None)

    def _slow(self, url: str) -> Decision:
        """The decision for a URL whose origin is not cached (or is stale), loaded first; or for a cached one the
        hot path does not route (no '/' after the authority: the alias is the whole URL)."""
        if isinstance(url, str):
            cut = url.find("/", 8)
            prefix = url[:cut] if cut > 0 else url
            entry = self._aliases.get(prefix)
            if entry is not None and entry.expires > self._clock():
                self._use(entry, prefix)
                return entry.answer(url)
        return self._entry_for(url).answer(url)

    def _learn(self, url: str, cut: int, key: str, route: Routed,
               check_path: Optional[Callable[[str], bool]] = None) -> Decision:
        """The hot path's answer for ``url``, routed by ``route`` (``url[:cut]``, one of its origin's routed
        prefixes); and ``key``'s entry in the segment table when there is room. ``key`` is ``url`` up to the end of
        a path segment ("/segment/", or its first two segments for a segment with many heads below), or, when that
        segment is the path's last, up to its query or fragment (a "leaf": "/name"). The entry is what every URL
        under ``key`` gets when the matcher says they all get one answer (``prefix_gate``), else a Through (the
        matcher decides each, or those that hold one of the literals the gate names); at most _MAX_LEAVES of them
        per origin are leaves (leaf names are many where segments are few). Not per
        URL: per origin and segment. ``check_path`` decides ``url``'s path when given (the matcher's for the paths under
        the segment above ``key``), else the route's. While the origin's matcher scans (no index, so no gates), the
        URL waits for the index instead (see _MAX_WAITING); past _SETTLE_AFTER keys, the URL that adds one is
        answered through it."""
        entry = self._aliases.get(url[:cut])
        if entry is not None and entry.route is route:
            matcher = entry.matcher
            if matcher is not None and getattr(matcher, "tier", "scan") == "scan":
                if len(url) <= _MAX_WAITING_URL:  # no index, so no gates yet: the URL waits for it
                    with self._lock:
                        if self._waiting_chars + len(url) <= _MAX_WAITING_CHARS:
                            waiting = self._waiting.get(entry)
                            if waiting is None:
                                waiting = self._waiting[entry] = []
                            if len(waiting) < _MAX_WAITING:
                                waiting.append(url)
                                self._waiting_chars += len(url)
            else:
                if self._waiting and entry in self._waiting:
                    self._replay(entry)
                self._remember(entry, key, cut, route)
                if len(entry.segments) > _SETTLE_AFTER and key in self._segments:
                    return self._decide(url)  # through its new entry (see _SETTLE_AFTER)
        path = url[cut:]
        if (route._check if check_path is None else check_path)(path):
            return route
        answer = DeferredRefusal()
        SET_KEY(answer, (route, path))
        return answer

    def _replay(self, entry: _Entry) -> None:
        """Check again, through the hot path, the first _REPLAY of the URLs that waited for ``entry``'s index (see
        _MAX_WAITING); the others wait for its next URL that is not answered from the table. Taken out of the table
        meanwhile, so the checks do not replay more themselves."""
        with self._lock:
            waiting = self._waiting.pop(entry, None)
            if waiting:
                self._waiting_chars -= sum(map(len, waiting))
        if not waiting:
            return
        decide, routes, route = self._decide, self._routes, entry.route
        for url in waiting[:_REPLAY]:
            if routes.get(url[:url.find("/", 8)]) is route:  # (not evicted meanwhile: never a load from here)
                decide(url)
        if len(waiting) > _REPLAY:
            with self._lock:
                if self._entries.get(entry.origin) is entry and entry not in self._waiting:
                    rest = self._waiting[entry] = waiting[_REPLAY:]
                    self._waiting_chars += sum(map(len, rest))

    def _remember(self, entry: _Entry, key: str, cut: int, route: Routed) -> None:
        """Put ``key`` (see :meth:`_learn`; ``key[:cut]`` a routed prefix of ``entry``, whose route is ``route``) in
        the segment table when there is room, once the entry's matcher has its index (or it has no matcher)."""
        segment = key[cut:]
        leaf = segment[-1] != "/"
        most, leaves = _MAX_SEGMENTS, _MAX_LEAVES
        count = len(entry.segments)
        if count >= most or (leaf and entry.leaves >= leaves):  # past the base caps: its own (see _Entry.caps)
            most, leaves, _ = entry.caps
            if count >= most or (leaf and entry.leaves >= leaves):
                return
        matcher = entry.matcher
        if matcher is None:  # a plan with nothing to match: the route is every URL's answer
            gate: Optional[tuple[tuple[str, ...], tuple[str, ...], bool]] = ((), (), True)
        else:
            current = matcher.check_path
            if route._check is not current:
                # Bound while the matcher scanned, the route's callable would hand each path over to the index
                # (two calls more per URL): from now on the route calls the index's own.
                _ROUTE_CHECK(route, current)
                entry.check, entry.check_path = matcher.check, current
                if entry.through is not None:
                    entry.through.check = current
            gate = matcher.prefix_gate(segment)
            if gate is None and (leaf or segment == "/"):
                # A leaf's URLs (and the root's: "/" is only ever a key for URLs with no "/" after it) are its name
                # with nothing after it but a fragment, or a query: when the name itself is allowed, the gate of the
                # name and a "?" serves them (fewer heads below it, and "/?" has one where "/" has none).
                query = matcher.prefix_gate(segment + "?")
                if query is not None and query[2] and matcher.check_path(segment):
                    gate = query
        # The matcher's check_path for the paths under this segment only, if it has one: deciding from the few rules
        # the literals a path holds let in (the URLs the table sends to it hold a gate's literal, or there is none).
        under = getattr(matcher, "literal_check", None)
        check = under(segment, gate[1] if gate is not None else ()) if under is not None else None
        value: Any = entry.through if check is None else Through(route, check=check)
        if gate is None and not leaf and 2 <= segment.count("/") <= _DEEPER_LEVELS and matcher is not None \
                and getattr(matcher, "heads_below", lambda _: 0)(segment) > _DEEPER_HEADS:
            value = Through(route, check=check, deeper=True)
        elif gate is None and matcher is not None and hasattr(matcher, "literal_gate"):
            # No gate from the walk (a literal every path here holds, several refusing rules...): the paths holding
            # none of literal_check's literals may still all be allowed (then answered as by a gate).
            found = matcher.literal_gate(segment)
            if found is not None:
                check = found[0]
                gate = ((), found[1], True)
        if gate is not None:
            below, literals, allowed = gate
            value = route if allowed else segment_refusal(route, segment)
            if below or literals:
                value = Through(route, entry.shared(literals), value, below, check,
                                subs=_subs(matcher, route, below, entry.shared))
        with self._lock:
            if self._routes.get(key[:cut]) is route and key not in self._segments and len(entry.segments) < most \
                    and not (leaf and entry.leaves >= leaves):
                self._segments[key] = value
                entry.segments.append(key)
                entry.leaves += leaf

    def _use(self, entry: _Entry, prefix: str) -> None:
        """Mark a cached entry used and put its route (for ``prefix``, one of its aliases) on the hot path; the
        eviction takes the routes of an entry back when it clears ``used``, so the next URL there comes by here
        again: the hot path never writes to the entry."""
        if entry.used and (entry.route is None or self._routes.get(prefix) is entry.route):
            return  # nothing to change (an origin whose URLs all come by here: no lock per URL)
        with self._lock:
            if self._aliases.get(prefix) is entry:
                entry.used = True
                if entry.route is not None:
                    self._routes[_alias_key(entry, prefix)] = entry.route

    def _entry_for(self, url: str) -> _Entry:
        origin, prefix = self._origin_of(url)
        entry, future, owner = self._begin(origin)
        if entry is None:
            if owner:
                self._load_into(origin, future)
            entry = future.result()
        self._alias(prefix, entry)
        return entry

    def _alias(self, prefix: Optional[str], entry: _Entry) -> None:
        """Route ``prefix`` to ``entry`` (on the hot path too when the entry counts as used: not when this URL's
        check is the one that loaded it, which is not a second use)."""
        if prefix is None or (self._aliases.get(prefix) is entry
                              and (not entry.used or entry.route is None or self._routes.get(prefix) is entry.route)):
            return
        with self._lock:
            if self._entries.get(entry.origin) is entry:
                if self._aliases.get(prefix) is not entry:
                    self._aliases[prefix] = entry
                    entry.aliases += (prefix,)
                if entry.used and entry.route is not None:
                    self._routes[_alias_key(entry, prefix)] = entry.route

    def _begin(self, origin: str) -> tuple[Optional[_Entry], "Future[_Entry]", bool]:
        """A fresh cached entry, or the future of the load in flight (``owner``: this caller must run it)."""
        from concurrent.futures import Future

        with self._lock:
            entry = self._entries.get(origin)
            if entry is not None and entry.expires > self._clock():
                entry.used = True
                done: Future[_Entry] = Future()
                done.set_result(entry)
                return entry, done, False
            future = self._loading.get(origin)
            if future is not None:
                return None, future, False
            future = Future()
            self._loading[origin] = future
            return None, future, True

    def _load_into(self, origin: str, future: "Future[_Entry]") -> None:
        try:
            rules, ttl = self._load(origin)
            plan = rules.plan(self.user_agent, self.purpose, respect_ai_optouts=self.respect_ai_optouts)
            expires = self._clock() + ttl
            if expires == math.inf:
                expires = math.inf  # the one object, not a float equal to it (one object fewer a cached origin)
            entry = _Entry(origin, rules, plan, expires)
        except BaseException as exc:
            with self._lock:
                self._loading.pop(origin, None)
            future.set_exception(exc)
            raise
        with self._lock:
            self._loading.pop(origin, None)
            old = self._entries.pop(origin, None)
            if old is not None:
                self._drop_aliases(old)
            elif len(self._entries) >= self.max_origins:
                self._evict()
            self._entries[origin] = entry
            self.fetches += 1
        future.set_result(entry)

    def _drop_aliases(self, entry: _Entry) -> None:
        self._unroute(entry)
        for prefix in entry.aliases:
            if self._aliases.get(prefix) is entry:
                del self._aliases[prefix]

    def _unroute(self, entry: _Entry) -> None:
        for prefix in entry.aliases:
            if self._routes.get(prefix) is entry.route:
                del self._routes[prefix]
        segments = self._segments
        for key in entry.segments:
            segments.pop(key, None)
        waiting = self._waiting.pop(entry, None)
        if waiting:
            self._waiting_chars -= sum(map(len, waiting))
        entry.segments.clear()
        entry.leaves = 0
        entry.literals = None

    def _evict(self) -> None:
        """Second-chance (CLOCK) eviction: an origin used since it was last passed over gets another round."""
        entries = self._entries
        for _ in range(2 * len(entries)):
            origin = next(iter(entries))
            entry = entries.pop(origin)
            if entry.used and entry.expires > self._clock():
                entry.used = False
                self._unroute(entry)  # its next URL takes the slow path, which marks it used again
                entries[origin] = entry
                continue
            self._drop_aliases(entry)
            return
        origin = next(iter(entries))
        self._drop_aliases(entries.pop(origin))

    def _config(self) -> Any:
        """The fetch configuration actually used: the caller's, with this Guard's User-Agent, its private-network
        opt-in (either opt-in counts), no caching inside the fetcher (the Guard caches), and site-level pages
        (``/.well-known/tdmrep.json``) only when an opt-out there can change a decision."""
        import dataclasses

        from ..signals.config import FetchConfig

        config = self._fetch_config if self._fetch_config is not None else FetchConfig()
        wants_pages = self.respect_ai_optouts and self.purpose in ("ai-training", "ai-inference")
        return dataclasses.replace(config, user_agent=self.user_agent, fetch_pages=wants_pages,
                                   allow_private_networks=self.allow_private_networks or config.allow_private_networks)

    def _load(self, origin: str) -> tuple[OriginRules, float]:
        """Build the origin's rules: from the recorded signals, or by fetching robots.txt (fail closed)."""
        if self._recorded is not None:
            build = self._recorded.get(origin)
            if build is None:
                fetch = RobotsFetch("unreachable", None, "not-recorded", f"{origin}/robots.txt", "recorded",
                                    "robots.txt was not recorded for this origin")
                return OriginRules(origin, fetch), math.inf
            return build(parse=self._parse), math.inf
        config = self._config()
        from ..signals.fetch import fetch_origin

        try:
            collected = fetch_origin(origin, user_agent=self.user_agent, config=config, paths=("/",))
            rules = OriginRules.from_signals(collected, source="fetched", parse=self._parse)
        except Exception as exc:  # noqa: BLE001 - fail closed on anything unexpected, and say why
            fetch = RobotsFetch("unreachable", None, "unreachable", f"{origin}/robots.txt", "fetched",
                                f"internal error: {type(exc).__name__}: {exc}")
            rules = OriginRules(origin, fetch)
        ttl = self.cache_ttl
        if rules.robots.outcome == "unreachable":
            ttl = min(ttl, float(getattr(config, "failure_cache_ttl", 60.0)) or 1.0)
        return rules, ttl


def page_opt_outs(url: str, headers: Any, body: Union[bytes, str, None], token: str) -> list[OptOutSignal]:
    """Opt-outs a response states about itself (headers, and meta tags when the body is HTML)."""
    pairs = _header_pairs(headers)
    _check_body(body)
    return _page_opt_outs(url, pairs, body, token)


def _page_opt_outs(url: str, pairs: list[tuple[str, str]], body: Union[bytes, str, memoryview, None],
                   token: str) -> list[OptOutSignal]:
    """:func:`page_opt_outs` from headers and a body already checked."""
    from ..signals.pages import decode_page, from_headers, from_html, html_opt_outs

    found = [OptOutSignal.of(o) for o in from_headers(pairs, url, token)]
    if body:
        content_type = " ".join(v.lower() for k, v in pairs if k.lower() == "content-type")
        raw = b"" if isinstance(body, str) else bytes(body)
        text = body if isinstance(body, str) else decode_page(raw, content_type)
        if "html" in content_type or _looks_like_html(text):
            tags = from_html(text, url, token) if isinstance(body, str) else html_opt_outs(raw, text, url, token)
            found.extend(OptOutSignal.of(o) for o in tags)
    return found


_BLANK = "\ufeff \t\r\n\f"


def _looks_like_html(text: str) -> bool:
    """Whether a page served with no HTML Content-Type is HTML: it starts, past a byte-order mark, an XML prolog
    and comments, with a doctype, <html> or <head>; so a JSON or feed body quoting a meta tag is not read for one."""
    head = text[:4096].lstrip(_BLANK)
    while head.startswith(("<?", "<!--")):
        close = "?>" if head[1] == "?" else "-->"
        end = head.find(close)
        if end < 0:
            return False
        head = head[end + len(close):].lstrip(_BLANK)
    return head[:14].lower().startswith(("<!doctype html", "<html", "<head"))


def _check_body(body: Any) -> None:
    if body is not None and not isinstance(body, (str, bytes, bytearray, memoryview)):
        raise TypeError(f"body must be str or bytes (or None), not {type(body).__name__}")


def _shown(value: Any) -> str:
    """``repr(value)`` for a message, short (a 5,000-digit int has no repr at all: ValueError)."""
    if isinstance(value, int) and not -10**20 < value < 10**20:
        return f"an integer of {value.bit_length()} bits"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _text(value: Any) -> str:
    return value.decode("latin-1") if isinstance(value, (bytes, bytearray)) else str(value)


_HEADERS_ARE = "headers must be a mapping of names to values, or (name, value) pairs"


def _header_pairs(headers: Any) -> list[tuple[str, str]]:
    """(name, value) pairs from a mapping (list values repeat a header; bytes are read as Latin-1) or pairs."""
    if headers is None:
        return []
    if isinstance(headers, (str, bytes, bytearray, memoryview)):
        raise TypeError(f"{_HEADERS_ARE}, not {type(headers).__name__}")
    items_of = getattr(headers, "items", None)
    try:
        items: Iterable[Any] = iter(items_of() if callable(items_of) else headers)
    except TypeError:
        raise TypeError(f"{_HEADERS_ARE}, not {type(headers).__name__}") from None
    pairs: list[tuple[str, str]] = []
    for item in items:
        if isinstance(item, (str, bytes, bytearray)) or not isinstance(item, (tuple, list)) or len(item) != 2:
            raise TypeError(f"{_HEADERS_ARE}: found {_shown(item)}")
        name, value = item
        if isinstance(value, (list, tuple)):
            pairs.extend((_text(name), _text(v)) for v in value)
        else:
            pairs.append((_text(name), _text(value)))
    return pairs


def _recorded(signals: Any) -> Optional[dict[str, Callable[..., OriginRules]]]:
    """Recorded signals as {origin: build its rules}, or None for live mode."""
    if signals is None:
        return None
    from pydantic import ValidationError  # deferred: recorded mode only

    from .._files import first_problem
    from ..errors import SignalsError
    from ..signals.model import Signals
    from ..signals.snapshot import load_signals

    if isinstance(signals, Signals):
        loaded = signals
    elif isinstance(signals, dict):
        try:
            loaded = Signals.model_validate(signals)
        except ValidationError as exc:
            raise SignalsError("<signals>", *first_problem(exc)) from None
    elif isinstance(signals, (str, os.PathLike)):
        from pathlib import Path

        from .._files import MAX_FILE_BYTES

        path = Path(signals)
        try:
            large = path.stat().st_size > MAX_FILE_BYTES
        except OSError:
            large = False  # load_signals reports what is wrong with it
        if large:
            return _indexed(path)
        loaded = load_signals(path)
    else:
        raise TypeError(f"signals must be a signals file path, its dict or Signals, not {type(signals).__name__}")
    from .._url import origin as robots_origin

    return {_plain_origin(origin) or robots_origin(origin): functools.partial(OriginRules.from_signals, target)
            for origin, target in loaded.targets.items()}


def _indexed(path: Any) -> dict[str, Callable[..., OriginRules]]:
    """A recording too large to load whole (10,000 origins are ~100 MB): its structure is checked now, and an
    origin's entry is read and validated when that origin is first checked (a bad entry is a SignalsError
    then, naming the file and ``targets.<origin>``)."""
    from .._url import origin as robots_origin
    from ..signals.index import SignalsIndex

    index = SignalsIndex(path)

    def build(origin: str, *args: Any, **kwargs: Any) -> OriginRules:
        return OriginRules.from_signals(index.get(origin), *args, **kwargs)

    return {_plain_origin(origin) or robots_origin(origin): functools.partial(build, origin) for origin in index}


class _DecisionLog:
    """A JSONL sink of refusals: one object per line with time, URL and the decision's reasons."""

    def __init__(self, target: Union[str, "os.PathLike[str]", IO[str]]) -> None:
        self._lock = threading.Lock()
        if isinstance(target, (str, os.PathLike)):
            try:
                self._file: IO[str] = open(target, "a", encoding="utf-8")  # noqa: SIM115 - closed by close()
            except OSError as exc:
                raise InputError(str(target), "decision_log", f"cannot open: {exc.strerror or exc}") from None
            self._owned = True
        elif callable(getattr(target, "write", None)):
            if isinstance(target, (io.RawIOBase, io.BufferedIOBase)) or "b" in str(getattr(target, "mode", "")):
                raise TypeError("decision_log must be a text file (open(path, 'a') or io.StringIO), not a binary one")
            self._file = target
            self._owned = False
        else:
            raise TypeError(f"decision_log must be a path or a text file, not {type(target).__name__}")
        flush = getattr(self._file, "flush", None)
        self._flush: Optional[Callable[[], Any]] = flush if callable(flush) else None  # (a sink may have none)
        self._closed = False

    def write(self, url: str, decision: Decision) -> None:
        import json
        from datetime import datetime, timezone

        from ..formats._escape import json_safe  # a log is read by people: no raw bidi or C1 from a site

        record = {"time": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                  "url": url, **decision.to_dict()}
        line = json_safe(json.dumps(record, ensure_ascii=False, sort_keys=True)) + "\n"
        with self._lock:
            if self._closed:
                raise GuardClosedError("the Guard is closed: its decision log cannot record this refusal (close() "
                                       "was called; make a new Guard, or close it when the crawl ends)")
            self._file.write(line)
            if self._flush is not None:
                self._flush()

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                if self._owned:
                    self._file.close()


__all__ = ["Guard", "page_opt_outs"]
