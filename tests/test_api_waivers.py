"""evaluate() refuses and rewrites waivers exactly as `scrapecheck check --waivers` does."""

from __future__ import annotations

from pathlib import Path

import pytest

import scrapecheck
from scrapecheck.errors import WaiverError

PLAN = Path(__file__).resolve().parent.parent / "examples" / "plans" / "linkedin-fake-accounts.toml"


def _suppressed(report: scrapecheck.Report, rule_id: str) -> bool:
    return any(f.rule_id == rule_id and f.suppressed for f in report.findings)


def test_unknown_rule_in_a_waiver_is_refused_by_the_api_too() -> None:
    with pytest.raises(WaiverError, match="unknown rule id 'XXX-999'"):
        scrapecheck.evaluate(scrapecheck.load_plan(PLAN), offline=True,
                             waivers=[{"rule": "XXX-999", "reason": "typo", "expires": "2099-01-01"}])


def test_a_waiver_for_a_merged_rule_follows_its_redirect() -> None:
    # ACC-007 was merged into ACC-001 (policies/redirects.toml); a waiver written before the merge still applies
    report = scrapecheck.evaluate(scrapecheck.load_plan(PLAN), offline=True,
                                  waivers=[{"rule": "ACC-007", "reason": "approved", "expires": "2099-01-01"}])
    assert _suppressed(report, "ACC-001")
