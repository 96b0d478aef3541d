"""Hostile inputs to the CLI and to plan handling found by the review of 2026-12-02.

Each one is a clear error (exit 2 with one line, or a ScrapecheckError/TypeError through the API), or the run goes
on and says what it did; none is a traceback, a silent pass or a lost output.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL_PLAN, ROOT, write

from scrapecheck.cli import Exit, main

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FIRES = MINIMAL_PLAN + '[access]\nauthentication = "fake-accounts"\n'
"""A plan with one critical finding (ACC-001)."""


def one_line_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    code = main(argv)
    captured = capsys.readouterr()
    assert code == Exit.USAGE, (code, captured.err)
    assert "Traceback" not in captured.err
    assert len(captured.err.strip().splitlines()) == 1, captured.err
    return captured.err


# --- JSON objects with a key given twice: the last one silently won ---------------------------------------------

def test_a_json_plan_with_a_duplicate_key_is_an_error(capsys, tmp_path: Path) -> None:
    """``"authentication": "fake-accounts", "authentication": "none"`` was read as "none": a reviewer of the file
    sees fake accounts, the check passed it."""
    plan = tmp_path / "plan.json"
    plan.write_text('{"version": 1, "crawler": {"name": "t", "user_agent": "TestBot/1.0"},\n'
                    ' "access": {"authentication": "fake-accounts", "authentication": "none"}}\n', encoding="utf-8")
    err = one_line_error(capsys, ["check", str(plan), "--offline", "--isolated"])
    assert "plan.json" in err and "authentication" in err and "twice" in err


def test_json_baseline_and_signals_with_a_duplicate_key_are_errors(capsys, tmp_path: Path) -> None:
    plan = write(tmp_path / "plan.toml", FIRES)
    baseline = write(tmp_path / "baseline.json", '{"version": 1, "findings": [], "findings": []}')
    err = one_line_error(capsys, ["check", str(plan), "--offline", "--isolated", "--baseline", str(baseline)])
    assert "baseline.json" in err and "findings" in err and "twice" in err
    signals = write(tmp_path / "signals.json", '{"version": 1, "version": 1}')
    err = one_line_error(capsys, ["check", str(plan), "--offline", "--isolated", "--signals", str(signals)])
    assert "signals.json" in err and "version" in err and "twice" in err


def test_load_plan_refuses_a_duplicate_json_key(tmp_path: Path) -> None:
    from scrapecheck import load_plan
    from scrapecheck.errors import PlanError

    plan = write(tmp_path / "p.json", '{"crawler": {"name": "a", "name": "b", "user_agent": "A"}}')
    with pytest.raises(PlanError, match="name"):
        load_plan(plan)


# --- integers too long for Python's int parser: ValueError traceback, exit 1 ------------------------------------

@pytest.mark.parametrize("role", ["plan.json", "plan.toml", "waivers", "config", "baseline"])
def test_an_integer_of_thousands_of_digits_exits_2(capsys, tmp_path: Path, role: str) -> None:
    huge = "9" * 5000
    plan = write(tmp_path / "plan.toml", FIRES)
    argv = ["check", str(plan), "--offline", "--isolated"]
    if role == "plan.json":
        hostile = write(tmp_path / "hostile.json", '{"crawler": {"name": "t", "user_agent": "A"}, '
                                                   f'"access": {{"account_count": {huge}}}}}')
        argv[1] = str(hostile)
    elif role == "plan.toml":
        hostile = write(tmp_path / "hostile.toml", FIRES + f"account_count = {huge}\n")
        argv[1] = str(hostile)
    elif role == "waivers":
        hostile = write(tmp_path / "hostile.toml", f"[[waivers]]\nrule = \"ACC-001\"\nreason = {huge}\n")
        argv += ["--waivers", str(hostile)]
    elif role == "config":
        hostile = write(tmp_path / "scrapecheck.toml", f"quiet = {huge}\n")
        argv = ["check", str(plan), "--offline", "--config", str(hostile)]
    else:
        hostile = write(tmp_path / "hostile.json", f'{{"version": {huge}}}')
        argv += ["--baseline", str(hostile)]
    err = one_line_error(capsys, argv)
    assert hostile.name in err and "digits" in err


# --- the Python API: flags and dates of the wrong type ----------------------------------------------------------

@pytest.mark.parametrize("keyword, value", [
    ("allow_private_networks", "no"),  # truthy: it turned on fetching from loopback and private addresses
    ("allow_private_networks", 1),
    ("offline", "false"),  # truthy: "false" meant offline
    ("today", "2020-01-01"),
    ("today", 20200101),
])
def test_evaluate_refuses_flags_and_dates_of_the_wrong_type(tmp_path: Path, keyword: str, value: object) -> None:
    from scrapecheck import evaluate, load_plan

    plan = load_plan(write(tmp_path / "plan.toml", FIRES))
    extra = {"offline": True} if keyword != "offline" else {}
    with pytest.raises(TypeError, match=keyword):
        evaluate(plan, waivers=[{"rule": "ACC-001", "reason": "r", "expires": "2030-01-01"}],
                 **extra, **{keyword: value})


def test_evaluate_today_a_datetime_is_refused(tmp_path: Path) -> None:
    import datetime

    from scrapecheck import evaluate, load_plan

    plan = load_plan(write(tmp_path / "plan.toml", FIRES))
    with pytest.raises(TypeError, match="today"):
        evaluate(plan, offline=True, today=datetime.datetime(2020, 1, 1),
                 waivers=[{"rule": "ACC-001", "reason": "r", "expires": "2030-01-01"}])


@pytest.mark.parametrize("fetch_config", ["x", {"retries": 1}])
def test_evaluate_fetch_config_of_the_wrong_type_is_a_type_error(tmp_path: Path, fetch_config: object) -> None:
    """It was an AttributeError ('str' object has no attribute 'user_agent') from inside the fetcher."""
    from scrapecheck import evaluate, load_plan

    plan = load_plan(write(tmp_path / "plan.toml", MINIMAL_PLAN + '[[targets]]\nurl = "http://127.0.0.1:9/"\n'))
    for offline in (False, True):
        with pytest.raises(TypeError, match="fetch_config must be a FetchConfig"):
            evaluate(plan, offline=offline, fetch_config=fetch_config)


@pytest.mark.parametrize("waivers", [5, {"rule": "ACC-001", "reason": "r", "expires": "2030-01-01"}, b"ACC-001"])
def test_evaluate_waivers_that_are_not_a_list_say_so(tmp_path: Path, waivers: object) -> None:
    """``waivers=5`` was "'int' object is not iterable"; one waiver dict was read as its keys ("not str")."""
    from scrapecheck import evaluate, load_plan

    plan = load_plan(write(tmp_path / "plan.toml", FIRES))
    with pytest.raises(TypeError, match="waivers must be"):
        evaluate(plan, offline=True, waivers=waivers)


# --- plan fields ------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("version", ["true", "1.0"])
def test_plan_version_must_be_the_integer_1(capsys, tmp_path: Path, version: str) -> None:
    plan = write(tmp_path / "plan.toml", MINIMAL_PLAN.replace("version = 1", f"version = {version}"))
    err = one_line_error(capsys, ["check", str(plan), "--offline", "--isolated"])
    assert "version" in err


# --- --print-config: values from files and arguments printed raw ------------------------------------------------

def test_print_config_is_valid_toml_without_raw_control_characters(capsys, tmp_path: Path, monkeypatch) -> None:
    write(tmp_path / "scrapecheck.toml",
          'output = "r\\u001b[31m.txt"\nwaivers = "w\\nx.toml"\nsignals = "s\\u007f.json"\n')
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--print-config", "p\x1b[2J.toml"])
    out = capsys.readouterr().out
    assert code == Exit.OK
    assert "\x1b" not in out and "\x7f" not in out
    values = tomllib.loads(out)  # the printed configuration reads back as it was
    assert values["waivers"] == str(tmp_path / "w\nx.toml")
    assert values["output"] == [str(tmp_path / "r\x1b[31m.txt")]
    assert values["signals"] == str(tmp_path / "s\x7f.json")
    assert main(["check", "--print-config", "-o", os.fsdecode(b"r\xff.txt"), os.fsdecode(b"p\xff.toml")]) == Exit.OK
    out = capsys.readouterr().out
    out.encode("utf-8")  # a strict UTF-8 stdout takes it (a lone surrogate was a UnicodeEncodeError)
    assert "p\\xff.toml" in out and tomllib.loads(out)["output"] == [str(Path("r\\xff.txt"))]


# --- a plan file whose name is not UTF-8 ------------------------------------------------------------------------

needs_bytes_names = pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="file names are bytes on Linux")


@needs_bytes_names
@pytest.mark.parametrize("fmt", ["text", "sarif", "gitlab", "json", "markdown", "html", "github"])
def test_a_plan_file_name_that_is_not_utf8_is_reported(capsys, tmp_path: Path, monkeypatch, fmt: str) -> None:
    """``bad\\xff.toml``: SARIF and GitLab output were a UnicodeEncodeError traceback, text to a file too."""
    name = os.fsdecode(b"bad\xff.toml")
    write(tmp_path / name, FIRES)
    monkeypatch.chdir(tmp_path)
    code = main(["check", name, "--offline", "--isolated", "--format", fmt, "-o", "report.out"])
    err = capsys.readouterr().err
    assert code == Exit.FINDINGS, err
    report = (tmp_path / "report.out").read_text(encoding="utf-8")
    assert "bad" in report and "ACC-001" in report


@needs_bytes_names
def test_a_baseline_of_a_plan_whose_name_is_not_utf8(capsys, tmp_path: Path, monkeypatch) -> None:
    name = os.fsdecode(b"bad\xff.toml")
    write(tmp_path / name, FIRES)
    monkeypatch.chdir(tmp_path)
    assert main(["check", name, "--offline", "--isolated", "--write-baseline", "b.json"]) == Exit.OK
    assert main(["check", name, "--offline", "--isolated", "--baseline", "b.json"]) == Exit.OK
    assert "Traceback" not in capsys.readouterr().err


@needs_bytes_names
def test_load_plan_names_a_non_utf8_file_in_text(tmp_path: Path) -> None:
    from scrapecheck import load_plan

    name = os.fsdecode(b"bad\xff.toml")
    plan = load_plan(write(tmp_path / name, FIRES))
    assert plan.source is not None
    plan.source.encode("utf-8")  # no lone surrogate: every format and file can hold it
    assert plan.source.endswith("bad\\xff.toml")


# --- stdout closed by the reader (``scrapecheck check ... | head``) ---------------------------------------------

def test_a_closed_stdout_keeps_the_exit_status_and_the_other_outputs(tmp_path: Path) -> None:
    """The run returned 0 with a critical finding and never wrote ``-o sarif:FILE``: a CI gate with pipefail passed."""
    plan = write(tmp_path / "plan.toml", FIRES)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    process = subprocess.Popen([sys.executable, "-m", "scrapecheck", "check", str(plan), "--offline", "--isolated",
                                "--format", "json", "-o", f"sarif:{tmp_path / 'scan.sarif'}"],
                               cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    process.stdout.close()  # the reader is gone before a byte was written
    err = process.stderr.read().decode("utf-8", "replace")
    code = process.wait(timeout=120)
    assert code == Exit.FINDINGS, err
    assert "Traceback" not in err
    assert json.loads((tmp_path / "scan.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_a_closed_stdout_in_process(capsys, tmp_path: Path, monkeypatch) -> None:
    class Closed:
        def write(self, text: str) -> int:
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self) -> None:
            raise BrokenPipeError(32, "Broken pipe")

        def isatty(self) -> bool:
            return False

    plan = write(tmp_path / "plan.toml", FIRES)
    monkeypatch.setattr(sys, "stdout", Closed())
    code = main(["check", str(plan), "--offline", "--isolated", "-o", f"sarif:{tmp_path / 'scan.sarif'}"])
    assert code == Exit.FINDINGS
    assert (tmp_path / "scan.sarif").exists()


# --- a plan directory holding a broken link ---------------------------------------------------------------------

def test_a_dangling_plan_link_in_a_directory_is_an_error(capsys, tmp_path: Path) -> None:
    """A plan in a directory that is a link to a moved file was skipped without a word: the other plans passed."""
    folder = tmp_path / "plans"
    write(folder / "good.toml", MINIMAL_PLAN)
    (folder / "moved.toml").symlink_to(tmp_path / "elsewhere" / "moved.toml")
    err = one_line_error(capsys, ["check", str(folder), "--offline", "--isolated"])
    assert "moved.toml" in err


# --- arguments echoed back --------------------------------------------------------------------------------------

def test_init_does_not_echo_control_characters(capsys, tmp_path: Path) -> None:
    path = tmp_path / "p\x1b]0;x\x07.toml"
    assert main(["init", str(path)]) == Exit.OK
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\x07" not in err and "\\x1b" in err


def test_explain_of_a_renamed_id_does_not_echo_control_characters(capsys) -> None:
    assert main(["explain", "acc-007\r"]) == Exit.OK
    out = capsys.readouterr().out
    assert "\r" not in out and "ACC-001" in out


def test_sarif_of_a_report_whose_plan_source_holds_a_lone_surrogate() -> None:
    from scrapecheck import evaluate
    from scrapecheck.formats import REGISTRY
    from scrapecheck.formats.interface import RenderContext
    from scrapecheck.plan import parse_plan

    plan = parse_plan(tomllib.loads(FIRES), source=os.fsdecode(b"bad\xff.toml"))
    report = evaluate(plan, offline=True)
    assert "bad" in REGISTRY["sarif"].render(report, RenderContext())


# --- outputs that cannot be written, found only after the network work ------------------------------------------

class _Counting:
    """A 127.0.0.1 server that answers every GET with 404 and counts the requests."""

    def __init__(self) -> None:
        import http.server
        import threading

        owner = self
        self.requests = 0

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                owner.requests += 1
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def counting():
    server = _Counting()
    try:
        yield server
    finally:
        server.close()


@pytest.mark.parametrize("command", ["fetch", "check", "check-baseline"])
@pytest.mark.parametrize("where", ["missing-folder", "directory"])
def test_an_output_that_cannot_be_written_is_refused_before_fetching(capsys, tmp_path: Path, counting: _Counting,
                                                                    command: str, where: str) -> None:
    """``fetch PLAN -o missing/signals.json`` fetched every target (minutes on a real plan), then failed to write:
    the evidence was lost. Now exit 2 before the first request."""
    plan = write(tmp_path / "plan.toml", MINIMAL_PLAN + f'[[targets]]\nurl = "{counting.url}"\n')
    if where == "directory":
        out = tmp_path / "out.json"
        out.mkdir()
    else:
        out = tmp_path / "missing" / "out.json"
    argv = {
        "fetch": ["fetch", str(plan), "--allow-private", "-o", str(out)],
        "check": ["check", str(plan), "--isolated", "--allow-private", "-o", str(out)],
        "check-baseline": ["check", str(plan), "--isolated", "--allow-private", "--write-baseline", str(out)],
    }[command]
    err = one_line_error(capsys, argv)
    assert out.name in err
    assert counting.requests == 0


# --- an unexpected error (a bug) must not read as "findings" ----------------------------------------------------

def test_an_internal_error_exits_2_not_1(capsys, tmp_path: Path, monkeypatch) -> None:
    """Exit 1 means findings and nothing else (DESIGN.md); an uncaught exception left Python's 1, so a crash read
    as "findings at or above --fail-on" to a CI gate (the 5,000-digit integer did just that)."""
    from scrapecheck.commands import check

    def broken(args: object) -> int:
        raise RuntimeError("boom")

    monkeypatch.setattr(check, "run", broken)
    plan = write(tmp_path / "plan.toml", MINIMAL_PLAN)
    code = main(["check", str(plan), "--offline", "--isolated"])
    err = capsys.readouterr().err
    assert code == Exit.USAGE
    assert err.strip().splitlines()[-1].startswith("scrapecheck: internal error")
    assert "RuntimeError: boom" in err


# --- audit --journal: a file that is read and appended to -------------------------------------------------------

def test_audit_journal_that_is_the_input_is_refused(capsys, tmp_path: Path) -> None:
    """``audit urls.txt --fetch --journal urls.txt``: a list whose one line had no final newline was cut to 0 bytes
    as "a journal line cut short", and the audit reported 0 URLs with exit 0."""
    urls = tmp_path / "urls.txt"
    urls.write_bytes(b"http://127.0.0.1:9/a")
    (tmp_path / "link.txt").symlink_to(urls)
    for journal in (urls, tmp_path / "link.txt"):
        err = one_line_error(capsys, ["audit", str(urls), "--agent", "A", "--purpose", "other", "--fetch",
                                      "--timeout", "1", "--journal", str(journal)])
        assert "--journal" in err and "input" in err
        assert urls.read_bytes() == b"http://127.0.0.1:9/a"


def test_audit_journal_without_fetch_is_refused(capsys, tmp_path: Path) -> None:
    """Ignored without a word: the user believed the run resumable."""
    urls = write(tmp_path / "urls.txt", "https://a.example/x\n")
    signals = write(tmp_path / "signals.json", '{"version": 1, "targets": {}}')
    err = one_line_error(capsys, ["audit", str(urls), "--agent", "A", "--purpose", "other", "--signals", str(signals),
                                  "--journal", str(tmp_path / "j.jsonl")])
    assert "--journal" in err and "--fetch" in err


def test_audit_journal_that_is_not_a_journal_is_left_as_it_was(capsys, tmp_path: Path) -> None:
    urls = write(tmp_path / "urls.txt", "http://127.0.0.1:9/a\n")
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"my notes")
    main(["audit", str(urls), "--agent", "A", "--purpose", "other", "--fetch", "--timeout", "1",
          "--journal", str(notes)])
    capsys.readouterr()
    assert notes.read_bytes() == b"my notes"


# --- robots PATH arguments --------------------------------------------------------------------------------------

ROBOTS_PRIVATE = "User-agent: *\nDisallow: /private/\n"


@pytest.mark.parametrize("path", ["private/x", "private/", "?q", "*"])
def test_robots_path_without_a_leading_slash_is_refused(capsys, tmp_path: Path, path: str) -> None:
    """``robots robots.txt --agent A private/x`` said "allowed (no matching rule)": the reference parser reads
    "private/x" as host "private" and path "/x", so a forgotten slash answered allowed for a disallowed path."""
    robots = write(tmp_path / "robots.txt", ROBOTS_PRIVATE)
    err = one_line_error(capsys, ["robots", str(robots), "--agent", "A", path])
    assert repr(path) in err and "'/'" in err


def test_robots_url_path_of_another_site_than_the_url_is_refused(capsys, counting: _Counting) -> None:
    """A URL of another site was checked against this site's robots.txt, and the verdict printed for it."""
    err = one_line_error(capsys, ["robots", counting.url, "--agent", "A", "--allow-private",
                                  "https://other.example/private/x"])
    assert "other.example" in err and "another site" in err
    assert counting.requests == 0


