"""JSON: the machine format of DESIGN.md. Keys sorted, stable across runs for the same report."""

from __future__ import annotations

import json

from ..report import Report


def render(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
