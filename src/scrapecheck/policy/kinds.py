"""The closed set of check kinds a rule's ``when`` is built from: a pydantic union tagged by ``kind``.

Each kind answers True, False or None (undecided: a signal it needs is missing), with the facts it used as
evidence. ``all``/``any``/``not`` combine answers with three-valued logic, so a missing signal is never read
as a pass. Adding a kind means adding a class here and to ``Check``; rules themselves are data.
"""

# Annotations are evaluated when the classes are made (no ``from __future__ import annotations``): as strings,
# pydantic would compile each one again at import (issue 10, start-up time).

import re
from dataclasses import FrozenInstanceError
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Mapping, Optional, Sequence, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from .._model import Frozen
from ..plan import OwnData as OwnDataKind
from ..plan import Prohibition, field_paths

if TYPE_CHECKING:
    from ..plan import CrawlPlan, Target
    from ..robots import RobotsPolicy
    from ..signals.model import OptOut, RobotsSignal
    from .models import Platform

SignalName = str
"""A name in the signals registry (``scrapecheck.signals.registry``): robots, pages, ..."""

PLAN_FIELDS = field_paths()
TARGET_NUMERIC_FIELDS = ("requests_per_second", "concurrency")
class _Value:
    """A frozen value with ``__slots__``: equal, hashed and shown by its fields, as ``@dataclass(frozen=True)``
    makes them, without the source code a dataclass compiles for each class at import (five of them here were
    about 2% of a ``scrapecheck check``, issue 10). Each class lists ``__slots__`` (its fields, in order) and
    sets them in its ``__init__`` with ``_set``."""

    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__qualname__}({shown})"

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled (rules keep their References in the stored packs) and copied as a call of the class."""
        return type(self), self._values()

    def __setattr__(self, name: str, value: Any) -> None:
        raise FrozenInstanceError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        raise FrozenInstanceError(f"cannot delete field {name!r}")


_set = object.__setattr__


class TargetView(_Value):
    """One target as the checks see it: the plan entry, its signals, its compiled robots.txt, its platform.

    ``other_opt_outs``: opt-outs of signals registered beyond robots and pages, by name (None: not collected).
    """

    __slots__ = ("target", "robots", "robots_policy", "robots_opt_outs", "page_opt_outs", "platform",
                 "other_opt_outs")
    target: "Target"
    robots: Optional["RobotsSignal"]
    robots_policy: Optional["RobotsPolicy"]
    robots_opt_outs: Optional[list["OptOut"]]
    page_opt_outs: Optional[list["OptOut"]]
    platform: Optional["Platform"]
    other_opt_outs: Mapping[str, Optional[list["OptOut"]]]

    def __init__(self, target: "Target", robots: Optional["RobotsSignal"], robots_policy: Optional["RobotsPolicy"],
                 robots_opt_outs: Optional[list["OptOut"]], page_opt_outs: Optional[list["OptOut"]],
                 platform: Optional["Platform"], other_opt_outs: Optional[Mapping[str, Optional[list["OptOut"]]]] = None
                 ) -> None:
        _set(self, "target", target)
        _set(self, "robots", robots)
        _set(self, "robots_policy", robots_policy)
        _set(self, "robots_opt_outs", robots_opt_outs)
        _set(self, "page_opt_outs", page_opt_outs)
        _set(self, "platform", platform)
        _set(self, "other_opt_outs", {} if other_opt_outs is None else other_opt_outs)

    def opt_outs_of(self, signal: str) -> Optional[list["OptOut"]]:
        """The opt-outs a signal holds for this target; None when it was not collected."""
        if signal == "robots":
            return self.robots_opt_outs
        if signal == "pages":
            return self.page_opt_outs
        return self.other_opt_outs.get(signal)


class Context(_Value):
    """What a check is evaluated against. ``plan_outcomes``: the evaluation's memo of checks that read only the
    plan (see :class:`PlanOutcomes`); None evaluates every check afresh."""

    __slots__ = ("plan", "thresholds", "target", "undecided", "plan_outcomes")
    plan: "CrawlPlan"
    thresholds: Mapping[str, float]
    target: Optional[TargetView]
    undecided: Mapping[str, tuple[str, ...]]
    plan_outcomes: Optional["PlanOutcomes"]

    def __init__(self, plan: "CrawlPlan", thresholds: Mapping[str, float], target: Optional[TargetView] = None,
                 undecided: Optional[Mapping[str, tuple[str, ...]]] = None,
                 plan_outcomes: Optional["PlanOutcomes"] = None) -> None:
        _set(self, "plan", plan)
        _set(self, "thresholds", thresholds)
        _set(self, "target", target)
        _set(self, "undecided", {} if undecided is None else undecided)
        _set(self, "plan_outcomes", plan_outcomes)

    def evaluate(self, check: "_Kind") -> "Outcome":
        """``check.evaluate(self)``; a check that reads only the plan is answered once per evaluation."""
        memo = self.plan_outcomes
        return check.evaluate(self) if memo is None else memo.evaluate(check, self)


class Outcome(_Value):
    __slots__ = ("state", "evidence", "missing")
    state: Optional[bool]
    evidence: dict[str, Any]
    missing: frozenset[str]

    def __init__(self, state: Optional[bool], evidence: Optional[dict[str, Any]] = None,
                 missing: frozenset[str] = frozenset()) -> None:
        _set(self, "state", state)
        _set(self, "evidence", {} if evidence is None else evidence)
        _set(self, "missing", missing)


class PlanOutcomes:
    """The outcomes of the checks that read only the plan, for one evaluation of one plan.

    A target-scoped rule such as ``all: [purpose is ai-training, the target opts out]`` would otherwise ask its
    plan half again for every target, though the answer cannot change: it reads no target and no other rule's
    outcome, only the plan and the thresholds, which one evaluation holds fixed (issue 10: a thousand such
    answers per 50-target plan). Checks are told apart by identity: ``roots`` (every condition the evaluation
    may ask) stay alive as long as this memo does.
    """

    __slots__ = ("_plan_level", "_outcomes", "_roots")

    def __init__(self, roots: "Sequence[_Kind]") -> None:
        self._roots = tuple(roots)
        self._plan_level: set[int] = set()
        self._outcomes: dict[int, Outcome] = {}
        for root in self._roots:
            self._mark(root)

    def _mark(self, check: "_Kind") -> bool:
        """Is ``check`` (with its children) plan-only? Records the ids of those that are."""
        children = [self._mark(child) for child in check.children()]
        plan_only = all(children) and not check.target_scoped and not check.after_others
        if plan_only:
            self._plan_level.add(id(check))
        return plan_only

    def evaluate(self, check: "_Kind", ctx: Context) -> Outcome:
        key = id(check)
        if key not in self._plan_level:
            return check.evaluate(ctx)
        found = self._outcomes.get(key)
        if found is None:
            found = self._outcomes[key] = check.evaluate(ctx)
        return found


def _false(**evidence: Any) -> Outcome:
    return Outcome(False, evidence)


class References(_Value):
    """What a check refers to, declared by each kind so the loader validates all kinds alike.

    fields: plan field paths read; platforms: platform ids; thresholds: threshold names; evidence: keys its
    outcome may carry (message templates may use them); target_scoped: evaluated once per target;
    after_others: reads other rules' undecided outcomes, so it runs after them.
    """

    __slots__ = ("fields", "platforms", "thresholds", "evidence", "target_scoped", "after_others")
    fields: frozenset[str]
    platforms: frozenset[str]
    thresholds: frozenset[str]
    evidence: frozenset[str]
    target_scoped: bool
    after_others: bool

    def __init__(self, fields: frozenset[str] = frozenset(), platforms: frozenset[str] = frozenset(),
                 thresholds: frozenset[str] = frozenset(), evidence: frozenset[str] = frozenset(),
                 target_scoped: bool = False, after_others: bool = False) -> None:
        _set(self, "fields", fields)
        _set(self, "platforms", platforms)
        _set(self, "thresholds", thresholds)
        _set(self, "evidence", evidence)
        _set(self, "target_scoped", target_scoped)
        _set(self, "after_others", after_others)

    def __or__(self, other: "References") -> "References":
        return References(self.fields | other.fields, self.platforms | other.platforms,
                          self.thresholds | other.thresholds, self.evidence | other.evidence,
                          self.target_scoped or other.target_scoped, self.after_others or other.after_others)


class _Kind(Frozen):
    model_config = ConfigDict(defer_build=True)  # built on first validation; see policy.models._Strict

    target_scoped: ClassVar[bool] = False
    after_others: ClassVar[bool] = False
    evidence_keys: ClassVar[tuple[str, ...]] = ()

    def references(self) -> References:
        """This node's own references (not its children's); kinds that name fields, platforms or thresholds
        extend it."""
        return References(evidence=frozenset(self.evidence_keys), target_scoped=self.target_scoped,
                          after_others=self.after_others)

    def evaluate(self, ctx: Context) -> Outcome:  # pragma: no cover - every kind overrides
        raise NotImplementedError

    def children(self) -> tuple["_Kind", ...]:
        return ()

    def walk(self):  # type: ignore[no-untyped-def]
        yield self
        for child in self.children():
            yield from child.walk()

    def describe(self) -> str:  # pragma: no cover - every kind overrides
        raise NotImplementedError


class _FieldKind(_Kind):
    field: str = Field(description="Dotted plan field path, e.g. access.authentication.")

    @field_validator("field")
    @classmethod
    def _known_field(cls, value: str) -> str:
        if value not in PLAN_FIELDS:
            raise ValueError(f"unknown plan field {value!r}")
        return value

    def references(self) -> References:
        return super().references() | References(fields=frozenset({self.field}), evidence=frozenset({self.field}))

    def value(self, ctx: Context) -> Any:
        return ctx.plan.resolve(self.field)


class FieldEquals(_FieldKind):
    kind: Literal["field-equals"]
    value_: Any = Field(alias="value")

    def evaluate(self, ctx: Context) -> Outcome:
        actual = self.value(ctx)
        return Outcome(actual == self.value_, {self.field: actual})

    def describe(self) -> str:
        return f"`{self.field}` is `{self.value_!r}`".replace("True", "true").replace("False", "false")


class FieldIn(_FieldKind):
    kind: Literal["field-in"]
    values: list[Any] = Field(min_length=1)

    def evaluate(self, ctx: Context) -> Outcome:
        actual = self.value(ctx)
        return Outcome(actual in self.values, {self.field: actual})

    def describe(self) -> str:
        return f"`{self.field}` is one of " + ", ".join(f"`{v}`" for v in self.values)


class FieldContainsAny(_FieldKind):
    kind: Literal["field-contains-any"]
    values: list[Any] = Field(min_length=1)

    def evaluate(self, ctx: Context) -> Outcome:
        actual = list(self.value(ctx) or [])
        matched = [item for item in actual if item in self.values]
        return Outcome(bool(matched), {self.field: matched if matched else actual})

    def describe(self) -> str:
        return f"`{self.field}` contains any of " + ", ".join(f"`{v}`" for v in self.values)


class _Bound(BaseModel):
    """A number given directly or by the name of a threshold (so users can change it)."""

    model_config = ConfigDict(defer_build=True)

    value_: Optional[float] = Field(None, alias="value")
    threshold: Optional[str] = None

    @model_validator(mode="after")
    def _exactly_one(self) -> "_Bound":
        if (self.value_ is None) == (self.threshold is None):
            raise ValueError("give exactly one of value or threshold")
        return self

    def bound(self, ctx: Context) -> float:
        if self.threshold is not None:
            return ctx.thresholds[self.threshold]
        assert self.value_ is not None
        return self.value_

    def bound_text(self) -> str:
        return f"threshold `{self.threshold}`" if self.threshold else f"{self.value_:g}"

    def bound_references(self) -> References:
        return References(thresholds=frozenset({self.threshold}) if self.threshold else frozenset(),
                          evidence=frozenset({"threshold"}))


class _FieldCompare(_FieldKind, _Bound):
    """A numeric plan field against a bound; an absent value (unknown) never satisfies it."""

    at_least: ClassVar[bool]

    def evaluate(self, ctx: Context) -> Outcome:
        actual = self.value(ctx)
        bound = self.bound(ctx)
        evidence = {self.field: actual, "threshold": bound}
        if actual is None:
            return Outcome(False, evidence)
        return Outcome(actual >= bound if self.at_least else actual <= bound, evidence)

    def references(self) -> References:
        return super().references() | self.bound_references()

    def describe(self) -> str:
        return f"`{self.field}` is at {'least' if self.at_least else 'most'} {self.bound_text()}"


class FieldAtLeast(_FieldCompare):
    kind: Literal["field-at-least"]
    at_least: ClassVar[bool] = True


class FieldAtMost(_FieldCompare):
    kind: Literal["field-at-most"]
    at_least: ClassVar[bool] = False


class FieldEmpty(_FieldKind):
    kind: Literal["field-empty"]

    def evaluate(self, ctx: Context) -> Outcome:
        actual = self.value(ctx)
        return Outcome(actual is None or actual == "" or actual == [], {self.field: actual})

    def describe(self) -> str:
        return f"`{self.field}` is empty or absent"


class FieldMatches(_FieldKind):
    kind: Literal["field-matches"]
    pattern: str

    @field_validator("pattern")
    @classmethod
    def _compiles(cls, value: str) -> str:
        try:
            re.compile(value)
        except re.error as exc:
            raise ValueError(f"bad regular expression {value!r}: {exc}") from None
        return value

    def evaluate(self, ctx: Context) -> Outcome:
        actual = self.value(ctx)
        matched = actual is not None and re.search(self.pattern, str(actual)) is not None
        return Outcome(matched, {self.field: actual})

    def describe(self) -> str:
        return f"`{self.field}` matches `{self.pattern}`"


class _Combination(_Kind):
    """Kleene logic over child checks: one ``decisive`` answer settles it; otherwise undecided beats the rest."""

    of: list["Check"] = Field(min_length=1)
    decisive: ClassVar[bool]
    word: ClassVar[str]

    def children(self) -> tuple[_Kind, ...]:
        return tuple(self.of)

    def evaluate(self, ctx: Context) -> Outcome:
        evidence: dict[str, Any] = {}
        missing: set[str] = set()
        undecided = False
        for check in self.of:
            outcome = ctx.evaluate(check)
            if outcome.state is self.decisive:
                return Outcome(self.decisive, outcome.evidence)
            if outcome.state is None:
                undecided = True
                missing |= outcome.missing
            for key, value in outcome.evidence.items():
                evidence.setdefault(key, value)  # the first check's facts win (e.g. its threshold)
        return Outcome(None if undecided else not self.decisive, evidence, frozenset(missing))

    def describe(self) -> str:
        return f"{self.word} of: " + "; ".join(f"({check.describe()})" for check in self.of)


class All(_Combination):
    kind: Literal["all"]
    decisive: ClassVar[bool] = False
    word: ClassVar[str] = "all"


class Any_(_Combination):
    kind: Literal["any"]
    decisive: ClassVar[bool] = True
    word: ClassVar[str] = "any"


class Not(_Kind):
    kind: Literal["not"]
    check: "Check"

    def children(self) -> tuple[_Kind, ...]:
        return (self.check,)

    def evaluate(self, ctx: Context) -> Outcome:
        outcome = ctx.evaluate(self.check)
        state = None if outcome.state is None else not outcome.state
        return Outcome(state, outcome.evidence, outcome.missing)

    def describe(self) -> str:
        return f"not ({self.check.describe()})"


# --- target-scoped kinds: a rule using any of these is evaluated once per target --------------------------


class _TargetKind(_Kind):
    target_scoped: ClassVar[bool] = True

    def evaluate(self, ctx: Context) -> Outcome:
        if ctx.target is None:  # pragma: no cover - the engine never does this
            raise RuntimeError(f"{type(self).__name__} evaluated without a target")
        return self.check_target(ctx, ctx.target)

    def check_target(self, ctx: Context, view: TargetView) -> Outcome:  # pragma: no cover
        raise NotImplementedError


class TargetPlatform(_TargetKind):
    """The target is on a known platform (optionally: one of these, whose terms have this clause)."""

    kind: Literal["target-platform"]
    platforms: list[str] = Field(default_factory=list, description="Platform ids; empty means any known one.")
    clause: Optional[Literal["scraping", "automated_access", "fake_accounts", "ai_training", "data_resale"]] = None
    login_wall: Optional[bool] = None
    evidence_keys: ClassVar[tuple[str, ...]] = ("platform", "platform_name", "terms_url", "clause", "clause_text")

    def references(self) -> References:
        return super().references() | References(platforms=frozenset(self.platforms))

    def check_target(self, ctx: Context, view: TargetView) -> Outcome:
        platform = view.platform
        if platform is None:
            return _false(platform=None)
        evidence: dict[str, Any] = {"platform": platform.id, "platform_name": platform.name,
                                    "terms_url": platform.terms_url}
        if self.platforms and platform.id not in self.platforms:
            return Outcome(False, evidence)
        if self.login_wall is not None and platform.login_wall != self.login_wall:
            return Outcome(False, evidence)
        if self.clause is not None:
            text = platform.restriction(self.clause)
            if not text:
                return Outcome(False, evidence)
            evidence.update(clause=self.clause, clause_text=text)
        return Outcome(True, evidence)

    def describe(self) -> str:
        where = ("one of " + ", ".join(f"`{p}`" for p in self.platforms)) if self.platforms else "a known platform"
        text = f"the target is on {where}"
        if self.login_wall is not None:
            text += " with a login wall" if self.login_wall else " without a login wall"
        if self.clause:
            text += f" whose terms have a `{self.clause}` clause"
        return text


class _TargetFieldKind(_TargetKind):
    field: Literal["requests_per_second", "concurrency"]

    def references(self) -> References:
        return super().references() | References(evidence=frozenset({self.field}))


class TargetFieldAtLeast(_TargetFieldKind, _Bound):
    kind: Literal["target-field-at-least"]

    def references(self) -> References:
        return super().references() | self.bound_references()

    def check_target(self, ctx: Context, view: TargetView) -> Outcome:
        actual = getattr(view.target, self.field)
        bound = self.bound(ctx)
        evidence = {self.field: actual, "threshold": bound}
        return Outcome(actual is not None and actual >= bound, evidence)

    def describe(self) -> str:
        return f"the target's `{self.field}` is at least {self.bound_text()}"


class TargetFieldEmpty(_TargetFieldKind):
    kind: Literal["target-field-empty"]

    def check_target(self, ctx: Context, view: TargetView) -> Outcome:
        actual = getattr(view.target, self.field)
        return Outcome(actual is None, {self.field: actual})

    def describe(self) -> str:
        return f"the target does not state `{self.field}`"


CLAUSE_PROHIBITS: dict[str, "Prohibition"] = {
    "scraping": "scraping", "automated_access": "automated-access", "fake_accounts": "fake-accounts",
    "ai_training": "ai-training", "data_resale": "resale",
}
"""A known platform's quoted clause (platforms.toml) as the prohibition a plan would declare."""


