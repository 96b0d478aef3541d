"""The Guard against a real server on 127.0.0.1 and from recorded signals: fetch once, fail closed, cache bounds,
thread and asyncio safety, pacing, page-level opt-outs, the decision log, and input errors."""

from __future__ import annotations

import asyncio
import io
import json
import threading

import pytest

from scrapecheck import Decision, Guard
from scrapecheck.errors import InputError, SignalsError
from scrapecheck.signals.model import RobotsSignal, Signals, TargetSignals
from scrapecheck.signals.snapshot import save_signals

from .conftest import Web

UA = "AcmeBot/1.0 (+https://acme.example/bot)"


def fast_config():  # type: ignore[no-untyped-def]
    from scrapecheck.signals.fetch import FetchConfig

    return FetchConfig(connect_timeout=1.0, read_timeout=1.0, total_timeout=2.0, retries=0, backoff=0.01,
                       failure_cache_ttl=60.0)


def live(purpose: str = "search-indexing", **kwargs: object) -> Guard:
    kwargs.setdefault("fetch_config", fast_config())
    return Guard(UA, purpose, allow_private_networks=True, **kwargs)  # type: ignore[arg-type]


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- fetching and failing closed ------------------------------------------------------------------------------
def test_robots_fetched_once_per_origin_and_obeyed(web: Web) -> None:
    web.robots("User-agent: *\nDisallow: /private/\n")
    guard = live("ai-training")
    refused = guard.check(f"{web.origin}/private/a")
    assert isinstance(refused, Decision)
    assert not refused.allowed and refused.reasons[0].line == 2
    assert refused.robots.outcome == "success" and refused.robots.status == 200
    assert refused.robots.source == "fetched"
    for n in range(20):
        assert guard.check(f"{web.origin}/page/{n}").allowed
    assert web.paths() == ["/robots.txt", "/.well-known/tdmrep.json"]
    assert web.hits[0][1] == UA
    assert guard.fetches == 1


@pytest.mark.parametrize("status", [500, 503, 429])
def test_server_error_refuses_everything(web: Web, status: int) -> None:
    web.robots("User-agent: *\nAllow: /\n", status=status)
    d = live().check(f"{web.origin}/a")
    assert not d.allowed and d.rule_ids == ("ROB-051",)
    assert d.robots.outcome == "unreachable" and d.robots.status == status


def test_private_addresses_refused_unless_opted_in(web: Web) -> None:
    web.robots("User-agent: *\nAllow: /\n")
    d = Guard(UA, "search-indexing", fetch_config=fast_config()).check(f"{web.origin}/a")
    assert not d.allowed and d.rule_ids == ("ROB-051",) and d.robots.outcome == "unreachable"
    assert "private" in (d.robots.error or "")
    assert web.hits == []
    with pytest.raises(TypeError, match="FetchConfig"):
        Guard(UA, "other", fetch_config={"retries": 0})


def test_tdmrep_file_read_for_ai_purposes(web: Web) -> None:
    web.robots("User-agent: *\nAllow: /\n")
    web.route("/.well-known/tdmrep.json", body='[{"location": "/", "tdm-reservation": 1}]',
              content_type="application/json")
    d = live("ai-training").check(f"{web.origin}/a")
    assert not d.allowed and d.rule_ids == ("AIO-011",)
    assert d.reasons[0].source == f"{web.origin}/.well-known/tdmrep.json"
    assert live("search-indexing").check(f"{web.origin}/a").allowed
    assert web.paths() == ["/robots.txt", "/.well-known/tdmrep.json", "/robots.txt"]


TDM_RULES = ('[{"location": "/news/open/*", "tdm-reservation": 0},'
             ' {"location": "/news/*", "tdm-reservation": 1, "tdm-policy": "https://p.example/policy"},'
             ' {"location": "/*.pdf$", "tdm-reservation": 1}]')


