"""Rule documentation generated from the packs: ``scrapecheck explain``, ``docs/rules.md`` and its check mode."""

from __future__ import annotations

from types import UnionType
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from .policy.load import Policy
from .policy.models import Rule

if TYPE_CHECKING:  # pragma: no cover
    from .formats.interface import Citation, RuleDoc


def _source_line(policy: Policy, source_id: str) -> str:
    source = policy.sources[source_id]
    ref = f", {source.reference}" if source.reference else ""
    return (f"- `{source.id}` [{source.weight.value}; verification: {source.verification}]: {source.title} "
            f"({source.court_or_body}{ref}, {source.date}); status: {source.status}. <{source.url}>")


def all_limits(rule: Rule) -> list[str]:
    """The rule's limits, then those behind its severity caps, each once."""
    return list(dict.fromkeys([*rule.limits, *(source_id for cap in rule.caps for source_id in cap.limits)]))


def render_rule(rule: Rule, policy: Policy) -> str:
    """One rule in fixed sections: What it checks, Why it matters, Example, Remediation, References."""
    status = "" if rule.status == "stable" else f" *({rule.status})*"
    lines = [
        f"## {rule.id} — {rule.title}{status}",
        "",
        f"Severity: **{rule.severity.value}** · Category: **{rule.category.value}** · "
        f"Strongest source: **{strongest_weight(policy, rule)}**",
        "",
        "### What it checks",
        "",
        rule.when.describe()[0].upper() + rule.when.describe()[1:] + ".",
        "",
    ]
    if rule.unless is not None:
        lines += [f"Does not apply when {rule.unless.describe()}.", ""]
    for cap in rule.caps:
        lines += [f"At most **{cap.severity.value}** when {cap.when.describe()}: {cap.reason.strip()}", ""]
    lines += [
        "### Why it matters",
        "",
        rule.why.strip(),
        "",
        "### Example",
        "",
        "```toml",
        rule.example.strip(),
        "```",
        "",
        "### Remediation",
        "",
        rule.remediation.strip(),
        "",
        "### References",
        "",
    ]
    lines.extend(_source_line(policy, source_id) for source_id in rule.sources)
    lines += ["", "### Limits", ""]
    if all_limits(rule):
        lines.append("Authorities that limit this rule's theory (the strongest argument against a finding):")
        lines.append("")
        lines.extend(_source_line(policy, source_id) for source_id in all_limits(rule))
    else:
        lines.append("None recorded.")
    return "\n".join(lines) + "\n"


def rule_docs(policy: Policy) -> "dict[str, RuleDoc]":
    """Every rule's documentation as plain values for the formats (SARIF rule metadata, Markdown)."""
    from .formats.interface import RuleDoc

    docs = {}
    for rule in policy.rules:
        checks = rule.when.describe()
        docs[rule.id] = RuleDoc(
            id=rule.id, title=rule.title, severity=rule.severity.value, category=rule.category.value,
            why=rule.why.strip(), example=rule.example.strip(), remediation=rule.remediation.strip(),
            checks=checks, status=rule.status,
            sources=tuple(_citation(policy, source_id) for source_id in rule.sources),
            limits=tuple(_citation(policy, source_id) for source_id in all_limits(rule)))
    return docs


def _citation(policy: Policy, source_id: str) -> "Citation":
    from .formats.interface import Citation

    source = policy.sources[source_id]
    return Citation(id=source.id, title=source.title, url=source.url, date=source.date, weight=source.weight.value)


def strongest_weight(policy: Policy, rule: Rule) -> str:
    return max(policy.sources[source_id].weight for source_id in rule.sources).value


def render_rule_table(policy: Policy) -> str:
    rows = ["| id | severity | category | strongest source | title |", "|---|---|---|---|---|"]
    rows += [f"| [{r.id}](#{r.id.lower()}) | {r.severity.value} | {r.category.value} | "
             f"{strongest_weight(policy, r)} | {r.title} |" for r in policy.rules]
    return "\n".join(rows) + "\n"


def render_rules_md(policy: Policy) -> str:
    """The whole of ``docs/rules.md``; a test compares it with the committed file."""
    by_category: dict[str, int] = {}
    for rule in policy.rules:
        by_category[rule.category.value] = by_category.get(rule.category.value, 0) + 1
    counts = ", ".join(f"{name} {n}" for name, n in sorted(by_category.items()))
    thresholds = "\n".join(f"| `{t.name}` | {t.value:g} | {t.unit} | {t.description} |"
                           for t in policy.thresholds.values())
    parts = [
        "# Rules",
        "",
        "<!-- Generated from policies/*.toml by `python -m scrapecheck.docs`; do not edit by hand. -->",
        "",
        f"{len(policy.rules)} rules ({counts}). Each cites the sources it rests on; "
        "`scrapecheck explain RULE_ID` shows one.",
        "",
        render_rule_table(policy),
        "## Named thresholds",
        "",
        "No source fixes these numbers; they are defaults. Override them in a plan's `[thresholds]` table.",
        "",
        "| name | default | unit | meaning |",
        "|---|---|---|---|",
        thresholds,
        "",
    ]
    parts += [render_rule(rule, policy) for rule in policy.rules]
    return "\n".join(parts)


