"""The per-origin decision core: what one origin says, compiled once, asked about any URL, agent and purpose.

Pure: no network, no clock, no files, no pydantic on the decision path. The Guard (fetching, caching, pacing)
and the dataset audit both build on it.

Interface::

    rules = OriginRules(origin, robots_fetch, robots_body, opt_outs=())
    rules.decide(url, user_agent, purpose)          # -> Decision (allowed, reasons, delay, outcome, token)
    decide = rules.decider(user_agent, purpose)     # the same as a bound callable: url -> Decision (hot path)
    rules.fast_path(user_agent, purpose)            # (matcher, decision): matcher.check(url) true -> decision
    rules.delay(user_agent)                         # seconds between requests asked by Crawl-delay/Request-rate
    rules.policy                                    # the parsed RobotsPolicy, None unless robots.txt was read
    OriginRules.from_signals(target_signals)        # from a recorded signals.json entry (duck-typed)

* ``robots_fetch`` (:class:`RobotsFetch`) says how robots.txt was obtained, in RFC 9309 §2.3.1 terms:
  ``success`` obeys ``robots_body`` (str or bytes, read as Google's parser reads it), ``unavailable`` (4xx)
  allows everything, ``unreachable`` (5xx, 429, network failure, not recorded) refuses everything.
* ``opt_outs`` are site-level opt-out signals found outside robots.txt (:class:`OptOutSignal`: TDMRep rules,
  headers of recorded pages); each may be limited to a robots-style path pattern. Opt-outs written *in*
  robots.txt (AI crawlers blocked, Content-Usage / Content-Signal lines, RSL licences, notices in comments)
  are read from the body per product token, the first time a token asks, with the rules of
  :mod:`scrapecheck.signals.optouts` (that import is deferred to then).
* ``purpose`` picks which opt-outs refuse, as the rule packs do (``AIO-010`` ... ``AIO-018``): an
  ``ai-training`` decision is refused under an AI-training or TDM reservation, a ``search-indexing`` one only
  under a reservation of search use. Low-confidence notices and licences are notes, never refusals.
* ``url`` is an absolute URL of this origin (the caller routes URLs to origins); only its path and query
  are matched. Decisions are frozen and shared between URLs decided the same way.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional, Sequence, Union

from ..robots import RobotsPolicy, path_matches, product_token
from ._decision import RFC_9309_OUTCOME, Decision, Reason, RobotsFetch, Site, deferred

PURPOSES = (
    "ai-training", "ai-inference", "search-indexing", "research", "archiving", "price-monitoring", "marketing",
    "lead-generation", "data-resale", "security-research", "personal", "other",
)


@dataclass(frozen=True, slots=True)
class OptOutRule:
    """Which opt-outs matter for a purpose, under which rule id, and whether they refuse or only note."""

    rule_id: str
    kinds: frozenset[str]
    scopes: Optional[frozenset[str]]  # None: any scope
    blocking: bool
    min_confidence: str = "high"


def _rule(rule_id: str, kinds: Iterable[str], scopes: Optional[Iterable[str]], blocking: bool,
          min_confidence: str = "high") -> OptOutRule:
    return OptOutRule(rule_id, frozenset(kinds), None if scopes is None else frozenset(scopes), blocking,
                      min_confidence)


_NOTICE_SCRAPING = _rule("ROB-053", ["legal-notice"], ["scraping"], False, "low")
_RSL = _rule("AIO-016", ["rsl-license"], None, False)

#: Purpose -> opt-out rules, mirroring policies/ai-opt-out.toml (same ids, kinds and scopes).
PURPOSE_RULES: dict[str, tuple[OptOutRule, ...]] = {
    "ai-training": (
        _rule("AIO-010", ["robots-ai-intent"], ["ai-training"], True),
        _rule("AIO-011", ["tdmrep"], ["tdm", "ai-training"], True),
        _rule("AIO-012", ["x-robots-tag", "meta-robots"], ["ai-training"], True),
        _rule("AIO-013", ["content-usage"], ["ai-training", "tdm"], True),
        _rule("AIO-014", ["content-signal"], ["ai-training"], True),
        _rule("AIO-015", ["legal-notice"], ["ai-training", "tdm"], False, "low"),
        _RSL,
        _NOTICE_SCRAPING,
    ),
    "ai-inference": (
        _rule("AIO-017", ["robots-ai-intent", "content-usage", "content-signal", "x-robots-tag", "meta-robots",
                          "tdmrep"], ["ai-inference"], True),
        _RSL,
        _NOTICE_SCRAPING,
    ),
    "search-indexing": (
        _rule("AIO-018", ["content-usage", "content-signal"], ["search"], True),
        _NOTICE_SCRAPING,
    ),
}
_DEFAULT_RULES: tuple[OptOutRule, ...] = (_NOTICE_SCRAPING,)

#: Opt-out kinds read from robots.txt itself; recorded copies of them are ignored (they are recomputed).
ROBOTS_KINDS = frozenset({"robots-ai-agent", "robots-ai-intent", "legal-notice"})


@dataclass(frozen=True, slots=True)
class OptOutSignal:
    """One opt-out signal, as the decision core reads it (a plain copy of ``signals.model.OptOut``).

    ``path`` limits it to URLs whose path (and query) match a robots-style pattern (``*``, final ``$``) and
    none of the ``unless`` patterns; None means the whole origin.
    """

    kind: str
    scopes: tuple[str, ...]
    value: str
    where: str
    line: Optional[int] = None
    confidence: str = "high"
    path: Optional[str] = None
    #: Patterns that take precedence: a path matching one of them is not covered (TDMRep: an earlier rule
    #: whose location matches decides instead).
    unless: tuple[str, ...] = ()

    @classmethod
    def of(cls, opt_out: Any, path: Optional[str] = None) -> "OptOutSignal":
        """Copy any object with the attributes of ``signals.model.OptOut`` (pydantic or not)."""
        return cls(str(opt_out.kind), tuple(opt_out.scopes), str(opt_out.value), str(opt_out.where),
                   opt_out.line, str(getattr(opt_out, "confidence", "high")), path)


def _matches(rule: OptOutRule, signal: OptOutSignal) -> bool:
    if signal.kind not in rule.kinds:
        return False
    if rule.scopes is not None and not rule.scopes.intersection(signal.scopes):
        return False
    return rule.min_confidence == "low" or signal.confidence == "high"


def opt_out_reasons(signals: Iterable[OptOutSignal], purpose: str) -> list[Reason]:
    """Reasons the opt-out ``signals`` give for ``purpose``: blocking ones first, one per (rule, signal)."""
    rules = PURPOSE_RULES.get(purpose, _DEFAULT_RULES)
    found: list[Reason] = []
    for signal in signals:
        for rule in rules:
            if _matches(rule, signal):
                what = "refuses" if rule.blocking else "notes"
                where = f"{signal.where}, line {signal.line}" if signal.line else signal.where
                found.append(Reason(rule.rule_id, f"{purpose} {what}: {signal.kind} '{signal.value}' at {where}",
                                    rule.blocking, signal.line, signal.value, signal.kind, signal.where))
                break
    found.sort(key=lambda r: not r.blocking)
    return found


def path_pattern(pattern: str) -> Callable[[str], bool]:
    """A robots-style path pattern (prefix match, ``*`` any run, final ``$`` end) as a predicate on paths, matched
    in linear time (a site's TDMRep location ``/*a*a...*b`` as a regular expression never ended)."""
    return lambda path: path_matches(path, pattern)


def path_scope(signal: OptOutSignal) -> Callable[[str], bool]:
    """The predicate on paths of a path-limited signal: its ``path`` matches and none of its ``unless``."""
    match = path_pattern(signal.path or "/")
    if not signal.unless:
        return match
    earlier = [path_pattern(p) for p in signal.unless]
    return lambda path: match(path) and not any(e(path) for e in earlier)


_TDM_LOCATION = re.compile(r"location (\S+): tdm-reservation")


def _tdmrep_rule_signals(target: Any) -> tuple[Optional[str], list[OptOutSignal]]:
    """(the tdmrep.json URL, one signal per reserving rule) when the signals hold the file's rules (``scrapecheck
    fetch`` and the Guard's fetch keep them with the ``tdmrep`` record); (None, []) otherwise. Each URL is then
    judged by the first rule whose location matches its own path, as the TDMRep spec asks."""
    for record in getattr(target, "pages", None) or ():
        if not isinstance(record, dict) or record.get("kind") != "tdmrep" or not isinstance(record.get("rules"), list):
            continue
        rules = record["rules"]
        if not all(isinstance(r, dict) and isinstance(r.get("location"), str) and r.get("tdm-reservation") in (0, 1)
                   and not isinstance(r.get("tdm-reservation"), bool) for r in rules):
            return None, []  # not as fetch writes them: fall back on the recorded opt-outs
        from ..signals.pages import tdmrep_value

        where = str(record.get("url"))
        found = [OptOutSignal("tdmrep", ("tdm", "ai-training"), tdmrep_value(rule), where, path=str(rule["location"]),
                              unless=tuple(str(r["location"]) for r in rules[:i]))
                 for i, rule in enumerate(rules) if rule["tdm-reservation"] == 1]
        return where, found
    return None, []


def robots_octets(signal: Any) -> Union[str, bytes, None]:
    """What robots.txt rules are matched on: the body's exact octets (issue 10, "bytes end to end"). ``body`` is
    text for people, with invalid UTF-8 replaced; when it is not the exact body, the signal also keeps
    ``body_base64``: then its ``raw`` bytes are matched (``Disallow: /caf\\xe9`` must match "/caf%E9")."""
    if getattr(signal, "body_base64", None) is not None:
        return signal.raw  # type: ignore[no-any-return]
    return signal.body  # type: ignore[no-any-return]


def _recorded_path(opt_out: Any, robots_url: str) -> Optional[str]:
    """Where a recorded (page or TDMRep) opt-out applies: a TDMRep rule's location, a page's exact path."""
    where = str(opt_out.where)
    if where.endswith("/.well-known/tdmrep.json"):
        m = _TDM_LOCATION.search(str(opt_out.value))
        return m.group(1) if m else None
    if where == robots_url or "://" not in where:
        return None
    from .._url import path_and_query

    return path_and_query(where) + "$"


def recorded_opt_outs(target: Any, robots_url: str) -> list[OptOutSignal]:
    """The site-level opt-outs recorded for an origin outside its robots.txt (pages, TDMRep), each limited to
    where it applies; robots.txt's own are left out (they are read from the body). Shared by the Guard and the
    dataset audit, so both read a signals entry the same way."""
    tdmrep_url, tdmrep = _tdmrep_rule_signals(target)
    opt_outs = [OptOutSignal.of(o, _recorded_path(o, robots_url)) for o in (target.opt_outs or ())
                if not (o.kind in ROBOTS_KINDS or str(o.where) == robots_url
                        or (o.kind == "tdmrep" and str(o.where) == tdmrep_url))]
    return opt_outs + tdmrep


def preference_path(opt_out: Any) -> Optional[str]:
    """A Content-Usage / Content-Signal line may start with a path it is limited to (aipref)."""
    if opt_out.kind not in ("content-usage", "content-signal"):
        return None
    value = str(opt_out.value).split(":", 1)[-1].strip()
    return value.split(None, 1)[0] if value.startswith("/") else None


class _ViaPolicy:
    """``check``/``decide`` through the policy's public methods (used if it offers no per-agent matcher)."""

    __slots__ = ("check", "decide")

    def __init__(self, policy: RobotsPolicy, user_agent: str) -> None:
        is_allowed, explain = policy.is_allowed, policy.explain

        def decide(url: str) -> tuple[bool, Any]:
            verdict = explain(user_agent, url)
            return verdict.allowed, verdict.rule

        self.check: Callable[[str], bool] = lambda url: is_allowed(user_agent, url)
        self.decide = decide


def _matcher(policy: RobotsPolicy, user_agent: str) -> Any:
    """The policy's per-agent matcher (``check(url) -> bool``, ``decide(url) -> (allowed, rule)``), answering as
    ``is_allowed`` and ``explain`` do; a wrapper of those two where the policy offers none."""
    matcher = getattr(policy, "matcher", None)
    if matcher is not None:
        return matcher(user_agent)
    return _ViaPolicy(policy, user_agent)


_PREFERENCE_KEYS = frozenset({"content-usage", "content-signal", "license"})
_DELAY_KEYS = frozenset({"crawl-delay", "request-rate"})
#: Plans are built under one of these locks (by origin): an origin's plan once, without a lock per origin.
_PLAN_LOCKS = tuple(threading.Lock() for _ in range(16))
#: Makes a plan's table of full decisions (see _Answers.decided), on its first decision read in full.
_DECIDED_LOCK = threading.Lock()
#: The key of the first plan built last (any origin): an origin whose first plan has an equal key keeps this tuple
#: (the origins a Guard loads all have its agent and purpose: one tuple for them all, not one each).
_LAST_KEY: list[Optional[tuple[str, str, bool]]] = [None]


class BodyCache:
    """Parsed robots.txt bodies shared by the origins that serve the same text (CMS defaults, hosting
    platforms): from the second origin serving a body on, its parse (and each agent's rule set) is reused.
    A body seen once is only remembered, not kept parsed, so unique files cost no memory here. Both tables
    are bounded (the oldest leave first). Thread-safe enough: a race parses a body twice, to equal results."""

    __slots__ = ("_limit", "_policies", "_seen", "_seen_limit")

    def __init__(self, limit: int = 256, seen: int = 10_000) -> None:
        self._limit = max(1, limit)
        self._policies: dict[Union[str, bytes], RobotsPolicy] = {}
        self._seen: dict[Union[str, bytes], None] = {}
        self._seen_limit = max(1, seen)

    def parse(self, body: Union[str, bytes]) -> RobotsPolicy:
        policy = self._policies.get(body)
        if policy is not None:
            return policy
        policy = RobotsPolicy.parse(body)
        if body in self._seen:
            _put(self._policies, body, policy, self._limit)
        else:
            _put(self._seen, body, None, self._seen_limit)
        return policy

    def __len__(self) -> int:
        return len(self._policies)


def _put(table: dict[Any, Any], key: Any, value: Any, limit: int) -> None:
    if len(table) >= limit:
        try:
            del table[next(iter(table))]
        except (StopIteration, KeyError, RuntimeError):  # emptied or changed by another thread
            pass
    table[key] = value


def _mentions(body: Union[str, bytes, None], words: tuple[str, ...]) -> bool:
    """Does ``body`` contain one of ``words`` (lower-case ASCII), in any case? A cheap, exact negative test: a
    record whose key is one of them cannot be in a file that does not contain it, so the parse's full reading
    (every record, every comment) is asked for only when it can find something."""
    if body is None:
        return False
    if isinstance(body, (bytes, bytearray)):
        low = bytes(body).lower()
        return any(w.encode() in low for w in words)
    low_text = body.lower()
    return any(w in low_text for w in words)


#: The longest interval between requests a site gets (a day): its robots.txt is read again within a day anyway
#: (RFC 9309 2.4), and a wait such as "Crawl-delay: 1e308" is one that ``time.sleep`` refuses (OverflowError) and
#: Scrapy's scheduler never ends.
MAX_DELAY = 24 * 3600.0


def _delay(policy: Optional[RobotsPolicy], user_agent: str) -> float:
    if policy is None or not any(k in _DELAY_KEYS for _, k, _ in policy.extensions):
        return 0.0
    delay = policy.crawl_delay(user_agent) or 0.0
    rate = policy.request_rate(user_agent)
    if rate is not None:
        delay = max(delay, rate[1] / rate[0])
    return min(delay, MAX_DELAY)


class Plan:
    """How one origin answers one agent and purpose (built once, see :meth:`OriginRules.plan`).

    ``decide(url)`` gives the full decision. The hot path may instead use ``matcher`` (None when there is no
    rule to match): ``matcher.check(url)`` true means ``ok``; false means a refusal that ``site.resolve(url)``
    works out (the Guard hands it out deferred). ``ok`` itself may be deferred (its notes are read on first
    look). ``matcher`` is None whenever ``decide`` must see every URL (path-limited opt-outs, no robots rules).
    ``constant``: every URL gets ``ok`` (equal to what ``decide`` gives), which may then be a refusal (robots.txt
    unreachable): no rules to match, nothing limited to a path.
    """

    __slots__ = ("decide", "matcher", "ok", "site", "delay", "constant")

    def __init__(self, decide: Callable[[str], Decision], matcher: Any, ok: Optional[Decision],
                 site: Optional[Site], delay: float, constant: bool = False) -> None:
        self.decide = decide
        self.matcher = matcher
        self.ok = ok
        self.site = site
        self.delay = delay
        self.constant = constant


class OriginRules:
    """Everything one origin says about being crawled, compiled once. See the module docstring."""

    __slots__ = ("origin", "robots", "opt_outs", "_body", "_parse", "_policy", "_plan_key", "_plan", "_plans", "_parts")

    def __init__(self, origin: str, robots: RobotsFetch, body: Union[str, bytes, None] = None,
                 opt_outs: Sequence[OptOutSignal] = (), *,
                 parse: Callable[[Union[str, bytes]], RobotsPolicy] = RobotsPolicy.parse) -> None:
        self.origin = origin
        self.robots = robots
        self.opt_outs = tuple(opt_outs)
        # The body, not its parse, is what is kept: a plan keeps only the agent's matcher and what it read, so
        # a cached origin does not hold the whole parsed file (every line, every group) for its lifetime.
        self._body = body if robots.outcome == "success" and body else None
        self._parse = parse
        self._policy: Optional[RobotsPolicy] = None
        # The first plan built, by its key (the one a Guard builds), then any other in ``_plans``; the parts read
        # (see _part). Both dicts are made when first needed: most origins never need them (a few hundred bytes each).
        self._plan_key: Optional[tuple[str, str, bool]] = None
        self._plan: Optional[Plan] = None
        self._plans: Optional[dict[tuple[str, str, bool], Plan]] = None
        self._parts: Optional[dict[str, tuple[OptOutSignal, ...]]] = None

    @property
    def policy(self) -> Optional[RobotsPolicy]:
        """The parsed robots.txt, None unless it was read (parsed on first use here, then kept)."""
        if self._policy is None and self._body is not None:
            self._policy = self._parse(self._body)
        return self._policy

    def _parsed(self) -> Optional[RobotsPolicy]:
        """The parsed robots.txt for building a plan, without keeping it (unless it is kept already)."""
        if self._policy is not None or self._body is None:
            return self._policy
        return self._parse(self._body)

    def __repr__(self) -> str:
        return f"<OriginRules {self.origin} robots={self.robots.outcome} opt_outs={len(self.opt_outs)}>"

    @classmethod
    def from_signals(cls, target: Any, source: str = "recorded", *,
                     parse: Callable[[Union[str, bytes]], RobotsPolicy] = RobotsPolicy.parse) -> "OriginRules":
        """From one origin's signals (a ``signals.model.TargetSignals``, read by attribute): recorded in a
        signals file, or just fetched (``source="fetched"``). ``parse`` reads robots.txt bodies (a
        :meth:`BodyCache.parse` shares them between origins).

        No robots signal recorded reads as unreachable (fail closed), detail ``not-recorded``.
        """
        origin = str(target.origin)
        signal = target.robots
        if signal is None:
            fetch = RobotsFetch("unreachable", None, "not-recorded", f"{origin}/robots.txt", "recorded",
                                "robots.txt was not recorded for this origin")
            return cls(origin, fetch)
        detail = str(signal.outcome)
        fetch = RobotsFetch(RFC_9309_OUTCOME.get(detail, "unreachable"), signal.status, detail, str(signal.url),
                            "fetched" if source == "fetched" else "recorded", signal.error)
        return cls(origin, fetch, robots_octets(signal) if detail == "ok" else None,
                   recorded_opt_outs(target, fetch.url), parse=parse)

    # ------------------------------------------------------------------ what robots.txt says besides rules
    def _part(self, name: str, token: str, policy: Any = None) -> tuple[OptOutSignal, ...]:
        """One part of what robots.txt says towards ``token`` besides its rules, read once and only when asked:
        ``agents`` (AI crawlers blocked), ``lines`` (Content-Usage / Content-Signal / License lines),
        ``notices`` (legal notices in comments). Each is skipped outright when the file has nothing it reads.
        ``policy`` is the parse to read (default :attr:`policy`)."""
        key = f"{name}\0{token}"
        parts = self._parts
        found = None if parts is None else parts.get(key)
        if found is not None:
            return found
        if policy is None:
            policy = self.policy
        if policy is None:
            found = ()
        elif name == "agents" and not policy.groups:
            found = ()
        elif name == "lines" and not any(k in _PREFERENCE_KEYS for _, k, _ in policy.extensions):
            found = ()
        elif name == "notices" and not policy.comments:
            found = ()
        else:
            from ..signals import optouts  # deferred: it builds pydantic models

            url = self.robots.url
            if name == "agents":
                raw = optouts._agent_opt_outs(policy, token, url)  # noqa: SLF001 - the signals step's reading
            elif name == "lines":
                raw = optouts._extension_opt_outs(policy, token, url)  # noqa: SLF001
            else:
                raw = optouts._notice_opt_outs(policy, url)  # noqa: SLF001
            found = tuple(OptOutSignal.of(o, preference_path(o)) for o in raw)
        if parts is None:
            parts = self._parts = self._parts or {}  # (a race may lose a reading: read again, to an equal value)
        parts[key] = found
        return found

    def robots_opt_outs(self, user_agent: str, *, agents: bool = True) -> tuple[OptOutSignal, ...]:
        """Opt-outs written in robots.txt towards ``user_agent``'s product token (each part read once).

        ``agents=False`` leaves out what the AI-crawler groups say (``robots-ai-agent``/``robots-ai-intent``),
        which only AI purposes read and which costs a rule set per AI crawler named in the file.
        """
        token = product_token(user_agent)
        return ((self._part("agents", token) if agents else ()) + self._part("lines", token)
                + self._part("notices", token))

    def delay(self, user_agent: str) -> float:
        """Seconds between two requests the site asks of ``user_agent``: the larger of Crawl-delay and Request-rate's
        interval, at most :data:`MAX_DELAY`; 0 when robots.txt says neither (or was not read)."""
        return _delay(self.policy, user_agent)

    # ------------------------------------------------------------------ deciding
    def decide(self, url: str, user_agent: str, purpose: str, *, respect_ai_optouts: bool = True) -> Decision:
        """The decision for ``url`` (a URL of this origin), in full. See :meth:`plan`."""
        return self.plan(user_agent, purpose, respect_ai_optouts=respect_ai_optouts).decide(url)

    def decider(self, user_agent: str, purpose: str, *, respect_ai_optouts: bool = True) -> Callable[[str], Decision]:
        """A callable ``url -> Decision`` for one agent and purpose, built once and kept (thread-safe)."""
        return self.plan(user_agent, purpose, respect_ai_optouts=respect_ai_optouts).decide

    def plan(self, user_agent: str, purpose: str, *, respect_ai_optouts: bool = True) -> Plan:
        """How this origin answers one agent and purpose (:class:`Plan`), built once and kept (thread-safe)."""
        key = (user_agent, purpose, respect_ai_optouts)
        if self._plan_key == key:
            return self._plan  # type: ignore[return-value]  # set before its key
        plans = self._plans
        plan = None if plans is None else plans.get(key)
        if plan is None:
            with _PLAN_LOCKS[hash(self.origin) % len(_PLAN_LOCKS)]:
                if self._plan_key == key:
                    return self._plan  # type: ignore[return-value]
                plans = self._plans
                plan = None if plans is None else plans.get(key)
                if plan is None:
                    plan = self._build(user_agent, purpose, respect_ai_optouts)
                    if self._plan_key is None:
                        self._plan = plan
                        last = _LAST_KEY[0]
                        self._plan_key = _LAST_KEY[0] = last if last == key else key
                    else:
                        if plans is None:
                            plans = self._plans = {}
                        plans[key] = plan
        return plan

    def fast_path(self, user_agent: str, purpose: str, *,
                  respect_ai_optouts: bool = True) -> Optional[tuple[Any, Decision]]:
        """``(matcher, decision)`` when every URL that ``matcher.check(url)`` allows gets ``decision``; None
        otherwise."""
        plan = self.plan(user_agent, purpose, respect_ai_optouts=respect_ai_optouts)
        return None if plan.matcher is None else (plan.matcher, plan.ok)  # type: ignore[return-value]

    def _notes(self) -> list[Reason]:
        robots = self.robots
        if robots.detail == "refused":
            return [Reason("ROB-050", f"robots.txt refused (HTTP {robots.status}): RFC 9309 reads it as no rules, "
                                      "but the site refuses automated access to it", False, source=robots.url)]
        if robots.detail == "html":
            return [Reason("ROB-052", "robots.txt is an HTML page, not rules: read as no rules", False,
                           source=robots.url)]
        if robots.detail == "not-found" and robots.error:
            return [Reason("ROB-000", f"robots.txt not reached ({robots.error}): read as unavailable (RFC 9309 "
                                      "2.3.1.2)", False, source=robots.url)]
        return []

    def _build(self, user_agent: str, purpose: str, respect: bool) -> Plan:
        token = product_token(user_agent)
        robots = self.robots

        if robots.outcome == "unreachable":
            if robots.detail == "not-recorded":
                reason = Reason("ROB-000", f"robots.txt of {self.origin} is not in the recorded signals: "
                                           "nothing may be fetched until it is known", source=robots.url)
            else:
                why = robots.error or (f"HTTP {robots.status}" if robots.status else robots.detail)
                reason = Reason("ROB-051", f"robots.txt unreachable ({why}): RFC 9309 2.3.1.4, complete disallow",
                                source=robots.url)
            refusal = Decision(False, (reason,), 0.0, robots, token, purpose)
            return Plan(lambda url: refusal, None, refusal, Site(0.0, robots, token, purpose, lambda at: refusal), 0.0,
                        True)

        policy = self._parsed()  # used while building; the plan keeps the matcher and what it read, not the parse
        body = self._body
        delay = _delay(policy, user_agent) if _mentions(body, tuple(_DELAY_KEYS)) else 0.0
        rules = PURPOSE_RULES.get(purpose, _DEFAULT_RULES)
        reads_agents = any(kind in rule.kinds for rule in rules for kind in ("robots-ai-agent", "robots-ai-intent"))
        # Read now: what can refuse (and any path-limited signal). Notices in comments only ever note
        # (low confidence), so they are read when a decision's reasons are first looked at (from a fresh parse of
        # the body kept: the plan does not keep the parse). Each reading is skipped when the body cannot hold it.
        lines = self._part("lines", token, policy) if _mentions(body, tuple(_PREFERENCE_KEYS)) else ()
        in_robots = ((self._part("agents", token, policy) if reads_agents else ()) + lines if respect else ())
        eager = in_robots + self.opt_outs if respect else ()
        notices_pending = respect and policy is not None and _mentions(body, ("#",))
        site_now = opt_out_reasons([s for s in eager if s.path is None], purpose)
        site_allowed = not any(r.blocking for r in site_now)
        scoped = [(path_scope(s), s) for s in eager if s.path is not None]
        scoped = [(match, s) for match, s in scoped if opt_out_reasons([s], purpose)]
        answers = _Answers.__new__(_Answers)
        answers.rules, answers.token, answers.purpose, answers.robots = self, token, purpose, robots
        answers.delay_seconds = delay
        answers.notes, answers.site_now, answers.in_robots = tuple(self._notes()), tuple(site_now), in_robots
        answers.notices_pending, answers.site_all, answers.decided = notices_pending, None, None
        answers.matcher = matcher = None if policy is None else _matcher(policy, user_agent)
        del policy
        site = answers
        ok = deferred(site_allowed, site, None) if notices_pending else answers.allowed_decision()

        if not scoped:
            if matcher is None:
                full = answers.allowed_decision()
                return Plan(lambda url: full, None, ok, site, delay, True)
            return Plan(answers.decide, matcher, ok, site, delay)

        from .._url import path_and_query

        answers.scoped, answers.by_matches, answers.path_of = scoped, {}, path_and_query
        return Plan(answers.decide_scoped, None, ok, site, delay)


class _Answers(Site):
    """The decisions of one :class:`Plan` (see ``OriginRules._build``), made on first need and kept, and its
    :class:`Site` (``resolve`` is a method here: the slot of that name is left unset). Its bound methods are the
    plan's ``decide``; one object per plan, where closures over the plan's values cost a function, a tuple of cells
    and a cell per value (bench_guard: ~2.5 KB a cached origin)."""

    __slots__ = ("rules", "notes", "site_now", "in_robots", "notices_pending", "site_all", "decided", "matcher",
                 "scoped", "by_matches", "path_of")
    rules: OriginRules
    notes: tuple[Reason, ...]
    site_now: tuple[Reason, ...]
    in_robots: tuple[OptOutSignal, ...]
    notices_pending: bool
    #: The site-level reasons in full (with the notices in comments, read on first need), None until then.
    site_all: Optional[tuple[Reason, ...]]
    #: The full decisions made so far: the refusal by each deciding rule (by its id(): rules live as long as the
    #: policy, and id() spares hashing them) and, under None, the one for allowed URLs.
    decided: Optional[dict[Optional[int], Decision]]
    matcher: Any
    scoped: list[tuple[Callable[[str], bool], OptOutSignal]]
    by_matches: dict[tuple[Any, tuple[int, ...]], Decision]
    path_of: Callable[[str], str]

    def site_reasons(self) -> tuple[Reason, ...]:
        found = self.site_all
        if found is None:  # a race computes it twice, to equal values
            found = self.site_now
            if self.notices_pending:
                rules = self.rules
                every = (self.in_robots + rules._part("notices", self.token, rules._parsed())
                         + rules.opt_outs)  # the full reading's order
                found = tuple(opt_out_reasons([s for s in every if s.path is None], self.purpose))
            self.site_all = found
        return found

    def make(self, rule_reason: Optional[Reason], extra: Sequence[Reason] = ()) -> Decision:
        reasons = [rule_reason] if rule_reason is not None else []
        reasons += self.site_reasons()
        reasons += extra
        reasons += self.notes
        reasons.sort(key=lambda r: not r.blocking)
        return Decision(not any(r.blocking for r in reasons), tuple(reasons), self.delay_seconds, self.robots,
                        self.token, self.purpose)

    def allowed_decision(self) -> Decision:
        decided = self.decided
        full = None if decided is None else decided.get(None)
        if full is None:  # a race makes it twice: the first one kept is every caller's
            full = self._decided().setdefault(None, self.make(None))
        return full

    def _decided(self) -> dict[Optional[int], Decision]:
        """:attr:`decided`, made on first need (most plans of a Guard's origins have their allowed decision deferred,
        and a refusal's reasons are read for few of them)."""
        decided = self.decided
        if decided is None:
            with _DECIDED_LOCK:
                decided = self.decided
                if decided is None:
                    decided = self.decided = {}
        return decided

    def refused(self, url: str) -> Decision:
        return self.refused_by(self.matcher.decide(url)[1])

    def refused_by(self, rule: Any) -> Decision:
        decided = self.decided
        hit = None if decided is None else decided.get(id(rule))
        if hit is None:
            text = rule.text if rule is not None else "Disallow: /"
            line = rule.line if rule is not None else None
            robots = self.robots
            reason = Reason("ROB-001", f"robots.txt disallows this URL for {self.token}: line {line}: {text}",
                            True, line, text, source=robots.url)
            hit = self._decided()[id(rule)] = self.make(reason)
        return hit

    def resolve(self, at: Optional[str]) -> Decision:  # type: ignore[override]
        # ``at``: None (allowed), an absolute URL, or the path after a plain authority (the Guard's hot path
        # keeps what it gave to check_path; no URL the Guard takes starts with "/").
        if at is None:
            return self.allowed_decision()
        return self.refused_by(self.matcher.decide_path(at)[1]) if at[:1] == "/" else self.refused(at)

    def decide(self, url: str) -> Decision:
        if self.matcher.check(url):
            return self.allowed_decision()
        return self.refused(url)

    def decide_scoped(self, url: str) -> Decision:
        path = self.path_of(url)
        scoped = self.scoped
        hits = tuple(i for i, (match, _) in enumerate(scoped) if match(path))
        matcher = self.matcher
        if matcher is None or matcher.check(url):
            base, rule = self.allowed_decision(), None
        else:
            base = self.refused(url)
            rule = base.reasons[0]
        if not hits:
            return base
        key = (rule, hits)
        hit = self.by_matches.get(key)
        if hit is None:
            extra = opt_out_reasons([scoped[i][1] for i in hits], self.purpose)
            hit = self.by_matches[key] = self.make(rule, extra)
        return hit


__all__ = ["PURPOSES", "PURPOSE_RULES", "BodyCache", "OptOutRule", "OptOutSignal", "OriginRules", "Plan",
           "opt_out_reasons", "path_pattern", "path_scope", "preference_path", "recorded_opt_outs", "robots_octets"]