def test_tdmrep_rules_judged_for_each_checked_path(web: Web) -> None:
    """The first tdmrep.json rule whose location matches the URL's path decides (not only the rule for '/')."""
    web.robots("User-agent: *\nAllow: /\n")
    web.route("/.well-known/tdmrep.json", body=TDM_RULES, content_type="application/json")
    guard = live("ai-training")
    assert guard.check(f"{web.origin}/").allowed
    assert guard.check(f"{web.origin}/blog/1").allowed
    d = guard.check(f"{web.origin}/news/1")
    assert not d.allowed and d.rule_ids == ("AIO-011",)
    assert "location /news/*" in (d.reasons[0].text or "") and "p.example/policy" in (d.reasons[0].text or "")
    assert d.reasons[0].source == f"{web.origin}/.well-known/tdmrep.json"
    assert guard.check(f"{web.origin}/news/open/1").allowed  # an earlier rule, not reserving, decides there
    assert guard.check(f"{web.origin}/docs/a.pdf").rule_ids == ("AIO-011",)
    assert guard.check(f"{web.origin}/docs/a.pdf?x=1").allowed
    assert live("search-indexing").check(f"{web.origin}/news/1").allowed
    assert web.paths() == ["/robots.txt", "/.well-known/tdmrep.json", "/robots.txt"]


def test_tdmrep_rules_recorded_by_fetch_judged_per_path(web: Web, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """``scrapecheck fetch`` keeps the file's rules with its record, so a recorded Guard judges any path too."""
    from scrapecheck.signals.fetch import fetch_origin

    web.robots("User-agent: *\nAllow: /\n")
    web.route("/.well-known/tdmrep.json", body=TDM_RULES, content_type="application/json")
    import dataclasses

    config = dataclasses.replace(fast_config(), allow_private_networks=True)
    target = fetch_origin(web.origin, user_agent=UA, config=config)
    assert [r.get("rules") for r in target.pages if r["kind"] == "tdmrep"][0][1]["location"] == "/news/*"
    path = save_signals(Signals(targets={web.origin: target}), tmp_path / "signals.json")
    guard = Guard(UA, "ai-training", signals=path)
    assert not guard.check(f"{web.origin}/news/1").allowed
    assert guard.check(f"{web.origin}/news/open/1").allowed and guard.check(f"{web.origin}/").allowed


def test_missing_robots_allows(web: Web) -> None:
    d = live().check(f"{web.origin}/a")
    assert d.allowed and d.robots.outcome == "unavailable" and d.robots.status == 404


def test_connection_refused_refuses() -> None:
    import socket

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    d = live().check(f"http://127.0.0.1:{port}/a")
    assert not d.allowed and d.robots.outcome == "unreachable" and d.robots.status is None
    assert d.robots.error


def test_unreachable_is_retried_after_the_failure_ttl(web: Web) -> None:
    web.robots("User-agent: *\nAllow: /\n", status=503)
    clock = Clock()
    guard = live(clock=clock)
    assert not guard.check(f"{web.origin}/a").allowed
    web.robots("User-agent: *\nAllow: /\n")
    clock.now += 30
    assert not guard.check(f"{web.origin}/a").allowed  # still remembered
    clock.now += 31
    assert guard.check(f"{web.origin}/a").allowed
    assert web.paths() == ["/robots.txt", "/robots.txt"]


def test_cache_ttl_bounds_reuse(web: Web) -> None:
    web.robots("User-agent: *\nDisallow: /a\n")
    clock = Clock()
    guard = live(clock=clock, cache_ttl=100)
    assert not guard.check(f"{web.origin}/a").allowed
    web.robots("User-agent: *\nAllow: /\n")
    clock.now += 99
    assert not guard.check(f"{web.origin}/a").allowed
    clock.now += 2
    assert guard.check(f"{web.origin}/a").allowed
    assert len(web.paths()) == 2


def test_lru_bounded_by_max_origins(web: Web) -> None:
    web.robots("User-agent: *\nAllow: /\n")
    guard = live(max_origins=2)
    other = web.origin.replace("127.0.0.1", "localhost")
    guard.check(f"{web.origin}/a")
    guard.check(f"{other}/a")
    assert len(guard) == 2
    guard.check(f"{web.origin}/b")  # used again: kept when a third origin arrives
    guard.check(f"http://[::1]:1/a")  # a third origin (unreachable, refused): one of the others leaves
    assert len(guard) == 2
    assert guard.check(f"{web.origin}/c").allowed
    assert web.paths().count("/robots.txt") == 2  # web.origin was not evicted: no refetch


def test_spellings_of_one_origin_share_one_entry(web: Web) -> None:
    web.robots("User-agent: *\nAllow: /\n")
    guard = live()
    port = web.origin.rsplit(":", 1)[1]
    for url in (f"{web.origin}/a", f"HTTP://127.0.0.1:{port}/b", f"{web.origin}?q=1", f"{web.origin}"):
        assert guard.check(url).allowed
    assert web.paths() == ["/robots.txt"]


def test_concurrent_first_requests_fetch_once(web: Web) -> None:
    web.robots("User-agent: *\nDisallow: /x\n", delay=0.3)
    guard = live()
    results: list[bool] = []
    barrier = threading.Barrier(8)

    def worker(n: int) -> None:
        barrier.wait()
        results.append(guard.check(f"{web.origin}/x/{n}").allowed)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [False] * 8
    assert web.paths() == ["/robots.txt"]


def test_acheck_shares_one_fetch_and_leaves_the_loop_free(web: Web) -> None:
    web.robots("User-agent: *\nDisallow: /x\n", delay=0.4)
    guard = live()
    ticks = 0

    async def ticker(stop: asyncio.Event) -> None:
        nonlocal ticks
        while not stop.is_set():
            ticks += 1
            await asyncio.sleep(0.01)

    async def main() -> list[Decision]:
        stop = asyncio.Event()
        task = asyncio.create_task(ticker(stop))
        decisions = await asyncio.gather(*(guard.acheck(f"{web.origin}/{p}/{n}") for n in range(10)
                                           for p in ("x", "y")))
        stop.set()
        await task
        return decisions

    decisions = asyncio.run(main())
    assert [d.allowed for d in decisions] == [False, True] * 10
    assert web.paths() == ["/robots.txt"]
    assert ticks >= 10  # the loop kept running while robots.txt was fetched in a worker thread


# --- recorded mode --------------------------------------------------------------------------------------------
def recorded_signals(origin: str, body: str = "User-agent: *\nDisallow: /x\n") -> Signals:
    robots = RobotsSignal(url=f"{origin}/robots.txt", origin="fetched", outcome="ok", status=200, body=body)
    return Signals(targets={origin: TargetSignals(origin=origin, robots=robots, opt_outs=[])})


def test_recorded_mode_makes_no_network_call(web: Web, tmp_path) -> None:  # type: ignore[no-untyped-def]
    web.robots("User-agent: *\nAllow: /\n")
    path = save_signals(recorded_signals(web.origin), tmp_path / "signals.json")
    guard = Guard(UA, "ai-training", signals=path)
    assert guard.recorded
    assert not guard.check(f"{web.origin}/x").allowed
    assert guard.check(f"{web.origin}/y").allowed
    d = guard.check("https://not-recorded.example/a")
    assert not d.allowed and d.rule_ids == ("ROB-000",) and d.robots.detail == "not-recorded"
    assert d.robots.source == "recorded"
    assert web.hits == []


def test_recorded_from_a_dict_and_a_bad_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = recorded_signals("https://a.example").model_dump(mode="json")
    assert not Guard(UA, "other", signals=data).check("https://a.example/x").allowed
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 2}')
    with pytest.raises(SignalsError, match="version"):
        Guard(UA, "other", signals=bad)
    with pytest.raises(TypeError):
        Guard(UA, "other", signals=42)


