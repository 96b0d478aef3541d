"""Every output format: golden files for one example plan, the official SARIF schema, the published JSON schema.

Refresh the golden files with `pytest --update-golden` after a deliberate change, and review the diff.
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import EXAMPLES, ROOT

from scrapecheck import evaluate, load_plan
from scrapecheck.cli import Exit, main
from scrapecheck.formats import FORMATS, FORMATS_MANY, REGISTRY, markdown, sarif, text
from scrapecheck.formats import json as json_format
from scrapecheck.formats._locate import finding_line, json_lines, toml_lines
from scrapecheck.formats.interface import RenderContext

GOLDEN = Path(__file__).parent / "golden"
PLAN = "examples/plans/linkedin-fake-accounts.toml"
SUFFIX = {name: entry.suffix for name, entry in REGISTRY.items()}
SARIF_SCHEMA = json.loads((Path(__file__).parent / "schemas" / "sarif-schema-2.1.0.json").read_text())
REPORT_SCHEMA = json.loads((ROOT / "docs" / "schema" / "report.schema.json").read_text())


def cli_output(capsys, monkeypatch, *argv: str) -> tuple[int, str]:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("NO_COLOR", "1")
    code = main(["check", *argv, "--isolated"])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out


def validate_sarif(document: dict) -> None:
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(document)


def validate_report(document: dict) -> None:
    jsonschema.Draft202012Validator(REPORT_SCHEMA, format_checker=jsonschema.FormatChecker()).validate(document)


@pytest.fixture(scope="module")
def report():
    return evaluate(load_plan(EXAMPLES / "plans" / "linkedin-fake-accounts.toml"), offline=True)


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_golden(capsys, monkeypatch, update_golden: bool, fmt: str) -> None:
    code, out = cli_output(capsys, monkeypatch, PLAN, "--offline", "--format", fmt)
    assert code == Exit.FINDINGS
    path = GOLDEN / f"linkedin-fake-accounts.{SUFFIX[fmt]}"
    if update_golden:
        path.write_text(out, encoding="utf-8")
    assert path.exists(), f"{path.name} missing: run pytest --update-golden"
    assert out == path.read_text(encoding="utf-8"), f"{path.name} differs: review, then pytest --update-golden"


@pytest.mark.parametrize("fmt", sorted(SUFFIX))
def test_output_is_deterministic(capsys, monkeypatch, fmt: str) -> None:
    first = cli_output(capsys, monkeypatch, PLAN, "--offline", "--format", fmt)[1]
    second = cli_output(capsys, monkeypatch, PLAN, "--offline", "--format", fmt)[1]
    assert first == second


def test_registries_cover_every_format() -> None:
    assert set(FORMATS) == set(FORMATS_MANY) == set(SUFFIX)


def test_cli_config_and_docs_derive_from_the_format_registry(tmp_path, capsys) -> None:
    """Issue 9: one table of formats. The CLI's choices, the config's accepted values and the docs follow it."""
    from scrapecheck.cli import _parser
    from scrapecheck.config import ConfigError, parse
    from scrapecheck.formats import format_table

    check = _parser()._subparsers._group_actions[0].choices["check"]  # type: ignore[union-attr]
    (fmt_action,) = [a for a in check._actions if a.dest == "format"]
    assert tuple(fmt_action.choices) == tuple(REGISTRY)
    for name in REGISTRY:
        assert parse({"format": name}, tmp_path / "scrapecheck.toml")["format"] == name
        assert parse({"output": f"{name}:r.out"}, tmp_path / "scrapecheck.toml")["output"]
    with pytest.raises(ConfigError, match="must be one of"):
        parse({"format": "yaml"}, tmp_path / "scrapecheck.toml")
    docs = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    assert format_table() in docs, "docs/ci.md: the format table is stale (paste formats.format_table())"
    for name in REGISTRY:
        assert (GOLDEN / f"linkedin-fake-accounts.{REGISTRY[name].suffix}").exists(), f"no golden file for {name}"


# --- JSON -----------------------------------------------------------------------------------------------------

def test_json_single_plan_has_the_design_shape(report) -> None:
    data = json.loads(json_format.render(report))
    assert {"version", "plan", "summary", "findings", "signals"} <= set(data)
    assert set(data["summary"]) >= {"max_severity", "counts"}
    validate_report(data)


def test_json_several_plans_shape_validates(capsys, monkeypatch) -> None:
    code, out = cli_output(capsys, monkeypatch, "examples/plans", "--offline", "--format", "json")
    data = json.loads(out)
    validate_report(data)
    assert set(data) == {"version", "tool_version", "summary", "reports"}
    assert data["summary"]["plans"] == len(data["reports"]) == len(list((EXAMPLES / "plans").glob("*.toml")))
    total = sum(sum(r["summary"]["counts"].values()) for r in data["reports"])
    assert sum(data["summary"]["counts"].values()) == total
    assert code == Exit.FINDINGS


def test_json_with_waiver_validates(report) -> None:
    waived = report.model_copy(update={"findings": [
        report.findings[0].model_copy(update={"suppressed": True, "waiver": {
            "reason": "r", "expires": "2999-01-01", "approved_by": None}}),
        report.findings[1].model_copy(update={"waiver": {
            "reason": "r", "expires": "2000-01-01", "approved_by": "x", "expired": True}}),
        *report.findings[2:]]})
    validate_report(json.loads(json_format.render(waived)))


def test_report_schema_rejects_a_wrong_shape(report) -> None:
    data = json.loads(json_format.render(report))
    data["findings"][0]["severity"] = "severe"
    with pytest.raises(jsonschema.ValidationError):
        validate_report(data)


# --- SARIF ----------------------------------------------------------------------------------------------------

def test_sarif_validates_and_describes_rules(capsys, monkeypatch) -> None:
    _, out = cli_output(capsys, monkeypatch, PLAN, "--offline", "--format", "sarif")
    log = json.loads(out)
    validate_sarif(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    ids = [rule["id"] for rule in rules]
    assert ids == sorted(set(ids)) and set(ids) == {r["ruleId"] for r in run["results"]}
    acc = rules[ids.index("ACC-001")]
    assert acc["shortDescription"]["text"] and acc["fullDescription"]["text"]
    assert "linkedin-v-proapis-2025" in {s["id"] for s in acc["properties"]["sources"]}
    assert "](https://" in acc["help"]["markdown"] and "Remediation" in acc["help"]["text"]
    assert acc["properties"]["category"] == "accounts" and acc["defaultConfiguration"]["level"] == "error"
    assert run["artifacts"][0]["location"] == {"uri": PLAN, "uriBaseId": "%SRCROOT%"}


def test_sarif_locates_the_triggering_field(capsys, monkeypatch) -> None:
    _, out = cli_output(capsys, monkeypatch, PLAN, "--offline", "--format", "sarif")
    lines = (ROOT / PLAN).read_text().splitlines()
    by_rule = {r["ruleId"]: r for r in json.loads(out)["runs"][0]["results"]}

    def line_of(rule_id: str) -> str:
        return lines[by_rule[rule_id]["locations"][0]["physicalLocation"]["region"]["startLine"] - 1]

    assert line_of("ACC-001").startswith("authentication = ")
    assert line_of("ACC-002").startswith("automated_signup = ")
    assert line_of("ROB-001").startswith("url = ")              # target-scoped: the target's url line
    assert line_of("LOD-002").startswith("requests_per_second")  # a target's own field
    assert line_of("PER-001").startswith("estimated_subjects")


def test_sarif_levels_and_fingerprints(report) -> None:
    log = json.loads(sarif.render(report))
    results = log["runs"][0]["results"]
    levels = {r["properties"]["severity"]: r["level"] for r in results}
    assert levels["critical"] == "error" and levels["high"] == "error" and levels["medium"] == "warning"
    assert levels["low"] == "note"
    prints = [r["partialFingerprints"]["scrapecheck/v1"] for r in results]
    assert len(set(prints)) == len(prints)


def test_sarif_fingerprints_ignore_volatile_message_text(report) -> None:
    changed = report.model_copy(update={"findings": [
        f.model_copy(update={"message": f.message + " (now 12345 requests)"}) for f in report.findings]})

    def prints(r):
        return [x["partialFingerprints"] for x in json.loads(sarif.render(r))["runs"][0]["results"]]

    assert prints(changed) == prints(report)
    assert sarif.fingerprint("ACC-001", None, "a.toml") != sarif.fingerprint("ACC-001", None, "b.toml")
    assert sarif.fingerprint("ACC-001", "https://a/", "a.toml") != sarif.fingerprint("ACC-001", None, "a.toml")


def test_sarif_suppressions_carry_the_waiver_reason(report) -> None:
    waived = report.model_copy(update={"findings": [
        report.findings[0].model_copy(update={"suppressed": True, "waiver": {
            "reason": "Reviewed by legal, ticket L-7", "expires": "2999-01-01", "approved_by": "legal"}}),
        *report.findings[1:]]})
    log = json.loads(sarif.render(waived))
    validate_sarif(log)
    first = log["runs"][0]["results"][0]
    assert first["suppressions"] == [{"kind": "external", "status": "accepted",
                                      "justification": "Reviewed by legal, ticket L-7",
                                      "properties": {"expires": "2999-01-01", "approved_by": "legal"}}]
    assert all("suppressions" not in r for r in log["runs"][0]["results"][1:])


def test_sarif_not_checked_are_notifications(report) -> None:
    log = json.loads(sarif.render(report))
    notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert {n["associatedRule"]["id"] for n in notes} == {item.rule_id for item in report.not_checked}


def test_sarif_several_plans_one_run(capsys, monkeypatch) -> None:
    _, out = cli_output(capsys, monkeypatch, "examples/plans", "--offline", "--format", "sarif")
    log = json.loads(out)
    validate_sarif(log)
    run = log["runs"][0]
    uris = [a["location"]["uri"] for a in run["artifacts"]]
    assert uris == sorted(f"examples/plans/{p.name}" for p in (EXAMPLES / "plans").glob("*.toml"))
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["index"] for r in run["results"]} <= \
        set(range(len(uris)))


def test_sarif_uri_forms() -> None:
    assert sarif.artifact_uri("plans/my crawl.toml") == ("plans/my%20crawl.toml", True)
    assert sarif.artifact_uri("./crawl.toml") == ("crawl.toml", True)
    assert sarif.artifact_uri("/srv/ci/crawl.toml") == ("file:///srv/ci/crawl.toml", False)


def test_sarif_without_rule_docs_still_validates(report) -> None:
    validate_sarif(sarif.document([report], RenderContext()))


# --- text -----------------------------------------------------------------------------------------------------

def test_text_colour_only_when_asked(report) -> None:
    plain = text.render(report)
    coloured = text.render(report, RenderContext(colour=True))
    assert "\033[" not in plain and "\033[1;31mCRITICAL" in coloured


def test_text_shows_rule_evidence_citation_and_summary(report) -> None:
    out = text.render(report, RenderContext(fail_on="high"))
    assert "ACC-001  The plan logs in with fake-accounts" in out
    assert "evidence: access.authentication=fake-accounts" in out
    assert "source: LinkedIn Corp. v. ProAPIs" in out
    last = out.rstrip().splitlines()[-1]
    assert "highest: critical" in last and "at or above high" in last


def test_text_quiet(report) -> None:
    quiet = text.render(report, RenderContext(quiet=True, fail_on="high"))
    assert quiet.count("\n") == 1 and quiet.startswith(f"{len(report.findings)} findings")
    clean = report.model_copy(update={"findings": [], "not_checked": []})
    assert text.render(clean, RenderContext(quiet=True)) == ""
    assert text.render(clean).rstrip().endswith("No findings.")


def test_text_marks_waived_and_expired(report) -> None:
    findings = [report.findings[0].model_copy(update={"suppressed": True, "waiver": {
                    "reason": "accepted risk", "expires": "2999-01-01", "approved_by": None}}),
                report.findings[1].model_copy(update={"waiver": {
                    "reason": "old deal", "expires": "2000-01-01", "approved_by": None, "expired": True}})]
    out = text.render(report.model_copy(update={"findings": findings}))
    assert "[waived]" in out and "waived until 2999-01-01: accepted risk" in out
    assert "waiver: EXPIRED on 2000-01-01, no longer applies: old deal" in out
    assert "1 waived" in out.splitlines()[-1]


# --- Markdown -------------------------------------------------------------------------------------------------

def test_markdown_tables_details_and_links(report) -> None:
    out = markdown.render(report)
    assert out.startswith("## scrapecheck\n")
    assert "| severity | findings |" in out and f"| 🔴 critical | {report.counts['critical']} |" in out
    assert "| severity | rule | target | finding | status |" in out
    assert out.count("<details>") == len(report.findings) == out.count("</details>")
    assert "[LinkedIn Corp. v. ProAPIs" in out and "](https://" in out


def test_markdown_escapes_table_cells(report) -> None:
    odd = report.model_copy(update={"findings": [report.findings[0].model_copy(
        update={"message": "a | b\nc <script>"})]})
    row = next(line for line in markdown.render(odd).splitlines() if line.startswith("| 🔴 critical | ACC-001"))
    assert "a \\| b c &lt;script&gt;" in row


def test_markdown_several_plans_table(capsys, monkeypatch) -> None:
    _, out = cli_output(capsys, monkeypatch, "examples/plans", "--offline", "--format", "markdown")
    assert "| plan | critical | high | medium | low | info | waived | highest |" in out
    assert out.count("### Plan ") == len(list((EXAMPLES / "plans").glob("*.toml")))


# --- locating fields ------------------------------------------------------------------------------------------

def test_toml_lines_skip_multiline_strings_and_arrays() -> None:
    plan = ('version = 1\n[crawler]\nname = "x"\n[[targets]]\nurl = "https://a/"\nrobots_txt = """\n'
            'User-agent: *\nfake = 1\n"""\nrequests_per_second = 2\n[[targets]]\nurl = "https://b/"\n'
            '[data]\ncategories = [\n  "photos",\n]\npersonal = true\n')
    lines = toml_lines(plan)
    assert lines["targets[0].url"] == 5 and lines["targets[0].requests_per_second"] == 10
    assert "targets[0].fake" not in lines
    assert lines["targets[1].url"] == 12 and lines["data.personal"] == 17
    assert finding_line({"data.personal": True, "data.categories": ["photos"]}, None, [], lines) == 14
    assert finding_line({"requests_per_second": 2}, "https://a/", ["https://a/", "https://b/"], lines) == 10
    assert finding_line({"line": 3}, "https://b/", ["https://a/", "https://b/"], lines) == 12
    assert finding_line({"x": 1}, None, [], {}) is None


