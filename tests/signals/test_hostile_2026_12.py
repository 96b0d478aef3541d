"""Hostile sites found by the review of 2026-12: each case is a server on 127.0.0.1 (or a pure parser fed what one
would send) that used to crash collection, hang it, or read an opt-out or a rule as absent."""

from __future__ import annotations

import dataclasses
import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from scrapecheck.errors import SignalsError
from scrapecheck.robots import RobotsPolicy
from scrapecheck.signals.fetch import collect, fetch_origin, fetch_robots
from scrapecheck.signals.index import SignalsIndex
from scrapecheck.signals.optouts import from_robots
from scrapecheck.signals.pages import from_headers, from_html, from_tdmrep_json
from scrapecheck.signals.snapshot import load_signals, save_signals

from .conftest import FAST, Site, make_plan

ROBOTS = "User-agent: *\nDisallow: /private/\n"
NOAI_PAGE = '<html><head><meta name="robots" content="noai"></head><body>x</body></html>'


def origin_signals(site: Site):  # type: ignore[no-untyped-def]
    return fetch_origin(site.origin, user_agent="AcmeBot/1.0", config=FAST, pages=[f"{site.origin}/"])


def robots_only(site: Site):  # type: ignore[no-untyped-def]
    return fetch_robots(site.origin, user_agent="AcmeBot/1.0", config=dataclasses.replace(FAST, retries=0))


def disallowed(target, path: str = "/x") -> bool:  # type: ignore[no-untyped-def]
    return not RobotsPolicy.parse(target.robots.effective_rules).is_allowed("AcmeBot", path)


# --- /.well-known/tdmrep.json -------------------------------------------------------------------------------


def test_deeply_nested_tdmrep_json_is_a_problem_not_the_loss_of_robots_txt(site: Site) -> None:
    """``[[[[...`` 60,000 deep raised RecursionError out of the origin's collection: robots.txt, fetched fine,
    was replaced by an "internal error" and read as unreachable."""
    site.robots(ROBOTS)
    site.route("/", body="<html></html>", content_type="text/html")
    site.route("/.well-known/tdmrep.json", body=b"[" * 60_000, content_type="application/json")
    target = origin_signals(site)
    assert target.robots.outcome == "ok" and b"Disallow: /private/" in target.robots.effective_rules
    assert not any("internal error" in problem for problem in target.problems)
    assert any("tdmrep.json" in problem and "JSON" in problem for problem in target.problems)


