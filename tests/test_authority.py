"""Weight of authority: typed source weights, three-valued verification, limits on rules and findings."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, ROOT, write

from scrapecheck import evaluate, load_plan
from scrapecheck.errors import PolicyError
from scrapecheck.policy import load_policy
from scrapecheck.report import Finding, Severity, SourceRef, Weight

RULE = """
[[rules]]
id = "ZZZ-001"
title = "t"
severity = "high"
category = "accounts"
when = { kind = "field-equals", field = "access.automated_signup", value = true }
message = "m"
why = "w"
example = "e"
remediation = "r"
sources = ["rfc-9309"]
"""


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    target.mkdir()
    for name in ("sources.toml", "platforms.toml", "thresholds.toml"):  # not redirects: they name the real rules
        shutil.copy(ROOT / "policies" / name, target / name)
    return target


def test_weights_are_ordered_from_statute_to_allegation() -> None:
    assert Weight.STATUTE_IN_FORCE > Weight.APPELLATE_DECISION > Weight.TRIAL_DECISION
    assert Weight.REGULATOR_DECISION > Weight.REGULATOR_GUIDANCE > Weight.STANDARD > Weight.ALLEGATION
    assert max([Weight.ALLEGATION, Weight.SETTLEMENT, Weight.VENDOR_POLICY]) is Weight.SETTLEMENT
    assert sorted(Weight)[0] is Weight.ALLEGATION


def test_every_source_has_weight_and_verification(policy) -> None:
    for source in policy.sources.values():
        assert isinstance(source.weight, Weight)
        assert source.verification in ("full", "partial", "none")
        if source.verification != "none":
            assert source.checked is not None and source.verified_from.startswith("http"), source.id


def test_founding_cases_resting_on_secondary_reports_are_partial(policy) -> None:
    for source_id in ("linkedin-v-proapis-2025", "x-corp-v-does-2023", "de-la-torre-v-linkedin-2025"):
        assert policy.sources[source_id].verification == "partial", source_id
        assert policy.sources[source_id].weight is Weight.ALLEGATION


def _source(text: str) -> str:
    return re.search(r'(\[\[sources\]\]\nid = "rfc-9309".*?)(?=\n\[\[sources\]\]|\Z)', text, re.S).group(1)


@pytest.mark.parametrize("old, new, message", [
    ('weight = "standard"', 'weight = "blog-post"', "Input should be"),
    ('verification = "full"', 'verification = "yes"', "Input should be"),
    ('verification = "full"', 'verified = true', "unknown key"),
    ("checked = 2026-11-27", 'checked = "2026-11-27"', "date"),
    ("checked = 2026-11-27\n", "", "needs checked"),
])
def test_bad_source_fields_fail(policy_dir: Path, old: str, new: str, message: str) -> None:
    path = policy_dir / "sources.toml"
    text = path.read_text(encoding="utf-8")
    block = _source(text)
    checked = re.search(r"(?m)^checked = (\S+)$", block).group(1)  # the date moves when the source is re-checked
    old, new = old.replace("2026-11-27", checked), new.replace("2026-11-27", checked)
    assert old in block
    path.write_text(text.replace(block, block.replace(old, new)), encoding="utf-8")
    write(policy_dir / "extra.toml", RULE)
    with pytest.raises(PolicyError, match=message):
        load_policy(policy_dir)


def test_limits_must_resolve_and_not_repeat_a_source(policy_dir: Path) -> None:
    write(policy_dir / "extra.toml", RULE + 'limits = ["no-such-case"]\n')
    with pytest.raises(PolicyError, match=r"ZZZ-001.limits\[0\]: unknown source id"):
        load_policy(policy_dir)
    write(policy_dir / "extra.toml", RULE + 'limits = ["rfc-9309"]\n')
    with pytest.raises(PolicyError, match="both as a source and as a limit"):
        load_policy(policy_dir)
    write(policy_dir / "extra.toml", RULE + 'limits = ["hiq-v-linkedin-2022"]\n')
    assert load_policy(policy_dir).rule("ZZZ-001").limits == ["hiq-v-linkedin-2022"]


def test_findings_carry_limits_and_the_strongest_weight(policy_dir: Path, tmp_path: Path) -> None:
    write(policy_dir / "extra.toml", RULE.replace('sources = ["rfc-9309"]',
                                                  'sources = ["x-corp-v-does-2023", "cfaa-18-usc-1030"]')
          + 'limits = ["hiq-v-linkedin-2022"]\n')
    plan = write(tmp_path / "p.toml", '[crawler]\nname = "t"\nuser_agent = "T/1"\n[access]\nautomated_signup = true\n')
    report = evaluate(load_plan(plan), offline=True, policies=load_policy(policy_dir))
    (finding,) = report.findings
    assert [s.weight for s in finding.sources] == [Weight.ALLEGATION, Weight.STATUTE_IN_FORCE]
    assert finding.weight is Weight.STATUTE_IN_FORCE
    assert [(s.id, s.weight) for s in finding.limits] == [("hiq-v-linkedin-2022", Weight.APPELLATE_DECISION)]
    dumped = finding.model_dump(mode="json")
    assert dumped["weight"] == "statute-in-force" and dumped["limits"][0]["weight"] == "appellate-decision"
    assert Finding.model_validate(dumped) == finding


def test_the_weight_shown_cannot_disagree_with_the_sources() -> None:
    ref = SourceRef(id="a", title="A", url="https://a.example/", date="2020", weight=Weight.ALLEGATION)
    finding = Finding(rule_id="ZZZ-001", title="t", severity=Severity.LOW, category="terms", message="m",
                      sources=[ref], remediation="r", weight=Weight.STATUTE_IN_FORCE)
    assert finding.weight is Weight.ALLEGATION


@pytest.mark.parametrize("fmt, needle", [
    ("text", "limited by: hiQ"), ("markdown", "Limits (the strongest argument"), ("json", '"limits": [\n'),
    ("sarif", '"limits": [\n'),
])
def test_every_format_shows_limits_and_weight(policy_dir: Path, tmp_path: Path, fmt: str, needle: str) -> None:
    import importlib

    write(policy_dir / "extra.toml", RULE.replace('sources = ["rfc-9309"]', 'sources = ["x-corp-v-does-2023"]')
          + 'limits = ["hiq-v-linkedin-2022"]\n')
    plan = write(tmp_path / "p.toml", '[crawler]\nname = "t"\nuser_agent = "T/1"\n[access]\nautomated_signup = true\n')
    report = evaluate(load_plan(plan), offline=True, policies=load_policy(policy_dir))
    out = importlib.import_module(f"scrapecheck.formats.{fmt}").render(report)
    assert needle in out
    assert "allegation" in out and "appellate-decision" in out


def test_seed_examples_keep_their_founding_citations() -> None:
    expected = {
        "linkedin-fake-accounts.toml": "linkedin-v-proapis-2025",
        "x-signup-flood.toml": "x-corp-v-does-2023",
        "linkedin-inmail-ai-training.toml": "de-la-torre-v-linkedin-2025",
        "public-profiles-marketing.toml": "joint-statement-scraping-2023",
    }
    for name, source_id in expected.items():
        report = evaluate(load_plan(EXAMPLES / "plans" / name), offline=True)
        cited = {s.id for f in report.active if f.severity >= Severity.HIGH for s in f.sources}
        assert source_id in cited, name


def test_plan_reference_is_generated_and_current(update_golden: bool) -> None:
    """docs/plan.md documents every plan field with its default and description; stale means regenerate."""
    from scrapecheck.docs import render_plan_md

    path = ROOT / "docs" / "plan.md"
    text = render_plan_md()
    if update_golden:
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, "stale: run `python -m scrapecheck.docs` and commit"
    for key in ("`own_data`", "`cease_and_desist`", "`prohibits`", "## [targets.terms]", "**required**"):
        assert key in text
