"""Output formats. Each renders a Report to text and knows nothing else: no engine, no files, no clock."""

from __future__ import annotations

from typing import Callable

from ..report import Report
from . import json, text

FORMATS: dict[str, Callable[[Report], str]] = {
    "text": text.render,
    "json": json.render,
}

__all__ = ["FORMATS"]