def test_tdmrep_location_with_many_stars_is_matched_without_backtracking() -> None:
    """``/*a*a*...*b`` against ``/aaaa...`` backtracked exponentially in ``re``: collection never ended. Run in a
    child process so that the old behaviour fails the test instead of hanging the suite."""
    code = ("from scrapecheck.signals.pages import tdmrep_opt_outs\n"
            "rules = [{'location': '/' + '*a' * 30 + '*b', 'tdm-reservation': 1}]\n"
            "print(len(tdmrep_opt_outs(rules, 'w', ['/' + 'a' * 200])))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "0"


@pytest.mark.parametrize(("location", "path", "matches"), [
    ("/", "/a", True), ("/a", "/a/b", True), ("/a", "/b", False), ("/a$", "/a", True), ("/a$", "/a/", False),
    ("/*.pdf", "/x/y.pdf", True), ("/*.pdf$", "/x/y.pdf?z", False), ("/*.pdf", "/x/y.pdf?z", True),
    ("/a*b*c", "/a-c-b-c", True), ("/a*b*c$", "/abcbc", True), ("/a*b*c$", "/abcb", False), ("*", "/", True),
    ("/a**b", "/ab", True), ("/ab*ba$", "/aba", False), ("/x.y", "/xzy", False), ("/$", "/", True),
])
def test_tdmrep_locations_keep_their_meaning(location: str, path: str, matches: bool) -> None:
    found, _ = from_tdmrep_json(json.dumps([{"location": location, "tdm-reservation": 1}]), "w", [path])
    assert bool(found) is matches


def test_a_lone_surrogate_in_tdmrep_json_is_recorded_not_a_traceback(site: Site, tmp_path: Path) -> None:
    """JSON may spell a lone surrogate (``"\\udc80"``); writing the signals file raised UnicodeEncodeError, a
    traceback out of ``scrapecheck fetch``. It is kept as the same escape, so the file reads back the same."""
    site.robots(ROBOTS)
    site.route("/", body="<html></html>", content_type="text/html")
    site.route("/.well-known/tdmrep.json", content_type="application/json",
               body=b'[{"location": "/\\ud800", "tdm-reservation": 1, "tdm-policy": "https://p/\\udc80"},'
                    b' {"location": "/", "tdm-reservation": 1, "tdm-policy": "https://p/\\udc80"}]')
    signals = collect(make_plan(f"{site.origin}/"), config=FAST)
    path = save_signals(signals, tmp_path / "signals.json")
    assert load_signals(path) == signals
    assert "\\udc80" in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("body", [
    b'[{"location": "/", "tdm-reservation": 1},]',               # a trailing comma: not JSON
    b'"tdm-reservation: 1"',                                      # JSON, but not rules
    b'[{"location": "/", "tdm_reservation": 1}]',                 # a rule lacking its key
    b'[{"location": "/", "tdm-reservation": true}]',              # a value of the wrong type
    b'[{"location": ["/"], "tdm-reservation": 1}]',
    b'[{"location": "/", "tdm-reservation": 1, "x": "' + b"y" * 70_000 + b'"}]',  # over the 64 KiB cap
])
def test_a_tdmrep_json_that_cannot_be_read_leaves_the_opt_outs_undecided(site: Site, body: bytes) -> None:
    """Each was recorded as "collected, nothing found" (``opt_outs == []``), a silent pass for a file that may
    reserve everything; now, like a tdmrep.json that could not be fetched, the opt-outs stay undecided."""
    site.robots(ROBOTS)
    site.route("/", body="<html></html>", content_type="text/html")
    site.route("/.well-known/tdmrep.json", body=body, content_type="application/json")
    target = origin_signals(site)
    assert target.opt_outs is None
    assert any("tdmrep.json" in problem for problem in target.problems)


@pytest.mark.parametrize("body", [b"", b"<!DOCTYPE html><html><body>Page not found</body></html>"])
def test_a_soft_404_for_tdmrep_json_is_no_file(site: Site, body: bytes) -> None:
    """An empty 200 or an HTML page (a soft 404) is no TDMRep file at all: collected, nothing found."""
    site.robots(ROBOTS)
    site.route("/", body="<html></html>", content_type="text/html")
    site.route("/.well-known/tdmrep.json", body=body, content_type="text/html")
    assert origin_signals(site).opt_outs == []


# --- start pages in other encodings -------------------------------------------------------------------------


@pytest.mark.parametrize(("body", "content_type"), [
    (NOAI_PAGE.encode("utf-16"), "text/html"),                         # a byte-order mark says it
    (NOAI_PAGE.encode("utf-16-be"), "text/html; charset=UTF-16BE"),    # the Content-Type says it
    (NOAI_PAGE.encode("utf-16-le"), 'text/html; charset="utf-16le"'),
    (NOAI_PAGE.encode("utf-32"), "text/html"),
])
def test_meta_noai_is_read_from_a_page_in_utf16_or_utf32(site: Site, body: bytes, content_type: str) -> None:
    """The page was decoded as UTF-8 whatever it said: no meta tag was found, recorded as none (a silent pass)."""
    site.robots(ROBOTS)
    site.route("/", body=body, content_type=content_type)
    site.route("/.well-known/tdmrep.json", body="[]", content_type="application/json")
    target = origin_signals(site)
    assert [o.kind for o in target.opt_outs or []] == ["meta-robots"]


def test_a_page_whose_charset_is_wrong_is_still_read_as_utf8(site: Site) -> None:
    """Reading pages by their declared charset must not lose what the UTF-8 reading found: a page whose
    Content-Type claims UTF-16 but whose bytes are UTF-8 still shows its meta noai."""
    site.robots(ROBOTS)
    site.route("/", body=NOAI_PAGE.encode("utf-8"), content_type="text/html; charset=utf-16")
    site.route("/.well-known/tdmrep.json", body="[]", content_type="application/json")
    assert [o.kind for o in origin_signals(site).opt_outs or []] == ["meta-robots"]


# --- Content-Encoding the fetcher did not ask for -----------------------------------------------------------


def test_stacked_content_encodings_are_not_read_as_a_binary_file_without_rules(site: Site) -> None:
    """``Content-Encoding: gzip, gzip``: only one layer was removed, the rest read as "binary, no rules": allow all
    for a file that disallows everything."""
    site.robots(gzip.compress(gzip.compress(b"User-agent: *\nDisallow: /\n")), headers={"Content-Encoding": "gzip, gzip"})
    target = robots_only(site)
    assert disallowed(target)


def test_a_gzip_body_cut_short_is_not_read_as_the_whole_file(site: Site) -> None:
    """A gzip stream that ends before its end (and its checksum) gave the rules before the cut as the whole file:
    here the ``Disallow: /`` after the cut was lost."""
    whole = gzip.compress(b"User-agent: *\nAllow: /public\n" + b"#" * 4000 + b"\nDisallow: /\n")
    site.robots(whole[: len(whole) // 2], headers={"Content-Encoding": "gzip"})
    target = robots_only(site)
    assert target.robots.outcome == "unreachable" and "compressed body" in (target.robots.error or "")
    assert disallowed(target)


def test_every_member_of_a_gzip_body_is_read(site: Site) -> None:
    """A gzip body may hold several members (``cat a.gz b.gz``); all but the first were dropped in silence."""
    site.robots(gzip.compress(b"User-agent: *\nAllow: /public\n") + gzip.compress(b"Disallow: /\n"),
                headers={"Content-Encoding": "gzip"})
    target = robots_only(site)
    assert target.robots.outcome == "ok" and disallowed(target)
    assert not disallowed(target, "/public")


def test_trailing_bytes_after_a_gzip_body_are_not_ignored(site: Site) -> None:
    site.robots(gzip.compress(b"User-agent: *\nAllow: /\n") + b"Disallow: /\n", headers={"Content-Encoding": "gzip"})
    target = robots_only(site)
    assert target.robots.outcome == "unreachable" and disallowed(target)


# --- odd spellings of opt-outs ------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "value"), [
    ("Content-Usage", "train-ai = n"), ("Content-Usage", "train-ai =n"), ("Content-Signal", "ai-train= no"),
])
def test_preferences_with_spaces_around_the_equals_sign_are_read(name: str, value: str) -> None:
    assert [o.scopes for o in from_headers({name: value}, "w", "acmebot")] == [["ai-training"]]
    robots = from_robots(RobotsPolicy.parse(f"User-agent: *\nAllow: /\n{name}: {value}\n"), "AcmeBot", "r")
    assert [o.kind for o in robots] == [name.lower()]


@pytest.mark.parametrize("value", ["noai noimageai", "noai;", "noindex; noai", "noindex noai"])
def test_noai_separated_by_spaces_or_semicolons_is_read(value: str) -> None:
    assert [o.kind for o in from_headers({"X-Robots-Tag": value}, "w", "acmebot")] == ["x-robots-tag"]
    page = f'<html><head><meta name="robots" content="{value}"></head></html>'
    assert [o.kind for o in from_html(page, "w", "acmebot")] == ["meta-robots"]


def test_a_repeated_meta_attribute_keeps_its_first_value_as_browsers_do() -> None:
    """HTML drops a repeated attribute (the first value stands); the last one was kept, so ``name="robots" ...
    name="x"`` hid a noai the page states."""
    page = '<html><head><meta name="robots" content="noai" name="description" content="x"></head></html>'
    assert [(o.kind, o.value) for o in from_html(page, "w", "acmebot")] == [
        ("meta-robots", '<meta name="robots" content="noai">')]


# --- pages that make html.parser slow -----------------------------------------------------------------------


@pytest.mark.parametrize("filler", ["<a ", "<a b='"])
def test_a_page_of_unclosed_tags_is_read_in_linear_time(filler: str) -> None:
    """html.parser rescans the rest of the page at each tag that never closes: 512 KiB of ``<a <a <a ...`` took
    hours, in ``scrapecheck fetch`` and in ``Guard.check_response``. Run in a child process so that the old
    behaviour fails the test instead of hanging the suite."""
    head = '<html><head><meta name="robots" content="noai"></head><body>'
    code = ("from scrapecheck.signals.pages import from_html\n"
            f"page = {head!r} + {filler!r} * {512 * 1024 // len(filler)}\n"
            "print([o.kind for o in from_html(page, 'w', 'acmebot')])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "['meta-robots']"


def test_meta_tags_in_comments_scripts_and_marked_sections_are_not_read_and_lines_are_kept() -> None:
    page = ('<html><head>\n<!-- <meta name="robots" content="noai"> -->\n'
            '<script>document.write(\'<meta name="robots" content="noai">\')</script>\n'
            '<![CDATA[<meta name="robots" content="noai">]]>\n'
            '<meta name="description" content="a > b">\n<meta\nname="robots" content="noimageai"></head></html>')
    found = from_html(page, "w", "acmebot")
    assert [(o.value, o.line) for o in found] == [('<meta name="robots" content="noimageai">', 6)]


# --- wrong types through the Python API ---------------------------------------------------------------------


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"paths": "/books/"}, "paths must be"),          # was read as the paths "/", "b", "o", "k", "s"
    ({"pages": "http://127.0.0.1/"}, "pages must be"),
    ({"paths": [1]}, "paths must be"),               # was an "internal error" that replaced robots.txt
    ({"pages": [None]}, "pages must be"),
    ({"config": {"fetch_pages": False}}, "config must be a FetchConfig"),  # was AttributeError 'user_agent'
])
def test_fetch_origin_refuses_wrong_types_before_fetching(site: Site, kwargs: dict, message: str) -> None:
    """``paths="/books/"`` was read as one-letter paths, so a TDMRep reservation on /books/ went unseen."""
    site.robots(ROBOTS)
    with pytest.raises(TypeError, match=message):
        fetch_origin(site.origin, user_agent="AcmeBot/1.0", **{"config": FAST, **kwargs})
    assert site.hits == []


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"origins": "http://127.0.0.1"}, "origins must be"),
    ({"config": {"fetch_pages": False}}, "config must be a FetchConfig"),
])
def test_collect_refuses_wrong_types_before_fetching(site: Site, kwargs: dict, message: str) -> None:
    with pytest.raises(TypeError, match=message):
        collect(make_plan(f"{site.origin}/"), **{"config": FAST, **kwargs})
    assert site.hits == []


