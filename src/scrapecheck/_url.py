"""The one place that says what a URL's origin is and what its "path plus query" is.

Two spellings of one site must give one key, or a plan, a signals file and a Guard cache disagree about which
robots.txt governs a URL. Hosts are lower-cased and international names are mapped with UTS #46 and IDNA 2008
(the ``idna`` package, which urllib3 also uses): ``https://BÜCHER.de:443/`` and ``https://xn--bcher-kva.de/``
both have the origin ``https://bücher.de``, shown in Unicode for people, while :func:`request_host` gives the
ASCII form that goes on the wire. Default ports (80, 443) are dropped. A leaf module: stdlib, ``idna`` and
the error types only. ``idna`` (its tables) is imported only for a name that is not plain ASCII: most runs
never see one (issue 10, start-up time).
"""

from __future__ import annotations

import ipaddress
from typing import NamedTuple
from urllib.parse import urlsplit

from .errors import InputError

DEFAULT_PORTS = {"http": 80, "https": 443}
_FORBIDDEN_HOST_CHARS = frozenset(" #%/:<>?@[\\]^|")
"""WHATWG URL "forbidden host code points" (with C0 controls, space and DEL checked separately)."""


class Origin(NamedTuple):
    """An http(s) origin: ``scheme``, ``host`` (Unicode, lower case; IPv6 without brackets) and ``port``."""

    scheme: str
    host: str
    port: int

    @property
    def ascii_host(self) -> str:
        """The host as sent in DNS, the Host header and TLS SNI (A-labels for international names)."""
        return request_host(self.host)

    def __str__(self) -> str:
        return _serialise(self.scheme, self.host, self.port)

    def url(self, path: str = "/") -> str:
        """An absolute URL on this origin, with the ASCII host (what a client requests)."""
        return _serialise(self.scheme, self.ascii_host, self.port) + path


def _serialise(scheme: str, host: str, port: int) -> str:
    netloc = f"[{host}]" if ":" in host else host
    if port != DEFAULT_PORTS[scheme]:
        netloc = f"{netloc}:{port}"
    return f"{scheme}://{netloc}"


def _is_ip(host: str) -> bool:
    """An IPv4 or IPv6 address (as :func:`ipaddress.ip_address` reads a string)?

    An IPv6 address has a ':' and an IPv4 one only digits and dots, so a name without ':' that has any other
    character is answered at once: ``ip_address`` would raise and format two errors for it, the largest part of
    reading an origin (issue 10)."""
    if ":" not in host and not host.replace(".", "").isdigit():
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def normalise_host(host: str) -> str:
    """Lower case; international names mapped (UTS #46) and shown as U-labels. ValueError when not a name."""
    host = host.strip()
    if not host:
        raise ValueError("no host")
    if _is_ip(host):
        return str(ipaddress.ip_address(host))
    if any(ch in _FORBIDDEN_HOST_CHARS or ord(ch) < 33 or ord(ch) == 127 for ch in host):
        raise ValueError(f"invalid host {host!r}")
    if host.isascii() and "xn--" not in host.lower():
        return host.lower()
    import idna

    try:
        return idna.decode(idna.encode(host, uts46=True))
    except idna.IDNAError:
        pass
    try:  # IDNA 2003, as Python's codec and the plan's validation read it (e.g. names with symbols)
        return host.encode("idna").decode("idna").lower()
    except UnicodeError as exc:
        raise ValueError(f"not a valid international domain name ({exc})") from None


def request_host(host: str) -> str:
    """The ASCII form of a host for DNS, the Host header and SNI. ValueError when it has none."""
    if host.isascii() or _is_ip(host):
        return host.lower()
    import idna

    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        pass
    try:
        return host.encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise ValueError(f"not a valid international domain name ({exc})") from None


def parse_origin(url: str) -> Origin:
    """The origin of an http(s) URL; :class:`~scrapecheck.errors.InputError` naming the URL when there is none.

    Malformed URLs (``http://[::1``), bad ports (``:99999``), missing hosts and schemes other than http and https
    are refused. Credentials (``user:password@``) are left out: the origin, and so robots.txt, is the host's.
    """
    if not isinstance(url, str):
        raise TypeError(f"url must be a str, not {type(url).__name__}")
    text = url.strip()

    def bad(message: str) -> InputError:
        return InputError(url, "url", message)

    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise bad(f"not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise bad("must be an http:// or https:// URL")
    if port == 0:
        raise bad("port 0 is not a valid port")
    raw_host = parts.hostname
    if not raw_host:
        raise bad("URL has no host")
    try:
        host = normalise_host(raw_host)
    except ValueError as exc:
        raise bad(f"not a valid URL ({exc})") from None
    return Origin(scheme, host, DEFAULT_PORTS[scheme] if port is None else port)


def origin(url: str) -> str:
    """``scheme://host[:port]``: the key robots.txt, signals and caches are stored under (see module doc)."""
    return str(parse_origin(url))


def path_and_query(url: str) -> str:
    """What robots.txt rules are matched against: the path (``/`` when empty) plus ``?query``; no fragment."""
    parts = urlsplit(url.strip())
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


__all__ = ["DEFAULT_PORTS", "Origin", "normalise_host", "origin", "parse_origin", "path_and_query",
           "request_host"]
