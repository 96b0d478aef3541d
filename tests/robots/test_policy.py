"""The parse-once API: groups, explain, crawl-delay, request-rate, sitemaps, comments, extensions."""

from __future__ import annotations


import pytest

from scrapecheck.robots import Group, RobotsPolicy, Rule, Verdict, is_allowed

ROBOTS = """\
# Example Corp robots.txt -- (c) Example Corp, all rights reserved
User-agent: AcmeBot
User-agent: OtherBot
Crawl-delay: 2.5
Request-rate: 3/1m
Disallow: /private/   # staff only
Allow: /private/press/
Content-Usage: train-ai=n

User-agent: *
Disallow: /tmp/
Crawl-delay: 10

User-agent: acmebot
Disallow: /drafts/

Sitemap: https://example.com/sitemap.xml
Content-Signal: search=yes, ai-train=no
"""


@pytest.fixture(scope="module")
def policy() -> RobotsPolicy:
    return RobotsPolicy.parse(ROBOTS)


def test_groups(policy: RobotsPolicy) -> None:
    assert [g.agents for g in policy.groups] == [("AcmeBot", "OtherBot"), ("*",), ("acmebot",)]
    first = policy.groups[0]
    assert first.agent_lines == (2, 3)
    assert (first.start_line, first.end_line) == (2, 8)
    assert first.rules == (
        Rule(False, "/private/", 6, "Disallow: /private/   # staff only"),
        Rule(True, "/private/press/", 7, "Allow: /private/press/"),
    )
    assert policy.groups[1].is_global and not first.is_global


def test_group_for_merges_groups_of_the_same_agent(policy: RobotsPolicy) -> None:
    group = policy.group_for("AcmeBot/2.0 (+https://acme.example)")
    assert group is not None
    assert group.agents == ("AcmeBot", "OtherBot", "acmebot")
    assert [r.line for r in group.rules] == [6, 7, 15]
    assert policy.group_for("OtherBot") == policy.groups[0]
    assert policy.group_for("Nobody") == policy.groups[1]
    assert RobotsPolicy.parse("User-agent: Foo\nDisallow: /\n").group_for("Bar") is None


def test_is_allowed_and_explain(policy: RobotsPolicy) -> None:
    assert not policy.is_allowed("AcmeBot", "https://example.com/private/x")
    assert policy.is_allowed("AcmeBot", "https://example.com/private/press/1")
    assert not policy.is_allowed("AcmeBot", "/drafts/a")  # merged group
    assert policy.is_allowed("AcmeBot", "/tmp/a")  # the * group does not apply to AcmeBot
    assert not policy.is_allowed("Nobody", "/tmp/a")

    verdict = policy.explain("AcmeBot", "https://example.com/private/x?y")
    assert verdict == Verdict(False, policy.groups[0].rules[0], ("AcmeBot", "OtherBot", "acmebot"))
    assert verdict.line == 6
    assert policy.explain("AcmeBot", "/public").rule is None
    assert policy.explain("AcmeBot", "/public").allowed
    nobody = RobotsPolicy.parse("User-agent: Foo\nDisallow: /\n").explain("Bar", "/x")
    assert nobody == Verdict(True, None, None)


def test_index_html_explained_by_its_allow_line() -> None:
    policy = RobotsPolicy.parse("User-agent: *\nDisallow: /\nAllow: /d/index.html\n")
    verdict = policy.explain("x", "/d/")
    assert verdict.allowed and verdict.line == 3


def test_crawl_delay_and_request_rate(policy: RobotsPolicy) -> None:
    assert policy.crawl_delay("AcmeBot") == 2.5
    assert policy.crawl_delay("Nobody") == 10.0
    assert policy.request_rate("AcmeBot") == (3, 60.0)
    assert policy.request_rate("Nobody") is None
    odd = RobotsPolicy.parse(
        "User-agent: *\nCrawl-delay: soon\nCrawl-delay: -1\nCrawl-delay: 4\nRequest-rate: 0/5\nRequest-rate: 1/10s\n"
    )
    assert odd.crawl_delay("x") == 4.0
    assert odd.request_rate("x") == (1, 10.0)
    assert RobotsPolicy.parse("User-agent: *\nCrawl-delay: nan\nCrawl-delay: inf\n").crawl_delay("x") is None


