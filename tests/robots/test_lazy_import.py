"""`import scrapecheck.robots` loads the matcher only (issue 9): no pydantic, no engine, no network layer.

Run in a fresh interpreter, since this test session has long imported everything.
"""

from __future__ import annotations

import json
import subprocess
import sys

import scrapecheck


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; loaded = sorted(sys.modules); import json; print(json.dumps(loaded))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(json.loads(out))


def test_robots_import_loads_only_the_matcher() -> None:
    loaded = _modules_after("import scrapecheck.robots")
    ours = {m for m in loaded if m == "scrapecheck" or m.startswith("scrapecheck.")}
    unexpected = {m for m in ours if m not in {"scrapecheck", "scrapecheck._version"}}
    unexpected -= {m for m in ours if m == "scrapecheck.robots" or m.startswith("scrapecheck.robots._")}
    assert unexpected == set()
    assert "pydantic" not in loaded
    assert "urllib3" not in loaded
    # Nor the slower parts of the standard library: a regex is built only for the compiled tier.
    assert {"re", "typing", "dataclasses", "inspect", "functools"} & loaded == set()


def test_top_level_names_resolve_lazily() -> None:
    loaded = _modules_after("import scrapecheck")
    assert "pydantic" not in loaded and "scrapecheck.engine" not in loaded
    loaded = _modules_after("from scrapecheck import ScrapecheckError")
    assert "pydantic" not in loaded
    for name in scrapecheck.__all__:
        assert getattr(scrapecheck, name) is not None
        assert name in dir(scrapecheck)
    from scrapecheck.api import evaluate

    assert scrapecheck.evaluate is evaluate


def test_unknown_attribute_is_an_attribute_error() -> None:
    try:
        scrapecheck.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:  # pragma: no cover - the test fails here
        raise AssertionError("no AttributeError")
