"""The engine: pure, deterministic, sorted, three-valued (a missing signal is never a pass)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from scrapecheck import CrawlPlan, Severity, evaluate
from scrapecheck.errors import PlanError
from scrapecheck.signals import RobotsSignal, Signals, TargetSignals
from scrapecheck.waivers import Waiver


def plan(**sections) -> CrawlPlan:
    data = {"crawler": {"name": "t", "user_agent": "TestBot/1.0 (+https://t.example/bot)"}}
    data.update(sections)
    return CrawlPlan.model_validate(data)


def ids(report) -> list[str]:
    return [finding.rule_id for finding in report.findings]


def test_findings_sorted_most_severe_first() -> None:
    report = evaluate(plan(access={"authentication": "fake-accounts", "account_count": 10},
                           targets=[{"url": "https://a.example/", "robots_txt": "", "requests_per_second": 1}]),
                      offline=True)
    ranks = [finding.severity.rank for finding in report.findings]
    assert ranks == sorted(ranks, reverse=True)
    assert report.max_severity is Severity.CRITICAL
    assert report.exceeds("high") and report.exceeds(Severity.CRITICAL)


def test_same_inputs_same_report() -> None:
    p = plan(access={"circumvention": ["captcha-solving", "ip-rotation"]},
             targets=[{"url": "https://a.example/x", "robots_txt": "User-agent: *\nDisallow: /x"}])
    first = evaluate(p, offline=True, today=date(2026, 1, 1)).to_dict()
    second = evaluate(p, offline=True, today=date(2026, 1, 1)).to_dict()
    assert json.dumps(first, sort_keys=True) == json.dumps(second, sort_keys=True)


def test_missing_robots_offline_is_reported_not_passed() -> None:
    report = evaluate(plan(targets=[{"url": "https://a.example/private/", "requests_per_second": 1}]), offline=True)
    assert "ROB-001" not in ids(report)
    assert "ROB-000" in ids(report)
    rob0 = next(f for f in report.findings if f.rule_id == "ROB-000")
    assert "ROB-001" in rob0.evidence["rules_not_checked"]
    assert any(item.rule_id == "ROB-001" and item.missing == ["robots"] for item in report.not_checked)


def test_snapshot_decides_robots_rules() -> None:
    target = {"url": "https://a.example/private/", "robots_txt": "User-agent: *\nDisallow: /private/\n",
              "requests_per_second": 1}
    report = evaluate(plan(targets=[target]), offline=True)
    finding = next(f for f in report.findings if f.rule_id == "ROB-001")
    assert finding.evidence["line"] == 2
    assert finding.evidence["rule"] == "Disallow: /private/"
    assert finding.evidence["disallowed_paths"] == ["/private/"]
    assert finding.target == "https://a.example/private/"
    assert "ROB-000" not in ids(report)


def test_given_signals_override_plan_snapshots() -> None:
    p = plan(targets=[{"url": "https://a.example/private/", "robots_txt": "User-agent: *\nAllow: /\n",
                       "requests_per_second": 1}])
    signals = Signals(targets={"https://a.example": TargetSignals(origin="https://a.example", robots=RobotsSignal(
        url="https://a.example/robots.txt", origin="fetched", status=503, outcome="unreachable"))})
    report = evaluate(p, offline=True, signals=signals)
    assert "ROB-051" in ids(report)      # unreachable: complete disallow, reported once
    assert "ROB-001" not in ids(report)  # not again as a disallowed path


def test_plan_thresholds_override_defaults() -> None:
    p = plan(data={"personal": True, "estimated_subjects": 5000})
    assert "PER-001" not in ids(evaluate(p, offline=True))
    lowered = plan(data={"personal": True, "estimated_subjects": 5000}, thresholds={"mass_scraping_subjects": 1000})
    finding = next(f for f in evaluate(lowered, offline=True).findings if f.rule_id == "PER-001")
    assert finding.evidence["threshold"] == 1000
    with pytest.raises(PlanError, match="thresholds.mass_scraping: unknown threshold"):
        evaluate(plan(thresholds={"mass_scraping": 1}), offline=True)


def test_message_templates_are_filled_from_plan_and_evidence() -> None:
    report = evaluate(plan(access={"authentication": "purchased-accounts", "account_count": 12}), offline=True)
    finding = next(f for f in report.findings if f.rule_id == "ACC-001")
    assert finding.message == "The plan logs in with purchased-accounts (12 accounts)."
    assert finding.sources[0].id == "linkedin-v-proapis-2025"


def test_waivers_suppress_and_expire() -> None:
    p = plan(access={"circumvention": ["captcha-solving"]})
    live = Waiver(rule="cir-008", reason="sandbox test site we own", expires=date(2030, 1, 1))
    report = evaluate(p, offline=True, waivers=[live], today=date(2026, 1, 1))
    finding = next(f for f in report.findings if f.rule_id == "CIR-008")
    assert finding.suppressed and finding.waiver["reason"] == "sandbox test site we own"
    assert not report.exceeds("high")
    assert report.summary()["suppressed"] == 1
    expired = evaluate(p, offline=True, waivers=[live], today=date(2031, 1, 1))
    finding = next(f for f in expired.findings if f.rule_id == "CIR-008")
    assert not finding.suppressed and finding.waiver["expired"] is True
    assert expired.exceeds("high")


def test_report_json_shape() -> None:
    data = evaluate(plan(access={"automated_signup": True}), offline=True).to_dict()
    assert {"version", "plan", "summary", "findings", "signals"} <= set(data)
    assert set(data["summary"]) >= {"max_severity", "counts"}
    finding = data["findings"][0]
    assert set(finding) >= {"rule_id", "title", "severity", "category", "message", "target", "evidence",
                            "sources", "remediation"}
    assert set(finding["sources"][0]) >= {"id", "title", "url", "date"}


def test_evaluate_rejects_non_plans() -> None:
    with pytest.raises(TypeError):
        evaluate({"crawler": {}}, offline=True)  # type: ignore[arg-type]


def test_engine_imports_no_network_formats_or_cli() -> None:
    code = ("import sys, scrapecheck.engine, scrapecheck.api; "
            "bad = [m for m in ('scrapecheck.signals.fetch', 'scrapecheck.formats', 'scrapecheck.cli', 'urllib3')"
            " if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "[]"


def test_severity_order_and_parse() -> None:
    assert Severity.INFO < Severity.LOW < Severity.MEDIUM < Severity.HIGH < Severity.CRITICAL
    assert Severity.parse("HIGH") is Severity.HIGH
    with pytest.raises(ValueError, match="choose one of"):
        Severity.parse("severe")


@pytest.mark.parametrize("host, fires", [("x.com", False), ("www.tiktok.com", False), ("github.com", False),
                                         ("www.reddit.com", True), ("www.quora.com", True)])
def test_informational_clauses_are_not_cited_as_bans(host: str, fires: bool) -> None:
    report = evaluate(plan(purpose={"kind": "ai-training"},
                           targets=[{"url": f"https://{host}/", "robots_txt": "", "requests_per_second": 1}]),
                      offline=True)
    assert ("TOS-003" in ids(report)) is fires


@pytest.mark.parametrize("user_agent, fires", [
    ("Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)", True),
    ("Mozilla/5.0 (Linux; Android 10; Cubot X30) AppleWebKit/537.36", True),
    ("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", False),
    ("AcmeBot/1.0", False),
])
def test_browser_user_agents_are_recognised(user_agent: str, fires: bool) -> None:
    report = evaluate(CrawlPlan.model_validate({"crawler": {"name": "t", "user_agent": user_agent}}), offline=True)
    assert ("TRN-002" in ids(report)) is fires


def test_header_content_signal_counts_as_an_opt_out() -> None:
    from scrapecheck.signals import OptOut

    p = plan(purpose={"kind": "ai-training"},
             targets=[{"url": "https://a.example/", "robots_txt": "User-agent: *\nAllow: /\n",
                       "requests_per_second": 1}])
    header = OptOut(kind="content-signal", scopes=["ai-training"], value="Content-Signal: ai-train=no",
                    where="https://a.example/ (Content-Signal header)")
    signals = Signals(targets={"https://a.example": TargetSignals(origin="https://a.example", opt_outs=[header])})
    assert "AIO-014" in ids(evaluate(p, offline=True, signals=signals))
    undecided = evaluate(p, offline=True)
    assert "AIO-014" not in ids(undecided)
    assert any(item.rule_id == "AIO-014" and "pages" in item.missing for item in undecided.not_checked)


def test_api_inputs_fail_with_our_errors(tmp_path) -> None:
    from scrapecheck.errors import PolicyError, SignalsError, WaiverError

    p = plan()
    with pytest.raises(SignalsError, match="x: unknown key"):
        evaluate(p, offline=True, signals={"x": 1})
    with pytest.raises(WaiverError, match=r"\[0\].reason"):
        evaluate(p, offline=True, waivers=[{"rule": "ACC-001", "expires": "2030-01-01"}])
    with pytest.raises(TypeError, match="waivers\\[0\\] must be a Waiver"):
        evaluate(p, offline=True, waivers=["ACC-001"])  # type: ignore[list-item]
    waived = evaluate(plan(access={"automated_signup": True}), offline=True, today=date(2026, 1, 1),
                      waivers=[{"rule": "ACC-002", "reason": "test rig", "expires": "2030-01-01"}])
    assert all(f.suppressed for f in waived.findings if f.rule_id == "ACC-002")
    with pytest.raises(PolicyError, match="no rule packs"):
        evaluate(p, offline=True, policies=tmp_path)


@pytest.mark.parametrize("kind, states, expected", [
    ("all", (True, True), True), ("all", (True, None), None), ("all", (None, False), False),
    ("any", (False, False), False), ("any", (False, None), None), ("any", (None, True), True),
])
def test_combinations_follow_kleene_logic(kind: str, states: tuple, expected) -> None:
    from pydantic import TypeAdapter

    from scrapecheck.policy.kinds import Check, Context, TargetView

    def leaf(state):
        if state is None:  # undecided: an opt-out check without page signals
            return {"kind": "opt-out", "kinds": ["tdmrep"]}
        return {"kind": "field-equals", "field": "data.personal", "value": not state}

    check = TypeAdapter(Check).validate_python({"kind": kind, "of": [leaf(s) for s in states]})
    p = plan(targets=[{"url": "https://e.example/"}])
    view = TargetView(target=p.targets[0], robots=None, robots_policy=None, robots_opt_outs=None,
                      page_opt_outs=None, platform=None)
    outcome = check.evaluate(Context(plan=p, thresholds={}, target=view))
    assert outcome.state is expected
    negated = TypeAdapter(Check).validate_python({"kind": "not", "check": {"kind": kind,
                                                                           "of": [leaf(s) for s in states]}})
    flipped = None if expected is None else not expected
    assert negated.evaluate(Context(plan=p, thresholds={}, target=view)).state is flipped
