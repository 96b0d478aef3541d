"""The sub-commands of ``scrapecheck``: one module each, registered in :data:`COMMANDS`.

Each module has ``NAME``, ``add_parser(subparsers) -> ArgumentParser`` and ``run(args) -> int`` (the exit
status; ``cli.Exit``). Module tops import only the standard library, so building the parser stays cheap; the
work is imported inside ``run``. Only ``scrapecheck.cli`` imports this package (an import-rule test says so).
To add a command: write ``commands/<name>.py`` and add one line below (see docs/architecture.md).
"""

from __future__ import annotations

from types import ModuleType

from . import audit, check, explain, fetch, init, robots, rules, sources

COMMANDS: dict[str, ModuleType] = {
    "check": check,
    "fetch": fetch,
    "robots": robots,
    "rules": rules,
    "explain": explain,
    "init": init,
    "sources": sources,
    "audit": audit,
}
"""Command name -> module, in the order ``scrapecheck --help`` lists them."""

__all__ = ["COMMANDS"]
