"""The command line: exit codes 0/1/2 with one meaning each, one clear line on stderr for bad input."""

from __future__ import annotations

import json
import os
import re
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


# --- check: several plans, selection, quiet, output, exit paths ----------------------------------------------

import shutil  # noqa: E402

import yaml  # noqa: E402
from conftest import ROOT  # noqa: E402

PLANS_DIR = str(EXAMPLES / "plans")


def test_several_plans_and_directories(capsys) -> None:
    code, out, _ = run(capsys, "check", FAKE, CLEAN, "--offline", "--isolated", "--format", "json")
    data = json.loads(out)
    assert [Path(r["plan"]["source"]).resolve() for r in data["reports"]] == [Path(FAKE), Path(CLEAN)]
    assert code == Exit.FINDINGS and data["summary"]["plans"] == 2
    code, out, _ = run(capsys, "check", PLANS_DIR, "--offline", "--isolated")
    assert out.rstrip().splitlines()[-1].startswith(f"{len(list((EXAMPLES / 'plans').glob('*.toml')))} plans: ")
    assert run(capsys, "check", CLEAN, CLEAN, "--offline", "--isolated")[0] == Exit.OK   # duplicates once


def test_clean_plans_only_exit_0(capsys) -> None:
    clean = [str(EXAMPLES / "plans" / name) for name in ("clean-archiving.toml", "clean-search-indexing.toml")]
    assert run(capsys, "check", *clean, "--offline", "--isolated")[0] == Exit.OK


def test_directory_errors(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "check", str(tmp_path), "--offline", "--isolated")
    assert code == Exit.USAGE and "no plan files" in err
    write(tmp_path / "good.toml", MINIMAL_PLAN)
    write(tmp_path / "bad.json", "{")
    code, out, err = run(capsys, "check", str(tmp_path), "--offline", "--isolated")
    assert code == Exit.USAGE and out == "" and "bad.json: invalid JSON" in err and len(err.splitlines()) == 1


def test_missing_signals_file_exits_2(capsys, tmp_path: Path) -> None:
    code, out, err = run(capsys, "check", FAKE, "--isolated", "--signals", str(tmp_path / "signals.json"))
    assert code == Exit.USAGE and out == "" and "signals.json" in err and len(err.splitlines()) == 1


def test_no_plan_given(capsys) -> None:
    code, out, err = run(capsys, "check", "--isolated")
    assert code == Exit.USAGE and "at least one PLAN" in err and out == ""


@pytest.mark.parametrize("option, spec, expected", [
    ("--select", "ACC-001", {"ACC-001"}),
    ("--select", "acc", {"ACC-001", "ACC-002", "ACC-003", "ACC-005", "ACC-007"}),
    ("--select", "accounts,LOD-002", {"ACC-001", "ACC-002", "ACC-003", "ACC-005", "ACC-007", "LOD-002"}),
])
def test_select(capsys, option: str, spec: str, expected: set[str]) -> None:
    code, out, _ = run(capsys, "check", FAKE, "--offline", "--isolated", "--format", "json", option, spec)
    found = {f["rule_id"] for f in json.loads(out)["findings"]}
    assert found and found <= expected and ("ACC-001" in found or spec == "ACC-001" and found == {"ACC-001"})


def test_ignore_and_exit_status_follows_the_filter(capsys) -> None:
    code, out, _ = run(capsys, "check", FAKE, "--offline", "--isolated", "--format", "json",
                       "--ignore", "ACC,CIR,PER,USE,TOS,ROB,PRV,LOD", "--ignore", "TRN,AIO")
    data = json.loads(out)
    assert data["findings"] == [] and data["not_checked"] == [] and code == Exit.OK
    code, out, _ = run(capsys, "check", FAKE, "--offline", "--isolated", "--format", "json",
                       "--select", "LOD", "--ignore", "LOD-003,LOD-005")
    assert {f["rule_id"] for f in json.loads(out)["findings"]} == {"LOD-002"}


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_selection_exits_2(capsys, option: str) -> None:
    code, out, err = run(capsys, "check", FAKE, "--offline", "--isolated", option, "ACC-001,XYZ-999")
    assert code == Exit.USAGE and out == ""
    assert err.strip() == (f"scrapecheck: error: {option}: unknown rule id, prefix or category 'XYZ-999'; "
                           "'scrapecheck rules' lists them")


def test_quiet(capsys) -> None:
    code, out, err = run(capsys, "check", FAKE, "--offline", "--isolated", "--quiet")
    assert code == Exit.FINDINGS and len(out.splitlines()) == 1 and "at or above high" in out
    code, out, _ = run(capsys, "check", FAKE, "--offline", "--isolated", "--quiet", "--select", "TRN-001",
                       "--ignore", "TRN-001")
    assert code == Exit.OK and out == ""


