"""Waivers: a reviewed decision to accept a finding, with a reason and an expiry; never a way to hide one.

A waived finding stays in the report marked ``suppressed``; an expired waiver stops applying and the finding
says so in its ``waiver`` field. A waiver applies up to and including its ``expires`` date.

```toml
[[waivers]]
rule = "LOD-002"                          # required: a rule id (renamed ids are followed)
target = "https://shop.example/"          # optional: only findings for this target URL (exact match)
reason = "Agreed 2 rps with the site owner, ticket OPS-123"   # required, not blank
expires = 2026-06-30                      # required: a TOML date or "YYYY-MM-DD"
approved_by = "legal@acme.example"        # optional
```
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Optional, Sequence, Union

from pydantic import ConfigDict, Field, ValidationError, field_validator

from ._files import field_path, load_document, problem_message
from ._model import Frozen
from .errors import WaiverError
from .report import Finding

if TYPE_CHECKING:  # pragma: no cover
    from .policy.load import Policy



class Waiver(Frozen):
    """Accept ``rule`` (for ``target``, or everywhere) until ``expires``, for a stated ``reason``."""

    model_config = ConfigDict(strict=True)  # no coercion: 1 is not a rule id, true is not a reason

    rule: str = Field(min_length=1)
    target: Optional[str] = None
    reason: str = Field(min_length=1, description="Why the risk is accepted; required.")
    expires: date
    approved_by: Optional[str] = None

    @field_validator("expires", mode="before")
    @classmethod
    def _date(cls, value: Any) -> date:
        """A TOML date or a "YYYY-MM-DD" string; not a number (read as seconds), a datetime or a boolean."""
        if isinstance(value, date) and not isinstance(value, datetime):
            return value
        if isinstance(value, str) and _ISO_DATE.match(value.strip()):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise ValueError(f"not a date: {value!r} (write expires = YYYY-MM-DD)")

    @field_validator("rule")
    @classmethod
    def _upper(cls, value: str) -> str:
        value = value.strip().upper()
        if not _RULE_ID.match(value):
            raise ValueError(f"{value!r} is not a rule id (like ACC-001)")
        return value

    @field_validator("target")
    @classmethod
    def _target(cls, value: Optional[str]) -> Optional[str]:
        if value is not None and not value.strip():
            raise ValueError("target is blank; leave it out to waive the rule for every target")
        return value.strip() if value is not None else None

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a waiver needs a reason")
        return value.strip()

    def covers(self, finding: Finding) -> bool:
        return finding.rule_id == self.rule and (self.target is None or self.target == finding.target)


_RULE_ID = re.compile(r"^[A-Z]{3}-\d{3}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class WaiversFile(Frozen):
    waivers: list[Waiver] = Field(default_factory=list)


def load_waivers(path: Union[str, Path]) -> list[Waiver]:
    """Read ``[[waivers]]`` tables from TOML; a missing reason or a bad date is a WaiverError."""
    path = Path(path)
    if path.suffix.lower() != ".toml":
        raise WaiverError(str(path), "", "a waivers file must end in .toml")
    data = load_document(path, WaiverError)
    try:
        return list(WaiversFile.model_validate(data).waivers)
    except ValidationError as exc:
        error = exc.errors()[0]
        raise WaiverError(str(path), field_path(error["loc"]), _message(error)) from None


def _message(error: Mapping[str, Any]) -> str:
    kind = error["type"]
    if kind == "extra_forbidden":
        if len(error["loc"]) == 1:
            return "unknown key (a waivers file holds [[waivers]] tables)"
        return "unknown key (allowed: rule, target, reason, expires, approved_by)"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"not a date: {error['input']!r} (write expires = YYYY-MM-DD)"
    return problem_message(error)


def check_waivers(waivers: Sequence[Waiver], policy: "Policy", source: str) -> list[Waiver]:
    """Every waiver names a rule of ``policy``; renamed ids are rewritten to the current id.

    An unknown id is a WaiverError naming ``source`` and ``waivers[i].rule``: a waiver for a rule that does
    not exist would silently waive nothing.
    """
    checked = []
    for index, waiver in enumerate(waivers):
        try:
            rule = policy.rule(waiver.rule)
        except KeyError:
            raise WaiverError(source, f"waivers[{index}].rule",
                              f"unknown rule id {waiver.rule!r}; 'scrapecheck rules' lists them") from None
        checked.append(waiver if rule.id == waiver.rule else waiver.model_copy(update={"rule": rule.id}))
    return checked


def apply_waivers(findings: Sequence[Finding], waivers: Sequence[Waiver], today: Optional[date]) -> list[Finding]:
    """Mark findings a live waiver covers as suppressed; note expired waivers on the findings they would cover."""
    if not waivers:
        return list(findings)
    if today is None:
        raise ValueError("apply_waivers needs today's date to judge expiry")
    result = []
    for finding in findings:
        live = next((w for w in waivers if w.covers(finding) and w.expires >= today), None)
        expired = next((w for w in waivers if w.covers(finding) and w.expires < today), None)
        if live is not None:
            finding = finding.model_copy(update={"suppressed": True, "waiver": {
                "reason": live.reason, "expires": live.expires.isoformat(), "approved_by": live.approved_by}})
        elif expired is not None:
            finding = finding.model_copy(update={"waiver": {
                "reason": expired.reason, "expires": expired.expires.isoformat(), "expired": True,
                "approved_by": expired.approved_by}})
        result.append(finding)
    return result
