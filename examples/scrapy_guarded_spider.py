"""A real Scrapy spider whose every request passes a scrapecheck Guard (``scrapecheck.contrib.scrapy``).

    python examples/scrapy_guarded_spider.py

To stay offline it serves a tiny site on 127.0.0.1 itself: robots.txt disallows /private/ and asks for a
Crawl-delay, and one page answers with ``X-Robots-Tag: noai``. The middleware replaces Scrapy's
RobotsTxtMiddleware: it fetches robots.txt once per site and fails closed (a 5xx robots.txt means no page is
fetched), drops refused requests with a logged reason and a ``scrapecheck/refused/<rule>`` stat, paces each
site, and drops responses whose page opts out of the purpose. ``SCRAPECHECK_ALLOW_PRIVATE_NETWORKS`` is needed
only because this site is on the loopback address; leave it off for real crawls.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import scrapy
from scrapy.crawler import CrawlerProcess

PAGES = {
    "/robots.txt": ({"Content-Type": "text/plain"}, "User-agent: *\nDisallow: /private/\nCrawl-delay: 0.2\n"),
    "/": ({}, '<a href="/articles/1">one</a> <a href="/private/admin">admin</a> <a href="/gallery">gallery</a>'),
    "/articles/1": ({}, "<p>An article.</p>"),
    "/private/admin": ({}, "<p>Never fetched.</p>"),
    "/gallery": ({"X-Robots-Tag": "noai"}, "<p>Pictures whose owner opts out of AI use.</p>"),
}


class Site(BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        headers, body = PAGES.get(self.path, ({}, None))
        self.send_response(200 if body is not None else 404)
        for name, value in {"Content-Type": "text/html", **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write((body or "not found").encode())

    def log_message(self, *args: object) -> None:
        pass


class FollowLinks(scrapy.Spider):
    name = "follow-links"
    reached: list[str] = []

    def parse(self, response):  # type: ignore[no-untyped-def]
        FollowLinks.reached.append(response.url)
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse)


def main() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    start = f"http://127.0.0.1:{server.server_port}/"
    process = CrawlerProcess(settings={
        "USER_AGENT": "AcmeBot/1.0 (+https://acme.example/bot)",
        "ROBOTSTXT_OBEY": False,  # Scrapy's own middleware is replaced by the Guard's
        "DOWNLOADER_MIDDLEWARES": {"scrapecheck.contrib.scrapy.GuardMiddleware": 100},
        "SCRAPECHECK_PURPOSE": "ai-training",
        "SCRAPECHECK_ALLOW_PRIVATE_NETWORKS": True,
        "LOG_LEVEL": "WARNING",
        "TELNETCONSOLE_ENABLED": False,
    })
    crawler = process.create_crawler(FollowLinks)
    process.crawl(crawler, start_urls=[start])
    process.start()
    server.shutdown()
    for url in FollowLinks.reached:
        print("reached", url)
    for key, value in sorted(crawler.stats.get_stats().items()):
        if key.startswith("scrapecheck/"):
            print(key, value)


if __name__ == "__main__":
    main()
