"""When a rule set leaves the uncompiled tier for the compiled regex (issue 10), and when it must not."""

from __future__ import annotations

from typing import Any

import pytest

from scrapecheck.robots import RobotsPolicy, _match

from .reference import allowed as reference_allowed

ROBOTS = """User-agent: *
Disallow: /private/
Allow: /private/public*
Disallow: /*.pdf$
Crawl-delay: 3
Request-rate: 1/5s
"""
URLS = ["https://h/", "https://h/private/x", "https://h/private/public-1", "https://h/a.pdf", "https://h/a.pdfx"]


class _NoCompile:
    """Stands in for the regex compiler: any use fails the test."""

    def compile(self, *args: Any) -> Any:
        raise AssertionError("the regex compiler was called")


def _ruleset(policy: RobotsPolicy, agent: str = "x") -> _match.RuleSet:
    return policy._resolve(policy._group_indexes(agent))[1]


def test_a_rule_set_starts_uncompiled_and_switches_once_its_budget_is_spent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_match, "_SAVED_PER_CHECK", 0.15e-6)  # by default nothing compiles on its own
    policy = RobotsPolicy.parse(ROBOTS)
    ruleset = _ruleset(policy)
    assert ruleset.tier == "scan"  # no index yet: the first checks scan the rules
    ruleset._left[0] = 1  # as if it had answered as many URLs as compiling costs, less one
    assert policy.is_allowed("x", URLS[1]) is False
    assert ruleset.tier == "compiled"
    assert [policy.is_allowed("x", u) for u in URLS] == [True, False, True, False, True]


def test_by_default_no_rule_set_compiles_nor_counts_its_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """The compiled check costs more than the uncompiled one on most files and saves less than its compile cost
    on the others within 10,000 URLs (see _SAVED_PER_CHECK): no rule set switches, nor counts towards it."""
    monkeypatch.setattr(_match, "_sre_compiler", _NoCompile())
    policy = RobotsPolicy.parse(ROBOTS)
    ruleset = _ruleset(policy)
    for _ in range(200):
        assert [policy.is_allowed("x", u) for u in URLS] == [True, False, True, False, True]
    assert ruleset.tier == "uncompiled" and ruleset._left == [-1]
    ruleset._left[0] = 1  # what "one check left before compiling" would be: nothing reads it
    assert [policy.is_allowed("x", u) for u in URLS] == [True, False, True, False, True]
    assert ruleset.tier == "uncompiled"


def test_over_the_compile_cap_a_rule_set_never_compiles(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_match, "_SAVED_PER_CHECK", 0.15e-6)
    monkeypatch.setattr(_match, "COMPILE_CAP", 0.0)
    monkeypatch.setattr(_match, "_sre_compiler", _NoCompile())
    policy = RobotsPolicy.parse(ROBOTS)
    for _ in range(200):
        assert [policy.is_allowed("x", u) for u in URLS] == [True, False, True, False, True]
    assert _ruleset(policy).tier == "uncompiled"


def test_group_for_crawl_delay_and_explain_never_compile(monkeypatch: pytest.MonkeyPatch) -> None:
    # With a zero estimate, the first is_allowed would compile; nothing else may.
    monkeypatch.setattr(_match, "_SAVED_PER_CHECK", 0.15e-6)
    monkeypatch.setattr(_match, "_COMPILE_PER_RULE", 0.0)
    monkeypatch.setattr(_match, "_COMPILE_PER_CHAR", 0.0)
    monkeypatch.setattr(_match, "_COMPILE_BASE", 0.0)
    monkeypatch.setattr(_match, "_sre_compiler", _NoCompile())
    policy = RobotsPolicy.parse(ROBOTS)
    for _ in range(50):
        assert policy.group_for("x") is not None
        assert policy.crawl_delay("x") == 3.0
        assert policy.request_rate("x") == (1, 5.0)
        assert [policy.explain("x", u).allowed for u in URLS] == [True, False, True, False, True]
    assert _ruleset(policy).tier == "uncompiled"
    with pytest.raises(AssertionError, match="regex compiler"):
        policy.is_allowed("x", URLS[0])  # proves the stand-in was live


