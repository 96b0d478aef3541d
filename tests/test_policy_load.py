"""Pack validation: every broken pack fails loudly with file, rule id and field; nothing is skipped."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, write

from scrapecheck.errors import PolicyError
from scrapecheck.policy import load_policy

GOOD_RULE = """
[[rules]]
id = "ZZZ-001"
title = "t"
severity = "high"
category = "accounts"
when = { kind = "field-equals", field = "access.automated_signup", value = true }
message = "m {access.account_count}"
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


def test_shipped_policy_loads_and_every_rule_cites(policy) -> None:
    assert len(policy.rules) >= 40
    for rule in policy.rules:
        assert rule.sources, rule.id
        for source_id in rule.sources:
            assert policy.sources[source_id].url.startswith("http")


def test_founding_citation_ids_exist(policy) -> None:
    for source_id in ("linkedin-v-proapis-2025", "x-corp-v-does-2023", "de-la-torre-v-linkedin-2025",
                      "joint-statement-scraping-2023", "rfc-9309"):
        assert source_id in policy.sources


def test_de_la_torre_is_described_as_dismissed_and_alleged(policy) -> None:
    source = policy.sources["de-la-torre-v-linkedin-2025"]
    assert "dismiss" in source.status.lower()
    assert "alleg" in source.summary.lower()


def test_a_good_extra_pack_loads(policy_dir: Path) -> None:
    write(policy_dir / "extra.toml", GOOD_RULE)
    policy = load_policy(policy_dir)
    assert [r.id for r in policy.rules] == ["ZZZ-001"]


@pytest.mark.parametrize("change, where, message", [
    (('kind = "field-equals"', 'kind = "field-equal"'), "rules[0] (ZZZ-001).when",
     "does not match any of the expected tags"),
    (('field = "access.automated_signup"', 'field = "access.automatic_signup"'),
     "rules[0] (ZZZ-001).when.field-equals.field", "unknown plan field"),
    (('sources = ["rfc-9309"]', 'sources = ["no-such-case"]'), "ZZZ-001.sources[0]", "unknown source id"),
    (('sources = ["rfc-9309"]', 'sources = []'), "rules[0] (ZZZ-001).sources", "at least 1 item"),
    (('severity = "high"', 'severity = "severe"'), "rules[0] (ZZZ-001).severity", "Input should be"),
    (('category = "accounts"', 'category = "misc"'), "rules[0] (ZZZ-001).category", "Input should be"),
    (('id = "ZZZ-001"', 'id = "zzz1"'), "rules[0] (zzz1).id", "must look like ABC-123"),
    (('message = "m {access.account_count}"', 'message = "m {access.acount}"'), "ZZZ-001.message", "placeholder"),
    (('why = "w"\n', 'why = "w"\nseverity_hint = 1\n'), "rules[0] (ZZZ-001).severity_hint", "unknown key"),
    (('why = "w"\n', ''), "rules[0] (ZZZ-001).why", "required key missing"),
])
def test_broken_rules_fail_with_file_and_field(policy_dir: Path, change: tuple[str, str], where: str,
                                               message: str) -> None:
    old, new = change
    assert old in GOOD_RULE
    path = write(policy_dir / "extra.toml", GOOD_RULE.replace(old, new))
    with pytest.raises(PolicyError) as caught:
        load_policy(policy_dir)
    text = str(caught.value)
    assert text.startswith(str(path)), text
    assert where in text, text
    assert message in text, text


def test_duplicate_rule_ids_fail(policy_dir: Path) -> None:
    write(policy_dir / "a.toml", GOOD_RULE)
    write(policy_dir / "b.toml", GOOD_RULE)
    with pytest.raises(PolicyError, match="ZZZ-001: rule id already defined in a.toml"):
        load_policy(policy_dir)


def test_unknown_threshold_and_platform_fail(policy_dir: Path) -> None:
    write(policy_dir / "a.toml", GOOD_RULE.replace(
        'when = { kind = "field-equals", field = "access.automated_signup", value = true }',
        'when = { kind = "field-at-least", field = "access.account_count", threshold = "lots" }'))
    with pytest.raises(PolicyError, match="unknown threshold 'lots'"):
        load_policy(policy_dir)
    write(policy_dir / "a.toml", GOOD_RULE.replace(
        'when = { kind = "field-equals", field = "access.automated_signup", value = true }',
        'when = { kind = "target-platform", platforms = ["myspace"] }'))
    with pytest.raises(PolicyError, match="unknown platform 'myspace'"):
        load_policy(policy_dir)


def test_bound_needs_exactly_one_of_value_or_threshold(policy_dir: Path) -> None:
    write(policy_dir / "a.toml", GOOD_RULE.replace(
        'when = { kind = "field-equals", field = "access.automated_signup", value = true }',
        'when = { kind = "field-at-least", field = "access.account_count", value = 3, threshold = "many_accounts" }'))
    with pytest.raises(PolicyError, match="exactly one of value or threshold"):
        load_policy(policy_dir)


def test_invalid_toml_and_bad_sources(policy_dir: Path) -> None:
    write(policy_dir / "a.toml", "[[rules]\n")
    with pytest.raises(PolicyError, match="invalid TOML"):
        load_policy(policy_dir)
    (policy_dir / "a.toml").unlink()
    sources = policy_dir / "sources.toml"
    sources.write_text(sources.read_text() + '\n[[sources]]\nid = "Bad_Id"\nkind = "case"\ntitle = "t"\n'
                       'court_or_body = "c"\ndate = "2020"\nstatus = "s"\nurl = "https://x.example"\n')
    with pytest.raises(PolicyError, match="kebab-case"):
        load_policy(policy_dir)


def test_redirects_are_followed_and_checked(policy_dir: Path) -> None:
    write(policy_dir / "a.toml", GOOD_RULE)
    write(policy_dir / "redirects.toml", '[redirects]\nZZZ-900 = "ZZZ-001"\n')
    assert load_policy(policy_dir).rule("zzz-900").id == "ZZZ-001"
    write(policy_dir / "redirects.toml", '[redirects]\nZZZ-900 = "ZZZ-404"\n')
    with pytest.raises(PolicyError, match="redirects to unknown rule"):
        load_policy(policy_dir)
