"""robots.txt bodies are matched as octets, as Google's parser does (issue 10; RFC 9309 §2.2.2).

A fetched body is not decoded before matching: a Latin-1 byte in a rule is percent-encoded as that
byte ("%E9"), never replaced by U+FFFD. A decoded copy exists only for display (rule text, comments).
"""

from __future__ import annotations

import pytest

from scrapecheck.robots import RobotsPolicy, _match


@pytest.mark.parametrize("tier", ["uncompiled", "compiled", "grams"])
def test_a_latin1_byte_matches_its_percent_encoding(tier: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_match, "FORCE_TIER", tier)
    policy = RobotsPolicy.parse(b"User-agent: *\nDisallow: /caf\xe9\n")
    assert policy.is_allowed("x", "https://h/caf%E9") is False
    assert policy.is_allowed("x", "https://h/caf%e9") is False  # escapes compare in upper case
    assert policy.is_allowed("x", "https://h/caf%E9/menu") is False
    assert policy.is_allowed("x", "https://h/caf%C3%A9") is True  # UTF-8 "é" is other octets
    assert policy.is_allowed("x", "https://h/café") is True  # a str URL is UTF-8 encoded: %C3%A9
    assert policy.groups[0].rules[0].pattern == "/caf%E9"


def test_decoded_text_is_only_for_display() -> None:
    policy = RobotsPolicy.parse(b"User-agent: *\nDisallow: /caf\xe9 # men\xfc\n")
    verdict = policy.explain("x", "/caf%E9")
    assert verdict.allowed is False
    assert verdict.rule is not None and verdict.rule.text == "Disallow: /caf\ufffd # men\ufffd"
    assert policy.comments == ((2, "men\ufffd"),)


def test_utf8_bytes_and_text_give_the_same_policy() -> None:
    text = "User-agent: *\nDisallow: /café\n"
    for body in (text, text.encode("utf-8")):
        policy = RobotsPolicy.parse(body)
        assert policy.is_allowed("x", "https://h/caf%C3%A9") is False
        assert policy.is_allowed("x", "https://h/café") is False
        assert policy.is_allowed("x", "https://h/caf%E9") is True
