"""Hostile differential review of the robots matcher: every public answer against the slow reference
(``tests/robots/reference.py``, a literal re-statement of google/robotstxt's RobotsMatcher), in each forced
tier and in long streams that cross the scan -> index -> compiled switch points mid-stream, with URLs of
many origins and odd shapes interleaved on one rule set.

Each case is a seeded random robots.txt and stream (reproducible: the seed is in the failure message).
``SCRAPECHECK_FUZZ=deep`` runs many more seeds.
"""

from __future__ import annotations

import random
import sys
import threading
from collections.abc import Callable, Iterable, Iterator

import pytest
from robots.reference import allowed as reference  # tests/ is on sys.path (tests/conftest.py)

from scrapecheck.robots import RobotsPolicy, _match, _policy

from .conftest import _DEEP

SEEDS = range(3000 if _DEEP else 60)

# Pattern and path pieces: wildcards, anchors, escapes in both cases, non-ASCII (as text and as a raw byte),
# "?", ";", "=", "#" (paths only: it starts a comment in robots.txt), robots.txt variants, index.htm forms.
_PATTERN_BITS = ["/", "/", "a", "b", "*", "$", "%2F", "%2f", "%e9", "\u00e9", "index.html", "index.htm", "?", ";",
                 "=", ".", "/robots.txt", "x", "%", "%zz"]
_PATTERNS = ["/*/index.html", "/a*/index.htm", "*/index.html", "/a/index.html", "/*$", "/*", "*", "$", "**$",
             "/a/*/index.htmlx", "/*index.html", "/*/b/index.htm$", "/a$$", "/a*$b", "/*a*a*b", "/", ""]
_PATH_BITS = ["/", "/", "a", "b", "$", "%2F", "%2f", "%E9", "%e9", "\u00e9", "\u4e2d", "index.html", "?", ";", "=",
              ".", "robots.txt", "x", "#", "#a", "%", "\xe9", "ROBOTS.TXT", "*"]
_PATHS = ["/a/", "/b/", "/a/b/", "/", "/a/index.html", "/x/b/", "/a/x/", "/a%2F/", "/\u00e9/", "/robots.txt",
          "/robots.txt?x", "/robots.txt#x", "/ROBOTS.TXT", "/robots.txt/", "/robots.txt;p", "//", "//a/b", "/a$",
          "/a*b"]
_HOSTS = ["h", "h.example", "H.EXAMPLE", "u:p@h", "user@h:8080", "h:8080", "[::1]", "[::1]:80", "[2001:db8::1]",
          "h?q", "h;p", "h#f", "x.y", "h.example."]
_SCHEMES = ["http://", "https://", "HTTP://", "Https://", "//", "", "ftp://"]
_AGENTS = ["FooBot", "x", "BarBot/2", "Mozilla/5.0 (compatible; FooBot/1.0; +https://foo.example/bot)", ""]


def race(task: Callable[[int], Iterable[str]], threads: int = 4) -> list[str]:
    """What ``task(k)`` returns for each k below ``threads``, all run at once in threads that switch as often as
    the interpreter allows (so shared state is met half-updated wherever it can be)."""
    found: list[str] = []
    saved = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        running = [threading.Thread(target=lambda k=k: found.extend(task(k))) for k in range(threads)]
        for t in running:
            t.start()
        for t in running:
            t.join()
    finally:
        sys.setswitchinterval(saved)
    return found


def _pattern(r: random.Random) -> str:
    if r.random() < 0.15:
        return r.choice(_PATTERNS)
    text = "".join(r.choice(_PATTERN_BITS) for _ in range(r.randint(0, 6)))
    return "/" + text if r.random() < 0.8 and not text.startswith(("/", "*")) else text


def _robots(r: random.Random) -> str | bytes:
    lines = []
    for _ in range(r.randint(1, 4)):
        for _ in range(r.randint(1, 2)):
            lines.append("User-agent: " + r.choice(["*", "FooBot", "BarBot", "foobot/1"]))
        for _ in range(r.randint(0, 14)):
            lines.append(r.choice(["Allow", "Disallow", "disallow"]) + ": " + _pattern(r))
    body = "\n".join(lines) + "\n"
    # A third of the files as Latin-1 bytes: "\xe9" is then the octet E9 (%E9), not UTF-8 C3 A9.
    return body.encode("latin-1") if r.random() < 0.3 else body


def _path(r: random.Random) -> str:
    if r.random() < 0.15:
        return r.choice(_PATHS)
    return "/" + "".join(r.choice(_PATH_BITS) for _ in range(r.randint(0, 7)))


