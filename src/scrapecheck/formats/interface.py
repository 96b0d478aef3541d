"""What a formatter is given besides Reports: plain values the CLI prepares, so formatters stay pure.

A formatter never reads files, the clock or the environment. The CLI gathers what a format needs (is the
terminal colour-capable, the rule documentation, the line of each plan field) and passes it in here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Mapping, Optional, Sequence

if TYPE_CHECKING:
    from ..report import Report


@dataclass(frozen=True)
class Citation:
    id: str
    title: str
    url: str
    date: str = ""
    weight: str = ""


@dataclass(frozen=True)
class RuleDoc:
    """A rule's documentation as SARIF and Markdown show it (built from the policy by ``docs.rule_docs``)."""

    id: str
    title: str
    severity: str
    category: str
    why: str
    example: str
    remediation: str
    checks: str = ""
    sources: tuple[Citation, ...] = ()
    status: str = "stable"
    limits: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class RenderContext:
    """Options for one rendering.

    colour: ANSI colours in text output (the CLI sets it only for a terminal without NO_COLOR).
    quiet: text output keeps only the summary line (and nothing at all when there are no findings).
    fail_on: the gate severity, named in the text and Markdown summaries when given.
    rules: rule id -> documentation, for SARIF rule metadata; findings alone are used when it is empty.
    plan_lines: plan source (as in ``report.plan["source"]``) -> plan field path -> 1-based line number.
    plan_details: plan source -> the whole plan as a JSON-ready dict, for formats that describe the plan (HTML).
    baseline: a baseline was given (``--baseline``/``--write-baseline``): SARIF then marks every result new or
        unchanged, and the text summary counts the findings it holds.
    artifact_paths: plan source -> its path relative to the repository root (POSIX separators), as SARIF,
    GitHub and GitLab name files; a source missing here is named as given.
    """

    colour: bool = False
    quiet: bool = False
    fail_on: Optional[str] = None
    rules: Mapping[str, RuleDoc] = field(default_factory=dict)
    plan_lines: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    plan_details: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    baseline: bool = False
    artifact_paths: Mapping[str, str] = field(default_factory=dict)


DEFAULT_CONTEXT = RenderContext()

Render = Callable[["Report", Optional[RenderContext]], str]
RenderMany = Callable[[Sequence["Report"], Optional[RenderContext]], str]


@dataclass(frozen=True)
class Format:
    """One entry of the format registry (``formats.REGISTRY``): CLI choices, config values and docs derive from it.

    module: the module of ``scrapecheck.formats`` that has its ``render`` and ``render_many``; it is imported on
    first use, so a run pays only for the formats it writes.
    suffix: the usual file suffix (goldens, examples). summary: one line for the docs table.
    needs: what the CLI must gather into the ``RenderContext`` for it: ``rules`` (rule docs), ``locations``
    (plan field lines and repository-relative paths), ``plan_details`` (the whole plan), ``colour`` (a terminal
    may get ANSI colour).
    """

    module: str
    suffix: str
    summary: str
    needs: frozenset[str] = frozenset()

    @property
    def render(self) -> Render:
        """``render(report, context=None) -> str`` for one plan."""
        return self._module().render  # type: ignore[no-any-return]

    @property
    def render_many(self) -> RenderMany:
        """``render_many(reports, context=None) -> str`` for a run over several plans."""
        return self._module().render_many  # type: ignore[no-any-return]

    def _module(self) -> Any:
        from importlib import import_module

        return import_module(f"scrapecheck.formats.{self.module}")
