"""Hostile and malformed inputs to the runtime Guard (review of 2026-12-02): each test is a real bug found.

The rule: a bad input is a clear error (TypeError/ValueError naming the argument, or a ScrapecheckError) or a
sensible decision; never an unrelated exception, a hang, or a silent allow where the site refuses.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest

from scrapecheck import Guard
from scrapecheck.errors import InputError, ScrapecheckError

UA = "AcmeBot/1.0"
ORIGIN = "https://a.example"
ROBOTS = {ORIGIN: "User-agent: *\nDisallow: /x\n"}
META = '<html><head><meta name="robots" content="noai"></head><body>hi</body></html>'


def test_check_response_reads_a_memoryview_body() -> None:
    """A memoryview is bytes-like: it was read as str(memoryview) ("<memory at 0x...>"), so the page's noai was
    missed and the response allowed."""
    guard = Guard.from_robots(UA, "ai-training", ROBOTS)
    headers = {"Content-Type": "text/html"}
    assert not guard.check_response(f"{ORIGIN}/y", 200, headers, META.encode()).allowed
    for body in (memoryview(META.encode()), bytearray(META.encode())):
        assert not guard.check_response(f"{ORIGIN}/y", 200, headers, body).allowed


def test_check_response_reads_a_utf16_page_as_its_charset_says() -> None:
    """A page served as text/html; charset=utf-16 was decoded as UTF-8: its meta noai was lost, the page allowed."""
    guard = Guard.from_robots(UA, "ai-training", ROBOTS)
    decision = guard.check_response(f"{ORIGIN}/y", 200, {"Content-Type": "text/html; charset=utf-16"},
                                    META.encode("utf-16"))
    assert not decision.allowed


@pytest.mark.parametrize("headers", [object(), 5, "X-Robots-Tag: noai", b"X-Robots-Tag: noai",
                                     ["X-Robots-Tag: noai"], [("a", "b", "c")]])
def test_check_response_bad_headers_name_the_argument(headers: object) -> None:
    """These raised "'object' object is not iterable", "not enough values to unpack (expected 2, got 1)", ...:
    nothing says it is ``headers`` that is wrong."""
    guard = Guard.from_robots(UA, "ai-training", ROBOTS)
    with pytest.raises((TypeError, ValueError), match="headers"):
        guard.check_response(f"{ORIGIN}/y", 200, headers)


def test_huge_int_cache_ttl_is_an_input_error() -> None:
    """cache_ttl=10**400 raised OverflowError('int too large to convert to float') from math.isfinite."""
    with pytest.raises(InputError) as info:
        Guard(UA, "other", cache_ttl=10**400)
    assert info.value.field == "cache_ttl"


@pytest.mark.parametrize("robots", [None, [(ORIGIN, "User-agent: *\nDisallow: /x\n")], ORIGIN])
def test_from_robots_needs_a_mapping_and_says_so(robots: object) -> None:
    """These raised AttributeError: 'NoneType' / 'list' / 'str' object has no attribute 'items'."""
    with pytest.raises(TypeError, match="robots"):
        Guard.from_robots(UA, "other", robots)  # type: ignore[arg-type]


def test_decision_log_records_a_refusal_of_a_url_with_a_lone_surrogate(tmp_path: Path) -> None:
    """check() answers such a URL without a log; with a log file the Guard opened itself (UTF-8), the refusal
    raised UnicodeEncodeError ('surrogates not allowed') instead of being returned and logged."""
    url = f"{ORIGIN}/x\ud800"
    assert not Guard.from_robots(UA, "other", ROBOTS).check(url).allowed
    path = tmp_path / "log.jsonl"
    with Guard.from_robots(UA, "other", ROBOTS, decision_log=str(path)) as guard:
        assert not guard.check(url).allowed
    assert len(path.read_text(encoding="utf-8").splitlines()) == 1


@pytest.mark.parametrize("kind", ["BytesIO", "binary-file"])
def test_decision_log_in_binary_mode_is_refused_up_front(kind: str, tmp_path: Path) -> None:
    """A binary file was accepted, then the first refusal raised "a bytes-like object is required, not 'str'"
    from check(), naming neither the log nor the argument."""
    target = io.BytesIO() if kind == "BytesIO" else open(tmp_path / "log.jsonl", "wb")  # noqa: SIM115
    with target, pytest.raises(TypeError, match="decision_log must be a text file"):
        Guard.from_robots(UA, "other", ROBOTS, decision_log=target)  # type: ignore[arg-type]


def test_decision_log_without_flush_is_written() -> None:
    """An object with ``write`` only passed the constructor's hasattr(target, 'write') test, then the first
    refusal raised AttributeError: 'W' object has no attribute 'flush'."""
    class WriteOnly:
        def __init__(self) -> None:
            self.lines: list[str] = []

        def write(self, text: str) -> int:
            self.lines.append(text)
            return len(text)

    sink = WriteOnly()
    guard = Guard.from_robots(UA, "other", ROBOTS, decision_log=sink)  # type: ignore[arg-type]
    assert not guard.check(f"{ORIGIN}/x").allowed and guard.check(f"{ORIGIN}/y").allowed
    assert len(sink.lines) == 1 and '"ROB-001"' in sink.lines[0]


def test_refusals_after_close_are_a_clear_error(tmp_path: Path) -> None:
    """After close() an allowed URL is answered, but a refused one raised ValueError('I/O operation on closed
    file.'): a message about a file the caller never opened."""
    from scrapecheck.errors import GuardClosedError

    guard = Guard.from_robots(UA, "other", ROBOTS, decision_log=str(tmp_path / "log.jsonl"))
    guard.close()
    assert guard.check(f"{ORIGIN}/y").allowed
    with pytest.raises(GuardClosedError, match="the Guard is closed"):
        guard.check(f"{ORIGIN}/x")


def test_a_huge_crawl_delay_is_a_wait_the_crawler_can_sleep() -> None:
    """Crawl-delay: 1e308 (or 99999999999999999999) was handed back as the wait: time.sleep() and
    Event.wait() raise OverflowError on it (the documented loop ``time.sleep(guard.wait_time(url))`` crashes),
    and Scrapy's deferLater waits forever; while "Crawl-delay: inf" is ignored (no delay at all)."""
    for value in ("1e308", "99999999999999999999"):
        guard = Guard.from_robots(UA, "other", {ORIGIN: f"User-agent: *\nCrawl-delay: {value}\n"})
        guard.wait_time(f"{ORIGIN}/a")
        wait = guard.wait_time(f"{ORIGIN}/b")
        assert wait <= threading.TIMEOUT_MAX, (value, wait)


# ---------------------------------------------------------------- beyond the review's cases, around the same fixes

def test_a_huge_crawl_delay_is_read_as_a_day_and_inf_still_as_none() -> None:
    for value, expected in (("1e308", 86400.0), ("86401", 86400.0), ("86399", 86399.0), ("inf", 0.0)):
        guard = Guard.from_robots(UA, "other", {ORIGIN: f"User-agent: *\nCrawl-delay: {value}\n"})
        assert guard.check(f"{ORIGIN}/a").delay_seconds == expected, value


@pytest.mark.parametrize("body", [5, {"html": 1}, ["<html>"], object()])
def test_check_response_body_of_another_type_is_a_type_error(body: object) -> None:
    guard = Guard.from_robots(UA, "ai-training", ROBOTS)
    with pytest.raises(TypeError, match="body must be str or bytes"):
        guard.check_response(f"{ORIGIN}/y", 200, {}, body)  # type: ignore[arg-type]


def test_check_response_checks_its_arguments_whatever_the_answer() -> None:
    """An unreachable robots.txt refuses every URL before the page is read: a wrong argument is still an error."""
    guard = Guard.from_robots(UA, "ai-training", {})  # no recorded robots.txt: refused, not read further
    with pytest.raises(TypeError, match="headers"):
        guard.check_response(f"{ORIGIN}/y", 200, "X-Robots-Tag: noai")
    with pytest.raises(TypeError, match="body"):
        guard.check_response(f"{ORIGIN}/y", 200, {}, 5)  # type: ignore[arg-type]


def test_check_response_header_containers_that_work() -> None:
    """A generator of pairs (read once), an HTTPMessage, list values and bytes all still give the page's noai."""
    import http.client

    guard = Guard.from_robots(UA, "ai-training", ROBOTS)
    url = f"{ORIGIN}/y"
    message = http.client.HTTPMessage()
    message["X-Robots-Tag"] = "noai"
    for headers in ((pair for pair in [("X-Robots-Tag", "noai")]), message, {"X-Robots-Tag": ["all", "noai"]},
                    [(b"X-Robots-Tag", b"noai")], [["X-Robots-Tag", "noai"]]):
        decision = guard.check_response(url, 200, headers)
        assert not decision.allowed and decision.rule_ids == ("AIO-012",), headers


@pytest.mark.parametrize(("content_type", "encoded"), [
    ("text/html; charset=utf-16", META.encode("utf-16")),
    ('text/html; charset="utf-16-le"', META.encode("utf-16-le")),
    ("text/html; charset=iso-8859-1", META.replace("hi", "h\xe9").encode("latin-1")),
    ("text/html; charset=no-such-charset", META.encode()),  # unknown: read as UTF-8
    ("text/html; charset=rot13", META.encode()),  # not a text encoding: read as UTF-8
    ("text/html", b"\xef\xbb\xbf" + META.encode()),
    ("text/html", META.encode("utf-32")),  # a byte-order mark, whatever the header says
])
def test_check_response_decodes_the_page_as_it_says(content_type: str, encoded: bytes) -> None:
    guard = Guard.from_robots(UA, "ai-training", ROBOTS)
    decision = guard.check_response(f"{ORIGIN}/y", 200, {"Content-Type": content_type}, encoded)
    assert not decision.allowed and decision.rule_ids == ("AIO-012",)


@pytest.mark.parametrize("name", ["respect_ai_optouts", "allow_private_networks"])
@pytest.mark.parametrize("value", ["no", 0, 1, None])
def test_the_guards_switches_are_bools(name: str, value: object) -> None:
    """A string "no" was true: for allow_private_networks, the unsafe direction."""
    with pytest.raises(TypeError, match=f"{name} must be a bool"):
        Guard(UA, "other", **{name: value})  # type: ignore[arg-type]


def test_a_huge_max_origins_or_status_is_shown_short() -> None:
    with pytest.raises(InputError, match="an integer of"):
        Guard(UA, "other", cache_ttl=-(10**5000))
    guard = Guard.from_robots(UA, "other", ROBOTS)
    with pytest.raises(InputError, match="an integer of"):
        guard.check_response(f"{ORIGIN}/y", 10**5000, {})


def test_a_closed_guards_log_refuses_with_its_own_error(tmp_path: Path) -> None:
    from scrapecheck.errors import GuardClosedError

    sink = io.StringIO()
    guard = Guard.from_robots(UA, "other", ROBOTS, decision_log=sink)
    assert not guard.check(f"{ORIGIN}/x").allowed
    guard.close()
    guard.close()  # twice is fine
    assert not sink.closed  # not the Guard's to close
    with pytest.raises(GuardClosedError, match="closed"):
        guard.check(f"{ORIGIN}/x")
    assert guard.check(f"{ORIGIN}/y").allowed
    assert len(sink.getvalue().splitlines()) == 1


def test_an_error_about_a_huge_url_has_a_short_message_and_keeps_the_url() -> None:
    url = "ftp://a.example/" + "x" * 3_000_000
    with pytest.raises(InputError) as info:
        Guard.from_robots(UA, "other", ROBOTS).check(url)
    assert len(str(info.value)) < 400 and "3,000,016 characters" in str(info.value)
    assert info.value.source == url


def test_from_robots_refuses_two_bodies_for_one_origin() -> None:
    """Keys differing only in case or default port name one origin: the last body silently replaced the first."""
    with pytest.raises(InputError, match="same origin") as info:
        Guard.from_robots(UA, "other", {"https://a.example": "User-agent: *\nDisallow: /\n",
                                        "https://A.example:443": "User-agent: *\nAllow: /\n"})
    assert info.value.field == "robots"


@pytest.mark.parametrize("prefix", ["\ufeff", "<?xml version='1.0' encoding='utf-8'?>\n", "<!-- generated -->\n",
                                    "\ufeff<?xml version='1.0'?><!-- a --> <!-- b -->\n"])
def test_check_response_sniffs_html_after_a_bom_prolog_or_comments(prefix: str) -> None:
    """With no Content-Type, a page was read as HTML only when it began with <!doctype html>, <html> or <head>."""
    guard = Guard.from_robots(UA, "ai-training", ROBOTS)
    for body in (prefix + META, (prefix + META).encode()):
        decision = guard.check_response(f"{ORIGIN}/y", 200, {}, body)
        assert not decision.allowed and decision.rule_ids == ("AIO-012",), (prefix, type(body))


def test_check_response_does_not_read_meta_tags_in_a_body_that_is_not_html() -> None:
    guard = Guard.from_robots(UA, "ai-training", ROBOTS)
    for body in ('{"note": "' + META.replace('"', "'") + '"}', "<!-- " + META + " -->", "<?xml?><feed>" + META):
        assert guard.check_response(f"{ORIGIN}/y", 200, {}, body).allowed, body
