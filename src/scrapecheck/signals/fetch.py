"""The only module that touches the network: fetch each target origin's robots.txt, start pages and TDMRep file.

robots.txt follows RFC 9309 §2.3: up to five redirects are followed (same or other origin); 2xx is parsed;
401/403 is ``refused`` (no rules, but a finding); other 4xx is ``not-found`` (no rules); more than five
redirects or a redirect loop is also ``not-found`` (§2.3.1.2 lets a crawler then assume robots.txt is
unavailable, and Google reads it as a 404), with the redirect problem in ``error``; 5xx, 429, timeouts, DNS
and connection failures are ``unreachable`` (complete disallow); an HTML page served as robots.txt is
``html`` (reported, not parsed as rules); only the first 500 KiB are kept. Bodies that are not UTF-8 are
decoded with replacement characters, binary bodies are recorded (hash and size) but read as no rules, each with
a problem entry. :func:`fetch_robots` does the robots.txt half alone (for ``scrapecheck robots URL``).

Every failure becomes an outcome and a ``problems`` entry: nothing raised by the network escapes
:func:`collect`. :class:`~scrapecheck.errors.SignalError` is raised only for misuse (an origin that is not in
the plan). Results are cached in-process per origin for at most 24 hours (RFC 9309 §2.4).
"""

from __future__ import annotations

import hashlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Optional, Sequence
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    LocationParseError,
    LocationValueError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from .._version import __version__
from ..errors import InputError, SignalError
from ..plan import CrawlPlan, Target
from ..robots import RobotsPolicy, product_token
from .model import OptOut, RobotsSignal, Signals, TargetSignals
from .pages import HEADERS_THAT_MATTER, from_headers, from_html, from_tdmrep_json

RFC_9309_CACHE_LIMIT = 24 * 3600.0
"""RFC 9309 §2.4: a crawler SHOULD NOT use a cached robots.txt for more than 24 hours."""
ROBOTS_MAX_BYTES = 500 * 1024
_REDIRECTS = (301, 302, 303, 307, 308)
_ROBOTS_ACCEPT = "text/plain, */*;q=0.5"
_PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
_JSON_ACCEPT = "application/json, */*;q=0.5"


@dataclass(frozen=True)
class FetchConfig:
    """How to fetch: timeouts, retries, size caps, concurrency and cache lifetime. A value; pass it in."""

    connect_timeout: float = 5.0
    read_timeout: float = 10.0
    total_timeout: float = 30.0
    """Upper bound for one response, body included, against servers that trickle bytes."""
    retries: int = 2
    """Extra attempts after a 5xx or 429 answer (timeouts and connection failures are not retried)."""
    backoff: float = 0.5
    """Wait before retry n (0-based) is ``backoff * 2**n`` seconds unless ``Retry-After`` says otherwise."""
    max_retry_after: float = 10.0
    """A ``Retry-After`` longer than this is honoured by not retrying at all (the last answer stands)."""
    max_redirects: int = 5
    max_robots_bytes: int = ROBOTS_MAX_BYTES
    max_page_bytes: int = 512 * 1024
    max_tdmrep_bytes: int = 64 * 1024
    user_agent: Optional[str] = None
    """Overrides the plan's ``crawler.user_agent`` (robots matching uses its product token)."""
    max_concurrency: int = 8
    """Origins fetched at once; each origin is fetched sequentially over one connection."""
    cache_ttl: float = RFC_9309_CACHE_LIMIT
    """How long collected signals are reused in-process; 0 disables the cache; at most 24 hours."""
    failure_cache_ttl: float = 60.0
    """How long an unreachable robots.txt is remembered (never longer than ``cache_ttl``)."""
    fetch_pages: bool = True
    """Also fetch each target's start URL and ``/.well-known/tdmrep.json`` for opt-outs outside robots.txt."""

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "total_timeout"):
            if not getattr(self, name) > 0:
                raise ValueError(f"FetchConfig.{name} must be > 0")
        for name in ("retries", "max_redirects", "backoff", "max_retry_after", "cache_ttl", "failure_cache_ttl"):
            if getattr(self, name) < 0:
                raise ValueError(f"FetchConfig.{name} must be >= 0")
        if self.cache_ttl > RFC_9309_CACHE_LIMIT:
            raise ValueError("FetchConfig.cache_ttl must be at most 86400 seconds (RFC 9309 2.4)")
        for name in ("max_robots_bytes", "max_page_bytes", "max_tdmrep_bytes", "max_concurrency"):
            if getattr(self, name) < 1:
                raise ValueError(f"FetchConfig.{name} must be >= 1")


