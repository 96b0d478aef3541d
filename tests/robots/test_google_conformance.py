"""Conformance with RFC 9309 and with Google's reference parser (google/robotstxt).

Each case names the RFC 9309 section and/or the robots_test.cc test whose behaviour it covers. The
cases are written from the RFC text and the reference parser's documented behaviour, not copied.

Two deliberate, documented differences from calling the C++ library directly, both about *inputs the
library requires the caller to have prepared*:
- URLs are percent-encoded before matching (RFC 9309 §2.2.2 says octets outside US-ASCII MUST be;
  the library asks its caller to do it), and escapes are compared in upper case (RFC 3986 §2.1).
- The user agent given to us is reduced to its product token first ("Foo Bar" -> "Foo",
  "AcmeBot/1.0" -> "AcmeBot", "Mozilla/5.0 (compatible; AcmeBot/1.0)" -> "AcmeBot"; see
  ``product_token``); the library requires the caller to pass a bare, non-empty token, so an empty
  token names no group here.

And one addition RFC 9309 requires of every parser: "/robots.txt" itself is always allowed (§2.2.2).
"""

from __future__ import annotations

import pytest

from scrapecheck.robots import RobotsPolicy, is_allowed, product_token
from scrapecheck.robots._syntax import escape_pattern, origin_prefix, path_of

FOO_DISALLOW_ALL = "user-agent: FooBot\ndisallow: /\n"

pytestmark = pytest.mark.usefixtures("each_tier")  # every case, in every matching strategy


def check(robots: str | bytes, agent: str, url: str, expected: bool) -> None:
    assert is_allowed(robots, agent, url) is expected, (robots, agent, url)
    # The parse-once form and explain() must agree with the one-shot function.
    policy = RobotsPolicy.parse(robots)
    assert policy.is_allowed(agent, url) is expected
    assert policy.explain(agent, url).allowed is expected
    # So must the matcher's path forms, given what follows a plain authority (or a bare path).
    prefix = origin_prefix(url)
    path = url[len(prefix) - 1 :] if prefix is not None else url if url[:1] == "/" and url[1:2] != "/" else None
    if path is not None:
        matcher = policy.matcher(agent)
        assert matcher.check_path(path) is expected, (robots, agent, path)
        verdict = policy.explain(agent, url)
        assert matcher.decide_path(path) == (verdict.allowed, verdict.rule)


# --- GoogleOnly_SystemTest -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("robots", "agent", "url", "expected"),
    [
        ("", "FooBot", "", True),  # empty robots.txt: everything allowed
        (FOO_DISALLOW_ALL, "", "", True),  # empty agent names no group here
        (FOO_DISALLOW_ALL, "FooBot", "", False),  # empty URL is path "/"
        ("", "", "", True),
    ],
)
def test_system(robots: str, agent: str, url: str, expected: bool) -> None:
    check(robots, agent, url, expected)


# --- ID_LineSyntax_Line: RFC 9309 §2.1; Google accepts whitespace for a missing colon ---------------
def test_line_syntax_colon_and_missing_colon() -> None:
    url = "http://foo.bar/x/y"
    check("user-agent: FooBot\ndisallow: /\n", "FooBot", url, False)
    check("foo: FooBot\nbar: /\n", "FooBot", url, True)
    check("user-agent FooBot\ndisallow /\n", "FooBot", url, False)


def test_missing_colon_needs_exactly_two_words() -> None:
    # "disallow / x" has three words: Google ignores the line.
    check("user-agent FooBot\ndisallow / x\n", "FooBot", "http://foo.bar/x", True)
    check("user-agent FooBot\ndisallow\t/\n", "FooBot", "http://foo.bar/x", False)


