"""Making text from plans, sites and signals safe to show: no terminal escapes, no bidi reordering.

Used by every human-facing output (text, GitHub annotations, Markdown, the ``robots`` and ``fetch`` commands,
diagnostics on stderr). Control characters (C0, DEL, C1) and the Unicode bidirectional controls, which can
make a line read differently from what it is (CVE-2021-42574, "Trojan Source"), are shown as escapes, and so are
lone surrogates, which have no UTF-8 form.
"""

from __future__ import annotations

BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

# Each unsafe character maps to its escape, and ``str.translate`` swaps them in one pass in C. (These were
# character-class regexes: ``re`` compiles in pure Python, and a class with characters past U+00FF builds a
# 64K-entry table, a measurable part of every ``scrapecheck check`` start, issue 10.)


def _escape(code: int) -> str:
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


_CONTROLS = [*range(0x00, 0x20), *range(0x7F, 0xA0)]
_UNSAFE = {code: _escape(code) for code in [*_CONTROLS, *map(ord, BIDI)]}
_UNSAFE_KEEP_LINES = {code: escape for code, escape in _UNSAFE.items() if code != 0x0A}


def visible(text: object, *, keep_newlines: bool = False) -> str:
    """``text`` with control and bidi characters as ``\\xNN`` / ``\\uNNNN`` (newlines kept when asked), and lone
    surrogates as ``\\udcNN``: a plan file whose name is not UTF-8 comes as one (``\\udcff``, surrogateescape),
    and no file, pipe or terminal can take it raw."""
    shown = str(text).translate(_UNSAFE_KEEP_LINES if keep_newlines else _UNSAFE)
    try:
        shown.encode("utf-8")  # (in C)
    except UnicodeEncodeError:
        shown = shown.translate(_surrogates())
    return shown


_UNSAFE_IN_JSON = {code: f"\\u{code:04x}" for code in [*range(0x7F, 0xA0), *map(ord, BIDI), 0x2028, 0x2029]}
_SURROGATES: dict[int, str] = {}  # filled on first need: 2,048 entries cost 0.5 ms, and every command imports this


def json_safe(document: str) -> str:
    """Serialized JSON with DEL, C1, bidi controls, the Unicode line separators and lone surrogates as ``\\uNNNN``
    escapes (a surrogate from a URL or a plan, say "\\ud800", has no UTF-8 form: written raw, it failed the write).

    ``json.dumps`` already escapes C0; these others it writes raw, and JSON is read by people too (GitHub
    renders SARIF messages, editors show reports). Outside strings a JSON document is ASCII, so every
    match is inside a string, and the escape decodes to the same character: nothing is lost.
    """
    safe = document.translate(_UNSAFE_IN_JSON)
    try:
        safe.encode("utf-8")  # (in C, and a fraction of what made the document)
    except UnicodeEncodeError:
        safe = safe.translate(_surrogates())
    return safe


def _surrogates() -> dict[int, str]:
    if not _SURROGATES:
        _SURROGATES.update({code: f"\\u{code:04x}" for code in range(0xD800, 0xE000)})
    return _SURROGATES
