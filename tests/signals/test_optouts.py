"""Every opt-out form: one case that finds it and one that does not, pure parsers and over the live server."""

from __future__ import annotations

import json

import pytest

from scrapecheck.robots import RobotsPolicy
from scrapecheck.signals.ai_agents import ai_agents, lookup
from scrapecheck.signals.fetch import collect
from scrapecheck.signals.optouts import from_robots, legal_notice_scopes
from scrapecheck.signals.pages import from_headers, from_html, from_tdmrep_json, parse_preferences, reserved_scopes

from .conftest import FAST, Site, make_plan

URL = "https://news.example/robots.txt"


def robots_opt_outs(text: str, token: str = "AcmeBot") -> list:
    return from_robots(RobotsPolicy.parse(text), token, URL)


def kinds(opt_outs: list) -> list[str]:
    return [o.kind for o in opt_outs]


# --- AI agents list -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("token", "scopes"), [
    ("GPTBot", ("ai-training",)), ("ClaudeBot", ("ai-training",)), ("CCBot", ("ai-training",)),
    ("Bytespider", ("ai-training",)), ("Meta-ExternalAgent", ("ai-training",)),
    ("Applebot-Extended", ("ai-training",)), ("Google-Extended", ("ai-training", "ai-inference")),
    ("OAI-SearchBot", ("ai-inference",)), ("ChatGPT-User", ("ai-inference",)),
    ("Claude-SearchBot", ("ai-inference",)), ("PerplexityBot", ("ai-inference",)),
])
def test_curated_agents_are_classed_by_vendor_purpose(token: str, scopes: tuple[str, ...]) -> None:
    agent = lookup(token)
    assert agent is not None and agent.scopes == scopes and agent.classified_by == "curated"


def test_every_listed_agent_has_a_scope_and_ordinary_bots_are_not_listed() -> None:
    assert all(agent.scopes for agent in ai_agents().values())
    assert lookup("Googlebot") is None and lookup("bingbot") is None
    assert lookup("gptbot/1.2") is not None


# --- robots.txt: AI agents and intent -----------------------------------------------------------------------


BLOCKS = "User-agent: GPTBot\nDisallow: /\n\nUser-agent: PerplexityBot\nDisallow: /\n\nUser-agent: *\nAllow: /\n"


def test_blocked_ai_agents_and_intent_are_found() -> None:
    found = robots_opt_outs(BLOCKS)
    agents = {o.agents[0]: o for o in found if o.kind == "robots-ai-agent"}
    assert set(agents) == {"GPTBot", "PerplexityBot"}
    assert agents["GPTBot"].line == 2 and agents["GPTBot"].scopes == ["ai-training"]
    intents = {tuple(o.scopes): o for o in found if o.kind == "robots-ai-intent"}
    assert intents[("ai-training",)].agents == ["GPTBot"]
    assert intents[("ai-inference",)].agents == ["PerplexityBot"]


def test_no_intent_when_the_plans_own_crawler_is_named() -> None:
    found = robots_opt_outs(BLOCKS + "\nUser-agent: AcmeBot\nAllow: /\n")
    assert "robots-ai-intent" not in kinds(found) and "robots-ai-agent" in kinds(found)


def test_ai_agent_only_partly_disallowed_is_no_opt_out() -> None:
    assert robots_opt_outs("User-agent: GPTBot\nDisallow: /private/\n") == []


# --- robots.txt: Content-Usage, Content-Signal, RSL, notices ------------------------------------------------


def test_content_usage_and_signal_lines_are_found_with_line_numbers() -> None:
    text = "User-agent: *\nContent-Usage: train-ai=n\nContent-Signal: search=yes, ai-train=no, ai-input=no\nAllow: /\n"
    found = {o.kind: o for o in robots_opt_outs(text)}
    assert found["content-usage"].scopes == ["ai-training"] and found["content-usage"].line == 2
    assert found["content-signal"].scopes == ["ai-training", "ai-inference"] and found["content-signal"].line == 3
    assert found["content-signal"].value == "Content-Signal: search=yes, ai-train=no, ai-input=no"


def test_preferences_that_allow_everything_are_no_opt_out() -> None:
    text = "User-agent: *\nContent-Usage: train-ai=y\nContent-Signal: search=yes, ai-train=yes\nAllow: /\n"
    assert robots_opt_outs(text) == []