def test_recorded_file_over_the_load_cap_is_read_through_the_index(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A recording too large to load whole (10,000 origins are ~100 MB) is indexed: same decisions, and a bad
    entry is a SignalsError when its origin is first checked (the cap is lowered here instead of writing 32 MiB)."""
    import json

    from scrapecheck import _files

    signals = recorded_signals("https://a.example")
    signals.targets["https://b.example"] = recorded_signals("https://b.example", "User-agent: *\nDisallow: /\n").targets[
        "https://b.example"]
    path = save_signals(signals, tmp_path / "signals.json")
    monkeypatch.setattr(_files, "MAX_FILE_BYTES", 64)
    guard = Guard(UA, "other", signals=path)
    assert guard.recorded
    assert not guard.check("https://a.example/x").allowed and guard.check("https://a.example/y").allowed
    assert not guard.check("https://b.example/y").allowed
    assert guard.check("https://c.example/").robots.detail == "not-recorded"
    data = json.loads(path.read_text())
    data["targets"]["https://a.example"]["robots"]["outcome"] = "sideways"
    path.write_text(json.dumps(data))
    broken = Guard(UA, "other", signals=path)
    with pytest.raises(SignalsError, match="targets.https://a.example"):
        broken.check("https://a.example/x")


def test_from_robots_bodies() -> None:
    guard = Guard.from_robots(UA, "search-indexing", {"https://a.example/": b"User-agent: *\nDisallow: /x\n"})
    assert not guard.check("https://a.example/x").allowed
    assert guard.check("https://a.example/y").allowed
    assert not guard.check("https://b.example/y").allowed


# --- pacing ---------------------------------------------------------------------------------------------------
def test_wait_time_paces_each_origin() -> None:
    clock = Clock()
    guard = Guard.from_robots(UA, "other", {"https://a.example": "User-agent: *\nCrawl-delay: 2\n",
                                            "https://b.example": "User-agent: *\nRequest-rate: 1/5s\n",
                                            "https://c.example": ""}, clock=clock)
    assert guard.check("https://a.example/").delay_seconds == 2.0
    assert [guard.wait_time("https://a.example/p") for _ in range(3)] == [0.0, 2.0, 4.0]
    assert guard.wait_time("https://b.example/") == 0.0
    assert guard.wait_time("https://b.example/") == 5.0
    assert guard.wait_time("https://c.example/") == guard.wait_time("https://c.example/") == 0.0
    clock.now += 10
    assert guard.wait_time("https://a.example/p") == 0.0


# --- page-level opt-outs --------------------------------------------------------------------------------------
ORIGIN = "https://a.example"


def page_guard(purpose: str, **kwargs: object) -> Guard:
    return Guard.from_robots(UA, purpose, {ORIGIN: "User-agent: *\nAllow: /\n"}, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(("headers", "body", "rule"), [
    ({"X-Robots-Tag": "noai"}, None, "AIO-012"),
    ({"X-Robots-Tag": "acmebot: noimageai"}, None, "AIO-012"),
    ([("Content-Type", "text/html")], '<html><head><meta name="robots" content="noai, noimageai"></head>', "AIO-012"),
    ({"tdm-reservation": "1", "tdm-policy": "https://a.example/policy"}, None, "AIO-011"),
    ({"Content-Type": "text/html"}, '<meta name="tdm-reservation" content="1">', "AIO-011"),
    ({"Content-Usage": "train-ai=n"}, None, "AIO-013"),
    ({b"content-signal": [b"ai-train=no"]}, None, "AIO-014"),
])
def test_check_response_reads_page_opt_outs(headers: object, body: object, rule: str) -> None:
    d = page_guard("ai-training").check_response(f"{ORIGIN}/a", 200, headers, body)
    assert not d.allowed and d.rule_ids == (rule,)
    assert d.reasons[0].source == f"{ORIGIN}/a"
    assert page_guard("search-indexing").check_response(f"{ORIGIN}/a", 200, headers, body).allowed


def test_check_response_other_agent_and_quiet_pages() -> None:
    guard = page_guard("ai-training")
    assert guard.check_response(f"{ORIGIN}/a", 200, {"X-Robots-Tag": "otherbot: noai"}).allowed
    assert guard.check_response(f"{ORIGIN}/a", 200, {"X-Robots-Tag": "noindex"}, b"<html></html>").allowed
    assert guard.check_response(f"{ORIGIN}/a", 200, None).allowed
    relaxed = page_guard("ai-training", respect_ai_optouts=False)
    d = relaxed.check_response(f"{ORIGIN}/a", 200, {"X-Robots-Tag": "noai"})
    assert d.allowed and d.rule_ids == ("AIO-012",) and not d.reasons[0].blocking
    with pytest.raises(InputError, match="status"):
        guard.check_response(f"{ORIGIN}/a", "200", {})  # type: ignore[arg-type]


def test_search_reservation_header_refuses_search_indexing() -> None:
    d = page_guard("search-indexing").check_response(f"{ORIGIN}/a", 200, {"Content-Signal": "search=no"})
    assert not d.allowed and d.rule_ids == ("AIO-018",)


# --- decision log ---------------------------------------------------------------------------------------------
def test_decision_log_records_each_refusal(tmp_path) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "refusals.jsonl"
    with Guard.from_robots(UA, "ai-training", {ORIGIN: "User-agent: *\nDisallow: /x\n"}, decision_log=log) as guard:
        guard.check(f"{ORIGIN}/x/1")
        guard.check(f"{ORIGIN}/ok")
        guard.check_response(f"{ORIGIN}/ok", 200, {"X-Robots-Tag": "noai"})
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["url"] for r in rows] == [f"{ORIGIN}/x/1", f"{ORIGIN}/ok"]
    assert rows[0]["reasons"][0]["rule_id"] == "ROB-001" and rows[0]["reasons"][0]["line"] == 2
    assert rows[1]["reasons"][0]["rule_id"] == "AIO-012" and rows[1]["allowed"] is False
    assert all(r["time"].endswith("Z") for r in rows)
    stream = io.StringIO()
    Guard.from_robots(UA, "other", {}, decision_log=stream).check(f"{ORIGIN}/a")
    assert json.loads(stream.getvalue())["reasons"][0]["rule_id"] == "ROB-000"


def test_decision_log_escapes_bidi_and_c1_from_a_site(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The log is read by people: a robots.txt line with U+202E or a C1 control is written as a JSON escape,
    and reads back unchanged."""
    log = tmp_path / "refusals.jsonl"
    body = "User-agent: *\nDisallow: /x # \u202eevil\u202c \x85\n"
    with Guard.from_robots(UA, "ai-training", {ORIGIN: body}, decision_log=log) as guard:
        guard.check(f"{ORIGIN}/x/1")
    raw = log.read_text(encoding="utf-8")
    assert "\u202e" not in raw and "\x85" not in raw and "\\u202e" in raw
    assert "\u202eevil\u202c" in json.dumps(json.loads(raw), ensure_ascii=False)


def test_decision_log_one_line_per_refusal_with_pacing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """wait_time() on a refused URL decides again but does not log the refusal a second time."""
    log = tmp_path / "refusals.jsonl"
    robots = {ORIGIN: "User-agent: *\nDisallow: /x\nCrawl-delay: 1\n"}
    with Guard.from_robots(UA, "search-indexing", robots, decision_log=log) as guard:
        assert not guard.check(f"{ORIGIN}/x/1").allowed
        guard.wait_time(f"{ORIGIN}/x/1")
        guard.wait_time(f"{ORIGIN}/ok")
    rows = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["url"] for r in rows] == [f"{ORIGIN}/x/1"]


