"""Where a plan field is written: plan text → {field path: line}, and a finding → the line that triggered it.

A deliberately small scanner, not a TOML parser: it tracks ``[table]`` and ``[[targets]]`` headers and
``key = value`` lines (skipping multi-line strings and arrays), which is how plans are written. Paths look like
``access.authentication``, ``targets[0]`` (the ``[[targets]]`` header) and ``targets[0].url``. For JSON plans
it scans characters with a container stack, so every key gets its exact path and line. Anything it cannot place
is simply absent.
"""

from __future__ import annotations

import re
from typing import Any, Mapping, Optional, Sequence, Union

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\"]+(?: +[A-Za-z0-9_.\-\"]+)*)\s*\]\]?\s*(#.*)?$")
r"""A ``[table]`` or ``[[array]]`` header. Spaces in the name only between words: a lazy name that took spaces too,
followed by ``\s*``, tried every split of a run of spaces (quadratic: 7 s for a 60 KB line ``[a    ...x``)."""
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+(?:\s*\.\s*[A-Za-z0-9_\-]+)*)\s*=")
_JSON_KEY = re.compile(r'"([A-Za-z0-9_\-]+)"\s*:')
_STRINGS = re.compile(r'"(?:[^"\\]|\\.|\\$)*(?:"|$)|\'[^\']*(?:\'|$)|#.*')
"""Strings and the comment of a line: what is left is TOML syntax (brackets to count). A string left open runs to
the end of the line, so every match succeeds where it starts; one that had to be closed was scanned again from
each of its quotes (``# "\\"\\"...``: quadratic, 8.7 s for 40 KB)."""
_ESCAPES = re.compile(r"\\.")
"""Backslash escapes: in a basic string, an escaped quote before two more does not end a \"\"\" string."""
GATES = ("data.personal",)
"""Evidence fields that only gate a rule (``data.personal = true``); another field is the better line."""


def toml_lines(text: str) -> dict[str, int]:
    lines: dict[str, int] = {}
    table = ""
    counts: dict[str, int] = {}
    open_string: Optional[str] = None
    depth = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if open_string is not None:
            if _unescaped(line, open_string).count(open_string) % 2 == 1:
                open_string = None
            continue
        if depth > 0:  # brackets inside the array's strings do not count
            inside = _STRINGS.sub("", line)
            depth += inside.count("[") - inside.count("]")
            continue
        header = _HEADER.match(line)
        if header and not _KEY.match(line):
            name = header.group(2).replace('"', "").replace(" ", "")
            if header.group(1) == "[[":
                index = counts.get(name, 0)
                counts[name] = index + 1
                name = f"{name}[{index}]"
            table = name
            lines.setdefault(table, number)
            continue
        key = _KEY.match(line)
        if not key:
            continue
        dotted = key.group(1).replace(" ", "")
        path = f"{table}.{dotted}" if table else dotted
        lines.setdefault(path, number)
        rest = line[key.end():]
        for quote in ('"""', "'''"):
            if _unescaped(rest, quote).count(quote) % 2 == 1:
                open_string = quote
                break
        else:
            stripped = _STRINGS.sub("", rest)
            depth = max(0, stripped.count("[") - stripped.count("]"))
    return lines


def _unescaped(text: str, quote: str) -> str:
    """``text`` without backslash escapes when ``quote`` opens a basic string (a literal string has none)."""
    return _ESCAPES.sub("", text) if quote == '"""' else text


def json_lines(text: str) -> dict[str, int]:
    """Keys of a JSON plan by path (``access.authentication``, ``targets[0].url``); ``targets[i]`` is the line
    where that target's object opens. Scans characters with a container stack; strings are skipped whole."""
    lines: dict[str, int] = {}
    stack: list[list[Any]] = []  # [kind "{" or "[", current key or index]
    number, i, n = 1, 0, len(text)

    def path(extra: Any = None) -> str:
        parts = [item[1] for item in stack if item[1] is not None]
        if extra is not None:
            parts.append(extra)
        out = ""
        for part in parts:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
        return out

    while i < n:
        char = text[i]
        if char == "\n":
            number += 1
        elif char == '"':
            j, start_line = i + 1, number
            while j < n and text[j] != '"':
                if text[j] == "\\":
                    j += 1
                elif text[j] == "\n":
                    number += 1
                j += 1
            word = text[i + 1:j]
            k = j + 1
            while k < n and text[k] in " \t\r\n":
                k += 1
            if stack and stack[-1][0] == "{" and k < n and text[k] == ":":
                stack[-1][1] = word
                lines.setdefault(path(), start_line)
            i = j
        elif char == "{" or char == "[":
            if stack and stack[-1][0] == "[":
                stack[-1][1] = stack[-1][1] + 1 if isinstance(stack[-1][1], int) else 0
                lines.setdefault(path(), number)
            stack.append([char, None])
        elif char in "}]":
            if stack:
                stack.pop()
        i += 1
    return lines


def plan_lines(text: str, suffix: str) -> dict[str, int]:
    """``suffix`` is the plan file's (``.toml`` or ``.json``)."""
    return json_lines(text) if suffix.lower() == ".json" else toml_lines(text)


def target_indexes(targets: Sequence[str]) -> dict[str, int]:
    """Target URL -> its index among the plan's targets (the first, for a URL listed twice, as ``list.index``)."""
    indexes: dict[str, int] = {}
    for index, url in enumerate(targets):
        indexes.setdefault(url, index)
    return indexes


def finding_line(evidence: Mapping[str, Any], target: Optional[str],
                 plan_targets: Union[Sequence[str], Mapping[str, int]], lines: Mapping[str, int]) -> Optional[int]:
    """The line of the field that triggered a finding, or of its target, or None.

    ``plan_targets`` is the plan's target URLs, or :func:`target_indexes` of them: formats build that once per
    report (searching the list for every finding made a plan's report quadratic in its targets).

    Order: a target's own field named in the evidence (``requests_per_second``), a plan field named in the
    evidence (gate fields such as ``data.personal`` last), the target's ``url`` line, the first field's table.
    """
    if not lines:
        return None
    if isinstance(plan_targets, Mapping):
        index = plan_targets.get(target) if target is not None else None
    else:
        index = plan_targets.index(target) if target is not None and target in plan_targets else None
    keys = sorted(evidence, key=lambda key: key in GATES)
    if index is not None:
        for key in keys:
            line = lines.get(f"targets[{index}].{key}")
            if line:
                return line
    for key in keys:
        if "." in key and key in lines:
            return lines[key]
    if index is not None:
        for path in (f"targets[{index}].url", f"targets[{index}]"):
            if path in lines:
                return lines[path]
    for key in keys:
        if "." in key and key.split(".", 1)[0] in lines:
            return lines[key.split(".", 1)[0]]
    return None
