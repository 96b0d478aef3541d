"""A page's ``<meta name|http-equiv content>`` tags, read with :mod:`html.parser`.

Apart from :mod:`scrapecheck.signals.pages` so that ``html.parser`` (and its compiled patterns) is imported only
when a page is actually read: a check from robots.txt snapshots never does (issue 10, start-up time).
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import Optional


class _MetaCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.metas: list[tuple[str, str, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        if tag != "meta":
            return
        values: dict[str, str] = {}
        for attribute, value in attrs:  # a repeated attribute is dropped, the first value stands (as in HTML)
            values.setdefault(attribute.lower(), value or "")
        name = values.get("name") or values.get("http-equiv")
        if name and "content" in values:
            self.metas.append((name.strip().lower(), values["content"], self.getpos()[0]))

    handle_startendtag = handle_starttag


def meta_tags(html: str) -> list[tuple[str, str, int]]:
    """(name or http-equiv lower-cased, content, line) of every meta tag with content, in page order."""
    collector = _MetaCollector()
    try:
        collector.feed(html)
        collector.close()
    except Exception:  # pragma: no cover - html.parser is lenient; never let a page break collection
        pass
    return collector.metas