class FetchCache:
    """In-process cache of collected origins, thread-safe; entries expire after the TTL they were stored with."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[tuple[Any, ...], tuple[float, TargetSignals]] = {}

    def get(self, key: tuple[Any, ...]) -> Optional[TargetSignals]:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] <= time.monotonic():
                del self._entries[key]
                return None
            return entry[1]

    def put(self, key: tuple[Any, ...], value: TargetSignals, ttl: float) -> None:
        if ttl <= 0:
            return
        with self._lock:
            self._entries[key] = (time.monotonic() + min(ttl, RFC_9309_CACHE_LIMIT), value)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


_CACHE = FetchCache()


def clear_cache() -> None:
    """Forget every origin collected in this process."""
    _CACHE.clear()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass
class _Fetched:
    """One URL fetched, redirects followed: what the caller needs to build a signal."""

    url: str
    final_url: str
    fetched_at: str
    status: Optional[int] = None
    headers: dict[str, list[str]] = field(default_factory=dict)
    body: bytes = b""
    truncated: bool = False
    size: Optional[int] = None
    redirects: list[str] = field(default_factory=list)
    error: Optional[str] = None
    attempts: int = 0
    notes: list[str] = field(default_factory=list)
    redirects_exhausted: bool = False
    """More than ``max_redirects`` redirects or a loop: RFC 9309 2.3.1.2, robots.txt may be taken as unavailable."""

    @property
    def sha256(self) -> Optional[str]:
        return hashlib.sha256(self.body).hexdigest() if self.status is not None and self.error is None else None

    @property
    def content_type(self) -> str:
        return (self.headers.get("content-type") or [""])[0].lower()

    def record(self, kind: str) -> dict[str, object]:
        return {"kind": kind, "url": self.url, "final_url": self.final_url, "status": self.status,
                "headers": self.headers, "sha256": self.sha256, "size": self.size, "truncated": self.truncated,
                "fetched_at": self.fetched_at, "redirects": self.redirects, "error": self.error,
                "attempts": self.attempts}


def _describe(exc: BaseException, config: FetchConfig) -> str:
    if isinstance(exc, MaxRetryError) and exc.reason is not None:
        return _describe(exc.reason, config)
    if isinstance(exc, NameResolutionError):
        return f"DNS lookup failed for {exc.conn.host if getattr(exc, 'conn', None) else 'the host'}"
    if isinstance(exc, NewConnectionError):
        text = str(exc)
        return "connection failed: " + (text.split(": ", 1)[-1] if ": " in text else text)
    if isinstance(exc, ConnectTimeoutError):
        return f"connection timed out after {config.connect_timeout:g}s"
    if isinstance(exc, ReadTimeoutError):
        return f"read timed out after {config.read_timeout:g}s"
    if isinstance(exc, SSLError):
        return f"TLS error: {exc}"
    if isinstance(exc, ProtocolError):
        return f"connection broken: {exc.args[0] if exc.args else exc}"
    if isinstance(exc, LocationValueError):
        return f"bad URL: {exc}"
    return f"{type(exc).__name__}: {exc}"


def _retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP-date), None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class _Client:
    """One urllib3 PoolManager (a connection pool per origin) shared by the worker threads of one collect."""

    def __init__(self, config: FetchConfig, user_agent: str, origins: int) -> None:
        self.config = config
        self.user_agent = user_agent
        self.timeout = urllib3.Timeout(connect=config.connect_timeout, read=config.read_timeout)
        self.pool = urllib3.PoolManager(num_pools=max(4, origins * 2), maxsize=1, block=False, retries=False)

    def close(self) -> None:
        self.pool.clear()

    def get(self, url: str, cap: int, accept: str) -> _Fetched:
        """GET ``url`` following at most ``max_redirects`` redirects, keeping at most ``cap`` body bytes."""
        config = self.config
        chain: list[str] = []
        seen = {url}
        current = url
        attempts = 0
        notes: list[str] = []
        while True:
            result = self._get_once(current, cap, accept)
            attempts += result.attempts
            notes.extend(result.notes)
            result.url, result.redirects, result.attempts, result.notes = url, chain, attempts, notes
            if result.error is not None or result.status not in _REDIRECTS:
                return result
            location = (result.headers.get("location") or [""])[0].strip()
            if not location:
                result.error = f"HTTP {result.status} redirect without a Location header"
                return result
            target = urljoin(current, location)
            if urlsplit(target).scheme.lower() not in ("http", "https"):
                result.error = f"redirect to a non-HTTP URL: {target}"
                return result
            if target in seen:
                hops = " -> ".join([url, *chain, target])
                result.error = (f"redirect loop: {current} redirects to itself" if target == current
                                else f"redirect loop: {hops}")
                result.redirects_exhausted = True
                return result
            if len(chain) >= config.max_redirects:
                result.error = f"more than {config.max_redirects} redirects (next: {target})"
                result.redirects_exhausted = True
                return result
            chain.append(target)
            seen.add(target)
            current = target

    def _get_once(self, url: str, cap: int, accept: str) -> _Fetched:
        config = self.config
        headers = {"User-Agent": self.user_agent, "Accept": accept}
        notes: list[str] = []
        attempt = 0
        while True:
            attempt += 1
            started = time.monotonic()
            fetched = _Fetched(url=url, final_url=url, fetched_at=_now(), attempts=attempt, notes=notes)
            try:
                response = self.pool.request("GET", url, headers=headers, redirect=False, retries=False,
                                             preload_content=False, timeout=self.timeout)
            except (HTTPError, OSError, ValueError) as exc:
                fetched.error = _describe(exc, config)
                return fetched
            fetched.status = response.status
            fetched.headers = {name: response.headers.getlist(name) for name in HEADERS_THAT_MATTER
                               if name in response.headers}
            retryable = response.status == 429 or response.status >= 500
            if retryable and attempt <= config.retries:
                wait = _retry_after(response.headers.get("retry-after"))
                if wait is not None and wait > config.max_retry_after:
                    notes.append(f"HTTP {response.status} with Retry-After {wait:g}s (over the "
                                 f"{config.max_retry_after:g}s cap): not retried")
                else:
                    if wait is None:
                        wait = config.backoff * (2 ** (attempt - 1))
                    notes.append(f"HTTP {response.status}: retried after {wait:g}s")
                    response.close()
                    response.release_conn()
                    time.sleep(wait)
                    continue
            if response.status in _REDIRECTS:
                response.close()
                response.release_conn()
                return fetched
            self._read(response, fetched, cap, started)
            return fetched

    def _read(self, response: Any, fetched: _Fetched, cap: int, started: float) -> None:
        deadline = started + self.config.total_timeout
        chunks: list[bytes] = []
        received = 0
        complete = False
        try:
            while True:
                if time.monotonic() > deadline:
                    fetched.error = f"response not complete after {self.config.total_timeout:g}s (slow body)"
                    break
                chunk = response.read1(min(64 * 1024, cap + 1 - received))
                if not chunk:
                    complete = True
                    break
                chunks.append(chunk)
                received += len(chunk)
                if received > cap:
                    fetched.truncated = True
                    break
        except (HTTPError, OSError) as exc:
            fetched.error = _describe(exc, self.config)
        finally:
            if not complete:
                response.close()
            response.release_conn()
        body = b"".join(chunks)
        fetched.body = body[:cap]
        if fetched.truncated:
            length = (fetched.headers.get("content-length") or [""])[0]
            fetched.size = int(length) if length.isdigit() else None
        else:
            fetched.size = len(body)


# --- robots.txt ---------------------------------------------------------------------------------------------


def looks_html(body: bytes, content_type: str = "") -> bool:
    """An HTML page (a soft 404, a login or error page) rather than robots.txt rules."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith(b"<"):
        return False
    if "html" in content_type:
        return True
    return any(marker in head for marker in (b"<!doctype html", b"<html", b"<head", b"<body", b"<title", b"<meta"))


