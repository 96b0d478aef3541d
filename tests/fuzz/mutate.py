"""Structure-aware mutation of decoded documents (plans, packs, signals) and a TOML writer for the results.

A mutation keeps most of a valid document and breaks one place in it: a value of the wrong type or an extreme
one, a key removed, a key added, a list emptied or grown. That reaches the validators' corners far more often
than random bytes, which mostly stop at the TOML or JSON syntax check.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from hypothesis import strategies as st

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.sampled_from(["true", "yes", "1", "", " ", "\x1b[31m", "a\r\nX-Injected: 1", "\u202eevil", "..", "/etc/passwd",
                     ".git/config", "snapshots/../../x", "http://[bad/", "https://127.0.0.1/", "https://bücher.de/",
                     "ftp://x/", "https://user:pw@x.example/", "high", "critical", "ACC-001", "*", "nan"]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 1, 2**31, 2**63, 10**30]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
)
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=3)),
                      max_leaves=8)


def _containers(doc: Any, path: tuple = ()) -> list[tuple]:
    """Paths of every dict and list in ``doc`` (the root included)."""
    found: list[tuple] = []
    stack = [(doc, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, dict):
            found.append(where)
            stack.extend((value, where + (key,)) for key, value in item.items())
        elif isinstance(item, list):
            found.append(where)
            stack.extend((value, where + (index,)) for index, value in enumerate(item))
    return found


def _get(doc: Any, path: tuple) -> Any:
    for part in path:
        doc = doc[part]
    return doc


@st.composite
def mutated(draw: st.DrawFn, doc: Any, max_mutations: int = 3) -> Any:
    """``doc`` (a fresh deep copy) with one to ``max_mutations`` local mutations."""
    doc = json.loads(json.dumps(doc, default=str))
    for _ in range(draw(st.integers(1, max_mutations))):
        paths = _containers(doc)
        where = draw(st.sampled_from(paths))
        box = _get(doc, where)
        keys = list(box.keys()) if isinstance(box, dict) else list(range(len(box)))
        action = draw(st.sampled_from(["replace", "replace", "replace", "delete", "add", "duplicate"]))
        if action == "add" or not keys:
            if isinstance(box, dict):
                box[draw(st.sampled_from(keys + ["unknown", "x"]) if keys else st.just("unknown"))] = draw(VALUES)
            else:
                box.append(draw(VALUES))
            continue
        key = draw(st.sampled_from(keys))
        if action == "replace":
            box[key] = draw(VALUES)
        elif action == "delete":
            del box[key]
        elif isinstance(box, list):
            box.append(box[key])
        else:
            box[f"{key}_"] = box[key]
    return doc


def _toml_key(key: str) -> str:
    return json.dumps(key, ensure_ascii=False)


def toml_value(value: Any) -> str:
    """One TOML value, inline; ``None`` has no TOML form, so callers drop or stringify it first."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value if item is not None) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(k)} = {toml_value(v)}" for k, v in value.items() if v is not None) + "}"
    raise TypeError(type(value))


def to_toml(doc: dict[str, Any]) -> str:
    """A whole document as top-level ``key = value`` lines (inline tables throughout; valid TOML 1.0)."""
    return "".join(f"{_toml_key(key)} = {toml_value(value)}\n" for key, value in doc.items() if value is not None)
