"""``scrapecheck rules``: list the rules (or, with ``--thresholds``, the named thresholds)."""

from __future__ import annotations

import argparse
import json
from typing import Any

from ..cli import Exit
from ._output import out

NAME = "rules"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(NAME, help="list the rules")
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    parser.add_argument("--thresholds", action="store_true", help="list the named thresholds instead")
    return parser


def run(args: argparse.Namespace) -> int:
    from ..api import default_policy
    from ..docs import render_rule_table

    policy = default_policy()
    if args.thresholds:
        for threshold in policy.thresholds.values():
            out(f"{threshold.name} = {threshold.value:g} {threshold.unit}: {threshold.description}\n")
        return Exit.OK
    if args.format == "json":
        from ..docs import all_limits, strongest_weight

        rows = [{"id": r.id, "title": r.title, "severity": r.severity.value, "category": r.category.value,
                 "status": r.status, "sources": r.sources, "limits": all_limits(r),
                 "weight": strongest_weight(policy, r)} for r in policy.rules]
        out(json.dumps(rows, indent=2) + "\n")
    elif args.format == "markdown":
        out(render_rule_table(policy))
    else:
        for rule in policy.rules:
            mark = "" if rule.status == "stable" else f" ({rule.status})"
            out(f"{rule.id}  {rule.severity.value:<8}  {rule.category.value:<22}  {rule.title}{mark}\n")
    return Exit.OK