# --- ID_LineSyntax_Groups: RFC 9309 §2.1 ------------------------------------------------------------
GROUPS = (
    "allow: /foo/bar/\n"
    "\n"
    "user-agent: FooBot\n"
    "disallow: /\n"
    "allow: /x/\n"
    "user-agent: BarBot\n"
    "disallow: /\n"
    "allow: /y/\n"
    "\n"
    "\n"
    "allow: /w/\n"
    "user-agent: BazBot\n"
    "\n"
    "user-agent: FooBot\n"
    "allow: /z/\n"
    "disallow: /\n"
)


@pytest.mark.parametrize(
    ("agent", "path", "expected"),
    [
        ("FooBot", "/x/b", True),
        ("FooBot", "/z/d", True),  # second FooBot group merged with the first
        ("FooBot", "/y/c", False),
        ("BarBot", "/y/c", True),
        ("BarBot", "/w/a", True),  # blank lines do not end a group
        ("BarBot", "/z/d", False),
        ("BazBot", "/z/d", True),  # BazBot shares the last FooBot group
        ("FooBot", "/foo/bar/", False),  # rules before any user-agent line are ignored
        ("BarBot", "/foo/bar/", False),
        ("BazBot", "/foo/bar/", False),
    ],
)
def test_groups(agent: str, path: str, expected: bool) -> None:
    check(GROUPS, agent, "http://foo.bar" + path, expected)


# --- ID_LineSyntax_Groups_OtherRules: RFC 9309 §2.1, §2.2.4 -----------------------------------------
@pytest.mark.parametrize(
    "middle", ["Sitemap: https://foo.bar/sitemap\n", "Invalid-Unknown-Line: unknown\n"]
)
@pytest.mark.parametrize("agent", ["FooBot", "BarBot"])
def test_other_records_do_not_close_a_group(middle: str, agent: str) -> None:
    robots = "User-agent: BarBot\n" + middle + "User-agent: *\nDisallow: /\n"
    robots = robots.replace("BarBot", agent if agent == "FooBot" else "BarBot")
    check(robots, agent, "http://foo.bar/", False)


# --- ID_REPLineNamesCaseInsensitive: RFC 9309 §2.1 --------------------------------------------------
@pytest.mark.parametrize(
    "robots",
    [
        "USER-AGENT: FooBot\nALLOW: /x/\nDISALLOW: /\n",
        "user-agent: FooBot\nallow: /x/\ndisallow: /\n",
        "uSeR-aGeNt: FooBot\nAlLoW: /x/\ndIsAlLoW: /\n",
    ],
)
def test_directive_names_case_insensitive(robots: str) -> None:
    check(robots, "FooBot", "http://foo.bar/x/y", True)
    check(robots, "FooBot", "http://foo.bar/a/b", False)


# --- ID_VerifyValidUserAgentsToObey / ExtractUserAgent: RFC 9309 §2.2.1 -----------------------------
@pytest.mark.parametrize(
    ("given", "token"),
    [
        ("Foobot", "Foobot"),
        ("Foobot-Bar", "Foobot-Bar"),
        ("Foo_Bar", "Foo_Bar"),
        ("", ""),
        ("ツ", ""),
        ("Foobot*", "Foobot"),
        (" Foobot ", "Foobot"),
        ("Foobot/2.1", "Foobot"),
        ("Foobot Bar", "Foobot"),
        ("AcmeBot/1.0 (+https://acme.example/bot)", "AcmeBot"),
    ],
)
def test_product_token(given: str, token: str) -> None:
    assert product_token(given) == token


# --- ID_UserAgentValueCaseInsensitive: RFC 9309 §2.2.1 ----------------------------------------------
@pytest.mark.parametrize("written", ["FOO BAR", "foo bar", "FoO bAr"])
@pytest.mark.parametrize("agent", ["Foo", "foo"])
def test_user_agent_value_case_insensitive(written: str, agent: str) -> None:
    robots = f"User-Agent: {written}\nAllow: /x/\nDisallow: /\n"
    check(robots, agent, "http://foo.bar/x/y", True)
    check(robots, agent, "http://foo.bar/a/b", False)


