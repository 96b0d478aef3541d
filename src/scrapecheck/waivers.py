"""Waivers: a reviewed decision to accept a finding, with a reason and an expiry; never a way to hide one.

A waived finding stays in the report marked ``suppressed``; an expired waiver stops applying and the finding
says so in its ``waiver`` field.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Optional, Sequence, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .errors import WaiverError
from .report import Finding

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib


class Waiver(BaseModel):
    """Accept ``rule`` (for ``target``, or everywhere) until ``expires``, for a stated ``reason``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    rule: str = Field(min_length=1)
    target: Optional[str] = None
    reason: str = Field(min_length=1, description="Why the risk is accepted; required.")
    expires: date
    approved_by: Optional[str] = None

    @field_validator("rule")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.strip().upper()

    @field_validator("reason")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a waiver needs a reason")
        return value.strip()

    def covers(self, finding: Finding) -> bool:
        return finding.rule_id == self.rule and (self.target is None or self.target == finding.target)


class WaiversFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    waivers: list[Waiver] = Field(default_factory=list)


def load_waivers(path: Union[str, Path]) -> list[Waiver]:
    """Read ``[[waivers]]`` tables from TOML; a missing reason or a bad date is a WaiverError."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise WaiverError(str(path), "", "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise WaiverError(str(path), "", f"cannot read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise WaiverError(str(path), "", f"invalid TOML: {exc}") from None
    try:
        return list(WaiversFile.model_validate(data).waivers)
    except ValidationError as exc:
        error = exc.errors()[0]
        loc = "".join(f"[{p}]" if isinstance(p, int) else ("." if i else "") + str(p)
                      for i, p in enumerate(error["loc"]))
        message = "unknown key" if error["type"] == "extra_forbidden" else (
            "required key missing" if error["type"] == "missing" else error["msg"].removeprefix("Value error, "))
        raise WaiverError(str(path), loc, message) from None


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
