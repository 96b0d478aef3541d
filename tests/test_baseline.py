"""Baselines: recorded findings are known on the next run, even with reworded messages; new ones still gate."""

from __future__ import annotations

import json

import pytest
from conftest import EXAMPLES

from scrapecheck import evaluate, load_plan
from scrapecheck.baseline import Baseline, apply_baseline, dumps, finding_fingerprints, load_baseline, record
from scrapecheck.errors import BaselineError, ScrapecheckError
from scrapecheck.formats import sarif
from scrapecheck.report import Report

PLAN = EXAMPLES / "plans" / "linkedin-fake-accounts.toml"


@pytest.fixture(scope="module")
def report() -> Report:
    plan = load_plan(PLAN).model_copy(update={"source": "examples/plans/linkedin-fake-accounts.toml"})
    return evaluate(plan, offline=True)


def test_fingerprints_are_the_sarif_ones(report: Report) -> None:
    document = sarif.document([report])
    from_sarif = [result["partialFingerprints"][sarif.FINGERPRINT] for result in document["runs"][0]["results"]]
    assert finding_fingerprints(report) == from_sarif
    assert len(set(from_sarif)) == len(from_sarif)


def test_a_recorded_run_has_nothing_new(report: Report) -> None:
    assert report.exceeds("high")
    known = apply_baseline(report, record([report]))
    assert all(finding.baseline for finding in known.findings)
    assert known.active == [] and known.max_severity is None and not known.exceeds("info")
    assert known.summary()["baseline"] == len(report.findings)
    assert sum(known.counts.values()) == 0


def test_reworded_messages_stay_known(report: Report) -> None:
    baseline = record([report])
    reworded = report.model_copy(update={"findings": [
        f.model_copy(update={"message": f.message.upper() + " (now 7 accounts)", "title": "renamed"})
        for f in report.findings]})
    assert all(finding.baseline for finding in apply_baseline(reworded, baseline).findings)


def test_a_new_finding_is_reported(report: Report) -> None:
    first, rest = report.findings[0], report.findings[1:]
    older = report.model_copy(update={"findings": rest})
    baseline = record([older])
    again = apply_baseline(report, baseline)
    new = [finding for finding in again.findings if not finding.baseline]
    assert [(f.rule_id, f.target) for f in new] == [(first.rule_id, first.target)]
    assert again.max_severity == first.severity


def test_another_plan_file_is_not_covered(report: Report) -> None:
    baseline = record([report])
    moved = report.model_copy(update={"plan": {**report.plan, "source": "elsewhere/crawl.toml"}})
    assert not any(finding.baseline for finding in apply_baseline(moved, baseline).findings)


def test_each_entry_matches_once(report: Report) -> None:
    finding = report.findings[0]
    twice = report.model_copy(update={"findings": [finding, finding.model_copy(update={"message": "second"})]})
    baseline = record([twice.model_copy(update={"findings": [finding]})])
    marked = [f.baseline for f in apply_baseline(twice, baseline).findings]
    assert marked == [True, False]


def test_waived_findings_are_not_recorded(report: Report) -> None:
    waived = report.findings[0].model_copy(update={"suppressed": True, "waiver": {
        "reason": "agreed", "expires": "2099-01-01", "approved_by": None}})
    with_waiver = report.model_copy(update={"findings": [waived, *report.findings[1:]]})
    baseline = record([with_waiver])
    assert len(baseline.findings) == len(report.findings) - 1
    assert finding_fingerprints(with_waiver)[0] not in {entry.fingerprint for entry in baseline.findings}


def test_round_trip_is_byte_stable(tmp_path, report: Report) -> None:
    path = tmp_path / "baseline.json"
    text = dumps(record([report]))
    path.write_text(text, encoding="utf-8")
    loaded = load_baseline(path)
    assert dumps(loaded) == text
    assert json.loads(text)["version"] == 1
    assert "message" not in text  # messages change; the file must not churn with them


def test_renamed_rule_ids_are_followed(tmp_path, report: Report) -> None:
    import dataclasses

    from scrapecheck.api import default_policy

    finding = report.findings[0]
    policy = dataclasses.replace(default_policy(), redirects={"OLD-999": finding.rule_id})
    current = report.model_copy(update={"findings": [finding]})
    recorded = record([current]).findings[0]
    entry = recorded.model_copy(update={"rule_id": "OLD-999",
                                        "fingerprint": sarif.fingerprint("OLD-999", finding.target, recorded.plan)})
    path = tmp_path / "old.json"
    path.write_text(dumps(Baseline(findings=[entry])), encoding="utf-8")
    assert not apply_baseline(current, load_baseline(path)).findings[0].baseline
    assert apply_baseline(current, load_baseline(path, policy)).findings[0].baseline


