"""Dataset audit: for every URL of a corpus, may each agent use it for the purpose, and on what evidence?

Streaming, one row per URL in input order, bounded per-origin state; see ``docs/audit.md`` for the columns.
:func:`audit` yields rows; :func:`audit_column` takes a pandas or polars column; the CLI is
``scrapecheck audit`` (:mod:`scrapecheck.audit.run`), and ``--engine dask`` scales out
(:mod:`scrapecheck.audit.dask_engine`).
"""

import sys as _sys
import types as _types
from typing import Any as _Any

from .api import AgentVerdict, AuditRow, audit, audit_column

__all__ = ["AgentVerdict", "AuditRow", "audit", "audit_column"]


class _CallableModule(_types.ModuleType):
    """``scrapecheck.audit`` is both this package and the function: importing a submodule
    (``scrapecheck.audit.run``) rebinds the parent's attribute to the package, so the package calls
    :func:`audit` too and ``from scrapecheck import audit; audit(urls, ...)`` works either way."""

    def __call__(self, *args: _Any, **kwargs: _Any) -> _Any:
        return audit(*args, **kwargs)


_sys.modules[__name__].__class__ = _CallableModule
