"""``scrapecheck audit INPUT --agent UA --purpose P (--signals FILE | --fetch) [--output OUT]``: per-URL verdicts.

One row per input URL, in order: origin, robots.txt outcome and, per agent, the verdict, the deciding robots
line and the AI opt-out that applies (``docs/audit.md`` documents every column). ``--filter`` writes the input
back without the rows that must be dropped. A headline goes to stderr; the exit status is 0 whatever the
sites say (2 for bad input or options).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from ..cli import Exit
from ._options import add_fetch_options, count, fetch_config

NAME = "audit"

_PURPOSES = ("ai-training", "ai-inference", "search-indexing", "research", "archiving", "price-monitoring",
             "marketing", "lead-generation", "data-resale", "security-research", "personal", "other")
_EPILOG = (
    "Outputs beside OUT: OUT.origins.EXT (per origin), OUT.domains.EXT (per registered domain) and "
    "OUT.summary.EXT (headline); with --fetch, OUT.journal.jsonl records every origin fetched, and running the "
    "same command again resumes from it without fetching those origins again. Verdicts: allowed, disallowed "
    "(robots.txt; an unreachable robots.txt disallows all, RFC 9309), reserved (an AI opt-out binds the "
    "purpose), unknown (no signals for the origin), invalid (not an http(s) URL)."
)


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """Register ``audit`` on the CLI's subparsers."""
    parser = subparsers.add_parser(NAME, help="per-URL robots.txt and AI opt-out verdicts for a dataset",
                                   description=(__doc__ or "").splitlines()[0], epilog=_EPILOG)
    parser.add_argument("input", metavar="INPUT",
                        help="URLs: a text file (one per line), CSV/TSV (--column), JSONL (--field) or Parquet; "
                             "'-' reads text from stdin")
    parser.add_argument("--agent", action="append", required=True, metavar="UA",
                        help="a crawler or AI agent to audit for (User-Agent or product token); repeatable")
    parser.add_argument("--purpose", required=True, choices=_PURPOSES, metavar="P",
                        help=f"what the data is for: {', '.join(_PURPOSES)}")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--signals", metavar="FILE", help="signals recorded by 'scrapecheck fetch' (no network)")
    where.add_argument("--fetch", action="store_true", help="fetch each origin's robots.txt and opt-outs once")
    parser.add_argument("--output", "-o", metavar="OUT", help="where the rows go (default: stdout)")
    parser.add_argument("--format", choices=("csv", "jsonl", "parquet"), default=None,
                        help="output format (default: from OUT's suffix, else csv)")
    parser.add_argument("--input-format", choices=("text", "csv", "tsv", "jsonl", "parquet"), default=None,
                        help="input format (default: from INPUT's suffix, else text)")
    parser.add_argument("--column", metavar="NAME", help="CSV/TSV/Parquet column holding the URL (default: url)")
    parser.add_argument("--field", metavar="NAME", help="JSONL field holding the URL, dots for nesting (default: url)")
    parser.add_argument("--filter", action="store_true",
                        help="write the input back (same format, other columns unchanged) without the rows that "
                             "any agent may not use")
    parser.add_argument("--keep-reasons", action="store_true",
                        help=f"with --filter: add a column '{'scrapecheck_reason'}' saying why each row is kept")
    parser.add_argument("--user-agent", metavar="UA",
                        help="User-Agent sent when fetching (default: scrapecheck's own)")
    parser.add_argument("--robots-only", action="store_true",
                        help="with --fetch: fetch robots.txt only, not /.well-known/tdmrep.json")
    parser.add_argument("--journal", metavar="FILE", help="with --fetch: journal file (default: OUT.journal.jsonl)")
    parser.add_argument("--engine", choices=("local", "dask"), default="local",
                        help="local: one process, streaming; dask: partitions by origin on a Dask cluster "
                             "(needs scrapecheck[dask]); writes partitioned Parquet to the OUT directory")
    parser.add_argument("--scheduler", metavar="ADDRESS",
                        help="with --engine dask: the scheduler to use (default: start a local cluster)")
    parser.add_argument("--workers", type=count(1), default=2, metavar="N",
                        help="with --engine dask and no --scheduler: local worker processes (default: 2)")
    parser.add_argument("--partitions", type=count(1), default=None, metavar="N",
                        help="with --engine dask: origin partitions (default: 1 per worker)")
    parser.add_argument("--max-origins", type=count(1), default=50_000, metavar="N",
                        help="compiled origins kept in memory at once (default: 50000)")
    parser.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                        help="progress bar on stderr (default: when stderr is a terminal)")
    parser.add_argument("--quiet", "-q", action="store_true", help="no headline on stderr")
    add_fetch_options(parser, concurrency=True)
    return parser


def run(args: argparse.Namespace) -> int:
    """Run ``audit``; input problems raise ScrapecheckError (the CLI makes them exit 2)."""
    from ..audit.run import AuditJob, headline
    from ..audit.run import run as run_audit
    from ..errors import InputError

    if args.keep_reasons and not args.filter:
        raise InputError("--keep-reasons", "keep-reasons", "only with --filter")
    if args.scheduler and args.engine != "dask":
        raise InputError("--scheduler", "scheduler", "only with --engine dask")
    if args.partitions is not None and args.engine != "dask":
        raise InputError("--partitions", "partitions", "only with --engine dask")
    for given, option in ((args.allow_private, "allow-private"), (args.robots_only, "robots-only"),
                          (args.user_agent is not None, "user-agent")):
        if given and not args.fetch:  # ignored otherwise: the signals file already says what was fetched, and how
            raise InputError(f"--{option}", option, "only with --fetch")
    if args.journal is not None and not args.fetch:  # ignored, the user believed the run resumable
        raise InputError("--journal", "journal", "only with --fetch (a journal records what was fetched)")
    job = AuditJob(
        input=args.input, agents=args.agent, purpose=args.purpose, signals=args.signals, fetch=args.fetch,
        output=args.output, format=args.format, input_format=args.input_format, column=args.column,
        field=args.field, filter=args.filter, keep_reasons=args.keep_reasons, allow_private=args.allow_private,
        fetch_config=fetch_config(args, fetch_pages=not args.robots_only) if args.fetch else None, journal=args.journal,
        user_agent=args.user_agent, engine=args.engine, scheduler=args.scheduler, partitions=args.partitions,
        workers=args.workers,
        progress=args.progress, max_origins=args.max_origins,
    )
    tally = run_audit(job)
    if not args.quiet:
        sys.stderr.write("scrapecheck audit:\n" + headline(tally))
        for note in job.notes:
            sys.stderr.write(f"  {note}\n")
    return Exit.OK