def looks_binary(body: bytes, content_type: str = "") -> bool:
    """Not text: NUL bytes, a compressed or image signature, or mostly control bytes."""
    sample = body[:4096]
    if not sample:
        return False
    if b"\x00" in sample or sample.startswith((b"\x1f\x8b", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff",
                                                b"%PDF")):
        return True
    if content_type.startswith(("image/", "audio/", "video/", "application/octet-stream", "application/zip",
                                "application/gzip")):
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > len(sample) // 10


def _decode(body: bytes) -> tuple[str, Optional[str]]:
    try:
        return body.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return body.decode("utf-8", errors="replace"), f"not valid UTF-8 (first bad byte at offset {exc.start}); " \
                                                       "invalid bytes replaced"


def robots_signal(fetched: _Fetched) -> tuple[RobotsSignal, list[str]]:
    """The RFC 9309 §2.3.1 reading of one robots.txt fetch, with problems in words."""
    problems = [f"robots.txt: {note}" for note in fetched.notes]
    status = fetched.status
    body_text: Optional[str] = None
    if fetched.error is not None and fetched.redirects_exhausted:
        outcome = "not-found"
        problems.append(f"robots.txt not reached ({fetched.error}): RFC 9309 2.3.1.2 lets a crawler then assume "
                        "robots.txt is unavailable (2.3.1.3), read as no rules, as Google does")
    elif fetched.error is not None:
        outcome = "unreachable"
        problems.append(f"robots.txt unreachable ({fetched.error}): RFC 9309 2.3.1.4, read as complete disallow")
    elif status is not None and 200 <= status < 300:
        if looks_binary(fetched.body, fetched.content_type):
            outcome, body_text = "ok", ""
            problems.append(f"robots.txt body is binary ({fetched.content_type or 'no content type'}, "
                            f"{len(fetched.body)} bytes): no rules read")
        elif looks_html(fetched.body, fetched.content_type):
            outcome = "html"
            problems.append("robots.txt is an HTML page, not rules: reported, read as no rules")
        else:
            outcome = "ok"
            body_text, note = _decode(fetched.body)
            if note:
                problems.append(f"robots.txt {note}")
            if "html" in fetched.content_type:
                problems.append(f"robots.txt served as {fetched.content_type}, but its body is plain rules")
        if fetched.truncated:
            problems.append(f"robots.txt larger than {len(fetched.body)} bytes: only the first "
                            f"{len(fetched.body)} bytes read (RFC 9309 2.5)")
    elif status in (401, 403):
        outcome = "refused"
        problems.append(f"robots.txt refused (HTTP {status}): no rules by RFC 9309 2.3.1.3, but access is refused")
    elif status == 429:
        outcome = "unreachable"
        problems.append("robots.txt rate-limited (HTTP 429): read as complete disallow, like a server error")
    elif status is not None and 400 <= status < 500:
        outcome = "not-found"
        problems.append(f"robots.txt not found (HTTP {status}): RFC 9309 2.3.1.3, no restrictions")
    elif status is not None and status >= 500:
        outcome = "unreachable"
        problems.append(f"robots.txt server error (HTTP {status}): RFC 9309 2.3.1.4, read as complete disallow")
    else:
        outcome = "unreachable"
        problems.append(f"robots.txt answered HTTP {status}: read as complete disallow")
    signal = RobotsSignal(
        url=fetched.url, origin="fetched", outcome=outcome, status=status, body=body_text, sha256=fetched.sha256,
        size=fetched.size, truncated=fetched.truncated, fetched_at=fetched.fetched_at, redirects=fetched.redirects,
        error=fetched.error, headers=fetched.headers, attempts=fetched.attempts,
    )
    return signal, problems


