"""JSON: the machine format of DESIGN.md. Keys sorted, stable across runs for the same report.

One plan: ``{"version", "tool_version", "plan", "summary", "findings", "not_checked", "signals"}`` exactly as
``Report.to_dict``. Several plans (or a directory):
``{"version", "tool_version", "summary", "reports": [one of the above, ...]}`` where ``summary`` adds up the
reports and counts the plans. ``docs/schema/report.schema.json`` describes both.
"""

from __future__ import annotations

import json
from typing import Any, Optional, Sequence

from ._escape import json_safe
from ..report import MultiReportDocument, Report
from .interface import RenderContext


def _dump(data: Any) -> str:
    return json_safe(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)) + "\n"


def combined(reports: Sequence[Report]) -> dict[str, Any]:
    """The several-plans document (``MultiReportDocument``)."""
    return MultiReportDocument.of(reports).model_dump(mode="json")


def render(report: Report, context: Optional[RenderContext] = None) -> str:
    return _dump(report.to_dict())


def render_many(reports: Sequence[Report], context: Optional[RenderContext] = None) -> str:
    """The ``reports`` document, used whenever the run named several plans or a directory (even of one)."""
    return _dump(combined(reports))
