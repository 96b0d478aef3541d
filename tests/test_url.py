"""One origin function for the whole package: default ports, case, IPv6, international names (IDNA)."""

from __future__ import annotations

import pytest

from scrapecheck._url import origin, parse_origin, path_and_query, request_host
from scrapecheck.errors import InputError
from scrapecheck.plan import parse_plan


@pytest.mark.parametrize(("url", "expected"), [
    ("https://example.com/a", "https://example.com"),
    ("https://example.com:443/a", "https://example.com"),   # the two old versions disagreed here
    ("http://example.com:80/", "http://example.com"),
    ("http://example.com:8080/", "http://example.com:8080"),
    ("HTTPS://EXAMPLE.com/", "https://example.com"),
    ("https://bücher.de/", "https://bücher.de"),
    ("https://BÜCHER.de:443/x?y", "https://bücher.de"),
    ("https://xn--bcher-kva.de/", "https://bücher.de"),     # both spellings: one origin
    ("http://[::1]:8443/", "http://[::1]:8443"),
    ("http://[0:0:0:0:0:0:0:1]/", "http://[::1]"),
    ("https://under_score.example/", "https://under_score.example"),
])
def test_origin(url: str, expected: str) -> None:
    assert origin(url) == expected


def test_the_wire_sees_the_ascii_form() -> None:
    parsed = parse_origin("https://bücher.de/")
    assert parsed.ascii_host == "xn--bcher-kva.de" == request_host("bücher.de")
    assert parsed.url("/robots.txt") == "https://xn--bcher-kva.de/robots.txt"


@pytest.mark.parametrize("url", ["ftp://example.com/", "http://[::1", "https://example.com:99999/", "http:///x",
                                 "http://exa mple.com/", "https://example.com:0/"])
def test_no_origin_is_an_input_error(url: str) -> None:
    with pytest.raises(InputError):
        origin(url)


@pytest.mark.parametrize(("url", "expected"), [
    ("https://a.example", "/"), ("https://a.example/b/c", "/b/c"), ("https://a.example/b?x=1&y", "/b?x=1&y"),
    ("https://a.example/b#frag", "/b"), ("https://a.example?q", "/?q"),
])
def test_path_and_query(url: str, expected: str) -> None:
    assert path_and_query(url) == expected


def test_plan_targets_use_the_same_origin() -> None:
    plan = parse_plan({"version": 1, "crawler": {"name": "n", "user_agent": "A"},
                       "targets": [{"url": "https://BÜCHER.de:443/a?b=1"}, {"url": "https://xn--bcher-kva.de/"}]})
    assert {t.origin for t in plan.targets} == {"https://bücher.de"}
    assert plan.targets[0].planned_paths == ["/a?b=1"]


@pytest.mark.parametrize("host", [
    "127.0.0.1", "1.2.3.4", "1.2.3", "1", "01.2.3.4", "256.1.1.1", "::1", "fe80::1", "fe80::1%eth0", "::ffff:1.2.3.4",
    "2001:db8::", "example.com", "site1.example", "1.2.3.4.", "١.٢.٣.٤", "1e1.2.3.4", "", ".", "..", "a:b",
    "[::1]", "1.2.3.4a", "0x7f.0.0.1",
])
def test_is_ip_answers_as_ipaddress(host: str) -> None:
    """Issue 10: names are told from addresses without letting ``ipaddress`` raise for them; the answer must be
    what ``ipaddress.ip_address`` says, for every kind of string."""
    import ipaddress

    from scrapecheck._url import _is_ip

    try:
        ipaddress.ip_address(host)
        expected = True
    except ValueError:
        expected = False
    assert _is_ip(host) is expected
