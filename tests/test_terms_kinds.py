"""Per-target terms, notices and own data: the plan fields and the check kinds that read them."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import MINIMAL_PLAN, ROOT, write

from scrapecheck import evaluate, load_plan
from scrapecheck.errors import PlanError, PolicyError
from scrapecheck.policy import load_policy

RULE = """
[[rules]]
id = "ZZZ-001"
title = "t"
severity = "high"
category = "terms"
when = {when}
message = "m"
why = "w"
example = "e"
remediation = "r"
sources = ["ryanair-v-pr-aviation-2015"]
"""


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    target.mkdir()
    for name in ("sources.toml", "platforms.toml", "thresholds.toml"):
        shutil.copy(ROOT / "policies" / name, target / name)
    return target


def fired(policy_dir: Path, tmp_path: Path, when: str, plan: str) -> list:
    write(policy_dir / "z.toml", RULE.replace("{when}", when))
    path = write(tmp_path / "plan.toml", MINIMAL_PLAN + plan)
    return evaluate(load_plan(path), offline=True, policies=load_policy(policy_dir)).findings


AIRLINE = '[[targets]]\nurl = "https://www.airline.example/fares"\nrobots_txt = ""\n'
LINKEDIN = '[[targets]]\nurl = "https://www.linkedin.com/in/"\nrobots_txt = ""\n'


def test_plan_wide_acceptance_applies_unless_a_target_says_otherwise(policy_dir: Path, tmp_path: Path) -> None:
    when = '{ kind = "target-terms", accepted = true }'
    (finding,) = fired(policy_dir, tmp_path, when, "[access]\naccepted_terms = true\n" + AIRLINE)
    assert finding.evidence["terms_accepted_from"] == "access.accepted_terms"
    assert fired(policy_dir, tmp_path, when, "[access]\naccepted_terms = true\n" + AIRLINE
                 + "[targets.terms]\naccepted = false\n") == []
    (finding,) = fired(policy_dir, tmp_path, when, AIRLINE + "[targets.terms]\naccepted = true\n")
    assert finding.evidence["terms_accepted_from"] == "targets.terms.accepted"


def test_unassessed_means_no_declared_prohibitions_and_no_known_platform(policy_dir: Path, tmp_path: Path) -> None:
    when = '{ kind = "target-terms", assessed = false }'
    assert len(fired(policy_dir, tmp_path, when, AIRLINE)) == 1
    assert fired(policy_dir, tmp_path, when, AIRLINE + "[targets.terms]\nprohibits = []\n") == []
    assert fired(policy_dir, tmp_path, when, LINKEDIN) == []


def test_declared_and_platform_prohibitions_are_combined(policy_dir: Path, tmp_path: Path) -> None:
    when = '{ kind = "target-terms", prohibits = ["commercial-use"] }'
    (finding,) = fired(policy_dir, tmp_path, when, AIRLINE + '[targets.terms]\nprohibits = ["commercial-use"]\n'
                       'url = "https://www.airline.example/terms"\n')
    assert finding.evidence["prohibition"] == "commercial-use"
    assert finding.evidence["terms_url"] == "https://www.airline.example/terms"
    assert finding.evidence["clause_text"] is None
    when = '{ kind = "target-terms", prohibits = ["scraping"] }'
    (finding,) = fired(policy_dir, tmp_path, when, LINKEDIN + '[targets.terms]\nprohibits = ["commercial-use"]\n')
    assert finding.evidence["terms_prohibits_from"] == "plan+platform"
    assert "commercial-use" in finding.evidence["terms_prohibits"]
    assert finding.evidence["clause_text"] and "linkedin" in finding.evidence["terms_url"]


def test_notices(policy_dir: Path, tmp_path: Path) -> None:
    when = '{ kind = "target-notice" }'
    assert fired(policy_dir, tmp_path, when, AIRLINE) == []
    (finding,) = fired(policy_dir, tmp_path, when, AIRLINE + "blocked = true\n")
    assert finding.evidence["notice"] == "block"
    when = '{ kind = "target-notice", received = ["cease-and-desist"] }'
    assert fired(policy_dir, tmp_path, when, AIRLINE + "blocked = true\n") == []
    assert len(fired(policy_dir, tmp_path, when, AIRLINE + "cease_and_desist = true\n")) == 1


@pytest.mark.parametrize("plan, household, expected", [
    ('[data]\nown_data = ["messages"]\n[purpose]\nkind = "personal"\n', True, True),
    ('[data]\nown_data = ["messages"]\n[purpose]\nkind = "personal"\ncommercial = true\n', True, False),
    ('[data]\nown_data = ["messages"]\n[purpose]\nkind = "marketing"\n', True, False),
    ('[data]\nown_data = ["messages"]\n[purpose]\nkind = "marketing"\n', False, True),
    ('[data]\nown_data = ["posts"]\n[purpose]\nkind = "archiving"\n[use]\nshare_with = ["ai-vendor"]\n', True, False),
    ('[data]\nown_data = []\n[purpose]\nkind = "personal"\n', False, False),
    ('[data]\nown_data = ["messages"]\n[access]\nauthentication = "shared-credentials"\n', False, False),
    ('[data]\nown_data = ["posts"]\n[access]\nauthentication = "own-account"\n', False, True),
])
def test_own_data(policy_dir: Path, tmp_path: Path, plan: str, household: bool, expected: bool) -> None:
    when = f'{{ kind = "own-data", household = {str(household).lower()} }}'
    assert bool(fired(policy_dir, tmp_path, when, plan)) is expected


def test_own_data_of_a_kind(policy_dir: Path, tmp_path: Path) -> None:
    when = '{ kind = "own-data", of = ["messages"] }'
    assert fired(policy_dir, tmp_path, when, '[data]\nown_data = ["posts"]\n') == []
    assert len(fired(policy_dir, tmp_path, when, '[data]\nown_data = ["posts", "messages"]\n')) == 1


@pytest.mark.parametrize("plan, where", [
    (AIRLINE + '[targets.terms]\nprohibits = ["gambling"]\n', "targets[0].terms.prohibits[0]"),
    (AIRLINE + '[targets.terms]\naccepted = "yes"\n', "targets[0].terms.accepted"),
    (AIRLINE + '[targets.terms]\nurl = "ftp://x.example/"\n', "targets[0].terms.url"),
    (AIRLINE + "cease_and_desist = 1\n", "targets[0].cease_and_desist"),
    ('[data]\nown_data = ["friends"]\n', "data.own_data[0]"),
    ('[data]\nown_data = true\n', "data.own_data"),
])
def test_bad_new_fields_name_the_field(tmp_path: Path, plan: str, where: str) -> None:
    with pytest.raises(PlanError, match=re.escape(where)):
        load_plan(write(tmp_path / "plan.toml", MINIMAL_PLAN + plan))


def test_a_cap_lowers_the_severity_and_says_why(policy_dir: Path, tmp_path: Path) -> None:
    write(policy_dir / "z.toml", RULE.replace("{when}", '{ kind = "target-terms", prohibits = ["scraping"] }') + """
