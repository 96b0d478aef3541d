"""``scrapecheck sources``: the citation table, and --stale DAYS listing what needs re-checking."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from scrapecheck.cli import main


@pytest.fixture
def policy_dir(tmp_path: Path) -> Path:
    target = tmp_path / "policies"
    shutil.copytree(ROOT / "policies", target)
    path = target / "sources.toml"
    text = path.read_text(encoding="utf-8")
    # rfc-9309 checked long ago; van-buren never verified
    start = text.index('id = "rfc-9309"')
    end = text.index("checked = ", start)
    line_end = text.index("\n", end)
    text = text[:end] + "checked = 2020-01-01" + text[line_end:]
    start = text.index('id = "van-buren-v-us-2021"')
    ver = text.index("verification = ", start)
    chk_end = text.index("\n", text.index("checked = ", start))
    text = text[:ver] + 'verification = "none"\nweight = "appellate-decision"' + text[chk_end:]
    path.write_text(text, encoding="utf-8")
    return target


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_table_lists_every_source_with_weight_verification_and_date(capsys, policy) -> None:
    code, out, _ = run(capsys, "sources")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:5] == ["id", "weight", "verification", "checked", "rules"]
    assert len(lines) == 1 + len(policy.sources)
    row = next(line for line in lines if line.startswith("x-corp-v-does-2023 "))
    assert row.split()[1:3] == ["allegation", "partial"]


def test_stale_lists_old_and_never_checked_sources(capsys, policy_dir: Path) -> None:
    code, out, err = run(capsys, "sources", "--policies", str(policy_dir), "--stale", "30", "--today", "2026-12-01")
    assert code == 0
    ids = [line.split()[0] for line in out.splitlines()[1:]]
    assert ids == ["rfc-9309", "van-buren-v-us-2021"]
    assert "never" in out and "2 sources not re-checked within 30 days" in err
    code, out, _ = run(capsys, "sources", "--policies", str(policy_dir), "--stale", "0", "--today", "2026-11-27",
                       "--format", "json")
    rows = json.loads(out)
    assert {row["id"] for row in rows} == {"rfc-9309", "van-buren-v-us-2021"}
    never = next(row for row in rows if row["id"] == "van-buren-v-us-2021")
    assert never["checked"] is None and never["verification"] == "none" and never["age_days"] is None


def test_json_rows_say_which_rules_cite_each_source(capsys) -> None:
    code, out, _ = run(capsys, "sources", "--format", "json")
    rows = {row["id"]: row for row in json.loads(out)}
    assert "ACC-001" in rows["linkedin-v-proapis-2025"]["cited_by"]
    assert rows["linkedin-v-proapis-2025"]["weight"] == "allegation"


@pytest.mark.parametrize("value", ["-1", "ten", "1.5"])
def test_bad_stale_value_exits_2(capsys, value: str) -> None:
    code, out, err = run(capsys, "sources", "--stale", value)
    assert code == 2 and out == ""
    assert "DAYS" in err and len(err.strip().splitlines()) == 1


def test_rules_json_lists_limits_and_the_strongest_weight(capsys) -> None:
    code, out, _ = run(capsys, "rules", "--format", "json")
    rows = {row["id"]: row for row in json.loads(out)}
    assert "hiq-v-linkedin-2022" in rows["TOS-008"]["limits"]
    assert rows["TOS-008"]["weight"] == "appellate-decision"
    assert "meta-v-bright-data-2024" in rows["TOS-003"]["limits"]


def test_explain_shows_limits_caps_and_exemptions(capsys) -> None:
    code, out, _ = run(capsys, "explain", "TOS-003")
    assert code == 0 and "### Limits" in out and "At most **medium** when" in out
    code, out, _ = run(capsys, "explain", "PRV-001")
    assert "Does not apply when" in out and "own" in out
