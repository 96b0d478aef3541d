"""HTML for the people who decide: one self-contained page a legal or privacy reviewer can read, print and sign.

- Self-contained: inline CSS, an inline SVG chart, no script, no image, no font, no external anything. A
  Content-Security-Policy ``default-src 'none'`` meta tag makes the browser refuse any request the page might
  still make, so opening the file offline is the same as opening it online.
- Per plan: the plan in plain words (from ``context.plan_details`` when the CLI passes the plan, else the
  report's summary of it), a severity chart, every finding with its message, evidence, remediation, sources
  and limits as links with their dates, status and weight, waived and baseline findings labelled as such,
  what could not be checked, and the signals snapshot with hashes and times.
- A print stylesheet: A4/Letter friendly, no colours needed, every finding kept whole where it fits, link
  addresses printed after their text, and a sign-off block at the end.
- Everything that comes from a plan, a site or a pack is escaped (``html.escape``); only http(s) addresses
  become links. Deterministic: no clock, the same report gives the same bytes.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any, Iterable, Mapping, Optional, Sequence

from ..report import Finding, Report, Severity, SourceRef
from ._escape import visible
from .interface import DEFAULT_CONTEXT, RenderContext

_SEVERITIES = list(reversed(list(Severity)))  # critical first
_COLOURS = {Severity.CRITICAL: "#8b0000", Severity.HIGH: "#c0392b", Severity.MEDIUM: "#b7791f",
            Severity.LOW: "#2c6e9b", Severity.INFO: "#6b7280"}

_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; script-src 'none'; "
        "base-uri 'none'; form-action 'none'")

_CSS = """
:root { --ink: #1f2328; --muted: #57606a; --line: #d0d7de; --soft: #f6f8fa; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", sans-serif;
       color: var(--ink); margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.3rem; border-bottom: 2px solid var(--line); padding-bottom: .25rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin: 1.5rem 0 .5rem; }
h4 { font-size: 1rem; margin: 0 0 .25rem; }
p.lead, .muted { color: var(--muted); }
code, pre, .mono { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: .85em; }
td.mono { word-break: break-all; }
pre { background: var(--soft); padding: .5rem; overflow-x: auto; white-space: pre-wrap; word-break: break-all; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top;
         overflow-wrap: anywhere; }
th { background: var(--soft); font-weight: 600; }
td.num { text-align: right; }
.notice { border-left: 4px solid var(--muted); background: var(--soft); padding: .5rem .75rem; }
ul.plain { padding-left: 1.2rem; }
.chart { margin: .5rem 0 1rem; }
.finding { border: 1px solid var(--line); border-left: 6px solid var(--sev); border-radius: 4px;
           padding: .75rem 1rem; margin: 1rem 0; }
