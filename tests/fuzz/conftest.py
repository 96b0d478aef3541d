"""Fuzzing budget: small inside the suite, deep on demand.

``pytest tests/fuzz`` runs a few dozen examples per target so CI stays fast. ``SCRAPECHECK_FUZZ=deep pytest
tests/fuzz`` runs thousands (``SCRAPECHECK_FUZZ_EXAMPLES=N`` sets the count exactly). A crash found either way is
minimised by hypothesis; add that input to ``tests/fuzz/regressions/<target>/`` so every later run replays it.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_DEEP = os.environ.get("SCRAPECHECK_FUZZ", "").lower() == "deep"
_EXAMPLES = int(os.environ.get("SCRAPECHECK_FUZZ_EXAMPLES", "3000" if _DEEP else "40"))

settings.register_profile(
    "scrapecheck-fuzz",
    max_examples=_EXAMPLES,
    deadline=None,
    derandomize=not _DEEP,  # the suite's runs are reproducible; deep runs explore
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    database=None,
)
FUZZ = settings.get_profile("scrapecheck-fuzz")