def test_preference_in_another_crawlers_group_does_not_apply() -> None:
    text = "User-agent: SomeBot\nContent-Signal: ai-train=no\nDisallow: /x\n\nUser-agent: *\nAllow: /\n"
    assert "content-signal" not in kinds(robots_opt_outs(text))
    assert "content-signal" in kinds(robots_opt_outs(text, token="SomeBot"))


def test_rsl_license_line_is_found() -> None:
    found = robots_opt_outs("License: https://news.example/license.xml\nUser-agent: *\nAllow: /\n")
    assert kinds(found) == ["rsl-license"] and found[0].value == "License: https://news.example/license.xml"
    assert robots_opt_outs("Sitemap: https://news.example/sitemap.xml\nUser-agent: *\nAllow: /\n") == []


def test_legal_notices_are_low_confidence_quotes() -> None:
    found = robots_opt_outs("# Scraping is prohibited.\n# No AI training.\nUser-agent: *\nAllow: /\n")
    assert [(o.kind, o.scopes, o.line, o.confidence) for o in found] == [
        ("legal-notice", ["scraping"], 1, "low"), ("legal-notice", ["ai-training"], 2, "low")]
    assert found[1].value == "# No AI training."


@pytest.mark.parametrize(("comment", "scopes"), [
    ("Do not use this content to train AI models", ["ai-training"]),
    ("Text and data mining rights reserved (Art. 4 Directive 2019/790)", ["tdm", "ai-training"]),
    ("Automated scraping is not permitted", ["scraping"]),
    ("Welcome, crawlers! Be gentle.", []),
    ("We use machine learning to recommend articles", []),
    ("ANY RESTRICTIONS EXPRESSED VIA CONTENT SIGNALS ARE EXPRESS RESERVATIONS OF RIGHTS UNDER ARTICLE 4", []),
])
def test_legal_notice_patterns(comment: str, scopes: list[str]) -> None:
    assert legal_notice_scopes(comment) == scopes


@pytest.mark.parametrize("comment", [
    "Notice: Collection of data on Example through automated means is prohibited unless you have express "
    "written permission",
    "Crawling of this site is not permitted without the express written permission of Example Ltd.",
    "Crawling and scraping of this site is prohibited without prior written permission",
    "Unauthorized crawling is a violation of our Terms of Service",
    "The use of robots is strictly prohibited.",
    "Automated access without our consent is forbidden",
])
def test_wider_scraping_vocabulary(comment: str) -> None:
    assert legal_notice_scopes(comment) == ["scraping"]


@pytest.mark.parametrize("comment", [
    "Crawl-delay is set for all bots",
    "see https://example.com/robots-policy",
    "Do not crawl the search pages",
    "Disallow all robots from /admin",
    "Disallow crawling of internal search results",
    "No robots allowed in /cgi-bin",
    "Robots are not allowed to index /tmp",
    "Googlebot is allowed, all other robots are blocked",
    "Bots that ignore these rules will be banned",
    "For permission to crawl, contact webmaster@example.com",
    "crawlers without a user agent are blocked",
    "robots.txt generated by Yoast SEO",
    "Crawl budget: keep bots off faceted search",
])
def test_ordinary_robots_comments_are_no_notice(comment: str) -> None:
    assert legal_notice_scopes(comment) == []


def test_linkedin_notice_over_two_lines_is_one_notice() -> None:
    from pathlib import Path

    snapshot = Path(__file__).parents[2] / "examples" / "plans" / "snapshots" / "linkedin.com.txt"
    found = [o for o in robots_opt_outs(snapshot.read_text(encoding="utf-8")) if o.kind == "legal-notice"]
    assert [(o.line, o.scopes, o.confidence) for o in found] == [(1, ["scraping"], "low")]
    assert found[0].value == ("# Notice: The use of robots or other automated means to access LinkedIn without "
                              "the express permission of LinkedIn is strictly prohibited.")


def test_only_wrapped_whole_line_comments_are_joined() -> None:
    text = ("# We welcome crawlers\n"          # a new capitalised line starts a new notice: no join
            "# Misuse of the API is prohibited\n"
            "User-agent: *\n"
            "Disallow: /x # scraping of\n"    # a comment after a rule stands alone
            "# this site is prohibited\n"
            "#\n"
            "# crawling without the express\n"  # an empty '#' ends a notice
            "Allow: /\n")
    assert [o for o in robots_opt_outs(text) if o.kind == "legal-notice"] == []
    wrapped = "# Crawling of this site\n#   is not permitted without\n# written permission.\nUser-agent: *\nAllow: /\n"
    found = robots_opt_outs(wrapped)
    assert [(o.line, o.value) for o in found] == [
        (1, "# Crawling of this site is not permitted without written permission.")]