def test_sitemaps_comments_extensions(policy: RobotsPolicy) -> None:
    assert policy.sitemaps == ("https://example.com/sitemap.xml",)
    assert policy.comments == (
        (1, "Example Corp robots.txt -- (c) Example Corp, all rights reserved"),
        (6, "staff only"),
    )
    assert (8, "content-usage", "train-ai=n") in policy.extensions
    assert (18, "content-signal", "search=yes, ai-train=no") in policy.extensions
    assert policy.groups[0].extensions[0] == (4, "crawl-delay", "2.5")


def test_names_agent(policy: RobotsPolicy) -> None:
    assert policy.names_agent("AcmeBot")
    assert policy.names_agent("acmebot/1.0")
    assert not policy.names_agent("GPTBot")
    assert not policy.names_agent("*")


def test_lines(policy: RobotsPolicy) -> None:
    assert policy.lines[1] == "User-agent: AcmeBot"
    assert policy.line(2) == "User-agent: AcmeBot"
    assert policy.line(0) is None and policy.line(10_000) is None


def test_immutable(policy: RobotsPolicy) -> None:
    with pytest.raises(AttributeError):
        policy.groups = ()  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        policy.groups[0].rules[0].allow = True  # type: ignore[misc]
    assert isinstance(policy.groups[0], Group)


def test_non_utf8_text_is_readable() -> None:
    policy = RobotsPolicy.parse(b"# caf\xe9 \xc3\xa9\nUser-agent: *\nDisallow: /caf\xe9\n")
    assert policy.comments == ((1, "caf\ufffd \u00e9"),)
    assert policy.groups[0].rules[0].pattern == "/caf%E9"
    assert policy.groups[0].rules[0].text == "Disallow: /caf\ufffd"


def test_agent_cache_is_bounded() -> None:
    policy = RobotsPolicy.parse("User-agent: *\nDisallow: /x\n")
    for i in range(5000):
        assert not policy.is_allowed(f"Bot{i}", "/x")
    assert len(policy._checks) <= 4096


def test_module_function_accepts_bytes_and_str() -> None:
    assert not is_allowed(b"User-agent: *\nDisallow: /\n", "x", "http://a/")
    assert not is_allowed(bytearray(b"User-agent: *\nDisallow: /\n"), "x", "http://a/")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        RobotsPolicy.parse(None)  # type: ignore[arg-type]


def test_huge_and_adversarial_files_stay_fast() -> None:
    import time

    deep = "User-agent: *\n" + "".join(f"Disallow: /{'a' * i}$\n" for i in range(1, 400))
    stars = "User-agent: *\nDisallow: /*a*a*a*a*a*a*a*a*a*a*a*b\n"
    start = time.perf_counter()
    assert not RobotsPolicy.parse(deep).is_allowed("x", "/" + "a" * 200)
    assert RobotsPolicy.parse(stars).is_allowed("x", "/" + "a" * 5000)
    assert time.perf_counter() - start < 5


def test_values_compare_hash_print_and_pickle(policy: RobotsPolicy) -> None:
    import pickle

    rule = policy.groups[0].rules[0]
    same = type(rule)(rule.allow, rule.pattern, rule.line, rule.text)
    assert rule == same and hash(rule) == hash(same) and rule != object()
    assert repr(rule).startswith("Rule(allow=") and "pattern=" in repr(rule)
    for value in (rule, policy.groups[0], policy.explain("AcmeBot", "/x")):
        assert pickle.loads(pickle.dumps(value)) == value
    with pytest.raises(AttributeError):
        del rule.text  # type: ignore[misc]


def test_user_agents_lists_every_agent_line_without_building_groups() -> None:
    body = ("User-agent: GPTBot\nUser-agent: *\nDisallow: /a\n\nUser-agent: caf\xe9bot\nAllow: /\n"
            "User-agent: GPTBot\nDisallow: /b\n").encode()
    policy = RobotsPolicy.parse(body)
    assert policy.user_agents == ("GPTBot", "*", "caf\xe9bot", "GPTBot")
    assert policy.user_agents == tuple(a for g in policy.groups for a in g.agents)  # the same as walking groups
    fresh = RobotsPolicy.parse(body)
    fresh.user_agents
    assert all(group is None for group in fresh._groups)  # noqa: SLF001 - nothing was built
