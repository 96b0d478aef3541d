"""Hostile values in every output format (review of 2026-12): what earlier reviews missed.

Pipes in URLs split Markdown table cells; long dotted text and long lines took quadratic time; a plan file
whose name is not UTF-8 crashed SARIF and GitLab and every ``--output`` file; a ``:`` in a plan's name turned
its SARIF URI into a scheme; evidence that JSON writes fine broke SARIF and HTML.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import jsonschema
import pytest
from conftest import MINIMAL_PLAN, ROOT, write

from scrapecheck import evaluate
from scrapecheck.cli import main
from scrapecheck.formats import REGISTRY, markdown, sarif
from scrapecheck.formats.interface import RenderContext
from scrapecheck.plan import parse_plan
from scrapecheck.report import Report

SARIF_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text())
FORGED = "https://example.com/x|robots.txt allows this path|waived until 2099-12-31|"


def _report(url: str = "https://example.com/", source: str = "plans/p.toml") -> Report:
    plan = {"version": 1, "crawler": {"name": "n", "user_agent": "Bot/1.0"}, "purpose": {"kind": "ai-training"},
            "data": {"personal": True},
            "targets": [{"url": url, "robots_txt": "User-agent: *\nDisallow: /\n", "requests_per_second": 1.0}]}
    return evaluate(parse_plan(plan, source=source), offline=True, today=date(2026, 1, 1))


def _run(code: str) -> subprocess.CompletedProcess[str]:
    """A snippet in a subprocess with a timeout: quadratic work fails the test instead of stalling the suite."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60,
                          env=env, stdin=subprocess.DEVNULL)


# --- Markdown ---------------------------------------------------------------------------------------------------

def _cells(row: str) -> int:
    """GFM splits a table row at every pipe not escaped by a backslash, code spans included."""
    return len(re.findall(r"(?<!\\)\|", row)) - 1


def test_a_pipe_in_a_url_cannot_add_table_cells() -> None:
    """A target ``https://x/a|forged|waived until 2099-12-31|`` went into the table as a code span with raw pipes:
    GitHub split the row there, so the plan or site wrote the finding and status columns (a high finding shown as
    "waived"), and the URL pieces left outside the code span became live links."""
    report = _report(FORGED)
    hostile = report.model_copy(update={"findings": [
        f.model_copy(update={"message": f"{f.message} see {FORGED} and www.example.com/a|b"}) for f in report.findings]})
    out = markdown.render(hostile)
    table = out.split("| severity | rule | target | finding | status |", 1)[1].split("\n\n", 1)[0]
    rows = table.strip().splitlines()[1:]
    assert len(rows) == len(report.findings)
    for row in rows:
        assert _cells(row) == 5, row
    several = markdown.render_many([hostile, hostile])
    for row in several.splitlines():
        if row.startswith("| 🟠 high |"):
            assert _cells(row) == 5, row


def test_markdown_outside_tables_keeps_pipes_as_written() -> None:
    out = markdown.render(_report(FORGED))
    assert f"Target: `{FORGED}`" in out


def test_mentions_and_email_addresses_stay_text() -> None:
    """GitHub turns ``@name`` in a comment into a mention (a notification to that user or team) and ``a@b.example``
    into a mailto link: a robots.txt comment or a waiver reason must not ping people from a pull request."""
    from test_safe_output import outside_code

    report = _report()
    hostile = report.model_copy(update={"findings": [
        f.model_copy(update={"message": f"{f.message} cc @octocat @acme/security-team, mail ops@evil.example."})
        for f in report.findings]})
    out = outside_code(markdown.render(hostile))
    assert "@" not in out, [line for line in out.splitlines() if "@" in line]


def test_dollar_signs_cannot_start_math() -> None:
    """GitHub renders ``$...$`` and ``$$...$$`` as math in comments and job summaries: a robots.txt comment or a
    waiver reason ``$\\color{green}{\\text{approved by legal}}$`` showed as styled text that is not in the report.
    GitHub's docs escape a dollar outside math with HTML (``<span>$</span>``), not a backslash; an entity works."""
    from test_safe_output import outside_code

    report = _report()
    hostile = report.model_copy(update={"findings": [
        f.model_copy(update={"message": f"{f.message} $\\color{{green}}{{\\text{{approved}}}}$ and $$x$$",
                             "target": "https://example.com/$x$"}) for f in report.findings]})
    out = markdown.render(hostile)
    assert "$" not in outside_code(out)
    assert "&#36;\\\\color" in out  # shown as written: the entity is a dollar, the backslash escaped


