"""Output formats. Each renders Reports to text and knows nothing else: no engine, no files, no clock.

Every format module has ``render(report, context=None)`` for one plan and ``render_many(reports, context=None)``
for a run over several plans or a directory; ``context`` (``interface.RenderContext``) carries the few
options the CLI prepares (colour, quiet, rule docs, plan field lines, repository-relative paths).

:data:`REGISTRY` is the one table of formats: ``--format`` and ``--output FORMAT:PATH`` choices, the config's
``format`` values and the table in ``docs/ci.md`` derive from it (a test keeps the docs and goldens in step).
To add a format: write ``formats/<name>.py`` and add one entry here (see docs/architecture.md). A format's module
is imported when its renderer is first used, so ``--format text`` does not load the HTML or SARIF code.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .interface import Format, Render, RenderContext, RenderMany, RuleDoc

if TYPE_CHECKING:
    from ..report import Report

REGISTRY: dict[str, Format] = {
    "text": Format("text", "txt", "For people: findings by target, evidence, fix; a summary "
                   "line last. Colour on a terminal.", frozenset({"colour"})),
    "json": Format("json", "json", "For machines: the report model "
                   "(`docs/schema/report.schema.json`)."),
    "sarif": Format("sarif", "sarif", "SARIF 2.1.0 for code scanning; files relative to the "
                    "repository root.", frozenset({"rules", "locations"})),
    "markdown": Format("markdown", "md", "For pull-request comments and job summaries; "
                       "all site and plan text escaped."),
    "github": Format("github", "github.txt", "GitHub Actions workflow commands "
                     "(`::error file=…,line=…::`): annotations on the plan's lines.", frozenset({"locations"})),
    "gitlab": Format("gitlab", "gitlab.json", "GitLab Code Quality JSON "
                     "(`artifacts:reports:codequality`).", frozenset({"locations"})),
    "html": Format("html", "html", "One self-contained page for reviewers (plan in plain "
                   "words, chart, findings with sources and limits); prints to PDF for sign-off.",
                   frozenset({"plan_details"})),
}
"""Format name -> its entry, in the order ``--help`` and the docs list them."""

FORMAT_NAMES: tuple[str, ...] = tuple(REGISTRY)
"""The ``--format`` choices and the config's ``format`` values."""


def __getattr__(name: str) -> Any:
    """``FORMATS`` and ``FORMATS_MANY`` (name -> render function) import every format, so only on request;
    ``Report`` is re-exported lazily for the same reason."""
    if name == "FORMATS":
        return {fmt: entry.render for fmt, entry in REGISTRY.items()}
    if name == "FORMATS_MANY":
        return {fmt: entry.render_many for fmt, entry in REGISTRY.items()}
    if name == "Report":
        from ..report import Report

        return Report
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def format_table() -> str:
    """The Markdown table of formats that ``docs/ci.md`` embeds (checked for staleness by the tests)."""
    rows = ["| format | file | what it is for |", "|---|---|---|"]
    rows += [f"| `{name}` | `*.{entry.suffix}` | {entry.summary} |" for name, entry in REGISTRY.items()]
    return "\n".join(rows) + "\n"


__all__ = ["FORMATS", "FORMATS_MANY", "FORMAT_NAMES", "REGISTRY", "Format", "RenderContext", "Report", "RuleDoc",
           "format_table"]
