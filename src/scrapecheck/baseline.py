"""Baselines: adopt a gate on plans that already have findings, and fail only on what is new.

``scrapecheck check PLAN --write-baseline FILE`` records the current unwaived findings; later runs with
``--baseline FILE`` mark those findings ``baseline`` (shown as such, not counted, not gating) and report the
rest as new, as bandit's and semgrep's baselines do.

A finding is known by its SARIF fingerprint (``formats.sarif.fingerprint``): rule id, target and plan file,
never the message, so rewording a message or a number changing in it keeps the finding known. A second
finding of the same rule for the same target and plan gets ``:2``, as in SARIF. Renamed rule ids are followed
when a policy is given. A waiver is the reviewed way to accept one finding with a reason and an expiry; a
baseline only says "this was here before".

The file is JSON, keys sorted, entries in report order, no clock, so re-recording an unchanged run gives the
same bytes::

    {"version": 1, "tool": "scrapecheck",
     "findings": [{"fingerprint": "…", "rule_id": "ACC-001", "target": null,
                   "plan": "plans/crawl.toml", "severity": "critical", "title": "…"}]}
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Literal, Optional, Sequence, Union

from pydantic import Field, ValidationError

from ._files import first_problem, load_document
from ._model import Frozen
from .errors import BaselineError
from .formats.sarif import artifact_uri, fingerprint
from .report import Finding, Report

if TYPE_CHECKING:  # pragma: no cover
    from .policy.load import Policy


class BaselineEntry(Frozen):
    """One recorded finding. ``fingerprint`` decides; the other fields are for people reading the file."""

    fingerprint: str = Field(min_length=1)
    rule_id: str = Field(min_length=1)
    target: Optional[str] = None
    plan: str
    severity: str = ""
    title: str = ""


class Baseline(Frozen):

    version: Literal[1] = 1
    tool: Literal["scrapecheck"] = "scrapecheck"
    findings: list[BaselineEntry] = Field(default_factory=list)

    def fingerprints(self) -> Counter[str]:
        """How many times each fingerprint was recorded."""
        return Counter(entry.fingerprint for entry in self.findings)


def finding_fingerprints(report: Report) -> list[str]:
    """One fingerprint per finding of ``report``, in order, the same as its SARIF ``partialFingerprints``."""
    uri, _ = artifact_uri(report.plan.get("source"))
    seen: Counter[str] = Counter()
    keys = []
    for finding in report.findings:
        key = fingerprint(finding.rule_id, finding.target, uri)
        seen[key] += 1
        keys.append(key if seen[key] == 1 else f"{key}:{seen[key]}")
    return keys


def record(reports: Iterable[Report]) -> Baseline:
    """The baseline of these reports: every finding not covered by a live waiver (waived ones are accepted
    already, and must come back when their waiver expires)."""
    entries = []
    for report in reports:
        uri, _ = artifact_uri(report.plan.get("source"))
        for finding, key in zip(report.findings, finding_fingerprints(report), strict=True):
            if finding.suppressed:
                continue
            entries.append(BaselineEntry(fingerprint=key, rule_id=finding.rule_id, target=finding.target,
                                         plan=uri, severity=finding.severity.value, title=finding.title))
    return Baseline(findings=entries)


def dumps(baseline: Baseline) -> str:
    return json.dumps(baseline.model_dump(mode="json"), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def load_baseline(path: Union[str, Path], policy: Optional["Policy"] = None) -> Baseline:
    """Read a baseline written by ``--write-baseline``; anything else is a BaselineError naming the field.

    With ``policy``, entries of renamed rules are re-keyed to the current id, so a rename keeps them known.
    """
    path = Path(path)
    if path.suffix.lower() != ".json":
        raise BaselineError(str(path), "", "a baseline file must end in .json (write one with --write-baseline)")
    data = load_document(path, BaselineError)
    try:
        baseline = Baseline.model_validate(data)
    except ValidationError as exc:
        raise BaselineError(str(path), *first_problem(exc)) from None
    return _follow_renames(baseline, policy) if policy is not None else baseline


def _follow_renames(baseline: Baseline, policy: "Policy") -> Baseline:
    entries = []
    for entry in baseline.findings:
        try:
            current = policy.rule(entry.rule_id).id
        except KeyError:  # a removed rule: its entry can match nothing, which is harmless
            current = entry.rule_id
        if current != entry.rule_id:
            suffix = entry.fingerprint.partition(":")[2]
            key = fingerprint(current, entry.target, entry.plan) + (f":{suffix}" if suffix else "")
            entry = entry.model_copy(update={"rule_id": current, "fingerprint": key})
        entries.append(entry)
    return baseline.model_copy(update={"findings": entries})


def apply_baseline(report: Report, baseline: Baseline) -> Report:
    """The report with findings recorded in ``baseline`` marked ``baseline=True`` (each entry matches once).

    Marked findings stay in the report, so formats can show them as known; they no longer count towards the
    summary, ``max_severity`` or ``exceeds``. Waived findings are left as they are.
    """
    remaining = baseline.fingerprints()
    findings: list[Finding] = []
    for finding, key in zip(report.findings, finding_fingerprints(report), strict=True):
        if not finding.suppressed and remaining[key] > 0:
            remaining[key] -= 1
            finding = finding.model_copy(update={"baseline": True})
        findings.append(finding)
    return report.model_copy(update={"findings": findings})


def apply_to_all(reports: Sequence[Report], baseline: Baseline) -> list[Report]:
    return [apply_baseline(report, baseline) for report in reports]


__all__ = ["Baseline", "BaselineEntry", "apply_baseline", "apply_to_all", "dumps", "finding_fingerprints",
           "load_baseline", "record"]