def _url(r: random.Random) -> str:
    if r.random() < 0.15:
        path = _path(r)
        return path if r.random() < 0.5 else path[1:]  # bare paths, and some without their "/"
    if r.random() < 0.02:
        return "https://h/" + "a/" * 20_000 + "index.html"  # a very long URL
    return r.choice(_SCHEMES) + r.choice(_HOSTS) + _path(r)


def _line(rule: _match.Rule | None) -> int:
    return 0 if rule is None else rule.line


def _stream(seed: int, policy: RobotsPolicy, body: str | bytes, agent: str, count: int) -> Iterator[str]:
    """Ask every public answer in turn, URLs of many origins interleaved; yield a message per disagreement."""
    r = random.Random(seed * 7919 + 1)
    matcher = policy.matcher(agent)
    for _ in range(count):
        kind = r.randrange(6)
        if kind < 4:
            url = _url(r)
            expected, line = reference(body, agent, url)
            if kind == 0:
                got: object = matcher.check(url)
                ok = got is expected
            elif kind == 1:
                allowed, rule = matcher.decide(url)
                got, ok = (allowed, _line(rule)), (allowed, _line(rule)) == (expected, line)
            elif kind == 2:
                verdict = policy.explain(agent, url)
                got, ok = (verdict.allowed, verdict.line or 0), (verdict.allowed, verdict.line or 0) == (expected, line)
            else:
                got = policy.is_allowed(agent, url)
                ok = got is expected
        else:
            # The path forms: what follows an authority with no '?', ';' or '#' (the contract of check_path).
            url = _path(r)
            expected, line = reference(body, agent, "http://h" + url)
            if kind == 4:
                got = matcher.check_path(url)
                ok = got is expected
            else:
                allowed, rule = matcher.decide_path(url)
                got, ok = (allowed, _line(rule)), (allowed, _line(rule)) == (expected, line)
        if not ok:
            yield (f"seed {seed}: {['check', 'decide', 'explain', 'is_allowed', 'check_path', 'decide_path'][kind]}"
                   f"({url[:80]!r}) for {agent!r} gave {got}, reference {(expected, line)} in tier {matcher.tier};"
                   f" robots.txt {body!r}")


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    _policy._PARSED.clear()
    yield
    _policy._PARSED.clear()


@pytest.mark.parametrize("tier", ["scan", "uncompiled", "grams", "compiled"])
def test_each_forced_tier_answers_as_the_reference(tier: str, monkeypatch: pytest.MonkeyPatch, fresh: None) -> None:
    monkeypatch.setattr(_match, "FORCE_TIER", tier)
    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed)
        body, agent = _robots(r), r.choice(_AGENTS)
        failures += _stream(seed, RobotsPolicy.parse(body), body, agent, 40)
    assert not failures, "\n".join(failures[:5])


def test_streams_that_cross_every_switch_point_answer_as_the_reference(monkeypatch: pytest.MonkeyPatch,
                                                                       fresh: None) -> None:
    """Budgets shrunk so that a stream of a few dozen URLs starts in the scan, builds the index after a few
    checks and compiles a few checks later: every answer before, at and after each switch is checked."""
    monkeypatch.setattr(_match, "_SCAN_BASE", 3)
    monkeypatch.setattr(_match, "_SCAN_PER_RULE", 4)
    monkeypatch.setattr(_match, "_SAVED_PER_CHECK", 0.4e-3)
    failures: list[str] = []
    tiers: set[str] = set()
    for seed in SEEDS:
        r = random.Random(seed)
        body, agent = _robots(r), r.choice(_AGENTS)
        policy = RobotsPolicy.parse(body)
        failures += _stream(seed, policy, body, agent, 60)
        tiers.add(policy.matcher(agent).tier)
    assert not failures, "\n".join(failures[:5])
    assert {"uncompiled", "compiled"} <= tiers  # the streams did cross the switch points