class SiteTerms(_Value):
    """One target's terms as the rules see them: the plan's statements, filled in from a known platform."""

    __slots__ = ("accepted", "accepted_from", "assessed", "prohibits", "prohibits_from", "url", "clauses")
    accepted: bool
    accepted_from: str
    assessed: bool
    prohibits: tuple[str, ...]
    prohibits_from: str
    url: Optional[str]
    clauses: Mapping[str, str]

    def __init__(self, accepted: bool, accepted_from: str, assessed: bool, prohibits: tuple[str, ...],
                 prohibits_from: str, url: Optional[str], clauses: Mapping[str, str]) -> None:
        _set(self, "accepted", accepted)
        _set(self, "accepted_from", accepted_from)
        _set(self, "assessed", assessed)
        _set(self, "prohibits", prohibits)
        _set(self, "prohibits_from", prohibits_from)
        _set(self, "url", url)
        _set(self, "clauses", clauses)

    @classmethod
    def of(cls, plan: "CrawlPlan", view: TargetView) -> "SiteTerms":
        terms = view.target.terms
        accepted_from = "targets.terms.accepted" if terms.accepted is not None else "access.accepted_terms"
        accepted = terms.accepted if terms.accepted is not None else plan.access.accepted_terms
        clauses: dict[str, str] = {}
        if view.platform is not None:
            for clause, prohibition in CLAUSE_PROHIBITS.items():
                text = view.platform.restriction(clause)
                if text:
                    clauses[prohibition] = text
        declared = list(terms.prohibits or [])
        prohibits = tuple(dict.fromkeys(declared + sorted(clauses)))
        origin = [name for name, used in (("plan", terms.prohibits is not None), ("platform", view.platform is not None))
                  if used]
        url = terms.url or (view.platform.terms_url if view.platform is not None else None)
        return cls(accepted=accepted, accepted_from=accepted_from,
                   assessed=terms.prohibits is not None or view.platform is not None, prohibits=prohibits,
                   prohibits_from="+".join(origin) or "nobody", url=url, clauses=clauses)


