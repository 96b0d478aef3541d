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

robots.txt is fetched by scrapecheck's fetcher in a worker thread (never on the reactor thread), with its
limits, deadlines and private-address refusal; Scrapy's proxy and download settings do not apply to it.
A request with ``meta["scrapecheck_skip"] = True`` is not checked (for your own infrastructure URLs).
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
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value or ""


def _why(decision: Decision) -> str:
    blocking = decision.blocking or decision.reasons
    return "; ".join(f"{r.rule_id}: {r.message}" for r in blocking)


class GuardMiddleware:
    """Downloader middleware: check each request with a Guard; drop refusals; pace; check responses."""

    def __init__(self, crawler: "Crawler") -> None:
        settings = crawler.settings
        if not settings.getbool("SCRAPECHECK_ENABLED", True):
            raise NotConfigured("SCRAPECHECK_ENABLED is False")
        purpose = settings.get("SCRAPECHECK_PURPOSE")
        if not purpose:
            raise InputError("Scrapy settings", "SCRAPECHECK_PURPOSE",
                             "required: what the crawl is for (e.g. 'ai-training', 'search-indexing')")
        user_agent = (settings.get("SCRAPECHECK_USER_AGENT") or settings.get("ROBOTSTXT_USER_AGENT")
                      or settings.get("USER_AGENT"))
        fetch_config = None
        fields = settings.getdict("SCRAPECHECK_FETCH_CONFIG")
        if fields:
            from ..signals.config import FetchConfig

            try:
                fetch_config = FetchConfig(**fields)
            except (TypeError, ValueError) as exc:
                raise InputError("Scrapy settings", "SCRAPECHECK_FETCH_CONFIG", str(exc)) from None
        self.guard = Guard(
            user_agent, purpose,
            signals=settings.get("SCRAPECHECK_SIGNALS") or None,
            cache_ttl=settings.getfloat("SCRAPECHECK_CACHE_TTL", 86400.0),
            max_origins=settings.getint("SCRAPECHECK_MAX_ORIGINS", 10_000),
            respect_ai_optouts=settings.getbool("SCRAPECHECK_RESPECT_AI_OPTOUTS", True),
            allow_private_networks=settings.getbool("SCRAPECHECK_ALLOW_PRIVATE_NETWORKS", False),
            fetch_config=fetch_config,
            decision_log=settings.get("SCRAPECHECK_DECISION_LOG") or None,
        )
        self.check_responses = settings.getbool("SCRAPECHECK_CHECK_RESPONSES", True)
        self.apply_delay = settings.getbool("SCRAPECHECK_APPLY_DELAY", True)
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
        if request.meta.get("scrapecheck_skip") or not url.startswith(("http://", "https://")):
            return None
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
            wait = self.guard.wait_time(url)
            if wait > 0:
                self.stats.inc_value("scrapecheck/delayed")
                from twisted.internet import reactor  # the one Scrapy installed (never import it at module level)

                await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return None

    def process_response(self, request: "Request", response: "Response", spider: Any = None) -> "Response":
        if not self.check_responses or request.meta.get("scrapecheck_skip"):
            return response
        url = request.url
        if not url.startswith(("http://", "https://")):
            return response
        body: Optional[bytes] = response.body if _is_html(response) else None
        decision = self.guard.check_response(url, response.status, response.headers, body)
        if not decision.allowed:
            raise self._refuse(url, decision, "response_refused")
        return response


def _is_html(response: "Response") -> bool:
    content_type = _text(response.headers.get(b"Content-Type")).lower()
    return "html" in content_type


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
        return self.policy.is_allowed(_text(user_agent), _text(url))

    def crawl_delay(self, user_agent: Union[str, bytes]) -> Optional[float]:
        return self.policy.crawl_delay(_text(user_agent))
