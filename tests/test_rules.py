"""Every rule fires on its own case and stays quiet on a near miss; a meta-test enforces that both exist.

Cases live in tests/rules/<RULE_ID>/{fires,quiet}.toml, each a complete plan, with an optional
{fires,quiet}.signals.json beside it. They are evaluated offline.
"""

from __future__ import annotations

import pytest
from conftest import ROOT

from scrapecheck import evaluate, load_plan
from scrapecheck.api import default_policy

CASES = ROOT / "tests" / "rules"
RULE_IDS = [rule.id for rule in default_policy().rules if rule.status != "deprecated"]


def _run(rule_id: str, case: str) -> set[str]:
    plan_path = CASES / rule_id / f"{case}.toml"
    if not plan_path.exists():
        pytest.fail(f"{plan_path.relative_to(ROOT)} is missing")
    signals = CASES / rule_id / f"{case}.signals.json"
    report = evaluate(load_plan(plan_path), offline=True, signals=signals if signals.exists() else None)
    return {finding.rule_id for finding in report.findings}


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_fires(rule_id: str) -> None:
    assert rule_id in _run(rule_id, "fires")


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_rule_stays_quiet(rule_id: str) -> None:
    assert rule_id not in _run(rule_id, "quiet")


def test_every_rule_has_both_cases_and_no_case_is_orphaned() -> None:
    missing = [f"{rule_id}/{case}.toml" for rule_id in RULE_IDS for case in ("fires", "quiet")
               if not (CASES / rule_id / f"{case}.toml").exists()]
    assert not missing, f"rules without cases: {missing}"
    orphans = sorted(p.name for p in CASES.iterdir() if p.is_dir() and p.name not in RULE_IDS)
    assert not orphans, f"case folders for unknown rules: {orphans}"
