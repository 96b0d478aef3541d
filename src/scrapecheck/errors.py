"""One exception tree: everything scrapecheck raises on purpose derives from ScrapecheckError.

The CLI turns any ScrapecheckError into one line on stderr and exit status 2; anything else is a bug.
"""

from __future__ import annotations


class ScrapecheckError(Exception):
    """Everything raised on purpose. ``cli.main`` turns it into exit 2."""


class UsageError(ScrapecheckError):
    """The command line itself is wrong (unknown option, bad value, missing argument); the message names the
    command, e.g. ``scrapecheck check: --select needs rule ids``."""


#: Past this many characters a source (a URL, most often) is cut in an error's message.
_LONGEST_SOURCE = 300


class InputError(ScrapecheckError):
    """Something a user gave us is wrong; names the file (or source) and the field path."""

    def __init__(self, source: str, field: str, message: str) -> None:
        shown = source if len(source) <= _LONGEST_SOURCE else f"{source[:120]}...({len(source):,} characters)"
        where = f"{shown}: {field}" if field else shown
        super().__init__(f"{where}: {message}")
        self.source = source  # whole: only the message is cut (a URL of megabytes made a message of megabytes)
        self.field = field
        self.message = message


class PlanError(InputError):
    """A crawl plan that does not load or validate; ``problems`` lists every (field, message) found."""

    problems: list[tuple[str, str]]

    def __init__(self, source: str, field: str, message: str) -> None:
        super().__init__(source, field, message)
        self.problems = [(field, message)]


class PolicyError(InputError):
    """A rule pack, sources table or platforms table that does not validate."""


class WaiverError(InputError):
    """A waivers file that does not validate."""


class BaselineError(InputError):
    """A baseline file (``--baseline``) that does not load or validate."""


class SignalsError(InputError):
    """A recorded signals file that does not load or validate."""


class SignalError(ScrapecheckError):
    """Fetching a target's signal failed; ``url`` names it and ``__cause__`` holds the transport error."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__(f"{url}: {message}")
        self.url = url


class GuardClosedError(ScrapecheckError, ValueError):
    """A Guard's decision log was closed (``Guard.close()``) and a refusal it should record came after: raised rather
    than a refusal answered and left out of the log. Also a ValueError, as writing to a closed file is."""
