"""Configuration for ``scrapecheck check``: defaults < config file < command line, each value with its origin.

The config file is the first found walking up from the current directory: a ``scrapecheck.toml`` (top-level
keys), else a ``pyproject.toml`` that has a ``[tool.scrapecheck]`` table (a ``pyproject.toml`` without one is
passed over). ``--config FILE`` names one explicitly; ``--isolated`` ignores them all. Keys mirror the long
options, in kebab-case (``fail-on``; ``fail_on`` is accepted too). Paths are relative to the config file.
An unknown key or a bad value is a ConfigError naming the file and the key.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence, Union

from ._files import load_document, unicode_name
from .errors import InputError
from .formats import FORMAT_NAMES
from .report import Severity

SEVERITY_NAMES = tuple(severity.value for severity in Severity)
CONFIG_FILE = "scrapecheck.toml"
PYPROJECT = "pyproject.toml"
DEFAULT = "default"


class ConfigError(InputError):
    """A configuration file that does not load or validate."""


@dataclass(frozen=True)
class Settings:
    """The effective options of one ``check`` run and, per option, where its value came from."""

    format: str = "text"
    fail_on: str = "high"
    offline: bool = False
    quiet: bool = False
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    waivers: Optional[str] = None
    baseline: Optional[str] = None
    signals: Optional[str] = None
    output: tuple[str, ...] = ()
    """``[FORMAT:]PATH`` specs; see :func:`split_output`."""
    origins: Mapping[str, str] = field(default_factory=dict)
    config_file: Optional[str] = None

    def origin(self, name: str) -> str:
        return self.origins.get(name, DEFAULT)


# option name (dataclass field) -> the key spelled in config files
KEYS = {
    "format": "format",
    "fail_on": "fail-on",
    "offline": "offline",
    "quiet": "quiet",
    "select": "select",
    "ignore": "ignore",
    "waivers": "waivers",
    "baseline": "baseline",
    "signals": "signals",
    "output": "output",
}
_BY_KEY = {key: name for name, key in KEYS.items()} | {name: name for name in KEYS}
_PATHS = {"waivers", "baseline", "signals"}


def split_output(spec: str, where: str = "--output") -> tuple[Optional[str], str]:
    """``"sarif:out/x.sarif"`` -> ``("sarif", "out/x.sarif")``; ``"report.txt"`` -> ``(None, "report.txt")``.

    A prefix is a format name when it is one of the registry's; a one-letter prefix is a Windows drive; any
    other word before ``:`` is an unknown format (an error), so a typo does not become a file name.
    """
    head, colon, tail = spec.partition(":")
    if not colon or len(head) <= 1 or not head.isalpha() or tail.startswith("//"):
        path = spec
        fmt = None
    else:
        fmt = head.lower()
        if fmt not in FORMAT_NAMES:
            raise ConfigError(where, "output", f"unknown format {head!r} in {spec!r} (formats: "
                                               f"{', '.join(FORMAT_NAMES)})")
        path = tail
    if not path.strip():
        raise ConfigError(where, "output", f"{spec!r} names no file")
    return fmt, path


def _read_toml(path: Path) -> dict[str, Any]:
    data = load_document(path, ConfigError)
    if not isinstance(data, dict):  # pragma: no cover - TOML documents are always tables
        raise ConfigError(str(path), "", "not a table")
    return data


def _table(path: Path) -> Optional[dict[str, Any]]:
    """The scrapecheck table of a config file, or None for a pyproject.toml without one."""
    data = _read_toml(path)
    if path.name == PYPROJECT:
        tool = data.get("tool", {})
        table = tool.get("scrapecheck") if isinstance(tool, dict) else None
        if table is None:
            return None
        if not isinstance(table, dict):
            raise ConfigError(str(path), "tool.scrapecheck", "must be a table")
        return table
    return data


def discover(start: Union[str, Path]) -> Optional[Path]:
    """The nearest ``scrapecheck.toml`` or ``pyproject.toml`` with ``[tool.scrapecheck]``, from ``start`` up."""
    directory = Path(start).resolve()
    for folder in (directory, *directory.parents):
        candidate = folder / CONFIG_FILE
        if candidate.is_file():
            return candidate
        candidate = folder / PYPROJECT
        if candidate.is_file() and _table(candidate) is not None:
            return candidate
    return None


def _specs(value: Any, where: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(where, key, "must be a list of rule ids, prefixes or categories")
    return tuple(part.strip() for item in value for part in item.split(",") if part.strip())


def parse(table: Mapping[str, Any], path: Union[str, Path]) -> dict[str, Any]:
    """Validate a config table; returns option name -> value (paths resolved against the file's folder)."""
    path = Path(path)
    where = str(path)
    prefix = "tool.scrapecheck." if path.name == PYPROJECT else ""
    values: dict[str, Any] = {}
    spelled: dict[str, str] = {}
    for key, value in table.items():
        name = _BY_KEY.get(key)
        shown = f"{prefix}{key}"
        if name is None:
            allowed = ", ".join(KEYS.values())
            raise ConfigError(where, shown, f"unknown key (allowed: {allowed})")
        if name in spelled:
            raise ConfigError(where, shown, f"set twice (also as {prefix}{spelled[name]})")
        spelled[name] = key
        if name == "format":
            if value not in FORMAT_NAMES:
                raise ConfigError(where, shown, f"must be one of {', '.join(FORMAT_NAMES)}, not {value!r}")
        elif name == "fail_on":
            if not isinstance(value, str) or value.strip().lower() not in SEVERITY_NAMES:
                raise ConfigError(where, shown, f"must be one of {', '.join(SEVERITY_NAMES)}, not {value!r}")
            value = value.strip().lower()
        elif name in ("offline", "quiet"):
            if not isinstance(value, bool):
                raise ConfigError(where, shown, f"must be true or false, not {value!r}")
        elif name in ("select", "ignore"):
            value = _specs(value, where, shown)
        elif name == "output":
            specs = [value] if isinstance(value, str) else value
            if not isinstance(specs, list) or not specs or not all(isinstance(v, str) and v.strip() for v in specs):
                raise ConfigError(where, shown, "must be a path or a list of [FORMAT:]PATH strings")
            resolved = []
            for spec in specs:
                fmt, target = split_output(spec, where)
                target = str(path.parent / target)
                resolved.append(f"{fmt}:{target}" if fmt else target)
            value = tuple(resolved)
        elif name in _PATHS:
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(where, shown, "must be a path (a non-empty string)")
            value = str(path.parent / value)
        values[name] = value
    return values


def load(path: Union[str, Path]) -> dict[str, Any]:
    """Read and validate one config file (``scrapecheck.toml`` or a ``pyproject.toml``)."""
    path = Path(path)
    table = _table(path)
    if table is None:
        raise ConfigError(str(path), "tool.scrapecheck", "no [tool.scrapecheck] table in this file")
    return parse(table, path)


def resolve(cli: Mapping[str, Any], *, config: Optional[Union[str, Path]] = None, isolated: bool = False,
            cwd: Union[str, Path] = ".") -> Settings:
    """Defaults, overridden by the config file, overridden by ``cli`` (option name -> value, None = not given)."""
    settings = Settings()
    origins: dict[str, str] = {}
    path: Optional[Path] = None
    if config is not None:
        path = Path(config)
    elif not isolated:
        path = discover(cwd)
    updates: dict[str, Any] = {}
    if path is not None:
        label = f"{path} [tool.scrapecheck]" if path.name == PYPROJECT else str(path)
        for name, value in load(path).items():
            updates[name] = value
            origins[name] = label
    for name in KEYS:
        value = cli.get(name)
        if value is None:
            continue
        if name in ("select", "ignore", "output"):
            value = tuple(value)
        updates[name] = value
        origins[name] = "command line"
    return replace(settings, **updates, origins=origins, config_file=str(path) if path else None)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(item) for item in value) + "]"
    if value is None:
        return '""'
    import json

    from .formats._escape import json_safe

    # A JSON string with control, DEL, C1 and bidi characters escaped is a TOML basic string: the printed
    # configuration reads back as it is, and nothing from a file or an argument drives the terminal.
    return json_safe(json.dumps(unicode_name(str(value)), ensure_ascii=False))


def _comment(text: object) -> str:
    from .formats._escape import visible

    return visible(unicode_name(str(text)))


def render(settings: Settings, plans: Sequence[str] = ()) -> str:
    """The effective configuration as TOML, each line commented with where its value came from."""
    lines = ["# effective configuration of 'scrapecheck check'",
             f"# config file: {_comment(settings.config_file or 'none found')}"]
    if plans:
        lines.append(f"# plans: {_comment(', '.join(plans))}")
    lines.append("")
    rows = []
    for name, key in KEYS.items():
        value = getattr(settings, name)
        if value is None or (name == "output" and not value):
            rows.append((f"# {key} = (not set)", settings.origin(name)))
        else:
            rows.append((f"{key} = {_toml_value(value)}", settings.origin(name)))
    width = max(len(text) for text, _ in rows)
    lines += [f"{text:<{width}}  # {_comment(origin)}" for text, origin in rows]
    return "\n".join(lines) + "\n"


__all__ = ["ConfigError", "Settings", "discover", "load", "parse", "render", "resolve", "split_output"]