def test_robots_url_paths_that_are_fine(capsys, tmp_path: Path, counting: _Counting) -> None:
    robots = write(tmp_path / "robots.txt", ROBOTS_PRIVATE)
    assert main(["robots", str(robots), "--agent", "A", "/private/x", "https://any.example/private/x"]) == Exit.OK
    assert [line.split()[0] for line in capsys.readouterr().out.splitlines()] == ["disallowed", "disallowed"]
    same = counting.url.rstrip("/").upper().replace("HTTP", "http") + "/private/x"  # the origin, spelled otherwise
    assert main(["robots", counting.url, "--agent", "A", "--allow-private", "/a", same]) == Exit.OK


# --- robots.txt snapshot files are inputs too -------------------------------------------------------------------

@pytest.mark.parametrize("command", ["check-output", "check-baseline", "fetch"])
def test_an_output_over_a_robots_txt_snapshot_is_refused(capsys, tmp_path: Path, monkeypatch, command: str) -> None:
    """``check plan.toml -o snap/robots.json`` replaced the plan's recorded robots.txt with the report."""
    snapshot = write(tmp_path / "snap" / "robots.json", "User-agent: *\nDisallow: /\n")
    write(tmp_path / "plan.toml", MINIMAL_PLAN + '[[targets]]\nurl = "http://127.0.0.1:9/"\n'
                                                 'robots_txt_file = "snap/robots.json"\n')
    monkeypatch.chdir(tmp_path)
    argv = {
        "check-output": ["check", "plan.toml", "--offline", "--isolated", "-o", "snap/robots.json"],
        "check-baseline": ["check", "plan.toml", "--offline", "--isolated", "--write-baseline", "./snap/robots.json"],
        "fetch": ["fetch", "plan.toml", "--allow-private", "--timeout", "1", "-o", "snap/robots.json"],
    }[command]
    err = one_line_error(capsys, argv)
    assert "robots.json" in err and "snapshot" in err
    assert snapshot.read_text(encoding="utf-8") == "User-agent: *\nDisallow: /\n"


