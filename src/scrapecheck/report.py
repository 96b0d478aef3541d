"""Findings and the report that carries them: frozen values, ordered by severity, the same for the same inputs."""

# Annotations are evaluated when the classes are made (no ``from __future__ import annotations``): as strings,
# pydantic would compile each one again at import (issue 10, start-up time).

from enum import Enum
from typing import Any, Literal, Optional, Sequence, Union

from pydantic import ConfigDict, Field, WithJsonSchema, model_validator
from typing_extensions import Annotated, NotRequired, TypedDict

from ._model import Frozen, empty_dict, empty_list


class Severity(str, Enum):
    """Ordered: ``Severity.HIGH > Severity.MEDIUM``; compare members, not their strings."""

    INFO = "info"
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, value: Union[str, "Severity"]) -> "Severity":
        """Accept a member or its name in any case; a ValueError lists the choices."""
        if isinstance(value, Severity):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise ValueError(f"unknown severity {value!r}; choose one of {choices}") from None

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def __str__(self) -> str:
        return self.value


_RANK = {severity: rank for rank, severity in enumerate(Severity)}


class Category(str, Enum):
    """The closed set of finding categories."""

    ROBOTS = "robots"
    AI_OPT_OUT = "ai-opt-out"
    TERMS = "terms"
    ACCOUNTS = "accounts"
    CIRCUMVENTION = "circumvention"
    LOAD = "load"
    PERSONAL_DATA = "personal-data"
    PRIVATE_COMMUNICATIONS = "private-communications"
    COPYRIGHT = "copyright"
    DATA_USE = "data-use"
    TRANSPARENCY = "transparency"

    def __str__(self) -> str:
        return self.value


class Weight(str, Enum):
    """How much an authority weighs, strongest first: binding law, then courts, regulators, standards, claims.

    ``Weight.STATUTE_IN_FORCE > Weight.ALLEGATION``. A finding shows the weight of its strongest source so a
    reader can tell a rule resting on a statute from one resting on a complaint nobody has ruled on.
    """

    STATUTE_IN_FORCE = "statute-in-force"
    APPELLATE_DECISION = "appellate-decision"
    TRIAL_DECISION = "trial-decision"
    REGULATOR_DECISION = "regulator-decision"
    REGULATOR_GUIDANCE = "regulator-guidance"
    STANDARD = "standard"
    DRAFT_STANDARD = "draft-standard"
    SETTLEMENT = "settlement"
    VENDOR_POLICY = "vendor-policy"
    ALLEGATION = "allegation"

    @property
    def rank(self) -> int:
        """Higher is stronger."""
        return _WEIGHT_RANK[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Weight):
            return NotImplemented
        return self.rank < other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Weight):
            return NotImplemented
        return self.rank > other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Weight):
            return NotImplemented
        return self.rank <= other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Weight):
            return NotImplemented
        return self.rank >= other.rank

    def __str__(self) -> str:
        return self.value


_WEIGHT_RANK = {weight: len(Weight) - index for index, weight in enumerate(Weight)}


IsoDate = Annotated[str, WithJsonSchema({"type": "string", "format": "date"})]


class WaiverState(TypedDict):
    """A waiver as applied to a finding (a plain dict at run time). An expired waiver no longer suppresses it."""

    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]

    reason: Annotated[str, Field(min_length=1)]
    expires: IsoDate
    approved_by: Optional[str]
    expired: NotRequired[Literal[True]]


class PlanSummary(TypedDict):
    """Who crawls what, as read from the plan (a plain dict at run time)."""

    __pydantic_config__ = ConfigDict(extra="forbid")  # type: ignore[misc]

    name: str
    source: Annotated[Optional[str], Field(description="The plan file.")]
    user_agent: str
    purpose: str
    targets: list[str]


class SourceRef(Frozen):
    """A citation as it appears in a finding: enough to find and judge the source."""

    id: str
    title: str
    url: str
    date: str
    court_or_body: str = ""
    status: str = ""
    weight: Weight = Field(description="Kind of authority (statute in force, appellate decision, ..., allegation).")


class Finding(Frozen):
    """One rule that fired for this plan (and target): what, why, on which facts, and how to fix it."""

    rule_id: str
    title: str
    severity: Severity
    category: Category
    message: str
    target: Optional[str] = None
    evidence: dict[str, Any] = Field(default_factory=empty_dict)
    sources: list[SourceRef]
    limits: list[SourceRef] = Field(
        default_factory=empty_list, description="Authorities that limit the rule's theory: the best case against it.")
    weight: Optional[Weight] = Field(
        None, description="Weight of the strongest source (computed from sources; null only without sources).")
    remediation: str
    suppressed: bool = False
    waiver: Optional[WaiverState] = Field(
        default=None, description="The waiver covering this finding: live (then suppressed is true) or expired.")
    baseline: bool = False
    """Recorded in the baseline given with ``--baseline``: known before, shown as such, not counted as new."""

    @model_validator(mode="after")
    def _strongest(self) -> "Finding":
        """The weight shown is always the strongest source's, so it cannot disagree with the citations."""
        strongest = max((source.weight for source in self.sources), default=None)
        object.__setattr__(self, "weight", strongest)
        return self

    def sort_key(self) -> tuple[int, str, str, str]:
        return (-self.severity.rank, self.rule_id, self.target or "", self.message)


