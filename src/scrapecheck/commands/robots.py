"""``scrapecheck robots URL_OR_FILE --agent UA [PATH...]``: allowed or disallowed per path, and why.

Prints one line per path: ``allowed|disallowed  PATH  line N: <rule text>`` or ``(no matching rule)``;
``--format json`` prints the same as one JSON document. A URL's ``<origin>/robots.txt`` is fetched by
:func:`scrapecheck.signals.fetch.fetch_robots`, with the outcomes of ``scrapecheck fetch`` (RFC 9309); anything
else is read as a local regular file of at most 10 MiB.
"""

from __future__ import annotations

import argparse
import json
from typing import Any, Optional

from ..cli import Exit
from ._options import add_fetch_options, fetch_config
from ._output import note, out, visible

NAME = "robots"

MAX_FILE_BYTES = 10 * 1024 * 1024
"""Largest local file read; parsers use only the first 500 KiB, so anything bigger is not a robots.txt."""

_DESCRIPTION = (
    "Check paths against a robots.txt exactly as Google's reference parser reads it (RFC 9309): "
    "longest match wins, Allow wins ties, '*' and '$' wildcards, the agent's product token picks the group."
)
_EPILOG = (
    "A URL is fetched like 'scrapecheck fetch' does (RFC 9309 2.3.1): 2xx is parsed; a 4xx, more than five "
    "redirects or a redirect loop means no robots.txt, so every path is allowed; a 5xx, 429, timeout or "
    "connection failure means robots.txt is unreachable, so every path is disallowed, shown as "
    "'disallowed (robots.txt unreachable)'. Either way the exit status is 0 and what went wrong is on stderr; "
    "exit status 2 is kept for a bad URL, file or option. A local file must be a regular file of at most 10 MiB."
)
_NO_RULES = {
    "not-found": "robots.txt unavailable: no rules",
    "refused": "robots.txt refused: no rules",
    "html": "robots.txt is an HTML page: no rules",
}


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the ``robots`` command on an argparse subparsers object."""
    parser = subparsers.add_parser(
        NAME,
        help="allowed/disallowed per path under a robots.txt, with the deciding line",
        description=_DESCRIPTION,
        epilog=_EPILOG,
    )
    parser.add_argument(
        "source", metavar="URL_OR_FILE", help="a site URL (its /robots.txt is fetched) or a local robots.txt file"
    )
    parser.add_argument(
        "--agent", required=True, metavar="UA", help="the crawler's User-Agent or product token (e.g. AcmeBot/1.0)"
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH",
        help="paths (starting with /) or URLs (of the URL's site) to check (default: the URL's own path, or /)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    add_fetch_options(parser)
    _allow_intermixed(parser)
    return parser


def _allow_intermixed(parser: argparse.ArgumentParser) -> None:
    """Let PATHs follow ``--agent UA`` (``robots FILE --agent UA /a /b``).

    Plain argparse assigns all positionals at their first run, so "/a" after an option would be
    rejected; the subparsers action calls ``parse_known_args``, which is routed to the intermixed
    variant (that one calls ``parse_known_args`` itself, hence the re-entry guard).
    """
    state = {"inside": False}

    def parse_known_args(args: Any = None, namespace: Any = None) -> Any:
        if state["inside"]:
            return argparse.ArgumentParser.parse_known_args(parser, args, namespace)
        state["inside"] = True
        try:
            return argparse.ArgumentParser.parse_known_intermixed_args(parser, args, namespace)
        finally:
            state["inside"] = False

    parser.parse_known_args = parse_known_args  # type: ignore[method-assign]


def _input_error(source: str, field: str, message: str) -> Exception:
    from ..errors import InputError

    return InputError(source, field, message)


def _is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def read_file(source: str) -> bytes:
    """A local robots.txt: a regular file (not a device, FIFO, socket or directory) of at most 10 MiB."""
    from .._files import read_capped

    hint = "" if "://" in source else " (for a site, give a URL such as https://example.com/)"

    def refuse(message: str) -> Exception:
        if message == "no such file":
            message += hint
        elif message.startswith("not a regular file"):
            message += "; give a robots.txt file or a URL"
        elif "limit" in message:
            message += " for a robots.txt file (parsers read only the first 500 KiB)"
        return _input_error(source, "URL_OR_FILE", message)

    return read_capped(source, MAX_FILE_BYTES, refuse)


def _fetch(args: argparse.Namespace, agent: str) -> Any:
    """The origin's robots.txt through the one network module; problems go to stderr."""
    from ..signals.fetch import fetch_robots

    target = fetch_robots(args.source, user_agent=agent, config=fetch_config(args, fetch_pages=False))
    robots = target.robots
    assert robots is not None  # fetch_robots always sets it
    for problem in target.problems:
        note(f"{robots.url}: {problem}\n")
    return robots


