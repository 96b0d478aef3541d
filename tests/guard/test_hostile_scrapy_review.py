"""Hostile and malformed inputs to the Scrapy integration found failing by review (each test names what it expects).

Settings of the wrong type fail with an error naming the setting; robots.txt is never fetched on the reactor
thread (process_response included); ``scrapecheck_skip`` does not carry a redirect to another origin past the
check; a huge Crawl-delay neither hangs the crawl's shutdown nor starves other origins; a non-http request is
not passed unchecked; a response Scrapy sniffs as HTML is read for meta opt-outs; RobotParser decodes a bytes
URL as Scrapy's own parsers do (UTF-8).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time

import pytest

from .conftest import Web

pytest.importorskip("scrapy")

UA = "AcmeBot/1.0"
META_NOAI = b'<html><head><meta name="robots" content="noai"></head><body>x</body></html>'


def _middleware(**settings: object):  # type: ignore[no-untyped-def]
    from scrapy import Spider
    from scrapy.utils.test import get_crawler

    from scrapecheck.contrib.scrapy import GuardMiddleware

    base = {"SCRAPECHECK_PURPOSE": "ai-training", "USER_AGENT": UA, "ROBOTSTXT_OBEY": False}
    return GuardMiddleware.from_crawler(get_crawler(Spider, base | settings))


@pytest.mark.parametrize("name, value", [
    ("SCRAPECHECK_CACHE_TTL", "abc"),
    ("SCRAPECHECK_CACHE_TTL", 10**400),
    ("SCRAPECHECK_MAX_ORIGINS", "abc"),
    ("SCRAPECHECK_MAX_ORIGINS", "1e400"),
    ("SCRAPECHECK_RESPECT_AI_OPTOUTS", "no"),
    ("SCRAPECHECK_ALLOW_PRIVATE_NETWORKS", "yes"),
    ("SCRAPECHECK_APPLY_DELAY", "off"),
    ("SCRAPECHECK_FETCH_CONFIG", "retries=0"),
    ("SCRAPECHECK_FETCH_CONFIG", ["retries"]),
    ("SCRAPECHECK_FETCH_CONFIG", 5),
], ids=lambda v: repr(v)[:24])
def test_a_setting_of_the_wrong_type_is_an_error_naming_it(name: str, value: object) -> None:
    from scrapy.exceptions import NotConfigured

    from scrapecheck.errors import ScrapecheckError

    with pytest.raises((ScrapecheckError, NotConfigured)) as caught:
        _middleware(**{name: value})
    assert name in str(caught.value)


def test_process_response_never_fetches_robots_txt_on_the_calling_thread(web: Web) -> None:
    # Scrapy calls process_response on the reactor thread. An origin not cached (evicted by
    # SCRAPECHECK_MAX_ORIGINS, or past SCRAPECHECK_CACHE_TTL while the page downloaded) must not be fetched there.
    from scrapy.http import Request, Response

    web.robots("User-agent: *\nAllow: /\n", delay=1.0)
    middleware = _middleware(SCRAPECHECK_ALLOW_PRIVATE_NETWORKS=True)
    url = web.origin + "/page"
    started = time.monotonic()
    try:
        result = middleware.process_response(Request(url), Response(url, status=200, body=b"x"))
    except Exception:  # noqa: BLE001 - a refusal is fine; what matters is where the fetch ran
        result = None
    elapsed = time.monotonic() - started
    if hasattr(result, "close"):  # a coroutine: the fetch would run later, off this thread
        result.close()
    assert web.paths() == [] and elapsed < 0.5, (web.paths(), elapsed)


def test_a_response_scrapy_sniffs_as_html_is_read_for_meta_opt_outs(web: Web) -> None:
    from scrapy.exceptions import IgnoreRequest
    from scrapy.http import HtmlResponse, Request

    web.robots("User-agent: *\nAllow: /\n")
    middleware = _middleware(SCRAPECHECK_ALLOW_PRIVATE_NETWORKS=True)
    url = web.origin + "/page"
    assert middleware.guard.check(url).allowed  # cached: process_response decides from memory
    with pytest.raises(IgnoreRequest):  # no Content-Type; Scrapy made it an HtmlResponse, the spider parses it
        middleware.process_response(Request(url), HtmlResponse(url, status=200, body=META_NOAI))


def test_a_non_http_request_with_robots_rules_is_not_passed_unchecked() -> None:
    # RFC 9309 2.3 names FTP; Scrapy's own RobotsTxtMiddleware checks ftp: (it skips only data: and file:).
    # Nothing listens on port 1: unreachable robots.txt, so the request is refused (fail closed).
    import asyncio

    from scrapy.exceptions import IgnoreRequest
    from scrapy.http import Request

    middleware = _middleware(SCRAPECHECK_ALLOW_PRIVATE_NETWORKS=True)
    with pytest.raises(IgnoreRequest):
        asyncio.run(middleware.process_request(Request("ftp://127.0.0.1:1/file.txt")))


def test_robot_parser_reads_a_bytes_url_as_utf8_like_scrapys_parsers() -> None:
    from scrapecheck.contrib.scrapy import RobotParser

    parser = RobotParser("User-agent: *\nDisallow: /caf\u00e9\n".encode())
    assert parser.allowed("https://a.example/caf\u00e9", UA) is False
    assert parser.allowed("https://a.example/caf\u00e9".encode(), UA) is False


SPIDER = textwrap.dedent("""
    import json, sys
    import scrapy
    from scrapy.crawler import CrawlerProcess

    seen = []

    class S(scrapy.Spider):
        name = "s"

        async def start(self):
            for spec in json.loads(sys.argv[2]):
                yield scrapy.Request(spec["url"], meta=spec.get("meta", {}), dont_filter=True)

        def parse(self, response):
            seen.append(response.url)

    settings = {"LOG_LEVEL": "INFO", "TELNETCONSOLE_ENABLED": False, "RETRY_ENABLED": False,
                "DOWNLOAD_TIMEOUT": 10, "ROBOTSTXT_OBEY": False, "USER_AGENT": "AcmeBot/1.0",
                "DOWNLOADER_MIDDLEWARES": {"scrapecheck.contrib.scrapy.GuardMiddleware": 100},
                "SCRAPECHECK_PURPOSE": "ai-training", "SCRAPECHECK_ALLOW_PRIVATE_NETWORKS": True,
                "SCRAPECHECK_FETCH_CONFIG": {"retries": 0, "connect_timeout": 2, "read_timeout": 2,
                                             "total_timeout": 4}}
    settings.update(json.loads(sys.argv[1]))
    process = CrawlerProcess(settings=settings)
    process.crawl(process.create_crawler(S))
    process.start()
    print(json.dumps(seen))