# --- GoogleOnly_AcceptUserAgentUpToFirstSpace: extends RFC 9309 §2.2.1 ------------------------------
def test_user_agent_line_read_up_to_first_space() -> None:
    robots = "User-Agent: *\nDisallow: /\nUser-Agent: Foo Bar\nAllow: /x/\nDisallow: /\n"
    check(robots, "Foo", "http://foo.bar/x/y", True)
    # The C++ library, given the invalid token "Foo Bar", matches no group and falls back to "*"
    # (disallowed). We reduce the caller's User-Agent to its product token "Foo" first, as RFC 9309
    # §2.2.1 describes crawlers doing, so "Foo Bar" obeys the "Foo Bar" (= "Foo") group.
    check(robots, "Foo Bar", "http://foo.bar/x/y", True)
    check(robots, "Foo/1.0", "http://foo.bar/a", False)


def test_star_followed_by_space_is_global() -> None:
    robots = "User-agent: * (everyone)\nDisallow: /\n"
    check(robots, "FooBot", "http://foo.bar/x", False)
    # "*foo" is not the global agent (its token is empty).
    check("User-agent: *foo\nDisallow: /\n", "FooBot", "http://foo.bar/x", True)


# --- ID_GlobalGroups_Secondary: RFC 9309 §2.2.1 -----------------------------------------------------
def test_global_group_is_a_fallback() -> None:
    url = "http://foo.bar/x/y"
    check("", "FooBot", url, True)
    glob = "user-agent: *\nallow: /\nuser-agent: FooBot\ndisallow: /\n"
    check(glob, "FooBot", url, False)
    check(glob, "BarBot", url, True)
    specific = (
        "user-agent: FooBot\nallow: /\nuser-agent: BarBot\ndisallow: /\nuser-agent: BazBot\ndisallow: /\n"
    )
    check(specific, "QuxBot", url, True)


def test_specific_group_without_rules_still_replaces_global() -> None:
    # robots.cc: having seen our agent at all means the global group is not used.
    check("User-agent: *\nDisallow: /\n\nUser-agent: FooBot\n", "FooBot", "http://foo.bar/x", True)


# --- ID_AllowDisallow_Value_CaseSensitive: RFC 9309 §2.2.2 ------------------------------------------
def test_paths_case_sensitive() -> None:
    check("user-agent: FooBot\ndisallow: /x/\n", "FooBot", "http://foo.bar/x/y", False)
    check("user-agent: FooBot\ndisallow: /X/\n", "FooBot", "http://foo.bar/x/y", True)


# --- ID_LongestMatch: RFC 9309 §2.2.2 (most octets wins; allow wins ties) ---------------------------
@pytest.mark.parametrize(
    ("rules", "path", "expected"),
    [
        ("disallow: /x/page.html\nallow: /x/\n", "/x/page.html", False),
        ("allow: /x/page.html\ndisallow: /x/\n", "/x/page.html", True),
        ("allow: /x/page.html\ndisallow: /x/\n", "/x/", False),
        ("disallow: \nallow: \n", "/x/page.html", True),
        ("disallow: /\nallow: /\n", "/x/page.html", True),
        ("disallow: /x\nallow: /x/\n", "/x", False),
        ("disallow: /x\nallow: /x/\n", "/x/", True),
        ("disallow: /x/page.html\nallow: /x/page.html\n", "/x/page.html", True),
        ("allow: /page\ndisallow: /*.html\n", "/page.html", False),
        ("allow: /page\ndisallow: /*.html\n", "/page", True),
        ("allow: /x/page.\ndisallow: /*.html\n", "/x/page.html", True),
        ("allow: /x/page.\ndisallow: /*.html\n", "/x/y.html", False),
    ],
)
def test_longest_match(rules: str, path: str, expected: bool) -> None:
    check("user-agent: FooBot\n" + rules, "FooBot", "http://foo.bar" + path, expected)


def test_specific_group_ignores_global_rules() -> None:
    robots = "User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n"
    check(robots, "FooBot", "http://foo.bar/x/page", True)
    check(robots, "FooBot", "http://foo.bar/y/page", False)


