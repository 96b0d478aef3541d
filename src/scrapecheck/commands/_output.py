"""Where command results go: stdout, or a file written through ``_files.write_atomic``; colour decisions."""

from __future__ import annotations

import os
import sys
from typing import Optional


def write_output(text: str, output: Optional[str]) -> None:
    """``text`` to the file ``output``, or to stdout when it is None or empty."""
    from .._files import write_atomic

    if output:
        write_atomic(output, text)
    else:
        sys.stdout.write(text)


def use_colour() -> bool:
    """ANSI colour on stdout: a terminal, ``NO_COLOR`` unset, ``TERM`` not ``dumb``."""
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"