def test_a_regex_that_cannot_be_built_keeps_the_uncompiled_tier(monkeypatch: pytest.MonkeyPatch) -> None:
    # 300 nested prefixes: the prefix tree of the regex is too deep to build, so the first tier stays.
    robots = "User-agent: *\n" + "".join(f"{'Allow' if i % 2 else 'Disallow'}: /{'a' * i}\n" for i in range(1, 301))
    monkeypatch.setattr(_match, "FORCE_TIER", "compiled")
    policy = RobotsPolicy.parse(robots)
    assert _ruleset(policy).tier == "uncompiled"
    for k in (0, 1, 2, 3, 150, 299, 300, 301, 400):
        url = "https://h/" + "a" * k + "b"
        expected, line = reference_allowed(robots, "x", url)
        assert policy.is_allowed("x", url) is expected
        assert (policy.explain("x", url).line or 0) == line


def test_compiled_regex_is_not_kept_in_re_cache() -> None:
    import re

    re.purge()
    saved = _match.FORCE_TIER
    _match.FORCE_TIER = "compiled"
    try:
        policy = RobotsPolicy.parse("User-agent: *\nDisallow: /zz-unique-pattern*x$\n")
        assert policy.is_allowed("x", "https://h/zz-unique-pattern-x") is False
        assert _ruleset(policy).tier == "compiled"
    finally:
        _match.FORCE_TIER = saved
    cached = [key for key in getattr(re, "_cache", {}) if "zz-unique-pattern" in str(key)]
    assert cached == []


@pytest.mark.parametrize("name", ["uncompiled", "compiled"])
def test_robots_txt_itself_is_always_allowed(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """RFC 9309 §2.2.2: "The /robots.txt URI is implicitly allowed." Only that exact path, no query."""
    monkeypatch.setattr(_match, "FORCE_TIER", name)
    policy = RobotsPolicy.parse("User-agent: *\nDisallow: /\nDisallow: /robots.txt\n")
    assert _ruleset(policy).tier == name
    for url in ("https://h/robots.txt", "/robots.txt", "http://h/robots.txt#x", "https://h:8080/robots.txt"):
        assert policy.is_allowed("x", url) is True, url
        verdict = policy.explain("x", url)
        assert verdict.allowed is True and verdict.rule is None, url
    for url in ("https://h/robots.txt?x=1", "https://h/robots.txt/", "https://h/Robots.txt", "https://h/robots.txtx"):
        assert policy.is_allowed("x", url) is False, url
        assert policy.explain("x", url).allowed is False, url


def test_many_floating_globs_on_a_long_path_use_the_q_gram_prefilter_and_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    """Many ``/*word`` literals against a long path go through the q-gram prefilter (one pass over the path
    instead of one scan per literal); the verdicts and deciding lines are the reference algorithm's."""
    monkeypatch.setattr(_match, "_GRAMS_MIN_WORK", 200_000)  # literals x path length: 302 x ~1,400 is above
    words = [f"w{i:03d}x{'abc'[i % 3]}" for i in range(300)] + ["ab", "zz"]
    robots = "User-agent: *\n" + "".join(
        f"{'Allow' if i % 5 == 0 else 'Disallow'}: /*{w}{'$' if i % 7 == 0 else ''}\n" for i, w in enumerate(words))
    robots += "Disallow: /*w1*w2*end\nAllow: /*qq*w299xa\n"
    filler = "/".join(f"seg{i}" for i in range(200))
    urls = [f"https://h/{filler}", f"https://h/{filler}/w150xa", f"https://h/w007xb/{filler}", f"https://h/{filler}w126xa",
            f"https://h/{filler}w126xa/", f"https://h/{filler}ab", f"https://h/{filler}z", f"https://h/w1/{filler}w2/end",
            f"https://h/qq/{filler}w299xa", f"https://h/qq/{filler}w299x", f"https://h/{filler}w28" + "6xb"]
    matcher = RobotsPolicy.parse(robots).matcher("x")
    for url in urls:
        expected, line = reference_allowed(robots, "x", url)
        assert matcher.check(url) is expected, url
        allowed, rule = matcher.decide(url)
        assert (allowed, 0 if rule is None else rule.line) == (expected, line), url
    assert matcher._grams  # the prefilter ran
