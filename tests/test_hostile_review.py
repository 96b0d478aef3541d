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


def test_output_to_a_device_writes_through_and_never_replaces_it(tmp_path: Path) -> None:
    """``-o /dev/stdout`` is a common idiom; renaming a temporary file over it replaced the device (as root).

    Only symlinks in tmp_path are given, so that a regression replaces the link, never a real device."""
    import os
    import stat

    from scrapecheck._files import write_atomic
    from scrapecheck.errors import ScrapecheckError

    link = tmp_path / "out.json"
    link.symlink_to(os.devnull)
    write_atomic(link, "report\n")
    assert link.is_symlink() and stat.S_ISCHR(os.stat(link).st_mode)
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    with pytest.raises(ScrapecheckError, match="not a regular file"):
        write_atomic(fifo, "report\n")
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_check_output_to_a_full_device_exits_2(capsys, tmp_path: Path) -> None:
    import os

    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    link = tmp_path / "report.txt"
    link.symlink_to("/dev/full")
    plan = write(tmp_path / "plan.toml", MINIMAL_PLAN)
    err = one_line_usage_error(capsys, ["check", str(plan), "--offline", "-o", str(link)])
    assert "cannot write" in err
    assert link.is_symlink()


def test_audit_output_through_a_device_symlink_keeps_the_link(tmp_path: Path) -> None:
    import os

    from scrapecheck.audit.writers import atomic_file

    link = tmp_path / "rows.csv"
    link.symlink_to(os.devnull)
    with atomic_file(link, "w") as handle:
        handle.write("url\n")
    assert link.is_symlink()


def test_audit_output_equal_to_the_journal_or_a_symlink_loop_exits_2(capsys, tmp_path: Path) -> None:
    urls = write(tmp_path / "urls.txt", "http://127.0.0.1:9/a\n")
    journal = str(tmp_path / "j.jsonl")
    base = ["audit", str(urls), "--agent", "A", "--purpose", "other", "--fetch", "--allow-private"]
    err = one_line_usage_error(capsys, [*base, "--journal", journal, "-o", journal])
    assert "journal" in err
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    assert main([*base, "-o", str(tmp_path / "a.csv")]) == 0  # the broken link is replaced; it was a traceback
    assert "Traceback" not in capsys.readouterr().err


def test_html_report_shows_control_and_bidi_characters_as_escapes(capsys, tmp_path: Path) -> None:
    plan = MINIMAL_PLAN.replace('name = "', 'name = "RLO\\u202e-', 1)
    assert plan != MINIMAL_PLAN
    path = write(tmp_path / "plan.toml", plan)
    main(["check", str(path), "--offline", "--format", "html"])
    out = capsys.readouterr().out
    assert "\u202e" not in out and "\\u202e" in out
