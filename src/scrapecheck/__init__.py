"""scrapecheck: will this crawl break a site's stated policy or the law? Findings with evidence and sources.

The public API is ``__all__``; everything else may change.

Names are exported lazily (PEP 562), so ``import scrapecheck.robots`` does not pay for pydantic, the
engine and the API: a crawler that wants only the matcher loads only the matcher. To export a name, add
it to ``_EXPORTS`` (name -> submodule), to ``__all__`` and to the ``TYPE_CHECKING`` imports.
"""

from __future__ import annotations

import importlib

from ._version import __version__

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (import time, issue 9)
if TYPE_CHECKING:
    from typing import Any

    from .api import evaluate
    from .audit import audit
    from .errors import InputError, PlanError, PolicyError, ScrapecheckError, SignalError
    from .guard import Decision, Guard
    from .plan import CrawlPlan, load_plan
    from .report import Category, Finding, Report, Severity

# name -> submodule (relative to this package) that defines it
_EXPORTS: dict[str, str] = {
    "Category": "report",
    "CrawlPlan": "plan",
    "Decision": "guard",
    "Finding": "report",
    "Guard": "guard",
    "InputError": "errors",
    "PlanError": "errors",
    "PolicyError": "errors",
    "Report": "report",
    "ScrapecheckError": "errors",
    "audit": "audit",
    "Severity": "report",
    "SignalError": "errors",
    "evaluate": "api",
    "load_plan": "plan",
}

__all__ = [
    "Category",
    "CrawlPlan",
    "Decision",
    "Finding",
    "Guard",
    "InputError",
    "PlanError",
    "PolicyError",
    "Report",
    "ScrapecheckError",
    "Severity",
    "SignalError",
    "__version__",
    "audit",
    "evaluate",
    "load_plan",
]


def __getattr__(name: str) -> Any:
    """Import the submodule that defines ``name`` on first access, then cache the value here."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
