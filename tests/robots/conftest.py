"""Shared fixtures: ``each_tier`` runs a test once per matching strategy of the rule set (issue 10)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scrapecheck.robots import _match, _policy

#: "uncompiled": prefix tree of literal heads + C-level literal prefilter; "compiled": one regex;
#: "grams": uncompiled with the q-gram prefilter used on every path longer than q; "scan": ``check`` by the
#: scan that answers before the index is built (``decide`` builds it).
TIERS = ("uncompiled", "compiled", "grams", "scan")


@pytest.fixture(params=TIERS)
def each_tier(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setattr(_match, "FORCE_TIER", request.param)
    _policy._PARSED.clear()  # the one-shot is_allowed keeps recent bodies parsed: none from another tier
    yield request.param
    _policy._PARSED.clear()