class TargetTerms(_TargetKind):
    """The target's terms: accepted or not, assessed or not, forbidding something. Every facet given must hold.

    A target's ``terms.accepted`` overrides ``access.accepted_terms``; a known platform's clauses are added to
    the prohibitions the plan declares, and its terms address fills a missing ``terms.url``.
    """

    kind: Literal["target-terms"]
    accepted: Optional[bool] = Field(None, description="The operator accepted them (true) or never did (false).")
    assessed: Optional[bool] = Field(
        None, description="Someone read them: the plan lists terms.prohibits or the target is a known platform.")
    prohibits: list[Prohibition] = Field(
        default_factory=list, description="They forbid at least one of these (declared or a platform clause).")
    declared_only: bool = Field(
        False, description="Match only prohibitions the plan declares beyond a known platform's quoted clauses "
                           "(so platform rules and plan rules never count one clause twice).")
    evidence_keys: ClassVar[tuple[str, ...]] = (
        "terms_accepted", "terms_accepted_from", "terms_assessed", "terms_prohibits", "terms_prohibits_from",
        "terms_url", "prohibition", "clause_text")

    def references(self) -> References:
        return super().references() | References(fields=frozenset({"access.accepted_terms"}))

    def check_target(self, ctx: Context, view: TargetView) -> Outcome:
        terms = SiteTerms.of(ctx.plan, view)
        evidence: dict[str, Any] = {
            "terms_accepted": terms.accepted, "terms_accepted_from": terms.accepted_from,
            "terms_assessed": terms.assessed, "terms_prohibits": list(terms.prohibits),
            "terms_prohibits_from": terms.prohibits_from, "terms_url": terms.url}
        if self.accepted is not None and terms.accepted != self.accepted:
            return Outcome(False, evidence)
        if self.assessed is not None and terms.assessed != self.assessed:
            return Outcome(False, evidence)
        if self.prohibits:
            pool = [p for p in terms.prohibits if p not in terms.clauses] if self.declared_only else terms.prohibits
            matched = [item for item in self.prohibits if item in pool]
            if not matched:
                return Outcome(False, evidence)
            evidence["prohibition"] = matched[0]
            evidence["clause_text"] = terms.clauses.get(matched[0])
        return Outcome(True, evidence)

    def describe(self) -> str:
        facets = []
        if self.accepted is not None:
            facets.append("were accepted" if self.accepted else "were never accepted")
        if self.assessed is not None:
            facets.append("were assessed (declared in the plan or a known platform)" if self.assessed
                          else "were not assessed by anyone (no `terms.prohibits` and not a known platform)")
        if self.prohibits:
            facets.append(("by the plan's own statement (beyond a known platform's clauses) " if self.declared_only
                           else "") + "forbid " + " or ".join(f"`{p}`" for p in self.prohibits))
        return "the target's terms " + (" and ".join(facets) if facets else "exist")