def test_a_retry_after_of_latin1_digits_is_not_a_traceback(site: Site) -> None:
    """``Retry-After: ²`` (byte 0xB2, a digit to ``str.isdigit``) raised ValueError out of the client, which
    promises never to raise for what a site sends: ``scrapecheck robots URL`` ended in a traceback."""
    site.route("/robots.txt", status=503, headers={"Retry-After": "\u00b2"})
    target = fetch_robots(site.origin, user_agent="AcmeBot/1.0", config=FAST)
    assert target.robots.outcome == "unreachable" and target.robots.status == 503


# --- a signals file read lazily (SignalsIndex) reads what load_signals reads --------------------------------


@pytest.mark.parametrize("text", [
    '{"version": 1, "targets": {"https://a.example": {"origin": "https://a.example"}}, "targets": {}}',
    '{"version": 1, "targets": {"https://a.example": {"origin": "https://a.example"},'
    ' "https://a.example": {"origin": "https://a.example", "problems": ["x"]}}}',
])
def test_the_signals_index_refuses_a_key_given_twice_as_load_signals_does(tmp_path: Path, text: str) -> None:
    """load_signals refuses a key given twice; the index took the first 'targets' object's origins (json reads the
    last) or the last of two entries for one origin, in silence."""
    path = tmp_path / "signals.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SignalsError, match="given twice"):
        load_signals(path)
    with pytest.raises(SignalsError, match="given twice"):
        SignalsIndex(path)


