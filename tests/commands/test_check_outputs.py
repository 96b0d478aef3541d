"""``check --output``: several formats from one evaluation, paths relative to the repository root, and outputs
that never destroy an input (issues 9 and 14)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import EXAMPLES, MINIMAL_PLAN, ROOT, write

from scrapecheck.cli import Exit, main

FAKE = EXAMPLES / "plans" / "linkedin-fake-accounts.toml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository with .git at its root and the example plan (and its snapshot) under plans/."""
    (tmp_path / ".git").mkdir()
    shutil.copytree(EXAMPLES / "plans", tmp_path / "plans")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_one_evaluation_writes_sarif_markdown_and_json(capsys, repo: Path, monkeypatch) -> None:
    import scrapecheck.api

    calls = []
    real = scrapecheck.api.evaluate

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(scrapecheck.api, "evaluate", counting)
    (repo / "out").mkdir()
    code, out, err = run(capsys, "check", "plans/linkedin-fake-accounts.toml", "--offline", "--isolated",
                         "--output", "sarif:out/scan.sarif", "--output", "markdown:out/summary.md",
                         "-o", "json:out/report.json")
    assert code == Exit.FINDINGS, err
    assert len(calls) == 1
    assert json.loads((repo / "out" / "report.json").read_text())["plan"]["name"] == "profile-api"
    assert (repo / "out" / "summary.md").read_text().startswith("## scrapecheck")
    assert json.loads((repo / "out" / "scan.sarif").read_text())["version"] == "2.1.0"
    assert "findings (" in out  # the --format report (text) still goes to stdout


def test_output_without_format_replaces_stdout_and_two_of_them_are_an_error(capsys, repo: Path) -> None:
    code, out, _ = run(capsys, "check", "plans/clean-archiving.toml", "--offline", "--isolated",
                       "--format", "json", "-o", "r.json")
    assert code == Exit.OK and out == "" and json.loads((repo / "r.json").read_text())["version"] == 1
    code, _, err = run(capsys, "check", "plans/clean-archiving.toml", "--offline", "--isolated", "-o", "a.txt",
                       "-o", "b.txt")
    assert code == Exit.USAGE and "give it once" in err
    code, _, err = run(capsys, "check", "plans/clean-archiving.toml", "--offline", "--isolated",
                       "-o", "yaml:a.txt")
    assert code == Exit.USAGE and "unknown format 'yaml'" in err
    code, _, err = run(capsys, "check", "plans/clean-archiving.toml", "--offline", "--isolated",
                       "-o", "json:a.json", "-o", "sarif:./a.json")
    assert code == Exit.USAGE and "named by two --output options" in err


def test_sarif_uris_are_relative_to_the_repository_root(capsys, repo: Path, monkeypatch) -> None:
    monkeypatch.chdir(repo / "plans")
    code, out, _ = run(capsys, "check", "linkedin-fake-accounts.toml", "--offline", "--isolated",
                       "--format", "sarif")
    run_ = json.loads(out)["runs"][0]
    assert run_["artifacts"][0]["location"] == {"uri": "plans/linkedin-fake-accounts.toml", "uriBaseId": "%SRCROOT%"}
    code, out, _ = run(capsys, "check", "linkedin-fake-accounts.toml", "--offline", "--isolated",
                       "--format", "sarif", "--sarif-root", str(repo / "plans"))
    assert json.loads(out)["runs"][0]["artifacts"][0]["location"]["uri"] == "linkedin-fake-accounts.toml"
    code, out, _ = run(capsys, "check", "linkedin-fake-accounts.toml", "--offline", "--isolated",
                       "--format", "github")
    assert out.startswith("::error file=plans/linkedin-fake-accounts.toml,line=")


