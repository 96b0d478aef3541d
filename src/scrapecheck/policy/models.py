"""The typed shape of everything in ``policies/``: rules, citation sources, known platforms, thresholds."""

# Annotations are evaluated when the classes are made (no ``from __future__ import annotations``): as strings,
# pydantic would compile each one again at import (issue 10, start-up time).

import re
import datetime as dt
from typing import Literal, Optional

from pydantic import ConfigDict, Field, PrivateAttr, field_validator, model_validator

from .._model import Frozen
from ..report import Category, Severity, Weight
from .kinds import Check, References, references

RULE_ID = re.compile(r"^[A-Z]{3}-\d{3}$")
KEBAB_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ISO_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


Verification = Literal["full", "partial", "none"]


class _Strict(Frozen):
    """Policy files are strict: unknown keys are errors, values are frozen.

    Validators are built on first validation (``defer_build``): a run with the shipped packs reads their
    pre-validated form (``policy/bundled.py``) and never validates one, so it need not pay for building them."""

    model_config = ConfigDict(defer_build=True)


class Source(_Strict):
    """A case, decision, statement, statute or standard a rule rests on."""

    id: str
    kind: Literal["case", "decision", "regulator", "statute", "standard"]
    title: str
    court_or_body: str
    date: str
    reference: str = ""
    status: str
    url: str
    summary: str = ""
    points: list[str] = Field(default_factory=list)
    verification: Verification = Field(
        "none", description="full: key facts seen in the page read (verified_from); partial: read, but key facts "
                            "rest on secondary reports; none: not re-checked.")
    weight: Weight = Field(description="Kind of authority; findings show the strongest among their sources.")
    checked: Optional[dt.date] = Field(
        None, strict=True, description="Date last re-checked against verified_from (a TOML date); none if never.")
    verified_from: str = ""
    caveat: str = ""

    @model_validator(mode="after")
    def _checked_when_verified(self) -> "Source":
        if self.verification != "none" and (self.checked is None or not self.verified_from):
            raise ValueError(f"verification {self.verification!r} needs checked (a date) and verified_from")
        return self

    @field_validator("id")
    @classmethod
    def _kebab(cls, value: str) -> str:
        if not KEBAB_ID.match(value):
            raise ValueError(f"source id {value!r} must be kebab-case")
        return value

    @field_validator("date")
    @classmethod
    def _iso(cls, value: str) -> str:
        if not ISO_DATE.match(value):
            raise ValueError(f"date {value!r} must be YYYY, YYYY-MM or YYYY-MM-DD")
        return value

    @field_validator("url", "verified_from")
    @classmethod
    def _http(cls, value: str) -> str:
        if value and not value.startswith(("https://", "http://")):
            raise ValueError(f"{value!r} is not an http(s) address")
        return value


class Clauses(_Strict):
    """Verbatim clauses of a platform's terms, each optional."""

    scraping: Optional[str] = None
    automated_access: Optional[str] = None
    fake_accounts: Optional[str] = None
    ai_training: Optional[str] = None
    data_resale: Optional[str] = None


ClauseName = Literal["scraping", "automated_access", "fake_accounts", "ai_training", "data_resale"]


class Platform(_Strict):
    """A site whose terms we have read; ``terms`` and ``accounts`` findings quote it when a target is on it."""

    id: str
    name: str
    domains: list[str] = Field(min_length=1)
    terms_url: str
    terms_title: str = ""
    read_at: str = ""
    read_date: str = ""
    verified: bool = False
    login_wall: bool = False
    sources: list[str] = Field(default_factory=list)
    clauses: Clauses = Field(default_factory=Clauses)  # type: ignore[arg-type]
    informational: list[ClauseName] = Field(
        default_factory=list,
        description="Clauses quoted for context that do not restrict crawlers (e.g. the platform's own right to "
                    "train on users' posts); rules never cite them as a prohibition.")

    def restriction(self, clause: str) -> Optional[str]:
        """The clause's text if the terms use it to restrict crawlers, else None."""
        if clause in self.informational:
            return None
        return getattr(self.clauses, clause)

    @field_validator("domains")
    @classmethod
    def _lower(cls, value: list[str]) -> list[str]:
        return [domain.lower().lstrip(".") for domain in value]

    def matches_host(self, host: str) -> bool:
        host = host.lower().rstrip(".")
        return any(host == domain or host.endswith("." + domain) for domain in self.domains)


class Threshold(_Strict):
    """A number no source fixes (what counts as "mass" scraping); named, documented, overridable per plan."""

    name: str
    value: float
    unit: str
    description: str

    @field_validator("name")
    @classmethod
    def _snake(cls, value: str) -> str:
        if not re.match(r"^[a-z][a-z0-9_]*$", value):
            raise ValueError(f"threshold name {value!r} must be snake_case")
        return value


class Cap(_Strict):
    """A lower ceiling on the rule's severity when a condition holds (for example: terms never accepted and
    the crawl is logged out), so one theory stays one rule instead of a high and a medium copy."""

    severity: Severity
    when: Check
    reason: str = Field(min_length=1, description="Why the severity is lower in this case; shown in the finding.")
    limits: list[str] = Field(default_factory=list, description="Source ids of the authorities behind the cap.")


class Rule(_Strict):
    """One rule: a typed condition over the plan and signals, and everything a finding needs to explain itself."""

    id: str
    title: str = Field(min_length=1)
    severity: Severity
    category: Category
    when: Check
    message: str = Field(min_length=1, description="Template: {plan.field.path}, {target} and evidence keys.")
    why: str = Field(min_length=1)
    example: str = Field(min_length=1)
    remediation: str = Field(min_length=1)
    sources: list[str] = Field(min_length=1)
    limits: list[str] = Field(
        default_factory=list, description="Source ids of authorities that limit the rule's theory (the other side).")
    unless: Optional[Check] = Field(
        None, description="The rule does not apply when this holds (an exemption, e.g. the operator's own data); "
                          "a pack's unless is added to each of its rules.")
    caps: list[Cap] = Field(default_factory=list,
                            description="Lower severities for cases where the law the rule rests on is weaker.")
    status: Literal["stable", "preview", "deprecated"] = "stable"
    _references: References = PrivateAttr(default_factory=References)

    def model_post_init(self, __context: object) -> None:
        found = references(self.when)  # computed once, when the pack is loaded
        if self.unless is not None:
            found = found | references(self.unless)
        for cap in self.caps:
            found = found | references(cap.when)
        self._references = found

    @model_validator(mode="after")
    def _caps_lower(self) -> "Rule":
        for index, cap in enumerate(self.caps):
            if cap.severity >= self.severity:
                raise ValueError(f"caps[{index}].severity {cap.severity.value!r} must be below the rule's "
                                 f"{self.severity.value!r}")
        return self

    @property
    def references(self) -> References:
        """What ``when`` refers to (fields, platforms, thresholds, evidence keys) and how it is scheduled."""
        return self._references

    @property
    def target_scoped(self) -> bool:
        """Evaluated once per target (some check needs a target), else once per plan."""
        return self._references.target_scoped

    @property
    def after_others(self) -> bool:
        """Reads other rules' undecided outcomes, so the engine runs it last."""
        return self._references.after_others

    @field_validator("id")
    @classmethod
    def _rule_id(cls, value: str) -> str:
        if not RULE_ID.match(value):
            raise ValueError(f"rule id {value!r} must look like ABC-123")
        return value