class TargetNotice(_TargetKind):
    """The site told the operator to stop: a cease-and-desist letter, or a block aimed at the crawler."""

    kind: Literal["target-notice"]
    received: list[Literal["cease-and-desist", "block"]] = Field(
        default_factory=list, description="Which notices count; empty means either.")
    evidence_keys: ClassVar[tuple[str, ...]] = ("cease_and_desist", "blocked", "notice")

    def check_target(self, ctx: Context, view: TargetView) -> Outcome:
        target = view.target
        got = [name for name, flag in (("cease-and-desist", target.cease_and_desist), ("block", target.blocked))
               if flag and (not self.received or name in self.received)]
        return Outcome(bool(got), {"cease_and_desist": target.cease_and_desist, "blocked": target.blocked,
                                   "notice": " and ".join(got) if got else None})

    def describe(self) -> str:
        wanted = self.received or ["cease-and-desist", "block"]
        words = {"cease-and-desist": "a cease-and-desist letter", "block": "a block"}
        return "the site sent " + " or ".join(words[w] for w in wanted) + " (`targets.cease_and_desist`, " \
            "`targets.blocked`)"


HOUSEHOLD_PURPOSES = ("personal", "archiving")
OWN_ACCESS = ("none", "own-account")


class OwnData(_Kind):
    """Everything collected is the operator's own (``data.own_data``), reached logged out or through the
    operator's own account; with ``household``, also kept to a
    purely personal activity (GDPR Art. 2(2)(c)): a personal or archiving purpose, not commercial, not sold,
    not shared."""

    kind: Literal["own-data"]
    of: list[OwnDataKind] = Field(default_factory=list, description="Own data of these kinds; empty means any.")
    household: bool = Field(False, description="Also a purely personal or household activity.")
    evidence_keys: ClassVar[tuple[str, ...]] = ("data.own_data", "access.authentication")

    def references(self) -> References:
        fields = {"data.own_data", "access.authentication"}
        if self.household:
            fields |= {"purpose.kind", "purpose.commercial", "use.sell", "use.share_with"}
        return super().references() | References(fields=frozenset(fields), evidence=frozenset(fields))

    def evaluate(self, ctx: Context) -> Outcome:
        plan = ctx.plan
        own = list(plan.data.own_data)
        evidence: dict[str, Any] = {"data.own_data": own, "access.authentication": plan.access.authentication}
        # Own data is reached through one's own account (or logged out); other people's accounts make it theirs.
        state = (bool(own) and plan.access.authentication in OWN_ACCESS
                 and (not self.of or any(item in self.of for item in own)))
        if state and self.household:
            evidence.update({"purpose.kind": plan.purpose.kind, "purpose.commercial": plan.purpose.commercial,
                             "use.sell": plan.use.sell, "use.share_with": list(plan.use.share_with)})
            state = (plan.purpose.kind in HOUSEHOLD_PURPOSES and not plan.purpose.commercial and not plan.use.sell
                     and not plan.use.share_with)
        return Outcome(state, evidence)

    def describe(self) -> str:
        what = ("the operator's own " + " or ".join(f"`{k}`" for k in self.of)) if self.of else \
            "the operator's own data"
        text = f"everything collected is {what} (`data.own_data`), reached through the operator's own account " \
            "or logged out"
        if self.household:
            text += (", for a purely personal activity (purpose " + " or ".join(f"`{p}`" for p in HOUSEHOLD_PURPOSES)
                     + ", not commercial, not sold, not shared)")
        return text


