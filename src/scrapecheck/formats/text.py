"""Text for people: findings grouped by target, evidence and first citation under each, a summary line."""

from __future__ import annotations

from typing import Optional

from ..report import Finding, Report, Severity

_COLOURS = {
    Severity.CRITICAL: "\033[1;31m", Severity.HIGH: "\033[31m", Severity.MEDIUM: "\033[33m",
    Severity.LOW: "\033[36m", Severity.INFO: "\033[2m",
}
_RESET = "\033[0m"


def _evidence_line(finding: Finding) -> Optional[str]:
    parts = []
    for key, value in finding.evidence.items():
        if value is None or value == [] or value == "":
            continue
        if isinstance(value, list):
            value = ", ".join(str(v) if not isinstance(v, dict) else v.get("value", str(v)) for v in value)
        text = str(value)
        if len(text) > 120:
            text = text[:117] + "..."
        parts.append(f"{key}={text}")
    return "; ".join(parts) if parts else None


def render(report: Report, *, colour: bool = False) -> str:
    def sev(severity: Severity) -> str:
        label = f"{severity.value.upper():<8}"
        return f"{_COLOURS[severity]}{label}{_RESET}" if colour else label

    plan = report.plan
    lines = [f"scrapecheck {report.tool_version}: {plan.get('name')} ({plan.get('source') or 'plan'}), "
             f"purpose {plan.get('purpose')}, agent {plan.get('user_agent')}"]
    groups: dict[Optional[str], list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault(finding.target, []).append(finding)
    order = sorted(groups, key=lambda target: (target is not None, target or ""))
    for target in order:
        lines.append("")
        lines.append(f"{target or 'Whole plan'}")
        for finding in groups[target]:
            mark = " [waived]" if finding.suppressed else ""
            lines.append(f"  {sev(finding.severity)} {finding.rule_id}  {finding.message}{mark}")
            evidence = _evidence_line(finding)
            if evidence:
                lines.append(f"           evidence: {evidence}")
            if finding.waiver:
                state = "EXPIRED " if finding.waiver.get("expired") else ""
                lines.append(f"           waiver: {state}until {finding.waiver['expires']}: {finding.waiver['reason']}")
            source = finding.sources[0]
            lines.append(f"           source: {source.title} ({source.date}) {source.url}")
            lines.append(f"           fix: {finding.remediation}")
    if report.not_checked:
        lines.append("")
        missing = sorted({name for item in report.not_checked for name in item.missing})
        lines.append(f"Not checked: {len(report.not_checked)} rule/target pairs lacked signals "
                     f"({', '.join(missing)}); run without --offline or pass --signals.")
    summary = report.summary()
    counts = ", ".join(f"{n} {name}" for name, n in reversed(list(summary["counts"].items())) if n)
    lines.append("")
    total = sum(summary["counts"].values())
    tail = f"; {summary['suppressed']} waived" if summary["suppressed"] else ""
    if total:
        lines.append(f"{total} finding{'s' if total != 1 else ''} ({counts}); highest: "
                     f"{summary['max_severity']}{tail}")
    else:
        lines.append(f"No findings{tail}.")
    return "\n".join(lines) + "\n"
