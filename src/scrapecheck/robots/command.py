"""``scrapecheck robots URL_OR_FILE --agent UA [PATH...]``: allowed or disallowed per path, and why.

Prints one line per path: ``allowed|disallowed  PATH  line N: <rule text>`` or ``(no matching rule)``;
``--format json`` prints the same as one JSON document. A URL fetches ``<origin>/robots.txt``; anything
else is read as a local file.
"""

from __future__ import annotations

import argparse
import json
from typing import Any
from urllib.parse import urlsplit

from ._policy import RobotsPolicy
from ._syntax import MAX_BYTES, product_token

_DESCRIPTION = (
    "Check paths against a robots.txt exactly as Google's reference parser reads it (RFC 9309): "
    "longest match wins, Allow wins ties, '*' and '$' wildcards, the agent's product token picks the group."
)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register the ``robots`` command on an argparse subparsers object."""
    parser = subparsers.add_parser(
        "robots",
        help="allowed/disallowed per path under a robots.txt, with the deciding line",
        description=_DESCRIPTION,
    )
    parser.add_argument(
        "source", metavar="URL_OR_FILE", help="a site URL (its /robots.txt is fetched) or a local robots.txt file"
    )
    parser.add_argument(
        "--agent", required=True, metavar="UA", help="the crawler's User-Agent or product token (e.g. AcmeBot/1.0)"
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH",
        help="paths or URLs to check (default: the URL's own path, or /)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
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


def _robots_url(url: str) -> str:
    parts = urlsplit(url)
    if not parts.netloc:
        raise _input_error(url, "URL_OR_FILE", "URL has no host")
    return f"{parts.scheme.lower()}://{parts.netloc}/robots.txt"


def _fetch_robots(url: str, user_agent: str) -> bytes:
    """GET ``<origin>/robots.txt`` of ``url`` (the one network call of this command; easy to swap).

    RFC 9309 §2.3.1: a 4xx means no robots.txt (everything allowed: returns b""); a 5xx or an
    unreachable server is an error here (a crawler would have to assume complete disallow).
    """
    import urllib3

    robots_url = _robots_url(url)
    http = urllib3.PoolManager(
        timeout=urllib3.Timeout(connect=5.0, read=10.0),
        retries=urllib3.Retry(total=2, redirect=5, status_forcelist=(), raise_on_redirect=True),
        headers={"User-Agent": user_agent},
    )
    try:
        response = http.request("GET", robots_url, preload_content=False)
        try:
            status = response.status
            body = response.read(MAX_BYTES + 1) if 200 <= status < 300 else b""
        finally:
            response.release_conn()
    except urllib3.exceptions.HTTPError as exc:
        raise _input_error(robots_url, "fetch", f"unreachable ({exc.__class__.__name__}: {exc})") from None
    if 200 <= status < 300:
        return body
    if 400 <= status < 500:
        return b""
    raise _input_error(
        robots_url, "fetch", f"HTTP {status}: robots.txt unreachable (RFC 9309 §2.3.1.4: assume complete disallow)"
    )


def _read(source: str, user_agent: str) -> bytes:
    if _is_url(source):
        return _fetch_robots(source, user_agent)
    try:
        with open(source, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise _input_error(source, "URL_OR_FILE", f"cannot read: {exc.strerror or exc}") from None


def _default_paths(source: str) -> list[str]:
    if _is_url(source):
        parts = urlsplit(source)
        path = parts.path or "/"
        return [path + (f"?{parts.query}" if parts.query else "")]
    return ["/"]


def run(args: argparse.Namespace) -> int:
    """Run the command; returns the exit code (0). Bad input raises ``scrapecheck.errors.InputError``."""
    agent = args.agent.strip()
    if not agent:
        raise _input_error("--agent", "agent", "must not be empty")
    policy = RobotsPolicy.parse(_read(args.source, agent))
    paths = list(args.paths) or _default_paths(args.source)
    group = policy.group_for(agent)
    results = []
    for path in paths:
        verdict = policy.explain(agent, path)
        rule = verdict.rule
        results.append(
            {
                "path": path,
                "allowed": verdict.allowed,
                "line": None if rule is None else rule.line,
                "rule": None if rule is None else rule.text,
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
            "truncated": policy.truncated,
        }
        print(json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False))
        return 0
    width = max(len(str(r["path"])) for r in results)
    for r in results:
        why = "(no matching rule)" if r["line"] is None else f"line {r['line']}: {r['rule']}"
        print(f"{'allowed' if r['allowed'] else 'disallowed':<10}  {r['path']:<{width}}  {why}")
    return 0
