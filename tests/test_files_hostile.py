"""Issue 14: plans, waivers, signals and config are read only from regular files, with a cap.

A FIFO must not hang the run, /dev/zero must not be read until memory runs out, a symlink loop or a directory
must not end in a traceback: each is exit 2 with one line on stderr. FIFO cases run in a subprocess with a
timeout, so a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL_PLAN, ROOT, write

HOSTILE = ["fifo", "dev-zero", "directory", "loop", "dangling"]


def _make(kind: str, path: Path) -> None:
    if kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        os.mkfifo(path)
    elif kind == "dev-zero":
        if not Path("/dev/zero").exists():
            pytest.skip("no /dev/zero here")
        path.symlink_to("/dev/zero")
    elif kind == "directory":
        path.mkdir()
    elif kind == "loop":
        path.symlink_to(path.name)
    elif kind == "dangling":
        path.symlink_to(path.parent / "nowhere.toml")


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-m", "scrapecheck", *argv], cwd=cwd, capture_output=True, text=True,
                          timeout=60, env=env, stdin=subprocess.DEVNULL)


@pytest.mark.parametrize("role", ["plan", "waivers", "signals", "config"])
@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_input_files_exit_2_with_one_line(tmp_path: Path, role: str, kind: str, capsys, monkeypatch) -> None:
    plan = write(tmp_path / "plan.toml", MINIMAL_PLAN)
    suffix = ".json" if role == "signals" else ".toml"
    hostile = tmp_path / f"hostile-{role}{suffix}"
    _make(kind, hostile)
    argv = {
        "plan": ["check", hostile.name, "--offline", "--isolated"],
        "waivers": ["check", plan.name, "--offline", "--isolated", "--waivers", hostile.name],
        "signals": ["check", plan.name, "--offline", "--isolated", "--signals", hostile.name],
        "config": ["check", plan.name, "--offline", "--config", hostile.name],
    }[role]
    if role == "plan" and kind == "directory":
        argv = ["check", hostile.name, "--offline", "--isolated"]  # a directory of plans with none in it
    if kind == "fifo":  # a regression would block on open(): bound it in a subprocess
        done = _run(argv, tmp_path)
        code, err = done.returncode, done.stderr
    else:
        from scrapecheck.cli import main

        monkeypatch.chdir(tmp_path)
        code = main(argv)
        err = capsys.readouterr().err
    assert code == 2, (code, err)
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert hostile.name in err


def test_messages_say_what_is_wrong(tmp_path: Path) -> None:
    from scrapecheck._files import read_capped

    def refuse(message: str) -> Exception:
        return ValueError(message)

    fifo = tmp_path / "f"
    os.mkfifo(fifo)
    loop = tmp_path / "l"
    loop.symlink_to("l")
    big = tmp_path / "big"
    big.write_bytes(b"x" * 11)
    for path, message in ((fifo, "not a regular file"), (loop, "symbolic link loop"), (tmp_path, "is a directory"),
                          (big, "over the 10-byte limit"), (tmp_path / "none", "no such file")):
        with pytest.raises(ValueError, match=message):
            read_capped(path, 10, refuse)
    assert read_capped(big, 11, refuse) == b"x" * 11


@pytest.mark.parametrize("name", [".git/config", ".env", "snap/.hidden/robots.txt", "./.netrc", "link.txt"])
def test_snapshot_files_cannot_be_hidden(tmp_path: Path, capsys, monkeypatch, name: str) -> None:
    """``robots_txt_file = ".git/config"`` put an authorisation header into the report (issue 14)."""
    from scrapecheck.cli import main

    secret = "[http]\n\textraheader = AUTHORIZATION: basic c2VjcmV0\n"
    for hidden in (".git/config", ".env", "snap/.hidden/robots.txt", ".netrc"):
        write(tmp_path / hidden, secret)
    (tmp_path / "link.txt").symlink_to(".git/config")  # a visible name for a hidden file is refused too
    plan = write(tmp_path / "plan.toml", MINIMAL_PLAN + f'[[targets]]\nurl = "https://example.com/"\n'
                                                       f'robots_txt_file = "{name}"\n')
    monkeypatch.chdir(tmp_path)
    code = main(["check", plan.name, "--offline", "--isolated", "--format", "json"])
    captured = capsys.readouterr()
    assert code == 2 and "hidden" in captured.err and "c2VjcmV0" not in captured.out + captured.err
