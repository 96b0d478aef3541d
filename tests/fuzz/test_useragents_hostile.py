"""Product tokens from User-Agent headers real crawlers send (issue 10), beyond the cases of
``tests/robots/test_user_agents.py``: odd separators, versions that are not numbers, tokens without a version,
``compatible`` outside a comment or after other items, case and surrounding whitespace. Each is also checked end to
end: a robots.txt group naming the token refuses the crawler in ``is_allowed``, ``explain``, the matcher and the
Guard, which reports the token it used."""

from __future__ import annotations

import pytest

from scrapecheck import Guard
from scrapecheck.robots import RobotsPolicy, product_token

CASES = [
    ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; Googlebot/2.1; +http://www.google.com/bot.html) "
     "Chrome/120.0.6099.71 Safari/537.36", "Googlebot"),
    ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.1; +https://openai.com/gptbot)", "GPTBot"),
    ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; OAI-SearchBot/1.0; +https://openai.com/searchbot)",
     "OAI-SearchBot"),
    ("Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; PerplexityBot/1.0; "
     "+https://perplexity.ai/perplexitybot)", "PerplexityBot"),
    ("Mozilla/5.0 (compatible; Amazonbot/0.1; +https://developer.amazon.com/support/amazonbot) Chrome/119.0.6045.214 "
     "Safari/537.36", "Amazonbot"),
    ("Mozilla/5.0 (compatible; SemrushBot/7~bl; +http://www.semrush.com/bot.html)", "SemrushBot"),
    ("Mozilla/5.0 (compatible; Qwantify/Bleriot/1.1; +https://help.qwant.com/bot)", "Qwantify"),
    ("Mozilla/5.0 (iPhone; CPU iPhone OS 14_7_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/14.1.2 "
     "Mobile/15E148 Safari/604.1 (compatible; AdsBot-Google-Mobile; +http://www.google.com/mobile/adsbot.html)",
     "AdsBot-Google-Mobile"),
    ("Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) "
     "Chrome/120.0.6099.71 Mobile Safari/537.36 (compatible; Google-InspectionTool/1.0;)", "Google-InspectionTool"),
    ("Mozilla/5.0 (Windows NT 10.0; Win64; x64; compatible; cohere-ai/1.0)", "cohere-ai"),
    ("Mozilla/5.0 (compatible;GPTBot/1.2;+https://openai.com/gptbot)", "GPTBot"),
    ("  mozilla/5.0 (compatible; GPTBot/1.2)\t", "GPTBot"),
    ("Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)", "YandexBot"),
    ("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)", "facebookexternalhit"),
    ("meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)", "meta-externalagent"),
    ("Googlebot-Image/1.0", "Googlebot-Image"),
    ("CCBot/2.0 (https://commoncrawl.org/faq/)", "CCBot"),
]


@pytest.mark.parametrize(("user_agent", "token"), CASES)
def test_the_crawlers_own_token_picks_its_group(user_agent: str, token: str) -> None:
    assert product_token(user_agent) == token
    body = f"User-agent: *\nAllow: /\n\nUser-agent: {token.upper()}\nDisallow: /private\n"
    policy = RobotsPolicy.parse(body)
    url = "https://a.example/private/x"
    assert policy.is_allowed(user_agent, url) is False
    assert policy.explain(user_agent, url).line == 5
    assert policy.matcher(user_agent).check(url) is False
    guard = Guard.from_robots(user_agent, "research", {"https://a.example": body})
    decision = guard.check(url)
    assert decision.allowed is False and decision.token == token and decision.reasons[0].line == 5
    assert guard.check("https://a.example/public").allowed


@pytest.mark.parametrize("user_agent", [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36",
    "Mozilla/5.0 (compatible; MSIE 9.0; Windows NT 6.1; Trident/5.0)",
])
def test_browsers_fall_to_the_star_group(user_agent: str) -> None:
    body = "User-agent: *\nDisallow: /private\n\nUser-agent: GPTBot\nDisallow: /\n"
    policy = RobotsPolicy.parse(body)
    assert policy.is_allowed(user_agent, "/public") is True
    assert policy.explain(user_agent, "/private").line == 2
