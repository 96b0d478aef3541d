"""Check kinds are a registry: the loader and the engine read what each kind declares, never a kind by name."""

from __future__ import annotations

import ast
import typing

from conftest import ROOT

from scrapecheck.policy import kinds


def _members() -> set[str]:
    union = typing.get_args(kinds.Check)[0]
    return {member.__name__ for member in typing.get_args(union)}


def test_loader_and_engine_name_no_check_kind() -> None:
    members = _members()
    assert {"TargetPlatform", "TargetTerms", "OwnData", "Undecided"} <= members
    for relative in ("src/scrapecheck/policy/load.py", "src/scrapecheck/engine.py"):
        tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"))
        names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        names |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) for alias in node.names}
        assert not names & members, f"{relative} special-cases {sorted(names & members)}"


def test_every_kind_declares_its_references(policy) -> None:
    for rule in policy.rules:
        refs = rule.references
        assert refs.platforms <= {p.id for p in policy.platforms}, rule.id
        assert refs.thresholds <= set(policy.thresholds), rule.id
        assert rule.target_scoped == kinds.is_target_scoped(rule.when) or rule.caps or rule.unless, rule.id
    undecided = [rule for rule in policy.rules if rule.after_others]
    assert undecided and all(any(isinstance(n, kinds.Undecided) for n in r.when.walk()) for r in undecided)