# --- one origin ---------------------------------------------------------------------------------------------


def _page_path(url: str) -> str:
    parts = urlsplit(url)
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


def _dedupe(opt_outs: list[OptOut]) -> list[OptOut]:
    seen: set[tuple[str, str, str, Optional[int]]] = set()
    unique = []
    for opt_out in opt_outs:
        key = (opt_out.kind, opt_out.value, opt_out.where, opt_out.line)
        if key not in seen:
            seen.add(key)
            unique.append(opt_out)
    return unique


def _get_robots(client: _Client, origin: str) -> tuple[RobotsSignal, list[str]]:
    return robots_signal(client.get(f"{origin}/robots.txt", client.config.max_robots_bytes, _ROBOTS_ACCEPT))


def _collect_origin(client: _Client, origin: str, targets: Sequence[Target], token: str) -> TargetSignals:
    config = client.config
    robots, problems = _get_robots(client, origin)
    if not config.fetch_pages:
        return TargetSignals(origin=origin, robots=robots, opt_outs=None, problems=problems)

    policy = RobotsPolicy.parse(robots.effective_text)
    pages: list[dict[str, object]] = []
    found: list[OptOut] = []
    complete = True
    for url in dict.fromkeys(target.url for target in targets):
        if not policy.is_allowed(token, url):
            complete = False
            problems.append(f"start page {url} not fetched: robots.txt disallows it for {token}; "
                            "its headers and meta tags are unknown")
            continue
        page = client.get(url, config.max_page_bytes, _PAGE_ACCEPT)
        pages.append(page.record("page"))
        problems.extend(f"{url}: {note}" for note in page.notes)
        if page.error is not None or page.status is None or page.status == 429 or page.status >= 500:
            complete = False
            problems.append(f"start page {url} not read ({page.error or f'HTTP {page.status}'}): "
                            "its headers and meta tags are unknown")
            continue
        if not 200 <= page.status < 300:
            problems.append(f"start page {url} answered HTTP {page.status}: no page-level opt-outs read")
            continue
        where = page.final_url
        found.extend(from_headers(page.headers, where, token))
        if "html" in page.content_type or looks_html(page.body):
            found.extend(from_html(_decode(page.body)[0], where, token))

    tdmrep_url = f"{origin}/.well-known/tdmrep.json"
    tdmrep = client.get(tdmrep_url, config.max_tdmrep_bytes, _JSON_ACCEPT)
    pages.append(tdmrep.record("tdmrep"))
    if tdmrep.error is not None or tdmrep.status is None or tdmrep.status == 429 or tdmrep.status >= 500:
        complete = False
        problems.append(f"{tdmrep_url} not read ({tdmrep.error or f'HTTP {tdmrep.status}'}): TDMRep rules unknown")
    elif 200 <= tdmrep.status < 300:
        paths = sorted({path for target in targets for path in target.planned_paths})
        opt_outs, tdm_problems = from_tdmrep_json(tdmrep.body, tdmrep_url, paths)
        found.extend(opt_outs)
        problems.extend(tdm_problems)
        if tdmrep.truncated:
            problems.append(f"{tdmrep_url} larger than {config.max_tdmrep_bytes} bytes: not read whole")

    found = _dedupe(found)
    return TargetSignals(origin=origin, robots=robots, opt_outs=found if (found or complete) else None,
                         pages=pages, problems=problems)