def test_long_dotted_text_renders_in_linear_time() -> None:
    """``a.a.a...`` (a robots.txt line, a path, a waiver reason) without ``://``: the autolink pattern restarted at
    every word boundary and scanned to the end, 12 s for 64 KB and minutes for a robots.txt-sized line."""
    done = _run("""
        from scrapecheck.formats.markdown import _inline
        out = _inline("a." * 200_000 + " https://example.com/")
        assert out.endswith("`https://example.com/`"), out[-40:]
        print("ok")
    """)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


# --- plan locations ---------------------------------------------------------------------------------------------

def test_locating_fields_in_a_long_line_is_linear() -> None:
    """A line ``[a`` + spaces + ``x`` (in a valid plan: the text of a multi-line string the scanner took as closed,
    ``description = \"\"\"see \\\"\"\"``) made the table-header pattern backtrack quadratically: 7 s for 60 KB,
    half an hour for a plan at the size cap, for every SARIF, GitHub or GitLab report."""
    done = _run("""
        from scrapecheck.formats._locate import toml_lines
        text = 'version = 1\\n[a' + ' ' * 300_000 + 'x\\n["b"' + ' ' * 300_000 + 'x\\n[crawler]\\nname = "n"\\n'
        lines = toml_lines(text)
        assert lines["crawler.name"] == 5, lines
        print("ok")
    """)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


# --- lone surrogates (file names that are not UTF-8) ------------------------------------------------------------

def test_every_format_renders_a_source_with_lone_surrogates_to_utf8() -> None:
    """A plan file named with a byte that is not UTF-8 reaches the report as a lone surrogate (``\\udcff``,
    Python's surrogateescape): SARIF and GitLab raised UnicodeEncodeError, the others returned text no file
    write could encode."""
    report = _report(source="plans/a\udcffb.toml")
    context = RenderContext(artifact_paths={"plans/a\udcffb.toml": "plans/a\udcffb.toml"},
                            plan_lines={"plans/a\udcffb.toml": {"crawler.name": 3}})
    for name, entry in REGISTRY.items():
        out = entry.render(report, context)
        out.encode("utf-8")  # no UnicodeEncodeError
        assert "a\\udcffb" in out or "a%FFb" in out or "a\\\\udcffb" in out, name
    log = json.loads(sarif.render(report, context))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    assert log["runs"][0]["artifacts"][0]["location"]["uri"] == "plans/a%FFb.toml"  # the file's own bytes


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="file names must be valid Unicode there")
def test_a_plan_file_name_that_is_not_utf8_writes_every_format(tmp_path: Path, capsys, monkeypatch) -> None:
    name = os.fsdecode(b"crawl-\xff.toml")
    write(tmp_path / name, MINIMAL_PLAN + '[[targets]]\nurl = "https://example.com/"\nrobots_txt = "User-agent: *"\n')
    monkeypatch.chdir(tmp_path)
    outputs = [f"--output={fmt}:out.{fmt}" for fmt in REGISTRY]
    code = main(["check", name, "--offline", "--isolated", "--fail-on", "critical", *outputs])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    for fmt in REGISTRY:
        assert (tmp_path / f"out.{fmt}").read_text(encoding="utf-8")


# --- SARIF ------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("source", ["crawl:v2.toml", "plans/a:b.toml", "C:crawl.toml"])
def test_a_colon_in_a_plan_name_is_not_read_as_a_uri_scheme(source: str) -> None:
    """RFC 3986 s. 4.2: a relative reference whose first segment has a colon is read as scheme:path, so
    ``crawl:v2.toml`` named no file in the repository."""
    uri, relative = sarif.artifact_uri(source)
    assert relative and urlsplit(uri).scheme == "" and ":" not in uri.split("/")[0]
    assert uri.replace("%3A", ":").endswith(source.replace("C:", "C:/") if source.startswith("C:") else source)


def test_evidence_that_json_writes_keeps_sarif_and_html_working() -> None:
    """``Finding.evidence`` is any JSON-like dict through the Python API: NaN made the SARIF log invalid JSON
    (``NaN``), and a set or a tuple inside a dict raised TypeError in SARIF and HTML; the JSON format writes both."""
    from scrapecheck.formats import html

    report = _report()
    odd = report.model_copy(update={"findings": [
        f.model_copy(update={"evidence": {**f.evidence, "ratio": float("nan"), "cap": float("inf"),
                                          "nested": {"tags": {"a"}, "pair": (1, 2)}}}) for f in report.findings],
        "signals": {"targets": {"https://example.com": {"robots": {"outcome": "ok"}, "extra": {"set": {"b"}}}}}})
    log = json.loads(sarif.render(odd), parse_constant=lambda name: pytest.fail(f"{name} in SARIF"))
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    assert log["runs"][0]["results"][0]["properties"]["evidence"]["nested"] == {"tags": ["a"], "pair": [1, 2]}
    page = html.render(odd)
    assert "pair" in page and "&quot;set&quot;" in page