def test_json_lines_paths() -> None:
    text_ = json.dumps({"version": 1, "crawler": {"name": "a", "user_agent": "b \"q\" {x}"},
                        "targets": [{"paths": ["/x"], "url": "https://a/"}, {"url": "https://b/"}],
                        "access": {"authentication": "none"}}, indent=2)
    lines = json_lines(text_)
    rows = text_.splitlines()
    assert rows[lines["access.authentication"] - 1].strip().startswith('"authentication"')
    assert rows[lines["targets[1].url"] - 1].strip() == '"url": "https://b/"'
    assert rows[lines["targets[0].url"] - 1].strip().startswith('"url": "https://a/"')



def test_report_schema_is_current(update_golden: bool) -> None:
    from scrapecheck.schema import report_schema

    path = ROOT / "docs" / "schema" / "report.schema.json"
    expected = json.dumps(report_schema(), indent=2, sort_keys=True) + "\n"
    if update_golden:
        path.write_text(expected, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == expected, (
        "docs/schema/report.schema.json is stale: run `python -m scrapecheck.docs` (or pytest --update-golden)")


def test_text_output_escapes_control_characters_from_fetched_files() -> None:
    from scrapecheck import CrawlPlan, evaluate
    from scrapecheck.formats import text

    plan = CrawlPlan.model_validate({
        "crawler": {"name": "t", "user_agent": "T/1 (+https://t.example)"},
        "targets": [{"url": "https://e.example/p", "requests_per_second": 1,
                     "robots_txt": "User-agent: *\nDisallow: /p # \x1b[2J\x1b[31mgotcha\n"}]})
    rendered = text.render(evaluate(plan, offline=True))
    assert "\x1b" not in rendered and "\\x1b[2J" in rendered


def test_report_json_and_combiner_come_from_one_model(report) -> None:
    """Issue 9: the JSON shape is written once (ReportDocument); the multi-plan document nests the same thing."""
    from scrapecheck.report import MultiReportDocument, ReportDocument

    single = json.loads(json_format.render(report))
    many = json.loads(json_format.render_many([report, report]))
    assert set(single) == set(ReportDocument.model_fields)
    assert set(many) == set(MultiReportDocument.model_fields)
    assert many["reports"][0] == single
    assert ReportDocument.model_validate(single).model_dump(mode="json") == single
    assert many["summary"]["plans"] == 2
    assert many["summary"]["counts"] == {k: 2 * v for k, v in single["summary"]["counts"].items()}


def test_report_schema_is_generated_not_hand_written() -> None:
    source = (ROOT / "src" / "scrapecheck" / "schema.py").read_text()
    assert "ReportDocument" in source and '"properties": {' not in source
