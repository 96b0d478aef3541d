"""Options shared by the commands that fetch, parsed and converted to a ``FetchConfig`` in one place.

Numbers are checked while parsing (argparse ``type=``), so nan, inf, zero or negative timeouts and negative
retries end as a usage error (exit 2, one line) before anything runs.
"""

from __future__ import annotations

import argparse
import math
from typing import Any

DEFAULT_TIMEOUT = 10.0
DEFAULT_RETRIES = 2
DEFAULT_CONCURRENCY = 8


MAX_SECONDS = 86400.0  # larger values overflow socket timeouts and the derived response deadline


def seconds(text: str) -> float:
    """A finite number of seconds greater than zero and at most a day."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"must be a finite number of seconds > 0, not {text!r}")
    if value > MAX_SECONDS:
        raise argparse.ArgumentTypeError(f"must be at most {MAX_SECONDS:g} seconds (a day), not {text!r}")
    return value


def count(minimum: int) -> Any:
    """An argparse type: a whole number at least ``minimum``."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be >= {minimum}, not {value}")
        return value

    parse.__name__ = f"count>={minimum}"
    return parse


def add_private_option(parser: argparse.ArgumentParser) -> None:
    """``--allow-private``: every command that fetches takes it; never read from a configuration file, so a
    pull request cannot turn it on by editing ``pyproject.toml`` (docs/security.md)."""
    parser.add_argument("--allow-private", action="store_true",
                        help="allow fetching from loopback, private, link-local, shared and cloud-metadata "
                             "addresses (refused by default, after DNS and on every redirect)")


def add_fetch_options(parser: argparse.ArgumentParser, *, concurrency: bool = False) -> None:
    """``--timeout``, ``--retries`` and ``--allow-private`` (and ``--concurrency`` for commands that fetch many
    origins)."""
    parser.add_argument("--timeout", type=seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                        help=f"read timeout per request (default: {DEFAULT_TIMEOUT:g}); connect timeout is half "
                             "of it, a whole response may take three times it")
    parser.add_argument("--retries", type=count(0), default=DEFAULT_RETRIES, metavar="N",
                        help=f"retries after a 5xx or 429 answer (default: {DEFAULT_RETRIES})")
    if concurrency:
        parser.add_argument("--concurrency", type=count(1), default=DEFAULT_CONCURRENCY, metavar="N",
                            help=f"origins fetched at once (default: {DEFAULT_CONCURRENCY})")
    parser.add_argument("--ca-bundle", type=ca_bundle, default=None, metavar="FILE",
                        help="PEM file of CA certificates to trust for HTTPS instead of the system's "
                             "(a company proxy's CA)")
    add_private_option(parser)


def ca_bundle(text: str) -> str:
    """A PEM file that ``ssl`` loads; anything else is a usage error now, not every site "unreachable" later."""
    from ..signals.config import check_ca_certs

    try:
        check_ca_certs(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).replace("FetchConfig.ca_certs: ", "")) from None
    return text


def fetch_config(args: argparse.Namespace, **extra: Any) -> Any:
    """The ``FetchConfig`` the parsed options describe; ``extra`` sets further fields.

    ``--timeout`` is the read timeout; connecting gets half of it, a whole response three times it, and one
    origin (every request, retry, wait and redirect) six times it.
    """
    from ..signals.config import FetchConfig

    values: dict[str, Any] = {
        "connect_timeout": max(args.timeout / 2, 0.1),
        "read_timeout": args.timeout,
        "total_timeout": max(args.timeout * 3, 1.0),
        "origin_timeout": max(args.timeout * 6, 2.0),
        "retries": args.retries,
        "allow_private_networks": bool(getattr(args, "allow_private", False)),
        "ca_certs": getattr(args, "ca_bundle", None),
    }
    if getattr(args, "concurrency", None) is not None:
        values["max_concurrency"] = args.concurrency
    values.update(extra)
    return FetchConfig(**values)
