"""The pure core: plan + signals + policy (+ waivers, + today) in, a frozen Report out.

No network, no files, no clock: everything arrives as arguments, so the same inputs give the same report.
"""

from __future__ import annotations

import string
from datetime import date
from enum import Enum
from typing import Any, Mapping, Optional, Sequence

from ._version import __version__
from .plan import CrawlPlan
from .policy.kinds import Context, Outcome, PlanOutcomes, TargetView
from .policy.load import Policy
from .policy.models import Rule
from .report import Finding, NotChecked, Report, SourceRef
from .robots import RobotsPolicy, product_token
from .signals.model import Signals
from .signals.registry import opt_outs_by_signal
from .signals.snapshot import from_plan
from .waivers import Waiver, apply_waivers


class _Formatter(string.Formatter):
    """Fills ``{access.authentication}``-style placeholders from evidence first, then the plan."""

    def __init__(self, plan: CrawlPlan, evidence: Mapping[str, Any], target: Optional[str]) -> None:
        self.plan, self.evidence, self.target = plan, evidence, target

    def get_field(self, field_name: str, args: Any, kwargs: Any) -> tuple[Any, str]:
        if field_name in self.evidence:
            return self.evidence[field_name], field_name
        if field_name == "target":
            return self.target, field_name
        try:
            return self.plan.resolve(field_name), field_name
        except KeyError:  # an evidence key that the branch which decided did not produce
            return None, field_name

    def format_field(self, value: Any, format_spec: str) -> str:
        if value is None:
            return "unknown"
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (list, tuple)):
            return ", ".join(self.format_field(item, "") for item in value) or "none"
        if isinstance(value, float) and not format_spec:
            return f"{value:g}"
        return super().format_field(value, format_spec)


def _plan_summary(plan: CrawlPlan) -> dict[str, Any]:
    return {
        "name": plan.crawler.name,
        "source": plan.source,
        "user_agent": plan.crawler.user_agent,
        "purpose": plan.purpose.kind,
        "targets": [target.url for target in plan.targets],
    }