# --- bad input ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("args", "kwargs", "field"), [
    (("", "other"), {}, "user_agent"),
    (("1.0", "other"), {}, "user_agent"),
    (("Acme\r\nX: y", "other"), {}, "user_agent"),
    ((UA, "training"), {}, "purpose"),
    ((UA, "other"), {"cache_ttl": 86401}, "cache_ttl"),
    ((UA, "other"), {"cache_ttl": float("nan")}, "cache_ttl"),
    ((UA, "other"), {"cache_ttl": 0}, "cache_ttl"),
    ((UA, "other"), {"max_origins": 0}, "max_origins"),
])
def test_bad_arguments_are_input_errors(args: tuple, kwargs: dict, field: str) -> None:
    with pytest.raises(InputError) as info:
        Guard(*args, **kwargs)
    assert info.value.field == field


@pytest.mark.parametrize("agent", ["AcmeBot/1.0 (caf\u00e9)", "AcmeBot/1.0 \u00a0x", "Acme\u00dfBot/1"])
def test_latin1_user_agents_accepted_as_the_cli_does(agent: str) -> None:
    """The CLI and the fetcher accept any Latin-1 User-Agent without control characters; so does the Guard."""
    from scrapecheck.signals.config import check_user_agent

    assert check_user_agent(agent) == agent
    guard = Guard.from_robots(agent, "other", {ORIGIN: "User-agent: *\nDisallow: /x\n"})
    assert guard.user_agent == agent and not guard.check(f"{ORIGIN}/x").allowed