def _needs(signal: str, **evidence: Any) -> Outcome:
    return Outcome(None, evidence, frozenset({signal}))


class RobotsOutcomeIs(_TargetKind):
    """How fetching robots.txt went (RFC 9309 2.3.1): unreachable, refused, html, not-found or ok."""

    kind: Literal["robots-outcome"]
    outcomes: list[Literal["ok", "not-found", "refused", "unreachable", "html"]] = Field(min_length=1)
    evidence_keys: ClassVar[tuple[str, ...]] = ("robots_url", "robots_outcome", "robots_status", "robots_error")

    def check_target(self, ctx: Context, view: TargetView) -> Outcome:
        robots = view.robots
        if robots is None:
            return _needs("robots")
        evidence = {"robots_url": robots.url, "robots_outcome": robots.outcome, "robots_status": robots.status,
                    "robots_error": robots.error}
        return Outcome(robots.outcome in self.outcomes, evidence)

    def describe(self) -> str:
        return "fetching robots.txt ended as " + " or ".join(f"`{o}`" for o in self.outcomes)


class RobotsTruncated(_TargetKind):
    """robots.txt is longer than the 500 KiB that parsers must read (RFC 9309 2.5); the rest is ignored."""

    kind: Literal["robots-truncated"]
    evidence_keys: ClassVar[tuple[str, ...]] = ("robots_url", "size", "limit")

    def check_target(self, ctx: Context, view: TargetView) -> Outcome:
        robots = view.robots
        if robots is None:
            return _needs("robots")
        from ..robots import MAX_BYTES

        return Outcome(robots.truncated, {"robots_url": robots.url, "size": robots.size, "limit": MAX_BYTES})

    def describe(self) -> str:
        return "robots.txt is longer than 500 KiB, so rules past that point are ignored"


