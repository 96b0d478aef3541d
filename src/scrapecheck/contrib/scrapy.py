"""Scrapy integration: a downloader middleware that puts every request through a :class:`~scrapecheck.Guard`,
and a ``ROBOTSTXT_PARSER`` backend for those who keep Scrapy's own ``RobotsTxtMiddleware``.

Why a middleware of our own: Scrapy's ``RobotsTxtMiddleware`` hands only the body to its parser, so a robots.txt
answering 503 reads as "no rules" and the site is crawled (fail-open); it ignores Crawl-delay and AI opt-outs,
and records no reason. :class:`GuardMiddleware` fails closed (RFC 9309: 5xx or unreachable means disallow all),
paces each origin by Crawl-delay / Request-rate, refuses requests the site's AI opt-outs rule out for the
crawl's purpose, checks each response for page-level opt-outs (X-Robots-Tag, meta robots noai, TDMRep,
Content-Usage, Content-Signal), logs why, and counts in the crawl stats (``scrapecheck/...``).

Settings (``settings.py``)::

    ROBOTSTXT_OBEY = False          # this middleware replaces RobotsTxtMiddleware
    DOWNLOADER_MIDDLEWARES = {"scrapecheck.contrib.scrapy.GuardMiddleware": 100}
    SCRAPECHECK_PURPOSE = "ai-training"          # required: a plan purpose kind
    SCRAPECHECK_USER_AGENT = None                # default: ROBOTSTXT_USER_AGENT, then USER_AGENT
    SCRAPECHECK_SIGNALS = None                   # a signals.json: recorded mode, no robots.txt fetching
    SCRAPECHECK_RESPECT_AI_OPTOUTS = True
    SCRAPECHECK_CHECK_RESPONSES = True           # drop responses whose page opts out
    SCRAPECHECK_APPLY_DELAY = True               # wait per origin as Crawl-delay / Request-rate ask
    SCRAPECHECK_ALLOW_PRIVATE_NETWORKS = False   # let robots.txt fetching reach private addresses
    SCRAPECHECK_CACHE_TTL = 86400                # seconds an origin's robots.txt is reused (at most 24 h)
    SCRAPECHECK_MAX_ORIGINS = 10000
    SCRAPECHECK_DECISION_LOG = None              # path of a JSONL file receiving every refusal
    SCRAPECHECK_FETCH_CONFIG = {}                # FetchConfig fields (timeouts, retries, ...)
    SCRAPECHECK_MAX_WAIT = 300                   # a request the site's pacing would hold longer is dropped

robots.txt is fetched by scrapecheck's fetcher in a worker thread (never on the reactor thread), with its
limits, deadlines and private-address refusal; Scrapy's proxy and download settings do not apply to it.
A request with ``meta["scrapecheck_skip"] = True`` is not checked (for your own infrastructure URLs), unless
a redirect took it to another origin. ``data:`` and ``file:`` requests pass; other schemes than http(s) (ftp:,
s3:), whose robots.txt scrapecheck cannot read, are refused (fail closed). A request that the site's
Crawl-delay would hold longer than SCRAPECHECK_MAX_WAIT seconds (several queued for a slow site, or a delay of
hours) is dropped and counted, not held: a waiting request takes one of Scrapy's concurrent slots, and the
crawl's shutdown waits for it. ``dont_obey_robotstxt`` is not honoured: such requests are checked too.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Optional, Union

from scrapy import signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.robotstxt import RobotParser as _ScrapyRobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.task import deferLater
from twisted.internet.threads import deferToThread

from ..errors import InputError
from ..guard import Decision, Guard
from ..robots import RobotsPolicy

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.http import Request, Response

logger = logging.getLogger(__name__)

__all__ = ["GuardMiddleware", "RobotParser"]


def _text(value: Union[str, bytes, None]) -> str:
    """A header value as text (Latin-1, as HTTP reads bytes above 0x7F)."""
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value or ""


def _url_text(value: Union[str, bytes, None]) -> str:
    """A URL given as bytes, its bytes above 0x7F percent-encoded: what matching does with the UTF-8 of a str URL
    (so a UTF-8 one reads as that str, as Scrapy's parsers decode it) and what Google's parser does with any
    other byte."""
    if isinstance(value, bytes):
        return "".join(chr(b) if b < 0x80 else f"%{b:02X}" for b in value)
    return value or ""


def _setting(settings: Any, name: str, read: str, default: Any, what: str) -> Any:
    """``settings.<read>(name, default)``, or an InputError naming the setting where Scrapy's conversion fails."""
    try:
        return getattr(settings, read)(name, default)
    except (TypeError, ValueError, OverflowError) as exc:  # (json.JSONDecodeError is a ValueError)
        raise InputError("Scrapy settings", name, f"{settings.get(name)!r:.80}: must be {what} ({exc})") from None


#: Which Scrapy setting gave each Guard argument (an InputError from the Guard is reported under the setting).
_SETTING_OF = {"purpose": "SCRAPECHECK_PURPOSE", "user_agent": "SCRAPECHECK_USER_AGENT",
               "cache_ttl": "SCRAPECHECK_CACHE_TTL", "max_origins": "SCRAPECHECK_MAX_ORIGINS",
               "decision_log": "SCRAPECHECK_DECISION_LOG"}
_BOOL = "True or False"


def _why(decision: Decision) -> str:
    blocking = decision.blocking or decision.reasons
    return "; ".join(f"{r.rule_id}: {r.message}" for r in blocking)


class GuardMiddleware:
    """Downloader middleware: check each request with a Guard; drop refusals; pace; check responses."""

    def __init__(self, crawler: "Crawler") -> None:
        settings = crawler.settings
        if not _setting(settings, "SCRAPECHECK_ENABLED", "getbool", True, _BOOL):
            raise NotConfigured("SCRAPECHECK_ENABLED is False")
        purpose = settings.get("SCRAPECHECK_PURPOSE")
        if not purpose:
            raise InputError("Scrapy settings", "SCRAPECHECK_PURPOSE",
                             "required: what the crawl is for (e.g. 'ai-training', 'search-indexing')")
        user_agent = (settings.get("SCRAPECHECK_USER_AGENT") or settings.get("ROBOTSTXT_USER_AGENT")
                      or settings.get("USER_AGENT"))
        fetch_config = None
        fields = _setting(settings, "SCRAPECHECK_FETCH_CONFIG", "getdict", None, "a dict of FetchConfig fields")
        if fields:
            from ..signals.config import FetchConfig

            try:
                fetch_config = FetchConfig(**fields)
            except (TypeError, ValueError) as exc:
                raise InputError("Scrapy settings", "SCRAPECHECK_FETCH_CONFIG", str(exc)) from None
        try:
            self.guard = Guard(
                user_agent, purpose,
                signals=settings.get("SCRAPECHECK_SIGNALS") or None,
                cache_ttl=_setting(settings, "SCRAPECHECK_CACHE_TTL", "getfloat", 86400.0, "a number of seconds"),
                max_origins=_setting(settings, "SCRAPECHECK_MAX_ORIGINS", "getint", 10_000, "a whole number"),
                respect_ai_optouts=_setting(settings, "SCRAPECHECK_RESPECT_AI_OPTOUTS", "getbool", True, _BOOL),
                allow_private_networks=_setting(settings, "SCRAPECHECK_ALLOW_PRIVATE_NETWORKS", "getbool", False,
                                                _BOOL),
                fetch_config=fetch_config,
                decision_log=settings.get("SCRAPECHECK_DECISION_LOG") or None,
            )
        except InputError as exc:
            if exc.source != "Guard" or exc.field not in _SETTING_OF:
                raise
            raise InputError("Scrapy settings", _SETTING_OF[exc.field], exc.message) from None
        self.check_responses = _setting(settings, "SCRAPECHECK_CHECK_RESPONSES", "getbool", True, _BOOL)
        self.apply_delay = _setting(settings, "SCRAPECHECK_APPLY_DELAY", "getbool", True, _BOOL)
        self.max_wait = _setting(settings, "SCRAPECHECK_MAX_WAIT", "getfloat", 300.0, "a number of seconds")
        if not 0 <= self.max_wait < float("inf"):
            raise InputError("Scrapy settings", "SCRAPECHECK_MAX_WAIT", f"{self.max_wait!r}: must be >= 0 and finite")
        self.crawler = crawler
        self.stats = crawler.stats
        if settings.getbool("ROBOTSTXT_OBEY"):
            logger.warning("ROBOTSTXT_OBEY is True: Scrapy's RobotsTxtMiddleware also runs (and fails open on a "
                           "5xx robots.txt); set ROBOTSTXT_OBEY = False, GuardMiddleware replaces it")
        crawler.signals.connect(self._closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: "Crawler") -> "GuardMiddleware":
        return cls(crawler)

    def _closed(self, *args: Any, **kwargs: Any) -> None:
        self.stats.set_value("scrapecheck/origins", self.guard.fetches)
        self.guard.close()

    async def _decide(self, url: str) -> Decision:
        decision = self.guard.check_cached(url)
        if decision is None:  # first request to this origin: fetch robots.txt off the reactor thread
            decision = await maybe_deferred_to_future(deferToThread(self.guard.check, url))
        return decision

    def _refuse(self, url: str, decision: Decision, stage: str) -> IgnoreRequest:
        self.stats.inc_value(f"scrapecheck/{stage}")
        for reason in decision.blocking:
            self.stats.inc_value(f"scrapecheck/{stage}/{reason.rule_id}")
        logger.info("scrapecheck %s %s: %s", "refused" if stage == "refused" else "dropped response of", url,
                    _why(decision))
        return IgnoreRequest(f"scrapecheck: {_why(decision)}")

    async def process_request(self, request: "Request", spider: Any = None) -> None:
        url = request.url
        if _skipped(request) or url.startswith(("data:", "file:")):
            return None
        if not url[:8].lower().startswith(("http://", "https://")):
            self.stats.inc_value("scrapecheck/refused")
            self.stats.inc_value("scrapecheck/refused/unsupported-scheme")
            logger.info("scrapecheck refused %s: only http(s) sites' robots.txt can be read; set "
                        "meta['scrapecheck_skip'] to fetch it unchecked", url)
            raise IgnoreRequest(f"scrapecheck: cannot read the robots.txt of {url.split(':', 1)[0]}: URLs")
        try:
            decision = await self._decide(url)
        except InputError as exc:
            self.stats.inc_value("scrapecheck/refused")
            self.stats.inc_value("scrapecheck/refused/bad-url")
            logger.info("scrapecheck refused %s: %s", url, exc)
            raise IgnoreRequest(f"scrapecheck: {exc}") from None
        if not decision.allowed:
            raise self._refuse(url, decision, "refused")
        self.stats.inc_value("scrapecheck/allowed")
        if self.apply_delay and decision.delay_seconds > 0:
            if self.guard.wait_time(url, reserve=False) > self.max_wait:
                self.stats.inc_value("scrapecheck/refused")
                self.stats.inc_value("scrapecheck/refused/wait-too-long")
                logger.info("scrapecheck dropped %s: the site asks %.0f s between requests, and this one would wait "
                            "more than SCRAPECHECK_MAX_WAIT (%.0f s)", url, decision.delay_seconds, self.max_wait)
                raise IgnoreRequest(f"scrapecheck: Crawl-delay {decision.delay_seconds:.0f} s: the wait would pass "
                                    f"SCRAPECHECK_MAX_WAIT ({self.max_wait:.0f} s)")
            wait = self.guard.wait_time(url)
            if wait > 0:
                self.stats.inc_value("scrapecheck/delayed")
                from twisted.internet import reactor  # the one Scrapy installed (never import it at module level)

                await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return None

    def process_response(self, request: "Request", response: "Response", spider: Any = None) -> Any:
        """The response, or an IgnoreRequest for a page that opts out; a Deferred of either when the origin is no
        longer cached (evicted, or stale since the request): its robots.txt is then fetched in a worker thread,
        never on the reactor's."""
        if not self.check_responses or _skipped(request):
            return response
        url = request.url
        if not url[:8].lower().startswith(("http://", "https://")):
            return response
        body: Optional[bytes] = response.body if _is_html(response) else None
        decision = self.guard._response(url, response.status, response.headers, body, self.guard._cached)
        if decision is None:
            return deferToThread(self.guard.check_response, url, response.status, response.headers,
                                 body).addCallback(self._pass_response, url, response)
        return self._pass_response(decision, url, response)

    def _pass_response(self, decision: Decision, url: str, response: "Response") -> "Response":
        if not decision.allowed:
            raise self._refuse(url, decision, "response_refused")
        return response


def _skipped(request: "Request") -> bool:
    """``meta["scrapecheck_skip"]``, unless a redirect took the request to another origin than the first URL's
    (Scrapy's redirects copy the meta: a skipped infrastructure URL must not carry a request past the check)."""
    meta = request.meta
    if not meta.get("scrapecheck_skip"):
        return False
    first = (meta.get("redirect_urls") or [request.url])[0]
    return _prefix(first) == _prefix(request.url)


def _prefix(url: str) -> str:
    """scheme://authority, lower-case (an origin's spellings differ otherwise, which only costs a check)."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0].split('?', 1)[0].split('#', 1)[0]}".lower()


def _is_html(response: "Response") -> bool:
    from scrapy.http import HtmlResponse  # (what Scrapy sniffed from the body when the header says nothing)

    return isinstance(response, HtmlResponse) or "html" in _text(response.headers.get(b"Content-Type")).lower()


class RobotParser(_ScrapyRobotParser):
    """``ROBOTSTXT_PARSER = "scrapecheck.contrib.scrapy.RobotParser"``: scrapecheck's matcher (RFC 9309, as
    Google's parser decides) inside Scrapy's own RobotsTxtMiddleware. Only matching changes: that middleware
    still fails open on a 5xx robots.txt and ignores opt-outs; use :class:`GuardMiddleware` for those."""

    def __init__(self, robotstxt_body: bytes) -> None:
        self.policy = RobotsPolicy.parse(robotstxt_body or b"")

    @classmethod
    def from_crawler(cls, crawler: "Crawler", robotstxt_body: bytes) -> "RobotParser":
        return cls(robotstxt_body)

    def allowed(self, url: Union[str, bytes], user_agent: Union[str, bytes]) -> bool:
        return self.policy.is_allowed(_text(user_agent), _url_text(url))

    def crawl_delay(self, user_agent: Union[str, bytes]) -> Optional[float]:
        return self.policy.crawl_delay(_text(user_agent))
