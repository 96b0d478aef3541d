"""Shared options of the commands that fetch: converted once, and nan, inf or negative values exit 2."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES

from scrapecheck.cli import Exit, main

PLAN = str(EXAMPLES / "plans" / "clean-archiving.toml")


@pytest.mark.parametrize("option, value", [
    ("--timeout", "nan"), ("--timeout", "inf"), ("--timeout", "-1"), ("--timeout", "0"), ("--timeout", "x"),
    ("--retries", "-1"), ("--retries", "1.5"), ("--concurrency", "0"),
])
def test_fetch_refuses_bad_numbers_with_exit_2(capsys, option: str, value: str) -> None:
    code = main(["fetch", PLAN, option, value])
    captured = capsys.readouterr()
    assert code == Exit.USAGE
    assert "Traceback" not in captured.err and len(captured.err.strip().splitlines()) == 1
    assert option in captured.err and captured.out == ""


@pytest.mark.parametrize("value", ["nan", "inf", "-3"])
def test_robots_refuses_bad_timeout_with_exit_2(capsys, value: str) -> None:
    code = main(["robots", "https://example.invalid/", "--agent", "A", "--timeout", value])
    captured = capsys.readouterr()
    assert code == Exit.USAGE and "--timeout" in captured.err and "Traceback" not in captured.err


def test_fetch_timeout_nan_exits_2_as_a_process(tmp_path) -> None:
    """The case named in issue 9, through the console entry point."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-m", "scrapecheck", "fetch", PLAN, "--timeout", "nan"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr
