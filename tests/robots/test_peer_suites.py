"""Peers' test cases that RFC 9309 decides, restated as our own tests.

Sources (read, not copied; each case below is re-written from the behaviour the peer's test checks):
- protego: scrapy/protego ``tests/test_protego.py`` (commit 81f1b35), test names in ``P:`` ids;
- CPython: ``Lib/test/test_robotparser.py``, class names in ``C:`` ids.

Every case cites the RFC 9309 section that decides it. Where our answer differs from the peer's, the
case carries the reason in ``why`` (we follow RFC 9309 and, where it is silent or where Google's parser
deliberately departs from it, Google's reference parser: see test_google_conformance.py).
"""

from __future__ import annotations

import pytest

from scrapecheck.robots import RobotsPolicy

#: Reasons for deliberate differences, named once.
EXACT_TOKEN = ("§2.2.1: the product token is matched case-insensitively but whole; the peer matches "
               "substrings or whole user-agent strings")
MERGE = "§2.2.1: all groups naming the agent are merged into one; the peer obeys the first only"
RESERVED = ("§2.2.2: a percent-encoded reserved character ('%24' = '$', '%2A' = '*') is not decoded before "
            "comparison, so '$' and '%24' are different octets; the peer decodes both")
RAW_URL = ("§2.2.2 compares percent-encoded URIs octet for octet; a raw '<' is not a URI character (RFC 3986 "
           "§2.1), and '%3C' is compared as written; the caller must encode it, as Google's library requires")
UNRESERVED = ("Google parity: an escape of an unreserved character ('%62', '%7e') only matches the same escape, as "
              "in Google's parser (robots_test.cc ID_Encoding), where §2.2.2 would decode it; kept so the "
              "differential against Google stays at 0")
GROUP_END = ("§2.1: a group is user-agent lines followed by rules; only a rule line closes the user-agent run "
             "(Google), so an unknown record between two user-agent lines does not split them")
TOKEN_CHARS = ("§2.2.1: product tokens are [a-zA-Z_-] only; a non-ASCII name is read up to its first other "
               "character, as Google's parser does")
TWO_WORDS = ("§2.1 requires the colon; Google accepts a missing one only when the line then has exactly two words, "
             "so 'user agent harry potter' is no user-agent line")
ABSOLUTE = "§2.2.2: a rule is matched from the start of the URL path, so 'http://x/' can never match a path"

CASES = [
    # id, robots.txt, agent, URL, expected, RFC 9309 section, why we differ from the peer (None: we agree)
    ("P:test_allowed", "User-agent: * \nDisallow: /disallowed \nAllow: /allowed \nCrawl-delay: 10",
     "*", "https://www.site.local/allowed", True, "2.2.2", None),
    ("P:test_allowed", "User-agent: * \nDisallow: /disallowed \nAllow: /allowed \nCrawl-delay: 10",
     "*", "https://www.site.local/disallowed", False, "2.2.2", None),
    ("P:test_allowed", "User-agent: * \nDisallow: /d \nCrawl-delay: 10", "*", "https://www.site.local/abc/d",
     True, "2.2.2", None),
    ("P:test_length_based_precedence", "User-agent: * \nDisallow: / \nAllow: /page", "*",
     "https://www.site.local/page", True, "2.2.2", None),
    ("P:test_length_based_precedence", "User-agent: * \nDisallow: / \nAllow: /page", "*",
     "https://www.site.local/elsewhere", False, "2.2.2", None),
    ("P:test_length_based_precedence", "user-agent: FooBot\ndisallow: /x/page.html\nallow: /x/\n", "FooBot",
     "http://foo.bar/x/page.html", False, "2.2.2", None),
    ("P:test_length_based_precedence", "user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n", "FooBot",
     "http://foo.bar/x/page.html", True, "2.2.2", None),
    ("P:test_length_based_precedence", "user-agent: FooBot\nallow: /x/page.html\ndisallow: /x/\n", "FooBot",
     "http://foo.bar/x/", False, "2.2.2", None),
    ("P:test_length_based_precedence", "user-agent: FooBot\ndisallow: \nallow: \n", "FooBot",
     "http://foo.bar/x/page.html", True, "2.2.2", None),
    ("P:test_length_based_precedence", "user-agent: FooBot\ndisallow: /\nallow: /\n", "FooBot",
     "http://foo.bar/x/page.html", True, "2.2.2", None),  # equivalent rules: allow
    ("P:test_length_based_precedence", "user-agent: FooBot\ndisallow: /x\nallow: /x/\n", "FooBot",
     "http://foo.bar/x/", True, "2.2.2", None),
    ("P:test_length_based_precedence", "user-agent: FooBot\ndisallow: /x\nallow: /x/\n", "FooBot",
     "http://foo.bar/x", False, "2.2.2", None),
    ("P:test_length_based_precedence", "user-agent: FooBot\nallow: /page\ndisallow: /*.html\n", "FooBot",
     "http://foo.bar/page.html", False, "2.2.2", None),
    ("P:test_length_based_precedence", "user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n", "FooBot",
     "http://foo.bar/x/page.html", True, "2.2.2", None),
    ("P:test_length_based_precedence", "user-agent: FooBot\nallow: /x/page.\ndisallow: /*.html\n", "FooBot",
     "http://foo.bar/x/y.html", False, "2.2.2", None),
    ("P:test_length_based_precedence", "User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n",
     "FooBot", "http://foo.bar/x/page", True, "2.2.1", None),
    ("P:test_length_based_precedence", "User-agent: *\nDisallow: /x/\nUser-agent: FooBot\nDisallow: /y/\n",
     "FooBot", "http://foo.bar/y/page", False, "2.2.1", None),
    ("P:test_length_based_precedence", "user-agent: FooBot\nallow: /folder\ndisallow: /folder\n", "FooBot",
     "http://example.com/folder/page", True, "2.2.2", None),
    ("P:test_length_based_precedence", "user-agent: FooBot\nallow: /page\ndisallow: /*.htm\n", "FooBot",
     "http://example.com/page.htm", False, "2.2.2", None),
    ("P:test_length_based_precedence", "user-agent: FooBot\nallow: /$\ndisallow: /\n", "FooBot",
     "http://example.com/", True, "2.2.3", None),
    ("P:test_length_based_precedence", "user-agent: FooBot\nallow: /$\ndisallow: /\n", "FooBot",
     "http://example.com/page.html", False, "2.2.3", None),
    ("P:test_escaped_url", "User-agent: * \nDisallow: / \nAllow: /a%3cd.html", "*",
     "https://www.site.local/a%3cd.html", True, "2.2.2", None),
    ("P:test_escaped_url", "User-agent: * \nDisallow: / \nAllow: /a%3cd.html", "*",
     "https://www.site.local/a<d.html", False, "2.2.2", RAW_URL),
    ("P:test_unescaped_url", "User-agent: * \nDisallow: / \nAllow: /a<d.html", "*",
     "https://www.site.local/a<d.html", True, "2.2.2", None),
    ("P:test_unescaped_url", "User-agent: * \nDisallow: / \nAllow: /a<d.html", "*",
     "https://www.site.local/a%3cd.html", False, "2.2.2", RAW_URL),
    ("P:test_url_parts", "User-agent: * \nDisallow: /path;params?query \n", "*",
     "http://userinfo@exmaple.com:10/path;params?query#fragment", False, "2.2.2", None),
    ("P:test_empty_response", "", "*", "https://site.local/disallowed", True, "2.2.1", None),
    ("P:test_allowed_wildcards", "User-agent: first\nDisallow: /disallowed/*/end$\nDisallow: /protego*work\n",
     "first", "https://www.site.local/disallowed", True, "2.2.3", None),
    ("P:test_allowed_wildcards", "User-agent: first\nDisallow: /disallowed/*/end$\nDisallow: /protego*work\n",
     "first", "https://www.site.local/disallowed/xyz/end", False, "2.2.3", None),
    ("P:test_allowed_wildcards", "User-agent: first\nDisallow: /disallowed/*/end$\nDisallow: /protego*work\n",
     "first", "https://www.site.local/disallowed/xyz/endinglater", True, "2.2.3", None),
    ("P:test_allowed_wildcards", "User-agent: first\nDisallow: /disallowed/*/end$\nDisallow: /protego*work\n",
     "first", "https://www.site.local/protegoworks", False, "2.2.3", None),
    ("P:test_unicode_url_and_useragent", "User-Agent: *\nDisallow: /wiki/Käyttäjä:\n", "*",
     "https://site.local/wiki/K%C3%A4ytt%C3%A4j%C3%A4:", False, "2.2.2", None),
    ("P:test_unicode_url_and_useragent", "User-Agent: *\nDisallow: /wiki/K%C3%A4ytt%C3%A4j%C3%A4:\n", "*",
     "https://site.local/wiki/Käyttäjä:", False, "2.2.2", None),
    ("P:test_unicode_url_and_useragent", "User-Agent: Jävla-Foobot\nDisallow: /\n", "jävla-fanbot",
     "/foo/bar.html", False, "2.2.1", TOKEN_CHARS),  # both read as the token "J"
    ("P:test_unicode_url_and_useragent", "User-Agent: Jävla-Foobot\nDisallow: /\n", "foobot", "/", True,
     "2.2.1", None),
    ("P:test_unicode_url_and_useragent", "User-Agent: Львів-bot\nDisallow: /totalitarianism/\n",
     "Mozilla/5.0 (compatible; Львів-bot/1.1)", "/totalitarianism/foo.htm", True, "2.2.1", TOKEN_CHARS),
    ("P:test_no_leading_user_agent", "Disallow: /withoutUA\nUser-Agent: testbot\nDisallow: /withUA\n", "mybot",
     "https://site.local/withoutUA", True, "2.1", None),
    ("P:test_no_leading_user_agent", "Disallow: /withoutUA\nUser-Agent: testbot\nDisallow: /withUA\n", "testbot",
     "https://site.local/withUA", False, "2.1", None),
    ("P:test_default_user_agent", "User-Agent: robot\nDisallow: /ro-bot\n\nUser-Agent: *\nDisallow: /default-UA\n\n"
     "User-Agent: testbot\nDisallow: /testbot\n", "mybot", "https://site.local/default-UA", False, "2.2.1", None),
    ("P:test_default_user_agent", "User-Agent: robot\nDisallow: /ro-bot\n\nUser-Agent: *\nDisallow: /default-UA\n\n"
     "User-Agent: testbot\nDisallow: /testbot\n", "robot", "https://site.local/default-UA", True, "2.2.1", None),
    ("P:test_user_agent_case_insensitivity", "User-Agent: testbot\nDisallow: /testbot\n", "TESTBOT",
     "https://site.local/testbot", False, "2.2.1", None),
    ("P:test_user_agent_grouping", "User-Agent: one\nUser-Agent: two\nDisallow: /success\nUser-Agent: *\n"
     "Disallow: /failure\n", "two", "https://site.local/success", False, "2.1", None),
    ("P:test_user_agent_grouping", "User-Agent: one\nUser-Agent: two\nDisallow: /success\nUser-Agent: *\n"
     "Disallow: /failure\n", "one", "https://site.local/failure", True, "2.1", None),
    ("P:test_comments", "# c1\nUser-Agent: one # c2\n# c3\nUser-Agent: two\nDisallow: /one-two-bot\n"
     "# Disallow: /commented\n", "one", "https://site.local/one-two-bot", False, "2.2", None),
    ("P:test_comments", "# c1\nUser-Agent: one # c2\n# c3\nUser-Agent: two\nDisallow: /one-two-bot\n"
     "# Disallow: /commented\n", "two", "https://site.local/commented", True, "2.2", None),
    ("P:test_comments", "User-agent: FooBot\n# Disallow: /\nDisallow: /foo/quz#qux\nAllow: /\n", "FooBot",
     "http://foo.bar/foo/quz", False, "2.2", None),
    ("P:test_skip_unknown_directives", "User-Agent: one\nDisallow: /bot-one\nHarry: Potter\nUser-Agent: two\n"
     "Disallow: /bot-two\n", "one", "https://site.local/bot-two", True, "2.2.4", None),
    ("P:test_skip_unknown_directives", "User-Agent: one\nDisallow: /bot-one\nHarry: Potter\nUser-Agent: two\n"
     "Disallow: /bot-two\n", "two", "https://site.local/bot-two", False, "2.2.4", None),
    ("P:test_empty_disallow_allow_directives", "User-Agent: one\nDisallow:\n\nUser-Agent: two\nAllow:\n", "one",
     "https://site.local/path1", True, "2.2.2", None),
    ("P:test_empty_record_group", "User-Agent: harrybot\nDisallow: /\nUser-Agent: testbot\n", "testbot",
     "https://site.local/path1", True, "2.2.1", None),
    ("P:test_implicit_allow", "User-agent: *\nDisallow:    /\n\nUser-agent: foobot\nDisallow:\n", "foobot",
     "/bar.html", True, "2.2.1", None),
    ("P:test_implicit_allow", "User-agent: *\nDisallow:    /\n\nUser-agent: foobot\nDisallow:\n", "SomeOtherBot",
     "/blahblahblah", False, "2.2.1", None),
    ("P:test_grouping_unknown_keys", "User-agent: abc\nDisallow: /content/2/\nUser-agent: *\n"
     "Invalid_directive: /gb.html\nUser-agent: ia_archiver\nDisallow: /\n", "agent", "/foo", False, "2.1", GROUP_END),
    ("P:test_grouping_unknown_keys", "User-agent: abc\nDisallow: /content/2/\nUser-agent: *\n"
     "Invalid_directive: /gb.html\nUser-agent: ia_archiver\nDisallow: /\n", "ia_archiver", "/foo", False, "2.1",
     None),
    ("P:test_generosity", "Foo: Foobot\nBar: /", "FooBot", "http://foo.bar/x/y", True, "2.1", None),
    ("P:test_generosity", "user-agent foobot\ndisallow /\nuser agent harry potter\ndisallow /horcrux\n", "FooBot",
     "http://foo.bar/x/y", False, "2.1", None),
    ("P:test_generosity", "user-agent foobot\ndisallow /\nuser agent harry potter\ndisallow /horcrux\n",
     "harry potter", "http://foo.bar/horcrux", True, "2.1", TWO_WORDS),
    ("P:test_generosity", "user-agent: foo*bot\ndisallow: /myprofile\n", "foobot", "http://foo.bar/myprofile",
     True, "2.2.1", TOKEN_CHARS),  # the line names the token "foo"
    ("P:test_directive_case_insensitivity", "uSEr-aGEnT: threeBot\nAlLoW: /x\nDIsALlOw: /\n", "threebot",
     "http://foo.bar/x/y", True, "2.2", None),
    ("P:test_directive_case_insensitivity", "uSEr-aGEnT: threeBot\nAlLoW: /x\nDIsALlOw: /\n", "threebot",
     "http://foo.bar/a/b", False, "2.2", None),
    ("P:test_line_endings", "User-Agent: foo\r\nAllow: /some/path\r\nUser-Agent: bar\r\n\r\n\r\nDisallow: /\r\n",
     "bar", "http://site.local/some/path/", False, "2.2", None),
    ("P:test_line_endings", "User-Agent: foo\rAllow: /some/path\rUser-Agent: bar\r\r\rDisallow: /\r", "foo",
     "http://site.local/some/path/", True, "2.2", None),
    ("P:test_line_endings", "User-Agent: foo\nAllow: /some/path\r\nUser-Agent: bar\n\r\n\nDisallow: /", "bar",
     "http://site.local/some/path/", False, "2.2", None),
    ("P:test_percentage_encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar?qux=taz&baz=http://foo.bar?tar&par\n",
     "FooBot", "http://foo.bar/foo/bar?qux=taz&baz=http://foo.bar?tar&par", True, "2.2.2", None),
    ("P:test_percentage_encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/ツ\n", "FooBot",
     "http://foo.bar/foo/bar/%E3%83%84", True, "2.2.2", None),
    ("P:test_percentage_encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%E3%83%84\n", "FooBot",
     "http://foo.bar/foo/bar/ツ", True, "2.2.2", None),
    ("P:test_percentage_encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n", "FooBot",
     "http://foo.bar/foo/bar/baz", False, "2.2.2", UNRESERVED),
    ("P:test_percentage_encoding", "User-agent: FooBot\nDisallow: /\nAllow: /foo/bar/%62%61%7A\n", "FooBot",
     "http://foo.bar/foo/bar/%62%61%7A", True, "2.2.2", None),
    ("P:test_url_case_sensitivity", "user-agent: FooBot\ndisallow: /X/\n", "FooBot", "http://foo.bar/x/y", True,
     "2.2.2", None),
    ("P:test_nonterminal_dollar", "user-agent: FooBot\ndisallow: /x$/abc\n", "FooBot", "http://foo.bar/x$/abcdef",
     False, "2.2.3", None),
    ("P:test_nonterminal_dollar", "user-agent: FooBot\ndisallow: /x$/abc\n", "FooBot", "http://foo.bar/x%24/abcdef",
     True, "2.2.2", RESERVED),
    ("P:test_nonterminal_dollar", "user-agent: FooBot\ndisallow: /y/abc$\n", "FooBot", "http://foo.bar/y/abcdef",
     True, "2.2.3", None),
    ("P:test_nonterminal_dollar", "user-agent: FooBot\ndisallow: /y*y/abc$\n", "FooBot", "http://foo.bar/yabcy/abc",
     False, "2.2.3", None),
    ("P:test_escaped_special_symbols", "user-agent: FooBot\ndisallow: /x/abc%24\n", "FooBot",
     "http://foo.bar/x/abc$abc", True, "2.2.2", RESERVED),
    ("P:test_escaped_special_symbols", "user-agent: FooBot\ndisallow: /x%2Ax/abc\n", "FooBot",
     "http://foo.bar/x*x/abc", True, "2.2.2", RESERVED),
    ("P:test_escaped_special_symbols", "user-agent: FooBot\ndisallow: /x%2Ax/abc\n", "FooBot",
     "http://foo.bar/x%2Ax/abc", False, "2.2.2", None),
    ("P:test_special_symbols_dual_behaviour", "user-agent: FooBot\ndisallow: /x*x/abc\n", "FooBot",
     "http://foo.bar/x*x/abc", False, "2.2.3", None),
    ("P:test_special_symbols_dual_behaviour", "user-agent: FooBot\ndisallow: /x/abc$\n", "FooBot",
     "http://foo.bar/x/abc$", True, "2.2.3", "§2.2.3: a final '$' anchors the pattern at the end of the path; "
     "the path '/x/abc$' does not end at '/x/abc'"),
    ("P:test_with_absolute_urls", "user-agent: *\ndisallow: http://ms-web00.walkerplus.com/\n", "FooBot",
     "http://foo.bar/http://ms-web00.walkerplus.com/", True, "2.2.2", ABSOLUTE),
    ("P:test_disallow_target_url_path_is_missing", "User-Agent: *\nDisallow: /\n", "FooBot", "http://example.com",
     False, "2.2.2", None),
    ("P:test_leading_double_slash_in_pattern", "User-Agent: *\nDisallow: //folder/*\n", "FooBot",
     "http://example.com//folder", True, "2.2.2", None),
    ("P:test_leading_double_slash_in_pattern", "User-Agent: *\nDisallow: //folder/*\n", "FooBot",
     "http://example.com//folder/page", False, "2.2.2", None),
    ("P:test_disallow_query_wildcard", "User-agent: * \nDisallow: /*s=", "*", "https://www.site.local/s/", True,
     "2.2.3", None),
    ("P:test_disallow_query_wildcard", "User-agent: * \nDisallow: /*s=", "*", "https://www.site.local/?s=asd",
     False, "2.2.3", None),
    ("P:test_leading_asterisk", "User-Agent: *\nallow: */p\ndisallow: /\n", "*", "http://example.com/page", True,
     "2.2.3", None),
    ("P:test_leading_asterisk", "User-Agent: *\nallow: /page\ndisallow: */*.htm\n", "*",
     "https://example.com/page.htm", False, "2.2.3", None),
    # --- CPython Lib/test/test_robotparser.py ---------------------------------------------------------------
    ("C:UserAgentWildcardTest", "User-agent: *\nDisallow: /cyberworld/map/ # infinite\nDisallow: /tmp/ # soon\n"
     "Disallow: /foo.html\n", "test_robotparser", "/test.html", True, "2.2.2", None),
    ("C:UserAgentWildcardTest", "User-agent: *\nDisallow: /cyberworld/map/ # infinite\nDisallow: /tmp/ # soon\n"
     "Disallow: /foo.html\n", "test_robotparser", "/tmp/xxx", False, "2.2.2", None),
    ("C:CrawlDelayAndCustomAgentTest", "User-agent: *\nCrawl-delay: 1\nRequest-rate: 3/15\n"
     "Disallow: /cyberworld/map/\n\n# Cybermapper knows where to go.\nUser-agent: cybermapper\nDisallow:\n",
     "cybermapper", "/cyberworld/map/index.html", True, "2.2.1", None),
    ("C:CrawlDelayAndCustomAgentTest", "User-agent: *\nCrawl-delay: 1\nRequest-rate: 3/15\n"
     "Disallow: /cyberworld/map/\n\n# Cybermapper knows where to go.\nUser-agent: cybermapper\nDisallow:\n",
     "test_robotparser", "/cyberworld/map/index.html", False, "2.2.1", None),
    ("C:RejectAllRobotsTest", "# go away\nUser-agent: *\nDisallow: /\n", "test_robotparser", "/", False, "2.2.2",
     None),
    ("C:EmptyFileTest", "", "test_robotparser", "/tmp/", True, "2.2.1", None),
    ("C:CrawlDelayAndRequestRateTest", "User-agent: figtree\nDisallow: /tmp\nDisallow: /a%3cd.html\n"
     "Disallow: /a%2fb.html\nDisallow: /%7ejoe/index.html\n", "figtree", "/a%3Cd.html", False, "2.2.2", None),
    ("C:CrawlDelayAndRequestRateTest", "User-agent: figtree\nDisallow: /tmp\nDisallow: /a%3cd.html\n"
     "Disallow: /a%2fb.html\nDisallow: /%7ejoe/index.html\n", "figtree", "/a%2fb.html", False, "2.2.2", None),
    ("C:CrawlDelayAndRequestRateTest", "User-agent: figtree\nDisallow: /tmp\nDisallow: /a%3cd.html\n"
     "Disallow: /a%2fb.html\nDisallow: /%7ejoe/index.html\n", "figtree", "/tmp.html", False, "2.2.2", None),
    ("C:CrawlDelayAndRequestRateTest", "User-agent: figtree\nDisallow: /tmp\nDisallow: /a%3cd.html\n"
     "Disallow: /a%2fb.html\nDisallow: /%7ejoe/index.html\n", "figtree", "/~joe/index.html", True, "2.2.2",
     UNRESERVED),
    ("C:DifferentAgentTest", "User-agent: figtree\nDisallow: /tmp\n", "FigTree Robot libwww-perl/5.04", "/tmp/a.html",
     False, "2.2.1", None),
    ("C:InvalidRequestRateTest", "User-agent: *\nDisallow: /tmp/\nDisallow: /%7ejoe/index.html\n", "x", "/tmp",
     True, "2.2.2", None),
    ("C:InvalidRequestRateTest", "User-agent: *\nDisallow: /tmp/\nDisallow: /%7ejoe/index.html\n", "x",
     "/%7Ejoe/index.html", False, "2.2.2", None),
    ("C:InvalidCrawlDelayTest", "User-Agent: *\nDisallow: /.\nCrawl-delay: pears\n", "x", "/foo.html", True,
     "2.2.2", None),
    ("C:AnotherInvalidRequestRateTest", "User-agent: Googlebot\nAllow: /folder1/myfile.html\nDisallow: /folder1/\n"
     "Request-rate: whale/banana\n", "Googlebot", "/folder1/myfile.html", True, "2.2.2", None),
    ("C:GoogleURLOrderingTest", "User-agent: Googlebot\nAllow: /folder1/myfile.html\nDisallow: /folder1/\n",
     "googlebot", "/folder1/anotherfile.html", False, "2.2.2", None),
    ("C:UserAgentOrderingTest", "User-agent: Googlebot\nDisallow: /\n\nUser-agent: Googlebot-Mobile\nAllow: /\n",
     "Googlebot", "/something.jpg", False, "2.2.1", None),
    ("C:UserAgentGoogleMobileTest", "User-agent: Googlebot\nDisallow: /\n\nUser-agent: Googlebot-Mobile\nAllow: /\n",
     "Googlebot-Mobile", "/something.jpg", True, "2.2.1", EXACT_TOKEN),
    ("C:DisallowQueryStringTest", "User-agent: *\nDisallow: /some/path?name=value\n", "x", "/some/path", True,
     "2.2.2", None),
    ("C:DisallowQueryStringTest", "User-agent: *\nDisallow: /some/path?name=value\n", "x", "/some/path?name=value",
     False, "2.2.2", None),
    ("C:UseFirstUserAgentWildcardTest", "User-agent: *\nDisallow: /some/path\n\nUser-agent: *\n"
     "Disallow: /another/path\n", "x", "/some/path", False, "2.2.1", None),
    ("C:UseFirstUserAgentWildcardTest", "User-agent: *\nDisallow: /some/path\n\nUser-agent: *\n"
     "Disallow: /another/path\n", "x", "/another/path", False, "2.2.1", MERGE),
    ("C:EmptyQueryStringTest", "User-agent: *\nAllow: /some/path?\nDisallow: /another/path?\n", "x", "/some/path?",
     True, "2.2.2", None),
    ("C:EmptyQueryStringTest", "User-agent: *\nAllow: /some/path?\nDisallow: /another/path?\n", "x",
     "/another/path?", False, "2.2.2", None),
]