# --- ID_Encoding: RFC 9309 §2.2.2 -------------------------------------------------------------------
def test_query_with_url_inside() -> None:
    robots = "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar?qux=taz&baz=http://foo.bar?tar&par\n"
    check(robots, "FooBot", "http://foo.bar/foo/bar?qux=taz&baz=http://foo.bar?tar&par", True)


@pytest.mark.parametrize("pattern", ["/foo/bar/ツ", "/foo/bar/%E3%83%84", "/foo/bar/%e3%83%84"])
def test_non_ascii_and_escaped_patterns(pattern: str) -> None:
    robots = f"User-agent: FooBot\nDisallow: /\nAllow: {pattern}\n"
    check(robots, "FooBot", "http://foo.bar/foo/bar/%E3%83%84", True)
    # Deliberate difference (module docstring): the C++ library expects an encoded URL and says
    # "disallowed" for the raw one; we encode it first (RFC 9309 §2.2.2 MUST), so both agree.
    check(robots, "FooBot", "http://foo.bar/foo/bar/ツ", True)
    check(robots, "FooBot", "http://foo.bar/foo/bar/%e3%83%84", True)


def test_escaped_unreserved_characters_are_not_decoded() -> None:
    robots = "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n"
    check(robots, "FooBot", "http://foo.bar/foo/bar/baz", False)
    check(robots, "FooBot", "http://foo.bar/foo/bar/%62%61%7A", True)


def test_non_utf8_bytes_are_escaped_octet_by_octet() -> None:
    robots = b"User-agent: FooBot\nDisallow: /caf\xe9\n"  # Latin-1 e-acute, invalid UTF-8
    check(robots, "FooBot", "http://foo.bar/caf%E9", False)
    check(robots, "FooBot", "http://foo.bar/caf%C3%A9", True)


# --- ID_SpecialCharacters: RFC 9309 §2.2.3 ----------------------------------------------------------
@pytest.mark.parametrize(
    ("rules", "path", "expected"),
    [
        ("Disallow: /foo/bar/quz\nAllow: /foo/*/qux\n", "/foo/bar/quz", False),
        ("Disallow: /foo/bar/quz\nAllow: /foo/*/qux\n", "/foo/quz", True),
        ("Disallow: /foo/bar/quz\nAllow: /foo/*/qux\n", "/foo//quz", True),
        ("Disallow: /foo/bar/quz\nAllow: /foo/*/qux\n", "/foo/bax/quz", True),
        ("Disallow: /foo/bar$\nAllow: /foo/bar/qux\n", "/foo/bar", False),
        ("Disallow: /foo/bar$\nAllow: /foo/bar/qux\n", "/foo/bar/qux", True),
        ("Disallow: /foo/bar$\nAllow: /foo/bar/qux\n", "/foo/bar/", True),
        ("Disallow: /foo/bar$\nAllow: /foo/bar/qux\n", "/foo/bar/baz", True),
        ("# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n", "/foo/bar", True),
        ("# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n", "/foo/quz", False),
        ("Disallow: /a$b\n", "/a$b", False),  # "$" is special only at the end
        ("Disallow: /a$b\n", "/a", True),
    ],
)
def test_special_characters(rules: str, path: str, expected: bool) -> None:
    check("User-agent: FooBot\n" + rules, "FooBot", "http://foo.bar" + path, expected)


# --- GoogleOnly_IndexHTMLisDirectory ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/allowed-slash/", True),
        ("/allowed-slash/index.htm", False),
        ("/allowed-slash/index.html", True),
        ("/anyother-url", False),
    ],
)
def test_index_html_is_directory(path: str, expected: bool) -> None:
    robots = "User-Agent: *\nAllow: /allowed-slash/index.html\nDisallow: /\n"
    check(robots, "foobot", "http://foo.com" + path, expected)


# --- GoogleOnly_LineTooLong: lines are cut after 2083 * 8 - 1 bytes ---------------------------------
MAX_LINE = 2083 * 8