""")


def _crawl(settings: dict, specs: list, timeout: float) -> list:
    try:
        done = subprocess.run([sys.executable, "-c", SPIDER, json.dumps(settings), json.dumps(specs)],
                              capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"the crawl did not end within {timeout} s")
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


@pytest.mark.slow
def test_scrapecheck_skip_does_not_carry_a_redirect_to_another_origin_past_the_check(web: Web, web2: Web) -> None:
    # scrapecheck_skip is for one's own infrastructure URLs; RedirectMiddleware copies meta into the redirected
    # request, so a redirect off that infrastructure must still be checked against the target's robots.txt.
    web.route("/infra", status=302, headers={"Location": web2.origin + "/secret"})
    web2.robots("User-agent: *\nDisallow: /\n")
    web2.route("/secret", body="secret")
    seen = _crawl({}, [{"url": web.origin + "/infra", "meta": {"scrapecheck_skip": True}}], timeout=30)
    assert "/secret" not in web2.paths(), web2.paths()
    assert seen == []


@pytest.mark.slow
def test_a_huge_crawl_delay_neither_hangs_shutdown_nor_starves_other_origins(web: Web, web2: Web) -> None:
    # Crawl-delay: 86400 (the Guard's cap) on one site: its waiting requests must not hold every download slot
    # (the other site is crawled), and CLOSESPIDER_TIMEOUT ends the crawl instead of waiting a day.
    web.robots("User-agent: *\nCrawl-delay: 86400\n")
    web2.robots("User-agent: *\nAllow: /\n")
    for path in ("/1", "/2", "/3"):
        web.route(path, body="a")
        web2.route(path, body="b")
    specs = [{"url": web.origin + p} for p in ("/1", "/2", "/3")] + [{"url": web2.origin + p} for p in ("/1", "/2")]
    _crawl({"CONCURRENT_REQUESTS": 2, "CLOSESPIDER_TIMEOUT": 2}, specs, timeout=20)
    assert sorted(p for p in web2.paths() if p in ("/1", "/2")) == ["/1", "/2"], web2.paths()


# ---------------------------------------------------------------- around the fixes

@pytest.mark.parametrize("name, value", [("SCRAPECHECK_CACHE_TTL", -5), ("SCRAPECHECK_MAX_ORIGINS", 0),
                                         ("SCRAPECHECK_PURPOSE", "world-domination"), ("SCRAPECHECK_MAX_WAIT", -1),
                                         ("SCRAPECHECK_MAX_WAIT", "inf")])
def test_a_value_the_guard_refuses_is_reported_under_its_setting(name: str, value: object) -> None:
    from scrapecheck.errors import InputError

    with pytest.raises(InputError) as caught:
        _middleware(**{name: value})
    assert caught.value.field == name and caught.value.source == "Scrapy settings"


def test_wait_time_without_reserving_leaves_the_slot() -> None:
    from scrapecheck import Guard

    clock = [100.0]
    guard = Guard.from_robots(UA, "other", {"https://a.example": "User-agent: *\nCrawl-delay: 10\n"},
                              clock=lambda: clock[0])
    assert guard.wait_time("https://a.example/1") == 0
    assert guard.wait_time("https://a.example/2", reserve=False) == 10
    assert guard.wait_time("https://a.example/2", reserve=False) == 10  # nothing reserved by asking
    assert guard.wait_time("https://a.example/2") == 10
    assert guard.wait_time("https://a.example/3") == 20


def test_a_request_the_pacing_would_hold_too_long_is_dropped_and_counted() -> None:
    import asyncio

    from scrapy.exceptions import IgnoreRequest
    from scrapy.http import Request

    middleware = _middleware(SCRAPECHECK_MAX_WAIT=5)
    robots = {"https://a.example": "User-agent: *\nCrawl-delay: 10\n"}
    middleware.guard = type(middleware.guard).from_robots(UA, "ai-training", robots)
    assert middleware.guard.check("https://a.example/0").allowed  # cached: no worker thread, so no reactor needed
    assert asyncio.run(middleware.process_request(Request("https://a.example/1"))) is None  # no wait: no reactor
    with pytest.raises(IgnoreRequest, match="SCRAPECHECK_MAX_WAIT"):
        asyncio.run(middleware.process_request(Request("https://a.example/2")))
    assert middleware.stats.get_value("scrapecheck/refused/wait-too-long") == 1
    assert middleware.guard.wait_time("https://a.example/3", reserve=False) <= 10  # the dropped one reserved nothing


def test_data_file_and_same_origin_skipped_requests_pass_unchecked() -> None:
    import asyncio

    from scrapy.http import Request

    middleware = _middleware()
    for request in (Request("data:,x"), Request("file:///etc/hostname"),
                    Request("https://a.example/2", meta={"scrapecheck_skip": True,
                                                         "redirect_urls": ["https://A.example/1"]})):
        assert asyncio.run(middleware.process_request(request)) is None
    assert middleware.guard.fetches == 0


def test_robot_parser_percent_encodes_a_bytes_url_that_is_not_utf8() -> None:
    from scrapecheck.contrib.scrapy import RobotParser

    parser = RobotParser(b"User-agent: *\nDisallow: /caf%E9\n")
    assert parser.allowed(b"https://a.example/caf\xe9", UA) is False  # the byte, as Google's parser reads it
    assert parser.allowed(b"https://a.example/caf\xc3\xa9", UA) is True