@pytest.mark.parametrize("agent", ["AcmeBot/1.0 \u0394", "AcmeBot\x7f/1", "AcmeBot/1\tx", "Acme\u2028Bot/1"])
def test_user_agents_the_cli_refuses_are_refused(agent: str) -> None:
    with pytest.raises(InputError) as info:
        Guard(agent, "other")
    assert info.value.field == "user_agent"


@pytest.mark.parametrize("url", ["ftp://a.example/x", "https:///x", "not a url", "http://[::1/x", "", "/relative"])
def test_bad_urls_are_input_errors(url: str) -> None:
    guard = Guard.from_robots(UA, "other", {})
    with pytest.raises(InputError):
        guard.check(url)


@pytest.mark.parametrize("url", [None, b"https://a.example/x", bytearray(b"https://a.example/x"), 1, ["/"]])
def test_non_str_url_is_a_type_error_that_names_the_type(url: object) -> None:
    """Bytes have a ``find`` of their own, which fails on the hot path's str argument with a message about ints: every
    entry point says what was wrong instead, cached origin or not."""
    guard = Guard.from_robots(UA, "other", {"https://a.example": "User-agent: *\nDisallow: /x\n"})
    guard.check("https://a.example/y")  # cached and routed: the hot path sees the URL first
    expected = rf"url must be a str, not {type(url).__name__}"
    for call in (guard.check, guard.check_cached, guard.wait_time, lambda u: asyncio.run(guard.acheck(u)),
                 lambda u: guard.check_response(u, 200, {})):
        with pytest.raises(TypeError, match=expected):
            call(url)


