"""Generated files are committed and must match the packs and models: rerun `python -m scrapecheck.docs`."""

from __future__ import annotations

import json

from conftest import ROOT

from scrapecheck.docs import render_rules_md
from scrapecheck.policy import load_policy
from scrapecheck.schema import plan_schema

HOW = "stale: run `python -m scrapecheck.docs` (or pytest --update-golden) and commit the result"


def _check(path, expected: str, update: bool) -> None:
    if update:
        path.write_text(expected, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == expected, f"{path.relative_to(ROOT)} is {HOW}"


def test_rules_md_is_current(update_golden: bool) -> None:
    _check(ROOT / "docs" / "rules.md", render_rules_md(load_policy(ROOT / "policies")), update_golden)


def test_plan_schema_is_current(update_golden: bool) -> None:
    _check(ROOT / "docs" / "schema" / "plan.schema.json", json.dumps(plan_schema(), indent=2, sort_keys=True) + "\n",
           update_golden)


def test_plan_schema_accepts_the_examples() -> None:
    import jsonschema

    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover
        import tomli as tomllib
    schema = json.loads((ROOT / "docs" / "schema" / "plan.schema.json").read_text())
    for path in sorted((ROOT / "examples" / "plans").glob("*.toml")):
        jsonschema.validate(tomllib.loads(path.read_text()), schema)
