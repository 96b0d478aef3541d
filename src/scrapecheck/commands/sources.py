"""``scrapecheck sources [--stale DAYS]``: the citation table with each source's weight, verification and the
date it was last checked, so a reader can judge what a finding rests on and see what needs re-checking."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import Any

from ..cli import Exit
from ._output import out

NAME = "sources"


MAX_STALE_DAYS = 36500


def _days(text: str) -> int:
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"DAYS must be a whole number of days, got {text!r}") from None
    if days < 0:
        raise argparse.ArgumentTypeError(f"DAYS must be 0 or more, got {days}")
    if days > MAX_STALE_DAYS:  # a cutoff before year 1 does not exist (OverflowError)
        raise argparse.ArgumentTypeError(f"DAYS must be at most {MAX_STALE_DAYS} (a century), got {days}")
    return days


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {text!r}") from None


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(
        NAME, help="list the cited sources with weight, verification and date checked",
        description="The citation table: each source's weight of authority, verification (full, partial, none) "
                    "and the date it was last checked. --stale DAYS lists only sources not re-checked within "
                    "DAYS days (never-checked ones included).")
    parser.add_argument("--stale", type=_days, metavar="DAYS",
                        help="only sources not re-checked within DAYS days")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    parser.add_argument("--today", type=_date, help=argparse.SUPPRESS)  # tests: a fixed clock
    parser.add_argument("--policies", metavar="DIR", help=argparse.SUPPRESS)
    return parser


def run(args: argparse.Namespace) -> int:
    import json

    from ..policy.load import load_policy

    policy = load_policy(args.policies)
    today = args.today or dt.date.today()
    sources = list(policy.sources.values())
    if args.stale is not None:
        cutoff = today - dt.timedelta(days=args.stale)
        sources = [s for s in sources if s.checked is None or s.checked < cutoff]
    cited: dict[str, list[str]] = {}
    limiting: dict[str, list[str]] = {}
    for rule in policy.rules:
        for source_id in rule.sources:
            cited.setdefault(source_id, []).append(rule.id)
        for source_id in rule.limits:
            limiting.setdefault(source_id, []).append(rule.id)
    if args.format == "json":
        rows = [{"id": s.id, "title": s.title, "weight": s.weight.value, "verification": s.verification,
                 "checked": s.checked.isoformat() if s.checked else None,
                 "age_days": (today - s.checked).days if s.checked else None,
                 "date": s.date, "url": s.url, "verified_from": s.verified_from or None,
                 "cited_by": cited.get(s.id, []), "limits": limiting.get(s.id, [])} for s in sources]
        out(json.dumps(rows, indent=2, sort_keys=True) + "\n")
        return Exit.OK
    header = ("id", "weight", "verification", "checked", "rules", "title")
    rows_text = [(s.id, s.weight.value, s.verification, s.checked.isoformat() if s.checked else "never",
                  str(len(cited.get(s.id, [])) + len(limiting.get(s.id, []))), s.title) for s in sources]
    widths = [max(len(row[i]) for row in [header, *rows_text]) for i in range(len(header) - 1)]
    for row in [header, *rows_text]:
        out("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1] + "\n")
    if args.stale is not None:
        sys.stderr.write(f"{len(sources)} source{'s' if len(sources) != 1 else ''} not re-checked within "
                         f"{args.stale} days (before {(today - dt.timedelta(days=args.stale)).isoformat()}).\n")
    return Exit.OK
