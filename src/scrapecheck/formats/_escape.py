"""Making text from plans, sites and signals safe to show: no terminal escapes, no bidi reordering.

Used by every human-facing output (text, GitHub annotations, Markdown, the ``robots`` and ``fetch`` commands,
diagnostics on stderr). Control characters (C0, DEL, C1) and the Unicode bidirectional controls, which can
make a line read differently from what it is (CVE-2021-42574, "Trojan Source"), are shown as escapes.
"""

from __future__ import annotations

import re

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{BIDI}]")
_UNSAFE_KEEP_LINES = re.compile(f"[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f{BIDI}]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` with control and bidi characters as ``\\xNN`` / ``\\uNNNN`` (newlines kept when asked)."""
    pattern = _UNSAFE_KEEP_LINES if keep_newlines else _UNSAFE
    return pattern.sub(_escape, str(text))


_UNSAFE_IN_JSON = re.compile(f"[\\x7f-\\x9f{BIDI}\\u2028\\u2029]")


def json_safe(document: str) -> str:
    """Serialized JSON with DEL, C1, bidi controls and the Unicode line separators as ``\\uNNNN`` escapes.

    ``json.dumps`` already escapes C0; these others it writes raw, and JSON is read by people too (GitHub
    renders SARIF messages, editors show reports). Outside strings a JSON document is ASCII, so every
    match is inside a string, and the escape decodes to the same character: nothing is lost.
    """
    return _UNSAFE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", document)
