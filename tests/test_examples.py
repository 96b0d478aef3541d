"""The bundled example plans and scripts run as written, offline, with the findings they promise."""

from __future__ import annotations

import subprocess
import sys

import pytest
from conftest import EXAMPLES

from scrapecheck import Severity, evaluate, load_plan

PLANS = EXAMPLES / "plans"

SEED_CASES = {
    "linkedin-fake-accounts.toml": ("linkedin-v-proapis-2025", {"ACC-001", "ACC-002", "TOS-004"}),  # ACC-007 merged into ACC-001
    "x-signup-flood.toml": ("x-corp-v-does-2023", {"ACC-002", "LOD-001", "CIR-006"}),
    "linkedin-inmail-ai-training.toml": ("de-la-torre-v-linkedin-2025", {"PRV-001", "PRV-002", "PRV-003"}),
    "public-profiles-marketing.toml": ("joint-statement-scraping-2023", {"PER-001", "PER-009", "USE-001"}),
}
CLEAN = ["clean-search-indexing.toml", "clean-archiving.toml"]


def test_every_example_plan_is_covered() -> None:
    assert {p.name for p in PLANS.glob("*.toml")} >= set(SEED_CASES) | set(CLEAN)


@pytest.mark.parametrize("name", sorted(SEED_CASES))
def test_seed_case_plans_cite_their_case(name: str) -> None:
    citation, expected = SEED_CASES[name]
    report = evaluate(load_plan(PLANS / name), offline=True)
    found = {finding.rule_id for finding in report.findings}
    assert expected <= found, expected - found
    serious = [f for f in report.findings if f.severity >= Severity.HIGH]
    assert any(citation in {s.id for s in f.sources} for f in serious), f"no high/critical finding cites {citation}"


@pytest.mark.parametrize("name", CLEAN)
def test_clean_plans_stay_at_or_below_low(name: str) -> None:
    report = evaluate(load_plan(PLANS / name), offline=True)
    assert not report.exceeds("medium"), [(f.rule_id, f.severity.value) for f in report.findings]
    reported = {(f.target, rule) for f in report.findings for rule in f.evidence.get("rules_not_checked", [])}
    assert {(item.target, item.rule_id) for item in report.not_checked} <= reported, "an unchecked rule went unreported"


@pytest.mark.parametrize("script", sorted((EXAMPLES).glob("*.py")), ids=lambda p: p.name)
def test_example_scripts_run(script) -> None:
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120,
                          cwd=str(EXAMPLES))
    assert done.returncode == 0, done.stderr[-2000:]
