"""JSON schemas published in ``docs/schema/``, generated from the pydantic models."""

from __future__ import annotations

from typing import Any

from .plan import CrawlPlan


def plan_schema() -> dict[str, Any]:
    schema = CrawlPlan.model_json_schema(mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://scrapecheck.invalid/schema/plan.schema.json"
    schema.setdefault("properties", {}).pop("source", None)
    return schema