def test_cloudflare_preamble_is_read_as_explaining_its_content_signal() -> None:
    text = ("# ANY RESTRICTIONS EXPRESSED VIA CONTENT SIGNALS ARE EXPRESS RESERVATIONS OF\n"
            "# RIGHTS UNDER ARTICLE 4 OF THE EUROPEAN UNION DIRECTIVE 2019/790 ON COPYRIGHT\n"
            "# AND RELATED RIGHTS IN THE DIGITAL SINGLE MARKET.\n\n"
            "User-agent: *\nContent-Signal: search=yes, ai-train=no\nAllow: /\n")
    assert kinds(robots_opt_outs(text)) == ["content-signal"]


def test_long_notices_are_quoted_shortened() -> None:
    text = "# Scraping is prohibited " + "and so on " * 60 + "\nUser-agent: *\nAllow: /\n"
    found = robots_opt_outs(text)
    assert len(found) == 1 and len(found[0].value) <= 302 and found[0].value.endswith("…")


# --- pages: headers and meta tags ---------------------------------------------------------------------------


def test_x_robots_tag_noai_is_found_and_other_crawlers_values_are_not() -> None:
    found = from_headers({"X-Robots-Tag": ["noindex", "noai, noimageai", "otherbot: noai"]}, "u", "AcmeBot")
    assert [o.value for o in found] == ["X-Robots-Tag: noai, noimageai"]
    assert from_headers({"X-Robots-Tag": "acmebot: noimageai"}, "u", "AcmeBot")[0].kind == "x-robots-tag"
    assert from_headers({"X-Robots-Tag": "noindex, nofollow"}, "u", "AcmeBot") == []
    assert from_headers({"X-Robots-Tag": "unavailable_after: 2030-01-01"}, "u", "AcmeBot") == []


def test_meta_robots_noai_is_found_and_plain_robots_meta_is_not() -> None:
    html = '<html><head><meta name="robots" content="noai"><meta name="AcmeBot" content="noimageai">' \
           '<meta name="googlebot" content="noai"></head></html>'
    found = from_html(html, "u", "AcmeBot")
    assert [(o.kind, o.value) for o in found] == [("meta-robots", '<meta name="robots" content="noai">'),
                                                  ("meta-robots", '<meta name="acmebot" content="noimageai">')]
    assert from_html('<meta name="robots" content="index, follow">', "u", "AcmeBot") == []


def test_tdm_headers_and_meta_are_found_and_zero_is_not() -> None:
    found = from_headers({"tdm-reservation": "1", "tdm-policy": "https://news.example/policy.json"}, "u", "A")
    assert found[0].kind == "tdmrep" and found[0].scopes == ["tdm", "ai-training"]
    assert "tdm-policy: https://news.example/policy.json" in found[0].value
    assert from_headers({"tdm-reservation": "0"}, "u", "A") == []
    meta = from_html('<meta name="tdm-reservation" content="1"><meta name="tdm-policy" content="p.json">', "u", "A")
    assert meta[0].kind == "tdmrep" and "p.json" in meta[0].value
    assert from_html('<meta name="tdm-reservation" content="0">', "u", "A") == []


def test_content_usage_and_signal_headers() -> None:
    found = from_headers({"Content-Usage": "train-ai=n", "Content-Signal": "ai-input=no"}, "u", "A")
    assert [(o.kind, o.scopes) for o in found] == [("content-usage", ["ai-training"]),
                                                   ("content-signal", ["ai-inference"])]
    assert from_headers({"Content-Usage": "train-ai=y", "Content-Signal": "search=yes"}, "u", "A") == []


def test_rsl_link_header() -> None:
    link = '<https://news.example/license.xml>; rel="license"; type="application/rsl+xml"'
    assert from_headers({"Link": link}, "u", "A")[0].kind == "rsl-license"
    assert from_headers({"Link": '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'}, "u", "A") == []


def test_preference_vocabulary() -> None:
    assert parse_preferences("/images/ train-ai=n, search=y") == ("/images/", {"train-ai": False, "search": True})
    assert reserved_scopes({"bots": False, "search": True}) == ["scraping", "tdm", "ai-training", "ai-inference"]
    assert reserved_scopes({"bots": True, "train-ai": False}) == ["ai-training"]
    assert reserved_scopes({"ai-train": False}, signal=True) == ["ai-training"]


