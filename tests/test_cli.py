"""The command line: exit codes 0/1/2 with one meaning each, one clear line on stderr for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, MINIMAL_PLAN, write

from scrapecheck.cli import Exit, main

FAKE = str(EXAMPLES / "plans" / "linkedin-fake-accounts.toml")
CLEAN = str(EXAMPLES / "plans" / "clean-archiving.toml")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_check_exit_codes(capsys) -> None:
    assert run(capsys, "check", FAKE, "--offline")[0] == Exit.FINDINGS
    assert run(capsys, "check", CLEAN, "--offline")[0] == Exit.OK
    assert run(capsys, "check", FAKE, "--offline", "--fail-on", "critical")[0] == Exit.FINDINGS


def test_fail_on_threshold_between_levels(capsys, tmp_path: Path) -> None:
    plan = write(tmp_path / "p.toml", MINIMAL_PLAN + "[access]\ncircumvention = [\"fingerprint-spoofing\"]\n")
    assert run(capsys, "check", str(plan), "--offline")[0] == Exit.OK          # medium < high
    assert run(capsys, "check", str(plan), "--offline", "--fail-on", "medium")[0] == Exit.FINDINGS


def test_json_output_to_file(capsys, tmp_path: Path) -> None:
    out_file = tmp_path / "report.json"
    code, out, _ = run(capsys, "check", FAKE, "--offline", "--format", "json", "--output", str(out_file))
    assert code == Exit.FINDINGS and out == ""
    data = json.loads(out_file.read_text())
    assert data["summary"]["max_severity"] == "critical"
    assert data["plan"]["name"] == "profile-api"


@pytest.mark.parametrize("argv, message", [
    (["check", "missing.toml"], "missing.toml: no such file"),
    (["check", FAKE, "--fail-on", "severe"], "invalid choice"),
    (["check", FAKE, "--format", "yaml"], "invalid choice"),
    (["explain", "NOP-999"], "unknown rule id 'NOP-999'"),
    (["frobnicate"], "invalid choice"),
    ([], "a command is required"),
])
def test_usage_errors_exit_2_with_one_line(capsys, argv: list[str], message: str) -> None:
    code, out, err = run(capsys, *argv)
    assert code == Exit.USAGE
    assert message in err
    assert "Traceback" not in err
    assert out == ""


def test_bad_plan_is_one_line(capsys, tmp_path: Path) -> None:
    plan = write(tmp_path / "crawl.toml", MINIMAL_PLAN + "[access]\naccounts = 3\n")
    code, out, err = run(capsys, "check", str(plan), "--offline")
    assert code == Exit.USAGE
    assert err.strip().splitlines() == [f"scrapecheck: error: {plan}: access.accounts: unknown key"]


def test_text_output_groups_and_cites(capsys) -> None:
    code, out, _ = run(capsys, "check", FAKE, "--offline")
    assert "Whole plan" in out and "https://www.linkedin.com/in/" in out
    assert "ACC-001" in out and "source: LinkedIn Corp. v. ProAPIs" in out
    assert "\033[" not in out  # not a terminal: no colour
    assert out.rstrip().splitlines()[-1].startswith("29 findings") or "findings (" in out


def test_rules_and_explain(capsys) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == Exit.OK and "ACC-001" in out and "PRV-002" in out
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert any(row["id"] == "ROB-001" for row in json.loads(out))
    code, out, _ = run(capsys, "rules", "--thresholds")
    assert "mass_scraping_subjects" in out
    code, out, _ = run(capsys, "explain", "prv-002")
    assert code == Exit.OK
    for section in ("## PRV-002", "### What it checks", "### Why it matters", "### Example", "### Remediation",
                    "### References", "de-la-torre-v-linkedin-2025"):
        assert section in out


def test_init_writes_a_plan_that_checks(capsys, tmp_path: Path) -> None:
    target = tmp_path / "crawl.toml"
    code, _, err = run(capsys, "init", str(target))
    assert code == Exit.OK and target.exists() and "wrote" in err
    assert run(capsys, "init", str(target))[0] == Exit.USAGE  # refuses to overwrite
    assert run(capsys, "check", str(target), "--offline")[0] in (Exit.OK, Exit.FINDINGS)


def test_console_script_runs_as_a_process(tmp_path: Path) -> None:
    env = dict(os.environ, NO_COLOR="1")
    done = subprocess.run([sys.executable, "-m", "scrapecheck", "check", FAKE, "--offline", "--format", "json"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1, done.stderr
    assert json.loads(done.stdout)["summary"]["counts"]["critical"] >= 1
    bad = subprocess.run([sys.executable, "-m", "scrapecheck", "check", str(tmp_path / "nope.toml")],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