limits = ["x-corp-v-bright-data-2024"]
[[rules.caps]]
severity = "medium"
when = { kind = "target-terms", accepted = false }
reason = "never accepted"
limits = ["meta-v-bright-data-2024"]
""")
    policy = load_policy(policy_dir)
    path = write(tmp_path / "plan.toml", MINIMAL_PLAN + LINKEDIN)
    (finding,) = evaluate(load_plan(path), offline=True, policies=policy).findings
    assert finding.severity.value == "medium"
    assert finding.evidence["severity_capped"] == {"from": "high", "to": "medium", "reason": "never accepted"}
    assert [s.id for s in finding.limits] == ["x-corp-v-bright-data-2024", "meta-v-bright-data-2024"]
    path = write(tmp_path / "plan.toml", MINIMAL_PLAN + "[access]\naccepted_terms = true\n" + LINKEDIN)
    (finding,) = evaluate(load_plan(path), offline=True, policies=policy).findings
    assert finding.severity.value == "high" and "severity_capped" not in finding.evidence


def test_a_cap_must_be_lower_than_the_rule(policy_dir: Path) -> None:
    write(policy_dir / "z.toml", RULE.replace("{when}", '{ kind = "target-notice" }') + """
[[rules.caps]]
severity = "critical"
when = { kind = "target-notice" }
reason = "r"
""")
    with pytest.raises(PolicyError, match="must be below"):
        load_policy(policy_dir)


def test_v1_plans_without_the_new_fields_stay_valid() -> None:
    for path in sorted((ROOT / "examples" / "plans").glob("*.toml")):
        plan = load_plan(path)
        assert all(t.terms.accepted is None and t.terms.prohibits is None for t in plan.targets)


def test_unless_exempts_at_rule_and_pack_level(policy_dir: Path, tmp_path: Path) -> None:
    pack = 'unless = { kind = "own-data" }\n' + RULE.replace("{when}", '{ kind = "field-equals", field = '
                                                                 '"access.automated_signup", value = true }')
    pack += RULE.replace("ZZZ-001", "ZZZ-002").replace("{when}", '{ kind = "field-equals", field = '
                                                               '"access.automated_signup", value = true }')
    pack += 'unless = { kind = "field-equals", field = "purpose.kind", value = "research" }\n'
    write(policy_dir / "z.toml", pack)
    policy = load_policy(policy_dir)
    assert policy.rule("ZZZ-001").unless is not None and policy.rule("ZZZ-002").unless.kind == "any"

    def ids(extra: str) -> set[str]:
        path = write(tmp_path / "plan.toml", MINIMAL_PLAN + "[access]\nautomated_signup = true\n" + extra)
        return {f.rule_id for f in evaluate(load_plan(path), offline=True, policies=policy).findings}

    assert ids("") == {"ZZZ-001", "ZZZ-002"}
    assert ids('[data]\nown_data = ["posts"]\n') == set()
    assert ids('[purpose]\nkind = "research"\n') == {"ZZZ-001"}
    from scrapecheck.docs import render_rule

    assert "Does not apply when" in render_rule(policy.rule("ZZZ-002"), policy)