class RobotsDisallows(_TargetKind):
    """robots.txt, read for the plan's user agent, disallows at least one planned path."""

    kind: Literal["robots-disallows"]
    evidence_keys: ClassVar[tuple[str, ...]] = (
        "robots_url", "agent", "disallowed_paths", "line", "rule", "group", "robots_outcome")

    def check_target(self, ctx: Context, view: TargetView) -> Outcome:
        if view.robots is None or view.robots_policy is None:
            return _needs("robots")
        from ..robots import product_token

        agent = product_token(ctx.plan.crawler.user_agent)
        # The matcher answers each path as explain would; explain (which also builds the group's Rule objects,
        # for the deciding line) is asked only about the first disallowed path (issue 10).
        matcher = view.robots_policy.matcher(agent)
        disallowed = [path for path in view.target.planned_paths if not matcher.check(path)]
        evidence: dict[str, Any] = {"robots_url": view.robots.url, "agent": agent,
                                    "robots_outcome": view.robots.outcome}
        if not disallowed:
            return Outcome(False, evidence)
        first = view.robots_policy.explain(agent, disallowed[0])
        evidence["disallowed_paths"] = disallowed
        if view.robots.outcome == "unreachable":
            evidence.update(line=None, rule="(robots.txt unreachable: RFC 9309 2.3.1.4, complete disallow)")
        elif first.rule is not None:
            evidence.update(line=first.rule.line, rule=first.rule.text)
        evidence["group"] = ", ".join(first.agent_group) if first.agent_group else None
        return Outcome(True, evidence)

    def describe(self) -> str:
        return "robots.txt, read for the plan's user agent, disallows a planned path"