def test_long_disallow_line_is_cut() -> None:
    long = "/x/" + "a" * (MAX_LINE - 3 - len("disallow: ") + 1 - 3)
    robots = "user-agent: FooBot\n" + "disallow: " + long + "/qux\n"
    check(robots, "FooBot", "http://foo.bar/fux", True)
    check(robots, "FooBot", "http://foo.bar" + long + "/fux", False)


def test_long_allow_lines_are_cut() -> None:
    fill = MAX_LINE - 3 - len("allow: ") + 1 - 3
    a, b = "/x/" + "a" * fill, "/x/" + "b" * fill
    robots = f"user-agent: FooBot\ndisallow: /\nallow: {a}/qux\nallow: {b}/qux\n"
    check(robots, "FooBot", "http://foo.bar/", False)
    check(robots, "FooBot", "http://foo.bar" + a + "/qux", True)
    check(robots, "FooBot", "http://foo.bar" + b + "/fux", True)


# --- GoogleOnly_DocumentationChecks: Google's robots.txt documentation examples ---------------------
DOC_CASES = {
    "/fish": {
        True: ["/fish", "/fish.html", "/fish/salmon.html", "/fishheads", "/fishheads/yummy.html",
               "/fish.html?id=anything"],
        False: ["/bar", "/Fish.asp", "/catfish", "/?id=fish"],
    },
    "/fish*": {
        True: ["/fish", "/fish.html", "/fish/salmon.html", "/fishheads", "/fishheads/yummy.html",
               "/fish.html?id=anything"],
        False: ["/bar", "/Fish.bar", "/catfish", "/?id=fish"],
    },
    "/fish/": {
        True: ["/fish/", "/fish/salmon", "/fish/?salmon", "/fish/salmon.html", "/fish/?id=anything"],
        False: ["/bar", "/fish", "/fish.html", "/Fish/Salmon.html"],
    },
    "/*.php": {
        True: ["/filename.php", "/folder/filename.php", "/folder/filename.php?parameters",
               "//folder/any.php.file.html", "/filename.php/", "/index?f=filename.php/"],
        False: ["/bar", "/php/", "/index?php", "/windows.PHP"],
    },
    "/*.php$": {
        True: ["/filename.php", "/folder/filename.php"],
        False: ["/bar", "/filename.php?parameters", "/filename.php/", "/filename.php5", "/php/",
                "/filename?php", "/aaaphpaaa", "//windows.PHP"],
    },
    "/fish*.php": {
        True: ["/fish.php", "/fishheads/catfish.php?parameters"],
        False: ["/bar", "/Fish.PHP"],
    },
}


@pytest.mark.parametrize(
    ("allow", "path", "expected"),
    [(a, p, e) for a, by in DOC_CASES.items() for e, paths in by.items() for p in paths],
)
def test_documentation_examples(allow: str, path: str, expected: bool) -> None:
    check(f"user-agent: FooBot\ndisallow: /\nallow: {allow}\n", "FooBot", "http://foo.bar" + path, expected)


@pytest.mark.parametrize(
    ("rules", "url", "expected"),
    [
        ("allow: /p\ndisallow: /\n", "http://example.com/page", True),
        ("allow: /folder\ndisallow: /folder\n", "http://example.com/folder/page", True),
        ("allow: /page\ndisallow: /*.htm\n", "http://example.com/page.htm", False),
        ("allow: /$\ndisallow: /\n", "http://example.com/", True),
        ("allow: /$\ndisallow: /\n", "http://example.com/page.html", False),
    ],
)
def test_order_of_precedence(rules: str, url: str, expected: bool) -> None:
    check("user-agent: FooBot\n" + rules, "FooBot", url, expected)


