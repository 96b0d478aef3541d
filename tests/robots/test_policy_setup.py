"""How ``RobotsPolicy.parse`` sets a policy up cheaply (issue 10, cold cost per origin) without changing what
callers see: the object is a frozen RobotsPolicy (or the subclass parse was called on), and the user-agent
to product-token memo behind group lookup answers as ``product_token`` does."""

from __future__ import annotations

import pickle

import pytest

from scrapecheck.robots import RobotsPolicy, _policy, product_token

BODY = "User-agent: GPTBot\nDisallow: /\n\nUser-agent: *\nDisallow: /private/\n"


def test_a_parsed_policy_is_a_frozen_robots_policy() -> None:
    policy = RobotsPolicy.parse(BODY)
    assert type(policy) is RobotsPolicy
    with pytest.raises(AttributeError):
        policy.size = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        policy._body = ""  # type: ignore[misc]
    assert policy.size == len(BODY) and policy.truncated is False
    assert policy.is_allowed("GPTBot", "/a") is False and policy.is_allowed("x", "/private/a") is False


def test_parse_on_a_subclass_gives_that_subclass_frozen() -> None:
    class Mine(RobotsPolicy):
        __slots__ = ()

        def kind(self) -> str:
            return "mine"

    for _ in range(2):  # the assignable twin is made once, then reused
        policy = Mine.parse(BODY)
        assert type(policy) is Mine and policy.kind() == "mine"
        with pytest.raises(AttributeError):
            policy.size = 3  # type: ignore[misc]
        assert policy.is_allowed("GPTBot", "/a") is False


def test_the_token_memo_answers_as_product_token() -> None:
    policy = RobotsPolicy.parse(BODY)
    agents = ["GPTBot/1.2", "Mozilla/5.0 (compatible; GPTBot/1.2; +https://openai.com/gptbot)", "gptbot",
              "Mozilla/5.0 (X11; Linux x86_64) Safari/537.36", "", "*", "008", "OtherBot"]
    for _ in range(2):  # first computed, then remembered
        for agent in agents:
            token = product_token(agent).lower()
            assert _policy._TOKENS[agent] == token if agent in _policy._TOKENS else True
            expected_gpt = token == "gptbot"
            assert policy.is_allowed(agent, "/a") is (not expected_gpt), agent
            assert _policy._TOKENS[agent] == token


def test_the_token_memo_is_bounded_and_refuses_non_str() -> None:
    policy = RobotsPolicy.parse(BODY)
    for n in range(_policy._CACHE_LIMIT + 10):
        policy.group_for(f"Bot{n}")
    assert len(_policy._TOKENS) <= _policy._CACHE_LIMIT
    for bad in (None, 3, b"GPTBot", ["GPTBot"]):
        with pytest.raises(TypeError, match="user_agent must be a str"):
            policy.group_for(bad)  # type: ignore[arg-type]


def test_the_twin_class_does_not_leak() -> None:
    policy = RobotsPolicy.parse(BODY)
    assert "RobotsPolicy groups=2" in repr(policy)
    assert b"_Building" not in pickle.dumps(policy)
    assert not isinstance(policy, _policy._Building)


def _files() -> list[bytes]:
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[2] / "benchmarks" / "robots" / "corpus"
    return [p.read_bytes() for p in sorted(corpus.glob("*.txt"))[:20]]


def test_a_dropped_policy_and_its_scanning_rule_set_are_freed_at_once() -> None:
    """A policy holds its rule sets, and a rule set refers to neither its policy nor (from its scan) to itself: once
    dropped after a first check, both are freed by their reference counts, with no cyclic garbage left for the
    collector to find and walk (issue 10: ~4% of the instructions at one URL per origin)."""
    import gc
    import weakref

    gc.collect()
    gc.disable()
    try:
        for body in [BODY.encode(), *_files()]:
            policy = RobotsPolicy.parse(body)
            ruleset = policy.matcher("Googlebot")
            if not ruleset.rules:
                continue
            assert policy.is_allowed("Googlebot", "https://example.com/some/path") in (True, False)
            dropped = weakref.ref(ruleset)
            del policy, ruleset
            assert dropped() is None
    finally:
        gc.enable()


def test_a_rule_sets_rules_equal_its_groups() -> None:
    """The rule set makes its Rule objects from its columns and the body's lines, not from its policy's groups; they
    are equal to the groups' (merged groups included)."""
    body = (BODY + "User-agent: GPTBot\nAllow: /caf\xe9 # x\nDisallow: /a%2f*$\n\nUser-agent: Other\n"
            "Disallow: /o\n").encode("latin-1")
    for text in [body, *_files()]:
        policy = RobotsPolicy.parse(text)
        for agent in ("GPTBot", "Googlebot", "Other", "Unknown"):
            group = policy.group_for(agent)
            assert policy.matcher(agent).rules == (group.rules if group is not None else ())


def test_a_check_kept_without_its_rule_set_answers_past_the_scan() -> None:
    """``check`` bound from a matcher that nobody keeps (nor its policy) still answers every URL, through the scan
    and past it (the scan holds its rule set weakly: without it, it indexes a twin)."""
    body = "User-agent: *\n" + "".join(f"Disallow: /p{n}/*.x$\nAllow: /p{n}/ok\n" for n in range(12))
    urls = [f"https://h/p{n}/{leaf}" for n in range(14) for leaf in ("a.x", "ok", "b")]
    expected = [RobotsPolicy.parse(body).is_allowed("x", url) for url in urls]
    check = RobotsPolicy.parse(body).matcher("x").check
    check_path = RobotsPolicy.parse(body).matcher("x").check_path
    assert [check(url) for url in urls] == expected
    assert [check_path(url[len("https://h"):]) for url in urls] == expected
