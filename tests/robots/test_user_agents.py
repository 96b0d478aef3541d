"""From a User-Agent header to the product token that picks a robots.txt group (RFC 9309 §2.2.1).

The algorithm, its cases and its limits are documented on ``scrapecheck.robots.product_token``.
"""

from __future__ import annotations

import pytest

from scrapecheck.robots import RobotsPolicy, product_token

GOOGLEBOT_SMARTPHONE = (
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
)
CHROME = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/120.0.0.0 Safari/537.36")


@pytest.mark.parametrize(
    ("user_agent", "token"),
    [
        # A crawler's own product first: the leading token (RFC 9110 §10.1.5 product = token ["/" version]).
        ("AcmeBot", "AcmeBot"),
        ("AcmeBot/1.0 (+https://acme.example/bot)", "AcmeBot"),
        ("  CCBot/2.0 (https://commoncrawl.org/faq/)", "CCBot"),
        ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "facebookexternalhit"),
        ("Foo Bar", "Foo"),
        # Browser-style: "compatible; Token/version" inside a comment.
        ("Mozilla/5.0 (compatible; GPTBot/1.2; +https://openai.com/gptbot)", "GPTBot"),
        ("Mozilla/5.0 (compatible; AcmeBot/1.0; +https://acme.example/bot)", "AcmeBot"),
        ("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", "bingbot"),
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; ClaudeBot/1.0; +claudebot@anthropic.com)",
         "ClaudeBot"),
        ("Mozilla/5.0 (compatible; Bytespider; spider-feedback@bytedance.com)", "Bytespider"),
        ("Mozilla/5.0 (compatible; DuckDuckBot-Https/1.1; https://duckduckgo.com/duckduckbot)", "DuckDuckBot-Https"),
        (GOOGLEBOT_SMARTPHONE, "Googlebot"),
        # "compatible" outside a comment (OpenAI's search and user agents).
        ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko); compatible; ChatGPT-User/1.0; +https://openai.com/bot",
         "ChatGPT-User"),
        # No "compatible", but a Token/version of its own inside the last comment.
        ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 "
         "Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)", "Applebot"),
        # Plain browsers name no crawler: their token is "Mozilla", which falls to "*" like any unnamed agent.
        (CHROME, "Mozilla"),
        ("Mozilla/5.0 (X11; Linux x86_64; rv:109.0) Gecko/20100101 Firefox/115.0", "Mozilla"),
        ("Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)", "Mozilla"),
        ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
         "Version/17.0 Mobile/15E148 Safari/604.1", "Mozilla"),
        # Nothing usable: the empty token, which names no group.
        ("", ""),
        ("   ", ""),
        ("*", ""),
        ("008", ""),
        ("/1.0", ""),
    ],
)
def test_product_token(user_agent: str, token: str) -> None:
    assert product_token(user_agent) == token


def test_browser_style_crawler_ua_picks_its_own_group() -> None:
    """Issue 10: a GPTBot-disallowed page was allowed because the UA reduced to "Mozilla"."""
    policy = RobotsPolicy.parse("User-agent: GPTBot\nDisallow: /\n\nUser-agent: *\nAllow: /\n")
    ua = "Mozilla/5.0 (compatible; GPTBot/1.2; +https://openai.com/gptbot)"
    assert policy.is_allowed(ua, "https://h/page") is False
    assert policy.explain(ua, "https://h/page").agent_group == ("GPTBot",)
    assert policy.group_for(ua).agents == ("GPTBot",)  # type: ignore[union-attr]


def test_plain_browser_ua_falls_to_the_global_group() -> None:
    policy = RobotsPolicy.parse("User-agent: GPTBot\nDisallow: /\n\nUser-agent: *\nDisallow: /private\n")
    assert policy.is_allowed(CHROME, "https://h/page") is True
    assert policy.is_allowed(CHROME, "https://h/private") is False
    assert policy.group_for(CHROME).agents == ("*",)  # type: ignore[union-attr]


@pytest.mark.parametrize("agent", ["", "*", "008", "  ", "/2.0"])
def test_an_empty_token_names_no_group(agent: str) -> None:
    """Issue 10: "*" reduced to "" matched a "User-agent: 008" group (whose own token is also "")."""
    policy = RobotsPolicy.parse("User-agent: 008\nDisallow: /\n\nUser-agent: *\nDisallow: /x\n")
    assert policy.is_allowed(agent, "https://h/a") is True
    assert policy.is_allowed(agent, "https://h/x") is False
    assert policy.group_for(agent).agents == ("*",)  # type: ignore[union-attr]
    assert policy.names_agent(agent) is False
    only_008 = RobotsPolicy.parse("User-agent: 008\nDisallow: /\n")
    assert only_008.group_for(agent) is None
    assert only_008.is_allowed(agent, "https://h/a") is True


def test_plan_findings_use_and_name_the_crawlers_own_token() -> None:
    """Issue 10: a plan following TRN-002's advice got no ROB-001 against its own disallow-all group."""
    from scrapecheck import CrawlPlan, evaluate

    plan = CrawlPlan.model_validate({
        "crawler": {"name": "t", "user_agent": "Mozilla/5.0 (compatible; AcmeBot/1.0; +https://acme.example/bot)"},
        "targets": [{"url": "https://a.example/page", "requests_per_second": 1,
                     "robots_txt": "User-agent: AcmeBot\nDisallow: /\n\nUser-agent: *\nAllow: /\n"}],
    })
    report = evaluate(plan, offline=True)
    finding = next(f for f in report.findings if f.rule_id == "ROB-001")
    assert finding.evidence["agent"] == "AcmeBot"
    assert finding.evidence["group"] == "AcmeBot"
    assert finding.evidence["line"] == 2


def test_robots_command_says_which_token_it_matched(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    from scrapecheck import cli

    robots = tmp_path / "robots.txt"
    robots.write_text("User-agent: *\nAllow: /\n\nUser-agent: AcmeBot\nDisallow: /\n")
    ua = "Mozilla/5.0 (compatible; AcmeBot/1.0; +https://acme.example/bot)"
    assert cli.main(["robots", str(robots), "--agent", ua, "/a"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == ["token: AcmeBot  group: User-agent AcmeBot (line 4)", "disallowed  /a  line 5: Disallow: /"]
    assert cli.main(["robots", str(robots), "--agent", ua, "--format", "json", "/a"]) == 0
    import json

    document = json.loads(capsys.readouterr().out)
    assert document["product_token"] == "AcmeBot" and document["group"]["agents"] == ["AcmeBot"]
