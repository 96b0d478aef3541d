"""A small asyncio crawler with httpx, every URL checked by a scrapecheck Guard without blocking the event loop.

    python httpx_crawl.py START_URL [--purpose ai-training] [--limit 20] [--workers 4] [--allow-private]

``await guard.acheck(url)`` answers cached sites at once and fetches a new site's robots.txt in a worker thread
(concurrent tasks for one site share that fetch); ``guard.wait_time(url)`` reserves the next slot the site's
Crawl-delay allows, and the task sleeps with ``asyncio.sleep``; ``guard.check_response(...)`` reads the page's own
opt-outs. ``--allow-private`` lets the Guard fetch robots.txt from private addresses (your own network, or the
local test server).
"""

from __future__ import annotations

import argparse
import asyncio
import re
from urllib.parse import urldefrag, urljoin

import httpx

from scrapecheck import Guard

USER_AGENT = "AcmeBot/1.0 (+https://acme.example/bot)"
LINK = re.compile(r"""href=["']([^"'#]+)""")


async def crawl(start: str, purpose: str, limit: int, workers: int, allow_private: bool) -> None:
    guard = Guard(USER_AGENT, purpose, allow_private_networks=allow_private)
    queue: asyncio.Queue[str] = asyncio.Queue()
    queue.put_nowait(start)
    seen: set[str] = set()

    async with httpx.AsyncClient(headers={"User-Agent": USER_AGENT}, timeout=10) as client:

        async def worker() -> None:
            while True:
                url = urldefrag(await queue.get())[0]
                try:
                    if url in seen or len(seen) >= limit or not url.startswith(("http://", "https://")):
                        continue
                    seen.add(url)
                    decision = await guard.acheck(url)
                    if not decision.allowed:
                        print(f"skip {url}: {', '.join(decision.rule_ids)}: {decision.reasons[0].message}")
                        continue
                    await asyncio.sleep(guard.wait_time(url))
                    response = await client.get(url)  # httpx does not follow redirects unless asked
                    if response.is_redirect:
                        queue.put_nowait(urljoin(url, response.headers["Location"]))
                        continue
                    page = guard.check_response(url, response.status_code, response.headers, response.content)
                    if not page.allowed:
                        print(f"drop {url}: {', '.join(r.rule_id for r in page.blocking)}: "
                              f"{page.blocking[0].message}")
                        continue
                    print(f"keep {url} ({response.status_code})")
                    for link in LINK.findall(response.text):
                        queue.put_nowait(urljoin(url, link))
                finally:
                    queue.task_done()

        tasks = [asyncio.create_task(worker()) for _ in range(workers)]
        await queue.join()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("start")
    parser.add_argument("--purpose", default="ai-training")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--allow-private", action="store_true")
    args = parser.parse_args()
    asyncio.run(crawl(args.start, args.purpose, args.limit, args.workers, args.allow_private))


if __name__ == "__main__":
    main()