# --- ID_LinesNumbersAreCountedCorrectly: RFC 9309 §2.2 (CR, LF, CRLF) -------------------------------
@pytest.mark.parametrize(
    "robots",
    [
        "User-Agent: foo\nAllow: /some/path\nUser-Agent: bar\n\n\nDisallow: /\n",
        "User-Agent: foo\r\nAllow: /some/path\r\nUser-Agent: bar\r\n\r\n\r\nDisallow: /\r\n",
        "User-Agent: foo\rAllow: /some/path\rUser-Agent: bar\r\r\rDisallow: /\r",
        "User-Agent: foo\nAllow: /some/path\nUser-Agent: bar\n\n\nDisallow: /",
        "User-Agent: foo\nAllow: /some/path\r\nUser-Agent: bar\n\r\n\nDisallow: /",
    ],
    ids=["unix", "dos", "mac", "no-final-newline", "mixed"],
)
def test_line_endings_and_numbers(robots: str) -> None:
    policy = RobotsPolicy.parse(robots)
    assert [g.agent_lines for g in policy.groups] == [(1,), (3,)]
    assert [[(r.allow, r.line) for r in g.rules] for g in policy.groups] == [[(True, 2)], [(False, 6)]]
    assert policy.explain("bar", "http://x/a").line == 6
    assert policy.explain("foo", "http://x/some/path/x").line == 2


# --- ID_UTF8ByteOrderMarkIsSkipped ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("prefix", "directives", "unknown"),
    [
        (b"\xef\xbb\xbf", 2, 0),
        (b"\xef\xbb", 2, 0),  # a partial BOM is skipped too
        (b"\xef", 2, 0),
        # Broken BOM: the first line is garbage (an unknown record), so the Allow has no group.
        (b"\xef\x11\xbf", 0, 1),
    ],
)
def test_byte_order_mark(prefix: bytes, directives: int, unknown: int) -> None:
    policy = RobotsPolicy.parse(prefix + b"User-Agent: foo\nAllow: /AnyValue\n")
    found = sum(len(g.agents) + len(g.rules) for g in policy.groups)
    assert found == directives
    assert len(policy.extensions) == unknown


def test_byte_order_mark_only_at_start() -> None:
    policy = RobotsPolicy.parse(b"User-Agent: foo\n\xef\xbb\xbfAllow: /AnyValue\n")
    assert sum(len(g.rules) for g in policy.groups) == 0
    assert len(policy.extensions) == 1


def test_byte_order_mark_in_str_input() -> None:
    check("\ufeffUser-agent: FooBot\nDisallow: /\n", "FooBot", "http://foo.bar/x", False)


# --- ID_NonStandardLineExample_Sitemap: RFC 9309 §2.2.4 ---------------------------------------------
def test_sitemap_anywhere() -> None:
    loc = "http://foo.bar/sitemap.xml"
    body = "User-Agent: foo\nAllow: /some/path\nUser-Agent: bar\n\n\n"
    assert RobotsPolicy.parse(body + f"Sitemap: {loc}\n").sitemaps == (loc,)
    assert RobotsPolicy.parse(f"Sitemap: {loc}\n" + body).sitemaps == (loc,)
    assert RobotsPolicy.parse(f"site-map: {loc}\n").sitemaps == (loc,)  # accepted typo


# --- Typos robots.cc accepts (kAllowFrequentTypos) --------------------------------------------------
@pytest.mark.parametrize(
    "key", ["disallow", "dissallow", "dissalow", "disalow", "diasllow", "disallaw", "Disallowed"]
)
def test_disallow_typos(key: str) -> None:
    check(f"User-agent: FooBot\n{key}: /x\n", "FooBot", "http://foo.bar/x", False)


@pytest.mark.parametrize("key", ["user-agent", "useragent", "user agent", "User-Agents", "USERAGENT"])
def test_user_agent_typos(key: str) -> None:
    check(f"{key}: FooBot\nDisallow: /x\n", "FooBot", "http://foo.bar/x", False)


