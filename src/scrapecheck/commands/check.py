"""``scrapecheck check PLAN...``: evaluate crawl plans, write the report, exit 1 on findings at ``--fail-on``."""

from __future__ import annotations

import argparse
import os
from dataclasses import replace
from pathlib import Path
from typing import Any, Optional, Sequence

from ..cli import Exit
from ..errors import ScrapecheckError, UsageError
from ._options import add_private_option
from ._output import note, out, output_jobs, refuse_clobbering, refuse_unwritable, use_colour, write_output

NAME = "check"
SEVERITIES = ("info", "low", "medium", "high", "critical")
CONFIG_NAMES = ("pyproject.toml", "scrapecheck.toml")


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    from ..formats import FORMAT_NAMES

    check = subparsers.add_parser(
        NAME, help="evaluate crawl plans",
        description="Evaluate crawl plans. Exit 0: nothing at or above --fail-on; 1: findings at or above it; "
                    "2: bad input or invocation. Options not given come from [tool.scrapecheck] in "
                    "pyproject.toml or a scrapecheck.toml (nearest, from the current directory up).")
    check.add_argument("plans", nargs="*", metavar="PLAN",
                       help="plan files (.toml or .json) or directories (every *.toml and *.json plan in them)")
    check.add_argument("--offline", action=argparse.BooleanOptionalAction, default=None,
                       help="use only snapshots in the plan and --signals (--no-offline overrides the config)")
    check.add_argument("--signals", metavar="FILE", help="signals recorded by 'scrapecheck fetch'")
    add_private_option(check)
    check.add_argument("--format", choices=FORMAT_NAMES, default=None, help="output format (default: text)")
    check.add_argument("--output", "-o", metavar="[FORMAT:]FILE", action="append",
                       help="write a report to FILE. Without FORMAT: the --format report goes there instead of "
                            "stdout; with it (sarif:scan.sarif) a report in that format is written as well. "
                            "Repeat to write several formats from one evaluation")
    check.add_argument("--sarif-root", metavar="DIR",
                       help="name plan files in SARIF, GitHub and GitLab output relative to DIR (default: the "
                            "repository root, the nearest folder up with .git, else the current directory)")
    check.add_argument("--fail-on", choices=SEVERITIES, default=None, metavar="SEV",
                       help="exit 1 when an unwaived finding is at or above this severity (default: high; "
                            f"one of {', '.join(SEVERITIES)})")
    check.add_argument("--exit-zero", action="store_true",
                       help="exit 0 even with findings at or above --fail-on (bad input still exits 2)")
    check.add_argument("--waivers", metavar="FILE", help="TOML file of waivers (rule, target, reason, expires)")
    check.add_argument("--baseline", metavar="FILE",
                       help="report only findings not recorded in this baseline (JSON from --write-baseline); "
                            "recorded ones are shown as known and do not gate")
    check.add_argument("--write-baseline", metavar="FILE",
                       help="record the current unwaived findings in FILE (.json) and report them as known")
    check.add_argument("--select", action="append", metavar="IDS",
                       help="report only these rule ids, prefixes (ACC) or categories (accounts); comma-separated")
    check.add_argument("--ignore", action="append", metavar="IDS",
                       help="do not report these rule ids, prefixes or categories; comma-separated")
    check.add_argument("--quiet", "-q", action=argparse.BooleanOptionalAction, default=None,
                       help="text: print only the summary line, nothing when no finding is left; "
                            "no notes on stderr")
    check.add_argument("--config", metavar="FILE", help="read options from this scrapecheck.toml or pyproject.toml")
    check.add_argument("--isolated", action="store_true", help="ignore configuration files")
    check.add_argument("--print-config", action="store_true",
                       help="print the effective configuration and where each value came from, then exit")
    check.add_argument("--policies", metavar="DIR", help=argparse.SUPPRESS)
    return check


def _specs(values: Optional[Sequence[str]], option: str) -> Optional[list[str]]:
    """Rule ids, prefixes or categories from repeated, comma-separated options; an empty one is a mistake."""
    if not values:
        return None
    from .. import selection

    specs = selection.split_specs(values)
    if not specs:
        raise UsageError(f"scrapecheck check: {option} needs rule ids, prefixes or categories, got {values[0]!r}")
    return specs


