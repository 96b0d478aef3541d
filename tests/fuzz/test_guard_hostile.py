"""Hostile differential review of the Guard: every answer (``check``, ``acheck``, ``check_cached``,
``check_response``) against the reference matcher (``tests/robots/reference.py``) on the body of the URL's origin,
with URLs of many origins in many spellings interleaved, caches far smaller than the number of origins (eviction
and reloading on every few URLs), matcher budgets shrunk so the rule sets cross their tier switches mid-stream, and
one Guard shared by threads. A refusal must name the reference's deciding line.
"""

from __future__ import annotations

import asyncio
import random

import pytest
from robots.reference import allowed as reference  # tests/ is on sys.path (tests/conftest.py)

from scrapecheck import Decision, Guard
from scrapecheck._url import origin as url_origin
from scrapecheck.errors import InputError
from scrapecheck.robots import _match

from .conftest import _DEEP
from .test_matcher_hostile import _path, _robots, race

SEEDS = range(400 if _DEEP else 6)
HOSTS = ["a.example", "b.example", "c.example", "d.example", "127.0.0.1", "[::1]", "[2001:db8::7]"]
AGENTS = ["FooBot/1.0", "x", "BarBot/2", "Mozilla/5.0 (compatible; FooBot/1.0; +https://foo.example/bot)"]


@pytest.fixture(autouse=True)
def _switching(monkeypatch: pytest.MonkeyPatch) -> None:
    """Rule sets leave the scan after a few checks and compile a few checks later."""
    monkeypatch.setattr(_match, "_SCAN_BASE", 3)
    monkeypatch.setattr(_match, "_SCAN_PER_RULE", 4)
    monkeypatch.setattr(_match, "_SAVED_PER_CHECK", 0.4e-3)


def _spelling(r: random.Random, scheme: str, host: str) -> str:
    """One of the ways a crawler may write the origin (all of them are that origin)."""
    default = 80 if scheme == "http" else 443
    return r.choice([f"{scheme}://{host}", f"{scheme.upper()}://{host}", f"{scheme}://{host.upper()}",
                     f"{scheme}://{host}:{default}", f"Https://{host}" if scheme == "https" else f"hTTp://{host}"])


def _url(r: random.Random) -> str:
    base = _spelling(r, r.choice(["http", "https"]), r.choice(HOSTS))
    tail = _path(r)
    return base + r.choice([tail, tail, tail, "?" + tail, "#" + tail, ""])


def _problem(body: str | bytes, agent: str, url: str, decision: Decision, how: str) -> str | None:
    expected, line = reference(body, agent, url)
    got_line = next((r.line for r in decision.reasons if r.rule_id == "ROB-001"), None)
    if decision.allowed is not expected or (not expected and got_line != line):
        return f"{how}({url[:80]!r}) for {agent!r}: allowed={decision.allowed} line={got_line}, reference " \
               f"{(expected, line)}; robots.txt {body!r}"
    return None


def _stream(seed: int, guard: Guard, bodies: dict[str, str | bytes], agent: str, count: int,
            ways: int = 4) -> list[str]:
    r = random.Random(seed)
    found = []
    for _ in range(count):
        url = _url(r)
        body = bodies[url_origin(url)]
        how = ["check", "check_response", "check_cached", "acheck"][r.randrange(ways)]
        if how == "check":
            decision = guard.check(url)
        elif how == "check_response":
            decision = guard.check_response(url, 200, {"Content-Type": "text/plain"}, b"plain text")
        elif how == "check_cached":
            decision = guard.check_cached(url) or guard.check(url)
        else:
            decision = asyncio.run(guard.acheck(url))
        problem = _problem(body, agent, url, decision, how)
        if problem:
            found.append(f"seed {seed}: {problem}")
    return found


def _bodies(r: random.Random) -> dict[str, str | bytes]:
    return {url_origin(f"{scheme}://{host}/"): _robots(r) for scheme in ("http", "https") for host in HOSTS}


@pytest.mark.parametrize("max_origins", [1, 3, 1000])
def test_guard_answers_as_the_reference_across_origins_spellings_and_evictions(max_origins: int) -> None:
    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed)
        bodies, agent = _bodies(r), r.choice(AGENTS)
        guard = Guard.from_robots(agent, "research", bodies, max_origins=max_origins)
        failures += _stream(seed, guard, bodies, agent, 120)
        assert len(guard) <= max_origins
    assert not failures, "\n".join(failures[:5])


def test_one_guard_shared_by_threads_answers_as_the_reference() -> None:
    """Four threads, one Guard with room for three origins of fourteen: loads, evictions, routes installed and
    taken back race each other; no answer may come from another origin's rules."""
    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed)
        bodies, agent = _bodies(r), r.choice(AGENTS)
        guard = Guard.from_robots(agent, "research", bodies, max_origins=3)
        failures += race(lambda k: _stream(seed * 10 + k, guard, bodies, agent, 80, ways=3))  # noqa: B023
    assert not failures, "\n".join(failures[:5])