class RobotsCrawlDelay(_TargetKind):
    """robots.txt sets a Crawl-delay (or Request-rate) for the plan's agent; optionally, the plan exceeds it."""

    kind: Literal["robots-crawl-delay"]
    exceeded: bool = Field(True, description="Fire only when the planned rate is above what the delay allows.")
    evidence_keys: ClassVar[tuple[str, ...]] = (
        "robots_url", "agent", "crawl_delay", "allowed_rate", "requests_per_second")

    def check_target(self, ctx: Context, view: TargetView) -> Outcome:
        if view.robots is None or view.robots_policy is None:
            return _needs("robots")
        from ..robots import product_token

        agent = product_token(ctx.plan.crawler.user_agent)
        policy = view.robots_policy
        allowed_rate: Optional[float] = None
        delay = policy.crawl_delay(agent)
        if delay is not None and delay > 0:
            allowed_rate = 1.0 / delay
        rate = policy.request_rate(agent)
        if rate is not None and rate[1] > 0:
            by_rate = rate[0] / rate[1]
            allowed_rate = by_rate if allowed_rate is None else min(allowed_rate, by_rate)
        planned = view.target.requests_per_second
        evidence = {"robots_url": view.robots.url, "agent": agent, "crawl_delay": delay,
                    "allowed_rate": None if allowed_rate is None else round(allowed_rate, 6),
                    "requests_per_second": planned}
        if allowed_rate is None:
            return Outcome(False, evidence)
        if not self.exceeded:
            return Outcome(True, evidence)
        return Outcome(planned is not None and planned > allowed_rate + 1e-9, evidence)

    def describe(self) -> str:
        if self.exceeded:
            return "the planned request rate is above what robots.txt's Crawl-delay or Request-rate allows"
        return "robots.txt sets a Crawl-delay or Request-rate for the plan's agent"