def _type_text(annotation: Any) -> str:
    """A plan field's type in words: ``true/false``, ``one of: a, b``, ``list of ...``, ``optional ...``."""
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _type_text(args[0])
    if origin is Literal:
        return "one of: " + ", ".join(f"`{a}`" for a in args)
    if origin in (Union, UnionType):
        rest = [a for a in args if a is not type(None)]
        inner = _type_text(rest[0]) if len(rest) == 1 else " or ".join(_type_text(a) for a in rest)
        return f"optional {inner}" if len(rest) < len(args) else inner
    if origin in (list, tuple):
        return f"list of {_type_text(args[0])}" if args else "list"
    if origin is dict:
        return f"table of {_type_text(args[1])}" if len(args) == 2 else "table"
    names = {bool: "true/false", int: "whole number", float: "number", str: "text"}
    if annotation in names:
        return names[annotation]
    return getattr(annotation, "__name__", str(annotation))


def _default_text(info: Any) -> str:
    if info.is_required():
        return "**required**"
    value = info.get_default(call_default_factory=True)
    if isinstance(value, BaseModel):
        return "(table)"
    if value is None:
        return "absent"
    import json

    return f"`{json.dumps(value)}`"


def render_plan_md() -> str:
    """``docs/plan.md``: every plan field with its type, default and description, from the pydantic model."""
    from .plan import CrawlPlan, Target

    sections: list[tuple[str, type[BaseModel]]] = [("", CrawlPlan)]
    for name, info in CrawlPlan.model_fields.items():
        annotation = info.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            sections.append((f"[{name}]", annotation))
    sections.insert(3, ("[[targets]]", Target))
    for name, info in Target.model_fields.items():
        if isinstance(info.annotation, type) and issubclass(info.annotation, BaseModel):
            sections.insert(4, (f"[targets.{name}]", info.annotation))
    parts = [
        "# Plan format (v1)",
        "",
        "<!-- Generated from the plan model by `python -m scrapecheck.docs`; do not edit by hand. -->",
        "",
        "Every key is optional unless marked required, and has the default shown. Unknown keys are errors, and "
        "booleans and numbers must be written as such (`\"true\"` or `1` for a boolean is an error). "
        "`scrapecheck init` writes a commented template; `docs/schema/plan.schema.json` is the JSON schema.",
        "",
    ]
    for heading, model in sections:
        rows = []
        for name, info in model.model_fields.items():
            if info.exclude:
                continue
            annotation = info.annotation
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                continue
            if heading == "" and name == "targets":
                continue
            description = (info.description or "").replace("|", "\\|").replace("\n", " ")
            rows.append(f"| `{name}` | {_type_text(annotation)} | {_default_text(info)} | {description} |")
        if not rows:
            continue
        doc = " ".join((model.__doc__ or "").strip().split("\n\n")[0].split()).replace("``", "`")
        parts += [f"## {heading or 'Top level'}", "", doc, "", "| key | type | default | meaning |",
                  "|---|---|---|---|", *rows, ""]
    return "\n".join(parts)


def main() -> None:  # pragma: no cover - developer tool; the staleness test covers the output
    import argparse
    import json
    from pathlib import Path

    from .policy.load import load_policy
    from .schema import plan_schema, report_schema

    parser = argparse.ArgumentParser(description="Regenerate docs/rules.md, docs/schema/*.json and the "
                                     "pre-validated packs (policy/bundled.pickle)")
    parser.add_argument("--root", default=".", help="project root")
    args = parser.parse_args()
    root = Path(args.root)
    (root / "docs").mkdir(exist_ok=True)
    (root / "docs" / "rules.md").write_text(render_rules_md(load_policy(root / "policies")), encoding="utf-8")
    (root / "docs" / "plan.md").write_text(render_plan_md(), encoding="utf-8")
    (root / "docs" / "schema").mkdir(exist_ok=True)
    (root / "docs" / "schema" / "plan.schema.json").write_text(
        json.dumps(plan_schema(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    (root / "docs" / "schema" / "report.schema.json").write_text(
        json.dumps(report_schema(), indent=2, sort_keys=True) + "\n", encoding="utf-8")
    from .reference import write_pages  # the site's generated pages: report, how rules are derived

    write_pages(root, load_policy(root / "policies"))
    from .policy import bundled  # the pre-validated form of the shipped packs, read by default_policy()

    bundled.write(root / "policies")


if __name__ == "__main__":  # pragma: no cover
    main()
