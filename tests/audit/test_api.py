"""The Python API: ``scrapecheck.audit`` yields one typed row per URL, in order, with the evidence."""

from __future__ import annotations

import pytest
from .data import ACME, ACME_SEARCH, SIGNALS, URLS

import scrapecheck
from scrapecheck.errors import InputError


def test_rows_in_order_with_verdicts_and_evidence() -> None:
    rows = list(scrapecheck.audit(URLS, agents=["AcmeBot/1.0", "GPTBot"], purpose="ai-training", signals=SIGNALS))
    assert [r.row for r in rows] == list(range(len(URLS)))
    assert [r.url for r in rows] == URLS
    assert [r.agents[0].verdict for r in rows] == ACME
    assert [r.agents[1].verdict for r in rows] == ["disallowed", "disallowed", "disallowed", "reserved",
                                                   "invalid", "unknown", "disallowed", "allowed"]
    assert [r.keep for r in rows] == [False] * 7 + [True]
    first, second = rows[0], rows[1]
    assert first.origin == "https://a.example" and first.robots_outcome == "ok" and first.robots_status == 200
    # AcmeBot is not named while GPTBot (an AI-training crawler) is blocked: an AI-training reservation
    assert first.agents[0].optout_kind == "robots-ai-intent"
    assert first.agents[0].optout_value == "AI-training crawlers blocked: GPTBot"
    assert second.agents[0].robots_line == 2 and second.agents[0].robots_rule == "Disallow: /private/"
    assert rows[1].agents[1].robots_line == 6  # GPTBot's own group
    assert rows[6].origin == "https://a.example"  # upper case host and default port fold into one origin
    assert rows[6].agents[0].robots_rule == "Allow: /private/ok"
    c = rows[3].agents[0]
    assert (c.optout_kind, c.optout_source, c.optout_value) == (
        "content-signal", "https://c.example/robots.txt#L2", "Content-Signal: ai-train=no")
    assert rows[2].robots_outcome == "unreachable" and rows[2].agents[0].robots_line is None
    assert rows[4].robots_outcome == "invalid-url" and rows[4].error
    assert rows[5].robots_outcome == "missing" and "no robots.txt recorded" in rows[5].error


def test_purpose_decides_which_opt_outs_bind() -> None:
    rows = scrapecheck.audit(URLS, agents=["AcmeBot"], purpose="search-indexing", signals=SIGNALS)
    assert [r.agents[0].verdict for r in rows] == ACME_SEARCH


def test_as_dict_uses_the_documented_column_names() -> None:
    from scrapecheck.audit.columns import agents_from, row_columns

    row = next(iter(scrapecheck.audit(URLS[:1], agents=["Google-Extended"], purpose="ai-training",
                                      signals=SIGNALS)))
    assert list(row.as_dict()) == [c.name for c in row_columns(agents_from(["Google-Extended"]))]
    assert "google_extended_verdict" in row.as_dict()


def test_generator_streams() -> None:
    def endless():
        n = 0
        while True:
            n += 1
            yield f"https://a.example/{n}"

    rows = scrapecheck.audit(endless(), agents=["AcmeBot"], purpose="research", signals=SIGNALS)
    assert [next(rows).url for _ in range(3)] == ["https://a.example/1", "https://a.example/2", "https://a.example/3"]


def test_odd_items_are_invalid_rows_not_errors() -> None:
    rows = list(scrapecheck.audit([None, 42, "https://e.example/"], agents=["AcmeBot"], purpose="research",
                                  signals=SIGNALS))
    assert [r.agents[0].verdict for r in rows] == ["invalid", "invalid", "allowed"]
    assert "not a string" in rows[1].error


def test_package_import_does_not_shadow_the_function() -> None:
    import scrapecheck.audit.run  # noqa: F401 - binds scrapecheck.audit to the package
    from scrapecheck import audit

    assert [r.keep for r in audit(["https://e.example/"], agents=["X"], purpose="other", signals=SIGNALS)] == [True]


@pytest.mark.parametrize("kwargs, message", [
    ({"agents": [], "purpose": "ai-training", "signals": SIGNALS}, "at least one agent"),
    ({"agents": ["/1.0"], "purpose": "ai-training", "signals": SIGNALS}, "no product token"),
    ({"agents": ["A/1", "a/2"], "purpose": "ai-training", "signals": SIGNALS}, "same product token"),
    ({"agents": ["A"], "purpose": "world-domination", "signals": SIGNALS}, "not a purpose"),
    ({"agents": ["A"], "purpose": "ai-training"}, "no signals"),
    ({"agents": ["A"], "purpose": "ai-training", "signals": SIGNALS, "fetch": True}, "not both"),
    ({"agents": ["A"], "purpose": "ai-training", "signals": {"version": 2}}, "version"),
])
def test_bad_arguments_are_input_errors(kwargs: dict, message: str) -> None:
    with pytest.raises(InputError, match=message):
        list(scrapecheck.audit(["https://a.example/"], **kwargs))