@pytest.mark.parametrize("url", ["https://a.example#/x", "https://a.example?/x",
                                 "https://a.example:443?q#f", "https://A.EXAMPLE", "HTTPS://a.example/x/../y"])
def test_urls_whose_authority_ends_oddly_answer_as_the_reference(url: str) -> None:
    body = "User-agent: *\nDisallow: /;p\nDisallow: /?/x\nAllow: /x/../y\nDisallow: /x\n"
    guard = Guard.from_robots("FooBot/1.0", "research", {"https://a.example": body})
    for _ in range(3):  # the first check loads the origin; the later ones may be routed from the cache
        try:
            decision = guard.check(url)
        except InputError:
            pytest.fail(f"{url} is an http(s) URL of a.example")
        assert _problem(body, "FooBot/1.0", url, decision, "check") is None


def test_the_decision_log_has_one_row_per_refusal_with_the_deciding_line_and_its_text() -> None:
    """Refusals answered on the hot path (routed by authority, matched by path, reasons deferred) are logged like
    the first one: one JSON line each, naming the reference's deciding line and that line's text as written."""
    import io
    import json

    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed)
        bodies, agent = _bodies(r), r.choice(AGENTS)
        log = io.StringIO()
        guard = Guard.from_robots(agent, "research", bodies, max_origins=2, decision_log=log)
        refused = []
        for _ in range(120):
            url = _url(r)
            if not guard.check(url).allowed:
                refused.append(url)
        rows = [json.loads(line) for line in log.getvalue().splitlines()]
        assert [row["url"] for row in rows] == refused, seed
        for row in rows:
            body = bodies[url_origin(row["url"])]
            expected, line = reference(body, agent, row["url"])
            reason = next(x for x in row["reasons"] if x["rule_id"] == "ROB-001")
            text = (body if isinstance(body, str) else body.decode("utf-8", "replace")).splitlines()[line - 1].strip()
            if expected or row["allowed"] or reason["line"] != line or reason["text"] != text:
                failures.append(f"seed {seed}: {row} vs reference {(expected, line, text)}")
    assert not failures, "\n".join(failures[:5])


def test_a_recorded_guard_never_touches_the_network_whatever_is_asked() -> None:
    """Every entry point of a Guard built from recorded signals, on recorded origins and on origins a real server
    on 127.0.0.1 would answer: no request reaches it, and unrecorded origins are refused (fail closed)."""
    from guard.conftest import Web

    from scrapecheck.signals.model import RobotsSignal, Signals, TargetSignals

    web, other = Web(), Web()
    try:
        web.robots("User-agent: *\nAllow: /\n")
        other.robots("User-agent: *\nAllow: /\n")
        robots = RobotsSignal(url=f"{web.origin}/robots.txt", origin="fetched", outcome="ok", status=200,
                              body="User-agent: *\nDisallow: /x\nCrawl-delay: 2\n")
        signals = Signals(targets={web.origin: TargetSignals(origin=web.origin, robots=robots, opt_outs=[])})
        guard = Guard("FooBot/1.0", "ai-training", signals=signals, allow_private_networks=True)
        for base in (web.origin, other.origin):
            for path in ("/x", "/y", "/robots.txt", ""):
                url = base + path
                answers = [guard.check(url), asyncio.run(guard.acheck(url)),
                           guard.check_cached(url) or guard.check(url),
                           guard.check_response(url, 200, {"X-Robots-Tag": "noai"}, b"<html><head></head></html>")]
                guard.wait_time(url)
                guard.rules_for(url)
                if base == other.origin:
                    assert not any(a.allowed for a in answers) and answers[0].robots.detail == "not-recorded"
                else:
                    assert answers[0].allowed is (path != "/x") and answers[0].delay_seconds == 2.0
                    assert not answers[3].allowed  # the page's own noai refuses ai-training
        assert web.hits == [] and other.hits == []
    finally:
        web.close()
        other.close()


def test_origins_sharing_one_body_keep_their_own_robots_url_in_every_decision() -> None:
    """Thirty origins serving three bodies (a CMS default): the parse and each agent's rule set are shared, and
    evicted origins reload from the shared parse; every decision still names its own origin's robots.txt."""
    pool: list[str | bytes] = ["User-agent: *\nDisallow: /x\n# all rights reserved\n",
                               "User-agent: *\nDisallow: /y\nAllow: /y/ok\n", b"User-agent: *\nDisallow: /caf\xe9\n"]
    origins = [f"https://s{i}.example" for i in range(30)]
    bodies = {o: pool[i % 3] for i, o in enumerate(origins)}
    guard = Guard.from_robots("FooBot/1.0", "ai-training", bodies, max_origins=10)
    r = random.Random(1)
    for _ in range(1500):
        origin = r.choice(origins)
        url = origin + r.choice(["/x", "/x/1", "/y", "/y/ok", "/caf%E9", "/a"])
        decision = guard.check(url)
        assert _problem(bodies[origin], "FooBot/1.0", url, decision, "check") is None
        assert decision.robots.url == origin + "/robots.txt", url
        assert all(x.source == origin + "/robots.txt" for x in decision.reasons if x.rule_id == "ROB-001"), url
