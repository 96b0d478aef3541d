"""``--select`` / ``--ignore``: which rules a run reports, resolved against the loaded policy.

Filtering happens after the engine, on the frozen Report: the engine always evaluates every rule, and
``restrict`` returns a new Report holding only the selected rules' findings (and not-checked entries).
"""

from __future__ import annotations

from typing import Iterable, Optional, Sequence

from .errors import ScrapecheckError
from .policy.load import Policy
from .report import Category, Report


def split_specs(values: Optional[Iterable[str]]) -> list[str]:
    """``["ACC,PER", "robots"]`` → ``["ACC", "PER", "robots"]``; blanks dropped, order kept."""
    specs: list[str] = []
    for value in values or ():
        specs.extend(part.strip() for part in str(value).split(",") if part.strip())
    return specs


def expand(policy: Policy, spec: str, option: str = "--select") -> set[str]:
    """The rule ids one spec names: an id (``ACC-001``, renamed ids followed), a prefix (``ACC``) or a
    category (``accounts``). Anything else is a ScrapecheckError naming the option and the spec."""
    text = spec.strip()
    upper = text.upper()
    ids = {rule.id for rule in policy.rules}
    if "-" in upper and upper[:3].isalpha() and upper[:3].isupper() and upper[3:4] == "-":
        try:
            return {policy.rule(upper).id}
        except KeyError:
            pass
    prefixed = {rule_id for rule_id in ids if rule_id.split("-", 1)[0] == upper}
    if prefixed:
        return prefixed
    categories = {category.value for category in Category}
    if text.lower() in categories:
        return {rule.id for rule in policy.rules if rule.category.value == text.lower()}
    raise ScrapecheckError(f"{option}: unknown rule id, prefix or category {spec!r}; "
                           "'scrapecheck rules' lists them")


def resolve(policy: Policy, select: Sequence[str] = (), ignore: Sequence[str] = (),
            select_option: str = "--select", ignore_option: str = "--ignore") -> Optional[frozenset[str]]:
    """The rule ids to report, or None when nothing is selected or ignored (report everything)."""
    if not select and not ignore:
        return None
    chosen: set[str] = set()
    if select:
        for spec in select:
            chosen |= expand(policy, spec, select_option)
    else:
        chosen = {rule.id for rule in policy.rules}
    for spec in ignore:
        chosen -= expand(policy, spec, ignore_option)
    return frozenset(chosen)


def restrict(report: Report, rule_ids: Optional[Iterable[str]]) -> Report:
    """A new Report with only the findings and not-checked entries of ``rule_ids`` (None keeps all)."""
    if rule_ids is None:
        return report
    keep = frozenset(rule_ids)
    return report.model_copy(update={
        "findings": [finding for finding in report.findings if finding.rule_id in keep],
        "not_checked": [item for item in report.not_checked if item.rule_id in keep],
    })


__all__ = ["expand", "resolve", "restrict", "split_specs"]
