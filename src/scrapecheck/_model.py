"""The one base of the package's pydantic models: frozen values that refuse unknown keys."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """Immutable (change one with ``model_copy(update=...)``) and strict about keys (``extra="forbid"``).

    Validators and serializers are built when a model is first used (``defer_build``), not when its module is
    imported: a run pays only for the models it validates (issue 10: building all of them at import was a
    large part of ``scrapecheck check``; the shipped packs, for one, are never validated at run time)."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def empty_list() -> list[Any]:
    """``default_factory`` for list fields. A Python function, not ``list``: pydantic reads a factory's signature
    when it builds a model, and for a builtin that means parsing its text signature (tokenize and ast) each time,
    milliseconds of every start (issue 10)."""
    return []


def empty_dict() -> dict[Any, Any]:
    """``default_factory`` for dict fields; see :func:`empty_list`."""
    return {}

