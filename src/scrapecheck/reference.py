"""Site pages generated from the models and the packs, so they cannot drift from the code.

``docs/report.md`` documents the JSON report from ``schema.report_schema``; ``docs/derivation.md`` ("how rules are
derived") reads ``policies/sources.toml`` and the rules. (``docs/plan.md`` and ``docs/rules.md`` come from
``scrapecheck.docs``.) A test fails when a committed page differs from what this module renders;
``python -m scrapecheck.docs`` rewrites them all.
"""

from __future__ import annotations

import json
import re
from typing import Any, Mapping, Optional

from .schema import report_schema

GENERATED = ("<!-- Generated from the pydantic models by `python -m scrapecheck.reference`; do not edit by hand. "
             "-->")

# Report fields whose meaning the model leaves to its name; the DESIGN.md finding table in words.
_REPORT_NOTES = {
    ("Finding", "rule_id"): "Stable, prefixed rule id such as `ACC-001`; never reused. `scrapecheck explain` "
                            "shows the rule.",
    ("Finding", "title"): "The rule's title, one line.",
    ("Finding", "message"): "What in *this* plan triggered the rule. Wording may change between versions; "
                            "match on `rule_id` and `target`, never on the message.",
    ("Finding", "target"): "The target URL the finding concerns; null for the whole plan.",
    ("Finding", "evidence"): "The facts used: plan field paths and values, the robots.txt line and its number, "
                             "header values, thresholds. Keys depend on the rule.",
    ("Finding", "sources"): "Citations the rule rests on (at least one).",
    ("Finding", "remediation"): "What to change so the finding goes away.",
    ("Finding", "suppressed"): "True when a live waiver covers the finding; it then does not count or gate.",
    ("Finding", "baseline"): "True when the finding is recorded in the `--baseline` file: known before, not "
                             "counted as new, does not gate.",
    ("Finding", "severity"): "`info` < `low` < `medium` < `high` < `critical`.",
    ("Finding", "category"): "One of a closed set (see *Category* below).",
    ("ReportDocument", "version"): "Report format version; 1 (new fields may be added, none renamed).",
    ("ReportDocument", "tool_version"): "The scrapecheck version that wrote the report.",
    ("ReportDocument", "plan"): "Who crawls what, as read from the plan.",
    ("ReportDocument", "summary"): "Counts for a gate: `max_severity` is what `--fail-on` compares.",
    ("ReportDocument", "findings"): "Every finding, waived and baseline ones included (marked), most severe first.",
    ("ReportDocument", "not_checked"): "Rule/target pairs the run could not decide for lack of a signal; not passes.",
    ("MultiReportDocument", "version"): "Report format version; 1.",
    ("MultiReportDocument", "tool_version"): "The scrapecheck version that wrote the report.",
    ("MultiReportDocument", "summary"): "The per-plan summaries added up, and the number of plans.",
    ("MultiReportDocument", "reports"): "One report per plan, in the order the plans were named.",
    ("PlanSummary", "name"): "`crawler.name`.",
    ("PlanSummary", "user_agent"): "`crawler.user_agent`.",
    ("PlanSummary", "purpose"): "`purpose.kind`.",
    ("PlanSummary", "targets"): "Each target's `url`.",
    ("Summary", "counts"): "Findings per severity that are neither waived nor in the baseline; every severity "
                           "present, zeros included.",
    ("MultiSummary", "counts"): "As in Summary, summed over the plans.",
    ("NotChecked", "rule_id"): "The rule that could not be decided.",
    ("NotChecked", "target"): "The target it concerns; null for the whole plan.",
    ("NotChecked", "missing"): "The signals it needed (robots, opt_outs, pages, ...): run without `--offline` "
                               "or pass `--signals`.",
    ("WaiverState", "reason"): "Why the risk was accepted, from the waivers file.",
    ("WaiverState", "expires"): "Last day the waiver applies (YYYY-MM-DD).",
    ("WaiverState", "approved_by"): "Who approved it, when the waivers file says.",
    ("WaiverState", "expired"): "Present (and true) only when the waiver has run out: it no longer suppresses.",
    **{("Counts", name): f"Findings of severity `{name}`." for name in ("info", "low", "medium", "high", "critical")},
    ("SourceRef", "id"): "Citation id, as in `policies/sources.toml` and `scrapecheck sources`.",
    ("SourceRef", "title"): "Name of the case, statute, statement or standard.",
    ("SourceRef", "url"): "Where it was read.",
    ("SourceRef", "date"): "Date of the decision, statement or publication (YYYY-MM-DD).",
    ("SourceRef", "court_or_body"): "Court, regulator or standards body.",
    ("SourceRef", "status"): "Its status as of the date checked (pending, settled, in force, ...).",
}


_RULE_HEADING = re.compile(r"^([A-Z]{3}-\d{3})\b")


