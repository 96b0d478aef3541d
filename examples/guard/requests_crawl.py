"""A small synchronous crawler with requests, every URL checked by a scrapecheck Guard.

    python requests_crawl.py START_URL [--purpose ai-training] [--limit 20] [--allow-private]

Before each request: ``guard.check(url)`` (robots.txt, fetched once per site and failing closed; the site's AI
opt-outs for this purpose), then ``guard.wait_time(url)`` (Crawl-delay / Request-rate per site). After it:
``guard.check_response(...)`` (X-Robots-Tag, meta robots noai, TDMRep, Content-Usage, Content-Signal). Redirects
are followed by hand so that each target is checked too. ``--allow-private`` lets the Guard fetch robots.txt from
private addresses (a crawl of your own network, or the local test server).
"""

from __future__ import annotations

import argparse
import re
import time
from urllib.parse import urldefrag, urljoin

import requests

from scrapecheck import Guard

USER_AGENT = "AcmeBot/1.0 (+https://acme.example/bot)"
LINK = re.compile(r"""href=["']([^"'#]+)""")


def crawl(start: str, purpose: str, limit: int, allow_private: bool) -> None:
    guard = Guard(USER_AGENT, purpose, allow_private_networks=allow_private)
    session = requests.Session()
    session.headers["User-Agent"] = USER_AGENT
    queue, seen = [start], set()
    while queue and len(seen) < limit:
        url = urldefrag(queue.pop(0))[0]
        if url in seen or not url.startswith(("http://", "https://")):
            continue
        seen.add(url)
        decision = guard.check(url)
        if not decision.allowed:
            print(f"skip {url}: {', '.join(decision.rule_ids)}: {decision.reasons[0].message}")
            continue
        time.sleep(guard.wait_time(url))
        response = session.get(url, timeout=10, allow_redirects=False)
        if response.is_redirect:
            queue.append(urljoin(url, response.headers["Location"]))
            continue
        page = guard.check_response(url, response.status_code, response.headers, response.content)
        if not page.allowed:
            print(f"drop {url}: {', '.join(r.rule_id for r in page.blocking)}: {page.blocking[0].message}")
            continue
        print(f"keep {url} ({response.status_code})")
        queue.extend(urljoin(url, link) for link in LINK.findall(response.text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("start")
    parser.add_argument("--purpose", default="ai-training")
    parser.add_argument("--limit", type=int, default=20)
    parser.add_argument("--allow-private", action="store_true")
    args = parser.parse_args()
    crawl(args.start, args.purpose, args.limit, args.allow_private)


if __name__ == "__main__":
    main()
