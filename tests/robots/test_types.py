"""Wrong argument types are a TypeError with a clear message, never a silent allow or an AttributeError."""

from __future__ import annotations

import pytest

from scrapecheck.robots import RobotsPolicy, is_allowed

BAD = [None, b"/", 1, ["/"]]


@pytest.mark.parametrize("url", BAD)
def test_is_allowed_refuses_a_url_that_is_not_str(url: object) -> None:
    with pytest.raises(TypeError, match=rf"url must be a str, not {type(url).__name__}"):
        is_allowed("User-agent: *\nDisallow: /\n", "A", url)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="url must be a str"):
        is_allowed("x", "A", url)  # type: ignore[arg-type]


@pytest.mark.parametrize("agent", BAD)
def test_is_allowed_refuses_a_user_agent_that_is_not_str(agent: object) -> None:
    with pytest.raises(TypeError, match=rf"user_agent must be a str, not {type(agent).__name__}"):
        is_allowed("x", agent, "/")  # type: ignore[arg-type]


@pytest.mark.parametrize("body", [None, 1, ["User-agent: *"], {"a": 1}])
def test_is_allowed_refuses_robots_text_that_is_not_str_or_bytes(body: object) -> None:
    with pytest.raises(TypeError, match=rf"robots_txt must be str or bytes, not {type(body).__name__}"):
        is_allowed(body, "A", "/")  # type: ignore[arg-type]


def test_bytes_like_robots_text_is_still_accepted() -> None:
    body = b"User-agent: *\nDisallow: /x\n"
    assert not is_allowed(bytearray(body), "A", "/x") and not is_allowed(memoryview(body), "A", "/x")
    assert is_allowed(body, "A", "/y")


@pytest.mark.parametrize("value", BAD)
def test_policy_methods_refuse_non_str_arguments(value: object) -> None:
    policy = RobotsPolicy.parse("User-agent: *\nDisallow: /\nCrawl-delay: 2\n")
    name = type(value).__name__
    for call in (lambda: policy.is_allowed(value, "/"), lambda: policy.explain(value, "/"),  # type: ignore[arg-type]
                 lambda: policy.group_for(value), lambda: policy.crawl_delay(value),  # type: ignore[arg-type]
                 lambda: policy.request_rate(value)):  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=rf"user_agent must be a str, not {name}"):
            call()
    for call in (lambda: policy.is_allowed("A", value), lambda: policy.explain("A", value)):  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=rf"url must be a str, not {name}"):
            call()
    # a refused call leaves the policy's per-agent cache usable
    assert policy.is_allowed("A", "/") is False


def test_parse_refuses_non_text() -> None:
    with pytest.raises(TypeError, match="must be str or bytes, not NoneType"):
        RobotsPolicy.parse(None)  # type: ignore[arg-type]
