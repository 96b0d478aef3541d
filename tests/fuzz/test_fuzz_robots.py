"""The robots parser never raises on bytes or text, whatever a site serves, and its answers stay well-formed."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scrapecheck.robots import RobotsPolicy, is_allowed

from .conftest import FUZZ

REGRESSIONS = Path(__file__).parent / "regressions" / "robots"

_KEYS = ["User-agent", "user-agent", "USER-AGENT", "Allow", "Disallow", "disalow", "Crawl-delay", "Request-rate",
         "Sitemap", "Content-Usage", "Content-Signal", "License", "Host", "", "#", "useragent"]
_VALUES = st.one_of(
    st.sampled_from(["*", "/", "/*", "$", "/*$", "/a*b$", "%2F", "%", "%zz", "/caf\u00e9", "GPTBot", "AcmeBot",
                     "1", "-1", "nan", "inf", "1e400", "3/10s", "0/0", "10/0m", "http://[bad/", " ", "\t"]),
    st.text(max_size=40),
)
_LINE = st.tuples(st.sampled_from(_KEYS), st.sampled_from([":", ": ", " : ", "", "::"]), _VALUES,
                  st.sampled_from(["", " # c", "#"]))
_ENDINGS = st.sampled_from(["\n", "\r\n", "\r"])
_AGENTS = st.one_of(st.sampled_from(["AcmeBot", "acmebot/1.0", "GPTBot", "*", "", "Mozilla/5.0 (compatible; "
                                     "AcmeBot/1.0; +https://a.example/bot)", "a b", "Bot\u00e9"]), st.text(max_size=30))
_URLS = st.one_of(st.sampled_from(["/", "/robots.txt", "https://example.com/a?b=c#d", "/caf%E9", "/%", "", "?",
                                   "//x", "/a*b$"]), st.text(max_size=60).map(lambda s: "/" + s))


@st.composite
def robots_text(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(_LINE, max_size=30))
    ending = draw(_ENDINGS)
    text = ending.join(f"{key}{sep}{value}{comment}" for key, sep, value, comment in lines)
    raw = text.encode("utf-8", errors="surrogatepass")
    if draw(st.booleans()):
        raw = b"\xef\xbb\xbf" + raw
    return raw


def _check_answers(body: bytes, agent: str, url: str) -> None:
    policy = RobotsPolicy.parse(body)
    allowed = policy.is_allowed(agent, url)
    assert isinstance(allowed, bool)
    verdict = policy.explain(agent, url)
    assert verdict.allowed is allowed
    if verdict.line is not None:
        assert verdict.line >= 1
    delay = policy.crawl_delay(agent)
    assert delay is None or (math.isfinite(delay) and delay >= 0)
    rate = policy.request_rate(agent)
    assert rate is None or (rate[0] >= 0 and math.isfinite(rate[1]) and rate[1] > 0)
    assert is_allowed(body, agent, url) is allowed
    policy.sitemaps, policy.comments, policy.group_for(agent)


@FUZZ
@given(body=st.binary(max_size=2048), agent=_AGENTS, url=_URLS)
def test_arbitrary_bytes(body: bytes, agent: str, url: str) -> None:
    _check_answers(body, agent, url)


@FUZZ
@given(body=robots_text(), agent=_AGENTS, url=_URLS)
def test_robots_like_text(body: bytes, agent: str, url: str) -> None:
    _check_answers(body, agent, url)
    # the same file as text (what a plan snapshot gives) answers the same way when it is valid UTF-8
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return
    assert RobotsPolicy.parse(text).is_allowed(agent, url) is RobotsPolicy.parse(body).is_allowed(agent, url)


@pytest.mark.parametrize("case", sorted(REGRESSIONS.glob("*.txt")), ids=lambda p: p.name)
def test_regressions(case: Path) -> None:
    for agent in ("AcmeBot", "*", "", "Mozilla/5.0 (compatible; GPTBot/1.2)"):
        for url in ("/", "/robots.txt", "/a/b?c", "/" + "x" * 5000):
            _check_answers(case.read_bytes(), agent, url)