def slugify(value: str, separator: str) -> str:
    """Heading ids for the site (mkdocs.yml's toc ``slugify``): a rule heading gets its lower-case id, so
    ``rules.md#acc-001`` works; other headings get Markdown's usual slug."""
    from markdown.extensions.toc import slugify as usual

    found = _RULE_HEADING.match(value)
    return found.group(1).lower() if found else usual(value, separator)


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def _type(schema: Mapping[str, Any]) -> str:
    """A short, readable type: `string`, `integer ≥ 0`, `list of Target`, `one of: a, b`, `… or null`."""
    if "$ref" in schema:
        name = _ref_name(schema["$ref"])
        return f"[{name}](#{name.lower()})"
    if "anyOf" in schema:
        parts = [part for part in schema["anyOf"] if part.get("type") != "null"]
        nullable = len(parts) != len(schema["anyOf"])
        text = " or ".join(_type(part) for part in parts)
        return f"{text} or null" if nullable else text
    if "const" in schema:
        return f"`{json.dumps(schema['const'])}`"
    if "enum" in schema:
        return "one of " + ", ".join(f"`{value}`" for value in schema["enum"])
    kind = schema.get("type", "any")
    if kind == "array":
        items = schema.get("items", {})
        return f"list of {_type(items)}" if items else "list"
    if kind == "object":
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and extra:
            return f"table of name → {_type(extra)}"
        return "table"
    bounds = []
    for key, sign in (("minimum", "≥"), ("exclusiveMinimum", ">"), ("maximum", "≤"), ("exclusiveMaximum", "<")):
        if key in schema:
            bounds.append(f"{sign} {schema[key]:g}" if isinstance(schema[key], float) else f"{sign} {schema[key]}")
    if "maxLength" in schema:
        bounds.append(f"at most {schema['maxLength']} characters")
    if "minLength" in schema:
        bounds.append(f"at least {schema['minLength']} character{'s' if schema['minLength'] != 1 else ''}")
    if schema.get("format"):
        bounds.append(schema["format"])
    names = {"string": "text", "integer": "integer", "number": "number", "boolean": "true/false"}
    return names.get(str(kind), str(kind)) + (f" ({', '.join(bounds)})" if bounds else "")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _table(definition: Mapping[str, Any], notes: Optional[Mapping[str, str]] = None) -> list[str]:
    lines = ["| field | type | meaning |", "|---|---|---|"]
    for name, prop in definition.get("properties", {}).items():
        meaning = prop.get("description") or (notes or {}).get(name, "")
        lines.append(f"| `{name}` | {_cell(_type(prop))} | {_cell(meaning)} |")
    return lines


def render_report_md() -> str:
    """``docs/report.md``: the JSON report (``--format json``), one table per object."""
    schema = report_schema()
    defs = schema["$defs"]
    order = ["ReportDocument", "MultiReportDocument", "PlanSummary", "Summary", "MultiSummary", "Counts",
             "Finding", "SourceRef", "WaiverState", "NotChecked"]
    order += sorted(name for name in defs if name not in order)
    lines = [
        "# JSON report",
        "",
        GENERATED,
        "",
        "`scrapecheck check --format json` writes one of two documents, described by the JSON Schema "
        "[`schema/report.schema.json`](schema/report.schema.json) (draft 2020-12), which is generated from the "
        "same models as this page:",
        "",
        "- one plan: a [ReportDocument](#reportdocument);",
        "- several plans or a directory: a [MultiReportDocument](#multireportdocument), one report per plan. A "
        "directory always gives this shape, even with one plan in it.",
        "",
        "Keys are sorted and findings come most severe first, then by rule id and target, so the same inputs give "
        "the same bytes. Every field listed is always present (null or empty when it does not apply); no other "
        "field appears. Match findings on `rule_id` and `target`: messages may be reworded between versions.",
        "",
        "```python",
        "import json, subprocess",
        "",
        'done = subprocess.run(["scrapecheck", "check", "crawl.toml", "--offline", "--format", "json"],',
        "                      capture_output=True, text=True)",
        "report = json.loads(done.stdout)",
        'for finding in report["findings"]:',
        '    if not finding["suppressed"] and not finding["baseline"]:',
        '        print(finding["severity"], finding["rule_id"], finding["target"], finding["sources"][0]["url"])',
        "```",
        "",
    ]
    for name in order:
        definition = defs[name]
        lines += [f"## {name}", ""]
        if definition.get("description"):
            lines += [_cell(definition["description"]), ""]
        if "enum" in definition:
            lines += ["One of: " + ", ".join(f"`{value}`" for value in definition["enum"]) + ".", ""]
            continue
        notes = {field: text for (model, field), text in _REPORT_NOTES.items() if model == name}
        lines += [*_table(definition, notes), ""]
    return "\n".join(lines)


FOUNDING = ["linkedin-v-proapis-2025", "x-corp-v-does-2023", "de-la-torre-v-linkedin-2025",
            "joint-statement-scraping-2023", "rfc-9309"]


def _md(text: str) -> str:
    """Source text as Markdown prose: one line, no accidental HTML or emphasis."""
    return " ".join(str(text).split()).replace("<", "&lt;").replace("*", "\\*").replace("_", "\\_")


