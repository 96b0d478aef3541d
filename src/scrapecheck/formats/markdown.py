"""Markdown for pull-request comments and ``$GITHUB_STEP_SUMMARY``: counts, a findings table, then details.

GitHub-flavoured: tables, ``<details>`` blocks per finding (collapsed, so a long report stays readable),
citations as links. Table cells escape ``|`` and newlines. Deterministic: no clock, no environment.
"""

from __future__ import annotations

from typing import Optional, Sequence

from ..report import Finding, Report, Severity
from .interface import DEFAULT_CONTEXT, RenderContext
from .text import summary_line

_ICONS = {Severity.CRITICAL: "🔴", Severity.HIGH: "🟠", Severity.MEDIUM: "🟡", Severity.LOW: "🔵",
          Severity.INFO: "⚪"}


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("\\", "\\\\").replace("|", "\\|").replace("<", "&lt;")


def _inline(text: object) -> str:
    return " ".join(str(text).split()).replace("<", "&lt;")


def _code(text: object) -> str:
    value = " ".join(str(text).split())
    fence = "``" if "`" in value else "`"
    return f"{fence}{value}{fence}" if fence == "`" else f"{fence} {value} {fence}"


def _evidence_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list):
        return ", ".join(str(v.get("value", v)) if isinstance(v, dict) else str(v) for v in value) or "none"
    text = " ".join(str(value).split())
    return text if len(text) <= 300 else text[:297] + "..."


def _status(finding: Finding) -> str:
    if finding.baseline:
        return "in the baseline (known)"
    if finding.suppressed and finding.waiver:
        return f"waived until {finding.waiver['expires']}"
    if finding.waiver and finding.waiver.get("expired"):
        return f"waiver expired {finding.waiver['expires']}"
    return ""


def _counts_table(reports: Sequence[Report]) -> list[str]:
    severities = list(reversed(list(Severity)))
    if len(reports) == 1:
        counts = reports[0].counts
        rows = ["| severity | findings |", "|---|---:|"]
        rows += [f"| {_ICONS[s]} {s.value} | {counts[s.value]} |" for s in severities]
        waived = sum(1 for f in reports[0].findings if f.suppressed)
        rows.append(f"| waived | {waived} |")
        return rows
    rows = ["| plan | " + " | ".join(s.value for s in severities) + " | waived | highest |",
            "|---|" + "---:|" * len(severities) + "---:|---|"]
    for report in reports:
        counts = report.counts
        highest = report.max_severity.value if report.max_severity else "none"
        waived = sum(1 for f in report.findings if f.suppressed)
        rows.append(f"| {_cell(report.plan.get('name'))} (`{_cell(report.plan.get('source') or '')}`) | "
                    + " | ".join(str(counts[s.value]) for s in severities) + f" | {waived} | {highest} |")
    return rows


def _findings_table(report: Report) -> list[str]:
    rows = ["| severity | rule | target | finding | status |", "|---|---|---|---|---|"]
    for finding in report.findings:
        rows.append(f"| {_ICONS[finding.severity]} {finding.severity.value} | {finding.rule_id} | "
                    f"{_cell(finding.target or 'whole plan')} | {_cell(finding.message)} | {_status(finding)} |")
    return rows


def _details(finding: Finding) -> list[str]:
    status = _status(finding)
    label = f"{finding.rule_id} · {finding.severity.value} · {_inline(finding.title)}"
    if status:
        label += f" ({status})"
    lines = ["<details>", f"<summary>{label}</summary>", "",
             f"**{_inline(finding.message)}**", ""]
    if finding.target:
        lines += [f"Target: <{finding.target}>", ""]
    if finding.evidence:
        lines.append("Evidence:")
        lines.append("")
        lines += [f"- `{key}`: {_code(_evidence_value(value))}" for key, value in finding.evidence.items()]
        lines.append("")
    if finding.waiver:
        waiver = finding.waiver
        if waiver.get("expired"):
            lines += [f"Waiver **expired** on {waiver['expires']} and no longer applies: {_inline(waiver['reason'])}",
                      ""]
        else:
            lines += [f"Waived until {waiver['expires']}: {_inline(waiver['reason'])}", ""]
    weight = f" (strongest: {finding.weight.value})" if finding.weight else ""
    lines += [f"**Fix:** {_inline(finding.remediation)}", "", f"Sources{weight}:", ""]
    lines += [f"- [{_inline(s.title)}]({s.url}) ({s.weight.value}, {s.date}"
              f"{', ' + _inline(s.status) if s.status else ''})" for s in finding.sources]
    if finding.limits:
        lines += ["", "Limits (the strongest argument against this finding):", ""]
        lines += [f"- [{_inline(s.title)}]({s.url}) ({s.weight.value}, {s.date}"
                  f"{', ' + _inline(s.status) if s.status else ''})" for s in finding.limits]
    lines += ["", "</details>", ""]
    return lines


def _report_section(report: Report, heading: str) -> list[str]:
    plan = report.plan
    lines = [f"{heading} {_inline(plan.get('name'))}", "",
             f"Plan `{plan.get('source') or 'plan'}` · purpose **{plan.get('purpose')}** · agent "
             f"{_code(plan.get('user_agent'))}", ""]
    if report.findings:
        lines += _findings_table(report) + [""]
        lines += [line for finding in report.findings for line in _details(finding)]
    else:
        lines += ["No findings.", ""]
    if report.not_checked:
        lines += [f"**Not checked:** {len(report.not_checked)} rule/target pair(s) lacked signals "
                  "(run without `--offline` or pass `--signals`):", ""]
        lines += [f"- {item.rule_id} for {item.target or 'the plan'}: missing {', '.join(item.missing)}"
                  for item in report.not_checked]
        lines.append("")
    return lines


def render_many(reports: Sequence[Report], context: Optional[RenderContext] = None) -> str:
    context = context or DEFAULT_CONTEXT
    lines = ["## scrapecheck", "", summary_line(reports, context.fail_on), ""]
    lines += _counts_table(reports) + [""]
    for report in reports:
        lines += _report_section(report, "### Plan")
    version = reports[0].tool_version if reports else ""
    lines.append(f"<sub>scrapecheck {version} · a risk screen with sources, not legal advice</sub>")
    return "\n".join(lines) + "\n"


def render(report: Report, context: Optional[RenderContext] = None) -> str:
    return render_many([report], context)