def plan_paths(arguments: Sequence[str]) -> tuple[list[Path], bool]:
    """Expand the PLAN arguments: files as given, directories to their *.toml and *.json files (sorted, not
    recursive, config files excluded). Returns the paths and whether the run is over several plans."""
    paths: list[Path] = []
    several = len(arguments) > 1
    for argument in arguments:
        path = Path(argument)
        if path.is_dir():
            several = True
            # A link whose file is missing or loops is kept, so reading it fails loudly: skipped, that plan went
            # unchecked while the others passed.
            found = sorted(p for p in path.iterdir()
                           if (p.is_file() or (p.is_symlink() and not p.is_dir()))
                           and p.suffix.lower() in (".toml", ".json") and p.name not in CONFIG_NAMES)
            if not found:
                raise ScrapecheckError(f"{argument}: no plan files (*.toml, *.json) in this directory")
            paths.extend(found)
        else:
            paths.append(path)
    unique: list[Path] = []
    seen: set[Path] = set()
    for path in paths:
        key = _resolved(path)  # ./x.toml, x.toml and /abs/x.toml are one plan
        if key not in seen:
            seen.add(key)
            unique.append(path)
    return unique, several


def snapshot_inputs(path: Path, plan: Any) -> dict[str, str]:
    """The robots.txt snapshot files a plan read (``robots_txt_file``), as inputs no output may replace."""
    return {str(path.parent / target.robots_txt_file): f"robots.txt snapshot of {path}"
            for target in plan.targets if target.robots_txt_file}


def _resolved(path: Path) -> Path:
    """``path.resolve()``, or the absolute path when it cannot be resolved (a symlink loop is reported on reading)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):
        return Path(os.path.abspath(path))


def _relative(path: Path) -> str:
    """The path as the report and SARIF name it: relative to the current directory when inside it; the bytes of
    a name that is not UTF-8 as ``\\xNN`` (see ``_files.unicode_name``)."""
    from .._files import unicode_name

    try:
        name = _resolved(path).relative_to(Path.cwd().resolve()).as_posix() if path.is_absolute() else str(path)
    except ValueError:
        name = str(path)
    return unicode_name(name)


def repository_root(start: Path) -> Path:
    """The nearest folder from ``start`` up that holds ``.git`` (a folder, or a file in a worktree), else ``start``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def _root_relative(path: Path, root: Path) -> str:
    """The plan file relative to ``root`` in POSIX form; an absolute path when it lies outside ``root``."""
    from .._files import unicode_name

    resolved = _resolved(path)
    try:
        return unicode_name(resolved.relative_to(_resolved(root)).as_posix())
    except ValueError:
        return unicode_name(str(resolved))


def _plan_lines(path: Path) -> dict[str, int]:
    from ..formats._locate import plan_lines

    try:
        return plan_lines(path.read_text(encoding="utf-8-sig"), path.suffix)
    except (OSError, UnicodeDecodeError):
        return {}


def run(args: argparse.Namespace) -> int:
    from .. import config, selection
    from ..api import default_policy, evaluate
    from ..docs import rule_docs
    from ..formats import REGISTRY
    from ..formats.interface import RenderContext
    from ..plan import load_plan
    from ..policy.load import load_policy
    from ..waivers import check_waivers, load_waivers

    cli_values = {
        "format": args.format, "fail_on": args.fail_on, "offline": args.offline, "quiet": args.quiet,
        "select": _specs(args.select, "--select"),
        "ignore": _specs(args.ignore, "--ignore"),
        "waivers": args.waivers, "signals": args.signals, "output": args.output, "baseline": args.baseline,
    }
    settings = config.resolve(cli_values, config=args.config, isolated=args.isolated)
    if args.print_config:
        out(config.render(settings, args.plans))
        return Exit.OK
    if not args.plans:
        raise UsageError("scrapecheck check: at least one PLAN (file or directory) is required")

    policy = load_policy(args.policies) if args.policies else default_policy()
    chosen = selection.resolve(policy, settings.select, settings.ignore,
                               select_option=_option_label(settings, "select"),
                               ignore_option=_option_label(settings, "ignore"))
    waivers = []
    if settings.waivers:
        waivers = check_waivers(load_waivers(settings.waivers), policy, settings.waivers)
    paths, several = plan_paths(args.plans)
    plans = []
    for path in paths:  # errors name the file as given; reports and SARIF name it relative to the cwd
        plan = load_plan(path)
        plans.append(plan.model_copy(update={"source": _relative(path)}))
    inputs = {str(path): "plan" for path in paths}
    for path, plan in zip(paths, plans, strict=True):
        inputs.update(snapshot_inputs(path, plan))
    inputs.update({path: role for role, path in (("waivers file", settings.waivers), ("signals file",
                   settings.signals), ("config file", settings.config_file), ("baseline file", settings.baseline))
                   if path})
    plan_dirs = [Path(argument) for argument in args.plans if Path(argument).is_dir()]
    jobs = output_jobs(settings.output, settings.format)
    written = [path for _, path in jobs if path]
    refuse_clobbering(written, inputs, plan_dirs)
    if args.write_baseline:  # an output too: it may refresh the baseline in place, but not replace anything else
        others = {path: role for path, role in inputs.items() if role != "baseline file"}
        refuse_clobbering([args.write_baseline], {**others, **{path: "report" for path in written}}, plan_dirs)
    refuse_unwritable([*written, *([args.write_baseline] if args.write_baseline else [])])
    evaluated = [evaluate(plan, signals=settings.signals, offline=settings.offline, policies=policy,
                          waivers=waivers, allow_private_networks=args.allow_private) for plan in plans]
    reports = [selection.restrict(report, chosen) for report in evaluated]
    reports, known = _baseline(reports, settings.baseline, args.write_baseline, policy, settings.quiet)

    needs = set().union(*(REGISTRY[fmt].needs for fmt, _ in jobs))
    sources = {plan.source or "": path for plan, path in zip(plans, paths, strict=True)}
    root = Path(args.sarif_root) if args.sarif_root else repository_root(Path.cwd())
    base = RenderContext(
        quiet=settings.quiet, fail_on=settings.fail_on,
        rules=rule_docs(policy) if "rules" in needs else {},
        plan_lines={source: _plan_lines(path) for source, path in sources.items()} if "locations" in needs else {},
        artifact_paths={source: _root_relative(path, root) for source, path in sources.items()},
        plan_details={plan.source or "": plan.model_dump(mode="json") for plan in plans}
        if "plan_details" in needs else {},
        baseline=known,
    )
    for fmt, target in jobs:
        entry = REGISTRY[fmt]
        context = replace(base, colour="colour" in entry.needs and target is None and use_colour())
        rendered = entry.render_many(reports, context) if several else entry.render(reports[0], context)
        write_output(rendered, target)
    if not settings.quiet:
        _note_expired_waivers(reports, settings.waivers or "")
        _note_unused_waivers(waivers, evaluated, settings.waivers or "")
    if args.exit_zero:
        return Exit.OK
    return Exit.FINDINGS if any(report.exceeds(settings.fail_on) for report in reports) else Exit.OK