def _check_paths(source: str, paths: list[str]) -> None:
    """Each PATH starts with ``/`` or is an http(s) URL (of the source's site, when the source is a URL).

    The reference parser reads ``private/x`` as host ``private`` and path ``/x``: a forgotten slash answered
    "allowed" for a disallowed path. A URL of another site was checked against this site's robots.txt."""
    from .._url import origin

    site = origin(source) if _is_url(source) else None
    for path in paths:
        if _is_url(path):
            if site is not None and origin(path) != site:
                raise _input_error(path, "PATH", f"is on another site than {site}; robots.txt applies to its own "
                                   "site only")
        elif not path.startswith("/"):
            raise _input_error(path, "PATH", f"{path!r} must start with '/' (or be an http(s) URL): the parser would "
                               f"read it as a host name and check only what follows it")


def _default_paths(source: str) -> list[str]:
    from .._url import path_and_query

    return [path_and_query(source)] if _is_url(source) else ["/"]


def run(args: argparse.Namespace) -> int:
    """Run the command; returns the exit code (0). Bad input raises ``scrapecheck.errors.InputError``."""
    from ..robots import RobotsPolicy, product_token

    agent = args.agent.strip()
    if not agent:
        raise _input_error("--agent", "agent", "must not be empty")
    _check_paths(args.source, list(args.paths))  # before fetching
    robots: Optional[Any] = None
    if _is_url(args.source):
        robots = _fetch(args, agent)
        outcome = robots.outcome
        policy = RobotsPolicy.parse(robots.raw if outcome == "ok" and robots.raw is not None else b"")
    else:
        from ..signals.interpret import looks_binary

        outcome = "ok"
        body = read_file(args.source)
        if looks_binary(body):
            note(visible(f"{args.source}: the file looks binary (UTF-16 text, an image or an archive?): Google's "
                         "parser reads no rule in it, so every path is allowed") + "\n")
        policy = RobotsPolicy.parse(body)
    paths = list(args.paths) or _default_paths(args.source)
    group = policy.group_for(agent)
    results = []
    for path in paths:
        if outcome == "unreachable":
            results.append({"path": path, "allowed": False, "line": None, "rule": None,
                            "reason": "robots.txt unreachable"})
            continue
        verdict = policy.explain(agent, path)
        rule = verdict.rule
        results.append(
            {
                "path": path,
                "allowed": verdict.allowed,
                "line": None if rule is None else rule.line,
                "rule": None if rule is None else rule.text,
                "reason": None if outcome == "ok" else _NO_RULES[outcome],
            }
        )
    if args.format == "json":
        document = {
            "source": args.source,
            "agent": agent,
            "product_token": product_token(agent),
            "group": None if group is None else {"agents": list(group.agents), "lines": list(group.agent_lines)},
            "results": results,
            "crawl_delay": policy.crawl_delay(agent),
            "sitemaps": list(policy.sitemaps),
            "truncated": policy.truncated or bool(robots is not None and robots.truncated),
            "outcome": outcome,
            "fetch": None if robots is None else {
                "url": robots.url, "status": robots.status, "error": robots.error,
                "redirects": list(robots.redirects), "attempts": robots.attempts, "fetched_at": robots.fetched_at,
            },
        }
        out(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
        return Exit.OK
    token = product_token(agent)
    if not token or not agent.startswith(token):  # say which token a browser-style User-Agent was matched as
        out(visible(_token_line(token, group)) + "\n")
    width = max(len(str(r["path"])) for r in results)
    for r in results:
        if r["reason"] is not None and r["line"] is None:
            why = f"({r['reason']})"
        else:
            why = "(no matching rule)" if r["line"] is None else f"line {r['line']}: {r['rule']}"
        out(visible(f"{'allowed' if r['allowed'] else 'disallowed':<10}  {r['path']:<{width}}  {why}") + "\n")
    return Exit.OK


def _token_line(token: str, group: Any) -> str:
    """Which product token a full User-Agent was matched as, and the group it picked (issue 10): a
    browser-style agent such as "Mozilla/5.0 (compatible; AcmeBot/1.0)" is matched as "AcmeBot"."""
    if group is None:
        chosen = "none (no group applies: every path allowed)"
    else:
        lines = ", ".join(str(n) for n in group.agent_lines)
        chosen = f"User-agent {', '.join(group.agents)} (line{'s' if len(group.agent_lines) > 1 else ''} {lines})"
    return f"token: {token or '(none: only * applies)'}  group: {chosen}"
