"""The checks' frozen values (Outcome, Context, TargetView, References, SiteTerms) behave as the frozen dataclasses
they replace (issue 10: a dataclass compiles its methods at import): fields by keyword or position, defaults,
equality and hash by fields, the same repr, no assignment, pickling and copying."""

from __future__ import annotations

import copy
import pickle
from dataclasses import FrozenInstanceError

import pytest

from scrapecheck.policy.kinds import Context, Outcome, References, SiteTerms


def test_outcome_is_a_frozen_value() -> None:
    made = Outcome(True, {"a": 1}, frozenset({"robots"}))
    assert made == Outcome(state=True, evidence={"a": 1}, missing=frozenset({"robots"}))
    assert made != Outcome(False, {"a": 1}, frozenset({"robots"}))
    assert repr(Outcome(None)) == "Outcome(state=None, evidence={}, missing=frozenset())"
    assert Outcome(None).evidence == {} and Outcome(None).evidence is not Outcome(None).evidence
    with pytest.raises(FrozenInstanceError):
        made.state = False  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del made.evidence  # type: ignore[misc]
    with pytest.raises(TypeError):
        hash(made)  # evidence is a dict, as with the dataclass
    assert Outcome(None) != (None, {}, frozenset())


def test_references_combine_hash_and_pickle() -> None:
    one = References(fields=frozenset({"a"}), target_scoped=True)
    both = one | References(evidence=frozenset({"e"}), after_others=True)
    assert both == References(frozenset({"a"}), frozenset(), frozenset(), frozenset({"e"}), True, True)
    assert hash(both) == hash(References(frozenset({"a"}), frozenset(), frozenset(), frozenset({"e"}), True, True))
    assert pickle.loads(pickle.dumps(both)) == both and copy.deepcopy(both) == both
    assert repr(References()) == ("References(fields=frozenset(), platforms=frozenset(), thresholds=frozenset(), "
                                  "evidence=frozenset(), target_scoped=False, after_others=False)")


def test_context_and_site_terms_defaults() -> None:
    ctx = Context(plan=None, thresholds={})  # type: ignore[arg-type]
    assert ctx.target is None and ctx.undecided == {}
    terms = SiteTerms(True, "plan", False, ("scraping",), "plan", None, {})
    assert terms == SiteTerms(accepted=True, accepted_from="plan", assessed=False, prohibits=("scraping",),
                              prohibits_from="plan", url=None, clauses={})
    with pytest.raises(FrozenInstanceError):
        terms.url = "x"  # type: ignore[misc]
