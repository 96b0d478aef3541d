"""Output formats. Each renders Reports to text and knows nothing else: no engine, no files, no clock.

Every format module has ``render(report, context=None)`` for one plan and ``render_many(reports, context=None)``
for a run over several plans or a directory; ``context`` (``interface.RenderContext``) carries the few
options the CLI prepares (colour, quiet, rule docs, plan field lines).
"""

from __future__ import annotations

from typing import Callable, Optional, Sequence

from ..report import Report
from . import html, json, markdown, sarif, text
from .interface import RenderContext, RuleDoc

Render = Callable[[Report, Optional[RenderContext]], str]
RenderMany = Callable[[Sequence[Report], Optional[RenderContext]], str]

FORMATS: dict[str, Render] = {
    "text": text.render,
    "json": json.render,
    "sarif": sarif.render,
    "markdown": markdown.render,
    "html": html.render,
}
FORMATS_MANY: dict[str, RenderMany] = {
    "text": text.render_many,
    "json": json.render_many,
    "sarif": sarif.render_many,
    "markdown": markdown.render_many,
    "html": html.render_many,
}

FORMAT_NAMES: tuple[str, ...] = tuple(FORMATS)
"""The ``--format`` choices and the config's ``format`` values."""

__all__ = ["FORMATS", "FORMATS_MANY", "FORMAT_NAMES", "RenderContext", "RuleDoc"]