def test_exit_zero_still_fails_on_bad_input(capsys, tmp_path: Path) -> None:
    assert run(capsys, "check", FAKE, "--offline", "--isolated", "--exit-zero")[0] == Exit.OK
    assert run(capsys, "check", str(tmp_path / "nope.toml"), "--isolated", "--exit-zero")[0] == Exit.USAGE


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "markdown"])
def test_every_format_to_a_file(capsys, tmp_path: Path, fmt: str) -> None:
    target = tmp_path / f"report.{fmt}"
    code, out, _ = run(capsys, "check", FAKE, "--offline", "--isolated", "--format", fmt, "--output", str(target))
    assert code == Exit.FINDINGS and out == ""
    body = target.read_text(encoding="utf-8")
    assert "ACC-001" in body and "\033[" not in body


def test_unwritable_output_exits_2(capsys, tmp_path: Path) -> None:
    code, _, err = run(capsys, "check", FAKE, "--offline", "--isolated", "--output", str(tmp_path / "no" / "x.txt"))
    assert code == Exit.USAGE and "cannot write" in err


def test_colour_on_a_terminal_unless_no_color(capsys, monkeypatch) -> None:
    from scrapecheck.commands import _output, check

    monkeypatch.setattr(check, "use_colour", lambda: True)
    assert "\033[1;31mCRITICAL" in run(capsys, "check", FAKE, "--offline", "--isolated")[1]
    monkeypatch.undo()
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    assert _output.use_colour() is False
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("TERM", "xterm")
    assert _output.use_colour() is True


# --- CI integrations: the example pipelines run as written ---------------------------------------------------

def _ci_project(tmp_path: Path) -> dict[str, str]:
    """A repository with the bundled example plan as crawl.toml and offline config; the installed package."""
    shutil.copy(FAKE, tmp_path / "crawl.toml")
    shutil.copytree(EXAMPLES / "plans" / "snapshots", tmp_path / "snapshots")
    write(tmp_path / "pyproject.toml", '[project]\nname = "crawler"\n\n[tool.scrapecheck]\noffline = true\n')
    bin_dir = Path(sys.executable).parent
    assert (bin_dir / "scrapecheck").exists(), "the scrapecheck console script is not installed in this venv"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("GITHUB_", "CI_"))}
    env.update(PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}", NO_COLOR="1")
    return env


def _installs(command: str) -> bool:
    return "pip install" in command


def _workflow() -> dict:
    return yaml.safe_load((ROOT / "examples" / "ci" / "github-actions.yml").read_text())


def test_github_actions_job_runs_as_written(tmp_path: Path, update_golden: bool) -> None:
    workflow = _workflow()
    job = workflow["jobs"]["crawl-plan-preflight"]
    env = _ci_project(tmp_path)
    env.update({key: str(value) for key, value in job.get("env", {}).items()})
    env["GITHUB_STEP_SUMMARY"] = str(tmp_path / "step-summary.md")
    codes, outputs = {}, {}
    for step in job["steps"]:
        if "run" not in step or _installs(step["run"]):
            continue
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True,
                              text=True, timeout=120)
        assert "Traceback" not in done.stderr
        codes[step["name"]] = done.returncode
        outputs[step["name"]] = done.stdout
    assert codes == {"Check plans": 1, "Job summary (Markdown)": 0}
    annotations = outputs["Check plans"].splitlines()
    assert annotations[0].startswith("::error file=crawl.toml,line=")
    upload = workflow["jobs"]["upload-sarif"]["steps"][-1]
    sarif_log = json.loads((tmp_path / upload["with"]["sarif_file"]).read_text())
    import jsonschema

    jsonschema.Draft4Validator(json.loads((ROOT / "tests" / "schemas" / "sarif-schema-2.1.0.json").read_text())
                               ).validate(sarif_log)
    assert sarif_log["runs"][0]["artifacts"][0]["location"]["uri"] == "crawl.toml"
    summary = (tmp_path / "step-summary.md").read_text()
    assert summary.startswith("## scrapecheck") and "ACC-001" in summary
    # docs/ci.md quotes the summary line this job prints (the last annotation)
    printed = annotations[-1].split("::", 2)[2]
    docs_path = ROOT / "docs" / "ci.md"
    docs = docs_path.read_text(encoding="utf-8")
    quoted = re.search(r"<!-- summary line -->\n```text\n(.*)\n```", docs)
    assert quoted, "docs/ci.md lost its quoted summary line"
    if update_golden and quoted.group(1) != printed:
        # only the quoted line: a global replace once rewrote `$GITHUB_STEP_SUMMARY` elsewhere in the page
        docs_path.write_text(docs[:quoted.start(1)] + printed + docs[quoted.end(1):], encoding="utf-8")
    else:
        assert quoted.group(1) == printed, "docs/ci.md quotes a stale summary line: pytest --update-golden"


