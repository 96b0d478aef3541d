"""URL -> origin at dataset speed: the scheme and authority are cut off with one regex and looked up in a
bounded cache, so the canonical (IDNA-aware, validating) origin function runs once per distinct authority.
"""

from __future__ import annotations

import re
from typing import Callable, Optional

from ..errors import InputError

_HEAD = re.compile(r"[ \t]*([A-Za-z][A-Za-z0-9+.\-]*://[^/?#\\]*)")
_PLAIN = re.compile(r"https?://(?=[a-z0-9.-]*[a-z])[a-z0-9-]+(?:\.[a-z0-9-]+)*\Z")
"""A head that is already its own canonical origin: lower-case ASCII name (not an IP address, no port, no
trailing dot); with no ``xn--`` label (those are shown in Unicode) it needs no IDNA or URL parsing."""


def _canonical_origin(url: str) -> str:
    """The project's one origin function (lazily imported: it pulls in ``idna``)."""
    from .._url import origin

    return origin(url)


class OriginCache:
    """Maps a URL to ``(origin, None)`` or ``(None, reason)``; remembers at most ``limit`` authorities."""

    __slots__ = ("_cache", "_limit", "_canonical")

    def __init__(self, limit: int = 100_000, canonical: Optional[Callable[[str], str]] = None) -> None:
        self._cache: dict[str, tuple[Optional[str], Optional[str]]] = {}
        self._limit = limit
        self._canonical = canonical or _canonical_origin

    def __call__(self, url: str) -> tuple[Optional[str], Optional[str]]:
        m = _HEAD.match(url)
        if m is None:
            return None, "not an absolute http(s) URL"
        head = m.group(1)
        hit = self._cache.get(head)
        if hit is not None:
            return hit
        try:
            if _PLAIN.match(head) is not None and "xn--" not in head:
                result: tuple[Optional[str], Optional[str]] = (head, None)
            else:
                result = (self._canonical(head), None)
        except InputError as exc:
            result = (None, exc.message)
        except (ValueError, UnicodeError) as exc:
            result = (None, f"not a valid URL ({exc})")
        if len(self._cache) >= self._limit:
            self._cache.clear()
        self._cache[head] = result
        return result


__all__ = ["OriginCache"]
