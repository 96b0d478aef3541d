"""Crawl-delay and Request-rate belong to the user-agent lines they follow (issue 10).

They are not in RFC 9309 (Google ignores them), so there is no standard to follow; protego, CPython's
robotparser and texting_robots all give a record to the user-agent lines just before it. Allow and
Disallow keep Google's group merging (RFC 9309 §2.1): consecutive user-agent lines share the rules.
"""

from __future__ import annotations

from scrapecheck.robots import RobotsPolicy

MERGED = """User-agent: Swiftbot
Crawl-delay: 1
Request-rate: 1/1s
User-agent: bingbot
Crawl-delay: 5
Request-rate: 1/10s
Disallow: /x
"""


def test_each_agent_gets_the_delay_after_its_own_line() -> None:
    policy = RobotsPolicy.parse(MERGED)
    assert policy.crawl_delay("Swiftbot") == 1.0
    assert policy.crawl_delay("bingbot") == 5.0
    assert policy.crawl_delay("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)") == 5.0
    assert policy.request_rate("Swiftbot") == (1, 1.0)
    assert policy.request_rate("bingbot") == (1, 10.0)
    assert policy.crawl_delay("other") is None  # no "*" group


def test_allow_disallow_merging_is_unchanged() -> None:
    policy = RobotsPolicy.parse(MERGED)
    assert policy.group_for("Swiftbot") == policy.group_for("bingbot")
    assert not policy.is_allowed("Swiftbot", "/x") and not policy.is_allowed("bingbot", "/x")


def test_global_records_apply_to_agents_falling_to_star() -> None:
    policy = RobotsPolicy.parse("User-agent: *\nCrawl-delay: 2\nUser-agent: foo\nCrawl-delay: 9\nDisallow: /\n")
    assert policy.crawl_delay("other") == 2.0
    assert policy.crawl_delay("foo") == 9.0


def test_a_record_after_the_rules_applies_to_the_whole_run() -> None:
    policy = RobotsPolicy.parse("User-agent: a\nUser-agent: b\nDisallow: /x\nCrawl-delay: 4\n\nUser-agent: c\n"
                                "Crawl-delay: 7\n")
    assert policy.crawl_delay("a") == 4.0 and policy.crawl_delay("b") == 4.0
    assert policy.crawl_delay("c") == 7.0


def test_groups_merged_across_the_file_keep_each_agents_records() -> None:
    policy = RobotsPolicy.parse("User-agent: a\nUser-agent: b\nCrawl-delay: 3\nDisallow: /x\n\n"
                                "User-agent: a\nCrawl-delay: 8\nDisallow: /y\n")
    assert policy.crawl_delay("a") == 3.0  # the first valid record for "a"
    assert policy.crawl_delay("b") == 3.0
    group = policy.group_for("a")
    assert group is not None and [e[2] for e in group.extensions] == ["3", "8"]  # the group keeps them all
