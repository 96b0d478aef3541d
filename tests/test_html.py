"""The HTML report: parsed with the standard library's HTML parser; hostile plan and site text stays text."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Optional

from conftest import EXAMPLES

from scrapecheck import evaluate, load_plan
from scrapecheck.baseline import apply_baseline, record
from scrapecheck.formats import FORMATS, FORMATS_MANY, html
from scrapecheck.formats.interface import RenderContext
from scrapecheck.plan import parse_plan
from scrapecheck.report import Report
from scrapecheck.waivers import Waiver

HOSTILE = '<script>window.__pwned = 1</script><img src="https://evil.example/x.png" onerror="alert(1)">'
HOSTILE_PLAN = {
    "version": 1,
    "crawler": {"name": f"x{HOSTILE}", "user_agent": 'EvilBot/1.0 "><svg onload=alert(1)>',
                "operator": f"Op {HOSTILE}", "contact": "mailto:a@evil.example"},
    "purpose": {"kind": "ai-training", "description": f"train </li></ul>{HOSTILE}", "commercial": True},
    "targets": [{
        "url": "https://evil.example/",
        "paths": ["/a/"],
        "robots_txt": ("# The use of robots or other automated means to access this site without permission is "
                       f"strictly prohibited. {HOSTILE}\n# </pre><script>alert(2)</script>\n"
                       "User-agent: *\nDisallow: /a/\n"),
    }],
    "access": {"authentication": "fake-accounts", "account_count": 3},
    "data": {"personal": True, "categories": ["public-profile"], "estimated_subjects": 5000000},
}


class Tree(HTMLParser):
    """Every start tag with its attributes, and the text, as the browser's tokenizer would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, Optional[str]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, Optional[str]]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def of(self, tag: str) -> list[dict[str, Optional[str]]]:
        return [attrs for name, attrs in self.tags if name == tag]


def parse(document: str) -> Tree:
    tree = Tree()
    tree.feed(document)
    tree.close()
    return tree


def hostile_report() -> Report:
    plan = parse_plan(HOSTILE_PLAN, source="hostile.toml").model_copy(update={"source": "plans/<evil>.toml"})
    return evaluate(plan, offline=True, today=date(2026, 1, 1))


def example_report(name: str = "linkedin-fake-accounts.toml") -> Report:
    plan = load_plan(EXAMPLES / "plans" / name)
    return evaluate(plan.model_copy(update={"source": f"examples/plans/{name}"}), offline=True)


def context_for(*reports_and_plans: tuple[Report, dict]) -> RenderContext:
    return RenderContext(plan_details={r.plan["source"]: p for r, p in reports_and_plans})


def assert_self_contained(tree: Tree) -> None:
    """No script, no subresource of any kind; links only to http(s); no event-handler attribute anywhere."""
    for forbidden in ("script", "img", "iframe", "object", "embed", "link", "video", "audio", "source", "base",
                      "form", "input", "meta-refresh"):
        assert not tree.of(forbidden), forbidden
    for name, attrs in tree.tags:
        assert not [key for key in attrs if key.startswith("on")], (name, attrs)
        assert "src" not in attrs, (name, attrs)
        if name == "a":
            href = attrs["href"] or ""
            assert href.startswith(("https://", "http://", "#")), href
    csp = [m for m in tree.of("meta") if (m.get("http-equiv") or "").lower() == "content-security-policy"]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")


def test_hostile_text_stays_text() -> None:
    report = hostile_report()
    notice = next(f for f in report.findings if f.rule_id == "ROB-053")  # quotes the robots.txt comment
    assert HOSTILE in str(notice.evidence)
    document = html.render(report, context_for((report, HOSTILE_PLAN)))
    tree = parse(document)
    assert_self_contained(tree)
    text = "".join(tree.text)
    assert HOSTILE in text  # shown to the reader, verbatim, as text
    assert "<script>alert(2)</script>" in text  # the robots.txt comment, from the signals snapshot
    assert 'EvilBot/1.0 "><svg onload=alert(1)>' in text
    assert not tree.of("svg") or all("onload" not in attrs for attrs in tree.of("svg"))
    assert len(tree.of("svg")) == 1  # the chart only


