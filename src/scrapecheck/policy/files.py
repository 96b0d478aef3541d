"""The policy files as written, validated only when packs are loaded from TOML (:func:`~.load.load_policy`).

Apart from :mod:`.models` because nothing else needs them: a run that reads the shipped packs' pre-validated
form (``policy/bundled.py``) never makes these classes, and each pydantic class costs its making at import
(issue 10, start-up time).
"""

# Annotations are evaluated when the classes are made (no ``from __future__ import annotations``): as strings,
# pydantic would compile each one again at import (issue 10, start-up time).

from typing import Optional

from pydantic import Field

from .kinds import Check
from .models import Platform, Rule, Source, Threshold, _Strict


class RulePack(_Strict):
    """A ``policies/*.toml`` file of rules."""

    title: str = ""
    description: str = ""
    unless: Optional[Check] = Field(
        None, description="An exemption for every rule of the pack (e.g. GDPR Art. 2(2)(c) for personal data).")
    rules: list[Rule] = Field(default_factory=list)

    def effective_rules(self) -> list[Rule]:
        """The rules with the pack's ``unless`` joined to their own (either one exempts)."""
        if self.unless is None:
            return list(self.rules)
        from .kinds import Any_

        joined = []
        for rule in self.rules:
            unless = self.unless if rule.unless is None else Any_(kind="any", of=[self.unless, rule.unless])
            fields = {name: getattr(rule, name) for name in type(rule).model_fields}
            joined.append(Rule(**{**fields, "unless": unless}))
        return joined


class SourcesFile(_Strict):
    sources: list[Source]


class PlatformsFile(_Strict):
    platforms: list[Platform]


class ThresholdsFile(_Strict):
    thresholds: list[Threshold]


class RedirectsFile(_Strict):
    redirects: dict[str, str] = Field(default_factory=dict)