class OptOutPresent(_TargetKind):
    """The target reserves a use (AI training, TDM, ...) by a machine-readable signal or a notice."""

    kind: Literal["opt-out"]
    kinds: list[str] = Field(default_factory=list, description="Opt-out kinds to consider; empty means all.")
    scopes: list[Literal["ai-training", "ai-inference", "tdm", "search", "scraping"]] = Field(default_factory=list)
    min_confidence: Literal["high", "low"] = "high"
    evidence_keys: ClassVar[tuple[str, ...]] = ("opt_outs", "opt_out", "where", "line")

    @field_validator("kinds")
    @classmethod
    def _known_kinds(cls, value: list[str]) -> list[str]:
        from ..signals.model import OptOutKind

        known = set(OptOutKind.__args__)  # type: ignore[attr-defined]
        unknown = [item for item in value if item not in known]
        if unknown:
            raise ValueError(f"unknown opt-out kinds {unknown}; known: {sorted(known)}")
        return value

    def _matches(self, opt_out: "OptOut") -> bool:
        if self.kinds and opt_out.kind not in self.kinds:
            return False
        if self.scopes and not set(opt_out.scopes) & set(self.scopes):
            return False
        return self.min_confidence == "low" or opt_out.confidence == "high"

    def check_target(self, ctx: Context, view: TargetView) -> Outcome:
        from ..signals.registry import signals_carrying

        sources = []
        missing: set[str] = set()
        for spec in signals_carrying(self.kinds):
            held = view.opt_outs_of(spec.name)
            if held is None:
                missing.add(spec.name)
            else:
                sources.extend(held)
        found = [opt_out for opt_out in sources if self._matches(opt_out)]
        if found:
            first = found[0]
            return Outcome(True, {
                "opt_outs": [{"kind": o.kind, "value": o.value, "where": o.where, "line": o.line} for o in found],
                "opt_out": first.value, "where": first.where, "line": first.line,
            })
        if missing:
            return Outcome(None, {}, frozenset(missing))
        return Outcome(False, {})

    def describe(self) -> str:
        text = "the target carries an opt-out"
        if self.kinds:
            text += " of kind " + " or ".join(f"`{k}`" for k in self.kinds)
        if self.scopes:
            text += " reserving " + " or ".join(f"`{s}`" for s in self.scopes)
        if self.min_confidence == "low":
            text += " (low-confidence notices included)"
        return text


class Undecided(_TargetKind):
    """Some rule could not be decided for this target because this signal is missing (checked last)."""

    kind: Literal["undecided"]
    signal: SignalName
    after_others: ClassVar[bool] = True
    evidence_keys: ClassVar[tuple[str, ...]] = ("signal", "rules_not_checked")

    @field_validator("signal")
    @classmethod
    def _registered(cls, value: str) -> str:
        from ..signals.registry import names

        if value not in names():
            raise ValueError(f"unknown signal {value!r}; known: {', '.join(names())}")
        return value

    def check_target(self, ctx: Context, view: TargetView) -> Outcome:
        rules = ctx.undecided.get(self.signal, ())
        return Outcome(bool(rules), {"signal": self.signal, "rules_not_checked": list(rules)})

    def describe(self) -> str:
        return f"another rule could not be decided for the target because the `{self.signal}` signal is missing"


Check = Annotated[
    Union[
        FieldEquals, FieldIn, FieldContainsAny, FieldAtLeast, FieldAtMost, FieldEmpty, FieldMatches,
        All, Any_, Not,
        OwnData, TargetPlatform, TargetFieldAtLeast, TargetFieldEmpty, TargetTerms, TargetNotice,
        RobotsOutcomeIs, RobotsDisallows, RobotsCrawlDelay, RobotsTruncated, OptOutPresent, Undecided,
    ],
    Field(discriminator="kind"),
]

# All, Any_ and Not refer to ``Check`` before it exists; like every kind they are built on first validation
# (``defer_build``), when the name resolves from this module.


def references(check: _Kind) -> References:
    """Everything a check and its children refer to: the loader validates it, the engine schedules by it."""
    found = References()
    for node in check.walk():
        found = found | node.references()
    return found


def is_target_scoped(check: _Kind) -> bool:
    return references(check).target_scoped


def evidence_names(check: _Kind) -> set[str]:
    """Every evidence key the check can produce; message templates may use only these, plan fields, target."""
    return set(references(check).evidence)
