"""Which addresses the fetcher may connect to, checked after DNS resolution (protection against SSRF).

A plan in a pull request, or a redirect from a hostile site, must not make scrapecheck reach the machine it runs
on, its private network or a cloud metadata service, whatever the spelling: ``localhost``, ``127.1``,
``0x7f.1``, ``2130706433``, ``[::1]``, ``[::ffff:127.0.0.1]``, ``169.254.169.254``, ``[fd00:ec2::254]``, a
public name whose DNS answer is private, ... Names are resolved here, every answer is checked, and the caller
connects to a checked address (not to the name again, which DNS could then answer differently).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
from typing import Any, Optional, Union

IPAddress = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]

_EXTRA_BLOCKED = tuple(ipaddress.ip_network(net) for net in (
    "0.0.0.0/8",          # "this network"
    "100.64.0.0/10",      # shared address space (carrier-grade NAT), RFC 6598
    "192.0.0.0/24",       # IETF protocol assignments
    "198.18.0.0/15",      # benchmarking
    "64:ff9b:1::/48",     # local-use NAT64, RFC 8215
    "fc00::/7",           # unique local (fd00:ec2::254 is AWS's metadata service)
    "fec0::/10",          # deprecated site-local
))


class AddressRefused(Exception):
    """The host is, or resolves to, an address the configuration does not allow."""


class ResolutionFailed(Exception):
    """DNS gave no usable answer (or none in time)."""


def _embedded_ipv4(address: ipaddress.IPv6Address) -> Optional[ipaddress.IPv4Address]:
    """The IPv4 address inside an IPv4-mapped, IPv4-compatible, 6to4, Teredo or NAT64 address."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    packed = address.packed
    if packed[:12] == bytes(12) and packed[12:] != bytes(4):  # ::a.b.c.d (deprecated IPv4-compatible)
        return ipaddress.IPv4Address(packed[12:])
    if address in ipaddress.ip_network("64:ff9b::/96"):
        return ipaddress.IPv4Address(packed[12:])
    return None


def refusal(address: IPAddress) -> Optional[str]:
    """Why ``address`` may not be fetched without ``allow_private_networks`` (None: it may)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.scope_id:
            return "a scoped (link-local) IPv6 address"
        if address.is_loopback:  # ::1, not the IPv4-compatible form of 0.0.0.1
            return "a loopback address"
        inner = _embedded_ipv4(address)
        if inner is not None:
            reason = refusal(inner)
            return f"an IPv6 form of {inner}, {reason}" if reason else None
    checks = (
        ("is_loopback", "a loopback address"),
        ("is_unspecified", "the unspecified address"),
        ("is_link_local", "a link-local address (cloud metadata services live here)"),
        ("is_multicast", "a multicast address"),
        ("is_private", "a private-network address"),
        ("is_reserved", "a reserved address"),
    )
    for attribute, reason in checks:
        if getattr(address, attribute):
            return reason
    if any(address in network for network in _EXTRA_BLOCKED if network.version == address.version):
        return "a shared, private or special-purpose address"
    if not address.is_global:
        return "not a globally routable address"
    return None


def literal_address(host: str) -> Optional[IPAddress]:
    """The address a host spells directly, in any form the C resolver accepts (``127.1``, ``0x7f.1``, ...)."""
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        pass
    if host and all(ch in "0123456789abcdefxABCDEFX." for ch in host) and any(ch.isdigit() for ch in host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def resolve(host: str, port: int, *, timeout: float, allow_private: bool) -> list[IPAddress]:
    """The addresses to connect to for ``host``: every one checked; AddressRefused if any is refused.

    One refused answer refuses the host, so that a name cannot mix a public and a private address and win
    on the second try. ``host`` is the ASCII (A-label) form.
    """
    literal = literal_address(host)
    if literal is not None:
        addresses = [literal]
    else:
        if host.lower().rstrip(".") in ("localhost", "localhost.localdomain") or \
                host.lower().rstrip(".").endswith(".localhost"):
            if not allow_private:
                raise AddressRefused(f"{host} is the local machine (loopback)")
        addresses = _lookup(host, port, timeout)
    if not allow_private:
        for address in addresses:
            reason = refusal(address)
            if reason is not None:
                shown = host if literal is not None and str(literal) == host.strip("[]") else f"{host} ({address})"
                raise AddressRefused(f"{shown} is {reason}")
    return addresses


MAX_PENDING_LOOKUPS = 64
"""Lookups that may be running at once. ``getaddrinfo`` cannot be cancelled, so a lookup past its deadline
keeps its thread until the resolver gives up; past this many, no new lookup starts (a failure, not a thread)."""


class _Lookup:
    """One running ``getaddrinfo``, shared by every caller asking for the same (host, port) meanwhile."""

    __slots__ = ("done", "infos", "error")

    def __init__(self) -> None:
        self.done = threading.Event()
        self.infos: list[Any] = []
        self.error: Optional[BaseException] = None


_running: dict[tuple[str, int], _Lookup] = {}
_running_lock = threading.Lock()


def _run(key: tuple[str, int], job: _Lookup) -> None:
    try:
        job.infos = socket.getaddrinfo(key[0], key[1], type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        job.error = exc
    finally:
        with _running_lock:
            _running.pop(key, None)
        job.done.set()


def _lookup(host: str, port: int, timeout: float) -> list[IPAddress]:
    """``getaddrinfo`` with a deadline (it has none of its own), on a daemon thread.

    A name that is already being looked up is not looked up again: the caller waits on the running lookup,
    so a stuck name costs one thread however often it is retried, and at most :data:`MAX_PENDING_LOOKUPS`
    threads are ever stuck.
    """
    key = (host, port)
    with _running_lock:
        job = _running.get(key)
        if job is None:
            if len(_running) >= MAX_PENDING_LOOKUPS:
                raise ResolutionFailed(f"DNS lookup for {host} not started: {len(_running)} lookups still pending "
                                       "(the resolver is not answering)")
            job = _running[key] = _Lookup()
            threading.Thread(target=_run, args=(key, job), name="scrapecheck-dns", daemon=True).start()
    if not job.done.wait(timeout):
        raise ResolutionFailed(f"DNS lookup for {host} took longer than {timeout:g}s")
    if job.error is not None:
        error = job.error
        raise ResolutionFailed(f"DNS lookup failed for {host}: {getattr(error, 'strerror', None) or error}")
    addresses: list[IPAddress] = []
    for family, _type, _proto, _name, sockaddr in job.infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        text = sockaddr[0]
        try:
            address = ipaddress.ip_address(text)
        except ValueError:
            continue
        if family == socket.AF_INET6 and len(sockaddr) > 3 and sockaddr[3]:
            address = ipaddress.IPv6Address(f"{text.split('%')[0]}%{sockaddr[3]}")
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise ResolutionFailed(f"DNS lookup for {host} returned no IPv4 or IPv6 address")
    return addresses


__all__ = ["AddressRefused", "ResolutionFailed", "literal_address", "refusal", "resolve"]