def test_escaped_quotes_and_brackets_in_strings_do_not_move_annotations() -> None:
    """The scanner took a backslash-escaped quote followed by two quotes for the end of a multi-line string, so its
    text was read as plan lines: a description holding ``[access]`` and ``authentication = "none"`` put the
    ACC-001 annotation on that text, not on the real field. A ``[`` inside a string of a multi-line array made it
    skip the rest of the plan (every later finding on line 1)."""
    from scrapecheck._files import tomllib
    from scrapecheck.formats._locate import toml_lines

    plan = ('version = 1\n[crawler]\nname = "n"\nuser_agent = "Bot/1.0"\n[purpose]\nkind = "research"\n'
            'description = """say \\"""\n[access]\nauthentication = "none"\n"""\n'
            '[[targets]]\nurl = "https://a.example/"\npaths = [\n  "/a[b",\n  "/c",\n]\nrequests_per_second = 2.0\n'
            '[access]\nauthentication = "fake-accounts"\n')
    parsed = tomllib.loads(plan)  # valid TOML: the description holds the fake lines
    assert parsed["purpose"]["description"].startswith('say """\n[access]')
    rows = plan.splitlines()
    lines = toml_lines(plan)
    assert rows[lines["access.authentication"] - 1] == 'authentication = "fake-accounts"'
    assert rows[lines["targets[0].requests_per_second"] - 1] == "requests_per_second = 2.0"


def test_an_unclosed_quote_in_a_comment_is_scanned_once() -> None:
    """``requests_per_second = 1 # "\\"\\"\\"...``: the pattern that drops strings before counting brackets restarted
    at every quote of an unclosed string and scanned to the end of the line (8.7 s for 40 KB, quadratic)."""
    done = _run(r'''
        from scrapecheck.formats._locate import toml_lines
        hostile = '"' + '\\"' * 150_000
        text = ('version = 1\n[crawler]\nname = "n" # ' + hostile + '\npaths = [\n  "/a", # ' + hostile
                + '\n]\nuser_agent = "B"\n')
        lines = toml_lines(text)
        assert lines["crawler.user_agent"] == 7, lines
        print("ok")
    ''')
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stderr[-2000:]


@pytest.mark.parametrize("text", ["x_https://evil.example/a", "_www.evil.example", "9https://evil.example/",
                                  "see_www.evil.example/p", "ahttps://evil.example/", "*www.evil.example"])
def test_addresses_glued_to_a_word_are_code_too(text: str) -> None:
    """GitHub links ``http://`` after any non-letter (it rewinds over letters only to find the scheme) and ``www.``
    after ``_``; the pattern wanted a word boundary, so ``x_https://…`` and ``9https://…`` stayed live links."""
    from test_safe_output import outside_code

    out = outside_code(markdown._inline(f"a {text} b"))
    assert "://" not in out and "www." not in out, out


def test_text_shows_rule_pack_text_without_terminal_escapes() -> None:
    """HTML, Markdown and GitHub escape what a rule pack says too (docs/reviewers.md: "a plan, a site or a rule
    pack"); text wrote a pack's remediation, citation title and address raw, so a pack loaded with
    ``--policies`` or ``evaluate(policies=...)`` could clear the terminal or hide a line (TOML ``\\u001b``)."""
    from scrapecheck.formats import text

    report = _report()
    esc = "\x1b[2J\x1b]8;;https://evil.example/\x07"
    hostile = report.model_copy(update={"findings": [
        f.model_copy(update={"remediation": f"fix {esc}", "title": f"t {esc}",
                             "sources": [s.model_copy(update={"title": f"s {esc}", "url": f"https://x/{esc}",
                                                              "date": f"d{esc}"}) for s in f.sources],
                             "limits": [s.model_copy(update={"title": f"l {esc}"}) for s in f.sources]})
        for f in report.findings]})
    out = text.render(hostile)
    assert "\x1b" not in out and "\x07" not in out
    assert "fix \\x1b[2J" in out