def test_one_rule_set_shared_by_threads_answers_as_the_reference(monkeypatch: pytest.MonkeyPatch, fresh: None) -> None:
    """Four threads on one matcher (its per-closure origin memo, node tables and the tier switch are shared),
    each with its own origins: no answer may come from another thread's origin or a half-built state."""
    monkeypatch.setattr(_match, "_SCAN_BASE", 3)
    monkeypatch.setattr(_match, "_SCAN_PER_RULE", 4)
    monkeypatch.setattr(_match, "_SAVED_PER_CHECK", 0.4e-3)
    failures: list[str] = []
    for seed in SEEDS[: len(SEEDS) // 4 or 1]:
        r = random.Random(seed)
        body, agent = _robots(r), r.choice(_AGENTS)
        policy = RobotsPolicy.parse(body)
        failures += race(lambda k: _stream(seed * 10 + k, policy, body, agent, 40))  # noqa: B023 (joined in the loop)
    assert not failures, "\n".join(failures[:5])


@pytest.mark.parametrize("tier", ["scan", "uncompiled", "grams", "compiled"])
@pytest.mark.parametrize("allow", ["/*/index.html", "*/index.htm", "/a*/index.html", "/*/b/index.htm$"])
def test_an_index_htm_allow_with_a_wildcard_also_allows_its_directory(tier: str, allow: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """robots.cc ``HandleAllow``: an Allow ending in ``/index.htm*`` that does not match also tries its text up
    to the last "/" plus "$"; ``Allow: /*/index.html`` so allows "/a/". The scan tier keyed that derived rule
    by the head "/*/" (the text before its "$", "*" included) and so never found it: "/a/" was disallowed."""
    monkeypatch.setattr(_match, "FORCE_TIER", tier)
    body = f"User-agent: *\nDisallow: /\nAllow: {allow}\n"
    matcher = RobotsPolicy.parse(body).matcher("x")
    for path in ("/a/", "/ab/", "/a/b/", "/b/", "/", "/a/x", "/a/index.html"):
        expected, line = reference(body, "x", "http://h" + path)
        assert matcher.check("https://h" + path) is expected, path
        assert matcher.check_path(path) is expected, path
        assert (matcher.decide_path(path)[0], _line(matcher.decide_path(path)[1])) == (expected, line), path
    assert matcher.check("https://h/a/") is (allow != "/*/b/index.htm$")  # Google: allowed via "/*/$"


def test_a_second_thread_building_the_index_does_not_break_the_first_ones_answers(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Two threads that hand a rule set over from the scan at once both call ``_index``. The second used to build
    a second index over the first one's (``_table``, ``_grams``, ...) while the first thread was already answering
    through its closure, which then looked for its node's q-grams in the other index's table: KeyError on a long
    URL against many ``/*word`` rules. Here the second thread is started at the worst moment: right after the
    first one's index exists and before it is published."""
    words = [f"w{i:04d}x" for i in range(300)]  # many floating globs: a node with the q-gram prefilter
    body = "User-agent: *\n" + "".join(f"Disallow: /*{w}\n" for w in words)
    matcher = RobotsPolicy.parse(body).matcher("x")
    assert matcher.tier == "scan"
    order = _match.RuleSet._order
    first: list[object] = []

    def racing_order(self: _match.RuleSet, *columns: object) -> None:
        order(self, *columns)
        if not first:  # the first thread's index is built; a second thread hands over now
            first.append(self.check)
            other_done = threading.Event()

            def other() -> None:
                self._index()
                other_done.set()

            threading.Thread(target=other, daemon=True).start()
            other_done.wait(1.0)  # a bound, not a measurement: a waiting second thread is the fix

    monkeypatch.setattr(_match.RuleSet, "_order", racing_order)
    long_url = "https://h/" + "a" * 20_000 + "w0150x"
    assert matcher.check(long_url) is False  # hands over: builds the index (first thread)
    check_first = first[0]
    assert check_first(long_url) is False  # type: ignore[operator]
    assert check_first("https://h/" + "b" * 20_000) is True  # type: ignore[operator]
    assert matcher.check_path("/" + "a" * 20_000 + "w0299x") is False


def _mutated(r: random.Random, body: str | bytes) -> bytes:
    """``body`` as a hostile server may send it: NULs (a NUL ends its line for robots.cc), stray whitespace,
    comments with any byte, a missing colon, lower-cased keys, lines past robots.cc's 16,663-byte line buffer,
    padding past the 2 KiB a small file has, blank lines and other records inside groups, CR or CRLF line ends
    and a BOM."""
    out = []
    for line in (body if isinstance(body, bytes) else body.encode()).split(b"\n"):
        k = r.random()
        if k < 0.05:
            line = b"\x00" + line
        elif k < 0.1:
            line += b"\x00junk"
        elif k < 0.15:
            line = b"  \t\x0b" + line
        elif k < 0.2:
            line += b" # c " + bytes([r.randrange(256)])
        elif k < 0.23:
            line = line.replace(b": ", b" ", 1)
        elif k < 0.26:
            line = line.lower()
        elif k < 0.28:
            line += b"x" * 17_000
        out.append(line)
        if r.random() < 0.1:
            out.append(b"# pad " + b"p" * r.randint(0, 3000))
        if r.random() < 0.05:
            out.append(r.choice([b"Crawl-delay: 3", b"Sitemap: /s.xml", b"", b"   ", b"\x00User-agent: *"]))
    mutated = r.choice([b"\n", b"\r\n", b"\r"]).join(out)
    return b"\xef\xbb\xbf" + mutated if r.random() < 0.2 else mutated


def test_hostile_bodies_parse_as_the_reference(fresh: None) -> None:
    """Small files (read whole at parse) and large ones (group structure first, rules on first use) alike."""
    failures: list[str] = []
    for seed in SEEDS:
        r = random.Random(seed)
        body = _mutated(r, _robots(r))
        policy = RobotsPolicy.parse(body)
        for agent in _AGENTS:
            for _ in range(8):
                url = _url(r)
                expected, line = reference(body, agent, url)
                verdict = policy.explain(agent, url)
                got = (policy.is_allowed(agent, url), verdict.allowed, verdict.line or 0)
                if got != (expected, expected, line):
                    failures.append(f"seed {seed}: {agent!r} {url[:60]!r} gave {got}, reference {(expected, line)}")
    assert not failures, "\n".join(failures[:5])


@pytest.mark.parametrize("tier", ["scan", "uncompiled", "grams", "compiled"])
def test_robots_txt_variants_in_every_url_form(tier: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the path "/robots.txt" itself is implicitly allowed (RFC 9309 §2.2.2), whatever the URL around it;
    its look-alikes are matched like any path."""
    monkeypatch.setattr(_match, "FORCE_TIER", tier)
    body = "User-agent: *\nDisallow: /\nAllow: /robots.txt/ok\nDisallow: /robots.txt\n"
    variants = ["/robots.txt", "/robots.txt?x", "/robots.txt#x", "/robots.txt?#", "/ROBOTS.TXT", "/robots.txt/",
                "/robots.txt/ok", "/robots.txt;p", "/%72obots.txt", "/robots%2Etxt", "//robots.txt", "/robots.txt ",
                "/./robots.txt", "/robots.txt%00"]
    forms = ["http://h{}", "https://u:p@h:8080{}", "HTTP://H{}", "//h{}", "{}", "http://[::1]{}", "https://h{}#frag"]
    matcher = RobotsPolicy.parse(body).matcher("x")
    for variant in variants:
        for form in forms:
            url = form.format(variant)
            expected, line = reference(body, "x", url)
            allowed, rule = matcher.decide(url)
            assert (matcher.check(url), allowed, _line(rule)) == (expected, expected, line), url
        expected, line = reference(body, "x", "http://h" + variant)
        allowed, rule = matcher.decide_path(variant)
        assert (matcher.check_path(variant), allowed, _line(rule)) == (expected, expected, line), variant


@pytest.mark.parametrize("bound", ["decide", "decide_path", "check", "check_path"])
def test_a_callable_bound_before_the_switch_survives_a_call_during_it(bound: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A caller that bound ``decide`` once (the audit does) calls it from another thread while the rule set is
    switching to the compiled tier: marked compiled, its callables not yet replaced. The bound closure then
    took itself for the compiled tier's callable and handed over to itself for good: RecursionError on that
    call and on every later one."""
    monkeypatch.setattr(_match, "_SAVED_PER_CHECK", 0.15e-6)  # by default nothing compiles on its own
    body = "User-agent: *\nDisallow: /private/\nAllow: /private/public*\nDisallow: /*.pdf$\n"
    matcher = RobotsPolicy.parse(body).matcher("x")
    matcher.decide("https://h/")  # builds the index and the decide closures, as a first use does
    held = getattr(matcher, bound)
    arg = "/private/x" if bound.endswith("_path") else "https://h/private/x"
    during: list[object] = []
    build = _match.RuleSet._compiled_check

    def racing(self: _match.RuleSet) -> object:
        during.append(held(arg))  # "another thread", right after the rule set is marked compiled
        return build(self)

    monkeypatch.setattr(_match.RuleSet, "_compiled_check", racing)
    matcher._left[0] = 1  # as if it had answered as many URLs as compiling costs, less one
    assert matcher.check("https://h/a.pdf") is False  # this check compiles
    assert matcher.tier == "compiled"
    expected = (False, 2) if bound.startswith("decide") else False
    for answer in during + [held(arg), held(arg)]:
        assert (answer if not isinstance(answer, tuple) else (answer[0], _line(answer[1]))) == expected
