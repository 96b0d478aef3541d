"""Text for people: findings grouped by target, evidence and first citation under each, a summary line.

Colour (severity labels only) when ``context.colour``; the CLI sets it for a terminal without ``NO_COLOR``.
``context.quiet`` keeps only the summary line, and prints nothing when no finding is left unwaived.
"""

from __future__ import annotations

from typing import Optional, Sequence

from ..report import Finding, Report, Severity
from ._escape import visible
from .interface import DEFAULT_CONTEXT, RenderContext

_COLOURS = {
    Severity.CRITICAL: "\033[1;31m", Severity.HIGH: "\033[31m", Severity.MEDIUM: "\033[33m",
    Severity.LOW: "\033[36m", Severity.INFO: "\033[2m",
}
_BOLD = "\033[1m"
_RESET = "\033[0m"
_INDENT = " " * 11


def _safe(text: object) -> str:
    """Text from plans, fetched files and rule packs, with control and bidi characters shown as escapes: no
    terminal tricks."""
    return visible(text)


def _evidence_line(finding: Finding) -> Optional[str]:
    parts = []
    for key, value in finding.evidence.items():
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        elif isinstance(value, list):
            value = ", ".join(str(v) if not isinstance(v, dict) else str(v.get("value", v)) for v in value)
        text = " ".join(str(value).split())
        if len(text) > 120:
            text = text[:117] + "..."
        parts.append(f"{key}={text}")
    return "; ".join(parts) if parts else None


def _counts_phrase(counts: dict[str, int]) -> str:
    return ", ".join(f"{counts[s.value]} {s.value}" for s in reversed(list(Severity)) if counts.get(s.value))


def summary_line(reports: Sequence[Report], fail_on: Optional[str] = None) -> str:
    """One line: how many findings by severity, the highest, how many gate the run, waived, not checked."""
    counts = {severity.value: 0 for severity in Severity}
    waived = not_checked = known = 0
    highest: Optional[Severity] = None
    for report in reports:
        for name, n in report.counts.items():
            counts[name] += n
        waived += sum(1 for finding in report.findings if finding.suppressed)
        known += sum(1 for finding in report.findings if finding.baseline)
        not_checked += len(report.not_checked)
        if report.max_severity is not None and (highest is None or report.max_severity > highest):
            highest = report.max_severity
    total = sum(counts.values())
    prefix = f"{len(reports)} plans: " if len(reports) > 1 else ""
    if total:
        text = f"{prefix}{total} finding{'s' if total != 1 else ''} ({_counts_phrase(counts)}); highest: {highest}"
        if fail_on:
            threshold = Severity.parse(fail_on)
            gating = sum(n for name, n in counts.items() if Severity(name) >= threshold)
            text += f"; {gating or 'none'} at or above {threshold.value}"
    else:
        text = f"{prefix}No {'new ' if known else ''}findings"
    if waived:
        text += f"; {waived} waived"
    if known:
        text += f"; {known} in the baseline"
    if not_checked:
        text += f"; {not_checked} not checked"
    return text + "."


def _block(report: Report, context: RenderContext) -> list[str]:
    def sev(severity: Severity) -> str:
        label = f"{severity.value.upper():<8}"
        return f"{_COLOURS[severity]}{label}{_RESET}" if context.colour else label

    plan = report.plan
    lines = [_safe(f"scrapecheck {report.tool_version}: {plan.get('name')} ({plan.get('source') or 'plan'}), "
                   f"purpose {plan.get('purpose')}, agent {plan.get('user_agent')}")]
    groups: dict[Optional[str], list[Finding]] = {}
    known = [finding for finding in report.findings if finding.baseline]
    for finding in report.findings:
        if not finding.baseline:  # known findings are listed in one line at the end, not reported again
            groups.setdefault(finding.target, []).append(finding)
    order = sorted(groups, key=lambda target: (target is not None, target or ""))
    for target in order:
        lines.append("")
        heading = _safe(target or "Whole plan")
        lines.append(f"{_BOLD}{heading}{_RESET}" if context.colour else heading)
        for finding in groups[target]:
            mark = " [waived]" if finding.suppressed else ""
            lines.append(f"  {sev(finding.severity)} {_safe(finding.rule_id)}  {_safe(finding.message)}{mark}")
            evidence = _evidence_line(finding)
            if evidence:
                lines.append(f"{_INDENT}evidence: {_safe(evidence)}")
            if finding.waiver:
                waiver = finding.waiver
                if waiver.get("expired"):
                    lines.append(f"{_INDENT}waiver: EXPIRED on {waiver['expires']}, no longer applies: "
                                 f"{_safe(waiver['reason'])}")
                else:
                    lines.append(f"{_INDENT}waived until {waiver['expires']}: {_safe(waiver['reason'])}")
            source = finding.sources[0]
            lines.append(_safe(f"{_INDENT}source: {source.title} ({source.date}, {source.weight.value}) {source.url}"))
            if len(finding.sources) > 1 and finding.weight:
                lines.append(f"{_INDENT}weight: {finding.weight.value} (strongest of {len(finding.sources)} sources)")
            if finding.limits:
                limit = max(finding.limits, key=lambda s: s.weight.rank)
                lines.append(_safe(f"{_INDENT}limited by: {limit.title} ({limit.date}, {limit.weight.value}) "
                                   f"{limit.url}"))
            lines.append(f"{_INDENT}fix: {_safe(finding.remediation)}")
    if known:
        lines.append("")
        ids = _safe(", ".join(sorted({finding.rule_id for finding in known})))
        lines.append(f"In the baseline (known before, not reported as new): {len(known)} finding"
                     f"{'s' if len(known) != 1 else ''} ({ids}).")
    if report.not_checked:
        lines.append("")
        missing = sorted({name for item in report.not_checked for name in item.missing})
        lines.append(f"Not checked: {len(report.not_checked)} rule/target pair"
                     f"{'s' if len(report.not_checked) != 1 else ''} lacked signals "
                     f"({', '.join(missing)}); run without --offline or pass --signals.")
    return lines


def render_many(reports: Sequence[Report], context: Optional[RenderContext] = None) -> str:
    context = context or DEFAULT_CONTEXT
    if context.quiet:
        if not any(report.active for report in reports):
            return ""
        return summary_line(reports, context.fail_on) + "\n"
    lines: list[str] = []
    for report in reports:
        if lines:
            lines.append("")
        lines += _block(report, context)
        lines.append("")
        lines.append(summary_line([report], context.fail_on))
    if len(reports) > 1:
        lines += ["", summary_line(reports, context.fail_on)]
    return "\n".join(lines) + "\n"


def render(report: Report, context: Optional[RenderContext] = None) -> str:
    return render_many([report], context)
