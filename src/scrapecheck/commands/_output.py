"""Where command results go: stdout or files (written atomically), never over an input; colour decisions."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Mapping, Optional, Sequence

from ..errors import ScrapecheckError, UsageError

PLAN_SUFFIXES = (".toml", ".json")


def write_output(text: str, output: Optional[str]) -> None:
    """``text`` to the file ``output`` (atomically: temp file, fsync, rename), or to stdout when it is None."""
    from .._files import write_atomic

    if output:
        write_atomic(output, text)
        return
    try:
        out(text, flush=True)
    except BrokenPipeError:
        _stdout_closed()


def out(text: str, *, flush: bool = False) -> None:
    """``text`` to stdout, the one way commands write there. A full disk or an I/O error is a ScrapecheckError
    ("cannot write to stdout: ...", exit 2; it was a traceback); a closed pipe (BrokenPipeError) is left to the
    caller. ``flush`` writes it through now (``cli.main`` flushes what is left when the command returns)."""
    try:
        sys.stdout.write(text)
        if flush:
            sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        _detach_stdout()
        raise ScrapecheckError(f"cannot write to stdout: {exc.strerror or exc}") from None


def flush_stdout() -> None:
    """What the command left buffered for stdout, written now, with :func:`out`'s errors; a reader that is gone
    (a closed pipe) is not an error here: the command's status stands."""
    try:
        out("", flush=True)
    except BrokenPipeError:
        _detach_stdout()


def _stdout_closed() -> None:
    """The reader of stdout is gone (``scrapecheck check ... | head``): say so, send the rest of stdout to the null
    device, and go on, so the run still writes its other outputs and exits with its own status (it returned 0,
    whatever the findings, and skipped every ``--output FORMAT:FILE`` after the first broken write)."""
    note("scrapecheck: note: stdout was closed by its reader; the report written there is cut short\n")
    _detach_stdout()


def _detach_stdout() -> None:
    """Point stdout's descriptor at the null device: what is still buffered, and the flush at exit, go there
    instead of failing again (a failed flush at exit changes the exit status to 120)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, sys.stdout.fileno())
        finally:
            os.close(null)
    except (OSError, ValueError, AttributeError):  # no descriptor (a stream object in tests or an embedding)
        pass


def output_jobs(specs: Sequence[str], default_format: str) -> list[tuple[str, Optional[str]]]:
    """(format, path or None for stdout) for each report to write.

    The ``--format`` report goes to stdout, or to the one ``--output FILE`` given without a format; each
    ``--output FORMAT:FILE`` adds a report in that format. The same file named twice is an error.
    """
    from ..config import split_output

    primary: list[str] = []
    extra: list[tuple[str, Optional[str]]] = []
    for spec in specs:
        fmt, path = split_output(spec)
        if fmt is None:
            primary.append(path)
        else:
            extra.append((fmt, path))
    if len(primary) > 1:
        raise UsageError("scrapecheck check: --output without FORMAT: names where the --format report goes; give it "
                         f"once (got {', '.join(primary)}), or prefix the others with their format (sarif:FILE)")
    from .._files import path_key

    jobs: list[tuple[str, Optional[str]]] = [(default_format, primary[0] if primary else None), *extra]
    seen: dict[str, str] = {}
    for _, target in jobs:
        if target is None:
            continue
        key = path_key(Path(target))
        if key in seen:
            raise UsageError(f"scrapecheck check: {target} is named by two --output options")
        seen[key] = target
    return jobs


def refuse_clobbering(outputs: Sequence[str], inputs: Mapping[str, str], plan_dirs: Sequence[Path] = ()) -> None:
    """Refuse (exit 2, before any work) an output that would replace an input or be read back as a plan.

    ``inputs`` maps each path the run reads to what it is ("plan", "waivers file", ...). ``plan_dirs`` are the
    directories given as PLAN: a ``.toml`` or ``.json`` report written into one would be checked as a plan by
    the next run over that directory.
    """
    from .._files import same_file

    for output in outputs:
        target = Path(output)
        for path, role in inputs.items():
            if same_file(target, Path(path)):
                raise ScrapecheckError(f"{output}: is the {role} this run reads; writing the report there would "
                                       "destroy it (choose another output file)")
        if target.suffix.lower() in PLAN_SUFFIXES:
            for folder in plan_dirs:
                if same_file(target.parent if str(target.parent) else Path("."), folder):
                    raise ScrapecheckError(f"{output}: is in the plan directory {folder}, so the next run would read "
                                           "the report as a plan; write it outside that directory")


def refuse_unwritable(outputs: Sequence[str]) -> None:
    """Refuse (exit 2, before any work) an output that cannot be written: a directory, a FIFO or socket, or a
    file in a folder that does not exist. Commands that fetch first would otherwise lose what they fetched."""
    from .._files import check_writable

    for output in outputs:
        check_writable(output)


def visible(text: object) -> str:
    """Human-facing text with control and bidi characters shown as escapes (newlines kept)."""
    from ..formats._escape import visible as _visible

    return _visible(text, keep_newlines=True)


def note(text: str) -> None:
    """A diagnostic line (or lines) on stderr, made safe for the terminal."""
    sys.stderr.write(visible(text))


def use_colour() -> bool:
    """ANSI colour on stdout, by no-color.org and force-color.org.

    A non-empty ``NO_COLOR`` turns it off (an empty one does not); a non-empty ``FORCE_COLOR`` other than ``0``
    or ``false`` turns it on even off a terminal; ``NO_COLOR`` wins. Otherwise: a terminal whose ``TERM`` is
    not ``dumb``.
    """
    if os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR", "")
    if force and force.strip().lower() not in ("0", "false"):
        return True
    return sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
