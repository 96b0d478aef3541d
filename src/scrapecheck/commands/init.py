"""``scrapecheck init [PATH]``: write the commented plan template shipped in the package."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..cli import Exit
from ..errors import ScrapecheckError
from ._output import note, write_output

NAME = "init"


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(NAME, help="write a commented plan template")
    parser.add_argument("path", nargs="?", default="crawl.toml", help="where to write it (default: crawl.toml)")
    parser.add_argument("--force", action="store_true", help="overwrite an existing file")
    return parser


def run(args: argparse.Namespace) -> int:
    path = Path(args.path)
    if path.suffix.lower() != ".toml":
        raise ScrapecheckError(f"{path}: the template is TOML; name the file *.toml")
    if path.exists() and not args.force:
        raise ScrapecheckError(f"{path}: already exists (use --force to overwrite)")
    from importlib import resources  # not at the top: every command's parser is built on each run

    template = resources.files("scrapecheck").joinpath("data/plan-template.toml").read_text(encoding="utf-8")
    write_output(template, str(path))
    note(f"wrote {path}; edit it, then run: scrapecheck check {path}\n")
    return Exit.OK
