"""robots.txt and page fetching against a real server on 127.0.0.1: RFC 9309 outcomes, limits, retries, cache."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import time

import pytest

from scrapecheck.errors import SignalError
from scrapecheck.signals.fetch import ROBOTS_MAX_BYTES, FetchConfig, collect

from .conftest import FAST, Answer, Site, make_plan

ALLOW_ALL = "User-agent: *\nAllow: /\n"


def fetch_one(site: Site, config: FetchConfig = FAST, **kwargs: object):
    plan = make_plan(f"{site.origin}/", **kwargs)  # type: ignore[arg-type]
    signals = collect(plan, config=config)
    return signals.targets[site.origin]


# --- what is recorded ---------------------------------------------------------------------------------------


def test_ok_robots_is_recorded_with_hash_time_headers_and_the_plans_user_agent(site: Site) -> None:
    body = "User-agent: *\nDisallow: /private/\n"
    site.robots(body, headers={"ETag": '"v1"', "X-Unrelated": "x"})
    target = fetch_one(site)
    robots = target.robots
    assert robots is not None
    assert (robots.outcome, robots.status, robots.origin) == ("ok", 200, "fetched")
    assert robots.body == body
    assert robots.sha256 == hashlib.sha256(body.encode()).hexdigest()
    assert robots.size == len(body)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", robots.fetched_at or "")
    assert robots.headers["etag"] == ['"v1"'] and "x-unrelated" not in robots.headers
    assert robots.redirects == [] and robots.error is None and robots.attempts == 1
    assert all(ua == "AcmeBot/1.0 (+https://acme.example/bot)" for _, ua in site.hits)


def test_signals_carry_tool_version_and_collection_time(site: Site) -> None:
    site.robots(ALLOW_ALL)
    signals = collect(make_plan(f"{site.origin}/"), config=FAST)
    assert signals.tool_version and signals.collected_at and signals.collected_at.endswith("Z")


def test_user_agent_override(site: Site) -> None:
    site.robots(ALLOW_ALL)
    fetch_one(site, dataclasses.replace(FAST, user_agent="OtherBot/2.0"))
    assert {ua for _, ua in site.hits} == {"OtherBot/2.0"}


# --- redirects (RFC 9309 2.3.1.2) ---------------------------------------------------------------------------


def test_redirect_chain_is_followed_and_recorded(site: Site) -> None:
    site.route("/robots.txt", status=301, headers={"Location": "/a"})
    site.route("/a", status=302, headers={"Location": f"{site.origin}/b"})
    site.route("/b", status=307, headers={"Location": "/real-robots.txt"})
    site.route("/real-robots.txt", body="User-agent: *\nDisallow: /x\n")
    robots = fetch_one(site).robots
    assert robots.outcome == "ok" and robots.body == "User-agent: *\nDisallow: /x\n"
    assert robots.redirects == [f"{site.origin}/a", f"{site.origin}/b", f"{site.origin}/real-robots.txt"]


def test_five_redirects_are_followed_but_a_sixth_is_not(site: Site) -> None:
    site.route("/robots.txt", status=301, headers={"Location": "/r1"})
    for n in range(1, 5):
        site.route(f"/r{n}", status=301, headers={"Location": f"/r{n + 1}"})
    site.route("/r5", body=ALLOW_ALL)
    assert fetch_one(site).robots.outcome == "ok"

    site.route("/r5", status=301, headers={"Location": "/r6"})
    site.route("/r6", body="User-agent: *\nDisallow: /\n")
    target = fetch_one(site)
    # RFC 9309 2.3.1.2: beyond five redirects a crawler MAY assume robots.txt is unavailable (2.3.1.3: no
    # rules); Google reads it as a 404. Not "unreachable", which would mean complete disallow (2.3.1.4).
    assert target.robots.outcome == "not-found" and target.robots.effective_text == ""
    assert target.robots.error == f"more than 5 redirects (next: {site.origin}/r6)"
    assert "/r6" not in site.paths_hit()
    assert any("RFC 9309 2.3.1.2" in p and "unavailable" in p for p in target.problems)
    assert not any("2.3.1.4" in p or "disallow" in p for p in target.problems)


def test_redirect_loop_is_read_as_unavailable(site: Site) -> None:
    site.route("/robots.txt", status=302, headers={"Location": "/loop"})
    site.route("/loop", status=302, headers={"Location": "/robots.txt"})
    target = fetch_one(site)
    robots = target.robots
    assert robots.outcome == "not-found" and robots.effective_text == ""
    assert robots.error == f"redirect loop: {site.origin}/robots.txt -> {site.origin}/loop -> {site.origin}/robots.txt"
    assert any("RFC 9309 2.3.1.2" in p for p in target.problems)


def test_self_redirect_loop_message_names_the_loop_not_a_count(site: Site) -> None:
    site.route("/robots.txt", status=301, headers={"Location": "/robots.txt"})
    robots = fetch_one(site).robots
    assert robots.outcome == "not-found"
    assert robots.error == f"redirect loop: {site.origin}/robots.txt redirects to itself"
    assert "after" not in robots.error


def test_too_many_redirects_give_no_unreachable_finding(site: Site) -> None:
    from scrapecheck import evaluate

    site.route("/robots.txt", status=302, headers={"Location": "/loop"})
    site.route("/loop", status=302, headers={"Location": "/robots.txt"})
    plan = make_plan(f"{site.origin}/", kind="research")
    signals = collect(plan, config=dataclasses.replace(FAST, fetch_pages=False))
    ids = {f.rule_id for f in evaluate(plan, offline=True, signals=signals).findings}
    assert "ROB-051" not in ids


def test_cross_origin_redirect_is_followed(site: Site, other_site: Site) -> None:
    site.route("/robots.txt", status=301, headers={"Location": f"{other_site.origin}/robots.txt"})
    other_site.robots("User-agent: *\nDisallow: /elsewhere/\n")
    robots = fetch_one(site).robots
    assert robots.outcome == "ok" and "/elsewhere/" in robots.body
    assert robots.url == f"{site.origin}/robots.txt"
    assert robots.redirects == [f"{other_site.origin}/robots.txt"]


def test_redirect_without_location_is_unreachable(site: Site) -> None:
    site.route("/robots.txt", status=302)
    robots = fetch_one(site).robots
    assert robots.outcome == "unreachable" and "without a Location" in robots.error


# --- status classes (RFC 9309 2.3.1.3, 2.3.1.4) ------------------------------------------------------------


@pytest.mark.parametrize(("status", "outcome"), [
    (200, "ok"), (204, "ok"),
    (400, "not-found"), (404, "not-found"), (410, "not-found"),
    (401, "refused"), (403, "refused"),
    (429, "unreachable"), (500, "unreachable"), (502, "unreachable"), (503, "unreachable"),
])
def test_status_classes(site: Site, status: int, outcome: str) -> None:
    site.route("/robots.txt", status=status, body="" if status == 204 else "User-agent: *\nDisallow: /\n")
    robots = fetch_one(site, dataclasses.replace(FAST, retries=0)).robots
    assert (robots.outcome, robots.status) == (outcome, status)
    expected = {"ok": None, "not-found": "", "refused": "", "unreachable": "User-agent: *\nDisallow: /\n"}[outcome]
    if expected is not None:
        assert robots.effective_text == expected


def test_server_errors_are_retried_with_backoff(site: Site) -> None:
    site.route("/robots.txt", Answer(status=503), Answer(status=500), Answer(body=ALLOW_ALL))
    target = fetch_one(site)
    assert target.robots.outcome == "ok" and target.robots.attempts == 3
    assert site.paths_hit().count("/robots.txt") == 3
    assert sum("retried" in p for p in target.problems) == 2


def test_persistent_server_error_gives_up_after_the_retries(site: Site) -> None:
    site.route("/robots.txt", status=503)
    robots = fetch_one(site).robots
    assert robots.outcome == "unreachable" and robots.attempts == 3


def test_retry_after_is_honoured(site: Site) -> None:
    site.route("/robots.txt", Answer(status=429, headers={"Retry-After": "1"}), Answer(body=ALLOW_ALL))
    started = time.monotonic()
    robots = fetch_one(site).robots
    assert time.monotonic() - started >= 0.95
    assert robots.outcome == "ok" and robots.attempts == 2


def test_retry_after_beyond_the_cap_is_not_retried(site: Site) -> None:
    site.route("/robots.txt", Answer(status=503, headers={"Retry-After": "120"}), Answer(body=ALLOW_ALL))
    started = time.monotonic()
    target = fetch_one(site)
    assert time.monotonic() - started < 1.0
    assert target.robots.outcome == "unreachable" and target.robots.attempts == 1
    assert any("Retry-After 120s" in problem and "not retried" in problem for problem in target.problems)


# --- network failures and slowness --------------------------------------------------------------------------


def test_read_timeout_is_unreachable(site: Site) -> None:
    site.route("/robots.txt", body=ALLOW_ALL, delay=1.0)
    config = dataclasses.replace(FAST, read_timeout=0.2)
    started = time.monotonic()
    robots = fetch_one(site, config).robots
    assert time.monotonic() - started < 0.9
    assert robots.outcome == "unreachable" and "read timed out" in robots.error


def test_slow_trickling_body_hits_the_total_timeout(site: Site) -> None:
    site.route("/robots.txt", body="#" * 400, trickle=0.05)
    config = dataclasses.replace(FAST, total_timeout=0.3)
    robots = fetch_one(site, config).robots
    assert robots.outcome == "unreachable" and "slow body" in robots.error


def test_connection_refused_is_unreachable(closed_port: int) -> None:
    plan = make_plan(f"http://127.0.0.1:{closed_port}/")
    target = collect(plan, config=FAST).targets[f"http://127.0.0.1:{closed_port}"]
    assert target.robots.outcome == "unreachable" and "connection failed" in target.robots.error
    assert target.opt_outs is None  # nothing could be read


def test_dns_failure_is_unreachable() -> None:
    plan = make_plan("http://no-such-host.invalid/")
    target = collect(plan, config=FAST).targets["http://no-such-host.invalid"]
    assert target.robots.outcome == "unreachable"
    assert "DNS" in target.robots.error or "connection failed" in target.robots.error


# --- bodies -------------------------------------------------------------------------------------------------


def test_oversized_body_is_cut_at_500_kib(site: Site) -> None:
    head = "User-agent: *\nDisallow: /early/\n"
    filler = "# padding\n" * ((ROBOTS_MAX_BYTES - len(head)) // 10 + 1)
    body = head + filler + "Disallow: /late/\n"
    site.robots(body)
    target = fetch_one(site)
    robots = target.robots
    assert robots.outcome == "ok" and robots.truncated
    assert len(robots.body.encode()) == ROBOTS_MAX_BYTES
    assert robots.sha256 == hashlib.sha256(body.encode()[:ROBOTS_MAX_BYTES]).hexdigest()
    assert robots.size == len(body.encode())  # from Content-Length
    assert "/late/" not in robots.body
    assert any("RFC 9309 2.5" in problem for problem in target.problems)


def test_html_page_is_reported_not_parsed(site: Site) -> None:
    page = "<!DOCTYPE html><html><head><title>Not found</title></head><body>Disallow: /</body></html>"
    site.robots(page, content_type="text/html; charset=utf-8")
    target = fetch_one(site)
    assert target.robots.outcome == "html" and target.robots.effective_text == ""
    assert target.robots.sha256 == hashlib.sha256(page.encode()).hexdigest()
    assert any("HTML page" in problem for problem in target.problems)


def test_html_is_sniffed_even_when_served_as_text_plain(site: Site) -> None:
    site.robots("\n  <html><body>oops</body></html>", content_type="text/plain")
    assert fetch_one(site).robots.outcome == "html"


def test_plain_rules_served_as_text_html_are_still_rules(site: Site) -> None:
    site.robots("User-agent: *\nDisallow: /x\n", content_type="text/html")
    target = fetch_one(site)
    assert target.robots.outcome == "ok" and "Disallow: /x" in target.robots.body
    assert any("served as text/html" in problem for problem in target.problems)


def test_binary_body_reads_as_no_rules(site: Site) -> None:
    blob = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    site.robots(blob, content_type="image/png")
    target = fetch_one(site)
    # no rules are kept (body None), so the recorded sha256 is never checked against a body it does not hash
    assert target.robots.outcome == "ok" and target.robots.body is None and target.robots.effective_rules == b""
    assert target.robots.sha256 == hashlib.sha256(blob).hexdigest()
    assert any("binary" in problem for problem in target.problems)


def test_non_utf8_body_is_decoded_with_replacement_and_still_obeyed(site: Site) -> None:
    site.robots("# Caf\xe9 r\xe8gles\nUser-agent: *\nDisallow: /priv\xe9/\nDisallow: /admin/\n".encode("latin-1"))
    target = fetch_one(site)
    assert target.robots.outcome == "ok" and "\ufffd" in target.robots.body
    assert "Disallow: /admin/" in target.robots.body
    assert any("not valid UTF-8" in problem for problem in target.problems)


def test_utf8_bom_is_kept_and_harmless(site: Site) -> None:
    site.robots("\ufeffUser-agent: *\nDisallow: /x\n")
    target = fetch_one(site)
    assert target.robots.outcome == "ok" and not [p for p in target.problems if p.startswith("robots.txt")]


# --- start pages and TDMRep file ----------------------------------------------------------------------------


def test_start_page_and_tdmrep_are_recorded(site: Site) -> None:
    site.robots(ALLOW_ALL)
    site.route("/", body="<html><head></head></html>", content_type="text/html")
    target = fetch_one(site)
    assert target.opt_outs == []  # collected, nothing found
    kinds = [(page["kind"], page["status"]) for page in target.pages]
    assert kinds == [("page", 200), ("tdmrep", 404)]
    assert target.pages[0]["sha256"] == hashlib.sha256(b"<html><head></head></html>").hexdigest()


def test_start_page_disallowed_by_robots_is_not_fetched(site: Site) -> None:
    site.robots("User-agent: *\nDisallow: /\n")
    site.route("/", body="secret", headers={"X-Robots-Tag": "noai"})
    target = fetch_one(site)
    assert "/" not in site.paths_hit()
    assert target.opt_outs is None
    assert any("not fetched: robots.txt disallows it" in problem for problem in target.problems)


def test_start_page_server_error_leaves_opt_outs_uncollected(site: Site) -> None:
    site.robots(ALLOW_ALL)
    site.route("/", status=500)
    target = fetch_one(site, dataclasses.replace(FAST, retries=0))
    assert target.opt_outs is None
    assert any("start page" in problem and "HTTP 500" in problem for problem in target.problems)


def test_robots_only_config_collects_no_page_signals(site: Site) -> None:
    site.robots(ALLOW_ALL)
    target = fetch_one(site, dataclasses.replace(FAST, fetch_pages=False))
    assert target.opt_outs is None and site.paths_hit() == ["/robots.txt"]


# --- misuse, cache, concurrency -----------------------------------------------------------------------------


def test_unknown_origin_is_misuse(site: Site) -> None:
    with pytest.raises(SignalError):
        collect(make_plan(f"{site.origin}/"), origins=["https://elsewhere.example"], config=FAST)


def test_config_rejects_a_cache_longer_than_24_hours() -> None:
    with pytest.raises(ValueError):
        FetchConfig(cache_ttl=86401)


def test_cache_reuses_an_origin_within_its_ttl(site: Site, cache) -> None:  # type: ignore[no-untyped-def]
    site.robots(ALLOW_ALL)
    plan = make_plan(f"{site.origin}/")
    config = dataclasses.replace(FAST, cache_ttl=60)
    first = collect(plan, config=config, cache=cache)
    hits = len(site.hits)
    second = collect(plan, config=config, cache=cache)
    assert len(site.hits) == hits
    assert second.targets == first.targets
    collect(plan, config=FAST, cache=cache)  # cache_ttl=0: never stored, so this fetches again
    assert len(site.hits) == 2 * hits


def test_unreachable_robots_is_cached_only_briefly(site: Site, cache) -> None:  # type: ignore[no-untyped-def]
    site.route("/robots.txt", status=503)
    plan = make_plan(f"{site.origin}/")
    config = dataclasses.replace(FAST, retries=0, cache_ttl=3600, failure_cache_ttl=0)
    collect(plan, config=config, cache=cache)
    assert len(cache) == 0


def test_origins_are_fetched_concurrently(site: Site, other_site: Site) -> None:
    for server in (site, other_site):
        server.route("/robots.txt", body=ALLOW_ALL, delay=0.4)
    plan = make_plan(f"{site.origin}/", f"{other_site.origin}/")
    started = time.monotonic()
    signals = collect(plan, config=dataclasses.replace(FAST, fetch_pages=False))
    assert time.monotonic() - started < 0.75
    assert [t.robots.outcome for t in signals.targets.values()] == ["ok", "ok"]


def test_only_the_requested_origins_are_fetched(site: Site, other_site: Site) -> None:
    site.robots(ALLOW_ALL)
    other_site.robots(ALLOW_ALL)
    plan = make_plan(f"{site.origin}/", f"{other_site.origin}/")
    signals = collect(plan, origins=[other_site.origin], config=FAST)
    assert list(signals.targets) == [other_site.origin] and site.hits == []
