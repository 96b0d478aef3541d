"""What a robots.txt fetch means under RFC 9309 §2.3.1, as a pure function of the facts (no network).

:data:`OUTCOME_TABLE` is the whole reading, top to bottom, first match wins; :func:`interpret_robots` applies
it to a :class:`~.client.Response` and adds the body sniffing (HTML, binary, non-UTF-8). Outcomes and their
RFC 9309 class (:data:`RFC9309_CLASS`):

========================================  ==============  ============  =================================
facts                                     outcome         RFC 9309      rules read
========================================  ==============  ============  =================================
more than 5 redirects, a redirect loop    ``not-found``   unavailable   none (§2.3.1.2, as Google)
any other failure (DNS, connect, TLS,     ``unreachable`` unreachable   complete disallow (§2.3.1.4)
timeout, deadline, reset, refused
address, bad redirect)
2xx, HTML page                            ``html``        success       none (reported)
2xx                                       ``ok``          success       the body
401, 403                                  ``refused``     unavailable   none, access refused (§2.3.1.3)
429                                       ``unreachable`` unreachable   complete disallow (Google; §2.3.1.3
                                                                        would read it as unavailable)
other 4xx                                 ``not-found``   unavailable   none (§2.3.1.3)
5xx                                       ``unreachable`` unreachable   complete disallow (§2.3.1.4)
anything else (1xx, 3xx left over)        ``unreachable`` unreachable   complete disallow
========================================  ==============  ============  =================================
"""

from __future__ import annotations

import base64
import hashlib
from typing import Callable, Literal, Optional

from .client import Response
from .model import RobotsOutcome, RobotsSignal

Rfc9309Class = Literal["success", "unavailable", "unreachable"]
RFC9309_CLASS: dict[str, Rfc9309Class] = {
    "ok": "success", "html": "success", "not-found": "unavailable", "refused": "unavailable",
    "unreachable": "unreachable",
}
"""Our outcomes in RFC 9309's three classes (§2.3.1.1 success, §2.3.1.3 unavailable, §2.3.1.4 unreachable)."""

_Facts = Callable[[Optional[int], Optional[str]], bool]


def _status(low: int, high: int) -> _Facts:
    return lambda status, kind: kind is None and status is not None and low <= status <= high


OUTCOME_TABLE: tuple[tuple[str, _Facts, RobotsOutcome, str], ...] = (
    ("redirects exhausted", lambda s, k: k in ("redirect-loop", "too-many-redirects"), "not-found",
     "robots.txt not reached ({error}): RFC 9309 2.3.1.2 lets a crawler then assume robots.txt is unavailable "
     "(2.3.1.3), read as no rules, as Google does"),
    ("fetch failed", lambda s, k: k is not None, "unreachable",
     "robots.txt unreachable ({error}): RFC 9309 2.3.1.4, read as complete disallow"),
    ("2xx", _status(200, 299), "ok", ""),
    ("401/403", lambda s, k: k is None and s in (401, 403), "refused",
     "robots.txt refused (HTTP {status}): no rules by RFC 9309 2.3.1.3, but access is refused"),
    ("429", lambda s, k: k is None and s == 429, "unreachable",
     "robots.txt rate-limited (HTTP 429): read as complete disallow, like a server error"),
    ("4xx", _status(400, 499), "not-found", "robots.txt not found (HTTP {status}): RFC 9309 2.3.1.3, no restrictions"),
    ("5xx", _status(500, 599), "unreachable",
     "robots.txt server error (HTTP {status}): RFC 9309 2.3.1.4, read as complete disallow"),
    ("other", lambda s, k: True, "unreachable", "robots.txt answered HTTP {status}: read as complete disallow"),
)
"""(name, test on (status, error_kind), outcome, problem template). First match wins; see the module doc."""


def classify(status: Optional[int], error_kind: Optional[str]) -> tuple[RobotsOutcome, str]:
    """The outcome and problem template for a status (or a failure kind) before the body is looked at."""
    for _name, test, outcome, template in OUTCOME_TABLE:
        if test(status, error_kind):
            return outcome, template
    raise AssertionError("OUTCOME_TABLE ends with a catch-all")  # pragma: no cover