.finding.waived, .finding.known { opacity: .85; border-style: dashed; border-left-style: solid; }
.badge { display: inline-block; padding: 0 .45rem; border-radius: 3px; font-size: .8rem; font-weight: 600;
         color: #fff; background: var(--sev); text-transform: uppercase; letter-spacing: .03em; }
.tag { display: inline-block; padding: 0 .45rem; border-radius: 3px; font-size: .8rem; font-weight: 600;
       border: 1px solid var(--ink); margin-left: .35rem; }
.finding dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .75rem; margin: .5rem 0; }
.finding dt { font-weight: 600; color: var(--muted); }
.finding dd { margin: 0; overflow-wrap: anywhere; }
.cites li { margin-bottom: .25rem; }
.weight { font-size: .8rem; color: var(--muted); }
.signoff { margin-top: 2.5rem; page-break-inside: avoid; break-inside: avoid; }
.signoff th { width: 10rem; }
.signoff td { height: 2.5rem; }
footer { margin-top: 2rem; font-size: .85rem; color: var(--muted); }
@media print {
  @page { size: A4; margin: 16mm 14mm; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  a { color: inherit; text-decoration: none; }
  a[href^="http"]::after { content: " <" attr(href) ">"; font-size: 8pt; color: var(--muted);
                           overflow-wrap: anywhere; }
  .finding { break-inside: avoid; page-break-inside: avoid; opacity: 1; }
  h2, h3 { break-after: avoid; page-break-after: avoid; }
  details > summary { list-style: none; }
  details.snapshot-body { display: none; }
  .screen-only { display: none; }
}
"""


def _e(value: object) -> str:
    """Escape any text for HTML content or attribute values; control and bidi characters shown as escapes."""
    return escape(visible(value, keep_newlines=True), quote=True)


def _link(url: object, text: Optional[object] = None) -> str:
    """A link only for http(s) addresses; anything else (javascript:, data:, relative) is shown as text."""
    address = str(url or "")
    label = _e(text if text is not None else address)
    if address.lower().startswith(("https://", "http://")):
        return f'<a href="{_e(address)}" rel="noreferrer noopener">{label}</a>'
    return label


def _value(value: Any) -> str:
    if value is None:
        return '<span class="muted">none</span>'
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return _e(int(value))
    if isinstance(value, (dict, list)):
        if isinstance(value, list) and all(not isinstance(v, (dict, list)) for v in value):
            return _e(", ".join(str(v) for v in value)) if value else '<span class="muted">none</span>'
        return f"<pre>{_e(json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False))}</pre>"
    text = str(value)
    if "\n" in text:
        return f"<pre>{_e(text)}</pre>"
    return f"<code>{_e(text)}</code>"


# -- the plan in plain words -----------------------------------------------------------------------------------

_PURPOSES = {
    "ai-training": "training AI models", "ai-inference": "feeding AI systems at inference time",
    "search-indexing": "search indexing", "research": "research", "archiving": "archiving",
    "price-monitoring": "price monitoring", "marketing": "marketing", "lead-generation": "lead generation",
    "data-resale": "reselling the data", "security-research": "security research", "personal": "personal use",
    "other": "another purpose",
}
_AUTH = {
    "none": "does not log in", "own-account": "logs in with the operator's own account",
    "customer-accounts": "logs in with its customers' accounts",
    "purchased-accounts": "logs in with purchased accounts",
    "fake-accounts": "logs in with fake accounts", "shared-credentials": "logs in with shared credentials",
}


def _words(items: Iterable[object]) -> str:
    words = [str(item) for item in items]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def plain_words(summary: Mapping[str, Any], details: Optional[Mapping[str, Any]]) -> list[str]:
    """Sentences describing the plan (unescaped). ``details`` is the plan as a dict, when the caller has it."""
    purpose = str(summary.get("purpose") or "")
    sentences = [f"The crawler “{summary.get('name')}” identifies itself as “{summary.get('user_agent')}” and "
                 f"crawls for {_PURPOSES.get(purpose, purpose or 'an unstated purpose')}."]
    if not details:
        targets = list(summary.get("targets") or [])
        if targets:
            sentences.append(f"It fetches from {_words(targets)}.")
        return sentences
    crawler = details.get("crawler") or {}
    if crawler.get("operator"):
        region = f" ({str(crawler['operator_region']).upper()})" if crawler.get("operator_region") else ""
        sentences.append(f"It is run by {crawler['operator']}{region}"
                         + (f", reachable at {crawler['contact']}." if crawler.get("contact") else "."))
    intent = details.get("purpose") or {}
    if intent.get("description"):
        sentences.append(f"Stated purpose: {intent['description']}")
    sentences.append("The use is commercial." if intent.get("commercial") else "The use is not commercial.")
    for target in details.get("targets") or []:
        paths = target.get("paths") or []
        parts = [f"From {target.get('url')} it fetches {_words(paths) if paths else 'that address'}"]
        if target.get("requests_per_second") is not None:
            rate = target["requests_per_second"]
            parts.append(f"at up to {rate:g} request{'' if rate == 1 else 's'} per second")
        if target.get("concurrency") is not None:
            parts.append(f"over {target['concurrency']} connection{'s' if target['concurrency'] != 1 else ''}")
        sentences.append(" ".join(parts) + ".")
    access = details.get("access") or {}
    auth = str(access.get("authentication") or "none")
    sentence = f"It {_AUTH.get(auth, 'logs in (' + auth + ')')}"
    if access.get("account_count"):
        sentence += f" ({access['account_count']} accounts"
        sentence += ", created automatically)" if access.get("automated_signup") else ")"
    elif access.get("automated_signup"):
        sentence += " and creates accounts automatically"
    sentences.append(sentence + ".")
    if access.get("accepted_terms"):
        sentences.append("The operator has accepted the sites' terms.")
    if access.get("circumvention"):
        sentences.append(f"It circumvents access controls by {_words(access['circumvention'])}.")
    data = details.get("data") or {}
    if data.get("personal"):
        kinds = _words(data.get("categories") or []) or "unspecified kinds of data"
        who = f" about {data['estimated_subjects']:,} people" if data.get("estimated_subjects") else ""
        where = f" in {_words(str(r).upper() for r in data.get('subject_regions') or [])}" \
            if data.get("subject_regions") else ""
        sentences.append(f"It collects personal data ({kinds}){who}{where}.")
    else:
        sentences.append("It does not collect personal data.")
    use = details.get("use") or {}
    uses = []
    if use.get("sell"):
        uses.append("sold or licensed")
    if use.get("share_with"):
        uses.append(f"shared with {_words(use['share_with'])}")
    if use.get("train_models"):
        uses.append("used to train models")
    if uses:
        sentences.append(f"The data is {_words(uses)}.")
    if use.get("retention_days") is not None:
        sentences.append(f"It is kept for {use['retention_days']} days"
                         + ("; deletion requests are honoured." if use.get("honours_deletion_requests")
                            else "; deletion requests are not honoured."))
    if use.get("lawful_basis") and data.get("personal"):
        sentences.append(f"Lawful basis: {use['lawful_basis']}; data-protection impact assessment "
                         f"{'done' if use.get('dpia_done') else 'not done'}.")
    return sentences


# -- chart and findings -----------------------------------------------------------------------------------------


def _chart(report: Report, labelled_by: str) -> str:
    """A horizontal bar per severity (unwaived, new findings), drawn in inline SVG with the numbers as text."""
    counts = report.counts
    top = max(counts.values()) or 1
    row, width, label_w, bar_w = 26, 560, 90, 400
    height = row * len(_SEVERITIES) + 8
    parts = [f'<svg class="chart" role="img" aria-labelledby="{_e(labelled_by)}" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}" xmlns="http://www.w3.org/2000/svg">']
    for index, severity in enumerate(_SEVERITIES):
        y = 4 + index * row
        n = counts[severity.value]
        length = round(bar_w * n / top) if n else 0
        parts.append(f'<text x="0" y="{y + 17}" font-size="13" fill="#1f2328">{severity.value}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="18" fill="#f6f8fa" '
                     'stroke="#d0d7de"/>')
        if length:
            parts.append(f'<rect class="bar" data-severity="{severity.value}" x="{label_w}" y="{y + 3}" '
                         f'width="{length}" height="18" fill="{_COLOURS[severity]}"/>')
        parts.append(f'<text x="{label_w + bar_w + 8}" y="{y + 17}" font-size="13" fill="#1f2328">{n}</text>')
    parts.append("</svg>")
    return "".join(parts)


def _citations(kind: str, items: Sequence[SourceRef]) -> str:
    rows = []
    for item in items:
        detail = "; ".join(_e(x) for x in (item.court_or_body, item.date) if x)
        line = f'<li data-citation="{_e(item.id)}">{_link(item.url, item.title)}'
        if detail:
            line += f" — {detail}"
        line += f' <span class="weight">weight: {_e(item.weight.value)}</span>'
        if item.status:
            line += f'<br><span class="muted">Status: {_e(item.status)}</span>'
        rows.append(line + "</li>")
    if not rows:
        return ""
    return f'<h4>{_e(kind)}</h4><ul class="plain cites">{"".join(rows)}</ul>'


def _status_tags(finding: Finding) -> str:
    tags = []
    waiver = finding.waiver
    if waiver is not None and finding.suppressed:
        tags.append(f'<span class="tag">waived until {_e(waiver["expires"])}</span>')
    elif waiver is not None and waiver.get("expired"):
        tags.append(f'<span class="tag">waiver expired {_e(waiver["expires"])}</span>')
    if finding.baseline:
        tags.append('<span class="tag">baseline: known before</span>')
    return "".join(tags)


def _finding(finding: Finding, anchor: str) -> str:
    classes = ["finding", f"sev-{finding.severity.value}"]
    if finding.suppressed:
        classes.append("waived")
    if finding.baseline:
        classes.append("known")
    out = [f'<article class="{" ".join(classes)}" id="{anchor}" data-rule="{_e(finding.rule_id)}" '
           f'data-severity="{finding.severity.value}" style="--sev: {_COLOURS[finding.severity]}">',
           f'<h4><span class="badge">{finding.severity.value}</span> {_e(finding.rule_id)} — {_e(finding.title)}'
           f"{_status_tags(finding)}</h4>",
           f"<p>{_e(finding.message)}</p>", "<dl>",
           f"<dt>Concerns</dt><dd>{_link(finding.target) if finding.target else 'the whole plan'}</dd>",
           f"<dt>Category</dt><dd>{_e(finding.category.value)}</dd>"]
    if finding.weight is not None:
        out.append(f"<dt>Weight</dt><dd>{_e(finding.weight.value)} (the strongest of its sources)</dd>")
    evidence = finding.model_dump(mode="json", include={"evidence"})["evidence"]  # as JSON writes it (a set or a
    for key, value in evidence.items():  # tuple inside a dict made json.dumps raise TypeError)
        out.append(f"<dt>Evidence: <code>{_e(key)}</code></dt><dd>{_value(value)}</dd>")
    waiver = finding.waiver
    if waiver is not None:
        state = "expired on" if waiver.get("expired") else "until"
        who = f", approved by {_e(waiver['approved_by'])}" if waiver.get("approved_by") else ""
        out.append(f"<dt>Waiver</dt><dd>{_e(waiver['reason'])} ({state} {_e(waiver['expires'])}{who})</dd>")
    if finding.baseline:
        out.append("<dt>Baseline</dt><dd>Recorded in the baseline file: present before, not counted as new.</dd>")
    out.append(f"<dt>Remediation</dt><dd>{_e(finding.remediation)}</dd></dl>")
    out.append(_citations("Sources", finding.sources))
    out.append(_citations("Limits: authorities that narrow this rule's theory", finding.limits))
    out.append("</article>")
    return "".join(out)


def _signals(signals: Mapping[str, Any]) -> str:
    targets = signals.get("targets") or {}
    if not targets:
        return "<p>No signals were recorded.</p>"
    out = []
    if signals.get("collected_at"):
        out.append(f"<p>Collected at {_e(signals['collected_at'])}.</p>")
    out.append('<table class="signals"><thead><tr><th>origin</th><th>robots.txt</th><th>outcome</th>'
               "<th>from</th><th>fetched at</th><th>size</th><th>SHA-256</th></tr></thead><tbody>")
    bodies = []
    for origin in sorted(targets):
        entry = targets[origin] or {}
        robots = entry.get("robots") or {}
        source = robots.get("origin") or ""
        if robots.get("file"):
            source = f"{source} ({robots['file']})"
        size = robots.get("size")
        if robots.get("truncated"):
            size = f"{size} (truncated)"
        out.append(f"<tr><td>{_e(origin)}</td><td>{_link(robots.get('url', ''))}</td>"
                   f"<td>{_e(robots.get('outcome') or 'not collected')}"
                   f"{' (HTTP ' + _e(robots['status']) + ')' if robots.get('status') else ''}</td>"
                   f"<td>{_e(source)}</td><td>{_e(robots.get('fetched_at') or '—')}</td>"
                   f'<td class="num">{_e(size if size is not None else "—")}</td>'
                   f'<td class="mono">{_e(robots.get("sha256") or "—")}</td></tr>')
        extra = {key: value for key, value in entry.items()
                 if key not in ("robots", "origin") and value not in (None, [], {}, "")}
        body = robots.get("body")
        if body or extra:
            bodies.append(f'<details class="snapshot-body"><summary>{_e(origin)}: recorded content</summary>'
                          + (f"<pre>{_e(body)}</pre>" if body else "")
                          + (f"<pre>{_e(json.dumps(extra, indent=2, sort_keys=True, ensure_ascii=False))}</pre>"
                             if extra else "")
                          + "</details>")
    out.append("</tbody></table>")
    return "".join(out) + "".join(bodies)


def _plan_section(report: Report, index: int, context: RenderContext, several: bool) -> str:
    plan = report.plan
    source = plan.get("source") or ""
    details = context.plan_details.get(source) if source else None
    prefix = f"p{index}"
    out = [f'<section class="plan" id="{prefix}">',
           f"<h2>{'Plan: ' if several else ''}{_e(plan.get('name'))}</h2>",
           f'<p class="muted">Plan file <code>{_e(source or "given in code")}</code>'
           + (f" · scrapecheck {_e(report.tool_version)}" if report.tool_version else "") + "</p>",
           "<h3>The plan in plain words</h3>",
           "<ul class=\"plain\">" + "".join(f"<li>{_e(s)}</li>" for s in plain_words(plan, details)) + "</ul>",
           "<h3>Summary</h3>"]
    summary = report.summary()
    highest = summary["max_severity"] or "none"
    total = sum(summary["counts"].values())
    out.append(f'<p id="{prefix}-chart-title">{total} new unwaived finding{"s" if total != 1 else ""}; highest '
               f"severity: <strong>{_e(highest)}</strong>; {summary['suppressed']} waived; "
               f"{summary.get('baseline', 0)} in the baseline; {summary['not_checked']} not checked.</p>")
    out.append(_chart(report, f"{prefix}-chart-title"))
    out.append("<h3>Findings</h3>")
    if report.findings:
        out += [_finding(finding, f"{prefix}-f{n}") for n, finding in enumerate(report.findings, 1)]
    else:
        out.append("<p>No findings.</p>")
    if report.not_checked:
        out.append("<h3>Not checked</h3><p>These rules could not be decided for lack of a signal; they are not "
                   "passes. Run without <code>--offline</code> or pass <code>--signals</code>.</p><ul class=\"plain\">")
        out += [f"<li>{_e(item.rule_id)} for {_e(item.target or 'the whole plan')}: missing "
                f"{_e(', '.join(item.missing))}</li>" for item in report.not_checked]
        out.append("</ul>")
    out.append("<h3>Signals snapshot</h3>")
    out.append(_signals(report.model_dump(mode="json", include={"signals"})["signals"]))
    out.append("</section>")
    return "".join(out)


def render_many(reports: Sequence[Report], context: Optional[RenderContext] = None) -> str:
    context = context or DEFAULT_CONTEXT
    several = len(reports) > 1
    names = ", ".join(str(r.plan.get("name")) for r in reports) or "no plans"
    title = f"scrapecheck report: {names}"
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           '<meta name="referrer" content="no-referrer">',
           f"<title>{_e(title)}</title><style>{_CSS}</style></head><body>",
           f"<header><h1>{_e(title)}</h1>",
           '<p class="notice">A risk screen with sources, not legal advice. Each finding names the fact of the '
           "plan or the site that triggered it and the cases, statutes or statements it rests on; pending cases "
           "are allegations, not decisions. Limits list authorities that narrow a rule's theory.</p></header>"]
    if several:
        out.append('<h2>Plans</h2><table><thead><tr><th>plan</th><th>file</th>'
                   + "".join(f"<th>{s.value}</th>" for s in _SEVERITIES)
                   + "<th>waived</th><th>baseline</th></tr></thead><tbody>")
        for index, report in enumerate(reports, 1):
            summary = report.summary()
            out.append(f'<tr><td><a href="#p{index}">{_e(report.plan.get("name"))}</a></td>'
                       f"<td><code>{_e(report.plan.get('source') or '')}</code></td>"
                       + "".join(f'<td class="num">{summary["counts"][s.value]}</td>' for s in _SEVERITIES)
                       + f'<td class="num">{summary["suppressed"]}</td>'
                       f'<td class="num">{summary.get("baseline", 0)}</td></tr>')
        out.append("</tbody></table>")
    out += [_plan_section(report, index, context, several) for index, report in enumerate(reports, 1)]
    out.append('<section class="signoff"><h2>Review</h2><table><tbody>'
               "<tr><th>Decision</th><td></td></tr><tr><th>Conditions</th><td></td></tr>"
               "<tr><th>Reviewer</th><td></td></tr><tr><th>Date</th><td></td></tr>"
               "<tr><th>Signature</th><td></td></tr></tbody></table></section>")
    version = reports[0].tool_version if reports else ""
    out.append(f"<footer>Generated by scrapecheck {_e(version)}. The findings are risk signals drawn from the "
               "cited sources as of the dates shown; they are not legal advice.</footer></body></html>")
    return "\n".join(out) + "\n"


def render(report: Report, context: Optional[RenderContext] = None) -> str:
    return render_many([report], context)
