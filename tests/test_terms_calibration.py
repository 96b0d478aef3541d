"""Issue 11, done-when: terms of any site, own-data backups below the default gate, logged-out crawls of
never-accepted terms at most medium, and the seed re-enactments keep their high findings and citations."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL_PLAN, write

from scrapecheck import evaluate, load_plan
from scrapecheck.report import Severity

OWN_INBOX = """
[purpose]
kind = "personal"
description = "Back up my own LinkedIn messages"
[[targets]]
url = "https://www.linkedin.com/messaging/"
robots_txt = "User-agent: *\\nAllow: /\\n"
requests_per_second = 0.2
concurrency = 1
[access]
authentication = "own-account"
account_count = 1
accepted_terms = true
[data]
personal = true
categories = ["private-messages", "contact-details"]
subject_regions = ["eu", "us"]
own_data = ["messages"]
"""

OWN_POSTS = """
[purpose]
kind = "archiving"
[[targets]]
url = "https://x.com/me"
robots_txt = "User-agent: *\\nAllow: /\\n"
requests_per_second = 0.2
concurrency = 1
[access]
authentication = "own-account"
account_count = 1
accepted_terms = true
[data]
personal = true
categories = ["user-content", "photos"]
subject_regions = ["eu", "us"]
own_data = ["posts", "account"]
"""


def report(tmp_path: Path, body: str):
    return evaluate(load_plan(write(tmp_path / "plan.toml", MINIMAL_PLAN + body)), offline=True)


def test_an_unlisted_site_with_accepted_terms_gives_a_terms_finding(tmp_path: Path) -> None:
    body = ('[purpose]\nkind = "price-monitoring"\ncommercial = true\n[access]\naccepted_terms = true\n'
            '[[targets]]\nurl = "https://www.airline.example/fares"\nrobots_txt = ""\n')
    terms = [f for f in report(tmp_path, body).findings if f.category.value == "terms"]
    assert [(f.rule_id, f.severity) for f in terms] == [("TOS-006", Severity.MEDIUM)]
    assert "ryanair-v-pr-aviation-2015" in {s.id for s in terms[0].sources}
    declared = body + '[targets.terms]\nprohibits = ["scraping", "commercial-use"]\n'
    terms = [f for f in report(tmp_path, declared).findings if f.category.value == "terms"]
    assert [(f.rule_id, f.severity) for f in terms] == [("TOS-007", Severity.HIGH)]


@pytest.mark.parametrize("body", [OWN_INBOX, OWN_POSTS], ids=["own-inbox", "own-posts"])
def test_own_data_backups_on_a_known_platform_stay_below_high(tmp_path: Path, body: str) -> None:
    result = report(tmp_path, body)
    assert not result.exceeds("high"), [(f.rule_id, f.severity.value) for f in result.findings]
    assert "TOS-009" in {f.rule_id for f in result.findings}  # the export (Art. 20) is suggested
    # the same crawl of other people's data is still high or worse
    others = report(tmp_path, body.replace("own_data = ", "# own_data = "))
    assert others.exceeds("high")


def test_own_data_claims_do_not_cover_other_peoples_accounts(tmp_path: Path) -> None:
    result = report(tmp_path, OWN_INBOX.replace('"own-account"', '"shared-credentials"'))
    assert result.exceeds("critical")


@pytest.mark.parametrize("target", ["https://www.reddit.com/", "https://x.com/", "https://www.linkedin.com/in/"])
def test_logged_out_crawl_of_never_accepted_terms_is_at_most_medium_from_terms_rules(tmp_path: Path,
                                                                                   target: str) -> None:
    body = (f'[purpose]\nkind = "ai-training"\ncommercial = true\n[use]\nsell = true\ntrain_models = true\n'
            f'[[targets]]\nurl = "{target}"\nrobots_txt = ""\nrequests_per_second = 50.0\n')
    terms = [f for f in report(tmp_path, body).findings if f.category.value == "terms"]
    assert terms, "the platform's clauses still give terms findings"
    assert all(f.severity <= Severity.MEDIUM for f in terms), [(f.rule_id, f.severity.value) for f in terms]
    capped = [f for f in terms if "severity_capped" in f.evidence]
    assert capped and all({"meta-v-bright-data-2024", "x-corp-v-bright-data-2024"} <= {s.id for s in f.limits}
                          for f in capped)
    accepted = report(tmp_path, body + "[access]\naccepted_terms = true\n")
    assert any(f.category.value == "terms" and f.severity >= Severity.HIGH for f in accepted.findings)


def test_a_target_can_override_the_plan_wide_acceptance(tmp_path: Path) -> None:
    body = ('[access]\naccepted_terms = true\n'
            '[[targets]]\nurl = "https://www.reddit.com/"\nrobots_txt = ""\n[targets.terms]\naccepted = false\n'
            '[[targets]]\nurl = "https://www.linkedin.com/"\nrobots_txt = ""\n')
    found = {(f.rule_id, f.target) for f in report(tmp_path, body).findings if f.category.value == "terms"}
    assert ("TOS-002", "https://www.reddit.com/") in found and ("TOS-001", "https://www.linkedin.com/") in found
    assert ("TOS-001", "https://www.reddit.com/") not in found