pytestmark = pytest.mark.usefixtures("each_tier")  # every case, in every matching strategy


@pytest.mark.parametrize(
    ("robots", "agent", "url", "expected", "section", "why"),
    [pytest.param(*case[1:], id=f"{case[0]}-{n}") for n, case in enumerate(CASES)],
)
def test_peer_case(robots: str, agent: str, url: str, expected: bool, section: str, why: str | None) -> None:
    assert section in {"2.1", "2.2", "2.2.1", "2.2.2", "2.2.3", "2.2.4"}
    policy = RobotsPolicy.parse(robots)
    assert policy.is_allowed(agent, url) is expected, why
    assert policy.explain(agent, url).allowed is expected, why
    assert RobotsPolicy.parse(robots.encode("utf-8")).is_allowed(agent, url) is expected, why


# --- records that RFC 9309 leaves open (§2.2.4 "other records"), where we follow the peers ----------------------
def test_cpython_crawl_delay_and_request_rate() -> None:
    """C:CrawlDelayAndRequestRateTest, DifferentAgentTest, DefaultEntryTest, InvalidRequestRateTest."""
    figtree = RobotsPolicy.parse("User-agent: figtree\nCrawl-delay: 3\nRequest-rate: 9/30\nDisallow: /tmp\n")
    for agent in ("figtree", "FigTree Robot libwww-perl/5.04"):
        assert figtree.crawl_delay(agent) == 3.0 and figtree.request_rate(agent) == (9, 30.0)
    default = RobotsPolicy.parse("User-agent: *\nCrawl-delay: 1\nRequest-rate: 3/15\nDisallow: /cyberworld/map/\n")
    assert default.crawl_delay("x") == 1.0 and default.request_rate("x") == (3, 15.0)
    invalid = RobotsPolicy.parse("User-agent: *\nDisallow: /tmp/\nCrawl-delay: 3\nRequest-rate: 9/banana\n")
    assert invalid.crawl_delay("x") == 3.0 and invalid.request_rate("x") is None
    pears = RobotsPolicy.parse("User-Agent: *\nDisallow: /.\nCrawl-delay: pears\n")
    assert pears.crawl_delay("x") is None
    none = RobotsPolicy.parse("User-agent: *\nDisallow: /bar\n")
    assert none.crawl_delay("x") is None and none.request_rate("x") is None


