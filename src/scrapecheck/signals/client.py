"""The HTTP client: the only code in scrapecheck that opens a connection (urllib3 underneath).

It GETs one URL, follows redirects itself and returns the facts (:class:`Response`): status, the headers that
matter, at most ``cap`` body bytes, and what went wrong in words with a machine-readable ``error_kind``. It
never raises for what a site or the network does. What the facts *mean* is :mod:`.interpret`'s job.

Every hop is resolved and checked by :mod:`.addresses` before connecting, and the connection goes to the
checked address while the Host header and TLS SNI carry the name (no DNS rebinding between check and use).
Each response has a deadline enforced on the socket (a watchdog shuts it down), so trickled headers or bodies
cannot hold a run; every request for one origin shares the caller's origin deadline (retries, ``Retry-After``
waits and redirects included). Compressed bodies are inflated here with the cap applied to the output, so a
gzip bomb costs at most ``cap`` bytes.
"""

from __future__ import annotations

import http.client
import socket
import threading
import time
import zlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from ipaddress import ip_address
from typing import Any, Literal, Optional
from urllib.parse import quote, urljoin, urlsplit

from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.util.ssl_match_hostname import CertificateError
from urllib3.exceptions import (
    ConnectTimeoutError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from .._url import DEFAULT_PORTS, normalise_host, request_host
from .addresses import AddressRefused, ResolutionFailed, resolve
from .config import FetchConfig
from .pages import HEADERS_THAT_MATTER

REDIRECT_STATUSES = (301, 302, 303, 307, 308)
ErrorKind = Literal[
    "dns",                 # the name did not resolve
    "blocked",             # the address is refused (private network) by configuration
    "connect",             # no connection (refused, unreachable)
    "tls",                 # TLS handshake or certificate failure
    "timeout",             # a single read or connect waited too long
    "deadline",            # the response's or the origin's deadline ran out
    "protocol",            # broken connection, malformed response, reset mid-body
    "encoding",            # a Content-Encoding that cannot be decoded
    "bad-url",             # a URL (or a redirect's Location) that cannot be requested
    "bad-redirect",        # a redirect without Location, or to a scheme other than http(s)
    "redirect-loop",       # RFC 9309 2.3.1.2
    "too-many-redirects",  # RFC 9309 2.3.1.2
]
_SAFE_PATH = "/%?=&;:@!$'()*+,~-._[]"


def now_iso() -> str:
    """UTC now, ISO 8601 to the second, with a ``Z``."""
    return datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


@dataclass
class Response:
    """One URL fetched, redirects followed: the facts, before any reading of what they mean."""

    url: str
    final_url: str
    fetched_at: str
    status: Optional[int] = None
    headers: dict[str, list[str]] = field(default_factory=dict)
    body: bytes = b""
    truncated: bool = False
    size: Optional[int] = None
    redirects: list[str] = field(default_factory=list)
    error: Optional[str] = None
    error_kind: Optional[ErrorKind] = None
    attempts: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def redirects_exhausted(self) -> bool:
        """More than ``max_redirects`` redirects or a loop (RFC 9309 2.3.1.2)."""
        return self.error_kind in ("redirect-loop", "too-many-redirects")

    @property
    def content_type(self) -> str:
        return (self.headers.get("content-type") or [""])[0].lower()

    def record(self, kind: str) -> dict[str, object]:
        """A JSON-ready record for the signals file (no body)."""
        import hashlib

        digest = hashlib.sha256(self.body).hexdigest() if self.status is not None and self.error is None else None
        return {"kind": kind, "url": self.url, "final_url": self.final_url, "status": self.status,
                "headers": self.headers, "sha256": digest, "size": self.size, "truncated": self.truncated,
                "fetched_at": self.fetched_at, "redirects": self.redirects, "error": self.error,
                "attempts": self.attempts}


class _Failure(Exception):
    def __init__(self, kind: ErrorKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def retry_after_seconds(value: Optional[str]) -> Optional[float]:
    """Seconds from a ``Retry-After`` header (delta-seconds or HTTP-date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isascii() and value.isdigit():  # "²" (Latin-1 0xB2) is a digit to isdigit, not to float
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


class _Watchdog:
    """Shuts a socket down at a deadline, so that no read can outlive it (headers included)."""

    def __init__(self, sock: socket.socket, delay: float) -> None:
        self.fired = False
        self._sock = sock
        self._timer = threading.Timer(max(delay, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.fired = True
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def cancel(self) -> None:
        self._timer.cancel()


class _Inflater:
    """Content-Encoding gzip/deflate decoded with a cap on the *output* (gzip bombs stop at the cap).

    Every member of a gzip body is read (``cat a.gz b.gz`` is one gzip body); bytes after the end of the stream
    other than zero padding, a stream that stops before its end (:meth:`finish`) and stacked codings
    (``gzip, gzip``: none was asked for) are failures: read otherwise, rules after the cut would be lost.
    """

    def __init__(self, header: str) -> None:
        codings = [c.strip().lower() for c in header.split(",") if c.strip().lower() not in ("", "identity")]
        if len(codings) > 1:
            raise _Failure("encoding", f"Content-Encoding {header.strip()!r} stacks several codings (none was "
                                       "asked for): not decoded")
        encoding = codings[0] if codings else ""
        self._gzip = encoding in ("gzip", "x-gzip")
        if not encoding:
            self._d = None
        elif self._gzip:
            self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._d = zlib.decompressobj()
        else:
            raise _Failure("encoding", f"unsupported Content-Encoding {encoding!r} (none was asked for)")
        self._started = False

    def feed(self, data: bytes, room: int) -> bytes:
        if self._d is None:
            return data
        out = b""
        try:
            while True:
                self._started = self._started or bool(data)
                out += self._d.decompress(data, room - len(out))
                data = self._d.unconsumed_tail
                if len(out) >= room:  # the cap: the rest is not read
                    return out
                if data:
                    continue
                rest = self._d.unused_data
                if not self._d.eof or not rest.strip(b"\0"):
                    return out
                if not self._gzip:
                    raise _Failure("encoding", "compressed body has bytes after the end of its stream")
                self._d = zlib.decompressobj(16 + zlib.MAX_WBITS)  # the next member
                data = rest.lstrip(b"\0")
        except zlib.error as exc:
            raise _Failure("encoding", f"compressed body cannot be decoded ({exc})") from None

    def finish(self) -> None:
        """The body has ended: so must the compressed stream, or what came is only its beginning."""
        if self._d is not None and self._started and not self._d.eof:
            raise _Failure("encoding", "compressed body cut short: its stream stops before its end")


def _describe(exc: BaseException, config: FetchConfig) -> tuple[ErrorKind, str]:
    if isinstance(exc, _Failure):
        return exc.kind, str(exc)
    if isinstance(exc, NewConnectionError):
        text = str(exc)
        return "connect", "connection failed: " + (text.split(": ", 1)[-1] if ": " in text else text)
    if isinstance(exc, ConnectTimeoutError):
        return "timeout", f"connection timed out after {config.connect_timeout:g}s"
    if isinstance(exc, (ReadTimeoutError, socket.timeout, TimeoutError)):
        return "timeout", f"read timed out after {config.read_timeout:g}s"
    # urllib3 checks the name itself and raises its own CertificateError, a ValueError: test it before ValueError.
    if isinstance(exc, (SSLError, CertificateError)) or exc.__class__.__module__ == "ssl":
        return "tls", f"TLS error: {exc}"
    if isinstance(exc, (ProtocolError, http.client.HTTPException, ConnectionError)):
        detail = exc.args[0] if exc.args else type(exc).__name__
        return "protocol", f"connection broken: {detail}"
    if isinstance(exc, (ValueError, UnicodeError)):
        return "bad-url", f"cannot be requested: {exc}"
    return "protocol", f"{type(exc).__name__}: {exc}"


class HttpClient:
    """GETs URLs under one :class:`FetchConfig` and User-Agent; stateless between calls, safe across threads."""

    def __init__(self, config: FetchConfig, user_agent: str) -> None:
        self.config = config
        self.user_agent = user_agent
        self._pinned = {host.lower().rstrip("."): address for host, address in config.pinned_hosts}

    def get(self, url: str, cap: int, accept: str, *, deadline: Optional[float] = None) -> Response:
        """GET ``url`` following at most ``max_redirects`` redirects, keeping at most ``cap`` body bytes.

        ``deadline`` (a ``time.monotonic()`` value) bounds everything this call does, retries included.
        """
        config = self.config
        chain: list[str] = []
        seen = {url}
        current = url
        attempts = 0
        notes: list[str] = []
        while True:
            result = self._get_once(current, cap, accept, deadline)
            attempts += result.attempts
            notes.extend(result.notes)
            result.url, result.redirects, result.attempts, result.notes = url, chain, attempts, notes
            if result.error is not None or result.status not in REDIRECT_STATUSES:
                return result
            location = (result.headers.get("location") or [""])[0].strip()
            if not location:
                result.error_kind = "bad-redirect"
                result.error = f"HTTP {result.status} redirect without a Location header"
                return result
            try:
                target = urljoin(current, location)
                parts = urlsplit(target)
                parts.port  # noqa: B018 - raises ValueError on a bad port
                if parts.scheme.lower() in DEFAULT_PORTS:
                    normalise_host(parts.hostname or "")
            except ValueError as exc:
                result.error_kind = "bad-redirect"
                result.error = f"HTTP {result.status} redirect to a malformed Location {location!r} ({exc})"
                return result
            if parts.scheme.lower() not in DEFAULT_PORTS:
                result.error_kind = "bad-redirect"
                result.error = f"redirect to a non-HTTP URL: {target}"
                return result
            if target in seen:
                hops = " -> ".join([url, *chain, target])
                result.error_kind = "redirect-loop"
                result.error = (f"redirect loop: {current} redirects to itself" if target == current
                                else f"redirect loop: {hops}")
                return result
            if len(chain) >= config.max_redirects:
                result.error_kind = "too-many-redirects"
                result.error = f"more than {config.max_redirects} redirects (next: {target})"
                return result
            chain.append(target)
            seen.add(target)
            current = target

    def _get_once(self, url: str, cap: int, accept: str, deadline: Optional[float]) -> Response:
        """One URL, with retries after 5xx/429 (no redirects followed)."""
        config = self.config
        notes: list[str] = []
        attempt = 0
        while True:
            attempt += 1
            fetched = Response(url=url, final_url=url, fetched_at=now_iso(), attempts=attempt, notes=notes)
            started = time.monotonic()
            if deadline is not None and started >= deadline:
                fetched.error_kind = "deadline"
                fetched.error = f"origin deadline of {config.origin_timeout:g}s reached before this request"
                return fetched
            stop = started + config.total_timeout
            if deadline is not None:
                stop = min(stop, deadline)
            try:
                retry_after = self._exchange(url, cap, accept, stop, fetched, deadline)
            except Exception as exc:  # noqa: BLE001 - every failure becomes a described outcome
                fetched.error_kind, fetched.error = _describe(exc, config)
                return fetched
            if retry_after is None:
                return fetched
            status = fetched.status
            if attempt > config.retries:
                return fetched
            wait = retry_after_seconds(retry_after) if retry_after else None
            if wait is not None and wait > config.max_retry_after:
                notes.append(f"HTTP {status} with Retry-After {wait:g}s (over the {config.max_retry_after:g}s cap): "
                             "not retried")
                return fetched
            if wait is None:
                wait = config.backoff * (2 ** (attempt - 1))
            if deadline is not None and time.monotonic() + wait >= deadline:
                notes.append(f"HTTP {status}: not retried, a {wait:g}s wait would pass the origin deadline of "
                             f"{config.origin_timeout:g}s")
                return fetched
            notes.append(f"HTTP {status}: retried after {wait:g}s")
            time.sleep(wait)

    def _exchange(self, url: str, cap: int, accept: str, stop: float, fetched: Response,
                  deadline: Optional[float]) -> Optional[str]:
        """One request and its answer into ``fetched``; returns the Retry-After text ('' if none) when the answer
        may be retried (5xx, 429), else None."""
        config = self.config
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS:
            raise _Failure("bad-url", f"only http and https URLs are fetched, not {scheme or 'no scheme'!r}")
        try:
            host = request_host(normalise_host(parts.hostname or ""))
            port = parts.port or DEFAULT_PORTS[scheme]
        except ValueError as exc:
            raise _Failure("bad-url", f"cannot be requested: {exc}") from None
        target = quote(parts.path or "/", safe=_SAFE_PATH) + (f"?{quote(parts.query, safe=_SAFE_PATH)}"
                                                              if parts.query else "")
        remaining = stop - time.monotonic()
        pinned = self._pinned.get(host.rstrip("."))
        try:
            if pinned:
                addresses = [ip_address(pinned)]
            else:
                addresses = resolve(host, port, timeout=max(min(config.resolve_timeout, remaining), 0.01),
                                    allow_private=config.allow_private_networks)
        except AddressRefused as exc:
            raise _Failure("blocked", f"refused: {exc}; private networks are not fetched unless "
                                      "allow_private_networks=True (--allow-private)") from None
        except ResolutionFailed as exc:
            raise _Failure("dns", str(exc)) from None
        conn = self._connect(scheme, host, port, addresses, stop)
        watchdog = _Watchdog(conn.sock, stop - time.monotonic())  # type: ignore[arg-type]
        try:
            default = DEFAULT_PORTS[scheme]
            host_header = (f"[{host}]" if ":" in host else host) + (f":{port}" if port != default else "")
            conn.timeout = max(min(config.read_timeout, stop - time.monotonic()), 0.01)
            conn.request("GET", target, headers={"Host": host_header, "User-Agent": self.user_agent,
                                                 "Accept": accept, "Accept-Encoding": "identity"},
                         preload_content=False, decode_content=False)
            response = conn.getresponse()
            if watchdog.fired:  # headers cut off by the deadline can parse as a short, "complete" answer
                raise _Failure("deadline", "")
            fetched.status = response.status
            fetched.headers = {name: response.headers.getlist(name) for name in HEADERS_THAT_MATTER
                               if name in response.headers}
            retryable = response.status == 429 or response.status >= 500
            if response.status in REDIRECT_STATUSES or (retryable and fetched.attempts <= config.retries):
                return response.headers.get("retry-after", "") if retryable else None
            self._read(response, fetched, cap, watchdog)
            return None
        except Exception:
            if watchdog.fired:
                raise _Failure("deadline", self._deadline_text(stop, deadline, fetched)) from None
            raise
        finally:
            watchdog.cancel()
            conn.close()

    def _deadline_text(self, stop: float, deadline: Optional[float], fetched: Response) -> str:
        part = "slow headers" if fetched.status is None else "slow body"
        if deadline is not None and stop >= deadline:
            return f"origin deadline of {self.config.origin_timeout:g}s reached during the response ({part})"
        return f"response not complete after {self.config.total_timeout:g}s ({part})"

    def _connect(self, scheme: str, host: str, port: int, addresses: list[Any], stop: float) -> HTTPConnection:
        """A connection to the first checked address that answers (never to the name: no second lookup)."""
        last: Optional[BaseException] = None
        for address in addresses:
            remaining = stop - time.monotonic()
            if remaining <= 0:
                break
            timeout = max(min(self.config.connect_timeout, remaining), 0.01)
            ip = str(address)
            conn: HTTPConnection
            if scheme == "https":
                conn = HTTPSConnection(ip, port, timeout=timeout, server_hostname=host, assert_hostname=host,
                                       ca_certs=self.config.ca_certs)
            else:
                conn = HTTPConnection(ip, port, timeout=timeout)
            try:
                conn.connect()
                return conn
            except Exception as exc:  # noqa: BLE001 - try the next address, report the last failure
                conn.close()
                last = exc
        if last is None:
            raise _Failure("deadline", f"no time left to connect to {host}")
        raise last

    def _read(self, response: Any, fetched: Response, cap: int, watchdog: _Watchdog) -> None:
        chunks: list[bytes] = []
        received = 0
        inflater = _Inflater(response.headers.get("content-encoding") or "")
        while True:
            chunk = response.read1(64 * 1024)
            if watchdog.fired:
                raise _Failure("deadline", "")
            if not chunk:
                break
            data = inflater.feed(chunk, cap + 1 - received)
            chunks.append(data)
            received += len(data)
            if received > cap:
                fetched.truncated = True
                break
        if watchdog.fired:
            raise _Failure("deadline", "")
        if not fetched.truncated:
            inflater.finish()
        body = b"".join(chunks)
        fetched.body = body[:cap]
        if fetched.truncated:
            length = (fetched.headers.get("content-length") or [""])[0]
            encoding = (fetched.headers.get("content-encoding") or [""])[0].strip().lower()
            encoded = encoding not in ("", "identity")
            # (a Content-Length urllib3 could not read, "²" or thousands of digits, is no size: int() would raise)
            readable = length.isascii() and length.isdigit() and len(length) <= 18
            fetched.size = int(length) if readable and not encoded else None
        else:
            fetched.size = len(body)


__all__ = ["REDIRECT_STATUSES", "ErrorKind", "HttpClient", "Response", "now_iso", "retry_after_seconds"]
