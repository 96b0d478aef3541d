"""The ``scrapecheck`` command. Results on stdout, diagnostics on stderr; only ``main`` exits.

Exit status: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 wrong input or invocation.
"""

from __future__ import annotations

import argparse
import enum
import os
import sys
from importlib import resources
from pathlib import Path
from typing import Any, Optional, Sequence

from ._version import __version__
from .errors import ScrapecheckError


class Exit(enum.IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as exit 2 through ``main`` instead of exiting itself."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(f"{self.prog}: {message}")


class _UsageError(Exception):
    pass


SEVERITIES = ("info", "low", "medium", "high", "critical")


def _parser() -> argparse.ArgumentParser:
    from .formats import FORMATS

    parser = _Parser(prog="scrapecheck", description=(
        "Check a crawl plan against site policies and the law; findings come with evidence and sources."))
    parser.add_argument("--version", action="version", version=f"scrapecheck {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    check = commands.add_parser("check", help="evaluate a crawl plan")
    check.add_argument("plan", help="plan file (.toml or .json)")
    check.add_argument("--offline", action="store_true", help="use only snapshots in the plan and --signals")
    check.add_argument("--signals", metavar="FILE", help="signals recorded by 'scrapecheck fetch'")
    check.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format (default: text)")
    check.add_argument("--output", "-o", metavar="FILE", help="write the report here instead of stdout")
    check.add_argument("--fail-on", choices=SEVERITIES, default="high", metavar="SEV",
                       help="exit 1 when a finding is at or above this severity (default: high; "
                            f"one of {', '.join(SEVERITIES)})")
    check.add_argument("--waivers", metavar="FILE", help="TOML file of waivers (rule, target, reason, expires)")
    check.add_argument("--policies", metavar="DIR", help=argparse.SUPPRESS)

    rules = commands.add_parser("rules", help="list the rules")
    rules.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    rules.add_argument("--thresholds", action="store_true", help="list the named thresholds instead")

    explain = commands.add_parser("explain", help="show one rule with its sources and remediation")
    explain.add_argument("rule_id", metavar="RULE_ID")

    init = commands.add_parser("init", help="write a commented plan template")
    init.add_argument("path", nargs="?", default="crawl.toml", help="where to write it (default: crawl.toml)")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")

    for module in _command_modules().values():
        module.add_parser(commands)
    return parser


def _command_modules() -> dict[str, Any]:
    """Commands that live beside their subject: each module has ``add_parser(subparsers)`` and ``run(args)``."""
    from .signals import command as fetch_command

    modules: dict[str, Any] = {"fetch": fetch_command}
    try:  # TEMPORARY until robots/command.py lands (issue 4); then import it like fetch
        from .robots import command as robots_command
    except ImportError:
        pass
    else:
        modules["robots"] = robots_command
    return modules


def _write(text: str, output: Optional[str]) -> None:
    if output:
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise ScrapecheckError(f"{output}: cannot write: {exc.strerror or exc}") from None
    else:
        sys.stdout.write(text)


def _use_colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _cmd_check(args: argparse.Namespace) -> int:
    from .api import evaluate
    from .formats import FORMATS, text
    from .plan import load_plan

    plan = load_plan(args.plan)
    report = evaluate(plan, signals=args.signals, offline=args.offline, policies=args.policies,
                      waivers=args.waivers)
    if args.format == "text" and not args.output:
        rendered = text.render(report, colour=_use_colour())
    else:
        rendered = FORMATS[args.format](report)
    _write(rendered, args.output)
    return Exit.FINDINGS if report.exceeds(args.fail_on) else Exit.OK


def _cmd_rules(args: argparse.Namespace) -> int:
    import json

    from .api import default_policy
    from .docs import render_rule_table

    policy = default_policy()
    if args.thresholds:
        for threshold in policy.thresholds.values():
            sys.stdout.write(f"{threshold.name} = {threshold.value:g} {threshold.unit}: {threshold.description}\n")
        return Exit.OK
    if args.format == "json":
        rows = [{"id": r.id, "title": r.title, "severity": r.severity.value, "category": r.category.value,
                 "status": r.status, "sources": r.sources} for r in policy.rules]
        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(render_rule_table(policy))
    else:
        for rule in policy.rules:
            mark = "" if rule.status == "stable" else f" ({rule.status})"
            sys.stdout.write(f"{rule.id}  {rule.severity.value:<8}  {rule.category.value:<22}  {rule.title}{mark}\n")
    return Exit.OK


def _cmd_explain(args: argparse.Namespace) -> int:
    from .api import default_policy
    from .docs import render_rule

    policy = default_policy()
    try:
        rule = policy.rule(args.rule_id)
    except KeyError:
        raise ScrapecheckError(f"unknown rule id {args.rule_id!r}; 'scrapecheck rules' lists them") from None
    if rule.id != args.rule_id.strip().upper():
        sys.stdout.write(f"{args.rule_id} was renamed to {rule.id}.\n\n")
    sys.stdout.write(render_rule(rule, policy))
    return Exit.OK


def _cmd_init(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if path.exists() and not args.force:
        raise ScrapecheckError(f"{path}: already exists (use --force to overwrite)")
    template = resources.files("scrapecheck").joinpath("data/plan-template.toml").read_text(encoding="utf-8")
    _write(template, str(path))
    sys.stderr.write(f"wrote {path}; edit it, then run: scrapecheck check {path}\n")
    return Exit.OK


def _dispatch(args: argparse.Namespace) -> int:
    if args.command == "check":
        return _cmd_check(args)
    if args.command == "rules":
        return _cmd_rules(args)
    if args.command == "explain":
        return _cmd_explain(args)
    if args.command == "init":
        return _cmd_init(args)
    modules = _command_modules()
    if args.command in modules:
        return int(modules[args.command].run(args))
    raise _UsageError("scrapecheck: a command is required (see scrapecheck --help)")


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status (the console script exits with it)."""
    try:
        parser = _parser()
        args = parser.parse_args(argv)
        return int(_dispatch(args))
    except _UsageError as exc:
        sys.stderr.write(f"{exc}\n")
        return Exit.USAGE
    except ScrapecheckError as exc:
        sys.stderr.write(f"scrapecheck: error: {exc}\n")
        return Exit.USAGE
    except KeyboardInterrupt:
        sys.stderr.write("scrapecheck: interrupted\n")
        return 130
    except BrokenPipeError:
        return Exit.OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
