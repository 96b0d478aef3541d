"""How to fetch, as one frozen value: deadlines, retries, size caps, concurrency, cache lifetime, private networks.

Every limit that protects a run from a slow, huge or hostile site lives here with its default, so that the CLI,
the API, the Guard and the audit share them; ``docs/security.md`` lists the same table. Importing this module
costs nothing (no urllib3, no pydantic).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

from ..errors import InputError

RFC_9309_CACHE_LIMIT = 24 * 3600.0
"""RFC 9309 §2.4: a crawler SHOULD NOT use a cached robots.txt for more than 24 hours."""
ROBOTS_MAX_BYTES = 500 * 1024
"""RFC 9309 §2.5: parsers must read at least 500 KiB; more is not read."""


@dataclass(frozen=True)
class FetchConfig:
    """How to fetch. A value: build one, pass it in; ``dataclasses.replace`` makes a changed copy."""

    connect_timeout: float = 5.0
    """Seconds to open a TCP (and TLS) connection to one address."""
    read_timeout: float = 10.0
    """Seconds any single read may wait for the next bytes."""
    total_timeout: float = 30.0
    """Deadline for one response, from connecting to the last body byte, headers included (enforced on the
    socket, so a server trickling its headers or body one byte at a time is cut off)."""
    origin_timeout: float = 60.0
    """Deadline for everything fetched from one origin: robots.txt, start pages and TDMRep file, with every
    retry, ``Retry-After`` wait and redirect. When it runs out, what is left is not fetched."""
    resolve_timeout: float = 5.0
    """Seconds one DNS lookup may take."""
    retries: int = 2
    """Extra attempts after a 5xx or 429 answer (timeouts and connection failures are not retried)."""
    backoff: float = 0.5
    """Wait before retry n (0-based) is ``backoff * 2**n`` seconds unless ``Retry-After`` says otherwise."""
    max_retry_after: float = 10.0
    """A ``Retry-After`` longer than this (or than the time left for the origin) is not waited for: no retry."""
    max_redirects: int = 5
    """RFC 9309 §2.3.1.2: at least five; more, or a loop, reads robots.txt as unavailable."""
    max_robots_bytes: int = ROBOTS_MAX_BYTES
    max_page_bytes: int = 512 * 1024
    max_tdmrep_bytes: int = 64 * 1024
    user_agent: Optional[str] = None
    """Overrides the plan's ``crawler.user_agent`` (robots matching uses its product token)."""
    max_concurrency: int = 8
    """Origins fetched at once; each origin is fetched sequentially."""
    cache_ttl: float = RFC_9309_CACHE_LIMIT
    """How long a caller-owned cache reuses an origin's signals; 0 disables caching; at most 24 hours."""
    failure_cache_ttl: float = 60.0
    """How long an unreachable robots.txt is remembered (never longer than ``cache_ttl``)."""
    fetch_pages: bool = True
    """Also fetch start pages and ``/.well-known/tdmrep.json`` for opt-outs outside robots.txt."""
    allow_private_networks: bool = False
    """Off: loopback, private, link-local, shared, multicast, unspecified, reserved and cloud-metadata addresses
    are refused after DNS resolution and on every redirect. Turn on only for a crawl of your own network."""

    pinned_hosts: tuple[tuple[str, str], ...] = ()
    """``(host, address)`` pairs used instead of DNS, like ``curl --resolve``: for tests and split-horizon setups.
    A pinned address is trusted as given (the caller chose it); redirects elsewhere are checked as usual."""

    ca_certs: Optional[str] = None
    """A PEM file of CA certificates to trust for HTTPS instead of the system's store (a company proxy's CA,
    a test CA). Checked when the value is built: the file must exist and hold at least one certificate."""

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "total_timeout", "origin_timeout", "resolve_timeout"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                    or value <= 0:
                raise ValueError(f"FetchConfig.{name} must be a finite number > 0, not {value!r}")
        for name in ("backoff", "max_retry_after", "cache_ttl", "failure_cache_ttl"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) \
                    or value < 0:
                raise ValueError(f"FetchConfig.{name} must be a finite number >= 0, not {value!r}")
        for name, low in (("retries", 0), ("max_redirects", 0), ("max_robots_bytes", 1), ("max_page_bytes", 1),
                          ("max_tdmrep_bytes", 1), ("max_concurrency", 1)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < low:
                raise ValueError(f"FetchConfig.{name} must be an integer >= {low}, not {value!r}")
        if self.cache_ttl > RFC_9309_CACHE_LIMIT:
            raise ValueError("FetchConfig.cache_ttl must be at most 86400 seconds (RFC 9309 2.4)")
        for name in ("fetch_pages", "allow_private_networks"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"FetchConfig.{name} must be True or False")
        import ipaddress

        try:
            for host, address in self.pinned_hosts:
                ipaddress.ip_address(address)
                if not isinstance(host, str) or not host:
                    raise ValueError(host)
        except (TypeError, ValueError):
            raise ValueError("FetchConfig.pinned_hosts must be (host, IP address) pairs") from None
        if self.user_agent is not None:
            check_user_agent(self.user_agent, "FetchConfig.user_agent")
        if self.ca_certs is not None:
            check_ca_certs(self.ca_certs)


def check_ca_certs(path: object) -> None:
    """ValueError unless ``path`` names a readable PEM file that ``ssl`` loads (a bad bundle would otherwise
    show up later as every HTTPS site being "unreachable")."""
    import ssl

    if not isinstance(path, str) or not path:
        raise ValueError("FetchConfig.ca_certs must be the path of a PEM file")
    try:
        ssl.create_default_context(cafile=path)
    except (OSError, ssl.SSLError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "no PEM certificate in it"
        raise ValueError(f"FetchConfig.ca_certs: cannot load {path!r}: {reason}") from None


def check_user_agent(user_agent: object, source: str = "user_agent") -> str:
    """The User-Agent to send, stripped; an :class:`InputError` when it cannot be sent as an HTTP header.

    HTTP header values are Latin-1 octets without control characters: a CR-LF would inject headers, and a
    character outside Latin-1 cannot be sent at all. Either is the caller's mistake, not a site's outage.
    """
    if not isinstance(user_agent, str) or not user_agent.strip():
        raise InputError(source, "user_agent", "must be a non-empty User-Agent string")
    value = user_agent.strip()
    bad = next((ch for ch in value if ord(ch) < 32 or ord(ch) == 127), None)
    if bad is not None:
        raise InputError(source, "user_agent", f"contains the control character {bad!r}; a User-Agent is one line")
    try:
        value.encode("latin-1")
    except UnicodeEncodeError as exc:
        raise InputError(source, "user_agent", f"contains {value[exc.start]!r}, which an HTTP header cannot carry "
                                               "(only Latin-1 characters can be sent)") from None
    return value


__all__ = ["RFC_9309_CACHE_LIMIT", "ROBOTS_MAX_BYTES", "FetchConfig", "check_user_agent"]