def test_an_indexed_entry_with_a_key_given_twice_is_refused_when_read(tmp_path: Path) -> None:
    """``"opt_outs": [], "opt_outs": null``: the index read "not collected", load_signals refuses the file."""
    path = tmp_path / "signals.json"
    path.write_text('{"version": 1, "targets": {"https://a.example": {"origin": "https://a.example", '
                    '"opt_outs": [], "opt_outs": null}}}', encoding="utf-8")
    with pytest.raises(SignalsError, match="given twice"):
        load_signals(path)
    with pytest.raises(SignalsError, match=r"targets\.https://a\.example.*given twice"):
        SignalsIndex(path).get("https://a.example")


@pytest.mark.parametrize("length", [b"9" * 5000, b"\xb2"])
def test_an_unreadable_content_length_on_a_long_robots_txt_does_not_make_it_unreachable(length: bytes) -> None:
    """A robots.txt over the cap whose Content-Length was 5,000 digits or '\\xb2' turned, while its size was
    computed, into "unreachable (cannot be requested: ...)": complete disallow for rules that were read."""
    from .test_faults import RawServer

    body = b"User-agent: *\nDisallow: /x\n" + b"#" * 100
    server = RawServer(lambda conn, path: conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: " + length
                                                       + b"\r\nConnection: close\r\n\r\n" + body))
    try:
        target = fetch_robots(server.origin, user_agent="AcmeBot/1.0",
                              config=dataclasses.replace(FAST, retries=0, max_robots_bytes=64))
    finally:
        server.close()
    assert target.robots.outcome == "ok" and target.robots.truncated and target.robots.size is None
    assert disallowed(target)


def test_the_guard_reads_a_page_whose_charset_is_wrong_as_utf8_too() -> None:
    from scrapecheck.guard._guard import page_opt_outs

    found = page_opt_outs("https://example.com/a", {"Content-Type": "text/html; charset=utf-16"},
                          NOAI_PAGE.encode("utf-8"), "acmebot")
    assert [o.kind for o in found] == ["meta-robots"]
