"""``scrapecheck fetch PLAN -o signals.json``: record the targets' signals as evidence for offline checks.

The signals file holds, per origin, the robots.txt fetch (URL, status, headers that matter, body and its
SHA-256, size, UTC time, redirects) and every opt-out found outside robots.txt with the page records it came
from. ``scrapecheck check PLAN --signals signals.json`` then evaluates offline and gives the same findings.
A summary goes to stderr; the exit status is 0 whatever the sites answered (findings come from ``check``).
"""

from __future__ import annotations

import argparse
from typing import Any

from ..cli import Exit
from ._options import add_fetch_options, fetch_config
from ._output import note, out, refuse_clobbering, refuse_unwritable

NAME = "fetch"
_EPILOG = ("Fetch outcomes follow RFC 9309: unreachable robots.txt (5xx, 429, timeouts, DNS or connection "
           "failures) is read as complete disallow; 401/403 as refused; other 4xx, more than five redirects "
           "or a redirect loop as unavailable (no rules).")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``fetch`` on the CLI's subparsers."""
    parser = subparsers.add_parser(NAME, help="record the targets' signals (robots.txt, opt-outs) to a file",
                                   description=(__doc__ or "").splitlines()[0], epilog=_EPILOG)
    parser.add_argument("plan", help="plan file (.toml or .json)")
    parser.add_argument("--output", "-o", metavar="FILE",
                        help="write the signals JSON here (default: stdout)")
    parser.add_argument("--user-agent", metavar="UA", help="User-Agent to send (default: the plan's)")
    add_fetch_options(parser, concurrency=True)
    parser.add_argument("--robots-only", action="store_true",
                        help="fetch robots.txt only, not start pages or /.well-known/tdmrep.json")
    return parser


def _summary(signals: Any) -> str:
    lines = []
    for origin, target in signals.targets.items():
        robots = target.robots
        outcome = f"{robots.outcome} (HTTP {robots.status})" if robots and robots.status else \
            (robots.outcome if robots else "not fetched")
        opt_outs = ("not collected" if target.opt_outs is None
                    else f"{len(target.opt_outs)} opt-out(s) outside robots.txt")
        lines.append(f"{origin}: robots.txt {outcome}; {opt_outs}")
        lines.extend(f"  - {problem}" for problem in target.problems)
    return "\n".join(lines) + ("\n" if lines else "")


def run(args: argparse.Namespace) -> int:
    """Run ``fetch``; input problems raise ScrapecheckError (the CLI makes them exit 2)."""
    from ..errors import ScrapecheckError
    from ..plan import load_plan
    from ..signals.fetch import collect
    from ..signals.snapshot import dump_signals, save_signals

    plan = load_plan(args.plan)
    if not plan.targets:
        raise ScrapecheckError(f"{args.plan}: targets: the plan has no targets to fetch")
    if args.output and not str(args.output).lower().endswith(".json"):
        raise ScrapecheckError(f"{args.output}: signals are written as JSON; name the file *.json")
    if args.output:
        from pathlib import Path

        from .check import snapshot_inputs

        refuse_clobbering([args.output], {args.plan: "plan", **snapshot_inputs(Path(args.plan), plan)})
        refuse_unwritable([args.output])  # now, not after minutes of fetching
    config = fetch_config(args, user_agent=args.user_agent, fetch_pages=not args.robots_only)
    signals = collect(plan, config=config)
    if args.output:
        save_signals(signals, args.output)
        note(f"wrote {args.output}\n")
    else:
        out(dump_signals(signals))
    note(_summary(signals))
    return Exit.OK
