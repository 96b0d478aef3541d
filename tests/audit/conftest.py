"""Fixtures of the audit tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .data import SIGNALS


@pytest.fixture
def signals_file(tmp_path: Path) -> Path:
    path = tmp_path / "signals.json"
    path.write_text(json.dumps(SIGNALS), encoding="utf-8")
    return path
