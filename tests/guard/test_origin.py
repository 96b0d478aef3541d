"""The per-origin decision core: robots outcomes, deciding lines, purpose-aware opt-outs, path scopes, pacing."""

from __future__ import annotations

import dataclasses

import pytest

from scrapecheck.guard import OptOutSignal, OriginRules, RobotsFetch
from scrapecheck.signals.model import OptOut, RobotsSignal, TargetSignals

ORIGIN = "https://a.example"
OK = RobotsFetch("success", 200, "ok", f"{ORIGIN}/robots.txt")
UA = "AcmeBot/1.0 (+https://acme.example/bot)"


def rules(body: str, fetch: RobotsFetch = OK, opt_outs: tuple[OptOutSignal, ...] = ()) -> OriginRules:
    return OriginRules(ORIGIN, fetch, body, opt_outs)


def test_disallowed_url_names_the_deciding_line() -> None:
    r = rules("User-agent: *\nAllow: /private/ok\nDisallow: /private/\n")
    d = r.decide(f"{ORIGIN}/private/x", UA, "search-indexing")
    assert not d.allowed
    assert d.token == "AcmeBot" and d.purpose == "search-indexing"
    (reason,) = d.reasons
    assert (reason.rule_id, reason.line, reason.text, reason.blocking) == ("ROB-001", 3, "Disallow: /private/", True)
    assert reason.source == f"{ORIGIN}/robots.txt"
    assert r.decide(f"{ORIGIN}/private/ok", UA, "search-indexing").allowed
    assert r.decide(f"{ORIGIN}/public", UA, "search-indexing").reasons == ()
    assert d.robots == OK


def test_decisions_are_frozen_and_shared() -> None:
    r = rules("User-agent: *\nDisallow: /x\n")
    a, b = r.decide(f"{ORIGIN}/x/1", UA, "other"), r.decide(f"{ORIGIN}/x/2", UA, "other")
    assert a is b
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.allowed = True  # type: ignore[misc]


def test_unreachable_refuses_everything() -> None:
    fetch = RobotsFetch("unreachable", 503, "unreachable", f"{ORIGIN}/robots.txt")
    d = OriginRules(ORIGIN, fetch).decide(f"{ORIGIN}/", UA, "search-indexing")
    assert not d.allowed and d.rule_ids == ("ROB-051",)
    assert "503" in d.reasons[0].message
    assert d.robots.outcome == "unreachable" and d.robots.status == 503


@pytest.mark.parametrize(("detail", "status", "note"), [("not-found", 404, None), ("refused", 403, "ROB-050")])
def test_unavailable_allows_everything(detail: str, status: int, note: str | None) -> None:
    fetch = RobotsFetch("unavailable", status, detail, f"{ORIGIN}/robots.txt")
    d = OriginRules(ORIGIN, fetch, "User-agent: *\nDisallow: /\n").decide(f"{ORIGIN}/x", UA, "ai-training")
    assert d.allowed
    assert d.rule_ids == ((note,) if note else ())
    assert all(not r.blocking for r in d.reasons)


def test_purpose_decides_which_opt_outs_refuse() -> None:
    r = rules("User-agent: *\nAllow: /\nContent-Signal: ai-train=no, search=yes\n")
    training = r.decide(f"{ORIGIN}/a", UA, "ai-training")
    assert not training.allowed
    (reason,) = training.reasons
    assert (reason.rule_id, reason.signal, reason.line) == ("AIO-014", "content-signal", 3)
    assert reason.text == "Content-Signal: ai-train=no, search=yes"
    assert r.decide(f"{ORIGIN}/a", UA, "search-indexing").allowed
    assert r.decide(f"{ORIGIN}/a", UA, "ai-training", respect_ai_optouts=False).allowed


def test_search_reservation_refuses_search_indexing_only() -> None:
    r = rules("User-agent: *\nContent-Signal: search=no\n")
    assert r.decide(f"{ORIGIN}/a", UA, "search-indexing").rule_ids == ("AIO-018",)
    assert r.decide(f"{ORIGIN}/a", UA, "ai-training").allowed