def _baseline(reports: list[Any], given: Optional[str], write: Optional[str], policy: Any,
              quiet: bool) -> tuple[list[Any], bool]:
    """Apply ``--baseline`` (or record ``--write-baseline`` and apply that); returns the reports and whether a
    baseline is in use. Notes on stderr: what was written, and recorded entries that matched nothing."""
    if not write and not given:
        return reports, False
    from .. import baseline as baselines
    from .._files import write_atomic

    if write:
        if Path(write).suffix.lower() != ".json":
            raise UsageError(f"scrapecheck check: --write-baseline {write}: the baseline is JSON; name it *.json")
        recorded = baselines.record(reports)
        write_atomic(write, baselines.dumps(recorded))
        if not quiet:
            note(f"scrapecheck: wrote {len(recorded.findings)} finding(s) to baseline {write}\n")
        return baselines.apply_to_all(reports, recorded), True
    assert given
    loaded = baselines.load_baseline(given, policy)
    applied = baselines.apply_to_all(reports, loaded)
    unmatched = len(loaded.findings) - sum(1 for report in applied for finding in report.findings
                                           if finding.baseline)
    if unmatched and not quiet:
        note(f"scrapecheck: note: {given}: {unmatched} baseline entr{'y' if unmatched == 1 else 'ies'} "
                         "matched no finding in this run (fixed, or the plan moved); --write-baseline refreshes it\n")
    return applied, True


def _option_label(settings: Any, name: str) -> str:
    origin = settings.origin(name)
    key = name.replace("_", "-")
    return f"--{key}" if origin in ("command line", "default") else f"{origin}: {key}"


def _note_unused_waivers(waivers: Sequence[Any], reports: Sequence[Any], source: str) -> None:
    """One note on stderr per waiver that matched no finding in this run: stale, or a typo in its target."""
    for index, waiver in enumerate(waivers):
        if not any(waiver.covers(finding) for report in reports for finding in report.findings):
            where = f" for {waiver.target}" if waiver.target else ""
            note(f"scrapecheck: note: {source}: waivers[{index}] ({waiver.rule}{where}) matched no "
                             "finding in this run\n")


def _note_expired_waivers(reports: Sequence[Any], source: str) -> None:
    """One note on stderr per expired waiver that still matches a finding: it has stopped applying."""
    seen = set()
    for report in reports:
        for finding in report.findings:
            waiver = finding.waiver or {}
            if not waiver.get("expired"):
                continue
            key = (finding.rule_id, finding.target, waiver.get("expires"))
            if key in seen:
                continue
            seen.add(key)
            where = f" for {finding.target}" if finding.target else ""
            note(f"scrapecheck: note: {source}: waiver for {finding.rule_id}{where} expired on "
                             f"{waiver.get('expires')} and no longer applies\n")
