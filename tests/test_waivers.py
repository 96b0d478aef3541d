"""Waivers: reviewed, reasoned, expiring; a waived finding is shown as suppressed, never hidden."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from conftest import EXAMPLES, write

from scrapecheck import evaluate, load_plan
from scrapecheck.cli import Exit, main
from scrapecheck.errors import WaiverError
from scrapecheck.waivers import Waiver, apply_waivers, check_waivers, load_waivers

FAKE = str(EXAMPLES / "plans" / "linkedin-fake-accounts.toml")
LINKEDIN = "https://www.linkedin.com/in/"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def waivers_file(tmp_path: Path, body: str) -> str:
    return str(write(tmp_path / "waivers.toml", body))


LIVE = '''
[[waivers]]
rule = "ACC-001"
reason = "Test account pool approved by the platform, contract C-12"
expires = 2999-12-31
approved_by = "legal@acme.example"

[[waivers]]
rule = "rob-001"
target = "https://www.linkedin.com/in/"
reason = "Crawl agreement signed with the site owner"
expires = "2999-01-01"
'''
EXPIRED = '''
[[waivers]]
rule = "ACC-002"
reason = "Was tolerated during the migration"
expires = 2001-01-01
'''


def test_load_and_normalise(tmp_path: Path) -> None:
    waivers = load_waivers(waivers_file(tmp_path, LIVE))
    assert [w.rule for w in waivers] == ["ACC-001", "ROB-001"]
    assert waivers[0].expires == date(2999, 12, 31) and waivers[1].expires == date(2999, 1, 1)
    assert waivers[1].target == LINKEDIN


@pytest.mark.parametrize("body, field, message", [
    ('[[waivers]]\nrule = "ACC-001"\nexpires = 2030-01-01\n', "waivers[0].reason", "required key missing"),
    ('[[waivers]]\nrule = "ACC-001"\nreason = "  "\nexpires = 2030-01-01\n', "waivers[0].reason",
     "a waiver needs a reason"),
    ('[[waivers]]\nrule = "ACC-001"\nreason = "r"\n', "waivers[0].expires", "required key missing"),
    ('[[waivers]]\nrule = "ACC-001"\nreason = "r"\nexpires = "2030-13-01"\n', "waivers[0].expires", "not a date"),
    ('[[waivers]]\nrule = "ACC-001"\nreason = "r"\nexpires = "soon"\n', "waivers[0].expires", "not a date"),
    ('[[waivers]]\nrule = "ACC1"\nreason = "r"\nexpires = 2030-01-01\n', "waivers[0].rule", "not a rule id"),
    ('[[waivers]]\nrule = "ACC-001"\nreason = "r"\nexpires = 2030-01-01\nreasn = "x"\n', "waivers[0].reasn",
     "unknown key"),
    ('[[waiver]]\nrule = "ACC-001"\n', "waiver", "unknown key"),
])
def test_bad_waivers_name_file_and_field(tmp_path: Path, body: str, field: str, message: str) -> None:
    path = waivers_file(tmp_path, body)
    with pytest.raises(WaiverError) as error:
        load_waivers(path)
    assert error.value.source == path and error.value.field == field and message in str(error.value)


def test_unknown_rule_id_against_the_policy(tmp_path: Path, policy) -> None:
    path = waivers_file(tmp_path, '[[waivers]]\nrule = "ACC-999"\nreason = "r"\nexpires = 2030-01-01\n')
    with pytest.raises(WaiverError, match=r"waivers\[0\]\.rule: unknown rule id 'ACC-999'"):
        check_waivers(load_waivers(path), policy, path)


def test_apply_marks_suppressed_and_expired(policy) -> None:
    report = evaluate(load_plan(FAKE), offline=True)
    waivers = [Waiver(rule="ACC-001", reason="ok", expires=date(2030, 1, 1)),
               Waiver(rule="ACC-002", reason="old", expires=date(2020, 1, 1))]
    findings = {f.rule_id: f for f in apply_waivers(report.findings, waivers, today=date(2025, 6, 1))}
    assert findings["ACC-001"].suppressed and findings["ACC-001"].waiver["reason"] == "ok"
    assert not findings["ACC-002"].suppressed and findings["ACC-002"].waiver["expired"] is True
    on_the_day = apply_waivers(report.findings, waivers[:1], today=date(2030, 1, 1))
    assert next(f for f in on_the_day if f.rule_id == "ACC-001").suppressed  # live through its expiry date


def test_target_waiver_covers_only_that_target() -> None:
    report = evaluate(load_plan(FAKE), offline=True)
    other = [Waiver(rule="ROB-001", target="https://elsewhere.example/", reason="r", expires=date(2999, 1, 1))]
    assert not any(f.suppressed for f in apply_waivers(report.findings, other, today=date(2025, 1, 1)))


def test_cli_waived_findings_stay_visible(capsys, tmp_path: Path) -> None:
    path = waivers_file(tmp_path, LIVE)
    code, out, err = run(capsys, "check", FAKE, "--offline", "--isolated", "--waivers", path, "--format", "json")
    data = json.loads(out)
    waived = [f for f in data["findings"] if f["suppressed"]]
    assert {f["rule_id"] for f in waived} == {"ACC-001", "ROB-001"}
    assert waived[0]["waiver"]["reason"] and data["summary"]["suppressed"] == 2
    assert code == Exit.FINDINGS  # other critical findings remain
    code, out, _ = run(capsys, "check", FAKE, "--offline", "--isolated", "--waivers", path)
    assert "[waived]" in out and "2 waived" in out.splitlines()[-1]


def test_cli_waivers_can_clear_the_gate(capsys, tmp_path: Path) -> None:
    report = evaluate(load_plan(FAKE), offline=True)
    blocking = sorted({f.rule_id for f in report.findings if f.severity.rank >= 3})
    body = "".join(f'[[waivers]]\nrule = "{rule}"\nreason = "accepted for the test"\nexpires = 2999-01-01\n\n'
                   for rule in blocking)
    path = waivers_file(tmp_path, body)
    assert run(capsys, "check", FAKE, "--offline", "--isolated", "--waivers", path)[0] == Exit.OK


def test_cli_expired_waiver_stops_applying_and_says_so(capsys, tmp_path: Path) -> None:
    path = waivers_file(tmp_path, EXPIRED)
    code, out, err = run(capsys, "check", FAKE, "--offline", "--isolated", "--waivers", path)
    assert code == Exit.FINDINGS
    assert "waiver: EXPIRED on 2001-01-01, no longer applies" in out
    assert f"scrapecheck: note: {path}: waiver for ACC-002 expired on 2001-01-01 and no longer applies" in err
    _, _, quiet_err = run(capsys, "check", FAKE, "--offline", "--isolated", "--waivers", path, "--quiet")
    assert quiet_err == ""


@pytest.mark.parametrize("body, expected", [
    ('[[waivers]]\nrule = "ACC-001"\nexpires = 2030-01-01\n', "waivers.toml: waivers[0].reason: required key"),
    ('[[waivers]]\nrule = "NOP-001"\nreason = "r"\nexpires = 2030-01-01\n',
     "waivers.toml: waivers[0].rule: unknown rule id 'NOP-001'"),
    ('[[waivers]]\nrule = "ACC-001"\nreason = "r"\nexpires = "31/12/2030"\n',
     "waivers.toml: waivers[0].expires: not a date"),
    ("not toml [", "waivers.toml: invalid TOML"),
])
def test_cli_bad_waivers_exit_2_with_one_line(capsys, tmp_path: Path, body: str, expected: str) -> None:
    path = waivers_file(tmp_path, body)
    code, out, err = run(capsys, "check", FAKE, "--offline", "--isolated", "--waivers", path)
    assert code == Exit.USAGE and out == ""
    assert len(err.strip().splitlines()) == 1 and expected in err and "Traceback" not in err


def test_cli_missing_waivers_file(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "check", FAKE, "--offline", "--isolated", "--waivers", str(tmp_path / "nope.toml"))
    assert code == Exit.USAGE and "nope.toml: no such file" in err


def test_cli_notes_a_waiver_that_matches_nothing(capsys, tmp_path: Path) -> None:
    path = waivers_file(tmp_path, '[[waivers]]\nrule = "ROB-001"\ntarget = "https://typo.example/"\n'
                                  'reason = "r"\nexpires = 2999-01-01\n')
    code, _, err = run(capsys, "check", FAKE, "--offline", "--isolated", "--waivers", path)
    assert code == Exit.FINDINGS
    assert err == (f"scrapecheck: note: {path}: waivers[0] (ROB-001 for https://typo.example/) matched no "
                   "finding in this run\n")