@pytest.mark.parametrize("library", ["pandas", "polars"])
def test_audit_column_returns_a_frame_of_the_same_library(library: str) -> None:
    lib = pytest.importorskip(library)
    if library == "pandas":
        column = lib.Series(URLS, index=[10 + i for i in range(len(URLS))], name="url")
    else:
        column = lib.Series("url", URLS)
    from scrapecheck.audit import audit_column

    frame = audit_column(column, agents=["AcmeBot"], purpose="ai-training", signals=SIGNALS)
    assert type(frame).__module__.split(".")[0] == library
    assert list(frame["acmebot_verdict"]) == ACME
    if library == "pandas":
        assert list(frame.index) == list(column.index)


def test_path_scoped_tdmrep_reserves_only_its_paths() -> None:
    tdm = "https://t.example/.well-known/tdmrep.json"
    signals = {"version": 1, "targets": {"https://t.example": {
        "origin": "https://t.example",
        "robots": {"url": "https://t.example/robots.txt", "outcome": "not-found", "status": 404},
        "opt_outs": [{"kind": "tdmrep", "scopes": ["tdm", "ai-training"], "where": tdm,
                      "value": "tdmrep.json: location /books/*: tdm-reservation: 1"}]}}}
    urls = ["https://t.example/books/1", "https://t.example/news/1"]
    rows = list(scrapecheck.audit(urls, agents=["AcmeBot"], purpose="ai-training", signals=signals))
    assert [r.agents[0].verdict for r in rows] == ["reserved", "allowed"]
    assert (rows[0].agents[0].optout_kind, rows[0].agents[0].optout_source) == ("tdmrep", tdm)
    rows = list(scrapecheck.audit(urls, agents=["AcmeBot"], purpose="search-indexing", signals=signals))
    assert [r.agents[0].verdict for r in rows] == ["allowed", "allowed"]


def test_low_confidence_notices_do_not_refuse() -> None:
    signals = {"version": 1, "targets": {"https://n.example": {
        "origin": "https://n.example", "opt_outs": [],
        "robots": {"url": "https://n.example/robots.txt", "outcome": "ok", "status": 200,
                   "body": "# No AI training on this site without permission.\nUser-agent: *\nAllow: /\n"}}}}
    rows = list(scrapecheck.audit(["https://n.example/a"], agents=["AcmeBot"], purpose="ai-training",
                                  signals=signals))
    assert rows[0].agents[0].verdict == "allowed" and rows[0].agents[0].robots_rule == "Allow: /"


def test_docs_list_every_column() -> None:
    from pathlib import Path

    from scrapecheck.audit.columns import render_markdown

    page = (Path(__file__).resolve().parents[2] / "docs" / "audit.md").read_text(encoding="utf-8")
    start = page.index("<!-- columns:")
    section = page[page.index("\n", start) + 1: page.index("<!-- end of columns -->")]
    assert section == render_markdown(), "docs/audit.md is stale: paste render_markdown() between the markers"


def test_the_audit_decides_through_the_per_agent_matcher() -> None:
    """The audit's one seam onto robots.txt rules: the matcher's per-agent decide (verdict and deciding line)."""
    from scrapecheck.audit.decide import matcher
    from scrapecheck.robots import RobotsPolicy

    policy = RobotsPolicy.parse("User-agent: *\nDisallow: /a\nAllow: /a/ok\n")
    decide = matcher(policy, "AcmeBot").decide
    allowed, rule = decide("https://x.example/a/b")
    assert allowed is False and (rule.line, rule.text) == (2, "Disallow: /a")
    assert decide("https://x.example/a/ok")[1].line == 3 and decide("https://x.example/b") == (True, None)


