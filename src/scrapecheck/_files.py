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


def load_document(path: Union[str, Path], error: type[InputError]) -> Any:
    """A ``.toml`` or ``.json`` file decoded; the suffix decides the syntax."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise error(str(path), "", "the file must end in .toml or .json")
    text = read_text(path, error)
    if suffix == ".toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise error(str(path), "", f"invalid TOML: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise error(str(path), "", f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None


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
