"""Collect what sites say about being crawled: the entry points over :mod:`.client` and :mod:`.interpret`.

- :func:`fetch_origin`: robots.txt and the site-level signals (``/.well-known/tdmrep.json``, optionally some
  pages) of ONE origin, with a caller-owned :class:`~.cache.SignalsCache`. This is what a Guard calls.
- :func:`fetch_robots`: robots.txt alone (``scrapecheck robots URL``), never cached.
- :func:`collect`: every origin of a plan, concurrently (``scrapecheck fetch``, ``evaluate``).

robots.txt follows RFC 9309 §2.3 (see :mod:`.interpret` for the table). Start pages are fetched only when
robots.txt allows them and never with their query string (``/admin/delete?id=42`` is requested as
``/admin/delete``): the signals need headers and meta tags, not the effect of a query. Every failure becomes an
outcome and a ``problems`` entry; only misuse raises (:class:`~scrapecheck.errors.InputError` for a bad URL or
User-Agent, :class:`~scrapecheck.errors.SignalError` for an origin not in the plan).
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Callable, Iterable, Optional, Sequence
from urllib.parse import urlsplit, urlunsplit

from .._url import Origin, parse_origin, path_and_query
from .._url import origin as url_origin
from .._version import __version__
from ..errors import SignalError
from ..plan import CrawlPlan, Target
from ..robots import RobotsPolicy, product_token
from . import registry
from .cache import SignalsCache
from .client import HttpClient, Response, now_iso
from .config import RFC_9309_CACHE_LIMIT, ROBOTS_MAX_BYTES, FetchConfig, check_user_agent
from .interpret import interpret_robots, looks_binary, looks_html
from .model import OptOut, RobotsSignal, Signals, TargetSignals
from .pages import decode_page, from_headers, html_opt_outs, tdmrep_opt_outs, tdmrep_rules
from .registry import CollectContext

_ROBOTS_ACCEPT = "text/plain, */*;q=0.5"
_PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_JSON_ACCEPT = "application/json, */*;q=0.5"

FetchCache = SignalsCache
"""The name this cache had before it was a caller-owned object (kept for existing callers)."""


def _dedupe(opt_outs: list[OptOut]) -> list[OptOut]:
    seen: set[tuple[str, str, str, Optional[int]]] = set()
    unique = []
    for opt_out in opt_outs:
        key = (opt_out.kind, opt_out.value, opt_out.where, opt_out.line)
        if key not in seen:
            seen.add(key)
            unique.append(opt_out)
    return unique


def _without_query(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))


def _unread(response: Response) -> bool:
    return response.error is not None or response.status is None or response.status == 429 or response.status >= 500


def _no_file(response: Response) -> bool:
    """An empty answer or an HTML page (a soft 404) where a JSON file was asked for: there is no such file."""
    return not response.body.strip() or looks_html(response.body, response.content_type)


def _robots(client: HttpClient, origin: Origin, deadline: float) -> tuple[RobotsSignal, list[str]]:
    fetched = client.get(origin.url("/robots.txt"), client.config.max_robots_bytes, _ROBOTS_ACCEPT,
                         deadline=deadline)
    return interpret_robots(fetched)


def _collect_origin(client: HttpClient, origin: Origin, pages: Sequence[str], paths: Sequence[str],
                    token: str) -> TargetSignals:
    config = client.config
    deadline = time.monotonic() + config.origin_timeout
    key = str(origin)
    robots, problems = _robots(client, origin, deadline)
    if not config.fetch_pages:
        return TargetSignals(origin=key, robots=robots, opt_outs=None, problems=problems)

    policy = RobotsPolicy.parse(robots.effective_rules)
    records: list[dict[str, object]] = []
    found: list[OptOut] = []
    complete = True
    for url in dict.fromkeys(_without_query(page) for page in pages):
        if not policy.is_allowed(token, path_and_query(url)):
            complete = False
            problems.append(f"start page {url} not fetched: robots.txt disallows it for {token}; "
                            "its headers and meta tags are unknown")
            continue
        page = client.get(url, config.max_page_bytes, _PAGE_ACCEPT, deadline=deadline)
        records.append(page.record("page"))
        problems.extend(f"{url}: {note}" for note in page.notes)
        if _unread(page):
            complete = False
            problems.append(f"start page {url} not read ({page.error or f'HTTP {page.status}'}): "
                            "its headers and meta tags are unknown")
            continue
        assert page.status is not None
        if not 200 <= page.status < 300:
            problems.append(f"start page {url} answered HTTP {page.status}: no page-level opt-outs read")
            continue
        found.extend(from_headers(page.headers, page.final_url, token))
        text = decode_page(page.body, page.content_type)
        if "html" in page.content_type or looks_html(page.body) or looks_html(text[:4096].encode("utf-8", "replace")):
            found.extend(html_opt_outs(page.body, text, page.final_url, token))

    tdmrep_url = origin.url("/.well-known/tdmrep.json")
    tdmrep = client.get(tdmrep_url, config.max_tdmrep_bytes, _JSON_ACCEPT, deadline=deadline)
    tdmrep_record = tdmrep.record("tdmrep")
    records.append(tdmrep_record)
    if _unread(tdmrep):
        complete = False
        problems.append(f"{tdmrep_url} not read ({tdmrep.error or f'HTTP {tdmrep.status}'}): TDMRep rules unknown")
    elif tdmrep.status is not None and 200 <= tdmrep.status < 300:
        rules, tdm_problems = tdmrep_rules(tdmrep.body, tdmrep_url)
        found.extend(tdmrep_opt_outs(rules, tdmrep_url, sorted(set(paths))))
        # The rules themselves, in file order: a Guard judges each URL's own path by them (first match decides).
        tdmrep_record["rules"] = rules
        problems.extend(tdm_problems)
        if tdmrep.truncated:
            problems.append(f"{tdmrep_url} larger than {config.max_tdmrep_bytes} bytes: not read whole")
        if (tdm_problems or tdmrep.truncated) and not _no_file(tdmrep):
            # A file that may reserve what it could not be read for: undecided, as when it could not be fetched.
            complete = False
            problems.append(f"{tdmrep_url} not read whole: TDMRep rules unknown")

    extra: dict[str, list[OptOut]] = {}
    for spec in registry.SIGNALS:  # signals registered beyond robots and pages
        if spec.collect is None:
            continue
        context = CollectContext(origin=key, base_url=origin.url(""), robots_policy=policy, token=token,
                                 pages=tuple(pages), paths=tuple(paths),
                                 get=lambda url, cap, accept: client.get(url, cap, accept, deadline=deadline))
        result = spec.collect(context)
        problems.extend(context.problems)
        records.extend(context.records)
        if result is not None:
            extra[spec.name] = result

    found = _dedupe(found)
    return TargetSignals(origin=key, robots=robots, opt_outs=found if (found or complete) else None,
                         pages=records, problems=problems, extra=extra)


def _safe_collect(client: HttpClient, origin: Origin, pages: Sequence[str], paths: Sequence[str],
                  token: str) -> TargetSignals:
    try:
        return _collect_origin(client, origin, pages, paths, token)
    except Exception as exc:  # noqa: BLE001 - collecting never raises for what a site does; record it instead
        message = f"internal error while collecting {origin}: {type(exc).__name__}: {exc}"
        robots = RobotsSignal(url=origin.url("/robots.txt"), origin="fetched", outcome="unreachable",
                              fetched_at=now_iso(), error=message)
        return TargetSignals(origin=str(origin), robots=robots, opt_outs=None, problems=[message])


def _ttl(config: FetchConfig) -> Callable[[TargetSignals], float]:
    def ttl(signals: TargetSignals) -> float:
        failed = signals.robots is None or signals.robots.outcome == "unreachable"
        return min(config.cache_ttl, config.failure_cache_ttl) if failed else config.cache_ttl
    return ttl


def _strings(name: str, values: object) -> tuple[str, ...]:
    """``values`` as a tuple of strings; a TypeError naming ``name`` for one string (read letter by letter, it
    would name one-letter paths) or anything else that is not an iterable of strings."""
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        raise TypeError(f"{name} must be a list of strings, not one {type(values).__name__}")
    values = tuple(values)
    for value in values:
        if not isinstance(value, str):
            raise TypeError(f"{name} must be a list of strings; it holds a {type(value).__name__}: {value!r}")
    return values


def _config(config: Optional[FetchConfig]) -> FetchConfig:
    if config is None:
        return FetchConfig()
    if not isinstance(config, FetchConfig):
        raise TypeError(f"config must be a FetchConfig, not {type(config).__name__}")
    return config


def robots_origin(origin_or_url: str) -> str:
    """The origin (``scheme://host[:port]``, default port dropped) whose robots.txt governs an http(s) URL.

    A malformed URL, a bad port, no host, or a scheme other than http(s) is an
    :class:`~scrapecheck.errors.InputError` naming the URL.
    """
    return url_origin(origin_or_url)


def fetch_origin(origin_or_url: str, *, user_agent: str, config: Optional[FetchConfig] = None,
                 cache: Optional[SignalsCache[TargetSignals]] = None, pages: Iterable[str] = (),
                 paths: Iterable[str] = ("/",)) -> TargetSignals:
    """robots.txt and the site-level signals of the origin of ``origin_or_url``, fetched once per ``cache`` TTL.

    This is the entry point for per-request checking (the Guard): one origin, a frozen ``config``, and a cache
    the caller owns (none: no caching). It fetches ``/robots.txt`` (RFC 9309 outcome in ``robots.outcome`` and
    ``robots.rfc9309``) and, when ``config.fetch_pages``, ``/.well-known/tdmrep.json`` (rules applying to
    ``paths`` become opt-outs) and the ``pages`` given (headers and meta tags; never with their query).
    Concurrent calls for one key share a single fetch. A bad URL or User-Agent raises InputError; nothing
    a site or the network does raises.
    """
    config = _config(config)
    agent = check_user_agent(config.user_agent or user_agent)
    origin = parse_origin(origin_or_url)
    page_list = tuple(dict.fromkeys(_strings("pages", pages)))
    for page in page_list:
        if parse_origin(page) != origin:
            raise SignalError(page, f"is not on the origin {origin}")
    path_list = tuple(sorted(set(_strings("paths", paths))))
    client = HttpClient(config, agent)

    def fetch() -> TargetSignals:
        return _safe_collect(client, origin, page_list, path_list, product_token(agent))

    if cache is None or config.cache_ttl <= 0:
        return fetch()
    key = (str(origin), agent, config.fetch_pages, config.allow_private_networks, page_list, path_list)
    return cache.get_or_fetch(key, fetch, _ttl(config))


def fetch_robots(origin_or_url: str, *, user_agent: str, config: Optional[FetchConfig] = None) -> TargetSignals:
    """Fetch the robots.txt that governs ``origin_or_url`` exactly as :func:`collect` does, and nothing else.

    Same RFC 9309 outcomes, limits, deadlines and address checks; not cached. Returns the origin's
    :class:`TargetSignals` with ``robots`` set, ``opt_outs`` None (not collected) and the problems in words.
    A bad URL or User-Agent is an :class:`~scrapecheck.errors.InputError`; nothing a site does raises.
    """
    origin = parse_origin(origin_or_url)
    agent = check_user_agent(user_agent)
    config = _config(config)
    client = HttpClient(config, agent)
    robots, problems = _robots(client, origin, time.monotonic() + config.origin_timeout)
    return TargetSignals(origin=str(origin), robots=robots, opt_outs=None, problems=problems)


def collect(plan: CrawlPlan, origins: Optional[Sequence[str]] = None, *, config: Optional[FetchConfig] = None,
            cache: Optional[SignalsCache[TargetSignals]] = None) -> Signals:
    """Fetch robots.txt and opt-out signals for the plan's target origins (all, or those in ``origins``).

    ``cache`` is the caller's (none: every call fetches). Never raises for what a site or the network does;
    each failure is an outcome plus a ``problems`` entry. A User-Agent that cannot be sent is an InputError.
    """
    if not isinstance(plan, CrawlPlan):
        raise SignalError("", f"collect() takes a CrawlPlan, not {type(plan).__name__}")
    config = _config(config)
    user_agent = check_user_agent(config.user_agent or plan.crawler.user_agent,
                                  "--user-agent" if config.user_agent else (plan.source or "<plan>"))
    by_origin: dict[str, list[Target]] = {}
    for target in plan.targets:
        by_origin.setdefault(target.origin, []).append(target)
    wanted = list(by_origin) if origins is None else list(dict.fromkeys(_strings("origins", origins)))
    for origin in wanted:
        if origin not in by_origin:
            raise SignalError(origin, "not the origin of any target in the plan "
                                      f"(known: {', '.join(by_origin) or 'none'})")

    def one(origin: str) -> TargetSignals:
        targets = by_origin[origin]
        return fetch_origin(targets[0].url, user_agent=user_agent, config=config, cache=cache,
                            pages=[t.url for t in targets],
                            paths=[p for t in targets for p in t.planned_paths])

    workers = max(1, min(config.max_concurrency, len(wanted)))
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="scrapecheck-fetch") as pool:
        collected = list(pool.map(one, wanted))
    return Signals(tool_version=__version__, collected_at=now_iso(), targets=dict(zip(wanted, collected, strict=True)))


robots_signal = interpret_robots
"""The name :func:`.interpret.interpret_robots` had before the split (kept for existing callers)."""

__all__ = ["RFC_9309_CACHE_LIMIT", "ROBOTS_MAX_BYTES", "FetchCache", "FetchConfig", "SignalsCache", "collect",
           "fetch_origin", "fetch_robots", "looks_binary", "looks_html", "robots_origin", "robots_signal"]
