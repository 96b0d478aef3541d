"""The ``scrapecheck`` command: builds the parser from ``commands.COMMANDS``, runs one, maps errors to exit 2.

Results on stdout, diagnostics on stderr; only ``main`` exits (through its return value).
Exit status: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 wrong input or invocation.
"""

from __future__ import annotations

import argparse
import enum
import sys
from typing import Optional, Sequence

from ._version import __version__
from .errors import ScrapecheckError, UsageError


class Exit(enum.IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as exit 2 through ``main`` instead of exiting itself."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def _parser() -> argparse.ArgumentParser:
    from .commands import COMMANDS

    parser = _Parser(prog="scrapecheck", description=(
        "Check a crawl plan against site policies and the law; findings come with evidence and sources."))
    parser.add_argument("--version", action="version", version=f"scrapecheck {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in COMMANDS.values():
        module.add_parser(subparsers)
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    from .commands import COMMANDS

    module = COMMANDS.get(args.command or "")
    if module is None:
        raise UsageError("scrapecheck: a command is required (see scrapecheck --help)")
    return int(module.run(args))


def _visible(error: Exception) -> str:
    """An error message on one line, control and bidi characters (from files, sites, arguments) as escapes."""
    from .formats._escape import visible

    return visible(error)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status (the console script exits with it)."""
    try:
        parser = _parser()
        args = parser.parse_args(argv)
        return int(_dispatch(args))
    except UsageError as exc:
        sys.stderr.write(f"{_visible(exc)}\n")
        return Exit.USAGE
    except ScrapecheckError as exc:
        sys.stderr.write(f"scrapecheck: error: {_visible(exc)}\n")
        return Exit.USAGE
    except KeyboardInterrupt:
        sys.stderr.write("scrapecheck: interrupted\n")
        return 130
    except BrokenPipeError:
        return Exit.OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