def test_every_finding_is_an_article_with_its_sources_and_status() -> None:
    report = example_report()
    waiver = Waiver(rule=report.findings[0].rule_id, reason="Accepted <b>by</b> counsel", expires=date(2099, 1, 1))
    plan = load_plan(EXAMPLES / "plans" / "linkedin-fake-accounts.toml").model_copy(
        update={"source": "examples/plans/linkedin-fake-accounts.toml"})
    waived = evaluate(plan, offline=True, waivers=[waiver])
    known = apply_baseline(waived, record([waived.model_copy(update={"findings": waived.findings[1:3]})]))
    document = html.render(known, context_for((known, plan.model_dump(mode="json"))))
    tree = parse(document)
    assert_self_contained(tree)
    articles = [attrs for attrs in tree.of("article")]
    assert [a["data-rule"] for a in articles] == [f.rule_id for f in known.findings]
    assert len({a["id"] for a in articles}) == len(articles)
    classes = [set((a["class"] or "").split()) for a in articles]
    assert "waived" in classes[0] and "known" not in classes[0]
    assert all("known" in c for c in classes[1:3]) and not any("known" in c for c in classes[3:])
    text = "".join(tree.text)
    assert "waived until 2099-01-01" in text and "Accepted <b>by</b> counsel" in text
    assert text.count("baseline: known before") == 2
    hrefs = {a["href"] for a in tree.of("a")}
    assert {s.url for f in known.findings for s in f.sources} <= hrefs
    for finding in known.findings:
        assert finding.remediation in text
    assert "It logs in with fake accounts (5000 accounts, created automatically)." in text  # the plan in plain words
    assert "317000b48c99dd3e8279846c39ac74485c74a8ff8f1db135a053e1b0e05a7c0c" in text  # the snapshot's hash


def test_chart_bars_follow_the_counts() -> None:
    report = example_report()
    tree = parse(html.render(report))
    bars = {attrs["data-severity"]: int(attrs["width"] or 0) for attrs in tree.of("rect") if attrs.get("data-severity")}
    counts = {name: n for name, n in report.counts.items() if n}
    assert set(bars) == set(counts)
    top = max(counts.values())
    assert bars[max(counts, key=lambda k: counts[k])] == 400
    for name, n in counts.items():
        assert abs(bars[name] - 400 * n / top) <= 1


def test_limits_and_weights_are_rendered() -> None:
    report = example_report()
    finding = report.findings[0]
    limit = finding.sources[-1].model_copy(update={"id": "limit-case", "title": "A <limiting> case",
                                                   "url": "https://court.example/limit?a=1&b=2"})
    limited = report.model_copy(update={"findings": [finding.model_copy(update={"limits": [limit]})]})
    tree = parse(html.render(limited))
    article = "".join(tree.text)
    for source in finding.sources:
        assert f"weight: {source.weight.value}" in article
    assert f"{finding.weight.value} (the strongest of its sources)" in article
    assert "Limits: authorities that narrow this rule's theory" in article and "A <limiting> case" in article
    assert "https://court.example/limit?a=1&b=2" in {a["href"] for a in tree.of("a")}
    assert [a["data-citation"] for a in tree.of("li") if a.get("data-citation")][-1] == "limit-case"


def test_only_web_addresses_become_links() -> None:
    assert html._link("javascript:alert(1)") == "javascript:alert(1)"
    assert html._link("https://a.example/?q=\"><x") == (
        '<a href="https://a.example/?q=&quot;&gt;&lt;x" rel="noreferrer noopener">https://a.example/?q=&quot;&gt;&lt;x</a>')


def test_several_plans_share_one_page() -> None:
    reports = [example_report(name) for name in ("linkedin-fake-accounts.toml", "clean-archiving.toml")]
    document = html.render_many(reports)
    tree = parse(document)
    assert_self_contained(tree)
    assert [a["id"] for a in tree.of("section") if a.get("class") == "plan"] == ["p1", "p2"]
    assert {"#p1", "#p2"} <= {a["href"] for a in tree.of("a")}
    assert len(tree.of("article")) == sum(len(r.findings) for r in reports)


def test_deterministic_and_registered() -> None:
    report = example_report()
    assert html.render(report) == html.render(report)
    assert FORMATS["html"] is html.render and FORMATS_MANY["html"] is html.render_many


def test_cli_writes_html(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    done = subprocess.run([sys.executable, "-m", "scrapecheck", "check", "plans/x-signup-flood.toml", "--offline",
                           "--format", "html", "--output", str(out)], capture_output=True, text=True,
                          cwd=str(EXAMPLES))
    assert done.returncode == 1, done.stderr
    tree = parse(out.read_text(encoding="utf-8"))
    assert_self_contained(tree)
    assert "plans/x-signup-flood.toml" in "".join(tree.text)
    assert "It logs in with" in "".join(tree.text)  # the CLI passed the whole plan
