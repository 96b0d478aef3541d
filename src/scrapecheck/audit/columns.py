"""The audit's output columns: names, types and meanings, in one table that writers, docs and tests share.

Column names are a contract (``docs/audit.md`` is checked against this module). Per-agent columns are
prefixed with the agent's *slug*: its robots.txt product token in lower case, every run of characters other
than ``a-z0-9`` replaced by ``_`` (``Google-Extended`` -> ``google_extended``). Types are Arrow type names
(``string``, ``int64``, ``bool``, ``float64``); every column may be null where its meaning says so.
"""

from __future__ import annotations

import re
from typing import NamedTuple, Sequence

from ..errors import InputError
from ..robots import product_token


class Column(NamedTuple):
    name: str
    type: str  # "string" | "int64" | "bool" | "float64"
    doc: str


VERDICTS = ("allowed", "disallowed", "reserved", "unknown", "invalid")
"""Per agent: ``allowed``; ``disallowed`` by robots.txt (an unreachable robots.txt disallows all, RFC 9309
2.3.1.4); ``reserved`` (robots.txt allows, but an AI opt-out that applies to the purpose reserves it);
``unknown`` (no signals recorded for the origin); ``invalid`` (not an http(s) URL with a host)."""

ROBOTS_OUTCOMES = ("ok", "not-found", "refused", "unreachable", "html", "missing", "invalid-url")
"""RFC 9309 outcome of the origin's robots.txt fetch (see signals), ``missing`` when none is recorded,
``invalid-url`` when the row's URL has no origin."""

ROW_HEAD = (
    Column("row", "int64", "0-based position of the URL in the input"),
    Column("url", "string", "the URL as read from the input"),
    Column("origin", "string", "scheme://host[:port] whose robots.txt governs the URL; null for an invalid URL"),
    Column("keep", "bool", "true when every agent's verdict is 'allowed' (what --filter keeps)"),
    Column("robots_outcome", "string", "one of " + ", ".join(ROBOTS_OUTCOMES)),
    Column("robots_status", "int64", "HTTP status of the robots.txt answer, null when none"),
    Column("error", "string", "why the URL is invalid or its origin has no signals; null otherwise"),
)

AGENT_ROW = (
    Column("verdict", "string", "one of " + ", ".join(VERDICTS)),
    Column("robots_line", "int64", "line number of the deciding Allow/Disallow rule, null when none decided"),
    Column("robots_rule", "string", "text of that line as written"),
    Column("optout_kind", "string", "kind of the AI opt-out that applies to the purpose (e.g. content-signal)"),
    Column("optout_source", "string", "where it was found: URL, with '#L<line>' for a robots.txt line"),
    Column("optout_value", "string", "the directive as found (e.g. 'Content-Signal: ai-train=no')"),
)

ORIGIN_HEAD = (
    Column("origin", "string", "scheme://host[:port]"),
    Column("registered_domain", "string", "registrable domain by the public suffix list; the host for IPs"),
    Column("urls", "int64", "URLs of the input on this origin"),
    Column("robots_outcome", "string", "as in the rows"),
    Column("robots_status", "int64", "as in the rows"),
    Column("robots_sha256", "string", "SHA-256 of the robots.txt body as received, null when none"),
    Column("fetched_at", "string", "UTC time robots.txt was fetched (ISO 8601), null for snapshots"),
    Column("optouts_collected", "bool", "false when site-level opt-outs (pages, TDMRep) were not collected"),
    Column("problems", "string", "what went wrong while collecting, '; '-joined; null when nothing"),
)

AGENT_ORIGIN = (
    Column("allowed", "int64", "URLs with verdict 'allowed'"),
    Column("disallowed", "int64", "URLs with verdict 'disallowed'"),
    Column("reserved", "int64", "URLs with verdict 'reserved'"),
    Column("optout_kind", "string", "the AI opt-out that applies on this origin (same for all its URLs)"),
    Column("optout_source", "string", "where it was found"),
    Column("optout_value", "string", "the directive as found"),
)

DOMAIN_HEAD = (
    Column("registered_domain", "string", "registrable domain (public suffix list, bundled snapshot)"),
    Column("origins", "int64", "origins of the input under this domain"),
    Column("urls", "int64", "URLs of the input under this domain"),
    Column("unreachable", "int64", "URLs whose robots.txt was unreachable"),
)