@pytest.mark.parametrize(
    ("robots", "expected"),
    [
        ("User-agent: FooBot\ndsallow: /x\n", True),  # not a typo robots.cc knows: ignored
        ("User-agent: FooBot\ndisallowx: /x\n", False),  # keys are matched as prefixes
        ("user_agent: FooBot\nDisallow: /x\n", True),  # no group, so the rule is ignored
    ],
)
def test_other_spellings(robots: str, expected: bool) -> None:
    check(robots, "FooBot", "http://foo.bar/x", expected)


def test_allow_accepts_prefix_only() -> None:
    # robots.cc accepts no typos for "allow", but any key starting with it.
    check("User-agent: FooBot\nDisallow: /\nAllowed: /x\n", "FooBot", "http://foo.bar/x", True)
    check("User-agent: FooBot\nDisallow: /\nAlow: /x\n", "FooBot", "http://foo.bar/x", False)


# --- Empty Disallow: RFC 9309 §2.2.2 ----------------------------------------------------------------
def test_empty_disallow_allows_everything() -> None:
    robots = "User-agent: *\nDisallow:\n"
    check(robots, "FooBot", "http://foo.bar/anything", True)
    verdict = RobotsPolicy.parse(robots).explain("FooBot", "http://foo.bar/anything")
    assert verdict.rule is not None and verdict.rule.line == 2  # Google's matching_line()


# --- 500 KiB limit: RFC 9309 §2.5; Google ignores content past 500 KiB -------------------------------
def test_content_after_500_kib_is_ignored() -> None:
    filler = "# " + "x" * 1000 + "\n"
    head = "User-agent: FooBot\nDisallow: /a\n"
    body = head + filler * 520 + "Disallow: /b\n"
    assert len(body.encode()) > 500 * 1024
    policy = RobotsPolicy.parse(body)
    assert policy.truncated
    assert not policy.is_allowed("FooBot", "/a")
    assert policy.is_allowed("FooBot", "/b")
    # Within the limit the same rule counts.
    assert not RobotsPolicy.parse(head + filler * 400 + "Disallow: /b\n").is_allowed("FooBot", "/b")


# --- NUL bytes: the C++ parser reads each line as a NUL-terminated string -------------------------
def test_nul_ends_the_line() -> None:
    check(b"User-agent: FooBot\nDisallow: /a\x00/b\n", "FooBot", "http://foo.bar/a/c", False)


# --- TestGetPathParamsQuery -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("", "/"),
        ("http://www.example.com", "/"),
        ("http://www.example.com/", "/"),
        ("http://www.example.com/a", "/a"),
        ("http://www.example.com/a/", "/a/"),
        ("http://www.example.com/a/b?c=http://d.e/", "/a/b?c=http://d.e/"),
        ("http://www.example.com/a/b?c=d&e=f#fragment", "/a/b?c=d&e=f"),
        ("example.com", "/"),
        ("example.com/", "/"),
        ("example.com/a", "/a"),
        ("example.com/a/", "/a/"),
        ("example.com/a/b?c=d&e=f#fragment", "/a/b?c=d&e=f"),
        ("a", "/"),
        ("a/", "/"),
        ("/a", "/a"),
        ("a/b", "/b"),
        ("example.com?a", "/?a"),
        ("example.com/a;b#c", "/a;b"),
        ("//a/b/c", "/b/c"),
        ("https://h#f/x", "/"),
        ("HTTPS://h/x", "/x"),
    ],
)
def test_path_params_query(url: str, path: str) -> None:
    assert path_of(url) == path
    # The fast (regex) and exact paths of the matcher agree on every URL shape.
    robots = f"User-agent: *\nDisallow: {path}$\n"
    assert RobotsPolicy.parse(robots).is_allowed("x", url) is False


# --- TestMaybeEscapePattern -------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("http://www.example.com", "http://www.example.com"),
        ("/a/b/c", "/a/b/c"),
        ("á".encode().decode("latin-1"), "%C3%A1"),
        ("%aa", "%AA"),
        ("%a", "%a"),
        ("%%aa", "%%AA"),
    ],
)
def test_escape_pattern(raw: str, escaped: str) -> None:
    assert escape_pattern(raw) == escaped