class NotChecked(Frozen):
    """A rule the engine could not decide because a signal it needs was missing (offline, no snapshot)."""

    rule_id: str
    target: Optional[str]
    missing: list[str]


class Report(Frozen):
    """What ``evaluate`` returns. Unsuppressed findings decide ``max_severity`` and ``exceeds``."""

    version: int = 1
    tool_version: str
    plan: PlanSummary
    findings: list[Finding]
    not_checked: list[NotChecked] = Field(default_factory=empty_list)
    signals: dict[str, Any] = Field(default_factory=empty_dict)

    @property
    def active(self) -> list[Finding]:
        """Findings neither suppressed by a waiver nor recorded in the baseline: the ones that gate."""
        return [finding for finding in self.findings if not finding.suppressed and not finding.baseline]

    @property
    def max_severity(self) -> Optional[Severity]:
        active = self.active
        return max((finding.severity for finding in active), default=None)

    def exceeds(self, severity: Union[str, Severity]) -> bool:
        """True when any unsuppressed finding is at or above ``severity``."""
        threshold = Severity.parse(severity)
        return any(finding.severity >= threshold for finding in self.active)

    @property
    def counts(self) -> dict[str, int]:
        """Unsuppressed findings per severity, every severity present (zero included)."""
        counts = {severity.value: 0 for severity in Severity}
        for finding in self.active:
            counts[finding.severity.value] += 1
        return counts

    def summary(self) -> dict[str, Any]:
        return Summary.of([self]).model_dump(mode="json")

    def to_dict(self) -> dict[str, Any]:
        """The JSON shape of DESIGN.md (``ReportDocument``): version, plan, summary, findings, signals, not_checked."""
        return ReportDocument.of(self).model_dump(mode="json")


class Counts(Frozen):
    """Unwaived findings per severity; every severity present."""

    info: int = Field(ge=0)
    low: int = Field(ge=0)
    medium: int = Field(ge=0)
    high: int = Field(ge=0)
    critical: int = Field(ge=0)


class Summary(Frozen):
    """What a gate needs from one report (or, summed, from several)."""

    max_severity: Optional[Severity] = Field(
        description="Highest severity among unwaived findings; null when there are none.")
    counts: Counts
    suppressed: int = Field(ge=0, description="Findings waived.")
    baseline: int = Field(ge=0, description="Findings recorded in the baseline (known before, not counted).")
    not_checked: int = Field(ge=0, description="Rule/target pairs not decided for lack of a signal.")

    @classmethod
    def of(cls, reports: Sequence["Report"]) -> "Summary":
        counts = {severity.value: 0 for severity in Severity}
        for report in reports:
            for name, n in report.counts.items():
                counts[name] += n
        return cls(
            max_severity=max((r.max_severity for r in reports if r.max_severity is not None), default=None),
            counts=Counts(**counts),
            suppressed=sum(1 for report in reports for finding in report.findings if finding.suppressed),
            baseline=sum(1 for report in reports for finding in report.findings if finding.baseline),
            not_checked=sum(len(report.not_checked) for report in reports),
        )


class ReportDocument(Frozen):
    """One plan's report as ``--format json`` writes it: findings most severe first."""

    model_config = ConfigDict(title="Report")

    version: Literal[1] = 1
    tool_version: str
    plan: PlanSummary
    summary: Summary
    findings: list[Finding]
    not_checked: list[NotChecked]
    signals: dict[str, Any] = Field(description="The signals used (robots.txt snapshots, opt-outs), as recorded "
                                                "by 'scrapecheck fetch'.")

    @classmethod
    def of(cls, report: "Report") -> "ReportDocument":
        return cls(version=1, tool_version=report.tool_version, plan=report.plan, summary=Summary.of([report]),
                   findings=report.findings, not_checked=report.not_checked, signals=report.signals)


class MultiSummary(Summary):
    """The summary of several plans: the sums, and how many plans."""

    plans: int = Field(ge=0, description="Plans checked.")


class MultiReportDocument(Frozen):
    """Several plans (or a directory) in one run: a combined summary and one report per plan."""

    model_config = ConfigDict(title="MultiReport")

    version: Literal[1] = 1
    tool_version: str
    summary: MultiSummary
    reports: list[ReportDocument]

    @classmethod
    def of(cls, reports: Sequence["Report"]) -> "MultiReportDocument":
        summary = Summary.of(reports)
        return cls(version=1, tool_version=reports[0].tool_version if reports else "",
                   summary=MultiSummary(**dict(summary), plans=len(reports)),
                   reports=[ReportDocument.of(report) for report in reports])
