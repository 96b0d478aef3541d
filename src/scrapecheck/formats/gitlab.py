"""GitLab Code Quality JSON (``artifacts:reports:codequality``): one issue per finding that gates.

Each issue has ``description``, ``check_name`` (the rule id), ``fingerprint`` (rule, target and file, never the
message, so an issue keeps its identity across runs), ``severity`` (info → info, low → minor, medium → major,
high → critical, critical → blocker) and ``location`` (the plan file relative to the repository root, and
the line of the field that triggered it). Waived and baseline findings are left out: they do not gate.
"""

from __future__ import annotations

import json
from typing import Any, Optional, Sequence

from ._escape import json_safe
from ..report import Report, Severity
from ._locate import finding_line, target_indexes
from .interface import DEFAULT_CONTEXT, RenderContext
from .sarif import fingerprint

SEVERITIES = {Severity.INFO: "info", Severity.LOW: "minor", Severity.MEDIUM: "major", Severity.HIGH: "critical",
              Severity.CRITICAL: "blocker"}


def issues(reports: Sequence[Report], context: Optional[RenderContext] = None) -> list[dict[str, Any]]:
    context = context or DEFAULT_CONTEXT
    found: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for report in reports:
        source = report.plan.get("source") or ""
        path = context.artifact_paths.get(source, source) or "plan"
        lines = context.plan_lines.get(source, {})
        targets = target_indexes(report.plan.get("targets") or [])
        for finding in report.findings:
            if finding.suppressed or finding.baseline:
                continue
            line = finding_line(finding.evidence, finding.target, targets, lines)
            key = fingerprint(finding.rule_id, finding.target, path)
            seen[key] = seen.get(key, 0) + 1
            if seen[key] > 1:
                key = f"{key}:{seen[key]}"
            where = f" (target: {finding.target})" if finding.target and finding.target not in finding.message else ""
            found.append({
                "type": "issue",
                "check_name": finding.rule_id,
                "description": f"{finding.rule_id}: {finding.message}{where}",
                "content": {"body": f"{finding.title}. Fix: {finding.remediation}"},
                "categories": ["Security"],
                "severity": SEVERITIES[finding.severity],
                "fingerprint": key,
                "location": {"path": path, "lines": {"begin": line or 1}},
            })
    return found


def render_many(reports: Sequence[Report], context: Optional[RenderContext] = None) -> str:
    return json_safe(json.dumps(issues(reports, context), indent=2, sort_keys=True, ensure_ascii=False)) + "\n"


def render(report: Report, context: Optional[RenderContext] = None) -> str:
    return render_many([report], context)