def test_gitlab_code_quality_shape(capsys, repo: Path) -> None:
    code, out, _ = run(capsys, "check", "plans/linkedin-fake-accounts.toml", "--offline", "--isolated",
                       "--format", "gitlab")
    issues = json.loads(out)
    assert issues and code == Exit.FINDINGS
    assert len({issue["fingerprint"] for issue in issues}) == len(issues)
    for issue in issues:
        assert issue["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert issue["location"]["path"] == "plans/linkedin-fake-accounts.toml"
        assert issue["location"]["lines"]["begin"] >= 1
        assert issue["description"].startswith(issue["check_name"])


def test_github_annotations_cannot_be_broken_out_of(capsys, tmp_path: Path, monkeypatch) -> None:
    from scrapecheck.formats.github import escape_data, escape_property

    assert escape_data("50% done\r\n::stop-commands::x") == "50%25 done\\x0d\\x0a::stop-commands::x"
    assert escape_property("a,b:c") == "a%2Cb%3Ac"
    assert escape_data("\u202eevil") == "\\u202eevil"
    monkeypatch.chdir(tmp_path)
    plan = write(tmp_path / "odd, name:x.toml", MINIMAL_PLAN.replace('name = "t"', 'name = "t"')
                 + '[access]\nauthentication = "fake-accounts"\naccount_count = 9\n')
    code, out, _ = run(capsys, "check", plan.name, "--offline", "--isolated", "--format", "github")
    lines = out.splitlines()
    assert all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert "file=odd%2C name%3Ax.toml," in lines[0]


# --- nothing lost: outputs never replace inputs ----------------------------------------------------------------


def test_report_over_the_plan_is_refused_and_the_plan_survives(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    plan = write(tmp_path / "plan.toml", MINIMAL_PLAN)
    for argv in (["-o", "plan.toml"], ["-o", "./plan.toml"], ["-o", f"json:{tmp_path}/plan.toml"]):
        code, out, err = run(capsys, "check", "plan.toml", "--offline", "--isolated", *argv)
        assert code == Exit.USAGE and "is the plan this run reads" in err and "Traceback" not in err
        assert plan.read_text() == MINIMAL_PLAN


def test_report_over_waivers_signals_or_config_is_refused(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "plan.toml", MINIMAL_PLAN)
    waivers = write(tmp_path / "waivers.toml", "")
    code, _, err = run(capsys, "check", "plan.toml", "--offline", "--isolated", "--waivers", "waivers.toml",
                       "-o", "waivers.toml")
    assert code == Exit.USAGE and "is the waivers file" in err and waivers.read_text() == ""
    config = write(tmp_path / "scrapecheck.toml", 'offline = true\noutput = "scrapecheck.toml"\n')
    before = config.read_text()
    code, _, err = run(capsys, "check", "plan.toml")
    assert code == Exit.USAGE and "is the config file" in err and config.read_text() == before
    config.write_text('offline = true\noutput = ["markdown:plan.toml"]\n')
    code, _, err = run(capsys, "check", "plan.toml")
    assert code == Exit.USAGE and "is the plan this run reads" in err


def test_hard_link_to_the_plan_is_the_plan(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    plan = write(tmp_path / "plan.toml", MINIMAL_PLAN)
    os.link(plan, tmp_path / "alias.txt")
    code, _, err = run(capsys, "check", "plan.toml", "--offline", "--isolated", "-o", "alias.txt")
    assert code == Exit.USAGE and plan.read_text() == MINIMAL_PLAN


def test_no_plan_like_report_inside_a_plan_directory(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "plans" / "a.toml", MINIMAL_PLAN)
    for target in ("plans/report.json", "json:plans/report.toml", "sarif:plans/x.json"):
        code, _, err = run(capsys, "check", "plans", "--offline", "--isolated", "-o", target)
        assert code == Exit.USAGE and "read the report as a plan" in err
    assert sorted(p.name for p in (tmp_path / "plans").iterdir()) == ["a.toml"]
    code, _, _ = run(capsys, "check", "plans", "--offline", "--isolated", "-o", "markdown:plans/summary.md")
    assert code == Exit.OK


def test_fetch_refuses_to_write_signals_over_its_plan(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps({"version": 1, "crawler": {"name": "t", "user_agent": "T/1"},
                                "targets": [{"url": "https://example.invalid/"}]}))
    before = plan.read_text()
    code, _, err = run(capsys, "fetch", "plan.json", "-o", "plan.json")
    assert code == Exit.USAGE and "is the plan this run reads" in err and plan.read_text() == before


def test_failed_write_keeps_the_old_report(tmp_path: Path) -> None:
    """A write that fails part-way (here: the file-size limit) leaves the previous report whole."""
    resource = pytest.importorskip("resource")
    report = tmp_path / "report.json"
    report.write_text("OLD REPORT\n")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    done = subprocess.run([sys.executable, "-m", "scrapecheck", "check", str(FAKE), "--offline", "--isolated",
                           "--format", "json", "-o", str(report)], cwd=ROOT, capture_output=True, text=True,
                          preexec_fn=limit, timeout=120)
    assert done.returncode == 2 and "cannot write" in done.stderr and "Traceback" not in done.stderr
    assert report.read_text() == "OLD REPORT\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]  # no temporary file left behind


def test_write_atomic_replaces_whole_and_keeps_mode(tmp_path: Path) -> None:
    from scrapecheck._files import write_atomic

    target = tmp_path / "r.txt"
    target.write_text("old")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert target.read_text() == "new" and (target.stat().st_mode & 0o777) == 0o640
    with pytest.raises(UnicodeEncodeError):
        write_atomic(target, "bad \ud800")
    assert target.read_text() == "new" and [p.name for p in tmp_path.iterdir()] == ["r.txt"]


def test_baseline_written_over_a_plan_is_refused_but_may_refresh_itself(capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    plan = write(tmp_path / "plan.json", json.dumps({"version": 1, "crawler": {"name": "t", "user_agent": "T/1"}}))
    before = plan.read_text()
    code, _, err = run(capsys, "check", "plan.json", "--offline", "--isolated", "--write-baseline", "plan.json")
    assert code == Exit.USAGE and "is the plan this run reads" in err and plan.read_text() == before
    assert run(capsys, "check", "plan.json", "--offline", "--isolated", "--write-baseline", "b.json")[0] == Exit.OK
    assert run(capsys, "check", "plan.json", "--offline", "--isolated", "--baseline", "b.json",
               "--write-baseline", "b.json")[0] == Exit.OK
