"""Issue 15 conventions that live in the CLI: NO_COLOR / FORCE_COLOR, and --version naming the pack's date."""

from __future__ import annotations

import sys

import pytest

from scrapecheck.cli import Exit, main
from scrapecheck.commands._output import use_colour


@pytest.mark.parametrize(("env", "tty", "expected"), [
    ({}, True, True),
    ({}, False, False),
    ({"NO_COLOR": ""}, True, True),          # no-color.org: an empty NO_COLOR does not disable colour
    ({"NO_COLOR": "1"}, True, False),
    ({"NO_COLOR": "0"}, True, False),        # any non-empty value
    ({"FORCE_COLOR": "1"}, False, True),
    ({"FORCE_COLOR": ""}, False, False),
    ({"FORCE_COLOR": "0"}, True, True),      # FORCE_COLOR=0 forces nothing; the terminal decides
    ({"FORCE_COLOR": "0"}, False, False),
    ({"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),
    ({"TERM": "dumb"}, True, False),
    ({"TERM": "dumb", "FORCE_COLOR": "1"}, True, True),
])
def test_no_color_and_force_color(monkeypatch, env: dict, tty: bool, expected: bool) -> None:
    for name in ("NO_COLOR", "FORCE_COLOR", "TERM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: tty, raising=False)
    assert use_colour() is expected


def test_version_names_the_policy_pack_date(capsys) -> None:
    from scrapecheck.api import default_policy

    assert main(["--version"]) == Exit.OK
    out = capsys.readouterr().out
    newest = max(s.checked for s in default_policy().sources.values() if s.checked).isoformat()
    assert out.startswith("scrapecheck ") and f"policy pack of {newest}" in out and " rules" in out
