"""SARIF 2.1.0 for code scanning (GitHub, GitLab, Azure DevOps); validates against the official schema.

- One run; ``tool.driver.rules`` holds one descriptor per rule that has a result, with its title, why it
  matters, remediation, example and citations (``context.rules``, built from the policy by the CLI).
- Each finding is a result located in its plan file (a URI relative to the repository root, under ``%SRCROOT%``,
  from ``context.artifact_paths``; a plan outside the root gets a ``file:`` URI), at the line of the
  field that triggered it when ``context.plan_lines`` has it (``access.authentication``, the target's ``url``).
- ``partialFingerprints["scrapecheck/v1"]`` hashes the rule id, the target and the plan's URI, never the
  message (which carries volatile numbers), so an alert keeps its identity across runs and line moves.
- Levels: critical and high → ``error``, medium → ``warning``, low and info → ``note``; rule properties also
  carry ``security-severity`` so GitHub ranks them.
- With a baseline (``context.baseline``), every result has ``baselineState``: ``unchanged`` for a finding the
  baseline holds, ``new`` otherwise.
- A waived finding carries ``suppressions`` (kind ``external``, status ``accepted``, the waiver's reason).
- Rule/target pairs the run could not check are ``toolExecutionNotifications``.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import PurePath, PurePosixPath, PureWindowsPath
from typing import Any, Optional, Sequence

from ._escape import json_safe
from ..report import Finding, Report, Severity, SourceRef
from ._locate import finding_line, target_indexes
from .interface import DEFAULT_CONTEXT, Citation, RenderContext, RuleDoc

SARIF_SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
FINGERPRINT = "scrapecheck/v1"
LEVELS = {Severity.CRITICAL: "error", Severity.HIGH: "error", Severity.MEDIUM: "warning",
          Severity.LOW: "note", Severity.INFO: "note"}
SECURITY_SEVERITY = {Severity.CRITICAL: "9.5", Severity.HIGH: "8.0", Severity.MEDIUM: "5.5",
                     Severity.LOW: "3.0", Severity.INFO: "1.0"}


def artifact_uri(source: Optional[str]) -> tuple[str, bool]:
    """(uri, relative?) for a plan source path: relative paths stay relative (POSIX separators)."""
    if not source:
        return "plan", True
    windows = PureWindowsPath(source)
    path: PurePath = windows if windows.drive else PurePosixPath(source.replace("\\", "/"))
    if path.is_absolute():
        return path.as_uri(), False
    parts = [part for part in path.parts if part not in (".", "")]
    return "/".join(_quote(part) for part in parts), True


def _quote(part: str) -> str:
    """A path segment, percent-encoded. ``:`` too: in the first segment of a relative reference it would be read as
    a scheme (RFC 3986 s. 4.2: ``crawl:v2.toml`` named no file). A lone surrogate (a file name that is not UTF-8,
    decoded with surrogateescape) becomes the file's own byte."""
    return re.sub(r"[^A-Za-z0-9._~!$&'()*+,;=@-]", lambda m: "".join(f"%{b:02X}" for b in _utf8(m.group())), part)


def _utf8(text: str) -> bytes:
    try:
        return text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate surrogateescape did not make (the Python API)
        return text.encode("utf-8", "surrogatepass")


def fingerprint(rule_id: str, target: Optional[str], uri: str) -> str:
    return hashlib.sha256(_utf8(f"{rule_id}\0{target or ''}\0{uri}")).hexdigest()[:32]


def _name(title: str) -> str:
    words = re.findall(r"[A-Za-z0-9]+", title)
    return "".join(word[:1].upper() + word[1:] for word in words) or "Rule"


def _doc_for(finding: Finding, context: RenderContext) -> RuleDoc:
    doc = context.rules.get(finding.rule_id)
    if doc is not None:
        return doc
    return RuleDoc(id=finding.rule_id, title=finding.title, severity=finding.severity.value,
                   category=finding.category.value, why=finding.title, example="",
                   remediation=finding.remediation,
                   sources=tuple(_cite(s) for s in finding.sources), limits=tuple(_cite(s) for s in finding.limits))


def _cite(source: SourceRef) -> Citation:
    return Citation(id=source.id, title=source.title, url=source.url, date=source.date, weight=source.weight.value)


def _cited(citations: Sequence[Citation]) -> list[dict[str, str]]:
    return [{"id": c.id, "title": c.title, "url": c.url, "date": c.date, "weight": c.weight} for c in citations]


def _help(doc: RuleDoc) -> dict[str, str]:
    text = [doc.why.strip()]
    markdown = [f"**{doc.title}** ({doc.severity}, {doc.category})", "", doc.why.strip()]
    if doc.checks:
        text += ["", f"What it checks: {doc.checks}."]
        markdown += ["", f"*What it checks:* {doc.checks}."]
    text += ["", f"Remediation: {doc.remediation.strip()}"]
    markdown += ["", f"**Remediation:** {doc.remediation.strip()}"]
    if doc.example.strip():
        text += ["", "Example that triggers it:", doc.example.strip()]
        markdown += ["", "Example that triggers it:", "", "```toml", doc.example.strip(), "```"]
    if doc.sources:
        text += ["", "References:"] + [f"- {s.title} ({s.date}; {s.weight}): {s.url}" for s in doc.sources]
        markdown += ["", "**References:**", ""] + [f"- [{s.title}]({s.url}) ({s.date}; {s.weight})"
                                                   for s in doc.sources]
    if doc.limits:
        text += ["", "Limits (authorities against this rule's theory):"]
        text += [f"- {s.title} ({s.date}; {s.weight}): {s.url}" for s in doc.limits]
        markdown += ["", "**Limits** (authorities against this rule's theory):", ""]
        markdown += [f"- [{s.title}]({s.url}) ({s.date}; {s.weight})" for s in doc.limits]
    return {"text": "\n".join(text), "markdown": "\n".join(markdown)}


