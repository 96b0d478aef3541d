"""The one base of the package's pydantic models: frozen values that refuse unknown keys."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """Immutable (change one with ``model_copy(update=...)``) and strict about keys (``extra="forbid"``)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
