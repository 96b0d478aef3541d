"""GitHub Actions workflow commands: one annotation per finding on the plan file's line.

``::error file=crawl.toml,line=12,title=ACC-001 (critical)::message``. critical and high are ``error``, medium
``warning``, low and info ``notice``; waived and baseline findings are left out (they do not gate). Files are
named relative to the repository root (``context.artifact_paths``), which is what GitHub expects. Values are
escaped as the Actions toolkit does (``%``, CR, LF; in properties also ``:`` and ``,``), after control and bidi
characters are made visible, so no text from a plan or a site can end the command or start another.
A last ``::notice::`` line carries the summary.
"""

from __future__ import annotations

from typing import Optional, Sequence

from ..report import Finding, Report, Severity
from ._escape import visible
from ._locate import finding_line, target_indexes
from .interface import DEFAULT_CONTEXT, RenderContext
from .text import summary_line

LEVELS = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
          Severity.LOW: "notice", Severity.INFO: "notice"}


def escape_data(text: object) -> str:
    """A command's message (actions/toolkit ``escapeData``), control and bidi characters made visible first."""
    return visible(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: object) -> str:
    """A command's property value (actions/toolkit ``escapeProperty``)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _annotation(finding: Finding, report: Report, context: RenderContext, targets: dict[str, int]) -> str:
    source = report.plan.get("source") or ""
    lines = context.plan_lines.get(source, {})
    line = finding_line(finding.evidence, finding.target, targets, lines) or 1
    path = context.artifact_paths.get(source, source) or "plan"
    title = f"{finding.rule_id} ({finding.severity.value}): {finding.title}"
    message = finding.message
    if finding.target and finding.target not in message:
        message = f"{message} (target: {finding.target})"
    message = f"{message} Fix: {finding.remediation}"
    properties = f"file={escape_property(path)},line={line},title={escape_property(title)}"
    return f"::{LEVELS[finding.severity]} {properties}::{escape_data(message)}"


def render_many(reports: Sequence[Report], context: Optional[RenderContext] = None) -> str:
    context = context or DEFAULT_CONTEXT
    lines: list[str] = []
    for report in reports:
        targets = target_indexes(report.plan.get("targets") or [])
        lines += [_annotation(finding, report, context, targets) for finding in report.findings
                  if not finding.suppressed and not finding.baseline]
    lines.append(f"::notice title=scrapecheck::{escape_data(summary_line(reports, context.fail_on))}")
    return "\n".join(lines) + "\n"


def render(report: Report, context: Optional[RenderContext] = None) -> str:
    return render_many([report], context)
