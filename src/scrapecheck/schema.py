"""JSON schemas published in ``docs/schema/``, generated from the pydantic models.

``plan.schema.json``: the crawl plan. ``report.schema.json``: what ``scrapecheck check --format json`` writes,
either one plan's report or, for several plans or a directory, ``{"version", "summary", "reports": [...]}``.
``python -m scrapecheck.docs`` rewrites both; a test fails when the committed copies are stale.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import models_json_schema

from .plan import CrawlPlan
from .report import Finding, NotChecked, Severity

BASE = "https://scrapecheck.invalid/schema/"


def plan_schema() -> dict[str, Any]:
    schema = CrawlPlan.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"{BASE}plan.schema.json"
    schema.setdefault("properties", {}).pop("source", None)
    return schema


def _closed(definition: dict[str, Any]) -> dict[str, Any]:
    """Every property is always written, and no other: required = all, additionalProperties = false."""
    definition["required"] = sorted(definition.get("properties", {}))
    definition["additionalProperties"] = False
    return definition


def _counts() -> dict[str, Any]:
    names = [severity.value for severity in Severity]
    return {"type": "object", "description": "Unwaived findings per severity; every severity present.",
            "properties": {name: {"type": "integer", "minimum": 0} for name in names},
            "required": names, "additionalProperties": False}


def _max_severity() -> dict[str, Any]:
    return {"anyOf": [{"$ref": "#/$defs/Severity"}, {"type": "null"}],
            "description": "Highest severity among unwaived findings; null when there are none."}


def report_schema() -> dict[str, Any]:
    _, generated = models_json_schema([(Finding, "serialization"), (NotChecked, "serialization")],
                                      ref_template="#/$defs/{model}")
    defs: dict[str, Any] = generated["$defs"]
    for name in ("Finding", "SourceRef", "NotChecked"):
        _closed(defs[name])
    defs["Finding"]["properties"]["waiver"] = {
        "anyOf": [{"$ref": "#/$defs/WaiverState"}, {"type": "null"}],
        "description": "The waiver covering this finding: live (then suppressed is true) or expired.",
    }
    defs["WaiverState"] = {
        "type": "object",
        "description": "A waiver as applied to a finding. An expired waiver no longer suppresses it.",
        "properties": {
            "reason": {"type": "string", "minLength": 1},
            "expires": {"type": "string", "format": "date"},
            "approved_by": {"anyOf": [{"type": "string"}, {"type": "null"}]},
            "expired": {"type": "boolean", "const": True},
        },
        "required": ["reason", "expires", "approved_by"],
        "additionalProperties": False,
    }
    defs["Summary"] = {
        "type": "object",
        "properties": {
            "max_severity": _max_severity(),
            "counts": _counts(),
            "suppressed": {"type": "integer", "minimum": 0, "description": "Findings waived."},
            "baseline": {"type": "integer", "minimum": 0,
                         "description": "Findings recorded in the --baseline file: known, not counted."},
            "not_checked": {"type": "integer", "minimum": 0,
                            "description": "Rule/target pairs not decided for lack of a signal."},
        },
        "required": ["baseline", "max_severity", "counts", "suppressed", "not_checked"],
        "additionalProperties": False,
    }
    defs["PlanSummary"] = {
        "type": "object",
        "description": "Who crawls what, as read from the plan.",
        "properties": {
            "name": {"type": "string"},
            "source": {"anyOf": [{"type": "string"}, {"type": "null"}], "description": "The plan file."},
            "user_agent": {"type": "string"},
            "purpose": {"type": "string"},
            "targets": {"type": "array", "items": {"type": "string"}},
        },
        "required": ["name", "source", "user_agent", "purpose", "targets"],
        "additionalProperties": False,
    }
    defs["Report"] = {
        "type": "object",
        "title": "Report",
        "description": "One plan's report (DESIGN.md): findings most severe first.",
        "properties": {
            "version": {"const": 1},
            "tool_version": {"type": "string"},
            "plan": {"$ref": "#/$defs/PlanSummary"},
            "summary": {"$ref": "#/$defs/Summary"},
            "findings": {"type": "array", "items": {"$ref": "#/$defs/Finding"}},
            "not_checked": {"type": "array", "items": {"$ref": "#/$defs/NotChecked"}},
            "signals": {"type": "object", "description": "The signals used (robots.txt snapshots, opt-outs), "
                                                         "as recorded by 'scrapecheck fetch'."},
        },
        "required": ["version", "tool_version", "plan", "summary", "findings", "not_checked", "signals"],
        "additionalProperties": False,
    }
    multi_summary = {
        "type": "object",
        "properties": {**defs["Summary"]["properties"],
                       "plans": {"type": "integer", "minimum": 0, "description": "Plans checked."}},
        "required": [*defs["Summary"]["required"], "plans"],
        "additionalProperties": False,
    }
    defs["MultiReport"] = {
        "type": "object",
        "title": "MultiReport",
        "description": "Several plans (or a directory) in one run: a combined summary and one report per plan.",
        "properties": {
            "version": {"const": 1},
            "tool_version": {"type": "string"},
            "summary": multi_summary,
            "reports": {"type": "array", "items": {"$ref": "#/$defs/Report"}},
        },
        "required": ["version", "tool_version", "summary", "reports"],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{BASE}report.schema.json",
        "title": "scrapecheck report",
        "description": "Output of 'scrapecheck check --format json': one plan's Report, or a MultiReport.",
        "oneOf": [{"$ref": "#/$defs/Report"}, {"$ref": "#/$defs/MultiReport"}],
        "$defs": dict(sorted(defs.items())),
    }
