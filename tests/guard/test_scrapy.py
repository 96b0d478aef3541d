"""Real Scrapy crawls against servers on 127.0.0.1, each in a subprocess (Twisted's reactor runs once per process).

GuardMiddleware: a 5xx robots.txt means nothing else on that origin is requested; disallowed and opted-out URLs
are dropped with stats; Crawl-delay paces the origin; a page whose response opts out never reaches the spider.
RobotParser: our matcher inside Scrapy's own RobotsTxtMiddleware.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import Web

pytest.importorskip("scrapy")

pytestmark = pytest.mark.slow

CRAWL = Path(__file__).with_name("scrapy_crawl.py")
UA = "AcmeBot/1.0 (+https://acme.example/bot)"


def crawl(settings: dict, *start: str) -> dict:
    done = subprocess.run([sys.executable, str(CRAWL), json.dumps(settings), *start], capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1]) | {"log": done.stderr}


def html(*links: str) -> str:
    return "<html><body>" + "".join(f'<a href="{link}">x</a>' for link in links) + "</body></html>"


def test_guard_middleware_fails_closed_drops_paces_and_checks_responses(web: Web, web2: Web, tmp_path) -> None:
    web.robots("User-agent: *\nAllow: /\n", status=503)
    web.route("/", body=html("/a"), content_type="text/html")
    web2.robots("User-agent: *\nDisallow: /private\nCrawl-delay: 0.3\n")
    web2.route("/", body=html("/private/x", "/page1", "/noai", web.origin + "/b"), content_type="text/html")
    web2.route("/page1", body=html("/page2"), content_type="text/html")
    web2.route("/page2", body=html(), content_type="text/html")
    web2.route("/noai", body=html("/never"), content_type="text/html", headers={"X-Robots-Tag": "noai"})
    log = tmp_path / "refusals.jsonl"
    result = crawl({
        "ROBOTSTXT_OBEY": False,
        "USER_AGENT": UA,
        "DOWNLOADER_MIDDLEWARES": {"scrapecheck.contrib.scrapy.GuardMiddleware": 100},
        "SCRAPECHECK_PURPOSE": "ai-training",
        "SCRAPECHECK_ALLOW_PRIVATE_NETWORKS": True,
        "SCRAPECHECK_DECISION_LOG": str(log),
        "SCRAPECHECK_FETCH_CONFIG": {"retries": 0, "connect_timeout": 2, "read_timeout": 2, "total_timeout": 4},
    }, web.origin + "/", web2.origin + "/")

    # The 503 origin: robots.txt (and the well-known TDMRep file, which the signals fetcher reads with it), never
    # a page. Scrapy's own middleware would have crawled it.
    assert [p for p in web.paths() if not p.startswith("/.well-known/")] == ["/robots.txt"]
    # The other origin: robots.txt (and the TDMRep file) by scrapecheck's fetcher, then the allowed pages.
    fetched = web2.paths()
    assert fetched[:2] == ["/robots.txt", "/.well-known/tdmrep.json"]
    assert sorted(fetched[2:]) == ["/", "/noai", "/page1", "/page2"]
    assert "/private/x" not in fetched and "/never" not in fetched
    assert sorted(result["seen"]) == sorted([web2.origin + "/", web2.origin + "/page1", web2.origin + "/page2"])

    stats = result["stats"]
    assert stats["scrapecheck/refused"] == 3  # two on the 503 origin, one by Disallow
    assert stats["scrapecheck/refused/ROB-051"] == 2
    assert stats["scrapecheck/refused/ROB-001"] == 1
    assert stats["scrapecheck/response_refused/AIO-012"] == 1
    assert stats["scrapecheck/origins"] == 2
    assert stats["scrapecheck/delayed"] >= 2
    assert "ROB-051" in result["log"] and "ROB-001" in result["log"]

    # Crawl-delay 0.3 s: the pages of that origin were requested that far apart. The server stamps arrivals, which
    # a loaded machine delivers late by a varying amount, so: no two arrive together (each gap over half the delay),
    # and first to last spans the delays (only two arrivals' lateness can shorten it).
    times = sorted(t for path, t in web2.stamps if path in ("/", "/noai", "/page1", "/page2"))
    assert all(b - a >= 0.15 for a, b in zip(times, times[1:])), times
    assert times[-1] - times[0] >= 0.3 * (len(times) - 1) - 0.1, times

    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert {r["reasons"][0]["rule_id"] for r in rows} == {"ROB-051", "ROB-001", "AIO-012"}


def test_robots_txt_parser_backend(web: Web) -> None:
    web.robots("User-agent: *\nDisallow: /private\nAllow: /private/ok$\n")
    web.route("/", body=html("/private/x", "/private/ok", "/public"), content_type="text/html")
    web.route("/private/ok", body=html(), content_type="text/html")
    web.route("/public", body=html(), content_type="text/html")
    result = crawl({
        "ROBOTSTXT_OBEY": True,
        "USER_AGENT": UA,
        "ROBOTSTXT_PARSER": "scrapecheck.contrib.scrapy.RobotParser",
    }, web.origin + "/")
    assert sorted(web.paths()) == ["/", "/private/ok", "/public", "/robots.txt"]
    assert result["stats"]["robotstxt/forbidden"] == 1


def test_robot_parser_answers_like_is_allowed() -> None:
    from scrapecheck.contrib.scrapy import RobotParser
    from scrapecheck.robots import is_allowed

    body = b"User-agent: acmebot\nDisallow: /x\nCrawl-delay: 4\n\nUser-agent: *\nDisallow: /\n"
    parser = RobotParser(body)
    for url in ("https://a.example/x", "https://a.example/y", b"https://a.example/x/1"):
        for agent in (UA, b"AcmeBot/2", "OtherBot"):
            text_url = url.decode() if isinstance(url, bytes) else url
            text_agent = agent.decode() if isinstance(agent, bytes) else agent
            assert parser.allowed(url, agent) is is_allowed(body, text_agent, text_url)
    assert parser.crawl_delay("AcmeBot") == 4.0
