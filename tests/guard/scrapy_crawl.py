"""Run one real Scrapy crawl (in its own process: Twisted's reactor cannot restart) and print what happened.

    python scrapy_crawl.py SETTINGS_JSON START_URL [START_URL ...]

Prints one JSON object: the URLs whose responses reached the spider's callback, and the crawl stats.
"""

from __future__ import annotations

import json
import sys

import scrapy
from scrapy.crawler import CrawlerProcess

seen: list[str] = []


class Follow(scrapy.Spider):
    name = "follow"

    def parse(self, response):  # type: ignore[no-untyped-def]
        seen.append(response.url)
        for href in response.css("a::attr(href)").getall():
            yield response.follow(href, callback=self.parse)


def main() -> None:
    settings = json.loads(sys.argv[1])
    settings.setdefault("LOG_LEVEL", "INFO")
    settings.setdefault("TELNETCONSOLE_ENABLED", False)
    settings.setdefault("RETRY_ENABLED", False)
    settings.setdefault("DOWNLOAD_TIMEOUT", 10)
    settings.setdefault("CONCURRENT_REQUESTS", 8)
    process = CrawlerProcess(settings=settings)
    crawler = process.create_crawler(Follow)
    process.crawl(crawler, start_urls=sys.argv[2:])
    process.start()
    stats = {k: (v if isinstance(v, (int, float, str)) else str(v)) for k, v in crawler.stats.get_stats().items()}
    print(json.dumps({"seen": seen, "stats": stats}))


if __name__ == "__main__":
    main()
