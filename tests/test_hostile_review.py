"""Hostile inputs found in the review of main: each one exits 2 with one line on stderr, or gives a finding."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import MINIMAL_PLAN, write

from scrapecheck.cli import Exit, main


def one_line_usage_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    code = main(argv)
    captured = capsys.readouterr()
    assert code == Exit.USAGE, captured.err
    assert "Traceback" not in captured.err
    assert len(captured.err.strip().splitlines()) == 1, captured.err
    return captured.err


def test_check_a_plan_symlink_loop_exits_2(capsys, tmp_path: Path) -> None:
    (tmp_path / "a.toml").symlink_to(tmp_path / "b.toml")
    (tmp_path / "b.toml").symlink_to(tmp_path / "a.toml")
    err = one_line_usage_error(capsys, ["check", str(tmp_path / "a.toml"), "--offline"])
    assert "a.toml" in err


@pytest.mark.parametrize("argv", [
    ["fetch", "PLAN", "--timeout", "1e308"],
    ["fetch", "PLAN", "--timeout", "1e10"],
    ["robots", "https://example.invalid/", "--agent", "A", "--timeout", "1e308"],
    ["audit", "URLS", "--agent", "A", "--purpose", "other", "--fetch", "--timeout", "1e308"],
    ["sources", "--stale", "99999999999999999999"],
    ["sources", "--stale", "1000000"],
])
def test_huge_numbers_exit_2(capsys, tmp_path: Path, argv: list[str]) -> None:
    plan = write(tmp_path / "plan.toml", MINIMAL_PLAN)
    urls = write(tmp_path / "urls.txt", "https://example.invalid/a\n")
    argv = [str(plan) if a == "PLAN" else str(urls) if a == "URLS" else a for a in argv]
    err = one_line_usage_error(capsys, argv)
    assert argv[-2] in err


def test_ipv6_loopback_is_named_loopback() -> None:
    import ipaddress

    from scrapecheck.signals.addresses import refusal

    assert refusal(ipaddress.ip_address("::1")) == "a loopback address"