def _clean(evidence: Mapping[str, Any]) -> dict[str, Any]:
    """Evidence as JSON-ready plain values, keys sorted, so reports are byte-for-byte stable."""
    def plain(value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            return [plain(item) for item in value]
        if isinstance(value, Mapping):
            return {str(k): plain(v) for k, v in sorted(value.items())}
        if isinstance(value, Enum):
            return value.value
        return value
    return {key: plain(value) for key, value in sorted(evidence.items())}


def _views(plan: CrawlPlan, signals: Signals, policy: Policy) -> list[TargetView]:
    token = product_token(plan.crawler.user_agent)
    compiled: dict[str, tuple[Optional[RobotsPolicy], dict[str, Any]]] = {}
    views = []
    for target in plan.targets:
        origin = target.origin  # a property that parses the URL: once per target
        collected = signals.for_origin(origin)
        robots = collected.robots if collected else None
        if origin not in compiled:
            parsed = RobotsPolicy.parse(robots.effective_rules) if robots is not None else None
            compiled[origin] = (parsed, opt_outs_by_signal(collected, parsed, token))
        robots_policy, by_signal = compiled[origin]
        views.append(TargetView(
            target=target,
            robots=robots,
            robots_policy=robots_policy,
            robots_opt_outs=by_signal.get("robots"),
            page_opt_outs=by_signal.get("pages"),
            platform=policy.platform_for(target.host),
            other_opt_outs={name: value for name, value in by_signal.items() if name not in ("robots", "pages")},
        ))
    return views


def _conditions(rule: Rule) -> list[Any]:
    """Every condition of a rule the engine may evaluate: ``when``, ``unless`` and each cap's ``when``."""
    return [rule.when, *([rule.unless] if rule.unless is not None else []), *(cap.when for cap in rule.caps)]


def _exempt(rule: Rule, ctx: Context) -> bool:
    """The rule's ``unless`` holds; an undecided exemption does not excuse."""
    return rule.unless is not None and ctx.evaluate(rule.unless).state is True


def _finding(rule: Rule, policy: Policy, plan: CrawlPlan, outcome: Outcome, target: Optional[str],
             ctx: Context, cited: dict[str, SourceRef]) -> Finding:
    message = _Formatter(plan, outcome.evidence, target).format(rule.message)
    severity, evidence, limits = rule.severity, dict(outcome.evidence), list(rule.limits)
    for cap in rule.caps:  # every cap that holds lowers the ceiling; an undecided cap does not
        if cap.severity < severity and ctx.evaluate(cap.when).state is True:
            severity = cap.severity
            evidence["severity_capped"] = {"from": rule.severity.value, "to": cap.severity.value,
                                           "reason": cap.reason}
            limits += [source_id for source_id in cap.limits if source_id not in limits]
    return Finding(rule_id=rule.id, title=rule.title, severity=severity, category=rule.category,
                   message=message, target=target, evidence=_clean(evidence),
                   sources=_citations(policy, rule.sources, cited), limits=_citations(policy, limits, cited),
                   remediation=rule.remediation)


def _citations(policy: Policy, ids: Sequence[str], cited: dict[str, SourceRef]) -> list[SourceRef]:
    """The citations of ``ids``; each source's (frozen) SourceRef is made once per evaluation, in ``cited``."""
    refs = []
    for source_id in ids:
        ref = cited.get(source_id)
        if ref is None:
            s = policy.sources[source_id]
            ref = cited[source_id] = SourceRef(id=s.id, title=s.title, url=s.url, date=s.date,
                                               court_or_body=s.court_or_body, status=s.status, weight=s.weight)
        refs.append(ref)
    return refs


def evaluate_plan(
    plan: CrawlPlan,
    policy: Policy,
    *,
    signals: Optional[Signals] = None,
    waivers: Sequence[Waiver] = (),
    today: Optional[date] = None,
) -> Report:
    """Evaluate every active rule; rules undecided for lack of a signal are listed, never passed silently."""
    thresholds = policy.threshold_values(plan.thresholds, plan.source or "<plan>")
    base = from_plan(plan)
    merged = signals.merged_over(base) if signals is not None else base
    views = _views(plan, merged, policy)
    findings: list[Finding] = []
    cited: dict[str, SourceRef] = {}
    not_checked: list[NotChecked] = []
    undecided: dict[str, dict[str, list[str]]] = {}
    active = [rule for rule in policy.rules if rule.status != "deprecated"]
    meta_rules = [rule for rule in active if rule.after_others]
    plain_rules = [rule for rule in active if not rule.after_others]

    memo = PlanOutcomes([check for rule in active for check in _conditions(rule)])
    plan_ctx = Context(plan=plan, thresholds=thresholds, plan_outcomes=memo)
    target_ctxs = [(view, Context(plan=plan, thresholds=thresholds, target=view, plan_outcomes=memo))
                   for view in views]
    for rule in plain_rules:
        if not rule.target_scoped:
            outcome = plan_ctx.evaluate(rule.when)
            if outcome.state and not _exempt(rule, plan_ctx):
                findings.append(_finding(rule, policy, plan, outcome, None, plan_ctx, cited))
            continue
        for view, ctx in target_ctxs:
            outcome = ctx.evaluate(rule.when)
            if outcome.state:
                if not _exempt(rule, ctx):
                    findings.append(_finding(rule, policy, plan, outcome, view.target.url, ctx, cited))
            elif outcome.state is None:
                missing = sorted(outcome.missing)
                not_checked.append(NotChecked(rule_id=rule.id, target=view.target.url, missing=missing))
                for signal in missing:
                    undecided.setdefault(view.target.url, {}).setdefault(signal, []).append(rule.id)

    for rule in meta_rules:
        for view in views:
            per_signal = {name: tuple(ids) for name, ids in undecided.get(view.target.url, {}).items()}
            ctx = Context(plan=plan, thresholds=thresholds, target=view, undecided=per_signal, plan_outcomes=memo)
            outcome = ctx.evaluate(rule.when)
            if outcome.state and not _exempt(rule, ctx):
                findings.append(_finding(rule, policy, plan, outcome, view.target.url, ctx, cited))

    findings = apply_waivers(findings, waivers, today)
    findings.sort(key=Finding.sort_key)
    return Report(
        tool_version=__version__,
        plan=_plan_summary(plan),
        findings=findings,
        not_checked=sorted(not_checked, key=lambda item: (item.rule_id, item.target or "")),
        signals=_report_signals(merged),
    )


def _report_signals(signals: Signals) -> dict[str, Any]:
    """The signals as a report embeds them.

    A robots.txt read from a snapshot file in the plan's folder is identified by its name, size and SHA-256 but
    not copied into the report: the file is the operator's own, a report travels further than the plan (CI
    artefacts, pull-request comments), and findings quote the lines they rest on. Fetched bodies stay: they are
    the evidence of what the site served.
    """
    data = signals.model_dump(mode="json")
    for target in data.get("targets", {}).values():
        robots = target.get("robots") if isinstance(target, dict) else None
        if isinstance(robots, dict) and robots.get("origin") == "snapshot" and robots.get("file"):
            robots.pop("body", None)
            robots.pop("body_base64", None)
    return data