def _safe_collect(client: _Client, origin: str, targets: Sequence[Target], token: str) -> TargetSignals:
    try:
        return _collect_origin(client, origin, targets, token)
    except Exception as exc:  # noqa: BLE001 - collect never raises for what a site does; record it instead
        message = f"internal error while collecting {origin}: {type(exc).__name__}: {exc}"
        robots = RobotsSignal(url=f"{origin}/robots.txt", origin="fetched", outcome="unreachable",
                              fetched_at=_now(), error=message)
        return TargetSignals(origin=origin, robots=robots, opt_outs=None, problems=[message])


def robots_origin(origin_or_url: str) -> str:
    """The origin (``scheme://host[:port]``) whose robots.txt governs an http(s) URL or origin.

    A malformed URL (``http://[::1``), a bad port (``:99999``), no host, or a scheme other than http(s) is an
    :class:`~scrapecheck.errors.InputError` naming the URL.
    """
    if not isinstance(origin_or_url, str):
        raise TypeError(f"origin_or_url must be a str, not {type(origin_or_url).__name__}")

    def bad(message: str) -> InputError:
        return InputError(origin_or_url, "url", message)

    try:
        parts = urlsplit(origin_or_url.strip())
        port = parts.port
        urllib3.util.parse_url(origin_or_url.strip())
    except (ValueError, LocationParseError) as exc:
        raise bad(f"not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise bad("must be an http:// or https:// URL")
    host = parts.hostname
    if not host:
        raise bad("URL has no host")
    if ":" in host:
        host = f"[{host}]"
    return f"{scheme}://{host}" + (f":{port}" if port is not None else "")


def fetch_robots(origin_or_url: str, *, user_agent: str, config: Optional[FetchConfig] = None) -> TargetSignals:
    """Fetch the robots.txt that governs ``origin_or_url`` exactly as :func:`collect` does, and nothing else.

    Same RFC 9309 outcomes, limits and retries as ``collect`` (``config``: total time per response, Retry-After
    cap, at most ``max_redirects`` redirects, ``max_robots_bytes``); not cached. Returns the origin's
    :class:`TargetSignals` with ``robots`` set, ``opt_outs`` None (not collected) and the problems in words.
    A bad URL is an :class:`~scrapecheck.errors.InputError`; nothing the site or the network does raises.
    """
    origin = robots_origin(origin_or_url)
    if not isinstance(user_agent, str) or not user_agent.strip():
        raise InputError("user_agent", "user_agent", "must be a non-empty User-Agent string")
    config = config or FetchConfig()
    client = _Client(config, user_agent.strip(), 1)
    try:
        robots, problems = _get_robots(client, origin)
    finally:
        client.close()
    return TargetSignals(origin=origin, robots=robots, opt_outs=None, problems=problems)


def collect(plan: CrawlPlan, origins: Optional[Sequence[str]] = None, *, config: Optional[FetchConfig] = None,
            cache: Optional[FetchCache] = None) -> Signals:
    """Fetch robots.txt and opt-out signals for the plan's target origins (all, or those in ``origins``).

    Never raises for what a site or the network does; each failure is an outcome plus a ``problems`` entry.
    """
    if not isinstance(plan, CrawlPlan):
        raise SignalError("", f"collect() takes a CrawlPlan, not {type(plan).__name__}")
    config = config or FetchConfig()
    cache = _CACHE if cache is None else cache
    by_origin: dict[str, list[Target]] = {}
    for target in plan.targets:
        by_origin.setdefault(target.origin, []).append(target)
    wanted = list(by_origin) if origins is None else list(dict.fromkeys(origins))
    for origin in wanted:
        if origin not in by_origin:
            raise SignalError(origin, "not the origin of any target in the plan "
                                      f"(known: {', '.join(by_origin) or 'none'})")
    user_agent = config.user_agent or plan.crawler.user_agent
    token = product_token(user_agent)

    def key(origin: str) -> tuple[Any, ...]:
        targets = by_origin[origin]
        return (origin, user_agent, config.fetch_pages, tuple(dict.fromkeys(t.url for t in targets)),
                tuple(sorted({p for t in targets for p in t.planned_paths})))

    results: dict[str, TargetSignals] = {}
    todo = []
    for origin in wanted:
        hit = cache.get(key(origin)) if config.cache_ttl > 0 else None
        if hit is not None:
            results[origin] = hit
        else:
            todo.append(origin)
    if todo:
        client = _Client(config, user_agent, len(todo))
        try:
            with ThreadPoolExecutor(max_workers=min(config.max_concurrency, len(todo)),
                                    thread_name_prefix="scrapecheck-fetch") as pool:
                collected = list(pool.map(lambda o: _safe_collect(client, o, by_origin[o], token), todo))
        finally:
            client.close()
        for origin, signals in zip(todo, collected, strict=True):
            results[origin] = signals
            failed = signals.robots is None or signals.robots.outcome == "unreachable"
            cache.put(key(origin), signals,
                      min(config.cache_ttl, config.failure_cache_ttl) if failed else config.cache_ttl)
    return Signals(tool_version=__version__, collected_at=_now(), targets={o: results[o] for o in wanted})


__all__ = ["FetchCache", "FetchConfig", "clear_cache", "collect", "fetch_robots", "looks_binary", "looks_html",
           "robots_origin", "robots_signal"]