def test_plain_hosts_skip_the_origin_parser_and_agree_with_it() -> None:
    """Lower-case ASCII names are their own origin; everything else goes through the project's origin function."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from scrapecheck._url import origin
    from scrapecheck.audit.origins import OriginCache
    from scrapecheck.errors import InputError

    def exact(url: str) -> object:
        try:
            return origin(url)
        except InputError:
            return None

    @settings(max_examples=300, deadline=None)
    @given(st.sampled_from(["http", "https"]), st.text("abz09.-X:[]%", min_size=0, max_size=12))
    def agree(scheme: str, host: str) -> None:
        url = f"{scheme}://{host}/p"
        assert OriginCache(canonical=lambda u: origin(u))(url)[0] == exact(url)

    agree()
    for url in ("https://1.2.3.4/", "https://xn--bcher-kva.example/", "https://a.example:443/", "https://a.example./"):
        assert OriginCache()(url)[0] == origin(url)


@pytest.mark.parametrize("agents", [["AcmeBot"], ["AcmeBot", "GPTBot"]])
def test_items_that_are_not_plain_strings(agents: list[str]) -> None:
    """None and numbers are invalid rows with the reason; a str subclass is read as its text."""
    from .data import SIGNALS

    class Text(str):
        pass

    rows = list(scrapecheck.audit([None, 5, Text("https://a.example/private/x"), "https://a.example/x"],
                                  agents=agents, purpose="research", signals=SIGNALS))
    assert [r.url for r in rows] == ["", "5", "https://a.example/private/x", "https://a.example/x"]
    assert [r.error for r in rows[:2]] == ["not a string (NoneType)", "not a string (int)"]
    assert [r.agents[0].verdict for r in rows] == ["invalid", "invalid", "disallowed", "allowed"]
    assert rows[2].agents[0].robots_rule == "Disallow: /private/"


def test_per_origin_state_stays_bounded() -> None:
    """Decisions live in two generations of max_origins; URL heads are bounded too, whatever the spellings."""
    from scrapecheck.audit.columns import agents_from
    from scrapecheck.audit.pipeline import Auditor
    from scrapecheck.audit.sources import RecordedSource

    from .data import SIGNALS

    from scrapecheck.signals.model import Signals

    auditor = Auditor(agents_from(["AcmeBot"]), "research", RecordedSource(Signals.model_validate(SIGNALS)),
                      max_origins=2)
    spellings = [f"https://{host}.example{port}/x" for host in "abcde" for port in ("", ":443")] * 3
    urls = [u.replace("a.example", "A.example") if i % 2 else u for i, u in enumerate(spellings)]
    rows = list(auditor.rows(urls))
    assert len(rows) == len(urls) and len(auditor.decisions) <= 2 and len(auditor._old) <= 2
    assert len(auditor.heads) <= 8
    assert [r[2] for r in rows[:2]] == ["https://a.example", "https://a.example"]
    assert [r[7] for r in rows[:3]] == ["allowed", "allowed", "disallowed"]  # b.example: unreachable


@pytest.mark.parametrize("agents", [["AcmeBot"], ["AcmeBot", "GPTBot"]])
def test_answers_from_the_path_agree_with_the_whole_url(agents: list[str]) -> None:
    """A URL whose head is known is matched on what follows its authority (RuleSet.decide_path); every spelling
    of the rest of the URL (queries, fragments, escapes, ';', '@', odd heads) gets the deciding rule that
    deciding the whole URL gives."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from scrapecheck.audit.columns import agents_from
    from scrapecheck.audit.pipeline import Auditor
    from scrapecheck.audit.sources import RecordedSource
    from scrapecheck.robots import RobotsPolicy
    from scrapecheck.signals.model import Signals

    body = ("User-agent: *\nDisallow: /private/\nAllow: /private/ok\nDisallow: /*.pdf$\nDisallow: /q?a=\n"
            "Disallow: /%7Euser\nAllow: /;x\nDisallow: /a%2fb\n\nUser-agent: GPTBot\nDisallow: /\nAllow: /ok\n")
    signals = {"version": 1, "targets": {o: {"origin": o, "opt_outs": [], "robots": {
        "url": o + "/robots.txt", "outcome": "ok", "status": 200, "body": body}}
        for o in ("https://a.example", "http://b.example:8080", "https://a.example;x")}}
    matchers = [RobotsPolicy.parse(body).matcher(a) for a in agents]
    auditor = Auditor(agents_from(agents), "research", RecordedSource(Signals.model_validate(signals)))
    heads = ["https://a.example", "http://b.example:8080", "https://A.example:443", "https://a.example?",
             "https://a.example#", "https://u@a.example", "https://a.example;x"]

    @settings(max_examples=300, deadline=None)
    @given(st.sampled_from(heads), st.text("/?#;%:@aokqx=.pdf~7EeF2", min_size=0, max_size=14))
    def agree(head: str, rest: str) -> None:
        url = head + "/" + rest
        for row in list(auditor.rows([url, url])):  # the second one finds its head known
            if row[4] != "ok":
                continue
            for a, matcher in enumerate(matchers):
                allowed, rule = matcher.decide(url)
                line = rule.line if rule is not None else None
                assert row[8 + 6 * a] == line, (url, agents[a])
                assert (row[7 + 6 * a] == "disallowed") == (not allowed), (url, agents[a])

    agree()


def test_tally_counts_per_origin_and_keeps_the_tables_view() -> None:
    """The tally counts in C per origin and verdict; the tables' per-origin view is built once per change
    (it is read once per origin by the tables), and stays right as more rows are counted."""
    from scrapecheck.audit.columns import agents_from
    from scrapecheck.audit.pipeline import Auditor
    from scrapecheck.audit.sources import RecordedSource
    from scrapecheck.signals.model import Signals

    from .data import SIGNALS

    auditor = Auditor(agents_from(["AcmeBot", "GPTBot"]), "ai-training",
                      RecordedSource(Signals.model_validate(SIGNALS)))
    list(auditor.rows(URLS))
    tally = auditor.tally
    assert tally.counts is tally.counts
    assert tally.counts["https://a.example"] == [3, 0, 1, 2, 0, 3, 0]
    assert (tally.urls, tally.invalid, tally.kept) == (8, 1, 1)
    list(auditor.rows(["https://a.example/x"]))
    assert tally.counts["https://a.example"][:4] == [4, 0, 1, 3] and tally.urls == 9