@pytest.mark.parametrize("prefix", [
    "https://a.example", "http://a.example", "https://A.example", "HTTPS://a.example", "https://a.example:443",
    "http://a.example:80", "https://a.example:8443", "https://xn--bcher-kva.de", "https://bücher.de",
    "http://127.0.0.1", "http://01.2.3.4", "https://a..b", "https://a.example.", "https://user@a.example",
    "https://a_b.example", "http://[::1]", "https://a.example?x", "https://-a.example", "http://1.2.3.4",
])
def test_plain_origin_routing_agrees_with_the_exact_parser(prefix: str) -> None:
    """The hot path's plain-string origin equals the exact parser's whenever it answers at all."""
    from scrapecheck._url import origin
    from scrapecheck.guard._guard import _plain_origin

    plain = _plain_origin(prefix)
    if plain is not None:
        assert plain == origin(prefix + "/x")
    if prefix in ("https://a.example", "http://a.example", "http://127.0.0.1", "https://a..b"):
        assert plain == prefix


# --- deferred refusals ----------------------------------------------------------------------------------------
def test_refusals_from_check_read_like_the_full_decision() -> None:
    """A refusal handed out by check() works out its deciding line when read, and then is the full decision."""
    import copy
    import dataclasses
    import pickle

    body = "# Scraping is prohibited.\nUser-agent: *\nDisallow: /x\nDisallow: /y/\nCrawl-delay: 2\n"
    guard = Guard.from_robots(UA, "search-indexing", {ORIGIN: body})
    full = guard.rules_for(ORIGIN).decide(f"{ORIGIN}/y/1", UA, "search-indexing")
    d = guard.check(f"{ORIGIN}/y/1")
    assert d.allowed is False and d.delay_seconds == 2.0 and d.token == "AcmeBot" and d.robots == full.robots
    assert isinstance(d, Decision) and d == full and full == d and hash(d) == hash(full)
    assert d.rule_ids == ("ROB-001", "ROB-053") and d.reasons[0].line == 4 and d.reasons[0].text == "Disallow: /y/"
    assert repr(d) == repr(full) and d.to_dict() == full.to_dict()
    for other in (pickle.loads(pickle.dumps(d)), copy.copy(d), dataclasses.replace(d, delay_seconds=2.0)):
        assert type(other) is Decision and other == full
    with pytest.raises(dataclasses.FrozenInstanceError):
        d.allowed = True  # type: ignore[misc]
    assert guard.check(f"{ORIGIN}/x").reasons[0].line == 3
    ok = guard.check(f"{ORIGIN}/z")
    assert ok.allowed and ok is guard.check(f"{ORIGIN}/w") and ok.rule_ids == ("ROB-053",)  # notes read lazily


@pytest.mark.parametrize("body", ["# Scraping is prohibited.\nUser-agent: *\nDisallow: /x\nCrawl-delay: 2\n",
                                  "User-agent: *\nDisallow: /x\nCrawl-delay: 2\n"])