def looks_html(body: bytes, content_type: str = "") -> bool:
    """An HTML page (a soft 404, a login or error page) rather than robots.txt rules."""
    head = body[:4096].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if not head.startswith(b"<"):
        return False
    if "html" in content_type:
        return True
    return any(marker in head for marker in (b"<!doctype html", b"<html", b"<head", b"<body", b"<title", b"<meta"))


def looks_binary(body: bytes, content_type: str = "") -> bool:
    """Not text: a compressed or image signature, or mostly control bytes.

    The bytes decide, not the media type (``content_type`` is accepted and not used): Google's parser reads whatever
    the body holds, so rules served as ``application/octet-stream`` are obeyed, and reading them as none would let a
    crawler fetch what they disallow. A stray NUL does not make a file binary either: Google's parser reads each
    line as a C string, so a NUL only ends its line. UTF-16 text, half NULs, counts as binary, as it holds no rule
    Google reads.
    """
    sample = body[:4096]
    if not sample:
        return False
    if sample.startswith((b"\x1f\x8b", b"PK\x03\x04", b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF")):
        return True
    controls = sum(1 for byte in sample if byte < 32 and byte not in (9, 10, 12, 13))
    return controls > len(sample) // 10


#: Media types that say "not text": rules served with one are still read (see :func:`looks_binary`), and noted.
_BINARY_TYPES = ("image/", "audio/", "video/", "application/octet-stream", "application/zip", "application/gzip")


def decode_for_display(body: bytes) -> tuple[str, Optional[str]]:
    """Text for people (invalid UTF-8 replaced) and a problem in words when bytes were replaced.

    Matching never uses this text: robots.txt rules are matched on the exact octets (``RobotsSignal.raw``).
    """
    try:
        return body.decode("utf-8"), None
    except UnicodeDecodeError as exc:
        return body.decode("utf-8", errors="replace"), (f"not valid UTF-8 (first bad byte at offset {exc.start}); "
                                                        "shown with replacement characters, matched as bytes")


def _lossless(raw: Optional[bytes], text: Optional[str]) -> Optional[str]:
    """The exact bytes as base64 when the display text does not hold them (invalid UTF-8), else None."""
    if raw is None or text is None or text.encode("utf-8") == raw:
        return None
    return base64.b64encode(raw).decode("ascii")


def interpret_robots(fetched: Response) -> tuple[RobotsSignal, list[str]]:
    """The RFC 9309 §2.3.1 reading of one robots.txt fetch, with problems in words."""
    problems = [f"robots.txt: {note}" for note in fetched.notes]
    status = fetched.status
    outcome, template = classify(status, fetched.error_kind)
    body_text: Optional[str] = None
    raw: Optional[bytes] = None
    if outcome == "ok":
        if looks_binary(fetched.body, fetched.content_type):
            problems.append(f"robots.txt body is binary ({fetched.content_type or 'no content type'}, "
                            f"{len(fetched.body)} bytes): no rules read")
        elif looks_html(fetched.body, fetched.content_type):
            outcome = "html"
            problems.append("robots.txt is an HTML page, not rules: reported, read as no rules")
        else:
            raw = fetched.body
            body_text, note = decode_for_display(fetched.body)
            if note:
                problems.append(f"robots.txt {note}")
            if "html" in fetched.content_type or fetched.content_type.startswith(_BINARY_TYPES):
                problems.append(f"robots.txt served as {fetched.content_type}, but its body is plain rules")
        if fetched.truncated:
            problems.append(f"robots.txt larger than {len(fetched.body)} bytes: only the first "
                            f"{len(fetched.body)} bytes read (RFC 9309 2.5)")
    else:
        problems.append(template.format(error=fetched.error, status=status))
    ok_fetch = fetched.status is not None and fetched.error is None
    signal = RobotsSignal(
        url=fetched.url, origin="fetched", outcome=outcome, status=status, body=body_text,
        body_base64=_lossless(raw, body_text),
        sha256=hashlib.sha256(fetched.body).hexdigest() if ok_fetch else None,
        size=fetched.size, truncated=fetched.truncated, fetched_at=fetched.fetched_at, redirects=fetched.redirects,
        error=fetched.error, headers=fetched.headers, attempts=fetched.attempts,
    )
    return signal, problems


__all__ = ["OUTCOME_TABLE", "RFC9309_CLASS", "classify", "decode_for_display", "interpret_robots", "looks_binary",
           "looks_html"]