def test_ai_training_crawlers_blocked_refuses_an_unnamed_training_crawler() -> None:
    r = rules("User-agent: GPTBot\nDisallow: /\n\nUser-agent: CCBot\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    d = r.decide(f"{ORIGIN}/a", UA, "ai-training")
    assert not d.allowed and d.rule_ids == ("AIO-010",)
    assert "CCBot" in d.reasons[0].text and "GPTBot" in d.reasons[0].text
    assert r.decide(f"{ORIGIN}/a", UA, "search-indexing").allowed
    # A crawler the file names is judged by its own group only.
    named = rules("User-agent: GPTBot\nDisallow: /\n\nUser-agent: AcmeBot\nAllow: /\n")
    assert named.decide(f"{ORIGIN}/a", UA, "ai-training").allowed


def test_low_confidence_notice_is_a_note() -> None:
    d = rules("# No AI training on this site's content.\nUser-agent: *\nAllow: /\n").decide(
        f"{ORIGIN}/a", UA, "ai-training")
    assert d.allowed
    assert d.rule_ids == ("AIO-015",) and not d.reasons[0].blocking and d.reasons[0].line == 1


def test_path_scoped_opt_outs_apply_under_their_path_only() -> None:
    tdm = OptOutSignal("tdmrep", ("tdm", "ai-training"), "tdmrep.json: location /news/*: tdm-reservation: 1",
                       f"{ORIGIN}/.well-known/tdmrep.json", path="/news/*")
    r = rules("User-agent: *\nDisallow: /news/private\n", opt_outs=(tdm,))
    assert r.decide(f"{ORIGIN}/blog/1", UA, "ai-training").allowed
    d = r.decide(f"{ORIGIN}/news/1", UA, "ai-training")
    assert not d.allowed and d.rule_ids == ("AIO-011",)
    both = r.decide(f"{ORIGIN}/news/private", UA, "ai-training")
    assert both.rule_ids == ("ROB-001", "AIO-011")
    assert r.decide(f"{ORIGIN}/news/1", UA, "search-indexing").allowed


def test_content_usage_line_with_a_path_is_limited_to_it() -> None:
    r = rules("User-agent: *\nAllow: /\nContent-Usage: /images/ train-ai=n\n")
    assert r.decide(f"{ORIGIN}/text", UA, "ai-training").allowed
    assert r.decide(f"{ORIGIN}/images/cat.png", UA, "ai-training").rule_ids == ("AIO-013",)


def test_delay_from_crawl_delay_or_request_rate() -> None:
    assert rules("User-agent: *\nCrawl-delay: 2.5\n").delay(UA) == 2.5
    assert rules("User-agent: *\nRequest-rate: 1/10s\nCrawl-delay: 2\n").delay(UA) == 10.0
    assert rules("User-agent: *\nDisallow:\n").delay(UA) == 0.0
    assert rules("User-agent: AcmeBot\nCrawl-delay: 3\n").decide(f"{ORIGIN}/", UA, "other").delay_seconds == 3.0


def test_from_recorded_signals() -> None:
    robots = RobotsSignal(url=f"{ORIGIN}/robots.txt", origin="fetched", outcome="ok", status=200,
                          body="User-agent: *\nDisallow: /x\n")
    page = OptOut(kind="x-robots-tag", scopes=["ai-training"], value="X-Robots-Tag: noai", where=f"{ORIGIN}/start")
    tdm = OptOut(kind="tdmrep", scopes=["tdm", "ai-training"], value="tdmrep.json: location /d/: tdm-reservation: 1",
                 where=f"{ORIGIN}/.well-known/tdmrep.json")
    r = OriginRules.from_signals(TargetSignals(origin=ORIGIN, robots=robots, opt_outs=[page, tdm]))
    assert r.robots == RobotsFetch("success", 200, "ok", f"{ORIGIN}/robots.txt", "recorded")
    assert r.decide(f"{ORIGIN}/x", UA, "ai-training").rule_ids == ("ROB-001",)
    assert r.decide(f"{ORIGIN}/start", UA, "ai-training").rule_ids == ("AIO-012",)
    assert r.decide(f"{ORIGIN}/start/more", UA, "ai-training").allowed
    assert r.decide(f"{ORIGIN}/d/1", UA, "ai-training").rule_ids == ("AIO-011",)
    missing = OriginRules.from_signals(TargetSignals(origin=ORIGIN))
    d = missing.decide(f"{ORIGIN}/", UA, "other")
    assert not d.allowed and d.rule_ids == ("ROB-000",) and d.robots.detail == "not-recorded"


@pytest.mark.parametrize(("outcome", "rfc", "allowed"), [("ok", "success", False), ("html", "success", True),
                                                          ("not-found", "unavailable", True),
                                                          ("refused", "unavailable", True),
                                                          ("unreachable", "unreachable", False)])
def test_recorded_outcomes_in_rfc_terms(outcome: str, rfc: str, allowed: bool) -> None:
    robots = RobotsSignal(url=f"{ORIGIN}/robots.txt", outcome=outcome, status=200,
                          body="User-agent: *\nDisallow: /\n")
    d = OriginRules.from_signals(TargetSignals(origin=ORIGIN, robots=robots)).decide(f"{ORIGIN}/a", UA, "other")
    assert d.robots.outcome == rfc and d.robots.detail == outcome
    assert d.allowed is allowed


def test_decision_to_dict_is_json_ready() -> None:
    import json

    d = rules("User-agent: *\nDisallow: /\n").decide(f"{ORIGIN}/a", UA, "other")
    data = json.loads(json.dumps(d.to_dict()))
    assert data["allowed"] is False and data["reasons"][0]["rule_id"] == "ROB-001"
    assert data["robots"]["outcome"] == "success" and data["token"] == "AcmeBot"


def test_robots_opt_outs_without_agent_groups_match_the_full_reading() -> None:
    body = ("User-agent: GPTBot\nDisallow: /\n\nUser-agent: *\nAllow: /\nContent-Signal: search=no\n"
            "# Scraping is prohibited.\n")
    r = rules(body)
    full = r.robots_opt_outs(UA)
    assert {o.kind for o in full} >= {"robots-ai-agent", "robots-ai-intent", "content-signal", "legal-notice"}
    assert r.robots_opt_outs(UA, agents=False) == tuple(o for o in full if not o.kind.startswith("robots-ai"))
    assert r.decide(f"{ORIGIN}/a", UA, "search-indexing").rule_ids == ("AIO-018", "ROB-053")