def _rule(doc: RuleDoc) -> dict[str, Any]:
    severity = Severity.parse(doc.severity)
    return {
        "id": doc.id,
        "name": _name(doc.title),
        "shortDescription": {"text": doc.title},
        "fullDescription": {"text": doc.why.strip()},
        "help": _help(doc),
        "defaultConfiguration": {"level": LEVELS[severity]},
        "properties": {
            "category": doc.category,
            "severity": doc.severity,
            "status": doc.status,
            "tags": ["scrapecheck", "security", doc.category],
            "precision": "high",
            "security-severity": SECURITY_SEVERITY[severity],
            "sources": _cited(doc.sources),
            "limits": _cited(doc.limits),
        },
    }


def _result(finding: Finding, report: Report, rule_index: int, artifact_index: int, uri: str, relative: bool,
            context: RenderContext, seen: dict[str, int], targets: dict[str, int]) -> dict[str, Any]:
    location: dict[str, Any] = {"uri": uri, "index": artifact_index}
    if relative:
        location["uriBaseId"] = "%SRCROOT%"
    physical: dict[str, Any] = {"artifactLocation": location}
    lines = context.plan_lines.get(report.plan.get("source") or "", {})
    line = finding_line(finding.evidence, finding.target, targets, lines)
    physical["region"] = {"startLine": line or 1}
    message = finding.message
    if finding.target and finding.target not in message:
        message = f"{message} (target: {finding.target})"
    key = fingerprint(finding.rule_id, finding.target, uri)
    seen[key] = seen.get(key, 0) + 1
    if seen[key] > 1:
        key = f"{key}:{seen[key]}"
    # Evidence and waiver as the JSON format writes them (NaN as null, sets and tuples as lists): json.dumps of the
    # raw dict wrote NaN, which is not JSON, and raised TypeError on a set.
    as_json = finding.model_dump(mode="json", include={"evidence", "waiver"})
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": message},
        "locations": [{"physicalLocation": physical}],
        "partialFingerprints": {FINGERPRINT: key},
        "properties": {
            "severity": finding.severity.value,
            "category": finding.category.value,
            "target": finding.target,
            "plan": report.plan.get("name"),
            "evidence": as_json["evidence"],
            "remediation": finding.remediation,
            "weight": finding.weight.value if finding.weight else None,
            "limits": [source.id for source in finding.limits],
        },
    }
    if finding.waiver:
        result["properties"]["waiver"] = as_json["waiver"]
    if context.baseline:
        result["baselineState"] = "unchanged" if finding.baseline else "new"
    if finding.suppressed and finding.waiver:
        justification = finding.waiver["reason"]
        suppression: dict[str, Any] = {"kind": "external", "status": "accepted", "justification": justification,
                                       "properties": {"expires": finding.waiver.get("expires"),
                                                      "approved_by": finding.waiver.get("approved_by")}}
        result["suppressions"] = [suppression]
    return result


def document(reports: Sequence[Report], context: Optional[RenderContext] = None) -> dict[str, Any]:
    """The SARIF log as a dict."""
    context = context or DEFAULT_CONTEXT
    docs: dict[str, RuleDoc] = {}
    for report in reports:
        for finding in report.findings:
            docs.setdefault(finding.rule_id, _doc_for(finding, context))
    rule_ids = sorted(docs)
    rule_index = {rule_id: index for index, rule_id in enumerate(rule_ids)}
    artifacts: list[dict[str, Any]] = []
    artifact_index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    for report in reports:
        source = report.plan.get("source")
        uri, relative = artifact_uri(context.artifact_paths.get(source or "", source))
        if uri not in artifact_index:
            artifact_index[uri] = len(artifacts)
            location: dict[str, Any] = {"uri": uri}
            if relative:
                location["uriBaseId"] = "%SRCROOT%"
            artifacts.append({"location": location, "roles": ["analysisTarget"]})
        targets = target_indexes(report.plan.get("targets") or [])
        for finding in report.findings:
            results.append(_result(finding, report, rule_index[finding.rule_id], artifact_index[uri], uri,
                                   relative, context, seen, targets))
        for item in report.not_checked:
            where = f" for {item.target}" if item.target else ""
            notifications.append({
                "level": "note",
                "descriptor": {"id": "not-checked"},
                "message": {"text": f"{item.rule_id} not checked{where} in {uri}: missing "
                                    f"{', '.join(item.missing)} (run without --offline or pass --signals)"},
                "associatedRule": {"id": item.rule_id},
            })
    tool_version = reports[0].tool_version if reports else ""
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run = {
        "tool": {"driver": {
            "name": "scrapecheck",
            "version": tool_version,
            "semanticVersion": tool_version,
            "rules": [_rule(docs[rule_id]) for rule_id in rule_ids],
        }},
        "artifacts": artifacts,
        "columnKind": "unicodeCodePoints",
        "invocations": [invocation],
        "results": results,
        "properties": {"plans": [{"name": report.plan.get("name"), "source": report.plan.get("source"),
                                  "summary": report.summary()} for report in reports]},
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render_many(reports: Sequence[Report], context: Optional[RenderContext] = None) -> str:
    return json_safe(json.dumps(document(reports, context), indent=2, sort_keys=True, ensure_ascii=False)) + "\n"


def render(report: Report, context: Optional[RenderContext] = None) -> str:
    return render_many([report], context)