# --- stdout that cannot be written (a full disk, an I/O error) --------------------------------------------------

@pytest.mark.parametrize("argv", [["check", "PLAN", "--offline", "--isolated"], ["rules"], ["explain", "ACC-001"],
                                  ["sources"], ["--version"], ["check", "--print-config", "--isolated"]])
def test_stdout_on_a_full_device_is_one_line_and_exit_2(tmp_path: Path, argv: list[str]) -> None:
    """``scrapecheck check plan.toml > /dev/full`` ended in a traceback (exit 1: read as findings)."""
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    plan = write(tmp_path / "plan.toml", MINIMAL_PLAN)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "scrapecheck", *[str(plan) if a == "PLAN" else a for a in argv]],
                              cwd=tmp_path, env=env, stdin=subprocess.DEVNULL, stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=120)
    assert done.returncode == Exit.USAGE, done.stderr
    assert done.stderr.strip().splitlines() == ["scrapecheck: error: cannot write to stdout: No space left on device"]


# --- a plan that contradicts itself -----------------------------------------------------------------------------

@pytest.mark.parametrize("personal", ["personal = false\n", ""])
def test_personal_data_categories_without_personal_true_are_an_error(capsys, tmp_path: Path, personal: str) -> None:
    """``categories = ["health", "biometric", "children"]`` with ``personal`` false or left at its default gave no
    finding and exit 0: every personal-data rule waits for personal = true."""
    plan = write(tmp_path / "plan.toml", MINIMAL_PLAN + f'[data]\n{personal}categories = ["health", "children"]\n'
                                                        'subject_regions = ["eu"]\n')
    err = one_line_error(capsys, ["check", str(plan), "--offline", "--isolated"])
    assert "data" in err and "personal" in err and "health" in err


@pytest.mark.parametrize("table, field, value, wanted", [
    ("data", "subject_regions", '["de", "us"]', "eu"),
    ("data", "subject_regions", '["FR"]', "eu"),
    ("data", "subject_regions", '["no"]', "eea"),
    ("data", "subject_regions", '["gb"]', "uk"),
    ("crawler", "operator_region", '"de"', "eu"),
])
def test_a_european_country_code_as_a_region_is_an_error(capsys, tmp_path: Path, table: str, field: str, value: str,
                                                         wanted: str) -> None:
    """The rules know eu, eea and uk: ``subject_regions = ["de"]`` (Germany) with health data gave no GDPR finding
    and exit 0, as if nobody in the EU were concerned."""
    extra = f"{field} = {value}\n"
    body = (MINIMAL_PLAN + extra if table == "crawler" else
            MINIMAL_PLAN + f'[data]\npersonal = true\ncategories = ["health"]\n{extra}')
    plan = write(tmp_path / "plan.toml", body)
    err = one_line_error(capsys, ["check", str(plan), "--offline", "--isolated"])
    assert field in err and repr(wanted) in err