# --- TDMRep well-known file ---------------------------------------------------------------------------------


TDMREP = json.dumps([
    {"location": "/public/*", "tdm-reservation": 0},
    {"location": "/*", "tdm-reservation": 1, "tdm-policy": "https://news.example/policy.json"},
])


def test_tdmrep_json_first_matching_rule_decides() -> None:
    found, problems = from_tdmrep_json(TDMREP, "w", ["/articles/1"])
    assert len(found) == 1 and "location /*" in found[0].value and not problems
    found, _ = from_tdmrep_json(TDMREP, "w", ["/public/page"])
    assert found == []


def test_tdmrep_json_that_is_broken_is_a_problem_not_an_error() -> None:
    found, problems = from_tdmrep_json(b"{not json", "w", ["/"])
    assert found == [] and "not valid JSON" in problems[0]


# --- the same forms, collected over HTTP --------------------------------------------------------------------


def test_every_page_form_is_collected_from_the_server(site: Site) -> None:
    site.robots("User-agent: *\nAllow: /\n")
    page = ('<!doctype html><html><head><meta name="robots" content="noai">'
            '<meta name="tdm-reservation" content="1"></head><body>hi</body></html>')
    site.route("/", body=page, content_type="text/html; charset=utf-8",
               headers={"X-Robots-Tag": "noimageai", "Content-Usage": "train-ai=n", "Content-Signal": "ai-train=no",
                        "Link": '<https://x.example/l.xml>; rel="license"; type="application/rsl+xml"'})
    site.route("/.well-known/tdmrep.json", body=TDMREP, content_type="application/json")
    target = collect(make_plan(f"{site.origin}/"), config=FAST).targets[site.origin]
    assert sorted(kinds(target.opt_outs)) == sorted(
        ["x-robots-tag", "content-usage", "content-signal", "rsl-license", "meta-robots", "tdmrep", "tdmrep"])
    assert all(o.where.startswith(site.origin) for o in target.opt_outs)


def test_a_plain_page_has_no_opt_outs(site: Site) -> None:
    site.robots("User-agent: *\nAllow: /\n")
    site.route("/", body="<html><head><title>x</title></head></html>", content_type="text/html",
               headers={"X-Robots-Tag": "noindex"})
    site.route("/.well-known/tdmrep.json", body="[]", content_type="application/json")
    target = collect(make_plan(f"{site.origin}/"), config=FAST).targets[site.origin]
    assert target.opt_outs == []


def test_page_opt_outs_follow_a_redirect(site: Site) -> None:
    site.robots("User-agent: *\nAllow: /\n")
    site.route("/", status=301, headers={"Location": "/home"})
    site.route("/home", body="ok", headers={"X-Robots-Tag": "noai"})
    target = collect(make_plan(f"{site.origin}/"), config=FAST).targets[site.origin]
    assert [o.where for o in target.opt_outs] == [f"{site.origin}/home"]
    assert target.pages[0]["redirects"] == [f"{site.origin}/home"]


@pytest.mark.parametrize("plan", ["linkedin-fake-accounts.toml", "linkedin-inmail-ai-training.toml"])
def test_linkedin_example_plans_get_rob_053_for_the_two_line_notice(plan: str) -> None:
    from pathlib import Path

    from scrapecheck import evaluate, load_plan

    path = Path(__file__).parents[2] / "examples" / "plans" / plan
    found = [f for f in evaluate(load_plan(path), offline=True).findings if f.rule_id == "ROB-053"]
    assert len(found) == 1 and found[0].evidence["line"] == 1
    assert "strictly prohibited" in found[0].message and "without the express permission" in found[0].message


