"""A page's ``<meta name|http-equiv content>`` tags, read with :mod:`html.parser`.

Apart from :mod:`scrapecheck.signals.pages` so that ``html.parser`` (and its compiled patterns) is imported only
when a page is actually read: a check from robots.txt snapshots never does (issue 10, start-up time).

``html.parser`` is not given the whole page: on tags that never close (``<a <a <a ...``) it rescans the rest of
the page at each ``<``, so 512 KiB of them took hours. A single pass (:data:`_TOKENS`) finds the meta tags, past
comments and the content of ``<script>`` and ``<style>`` as ``html.parser`` skips them, and each tag alone is
handed to ``html.parser`` for its attributes (quoting, character references). Time is linear in the page.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Optional

# The page's markup as html.parser splits it, as far as finding meta tags needs: comments, marked sections
# (<![CDATA[...]]>), other <! <? </ constructs (which end at the next '>'), start tags (by name), and inside a start
# tag a quoted value (its quote comes right after '=') and the '>' that ends it.
_TOKENS = re.compile(r"""<!--|<!\[|<[!?/]|<([a-zA-Z][^\t\n\r\f />\x00]*)|=\s*(["'])|--\s*>|>""")
_CLOSERS = {"-->": re.compile(r"--\s*>"), "]]>": re.compile(r"]\s*]\s*>"), "]>": re.compile(r"]\s*>"),
            "script": re.compile(r"</\s*script\s*>", re.I), "style": re.compile(r"</\s*style\s*>", re.I)}
_SECTION = re.compile(r"[a-zA-Z][-_.a-zA-Z0-9]*")


class _MetaCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.metas: list[tuple[str, str, int]] = []
        self.line = 0  # line of the tag being fed, in the page

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        if tag != "meta":
            return
        values: dict[str, str] = {}
        for attribute, value in attrs:  # a repeated attribute is dropped, the first value stands (as in HTML)
            values.setdefault(attribute.lower(), value or "")
        name = values.get("name") or values.get("http-equiv")
        if name and "content" in values:
            self.metas.append((name.strip().lower(), values["content"], self.line + self.getpos()[0] - 1))

    handle_startendtag = handle_starttag


_RESTARTS = 8
"""Start tags never closed (no ``>``, or a quoted value with no end) after which the page is read again from the
tag's next ``>``, as html.parser reads it; each costs a pass over the rest of the page, so their number is
bounded."""


def _tags(html: str) -> list[tuple[int, int]]:
    """(start, end) of every meta tag outside comments and raw text, in page order.

    As ``html.parser`` reads them, or finding more: what is never closed is text up to the next ``>``, except a
    ``<script>`` or ``<style>``, which holds the rest of the page. Each closer is looked for from where it is
    needed on, and once missing it is not looked for again: one pass over the page (a few more when start tags
    are never closed, :data:`_RESTARTS`).
    """
    found: list[tuple[int, int]] = []
    position = 0
    for _ in range(_RESTARTS + 1):
        unfinished = _scan(html, position, found)
        if unfinished < 0:
            break
        position = html.find(">", unfinished + 1) + 1
        if position <= 0:
            break
    return found


def _scan(html: str, position: int, found: list[tuple[int, int]]) -> int:
    """Add the meta tags from ``position`` on to ``found``; the start of a start tag that never closes, or -1."""
    missing: set[str] = set()  # closers that do not occur after some point, so not after any later one either
    state, tag, start, skip_until = "text", "", 0, 0  # state: text, tag (in a start tag), skip (up to a '>')

    def find(closer: str, begin: int) -> int:
        """The end of ``closer`` after ``begin``, or -1 (remembered)."""
        match = None if closer in missing else _CLOSERS[closer].search(html, begin)
        if match is None:
            missing.add(closer)
            return -1
        return match.end()

    for token in _TOKENS.finditer(html, position):
        at, text = token.start(), token.group()
        if at < skip_until:
            continue
        if state == "skip":
            if text.endswith(">"):
                state = "text"
        elif state == "tag":
            quote = token.group(2)
            if quote:
                close = html.find(quote, token.end())
                if close < 0:  # the tag never closes
                    return start
                skip_until = close + 1
            elif text.endswith(">"):
                state = "text"
                if tag == "meta":
                    found.append((start, token.end()))
                elif tag in ("script", "style") and html[token.start() - 1] != "/":  # <script/> has no content
                    skip_until = find(tag, token.end())
                    if skip_until < 0:  # never closed: the rest of the page is its content
                        return -1
        elif text in ("<!--", "<!["):
            if text == "<!--":
                closer, begin = "-->", at + 4
            else:
                section = _SECTION.match(html, at + 3)
                closer = "]>" if section and section.group().lower() in ("if", "else", "endif") else "]]>"
                begin = section.end() if section else -1
            skip_until = find(closer, begin) if begin >= 0 else -1
            if skip_until < 0:
                state = "skip"
        elif token.group(1):
            state, tag, start = "tag", token.group(1).lower(), at
        elif text.startswith("<"):  # <! <? </: up to the next '>'
            state = "skip"
    return start if state == "tag" else -1


def meta_tags(html: str) -> list[tuple[str, str, int]]:
    """(name or http-equiv lower-cased, content, line) of every meta tag with content, in page order."""
    collector = _MetaCollector()
    line, counted = 1, 0
    for start, end in _tags(html):
        line += html.count("\n", counted, start)
        counted = start
        collector.reset()
        collector.line = line
        try:
            collector.feed(html[start:end])
            collector.close()
        except Exception:  # pragma: no cover - html.parser is lenient; never let a page break collection
            pass
    return collector.metas
