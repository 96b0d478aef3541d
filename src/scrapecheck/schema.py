"""JSON schemas published in ``docs/schema/``, generated from the pydantic models.

``plan.schema.json``: the crawl plan. ``report.schema.json``: what ``scrapecheck check --format json`` writes
(``report.ReportDocument`` and ``report.MultiReportDocument``, the models the JSON format dumps),
either one plan's report or, for several plans or a directory, ``{"version", "summary", "reports": [...]}``.
``python -m scrapecheck.docs`` rewrites both; a test fails when the committed copies are stale.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import GenerateJsonSchema, models_json_schema

from .plan import CrawlPlan
from .report import MultiReportDocument, ReportDocument

BASE = "https://scrapecheck.invalid/schema/"


def plan_schema() -> dict[str, Any]:
    schema = CrawlPlan.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"{BASE}plan.schema.json"
    schema.setdefault("properties", {}).pop("source", None)
    return schema


class _OutputSchema(GenerateJsonSchema):
    """Schema of what a dump writes: every model field is always present (defaults included); a TypedDict's
    ``NotRequired`` key is present only when set (``"expired": true``)."""

    def field_is_required(self, field: Any, total: bool) -> bool:
        if field["type"] == "typed-dict-field":
            return bool(field.get("required", total))
        return not field.get("serialization_exclude")


def report_schema() -> dict[str, Any]:
    """Generated from ``ReportDocument`` and ``MultiReportDocument``, the models the JSON format dumps."""
    _, generated = models_json_schema([(ReportDocument, "serialization"), (MultiReportDocument, "serialization")],
                                      ref_template="#/$defs/{model}", schema_generator=_OutputSchema)
    defs: dict[str, Any] = generated["$defs"]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE}report.schema.json",
        "title": "scrapecheck report",
        "description": "Output of 'scrapecheck check --format json': one plan's Report, or a MultiReport.",
        "oneOf": [{"$ref": "#/$defs/ReportDocument"}, {"$ref": "#/$defs/MultiReportDocument"}],
        "$defs": dict(sorted(defs.items())),
    }
