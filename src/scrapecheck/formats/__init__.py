"""Output formats. Each renders Reports to text and knows nothing else: no engine, no files, no clock.

Every format module has ``render(report, context=None)`` for one plan and ``render_many(reports, context=None)``
for a run over several plans or a directory; ``context`` (``interface.RenderContext``) carries the few
options the CLI prepares (colour, quiet, rule docs, plan field lines, repository-relative paths).

:data:`REGISTRY` is the one table of formats: ``--format`` and ``--output FORMAT:PATH`` choices, the config's
``format`` values and the table in ``docs/ci.md`` derive from it (a test keeps the docs and goldens in step).
To add a format: write ``formats/<name>.py`` and add one entry here (see docs/architecture.md).
"""

from __future__ import annotations

from ..report import Report
from . import github, gitlab, html, json, markdown, sarif, text
from .interface import Format, Render, RenderContext, RenderMany, RuleDoc

REGISTRY: dict[str, Format] = {
    "text": Format(text.render, text.render_many, "txt", "For people: findings by target, evidence, fix; a summary "
                   "line last. Colour on a terminal.", frozenset({"colour"})),
    "json": Format(json.render, json.render_many, "json", "For machines: the report model "
                   "(`docs/schema/report.schema.json`)."),
    "sarif": Format(sarif.render, sarif.render_many, "sarif", "SARIF 2.1.0 for code scanning; files relative to the "
                    "repository root.", frozenset({"rules", "locations"})),
    "markdown": Format(markdown.render, markdown.render_many, "md", "For pull-request comments and job summaries; "
                       "all site and plan text escaped."),
    "github": Format(github.render, github.render_many, "github.txt", "GitHub Actions workflow commands "
                     "(`::error file=…,line=…::`): annotations on the plan's lines.", frozenset({"locations"})),
    "gitlab": Format(gitlab.render, gitlab.render_many, "gitlab.json", "GitLab Code Quality JSON "
                     "(`artifacts:reports:codequality`).", frozenset({"locations"})),
    "html": Format(html.render, html.render_many, "html", "One self-contained page for reviewers (plan in plain "
                   "words, chart, findings with sources and limits); prints to PDF for sign-off.",
                   frozenset({"plan_details"})),
}
"""Format name -> its entry, in the order ``--help`` and the docs list them."""

FORMATS: dict[str, Render] = {name: entry.render for name, entry in REGISTRY.items()}
FORMATS_MANY: dict[str, RenderMany] = {name: entry.render_many for name, entry in REGISTRY.items()}
FORMAT_NAMES: tuple[str, ...] = tuple(REGISTRY)
"""The ``--format`` choices and the config's ``format`` values."""


def format_table() -> str:
    """The Markdown table of formats that ``docs/ci.md`` embeds (checked for staleness by the tests)."""
    rows = ["| format | file | what it is for |", "|---|---|---|"]
    rows += [f"| `{name}` | `*.{entry.suffix}` | {entry.summary} |" for name, entry in REGISTRY.items()]
    return "\n".join(rows) + "\n"


__all__ = ["FORMATS", "FORMATS_MANY", "FORMAT_NAMES", "REGISTRY", "Format", "RenderContext", "Report", "RuleDoc",
           "format_table"]
