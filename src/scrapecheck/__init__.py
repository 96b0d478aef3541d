"""scrapecheck: will this crawl break a site's stated policy or the law? Findings with evidence and sources.

The public API is ``__all__``; everything else may change.
"""

from ._version import __version__
from .api import evaluate
from .errors import InputError, PlanError, PolicyError, ScrapecheckError, SignalError
from .plan import CrawlPlan, load_plan
from .report import Category, Finding, Report, Severity

__all__ = [
    "Category",
    "CrawlPlan",
    "Finding",
    "InputError",
    "PlanError",
    "PolicyError",
    "Report",
    "ScrapecheckError",
    "Severity",
    "SignalError",
    "__version__",
    "evaluate",
    "load_plan",
]