@pytest.mark.parametrize("content, suffix, field", [
    ("{}", ".toml", ""),
    ("not json", ".json", ""),
    ('{"version": 2, "tool": "scrapecheck", "findings": []}', ".json", "version"),
    ('{"version": 1, "tool": "scrapecheck", "findings": [{"rule_id": "ACC-001", "plan": "p"}]}', ".json",
     "findings[0].fingerprint"),
    ('{"version": 1, "findings": [], "extra": 1}', ".json", "extra"),
])
def test_bad_baseline_files_name_the_problem(tmp_path, content: str, suffix: str, field: str) -> None:
    path = tmp_path / f"baseline{suffix}"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BaselineError) as caught:
        load_baseline(path)
    assert isinstance(caught.value, ScrapecheckError)
    assert caught.value.field == field
    assert str(path) in str(caught.value)


def test_missing_baseline_file(tmp_path) -> None:
    with pytest.raises(BaselineError, match="no such file"):
        load_baseline(tmp_path / "absent.json")


# --- the command line ------------------------------------------------------------------------------------------

def _project(tmp_path, monkeypatch):
    import shutil

    plans = tmp_path / "plans"
    shutil.copytree(EXAMPLES / "plans" / "snapshots", plans / "snapshots")
    shutil.copy(PLAN, plans / "crawl.toml")
    monkeypatch.chdir(tmp_path)
    return plans / "crawl.toml"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    from scrapecheck.cli import main

    code = main(["check", *argv, "--isolated", "--offline"])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_write_then_gate_on_new_findings_only(tmp_path, monkeypatch, capsys) -> None:
    plan = _project(tmp_path, monkeypatch)
    code, out, err = _run(capsys, "plans/crawl.toml")
    assert code == 1

    code, out, err = _run(capsys, "plans/crawl.toml", "--write-baseline", "baseline.json")
    assert code == 0, err
    recorded = json.loads((tmp_path / "baseline.json").read_text())
    assert recorded["findings"] and f"wrote {len(recorded['findings'])} finding(s)" in err
    assert "No new findings" in out

    code, out, err = _run(capsys, "plans/crawl.toml", "--baseline", "baseline.json", "--fail-on", "info")
    assert code == 0, err
    assert f"No new findings; {len(recorded['findings'])} in the baseline" in out
    assert "In the baseline (known before, not reported as new)" in out
    assert err == ""

    # A reworded purpose changes messages, not fingerprints; a new circumvention technique is a new finding.
    text = plan.read_text().replace('circumvention = [', 'circumvention = ["captcha-solving", ')
    assert text != plan.read_text()
    plan.write_text(text)
    code, out, err = _run(capsys, "plans/crawl.toml", "--baseline", "baseline.json")
    assert code == 1
    new = [line for line in out.splitlines() if line.startswith("  ") and "-" in line.split()[1]]
    assert new and all("captcha" in line.lower() or "CIR" in line for line in new), new


def test_cli_baseline_in_sarif_and_json(tmp_path, monkeypatch, capsys) -> None:
    _project(tmp_path, monkeypatch)
    _run(capsys, "plans/crawl.toml", "--write-baseline", "baseline.json")
    code, out, _ = _run(capsys, "plans/crawl.toml", "--baseline", "baseline.json", "--format", "sarif")
    results = json.loads(out)["runs"][0]["results"]
    assert code == 0 and {r["baselineState"] for r in results} == {"unchanged"}
    code, out, _ = _run(capsys, "plans/crawl.toml", "--baseline", "baseline.json", "--format", "json")
    data = json.loads(out)
    assert data["summary"]["baseline"] == len(data["findings"]) and data["summary"]["max_severity"] is None
    assert all(finding["baseline"] for finding in data["findings"])


def test_cli_baseline_from_config_and_stale_entries(tmp_path, monkeypatch, capsys) -> None:
    from scrapecheck.cli import main

    _project(tmp_path, monkeypatch)
    (tmp_path / "ci").mkdir()
    _run(capsys, "plans/crawl.toml", "--write-baseline", "ci/baseline.json")
    data = json.loads((tmp_path / "ci" / "baseline.json").read_text())
    data["findings"].append({**data["findings"][0], "fingerprint": "0" * 32})
    (tmp_path / "ci" / "baseline.json").write_text(json.dumps(data))
    (tmp_path / "scrapecheck.toml").write_text('baseline = "ci/baseline.json"\noffline = true\n')
    code = main(["check", "plans/crawl.toml"])
    out, err = capsys.readouterr()
    assert code == 0 and "No new findings" in out
    assert "1 baseline entry matched no finding" in err


@pytest.mark.parametrize("argv, message", [
    (["--write-baseline", "baseline.toml"], "name it *.json"),
    (["--baseline", "absent.json"], "absent.json: no such file"),
    (["--baseline", "plans/crawl.toml"], "must end in .json"),
])
def test_cli_bad_baseline_exits_2(tmp_path, monkeypatch, capsys, argv, message) -> None:
    _project(tmp_path, monkeypatch)
    code, out, err = _run(capsys, "plans/crawl.toml", *argv)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