def test_protego_records_follow_their_user_agent_lines() -> None:
    """P:test_no_request_rate, P:test_crawl_delay-style grouping, P:test_no_leading_user_agent."""
    policy = RobotsPolicy.parse("User-agent: one\nRequest-rate: 1/10s\nUser-agent: two\nDisallow: /\n")
    assert policy.request_rate("one") == (1, 10.0)
    assert policy.request_rate("two") is None
    leading = RobotsPolicy.parse("Disallow: /withoutUA\nCrawl-delay: 5.2\nUser-Agent: testbot\nDisallow: /withUA\n")
    assert leading.crawl_delay("testbot") is None and leading.crawl_delay("*") is None


def test_sitemaps_wherever_they_are() -> None:
    """P:test_sitemaps_come_first, C:SitemapTest: Sitemap is a record outside groups (§2.2.4)."""
    first = RobotsPolicy.parse("Sitemap: https://www.foo.bar/sitmap.xml\nUser-Agent: FootBot\nDisallow: /something")
    assert first.sitemaps == ("https://www.foo.bar/sitmap.xml",)
    inside = RobotsPolicy.parse("User-agent: *\nSitemap: http://a.example/1.xml\nSitemap: http://b.example/2.xml\n"
                                "Request-rate: 3/15\nDisallow: /cyberworld/map/ # infinite\n")
    assert inside.sitemaps == ("http://a.example/1.xml", "http://b.example/2.xml")
    assert not inside.is_allowed("x", "/cyberworld/map/index.html") and inside.is_allowed("x", "/test.html")


def test_bytes_are_accepted() -> None:
    """P:test_bytestrings: protego refuses bytes; we match fetched bodies as bytes (issue 10)."""
    assert not RobotsPolicy.parse(b"User-Agent: FootBot\nDisallow: /something").is_allowed("FootBot", "/something")
