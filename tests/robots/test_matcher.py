"""The per-agent matcher (``RobotsPolicy.matcher``): what guard and audit call for every URL (issue 10)."""

from __future__ import annotations

from typing import Any

import pytest

from scrapecheck.robots import RobotsPolicy, RuleSet, _match

from .reference import allowed as reference_allowed

ROBOTS = """User-agent: *
Disallow: /private/
Allow: /private/public*
Disallow: /*.pdf$

User-agent: AcmeBot
Disallow: /acme
Allow: /acme/ok$
Disallow: /*?session=
"""
URLS = ["https://h/", "https://h/private/x", "https://h/private/public-1", "https://h/a.pdf", "https://h/a.pdfx",
        "https://h/acme/x", "https://h/acme/ok", "https://h/acme/ok?session=1", "/x?session=2", "/robots.txt",
        "https://h/caf%c3%a9", "https://h/café#frag"]
AGENTS = ["AcmeBot", "acmebot/2.1", "Mozilla/5.0 (compatible; AcmeBot/1.0; +https://acme.example)", "OtherBot", "", "*"]


class _NoCompile:
    def compile(self, *args: Any) -> Any:
        raise AssertionError("the regex compiler was called")


def test_one_rule_set_per_product_token() -> None:
    policy = RobotsPolicy.parse(ROBOTS)
    acme = policy.matcher("AcmeBot")
    assert isinstance(acme, RuleSet)
    assert policy.matcher("acmebot/2.1") is acme
    assert policy.matcher("Mozilla/5.0 (compatible; AcmeBot/1.0; +https://acme.example)") is acme
    assert policy.matcher("OtherBot") is not acme
    assert policy.matcher("OtherBot") is policy.matcher("Different/1.0")  # both fall to "*"
    assert [r.line for r in acme.rules] == [7, 8, 9]


@pytest.mark.parametrize("tier", ["uncompiled", "compiled", None])
def test_check_and_decide_answer_as_is_allowed_and_explain(tier: str | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_match, "FORCE_TIER", tier)
    policy = RobotsPolicy.parse(ROBOTS)
    for agent in AGENTS:
        matcher = policy.matcher(agent)
        for url in URLS:
            expected, line = reference_allowed(ROBOTS, agent, url)
            assert matcher.check(url) is expected, (agent, url)
            allowed, rule = matcher.decide(url)
            assert allowed is expected, (agent, url)
            verdict = policy.explain(agent, url)
            assert (allowed, rule) == (verdict.allowed, verdict.rule)
            assert (0 if rule is None else rule.line) == line, (agent, url)


def test_no_group_allows_everything() -> None:
    policy = RobotsPolicy.parse("User-agent: AcmeBot\nDisallow: /\n")
    matcher = policy.matcher("OtherBot")
    assert matcher.check("https://h/x") is True
    assert matcher.decide("https://h/x") == (True, None)
    assert policy.matcher("AcmeBot").decide("/x")[0] is False


@pytest.mark.parametrize("hot", ["check", "decide"])
def test_check_and_decide_both_compile_once_it_pays(hot: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_match, "_SAVED_PER_CHECK", 0.15e-6)  # by default nothing compiles on its own
    policy = RobotsPolicy.parse(ROBOTS)
    matcher = policy.matcher("AcmeBot")
    assert matcher.tier == "scan"  # no index yet: the first checks scan the rules
    matcher._left[0] = 1  # as if it had answered as many URLs as compiling costs, less one
    getattr(matcher, hot)("https://h/acme/x")
    assert matcher.tier == "compiled"
    assert matcher.check("https://h/acme/x") is False
    assert matcher.decide("https://h/acme/ok")[1].line == 8  # type: ignore[union-attr]


def test_explain_group_for_and_crawl_delay_never_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_match, "_SAVED_PER_CHECK", 0.15e-6)
    monkeypatch.setattr(_match, "_COMPILE_PER_RULE", 0.0)
    monkeypatch.setattr(_match, "_COMPILE_PER_CHAR", 0.0)
    monkeypatch.setattr(_match, "_COMPILE_BASE", 0.0)
    monkeypatch.setattr(_match, "_sre_compiler", _NoCompile())
    policy = RobotsPolicy.parse(ROBOTS + "Crawl-delay: 2\n")
    for _ in range(20):
        assert policy.explain("AcmeBot", "https://h/acme/x").allowed is False
        assert policy.group_for("AcmeBot") is not None
        assert policy.crawl_delay("AcmeBot") == 2.0
    assert policy.matcher("AcmeBot").tier == "uncompiled"
    with pytest.raises(AssertionError, match="regex compiler"):
        policy.matcher("AcmeBot").decide("https://h/")  # proves the stand-in was live


def test_a_user_agent_that_is_not_text_is_a_type_error() -> None:
    policy = RobotsPolicy.parse(ROBOTS)
    with pytest.raises(TypeError, match="user_agent must be a str"):
        policy.matcher(b"AcmeBot")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="user_agent must be a str"):
        policy.matcher(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="user_agent must be a str"):
        policy.matcher(["AcmeBot"])  # type: ignore[arg-type]


@pytest.mark.parametrize("tier", ["uncompiled", "compiled", "grams"])
def test_urls_of_several_origins_in_turn(tier: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The uncompiled tier remembers the last origin's "scheme://host/" to skip path_of: URLs of other
    origins, other shapes and fragments in between must not be read with a stale prefix."""
    monkeypatch.setattr(_match, "FORCE_TIER", tier)
    policy = RobotsPolicy.parse(ROBOTS)
    urls = ["https://h/private/x", "https://h/private/public-1#f", "https://hh/private/x", "http://h/private/x",
            "https://h/private/x", "https://h:8080/a.pdf", "https://h//private/x", "/private/x", "https://h/#x",
            "https://h/a.pdf?x#y", "https://h?x/private/x", "https://h", "HTTPS://h/private/x", "https://h/private/x",
            "https://u@h/private/x", "https://h;x/private/x", "https://h/caf%c3%a9", "https://h/private/public-1"]
    matcher = policy.matcher("OtherBot")
    for _ in range(2):
        for url in urls:
            expected, line = reference_allowed(ROBOTS, "OtherBot", url)
            assert matcher.check(url) is expected, url
            allowed, rule = matcher.decide(url)
            assert (allowed, 0 if rule is None else rule.line) == (expected, line), url
