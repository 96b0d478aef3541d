"""Mutated plans, packs and signals files: each is either accepted or refused with one of our errors.

Accepted ones must then evaluate and render in every format without an exception: a traceback is exit 1,
which CI reads as "findings", so it is never acceptable.
"""

from __future__ import annotations

import json
import shutil
import sys
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrapecheck import ScrapecheckError, evaluate, load_plan
from scrapecheck.cli import main
from scrapecheck.errors import PlanError, PolicyError, SignalsError
from scrapecheck.plan import parse_plan
from scrapecheck.policy.load import default_policy_dir, load_policy
from scrapecheck.signals.snapshot import dump_signals, from_plan, load_signals

from .conftest import FUZZ
from .mutate import mutated, to_toml

ROOT = Path(__file__).resolve().parents[2]
PLANS_DIR = ROOT / "examples" / "plans"
PLAN_DOCS = {path.name: tomllib.loads(path.read_text("utf-8")) for path in sorted(PLANS_DIR.glob("*.toml"))}
PACK_DIR = default_policy_dir()
PACK_DOCS = {path.name: tomllib.loads(path.read_text("utf-8")) for path in sorted(PACK_DIR.glob("*.toml"))}
REGRESSIONS = Path(__file__).parent / "regressions"
FORMATS = ("text", "json", "sarif", "markdown")


def _plan_strategy() -> st.SearchStrategy:
    return st.sampled_from(sorted(PLAN_DOCS)).flatmap(lambda name: mutated(PLAN_DOCS[name]))


def _run_cli(argv: list[str], capsys: pytest.CaptureFixture[str]) -> int:
    status = main(argv)
    out, err = capsys.readouterr()
    assert status in (0, 1, 2), (status, err)
    if status == 2:
        assert err.count("\n") == 1 and "Traceback" not in err, err
    return status


@FUZZ
@given(doc=_plan_strategy())
def test_mutated_plan_validates_or_is_refused(doc: dict) -> None:
    try:
        plan = parse_plan(doc, source="fuzz.toml", base_dir=PLANS_DIR)
    except PlanError:
        return
    report = evaluate(plan, offline=True)
    assert all(f.rule_id for f in report.findings)


@FUZZ
@given(doc=_plan_strategy(), fmt=st.sampled_from(FORMATS), as_json=st.booleans())
def test_mutated_plan_file_through_cli(tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str],
                                       doc: dict, fmt: str, as_json: bool) -> None:
    folder = tmp_path_factory.mktemp("plan")
    shutil.copytree(PLANS_DIR / "snapshots", folder / "snapshots")
    if as_json:
        path = folder / "plan.json"
        path.write_text(json.dumps(doc, default=str, allow_nan=True), encoding="utf-8")
    else:
        path = folder / "plan.toml"
        path.write_text(to_toml(doc), encoding="utf-8")
    _run_cli(["check", str(path), "--offline", "--format", fmt], capsys)


@FUZZ
@given(data=st.data(), pack=st.sampled_from(sorted(PACK_DOCS)))
def test_mutated_pack_loads_or_is_refused(tmp_path_factory: pytest.TempPathFactory, data: st.DataObject,
                                          pack: str) -> None:
    folder = tmp_path_factory.mktemp("packs")
    for path in PACK_DIR.glob("*.toml"):
        shutil.copy(path, folder / path.name)
    doc = data.draw(mutated(PACK_DOCS[pack]))
    (folder / pack).write_text(to_toml(doc), encoding="utf-8")
    try:
        policy = load_policy(folder)
    except PolicyError:
        return
    for name in sorted(PLAN_DOCS):
        evaluate(load_plan(PLANS_DIR / name), offline=True, policies=policy)


def _signals_doc() -> dict:
    plan = load_plan(PLANS_DIR / "linkedin-fake-accounts.toml")
    return json.loads(dump_signals(from_plan(plan)))


SIGNALS_DOC = _signals_doc()


@FUZZ
@given(doc=mutated(SIGNALS_DOC))
def test_mutated_signals_file_loads_or_is_refused(tmp_path_factory: pytest.TempPathFactory, doc: dict) -> None:
    path = tmp_path_factory.mktemp("signals") / "signals.json"
    path.write_text(json.dumps(doc, default=str, allow_nan=True), encoding="utf-8")
    try:
        signals = load_signals(path)
    except SignalsError:
        return
    evaluate(load_plan(PLANS_DIR / "linkedin-fake-accounts.toml"), signals=signals, offline=True)


@FUZZ
@given(raw=st.binary(max_size=512), suffix=st.sampled_from([".toml", ".json"]))
def test_plan_bytes(tmp_path_factory: pytest.TempPathFactory, raw: bytes, suffix: str) -> None:
    path = tmp_path_factory.mktemp("raw") / f"plan{suffix}"
    path.write_bytes(raw)
    with pytest.raises(ScrapecheckError):
        load_plan(path)


def _replay(kind: str) -> list[Path]:
    return sorted(p for p in (REGRESSIONS / kind).glob("*") if p.suffix in (".toml", ".json"))


@pytest.mark.parametrize("case", _replay("plan"), ids=lambda p: p.name)
def test_plan_regressions(case: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(PLANS_DIR / "snapshots", tmp_path / "snapshots")
    shutil.copy(case, tmp_path / case.name)
    for fmt in FORMATS:
        _run_cli(["check", str(tmp_path / case.name), "--offline", "--format", fmt], capsys)


@pytest.mark.parametrize("case", _replay("signals"), ids=lambda p: p.name)
def test_signals_regressions(case: Path) -> None:
    try:
        signals = load_signals(case)
    except SignalsError:
        return
    evaluate(load_plan(PLANS_DIR / "linkedin-fake-accounts.toml"), signals=signals, offline=True)
