"""The Guard's reasons name real rules, and its purpose table says what the rule packs say.

The Guard cannot afford to run the engine per URL, so it keeps a small table (guard/_origin.py PURPOSE_RULES)
of which opt-out kinds and scopes refuse for which purpose. These tests fail when a pack changes under it.
"""

from __future__ import annotations

from scrapecheck.api import default_policy
from scrapecheck.guard._origin import PURPOSE_RULES
from scrapecheck.policy.kinds import OptOutPresent

#: ids the Guard puts in reasons outside the purpose table (robots rules, fetch outcomes).
ROBOTS_IDS = {"ROB-000", "ROB-001", "ROB-050", "ROB-051", "ROB-052", "ROB-053"}


def _opt_out_checks() -> dict[str, OptOutPresent]:
    found = {}
    for rule in default_policy().rules:
        checks = [node for node in rule.when.walk() if isinstance(node, OptOutPresent)]
        if len(checks) == 1:
            found[rule.id] = checks[0]
    return found


def test_every_reason_id_is_a_stable_rule() -> None:
    rules = {rule.id: rule for rule in default_policy().rules}
    used = ROBOTS_IDS | {r.rule_id for table in PURPOSE_RULES.values() for r in table}
    missing = sorted(used - set(rules))
    assert not missing, f"Guard reasons name rules that do not exist: {missing}"
    assert all(rules[i].status == "stable" for i in used)


def test_purpose_table_mirrors_the_packs() -> None:
    checks = _opt_out_checks()
    for purpose, table in PURPOSE_RULES.items():
        for entry in table:
            check = checks[entry.rule_id]
            assert set(check.kinds) == set(entry.kinds), (purpose, entry.rule_id)
            assert (set(check.scopes) or None) == (None if entry.scopes is None else set(entry.scopes)), entry.rule_id
            assert check.min_confidence == entry.min_confidence, entry.rule_id
