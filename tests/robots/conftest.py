"""Shared fixtures: ``each_tier`` runs a test once per matching strategy of the rule set (issue 10)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scrapecheck.robots import _match, _policy

#: "uncompiled": prefix tree of literal heads + C-level literal prefilter; "compiled": one regex;
#: "grams": uncompiled with the q-gram prefilter used on every path longer than q.
TIERS = ("uncompiled", "compiled", "grams")


@pytest.fixture(params=TIERS)
def each_tier(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(_match, "FORCE_TIER", request.param)
    _policy._PARSED.clear()  # the one-shot is_allowed keeps recent bodies parsed: none from another tier
    yield request.param
    _policy._PARSED.clear()
