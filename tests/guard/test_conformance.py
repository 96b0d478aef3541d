"""The Guard decides exactly as ``is_allowed`` on every case of the robots conformance suite.

The cases are harvested by running tests/robots/test_google_conformance.py's test functions with its
``check`` helper, ``is_allowed`` and ``RobotsPolicy`` wrapped to record (robots.txt, agent, URL, answer).
Each case then goes through a recorded-mode Guard (``Guard.from_robots``), twice: uncached, then routed from the
cache by its authority and matched by path; parsing, origin routing, the prefix cache and the shared decisions all
sit between the file and the answer.
"""

from __future__ import annotations

import importlib.util
import inspect
from pathlib import Path
from typing import Any, Iterator

import pytest

from scrapecheck import Guard
from scrapecheck.errors import InputError
from scrapecheck.robots import is_allowed

_SUITE = Path(__file__).resolve().parent.parent / "robots" / "test_google_conformance.py"
_spec = importlib.util.spec_from_file_location("_guard_conformance_cases", _SUITE)
assert _spec is not None and _spec.loader is not None
conformance = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(conformance)

Case = tuple[Any, str, str]


class _RecordingPolicy:
    """Stands in for RobotsPolicy inside the conformance module: same answers, each one recorded."""

    cases: list[Case] = []

    def __init__(self, robots: Any, real: Any) -> None:
        self._robots, self._real = robots, real

    @classmethod
    def parse(cls, robots: Any) -> "_RecordingPolicy":
        return cls(robots, conformance_policy.parse(robots))

    def is_allowed(self, agent: str, url: str) -> bool:
        self.cases.append((self._robots, agent, url))
        return self._real.is_allowed(agent, url)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._real, name)


conformance_policy = conformance.RobotsPolicy


def _expand(fn: Any) -> Iterator[dict[str, Any]]:
    combos: list[dict[str, Any]] = [{}]
    for mark in getattr(fn, "pytestmark", []):
        if mark.name != "parametrize":
            continue
        names = mark.args[0]
        names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
        values = [getattr(v, "values", v) for v in mark.args[1]]
        combos = [{**c, **dict(zip(names, v if len(names) > 1 else (v,)))} for c in combos for v in values]
    yield from combos


def _harvest() -> list[Case]:
    cases: list[Case] = []
    patch = pytest.MonkeyPatch()
    try:
        patch.setattr(conformance, "check", lambda robots, agent, url, expected: cases.append((robots, agent, url)))
        patch.setattr(conformance, "is_allowed",
                      lambda robots, agent, url: cases.append((robots, agent, url)) or is_allowed(robots, agent, url))
        _RecordingPolicy.cases = cases
        patch.setattr(conformance, "RobotsPolicy", _RecordingPolicy)
        for name, fn in inspect.getmembers(conformance, inspect.isfunction):
            if not name.startswith("test_"):
                continue
            for kwargs in _expand(fn):
                try:
                    fn(**kwargs)
                except Exception:  # noqa: BLE001 - a test that needs a fixture; its recorded cases still count
                    pass
    finally:
        patch.undo()
    unique: dict[tuple[Any, str, str], None] = {}
    for robots, agent, url in cases:
        unique.setdefault((robots, agent, url), None)
    return list(unique)


CASES = _harvest()
BASE = "http://foo.bar"


def _absolute(url: str) -> str:
    """The absolute URL a crawler would hold for a case given as a path, '//host/path' or 'host/path'."""
    if url.lower().startswith(("http://", "https://")):
        return url
    if url.startswith("//"):
        return "http:" + url
    if url.startswith("/") or not url:
        return BASE + (url or "/")
    return "http://" + url


def test_the_harvest_is_the_whole_suite() -> None:
    assert len(CASES) >= 150
    assert sum(not u.startswith("http") for _, _, u in CASES) >= 1  # paths are checked too


def test_guard_agrees_with_is_allowed_on_every_conformance_case() -> None:
    disagreements, refused_inputs = [], []
    for robots, agent, url in CASES:
        expected = is_allowed(robots, agent, url)
        target = _absolute(url)
        try:
            guard = Guard.from_robots(agent, "other", {target: robots})
        except InputError:
            refused_inputs.append(agent)
            continue
        decision = guard.check(target)
        again = guard.check(target)  # the origin cached: routed by its authority, matched by path
        if decision.allowed is not expected or again.allowed is not expected:
            disagreements.append((robots, agent, url, expected))
        if not expected:
            assert decision.reasons[0].rule_id == "ROB-001" and again.reasons == decision.reasons
    assert not disagreements
    # The only inputs a Guard refuses to be built with: a User-Agent with no product token.
    assert set(refused_inputs) <= {""}
    assert len(CASES) - len(refused_inputs) >= 150