def test_github_actions_example_is_safe_for_pull_requests_from_forks() -> None:
    """Issue 14: offline by default, no secrets, least permissions, pull_request and not pull_request_target."""
    text = (ROOT / "examples" / "ci" / "github-actions.yml").read_text()
    workflow = _workflow()
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads the key `on` as True
    assert "pull_request" in triggers and "pull_request_target" not in triggers
    assert "pull_request_target" not in text.split("never `pull_request_target`")[1]
    assert "secrets." not in text and "${{" not in "".join(
        step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"])
    assert workflow["permissions"] == {}
    for name, job in workflow["jobs"].items():
        writes = {scope for scope, level in job["permissions"].items() if level == "write"}
        if writes:  # only the upload job writes, and never for a fork's pull request
            assert name == "upload-sarif" and writes == {"security-events"}
            assert "head.repo.full_name == github.repository" in job["if"]
    checks = [step["run"] for job in workflow["jobs"].values() for step in job["steps"]
              if "scrapecheck check" in step.get("run", "")]
    assert checks and all("--offline" in run for run in checks)
    checkout = next(step for step in workflow["jobs"]["crawl-plan-preflight"]["steps"]
                    if step.get("uses", "").startswith("actions/checkout"))
    assert checkout["with"]["persist-credentials"] is False


def test_gitlab_job_runs_as_written(tmp_path: Path) -> None:
    pipeline = yaml.safe_load((ROOT / "examples" / "ci" / "gitlab-ci.yml").read_text())
    job = pipeline["scrapecheck"]
    env = _ci_project(tmp_path)
    env.update({key: str(value) for key, value in job.get("variables", {}).items()})
    codes = []
    for line in job["script"]:
        if _installs(line):
            continue
        done = subprocess.run(["bash", "-e", "-c", line], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=120)
        codes.append(done.returncode)
    assert codes == [1]  # one evaluation; the gate fails on the example's findings
    for path in [*job["artifacts"]["paths"], job["artifacts"]["reports"]["codequality"]]:
        assert (tmp_path / path).stat().st_size > 0
    assert all("--offline" in line for line in job["script"] if "scrapecheck check" in line)


def test_pre_commit_hook(capsys, tmp_path: Path) -> None:
    import re

    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "scrapecheck" and hook["entry"] == "scrapecheck check --offline"
    assert hook["language"] == "python" and hook["types_or"] == ["toml", "json"] and "types" not in hook
    pattern = re.compile(hook["files"])
    for name in ("crawl.toml", "crawl.json", "plans/crawl.toml", "plans/shop.crawl.toml", "a/b.crawl.json"):
        assert pattern.search(name), name
    for name in ("pyproject.toml", "mycrawl.toml", "crawl.toml.bak", "crawl.yaml", "scrapecheck.toml"):
        assert not pattern.search(name), name
    # pre-commit runs `entry args... file1 file2`: several plans in one call
    first = write(tmp_path / "crawl.toml", MINIMAL_PLAN)
    second = write(tmp_path / "shop.crawl.toml", MINIMAL_PLAN.replace('name = "t"', 'name = "shop"'))
    argv = hook["entry"].split()[1:] + ["--offline", "--isolated", str(first), str(second)]
    code, out, _ = run(capsys, *argv)
    assert code == Exit.OK and out.rstrip().splitlines()[-1].startswith("2 plans: ")


def test_review_fixes_for_the_command_line(capsys, tmp_path: Path) -> None:
    plan = tmp_path / "x.toml"
    plan.write_text(Path(CLEAN).read_text())
    code, out, _ = run(capsys, "check", str(plan), str(tmp_path / "." / "x.toml"), "--offline", "--format", "json")
    assert json.loads(out)["reports"][0]["plan"]["name"] == "public-web-archive"
    assert len(json.loads(out)["reports"]) == 1  # the same plan named twice is checked once
    code, _, err = run(capsys, "check", CLEAN, "--offline", "--select", "")
    assert code == Exit.USAGE and "--select needs rule ids" in err
    code, _, err = run(capsys, "init", str(tmp_path / "plan.json"))
    assert code == Exit.USAGE and "name the file *.toml" in err
    config = write(tmp_path / "scrapecheck.toml", 'fail_on = "low"\nfail-on = "high"\n')
    code, _, err = run(capsys, "check", CLEAN, "--offline", "--config", str(config))
    assert code == Exit.USAGE and "set twice" in err
    waivers = write(tmp_path / "w.toml", 'rule = "ACC-001"\n')
    code, _, err = run(capsys, "check", CLEAN, "--offline", "--waivers", str(waivers))
    assert code == Exit.USAGE and "a waivers file holds [[waivers]] tables" in err
