"""Markdown for pull-request comments and ``$GITHUB_STEP_SUMMARY``: counts, a findings table, then details.

GitHub-flavoured: tables, ``<details>`` blocks per finding (collapsed, so a long report stays readable),
citations as links. Deterministic: no clock, no environment.

Text from plans, sites, signals and waivers is untrusted: :func:`_inline` makes control and bidi characters
visible, HTML-escapes it, backslash-escapes every Markdown punctuation character (``$``, which starts math, becomes
an entity) and puts anything that GitHub would autolink or mention (``https://…``, ``www.…``, ``@user``,
``a@b.example``) in a code span, so nothing renders as a link, an image, math, HTML or a notification and no
``</details>`` can close a block; in table cells the pipes inside those code spans are escaped too, so no text adds
a cell. :func:`_code` picks a fence longer than any backtick run inside.
Only citation links from the policy pack are live, and their addresses must be http(s).
"""

from __future__ import annotations

import html
import re
from typing import Optional, Sequence

from ..report import Finding, Report, Severity
from ._escape import visible
from .interface import DEFAULT_CONTEXT, RenderContext
from .text import summary_line

_ICONS = {Severity.CRITICAL: "🔴", Severity.HIGH: "🟠", Severity.MEDIUM: "🟡", Severity.LOW: "🔵",
          Severity.INFO: "⚪"}


_PUNCTUATION = re.compile(r"([\\`*_\[\]!|~])")
"""What can start inline Markdown mid-line (emphasis, code, links, images, table cells, strikethrough); our
untrusted text never starts a line, so line-start syntax (#, -, +, 1.) cannot trigger."""
_AUTOLINK = re.compile(r"(?i)(?:(?<![a-z])[a-z][a-z0-9+.-]{0,31}://|www\.|mailto:)[^\s]*"
                       r"|(?<![\w.+-])[\w.+-]*@[^\s]*")
"""What GitHub would make a link or a mention of: addresses, ``@user``/``@org/team`` (a notification to them) and
e-mail addresses. A scheme starts after any non-letter and ``www.`` anywhere, as GitHub finds them (it links
``x_https://…``, ``9https://…`` and ``_www.…``: a word boundary missed those). The scheme is bounded (32
characters), so each position starts a bounded attempt: with ``*`` the pattern rescanned the rest of
``a.a.a...`` from every boundary (quadratic, minutes for a long line)."""


def _escape_text(text: str) -> str:
    """Plain text: HTML-escaped, Markdown punctuation backslash-escaped, and ``$`` as an entity (GitHub renders
    ``$...$`` as math, and its docs escape a dollar outside math with HTML, not with a backslash)."""
    return _PUNCTUATION.sub(r"\\\1", html.escape(text, quote=False)).replace("$", "&#36;")


def _inline(text: object, cell: bool = False) -> str:
    """Untrusted text for Markdown: renders as exactly these characters. In a table ``cell``, pipes in code spans
    are escaped too (GFM splits a row at every unescaped pipe, code spans included)."""
    value = visible(" ".join(str(text).split()))
    parts: list[str] = []
    last = 0
    for match in _AUTOLINK.finditer(value):
        url = match.group().rstrip(".,;:!?'\")")  # "(see https://x/)," keeps its punctuation outside
        if match.start() < last or not url:
            continue
        parts.append(_escape_text(value[last:match.start()]))
        parts.append(_code(url).replace("|", "\\|") if cell else _code(url))
        last = match.start() + len(url)
    parts.append(_escape_text(value[last:]))
    return "".join(parts)


def _code(text: object) -> str:
    """A code span that cannot be broken: the fence is longer than any run of backticks inside."""
    value = visible(" ".join(str(text).split()))
    longest = max((len(run) for run in re.findall(r"`+", value)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if value.startswith("`") or value.endswith("`") or not value.strip() else ""
    return f"{fence}{pad}{value}{pad}{fence}"


def _link(title: str, url: str) -> str:
    """A citation from the policy pack: a live link only for an http(s) address, else plain text."""
    if not re.match(r"(?i)^https?://[^\s<>]+$", url):
        return f"{_inline(title)} ({_code(url)})"
    safe = url.replace("(", "%28").replace(")", "%29").replace("`", "%60")
    return f"[{_inline(title)}]({safe})"


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
        source = _code(report.plan.get("source") or "").replace("|", "\\|")  # GFM: a pipe ends a cell, even in code
        rows.append(f"| {_inline(report.plan.get('name'), cell=True)} ({source}) | "
                    + " | ".join(str(counts[s.value]) for s in severities) + f" | {waived} | {highest} |")
    return rows


def _findings_table(report: Report) -> list[str]:
    rows = ["| severity | rule | target | finding | status |", "|---|---|---|---|---|"]
    for finding in report.findings:
        rows.append(f"| {_ICONS[finding.severity]} {finding.severity.value} | {finding.rule_id} | "
                    f"{_inline(finding.target or 'whole plan', cell=True)} | {_inline(finding.message, cell=True)} | "
                    f"{_status(finding)} |")
    return rows


def _details(finding: Finding) -> list[str]:
    status = _status(finding)
    label = html.escape(f"{finding.rule_id} · {finding.severity.value} · {visible(finding.title)}")
    if status:
        label += f" ({html.escape(status)})"
    lines = ["<details>", f"<summary>{label}</summary>", "",
             f"**{_inline(finding.message)}**", ""]
    if finding.target:
        lines += [f"Target: {_code(finding.target)}", ""]
    if finding.evidence:
        lines.append("Evidence:")
        lines.append("")
        lines += [f"- {_code(key)}: {_code(_evidence_value(value))}" for key, value in finding.evidence.items()]
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
    lines += [f"- {_link(s.title, s.url)} ({s.weight.value}, {_inline(s.date)}"
              f"{', ' + _inline(s.status) if s.status else ''})" for s in finding.sources]
    if finding.limits:
        lines += ["", "Limits (the strongest argument against this finding):", ""]
        lines += [f"- {_link(s.title, s.url)} ({s.weight.value}, {_inline(s.date)}"
                  f"{', ' + _inline(s.status) if s.status else ''})" for s in finding.limits]
    lines += ["", "</details>", ""]
    return lines


def _report_section(report: Report, heading: str) -> list[str]:
    plan = report.plan
    lines = [f"{heading} {_inline(plan.get('name'))}", "",
             f"Plan {_code(plan.get('source') or 'plan')} · purpose **{_inline(plan.get('purpose'))}** · agent "
             f"{_code(plan.get('user_agent'))}", ""]
    if report.findings:
        lines += _findings_table(report) + [""]
        lines += [line for finding in report.findings for line in _details(finding)]
    else:
        lines += ["No findings.", ""]
    if report.not_checked:
        lines += [f"**Not checked:** {len(report.not_checked)} rule/target pair(s) lacked signals "
                  "(run without `--offline` or pass `--signals`):", ""]
        lines += [f"- {item.rule_id} for {_inline(item.target or 'the plan')}: missing {_inline(', '.join(item.missing))}"
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