AGENT_DOMAIN = (
    Column("disallowed", "int64", "URLs with verdict 'disallowed'"),
    Column("reserved", "int64", "URLs with verdict 'reserved'"),
)

SUMMARY_HEAD = (
    Column("urls", "int64", "URLs read"),
    Column("origins", "int64", "distinct origins"),
    Column("invalid", "int64", "URLs with no origin (not http(s), no host, bad port)"),
    Column("kept", "int64", "URLs every agent may use ('keep' true)"),
    Column("kept_share", "float64", "kept / urls"),
    Column("unreachable_share", "float64", "share of URLs whose robots.txt was unreachable"),
    Column("missing_share", "float64", "share of URLs whose origin has no recorded signals"),
)

AGENT_SUMMARY = (
    Column("disallowed_share", "float64", "share of URLs this agent may not fetch by robots.txt"),
    Column("reserved_share", "float64", "share of URLs robots.txt allows but an AI opt-out reserves"),
)

_SLUG = re.compile(r"[^a-z0-9]+")


class Agent(NamedTuple):
    user_agent: str
    token: str
    slug: str


def agents_from(user_agents: Sequence[str], source: str = "--agent") -> tuple[Agent, ...]:
    """Validate the agents: at least one, each with a product token, no two with the same column prefix."""
    if isinstance(user_agents, str):
        user_agents = [user_agents]
    result: list[Agent] = []
    seen: dict[str, str] = {}
    for ua in user_agents:
        if not isinstance(ua, str):
            raise InputError(source, "agents", f"an agent must be a str, not {type(ua).__name__}")
        token = product_token(ua) if ua.strip() else ""
        if not token:
            raise InputError(source, "agents", f"{ua!r} has no product token (letters, '-' and '_')")
        slug = _SLUG.sub("_", token.lower()).strip("_") or "agent"
        if slug in seen:
            raise InputError(source, "agents", f"{ua!r} and {seen[slug]!r} have the same product token {token!r}")
        seen[slug] = ua
        result.append(Agent(ua.strip(), token, slug))
    if not result:
        raise InputError(source, "agents", "at least one agent is needed")
    return tuple(result)


def _expand(head: Sequence[Column], per_agent: Sequence[Column], agents: Sequence[Agent]) -> list[Column]:
    columns = list(head)
    for agent in agents:
        columns.extend(Column(f"{agent.slug}_{c.name}", c.type, c.doc) for c in per_agent)
    return columns


def row_columns(agents: Sequence[Agent]) -> list[Column]:
    return _expand(ROW_HEAD, AGENT_ROW, agents)


def origin_columns(agents: Sequence[Agent]) -> list[Column]:
    return _expand(ORIGIN_HEAD, AGENT_ORIGIN, agents)


def domain_columns(agents: Sequence[Agent]) -> list[Column]:
    return _expand(DOMAIN_HEAD, AGENT_DOMAIN, agents)


def summary_columns(agents: Sequence[Agent]) -> list[Column]:
    return _expand(SUMMARY_HEAD, AGENT_SUMMARY, agents)


def render_markdown() -> str:
    """The column tables of ``docs/audit.md`` (a test keeps the page in step with this module)."""
    sections = [("Rows (`OUT`)", ROW_HEAD, AGENT_ROW), ("Origins (`OUT.origins.EXT`)", ORIGIN_HEAD, AGENT_ORIGIN),
                ("Registered domains (`OUT.domains.EXT`)", DOMAIN_HEAD, AGENT_DOMAIN),
                ("Headline (`OUT.summary.EXT`, one row)", SUMMARY_HEAD, AGENT_SUMMARY)]
    out: list[str] = []
    for title, head, per_agent in sections:
        out += [f"### {title}", "", "| column | type | meaning |", "|---|---|---|"]
        out += [f"| `{c.name}` | {c.type} | {c.doc} |" for c in head]
        out += [f"| `<agent>_{c.name}` | {c.type} | {c.doc} |" for c in per_agent]
        out.append("")
    return "\n".join(out)


__all__ = ["AGENT_ROW", "Agent", "Column", "ROBOTS_OUTCOMES", "VERDICTS", "agents_from", "domain_columns",
           "origin_columns", "render_markdown", "row_columns", "summary_columns"]