def test_the_factored_scraping_pattern_answers_as_the_spelled_out_one() -> None:
    """``_SCRAPE_NOTICE`` is written with shared heads factored out (its compile is part of every run, issue 10);
    it must answer exactly as the five alternatives spelled out, on every comment of the robots.txt corpus and
    on sentences built from its own vocabulary."""
    import random
    import re
    from pathlib import Path

    from scrapecheck.robots import RobotsPolicy
    from scrapecheck.signals import optouts as o

    spelled = re.compile(
        rf"\b{o._NEG}\b.{{0,40}}\b{o._SCRAPE}\b|\b{o._SCRAPE}\b.{{0,40}}\b{o._BAD}\b"
        rf"|\b{o._SCRAPE}\b[^.!?]{{0,100}}\b(?:{o._LEGAL})"
        rf"|\b{o._CRAWL}\b[^.!?]{{0,100}}\b(?:{o._LEGAL})|\bunauthori[sz]ed (?:\w+ )?{o._CRAWL}\b", re.I)
    corpus = Path(__file__).resolve().parents[2] / "benchmarks" / "robots" / "corpus"
    texts = [text for path in sorted(corpus.glob("*.txt"))
             for _, text in o.notices(RobotsPolicy.parse(path.read_bytes()))]
    words = ["no", "not", "never", "prohibited", "forbidden", "scraping", "Scrapers", "harvesting", "crawling",
             "robots", "bots", "spiders", "automated", "means", "access", "data", "collection", "of", "is",
             "are", "strictly", "without", "our", "written", "permission", "consent", "unauthorized", "web",
             "crawlers", "illegal", "banned", "allowed", "the", "site", ".", "!", "disallowed", "not permitted"]
    rng = random.Random(10)
    texts += [" ".join(rng.choice(words) for _ in range(rng.randint(2, 12))) for _ in range(4000)]
    hits = 0
    for text in texts:
        expected = spelled.search(text) is not None
        assert (o._SCRAPE_NOTICE.search(text) is not None) == expected, text
        hits += expected
    assert len(texts) > 4200 and 500 < hits < len(texts) - 500  # both answers well represented


def test_screened_notice_search_answers_as_searching_every_comment_with_ignorecase() -> None:
    """``legal_notice_scopes`` screens an ASCII comment by the words a match must contain and searches it lower-cased
    (issue 10: compile and search only what can match). It must answer exactly as searching every comment with
    the ``re.I`` patterns: on every comment of the robots.txt corpus, on sentences built from the patterns' own
    vocabulary in mixed case, and on non-ASCII text (searched with ``re.I`` as before, folding included)."""
    import random
    import re
    from pathlib import Path

    from scrapecheck.robots import RobotsPolicy
    from scrapecheck.signals import optouts as o

    def reference(comment: str) -> list[str]:
        full = {name: re.compile(source, re.I) for name, source in o._NOTICE_SOURCES.items()}
        if full["explains"].search(comment):
            return []
        scopes: list[str] = []
        if full["tdm"].search(comment):
            scopes += ["tdm", "ai-training"]
        if full["ai"].search(comment) and "ai-training" not in scopes:
            scopes.append("ai-training")
        if full["scraping"].search(comment):
            scopes.insert(0, "scraping")
        return scopes

    corpus = Path(__file__).resolve().parents[2] / "benchmarks" / "robots" / "corpus"
    texts = [text for path in sorted(corpus.glob("*.txt"))
             for _, text in o.notices(RobotsPolicy.parse(path.read_bytes()))]
    words = ["no", "not", "never", "prohibited", "forbidden", "banned", "denies", "refused", "may not", "without",
             "written", "permission", "licence", "authorization", "AI", "A.I.", "artificial intelligence",
             "machine-learning", "ML", "LLMs", "large language models", "GenAI", "generative AI", "model training",
             "train models", "training data", "datasets", "text and data mining", "data-mining", "TDM", "2019/790",
             "44b", "article 4 of the DSM", "reserved", "reservation", "scraping", "Scrapers", "harvesting",
             "data collection", "collection of personal data", "automated means", "automated requests",
             "crawling", "spiders", "robots", "bots", "web crawlers", "unauthorized", "unauthorised", "illegal",
             "unlawful", "not permitted", "not authorized", "disallowed", "strictly", "content-signal",
             "Content Usage", "is", "the", "of", "our", "site", ".", "!", "?",
             "ſcraping", "K", "İ", "ﬁ"]  # Unicode case folding (long s, Kelvin sign): the re.I path
    rng = random.Random(10)

    def cased(word: str) -> str:
        return rng.choice([word, word.upper(), word.title(), word.lower()])

    texts += [" ".join(cased(rng.choice(words)) for _ in range(rng.randint(2, 12))) for _ in range(6000)]
    found = 0
    for text in texts:
        expected = reference(text)
        assert o.legal_notice_scopes(text) == expected, text
        found += bool(expected)
    assert len(texts) > 6200 and 1000 < found < len(texts) - 1000  # both answers well represented