def test_decisions_from_the_hot_path_read_like_full_decisions(body: str) -> None:
    """Once an origin is routed, its allowed URLs get the route itself and its refused ones a refusal deferred on
    it: each reads, compares, hashes, pickles, copies and replaces as the full decision, and is frozen."""
    import copy
    import dataclasses
    import pickle

    guard = Guard.from_robots(UA, "search-indexing", {ORIGIN: body})
    rules = guard.rules_for(ORIGIN)
    guard.check(f"{ORIGIN}/a")  # a use: routed from now on
    for path, allowed in (("/b", True), ("/x/1", False), ("/c", True), ("/x2", False)):
        d = guard.check(f"{ORIGIN}{path}")
        full = rules.decide(f"{ORIGIN}{path}", UA, "search-indexing")
        assert type(full) is Decision and d.allowed is allowed is full.allowed
        assert (d.delay_seconds, d.robots, d.token, d.purpose) == (2.0, full.robots, "AcmeBot", "search-indexing")
        assert d == full and full == d and hash(d) == hash(full) and d.reasons == full.reasons
        assert repr(d) == repr(full) and d.to_dict() == full.to_dict() and dataclasses.asdict(d) == dataclasses.asdict(full)
        for other in (pickle.loads(pickle.dumps(d)), copy.copy(d), copy.deepcopy(d), dataclasses.replace(d)):
            assert type(other) is Decision and other == full
        assert dataclasses.replace(d, allowed=not allowed).allowed is not allowed
        with pytest.raises(dataclasses.FrozenInstanceError):
            d.allowed = not allowed  # type: ignore[misc]
        with pytest.raises(dataclasses.FrozenInstanceError):
            d.reasons = ()  # type: ignore[misc]
        assert isinstance(d, Decision) and d.__class__ is Decision
    assert guard.check(f"{ORIGIN}/d") is guard.check(f"{ORIGIN}/e")  # allowed URLs share one decision


def test_origins_serving_one_body_share_its_parse() -> None:
    body = "User-agent: *\nDisallow: /x\n"
    guard = Guard.from_robots(UA, "other", {"https://a.example": body, "https://b.example": body,
                                            "https://c.example": body + "Disallow: /y\n"})
    for host in "abc":
        assert not guard.check(f"https://{host}.example/x").allowed
    a, b, c = (guard.rules_for(f"https://{h}.example/") for h in "abc")
    assert a.policy is b.policy and a.policy is not c.policy
    assert guard.check("https://b.example/x").reasons[0].source == "https://b.example/robots.txt"


# --- the hot path: routed by origin, matched by path --------------------------------------------------------------
ROUTED_BODY = ("User-agent: *\nDisallow: /$\nDisallow: /x\nAllow: /x/ok\nDisallow: /*.pdf$\nDisallow: //\n"
               "Disallow: /%7Ea\nDisallow: /caf%C3%A9\nDisallow: /q?\nDisallow: /p;\nDisallow: /robots.txt\n")
ROUTED_URLS = [
    "https://a.example", "https://a.example/", "https://a.example/x", "https://a.example/x/ok", "https://a.example/y",
    "https://a.example/x#frag", "https://a.example/y#/x", "https://a.example/#", "https://a.example/a.pdf",
    "https://a.example/a.pdf?x", "https://a.example/a.pdf#x", "https://a.example//", "https://a.example//y",
    "https://a.example/~a", "https://a.example/%7ea", "https://a.example/%7Ea", "https://a.example/café",
    "https://a.example/caf%c3%a9", "https://a.example/q?a", "https://a.example/q", "https://a.example/p;a",
    "https://a.example/robots.txt", "https://a.example/robots.txt?x", "https://a.example:443/x",
    "https://a.example:443/y", "https://A.example/x", "HTTPS://a.example/x", "https://user@a.example/x",
    "https://a.example?x", "https://a.example?/x", "https://a.example#/x", "https://a.example;p/x",
]


