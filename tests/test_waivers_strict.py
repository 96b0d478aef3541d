"""Issue 14, strict data: waivers are not coerced, and the API refuses exactly what the CLI refuses."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL_PLAN, write

from scrapecheck import evaluate, load_plan
from scrapecheck.cli import main
from scrapecheck.errors import WaiverError

GOOD = {"rule": "TRN-001", "reason": "agreed", "expires": "2999-01-01"}
BAD = {
    "integer expiry": ({"expires": 20260630}, "expires = 20260630"),
    "datetime expiry": ({"expires": "2026-06-30T00:00:00"}, "expires = 2026-06-30T00:00:00"),
    "string date with time": ({"expires": "2026-06-30 10:00"}, 'expires = "2026-06-30 10:00"'),
    "boolean expiry": ({"expires": True}, "expires = true"),
    "number as rule": ({"rule": 1}, "rule = 1"),
    "string boolean reason": ({"reason": True}, "reason = true"),
    "unknown rule": ({"rule": "NOP-999"}, 'rule = "NOP-999"'),
    "unknown key": ({"approved": "x"}, 'approved = "x"'),
}


def _toml(overrides_line: str) -> str:
    base = {"rule": '"TRN-001"', "reason": '"agreed"', "expires": "2999-01-01"}
    key = overrides_line.split(" = ")[0]
    base[key] = overrides_line.split(" = ", 1)[1]
    return "[[waivers]]\n" + "".join(f"{k} = {v}\n" for k, v in base.items())


@pytest.mark.parametrize("case", sorted(BAD))
def test_cli_and_api_refuse_the_same_waivers(case: str, tmp_path: Path, capsys) -> None:
    override, line = BAD[case]
    plan = write(tmp_path / "plan.toml", MINIMAL_PLAN)
    waivers = write(tmp_path / "waivers.toml", _toml(line))
    assert main(["check", str(plan), "--offline", "--isolated", "--waivers", str(waivers)]) == 2
    err = capsys.readouterr().err
    assert "waivers" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    with pytest.raises(WaiverError):
        evaluate(load_plan(plan), offline=True, waivers=waivers)
    with pytest.raises(WaiverError):
        evaluate(load_plan(plan), offline=True, waivers=[{**GOOD, **override}])


def test_good_waivers_pass_both_ways(tmp_path: Path, capsys) -> None:
    plan = write(tmp_path / "plan.toml", MINIMAL_PLAN)
    for expires in ("2999-01-01", '"2999-01-01"'):
        waivers = write(tmp_path / "waivers.toml", _toml(f"expires = {expires}"))
        assert main(["check", str(plan), "--offline", "--isolated", "--waivers", str(waivers)]) in (0, 1)
        assert "error" not in capsys.readouterr().err
        evaluate(load_plan(plan), offline=True, waivers=waivers)
    evaluate(load_plan(plan), offline=True, waivers=[GOOD])
