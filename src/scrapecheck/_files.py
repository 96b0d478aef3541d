"""Reading the files users give us (plans, waivers, signals, config, packs) with one set of clear errors.

Every problem becomes the caller's InputError subclass naming the file and, for validation, the field path.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Mapping, Sequence, Union

from pydantic import ValidationError

from .errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib


def read_text(path: Path, error: type[InputError]) -> str:
    """The file as text (UTF-8, an initial BOM dropped)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise error(str(path), "", "no such file") from None
    except IsADirectoryError:
        raise error(str(path), "", "is a directory, not a file") from None
    except OSError as exc:
        raise error(str(path), "", f"cannot read: {exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(str(path), "", f"not UTF-8 text (byte {exc.start})") from None


MAX_DEPTH = 64
"""Deepest nesting of tables and arrays accepted in a user file; ours need a handful of levels."""


def _depth_over(data: Any, limit: int) -> bool:
    """True when ``data`` nests dicts and lists more than ``limit`` levels deep (iterative: no recursion)."""
    stack = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def load_document(path: Union[str, Path], error: type[InputError]) -> Any:
    """A ``.toml`` or ``.json`` file decoded; the suffix decides the syntax.

    Nesting deeper than :data:`MAX_DEPTH` (or too deep for the decoder) is the caller's error, "nested too deeply".
    """
    path = Path(path)
    data = _decode(path, error)
    if _depth_over(data, MAX_DEPTH):
        raise error(str(path), "", f"nested too deeply (more than {MAX_DEPTH} levels of tables or arrays)")
    return data


def _decode(path: Path, error: type[InputError]) -> Any:
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise error(str(path), "", "the file must end in .toml or .json")
    text = read_text(path, error)
    if suffix == ".toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise error(str(path), "", f"invalid TOML: {exc}") from None
        except RecursionError:
            raise error(str(path), "", "invalid TOML: nested too deeply") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(str(path), "", f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise error(str(path), "", "invalid JSON: nested too deeply") from None


def field_path(loc: Sequence[Union[int, str]]) -> str:
    """``("targets", 0, "url")`` → ``targets[0].url``."""
    parts: list[str] = []
    for item in loc:
        parts.append(f"[{item}]" if isinstance(item, int) else ("." if parts else "") + str(item))
    return "".join(parts)


def problem_message(error: Mapping[str, Any]) -> str:
    """pydantic's message in our words: "unknown key", "required key missing", or its text without prefix."""
    if error["type"] == "extra_forbidden":
        return "unknown key"
    if error["type"] == "missing":
        return "required key missing"
    message = str(error["msg"])
    return message[len("Value error, "):] if message.startswith("Value error, ") else message


def problems(exc: ValidationError) -> list[tuple[str, str]]:
    """Every (field path, message) of a validation error, in pydantic's order."""
    return [(field_path(error["loc"]), problem_message(error)) for error in exc.errors()]


def first_problem(exc: ValidationError) -> tuple[str, str]:
    """The first problem, its message noting how many more there are."""
    found = problems(exc)
    path, message = found[0]
    more = len(found) - 1
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    return path, message
