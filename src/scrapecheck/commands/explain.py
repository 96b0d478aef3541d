"""``scrapecheck explain RULE_ID``: one rule with its sources and remediation; follows renamed ids."""

from __future__ import annotations

import argparse
from typing import Any

from ..cli import Exit
from ..errors import ScrapecheckError
from ._output import out

NAME = "explain"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(NAME, help="show one rule with its sources and remediation")
    parser.add_argument("rule_id", metavar="RULE_ID")
    return parser


def run(args: argparse.Namespace) -> int:
    from ..api import default_policy
    from ..docs import render_rule

    policy = default_policy()
    try:
        rule = policy.rule(args.rule_id)
    except KeyError:
        raise ScrapecheckError(f"unknown rule id {args.rule_id!r}; 'scrapecheck rules' lists them") from None
    asked = args.rule_id.strip().upper()  # as the policy looked it up: no control character is left in it
    if rule.id != asked:
        out(f"{asked} was renamed to {rule.id}.\n\n")
    out(render_rule(rule, policy))
    return Exit.OK