def render_derivation_md(policy: Optional[Any] = None) -> str:
    """``docs/derivation.md``: where rules come from, the founding sources point by point, and every source's
    weight, status and date checked, read from ``policies/sources.toml`` so it agrees with the packs."""
    if policy is None:
        from .policy.load import load_policy

        policy = load_policy()
    sources = policy.sources
    cited: dict[str, list[str]] = {}
    limiting: dict[str, list[str]] = {}
    for rule in policy.rules:
        for source_id in rule.sources:
            cited.setdefault(source_id, []).append(rule.id)
        for source_id in getattr(rule, "limits", []) or []:
            limiting.setdefault(source_id, []).append(rule.id)
    lines = [
        "# How rules are derived",
        "",
        GENERATED.replace("the pydantic models", "policies/*.toml"),
        "",
        "Every rule is one TOML table in `policies/`, and every rule cites at least one source from "
        "`policies/sources.toml`: a court case, a regulator's decision or statement, a statute or a standard. A rule "
        "turns what a source decided, or what a party alleged, into a question about a crawl plan (does it log in "
        "with fake accounts? does it ignore robots.txt?) and a severity. Some rules also list *limits*: authorities "
        "that cut against the rule's theory (a court that refused the same argument, a narrower reading of the "
        "statute). Findings carry both, with the weight of each source, so a reader can see how strong the ground is.",
        "",
        "## Findings are risk signals, not legal advice",
        "",
        "- A finding says that a fact of *your* plan resembles what a source condemned, or what a plaintiff or "
        "regulator complained of. It does not say that your crawl is unlawful; that depends on facts and law a tool "
        "cannot see (your contracts, your jurisdiction, the site's actual terms, what a court would make of them).",
        "- Many founding sources are **allegations**: complaints and petitions that no court has ruled on. They show "
        "what platforms sue over, not what courts have held. Their weight is `allegation`, the lowest.",
        "- Weights, strongest first: "
        + ", ".join(f"`{w.value}`" for w in sorted(_weights(), key=lambda w: -w.rank)) + ". A finding shows "
        "the strongest weight among its sources.",
        "- Statuses are as of the date each source was last checked (the `checked` column below); cases move on. "
        "`scrapecheck sources --stale DAYS` lists sources not re-checked recently.",
        "- [Legal notes](legal-notes.md) records the independent legal review of these packs, point by point, and "
        "what changed.",
        "",
        "## The founding sources",
        "",
        "The first rule packs grew from five sources. What each decided or only alleged:",
        "",
    ]
    for source_id in FOUNDING:
        source = sources.get(source_id)
        if source is None:
            continue
        lines += [f"### {_md(source.title)}", "",
                  f"`{source.id}` · {_md(source.court_or_body)} · {source.date} · weight **{source.weight.value}** · "
                  f"checked {source.checked or 'never'}", "",
                  f"**Status:** {_md(source.status)}", ""]
        if source.summary:
            lines += [_md(source.summary), ""]
        lines += [f"- {_md(point)}" for point in source.points]
        if source.points:
            lines.append("")
        if source.caveat:
            lines += [f"*Caveat:* {_md(source.caveat)}", ""]
        rules = ", ".join(f"[{rule_id}](rules.md#{rule_id.lower()})" for rule_id in cited.get(source_id, []))
        lines += [f"Rules citing it: {rules or 'none'}. Read: <{source.url}>", ""]
    lines += [
        "## Every source",
        "",
        "| id | kind | court or body | date | weight | verification | checked | status | cited by | limits |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for source in sorted(sources.values(), key=lambda s: s.id):
        lines.append(
            f"| [`{source.id}`]({source.url}) | {source.kind} | {_cell(_md(source.court_or_body))} | {source.date} | "
            f"{source.weight.value} | {source.verification} | {source.checked or '—'} | {_cell(_md(source.status))} | "
            f"{', '.join(cited.get(source.id, [])) or '—'} | {', '.join(limiting.get(source.id, [])) or '—'} |")
    lines.append("")
    return "\n".join(lines)


def _weights() -> list[Any]:
    from .report import Weight

    return list(Weight)


PAGES = {"report.md": render_report_md, "derivation.md": render_derivation_md}


def write_pages(root: Any, policy: Optional[Any] = None) -> None:
    """Write every generated page under ``root/docs`` (``python -m scrapecheck.docs`` calls this too)."""
    from pathlib import Path

    docs = Path(root) / "docs"
    for name, render in PAGES.items():
        text = render_derivation_md(policy) if render is render_derivation_md else render()
        (docs / name).write_text(text, encoding="utf-8")


def main() -> None:  # pragma: no cover - developer tool; the staleness test covers the output
    import argparse
    from pathlib import Path

    from .policy.load import load_policy

    parser = argparse.ArgumentParser(description="Regenerate docs/report.md and docs/derivation.md")
    parser.add_argument("--root", default=".", help="project root")
    root = Path(parser.parse_args().root)
    write_pages(root, load_policy(root / "policies"))


if __name__ == "__main__":  # pragma: no cover
    main()