@pytest.mark.parametrize("url", ROUTED_URLS)
def test_cached_origin_decides_every_url_shape_as_the_first_check(url: str) -> None:
    """Once an origin is cached, its URLs are routed by their authority and matched by the path that follows it;
    each answer and deciding line equals the first (uncached) check's and is_allowed's, whatever the URL's shape."""
    from scrapecheck.robots import is_allowed

    warm = Guard.from_robots(UA, "other", {"https://a.example": ROUTED_BODY})
    for spelling in ("https://a.example/", "https://a.example:443/", "https://A.example/", "HTTPS://a.example/",
                     "https://a.example", url):
        warm.check(spelling)  # cached, and each spelling of the origin routed once
    first = Guard.from_robots(UA, "other", {"https://a.example": ROUTED_BODY}).check(url)
    routed = warm.check(url)
    assert warm.check(url) == routed  # (a second time: through the hot path's route if the URL has one)
    assert routed.allowed is first.allowed
    if first.robots.outcome == "success":  # (not so for "https://a.example;p/x": another host, not recorded)
        assert first.allowed is is_allowed(ROUTED_BODY, UA, url)
    assert routed == first and routed.reasons == first.reasons and routed.to_dict() == first.to_dict()


def test_a_routed_refusal_names_its_deciding_line() -> None:
    guard = Guard.from_robots(UA, "other", {"https://a.example": ROUTED_BODY})
    guard.check("https://a.example/")
    lines = {url: guard.check(url).reasons[0] for url in
             ("https://a.example/x/1#f", "https://a.example/b.pdf", "https://a.example//z", "https://a.example/%7ea")}
    assert [(r.rule_id, r.line) for r in lines.values()] == [("ROB-001", 3), ("ROB-001", 5), ("ROB-001", 6),
                                                            ("ROB-001", 7)]


# --- cache bookkeeping kept off the hot path ------------------------------------------------------------------------
def test_second_chance_eviction_sees_uses_on_the_hot_path() -> None:
    """The hot path never writes to an origin's entry: an origin counts as used by taking the slow path once after
    each time the eviction passes over it. An origin used between two passes keeps its place every time."""
    bodies = {f"https://{h}.example": "User-agent: *\nDisallow: /x\n" for h in "abcdef"}
    guard = Guard.from_robots(UA, "other", bodies, max_origins=2)
    guard.check("https://a.example/1")  # loaded: not yet a use
    guard.check("https://b.example/1")
    for n, newcomer in enumerate("cdef"):
        for path in ("/2", "/x/3", "/4"):  # a used again (first by the slow path, then by its route)
            guard.check(f"https://a.example{path}{n}")
        assert guard.fetches == 2 + n  # a was still cached
        guard.check(f"https://{newcomer}.example/1")  # the other origin leaves, never a
        assert guard.fetches == 3 + n and len(guard) == 2
    assert not guard.check("https://a.example/x").allowed and guard.fetches == 6


def test_an_origin_left_unused_leaves_first() -> None:
    bodies = {f"https://{h}.example": "User-agent: *\nAllow: /\n" for h in "abc"}
    guard = Guard.from_robots(UA, "other", bodies, max_origins=2)
    for url in ("https://a.example/1", "https://b.example/1", "https://a.example/2", "https://b.example/2"):
        guard.check(url)  # both used: the pass clears both, then drops the first (a)
    guard.check("https://c.example/1")
    guard.check("https://b.example/3")
    assert guard.fetches == 3
    guard.check("https://a.example/3")
    assert guard.fetches == 4  # a had left


@pytest.mark.parametrize(("bodies", "url", "allowed", "rule_ids"), [
    ({}, "https://gone.example/a", False, ("ROB-000",)),  # not recorded: refused whatever the path
    ({"https://a.example": ""}, "https://a.example/a", True, ()),  # no rules: allowed whatever the path
    ({"https://a.example": "# Scraping is prohibited.\n"}, "https://a.example/a", True, ("ROB-053",)),
])
def test_origins_with_nothing_to_match_route_to_their_one_decision(bodies: dict, url: str, allowed: bool,
                                                                 rule_ids: tuple) -> None:
    guard = Guard.from_robots(UA, "other", bodies)
    answers = [guard.check(f"{url}/{n}") for n in range(4)]  # loaded, marked used, then routed
    full = guard.rules_for(url).decide(url, UA, "other")
    for d in answers:
        assert d.allowed is allowed and d == full and d.rule_ids == rule_ids
