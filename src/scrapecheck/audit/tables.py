"""The three summary tables, built from a :class:`~.pipeline.Tally` once the rows are done.

Registered domains come from the public suffix list (ICANN section) bundled with ``publicsuffixlist``, a
dependency-free package that reads only its own copy of the list: no network at run time. They are for
reporting only; matching stays per origin.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from typing import Any, Optional

from .pipeline import Tally

Table = list[tuple[Any, ...]]


@lru_cache(maxsize=1)
def _suffixes() -> Any:
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList(only_icann=True)


@lru_cache(maxsize=65_536)
def registered_domain(origin: str) -> str:
    """``https://a.b.example.co.uk:8443`` -> ``example.co.uk``; an IP address, a public suffix or a single
    label (``localhost``) stays itself."""
    host = origin.split("://", 1)[-1]
    if host.startswith("["):
        return host[1:host.index("]")] if "]" in host else host
    host = host.rsplit(":", 1)[0] if ":" in host else host
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    return _suffixes().privatesuffix(host) or host


def _share(part: int, whole: int) -> Optional[float]:
    return part / whole if whole else None


def origin_table(tally: Tally) -> Table:
    """One row per origin, sorted by origin (see ``columns.origin_columns``)."""
    rows = []
    for origin in sorted(tally.counts):
        counts = tally.counts[origin]
        outcome, status, sha256, fetched_at, collected, problems, opt_outs = tally.facts[origin]
        row: list[Any] = [origin, registered_domain(origin), counts[0], outcome, status, sha256, fetched_at,
                          collected, problems]
        for i in range(tally.width):
            row.extend(counts[1 + 3 * i: 4 + 3 * i])
            row.extend(opt_outs[i])
        rows.append(tuple(row))
    return rows


def domain_table(tally: Tally) -> Table:
    """One row per registered domain, sorted (see ``columns.domain_columns``)."""
    agg: dict[str, list[int]] = {}
    for origin, counts in tally.counts.items():
        domain = registered_domain(origin)
        entry = agg.setdefault(domain, [0, 0, 0] + [0] * (2 * tally.width))
        entry[0] += 1
        entry[1] += counts[0]
        if tally.facts[origin][0] == "unreachable":
            entry[2] += counts[0]
        for i in range(tally.width):
            entry[3 + 2 * i] += counts[2 + 3 * i]
            entry[4 + 2 * i] += counts[3 + 3 * i]
    return [(domain, *agg[domain]) for domain in sorted(agg)]


def summary_table(tally: Tally) -> Table:
    """The headline: one row (see ``columns.summary_columns``)."""
    urls = tally.urls
    unreachable = sum(c[0] for o, c in tally.counts.items() if tally.facts[o][0] == "unreachable")
    missing = sum(c[0] for o, c in tally.counts.items() if tally.facts[o][0] == "missing")
    row: list[Any] = [urls, len(tally.counts), tally.invalid, tally.kept, _share(tally.kept, urls),
                      _share(unreachable, urls), _share(missing, urls)]
    for i in range(tally.width):
        disallowed = sum(c[2 + 3 * i] for c in tally.counts.values())
        reserved = sum(c[3 + 3 * i] for c in tally.counts.values())
        row.extend((_share(disallowed, urls), _share(reserved, urls)))
    return [tuple(row)]


__all__ = ["domain_table", "origin_table", "registered_domain", "summary_table"]
