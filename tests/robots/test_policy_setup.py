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
