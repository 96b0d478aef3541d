"""The Guard's segment table: URLs of a cached origin answered by their first path segment where robots.txt gives
every path under it that holds none of a few literals one answer (``RuleSet.prefix_gate``), exactly as
``is_allowed`` and ``explain``; and its bookkeeping (bounded per origin, emptied with the origin's routes, fresh
state only)."""

from __future__ import annotations

import random
from typing import Iterator

import pytest

from scrapecheck import Guard
from scrapecheck.guard._decision import Routed, SegmentRefusal, Through
from scrapecheck.robots import RobotsPolicy, _match, is_allowed

from .conftest import Web

UA = "AcmeBot/1.0"

BODY = """User-agent: *
Disallow: /private/
Allow: /private/open/
Disallow: /docs/*.pdf$
Disallow: /cart
Disallow: /a/b/c/
Allow: /a/
Disallow: /*?sessionid=
Disallow: /cart/x/
Disallow: /shop/$
Disallow: /x%C3%A9/
Disallow: /%7Euser/
Allow: /deep/index.html
Disallow: /deep/
Disallow: /robots.txt/
"""

SEGMENTS = ("/private/", "/docs/", "/cart/", "/carts/", "/a/", "/shop/", "/deep/", "/free/", "/x\u00e9/", "/x%C3%A9/",
            "/%7euser/", "/~user/", "/robots.txt/", "/?q=/", "/a?b/")
TAILS = ("", "x", "open/", "open", "f.pdf", "f.pdf?x=1", "?sessionid=1", "b/c/", "index.html", "q#frag", "#/open/",
         "%c3%a9", "\u00e9t\u00e9", "a/b/c/d", "x/1", "x/?sessionid=", "%3Fsessionid=", "#?sessionid=")


@pytest.fixture(params=["uncompiled", "compiled"])
def indexed(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Rule sets built with their index (a rule set answers from its scan until it has been used a while, and
    gives no verdict then)."""
    monkeypatch.setattr(_match, "FORCE_TIER", request.param)
    yield request.param


def _random_body(rng: random.Random) -> str:
    parts = ("a", "b", "ab", "/", "*", "$", "%41", "c/", "?", "=")
    lines = ["User-agent: *"]
    for _ in range(rng.randint(1, 14)):
        pattern = "/" + "".join(rng.choice(parts) for _ in range(rng.randint(0, 4)))
        if "$" in pattern[:-1]:
            pattern = pattern.replace("$", "") + ("$" if rng.random() < 0.3 else "")
        lines.append(("Allow: " if rng.random() < 0.4 else "Disallow: ") + pattern)
    return "\n".join(lines) + "\n"


def _paths(segment: str) -> list[str]:
    return [segment + tail for tail in TAILS] + [segment + a + b for a in ("a", "b", "/", "ab/")
                                                 for b in ("", "c", "$")]


def test_prefix_gate_is_every_path_s_answer(indexed: str) -> None:
    """Wherever a gate is given, every path under the prefix that holds none of its literals (nor, when it has
    some, a "%" or a non-ASCII character) gets its verdict from check_path and from is_allowed on the absolute
    URL, and a refusal's deciding rule is the prefix's own; gates of both verdicts, with and without literals,
    and no gate all occur."""
    rng = random.Random(12)
    bodies = [BODY] + [_random_body(rng) for _ in range(300)]
    seen: dict[object, int] = {}
    for body in bodies:
        matcher = RobotsPolicy.parse(body).matcher(UA)
        prefixes = list(SEGMENTS) + ["/" + a + "/" for a in ("a", "b", "ab", "aa", "c", "%41", "?")]
        for prefix in prefixes:
            gate = matcher.prefix_gate(prefix)
            kind = None if gate is None else (bool(gate[0]), bool(gate[1]), gate[2])
            seen[kind] = seen.get(kind, 0) + 1
            if gate is None:
                continue
            below, literals, verdict = gate
            rule = matcher.decide_path(prefix)[1]
            for path in _paths(prefix) + [head + "x" for head in below]:
                if (below or literals) and (not path.isascii() or "%" in path or any(k in path for k in literals)
                                            or path.startswith(below)):
                    continue
                assert matcher.check_path(path) is verdict, (body, prefix, path)
                assert is_allowed(body, UA, "http://h" + path) is verdict, (body, prefix, path)
                if not verdict:
                    assert matcher.decide_path(path)[1] is rule, (body, prefix, path)
    assert len(seen) == 9 and min(seen.values()) >= 10, seen  # below or not, literals or not, both verdicts


def test_check_under_is_check_path_under_its_prefix(indexed: str) -> None:
    """The check of the paths under a prefix (a bisect over the heads below it only) answers every path under it
    as check_path does, escapes, non-ASCII characters, fragments and heads below included."""
    rng = random.Random(13)
    bodies = [BODY] + [_random_body(rng) for _ in range(300)]
    answered = 0
    for body in bodies:
        matcher = RobotsPolicy.parse(body).matcher(UA)
        heads = [line.split(": ", 1)[1].split("*")[0].rstrip("$") for line in body.splitlines()[1:]]
        for prefix in list(SEGMENTS) + ["/" + a + "/" for a in ("a", "b", "ab", "aa", "c", "?")] + ["/a", "/b/a"]:
            check = matcher.check_under(prefix)
            if check is None:
                assert not prefix.isascii() or "%" in prefix
                continue
            for path in _paths(prefix) + [h + t for h in heads if h.startswith(prefix) for t in ("", "x", "/y")]:
                assert check(path) is matcher.check_path(path), (body, prefix, path)
                answered += 1
    assert answered > 10_000


@pytest.mark.parametrize("prefix", ["/", "/r", "/robots.", "/robots.txt", "/x\u00e9/", "/%7euser/", "/a#/", "x/", ""])
def test_prefix_gate_none_where_a_path_may_leave_the_prefix(indexed: str, prefix: str) -> None:
    """"/robots.txt" is always allowed, and normalising or cutting the fragment can take a path out from under a
    prefix: no verdict then, even where the rules alone would give one."""
    matcher = RobotsPolicy.parse("User-agent: *\nDisallow: /\n").matcher(UA)
    assert matcher.prefix_gate(prefix) is None
    assert matcher.prefix_gate("/a/") == ((), (), False)


def test_no_verdict_before_the_index_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_match, "FORCE_TIER", None)
    matcher = RobotsPolicy.parse(BODY).matcher(UA)
    assert matcher.tier == "scan" and matcher.prefix_gate("/free/") is None


def _urls() -> list[str]:
    return [f"https://a.example{segment}{tail}" for segment in SEGMENTS for tail in TAILS] + [
        "https://a.example/deep/", "https://a.example/deep/index.html", "https://a.example/private/open/x",
        "https://a.example/robots.txt", "https://a.example/robots.txt/x"]


def test_guard_answers_from_the_segment_table_as_is_allowed_and_explain(indexed: str) -> None:
    """Each URL three times (loaded, routed and learnt, then from the table): every answer and deciding line is
    the uncached Guard's and is_allowed's; the table holds all three kinds of entry."""
    guard = Guard.from_robots(UA, "other", {"https://a.example": BODY})
    urls = _urls()
    for url in urls:
        guard.check(url)
    for url in urls:
        first = Guard.from_robots(UA, "other", {"https://a.example": BODY}).check(url)
        assert first.allowed is is_allowed(BODY, UA, url), url
        for _ in range(3):
            again = guard.check(url)
            assert again.allowed is first.allowed, url
            assert again == first and again.reasons == first.reasons and again.to_dict() == first.to_dict(), url
    table = guard._segments
    # /private/open/ is allowed, /cart/x/ refused by a rule of its own: the segment's answer is for the others
    assert table["https://a.example/private/"].below == ("/private/open/",)
    assert table["https://a.example/cart/"].below == ("/cart/x/",)
    assert table["https://a.example/shop/"].literals is None  # "/shop/$": only the matcher knows
    # "/*?sessionid=" may refuse any path: the others answer as the segment does when they do not hold it
    assert table["https://a.example/free/"].literals == ("?sessionid=",)
    assert type(table["https://a.example/free/"].answer) is Routed
    assert table["https://a.example/carts/"].literals == ("?sessionid=",)
    assert type(table["https://a.example/carts/"].answer) is SegmentRefusal
    # one tuple per distinct literal set of the origin, whatever the segment
    assert table["https://a.example/carts/"].literals is table["https://a.example/free/"].literals
    # the matcher looks at the heads below the segment only
    assert table["https://a.example/shop/"].check is not table["https://a.example/shop/"].route._check


def test_a_segment_refusal_names_its_deciding_line(indexed: str) -> None:
    guard = Guard.from_robots(UA, "other", {"https://a.example": BODY})
    for _ in range(3):
        decision = guard.check("https://a.example/deep/x/y")
    # the Allow of /deep/index.html allows "/deep/$" too: that one path is the matcher's to answer
    assert guard._segments["https://a.example/deep/"].literals is None
    for _ in range(3):
        decision = guard.check("https://a.example/carts/1")
    assert type(guard._segments["https://a.example/carts/"].answer) is SegmentRefusal
    assert [(r.rule_id, r.line, r.text) for r in decision.reasons] == [("ROB-001", 5, "Disallow: /cart")]
    for _ in range(3):
        assert guard.check("https://a.example/cart/x/1").reasons[0].line == 9
        assert guard.check("https://a.example/cart/1").reasons[0].line == 5


def test_a_route_calls_the_matcher_s_index_once_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """A route is made while its matcher scans (no index yet); once the index is built, the route and the table
    call it directly, not through the scan's hand-over."""
    monkeypatch.setattr(_match, "FORCE_TIER", None)
    body = BODY + "".join(f"Disallow: /d{n}/\n" for n in range(200))  # a large file: it scans for a while
    guard = Guard.from_robots(UA, "other", {"https://a.example": body})
    guard.check("https://a.example/")
    guard.check("https://a.example/")  # loaded, then used: routed
    route = guard._routes["https://a.example"]
    matcher = guard._aliases["https://a.example"].matcher
    assert matcher.tier == "scan" and route._check is matcher.check_path
    scanned = route._check
    for n in range(5000):
        guard.check(f"https://a.example/s{n % 50}/x{n}")
        guard.check(f"https://a.example/t{n}")
    assert matcher.tier == "uncompiled" and route._check is matcher.check_path is not scanned
    assert all(t.check is not scanned for t in guard._segments.values() if type(t) is Through)


def test_segments_met_while_the_matcher_scans_are_learnt_once_its_index_is_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """A URL checked while its origin's matcher scans (no index yet, so no gates) waits for the index: once it is
    built, the waiting URLs are checked again through the table, a few per URL the table does not answer, so their
    segments (deeper ones too) are in the table before those URLs come again; every answer exact throughout."""
    from scrapecheck.guard import _guard

    monkeypatch.setattr(_match, "FORCE_TIER", None)
    body = DEEP + "".join(f"Disallow: /d{n}/\n" for n in range(200))  # a large file: it scans for a while
    guard = Guard.from_robots(UA, "other", {"https://a.example": body})
    guard.check("https://a.example/")
    guard.check("https://a.example/")  # loaded, then used: routed
    matcher = guard._aliases["https://a.example"].matcher
    early = [f"https://a.example/e{n}/x?q" for n in range(_guard._REPLAY + 5)] + [
        "https://a.example/many/x/a3/1", "https://a.example/many/y3/2", "https://a.example/many/ok/z.pdf",
        "https://a.example/d7/x", "https://a.example/leaf?x=1"]
    assert len(early) > _guard._REPLAY  # replayed over more than one URL
    checked = 0
    for url in early:
        assert guard.check(url).allowed is is_allowed(body, UA, url), url
    assert matcher.tier == "scan" and not guard._segments
    while matcher.tier == "scan":
        url = f"https://a.example/t/{checked}"
        assert guard.check(url).allowed is is_allowed(body, UA, url), url
        checked += 1
    assert [len(w) for w in guard._waiting.values()] == [len(early) + checked]  # (the last one built the index)
    for n in range((len(early) + checked) // _guard._REPLAY + 1):  # each adds a key: replays some waiting URLs
        url = f"https://a.example/u{n}/"
        assert guard.check(url).allowed is is_allowed(body, UA, url), url
    assert not guard._waiting
    keys = {"https://a.example/e0/", f"https://a.example/e{_guard._REPLAY + 4}/", "https://a.example/many/x/a3/",
            "https://a.example/many/y3/", "https://a.example/many/ok/", "https://a.example/d7/", "https://a.example/leaf"}
    assert keys <= set(guard._segments)
    for url in early:
        assert guard.check(url).allowed is is_allowed(body, UA, url), url


def test_the_waiting_urls_leave_with_their_origin_s_routes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_match, "FORCE_TIER", "scan")  # never an index
    body = "User-agent: *\nDisallow: /x/\n"
    guard = Guard.from_robots(UA, "other", {"https://a.example": body, "https://b.example": body}, max_origins=1)
    for n in range(3):
        guard.check(f"https://a.example/s{n}/")
    assert [len(w) for w in guard._waiting.values()] == [1]  # (the first URL loads it, the second marks it used)
    guard.check("https://b.example/s/")  # a leaves
    assert not guard._waiting
    guard.check("https://b.example/s/")
    guard.check("https://b.example/" + "s" * 2000)  # too long to be kept
    assert not guard._waiting
    guard.check("https://b.example/s/1")
    assert [len(w) for w in guard._waiting.values()] == [1]
    guard.clear()
    assert not guard._waiting


def test_the_waiting_urls_of_all_origins_are_bounded_in_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the URLs and the number of origins still scanning, the waiting URLs hold at most _MAX_WAITING_CHARS
    characters over the whole Guard; what leaves (eviction, replay, clear) gives its room back; answers stay exact."""
    from scrapecheck.guard import _guard

    monkeypatch.setattr(_match, "FORCE_TIER", "scan")  # never an index: every routed URL would wait
    monkeypatch.setattr(_guard, "_MAX_WAITING_CHARS", 200)
    body = "User-agent: *\nDisallow: /x/\n"
    origins = [f"https://s{n}.example" for n in range(6)]
    guard = Guard.from_robots(UA, "other", dict.fromkeys(origins, body), max_origins=4)

    def held() -> int:
        assert guard._waiting_chars == sum(len(url) for urls in guard._waiting.values() for url in urls)
        return guard._waiting_chars

    for n in range(60):  # three origins cached and routed: their URLs wait, until the budget is spent
        url = f"{origins[n % 3]}/{'x' if n % 3 == 0 else 'p'}/{n}"
        assert guard.check(url).allowed is is_allowed(body, UA, url), url
        assert held() <= 200
    full = held()
    assert full > 200 - 30 and len(guard._waiting) == 3
    for origin in origins[3:]:  # three more: two of the first evicted, their waiting URLs with them
        for n in range(3):
            guard.check(f"{origin}/p/{n}")
            assert held() <= 200
    assert len(guard._waiting) <= 4 and held() < full + 3 * 30
    guard.clear()
    assert held() == 0 and not guard._waiting


def test_past_a_few_keys_the_url_that_adds_one_is_answered_through_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once an origin has more than _SETTLE_AFTER keys, the URL that adds a key is answered through its new entry
    (exactly), so what that entry builds on first use (a literal check's state) is built then: the same URLs again
    build nothing. Below it, the matcher answers that URL and the state waits for another."""
    from scrapecheck.guard._guard import _SETTLE_AFTER

    monkeypatch.setattr(_match, "FORCE_TIER", "uncompiled")
    builds: list[str] = []
    original = _match.RuleSet._literal_tests

    def counted(self: _match.RuleSet, prefix: str, *args: object, **kwargs: object) -> object:
        builds.append(prefix)
        return original(self, prefix, *args, **kwargs)

    monkeypatch.setattr(_match.RuleSet, "_literal_tests", counted)
    guard = Guard.from_robots(UA, "other", {"https://a.example": BODY})
    urls = [f"https://a.example/s{n}/x?sessionid={n}" for n in range(3 * _SETTLE_AFTER)]  # refused: /*?sessionid=
    guard.check(urls[0])
    guard.check(urls[0])  # loaded, then used: routed
    for url in urls:
        first = guard.check(url)
        assert first.allowed is is_allowed(BODY, UA, url) is False, url
        assert first.reasons == Guard.from_robots(UA, "other", {"https://a.example": BODY}).check(url).reasons
    assert len(guard._segments) == len(urls) and all(type(guard._segments[u[:u.index("x?")]]) is Through for u in urls)
    builds.clear()
    for url in urls[_SETTLE_AFTER + 1:]:
        assert guard.check(url).allowed is False, url
    assert builds == []
    for url in urls[: _SETTLE_AFTER - 1]:
        assert guard.check(url).allowed is False, url
    assert builds == [f"/s{n}/" for n in range(_SETTLE_AFTER - 1)]  # their first URL is this one


MANY = "User-agent: *\nAllow: /many/ok/\nDisallow: /*.pdf$\n" + "".join(f"Disallow: /many/a{n}\n" for n in range(12))


def test_a_segment_with_many_heads_below_is_looked_up_by_two(indexed: str) -> None:
    """Under a segment with many heads below it, URLs are answered by their first two segments, exactly."""
    guard = Guard.from_robots(UA, "other", {"https://a.example": MANY})
    urls = [f"https://a.example/many/{seg}{tail}" for seg in ("x/", "ok/", "a3/", "a1/", "a11/", "a1x/", "", "b")
            for tail in ("", "1", "1.pdf", "1.pdf?q", "y/z", "%41", "\u00e9")]
    for url in urls:
        guard.check(url)
    for url in urls:
        first = Guard.from_robots(UA, "other", {"https://a.example": MANY}).check(url)
        assert first.allowed is is_allowed(MANY, UA, url), url
        for _ in range(3):
            again = guard.check(url)
            assert again.allowed is first.allowed and again.reasons == first.reasons, url
    table = guard._segments
    assert table["https://a.example/many/"].deeper
    assert table["https://a.example/many/x/"].literals == (".pdf",)
    assert type(table["https://a.example/many/a3/"]) is SegmentRefusal  # /many/a3 outranks /*.pdf$
    assert type(table["https://a.example/many/ok/"]) is Routed


def test_segments_per_origin_are_bounded(indexed: str) -> None:
    from scrapecheck.guard._guard import _EXTRA_PER_LEAF, _MAX_LEAVES, _MAX_SEGMENTS

    guard = Guard.from_robots(UA, "other", {"https://a.example": BODY})
    for n in range(3 * _MAX_SEGMENTS):
        assert guard.check(f"https://a.example/s{n}/x").allowed
        assert guard.check(f"https://a.example/cart{n}/x").allowed is False
    heads = RobotsPolicy.parse(BODY).matcher(UA).heads_below("")  # one key more per literal head of the rules
    assert heads == 14  # BODY's 14 rules and the /deep/$ derived from /deep/index.html (head /deep/ too)
    assert guard._entries["https://a.example"].caps == (_MAX_SEGMENTS + 14, _MAX_LEAVES + 14 // _EXTRA_PER_LEAF, True)
    assert len(guard._segments) == _MAX_SEGMENTS + heads


def test_an_origin_with_many_heads_gets_a_larger_table_within_a_bound(indexed: str,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """One more key per literal head of its rules (a site with many heads has as many segments with answers of their
    own), at most _MAX_EXTRA_SEGMENTS more: its URLs beyond that still get the matcher's answer."""
    from scrapecheck.guard import _guard

    monkeypatch.setattr(_guard, "_MAX_SEGMENTS", 10)
    monkeypatch.setattr(_guard, "_MAX_LEAVES", 4)
    monkeypatch.setattr(_guard, "_MAX_EXTRA_SEGMENTS", 30)
    for heads, caps in ((20, (30, 4 + 20 // 3)), (50, (40, 4 + 30 // 3))):
        body = "User-agent: *\n" + "".join(f"Disallow: /h{n}/x\n" for n in range(heads))
        guard = Guard.from_robots(UA, "other", {"https://a.example": body})
        matcher = RobotsPolicy.parse(body).matcher(UA)
        for n in range(100):
            for path in (f"/h{n}/x/1", f"/h{n}/y", f"/n{n}", f"/h{n}/x/2#f"):
                for _ in range(2):
                    assert guard.check("https://a.example" + path).allowed is matcher.check_path(path), path
        entry = guard._entries["https://a.example"]
        assert entry.caps == (*caps, True)
        assert len(guard._segments) == len(entry.segments) == caps[0] and entry.leaves == caps[1]


def test_segments_leave_with_their_origin_s_routes(indexed: str) -> None:
    """The eviction takes an origin's segments back with its routes (so a use through the table is seen, as one
    through a route is), and drops them with the origin; an origin used only through its segments stays."""
    bodies = {f"https://{h}.example": "User-agent: *\nDisallow: /x/\n" for h in "abcdef"}
    guard = Guard.from_robots(UA, "other", bodies, max_origins=2)
    guard.check("https://a.example/s/1")  # loaded: not yet a use
    guard.check("https://b.example/s/1")
    for n, newcomer in enumerate("cdef"):
        for path in ("/s/2", "/x/3", "/s/4", "/x/5"):  # a used again (the slow path, its route, its segments)
            guard.check(f"https://a.example{path}{n}")
        assert any(key.startswith("https://a.example/") for key in guard._segments)
        assert guard.fetches == 2 + n  # a was still cached
        guard.check(f"https://{newcomer}.example/s/1")  # the other origin leaves, never a
        assert guard.fetches == 3 + n and len(guard) == 2
        cached = {e.origin for e in guard._entries.values()}
        assert {key.split("/s/")[0].split("/x/")[0] for key in guard._segments} <= cached
    assert not guard.check("https://a.example/x/y").allowed and guard.fetches == 6
    guard.clear()
    assert not guard._segments


def test_a_stale_origin_is_not_answered_from_its_segments(web: Web, monkeypatch: pytest.MonkeyPatch) -> None:
    from .test_guard import Clock, live

    monkeypatch.setattr(_match, "FORCE_TIER", "uncompiled")
    web.robots("User-agent: *\nDisallow: /a/\n")
    clock = Clock()
    guard = live(clock=clock, cache_ttl=100)
    for _ in range(3):
        assert not guard.check(f"{web.origin}/a/1").allowed
        assert guard.check(f"{web.origin}/b/1").allowed
    assert len(guard._segments) == 2
    web.robots("User-agent: *\nDisallow: /b/\n")
    clock.now += 101
    for _ in range(3):
        assert guard.check(f"{web.origin}/a/1").allowed
        assert not guard.check(f"{web.origin}/b/1").allowed
    assert len(web.paths()) == 2


LEAVES = ("/cart", "/cart?x=1", "/cart#f", "/cartx", "/carts?sessionid=1#f", "/free", "/free?sessionid=2", "/free#?sessionid=",
          "/shop", "/shop?", "/robots.txt", "/robots.txt?x", "/robots", "/", "/?a", "/#b", "/deep", "/deepx?y",
          "/x%C3%A9", "/x\u00e9", "/%7Euser", "/a#b?c", "/a?b#c", "/private", "/private?x", "/docs.pdf", "/docs?x.pdf")


def test_a_path_s_last_segment_is_looked_up_by_its_name(indexed: str) -> None:
    """A URL with no "/" after its first segment's name is answered by that name (a leaf: "/name", without its
    query and fragment) where robots.txt gives every path starting with it one answer; exactly as is_allowed and
    an uncached Guard, deciding line included."""
    guard = Guard.from_robots(UA, "other", {"https://a.example": BODY})
    urls = [f"https://a.example{path}" for path in LEAVES]
    for url in urls:
        guard.check(url)
    for url in urls:
        first = Guard.from_robots(UA, "other", {"https://a.example": BODY}).check(url)
        assert first.allowed is is_allowed(BODY, UA, url), url
        for _ in range(3):
            again = guard.check(url)
            assert again.allowed is first.allowed, url
            assert again == first and again.reasons == first.reasons and again.to_dict() == first.to_dict(), url
    table = guard._segments
    assert type(table["https://a.example/cart"].answer) is SegmentRefusal
    assert table["https://a.example/cart"].below == ("/cart/x/",)
    assert table["https://a.example/free"].literals == ("?sessionid=",)
    assert type(table["https://a.example/free"].answer) is Routed
    # no gate: a name with "#" in it: the matcher decides each
    assert type(table["https://a.example/a#b"]) is Through and table["https://a.example/a#b"].literals is None
    # "/robots.txt" itself (always allowed) and the root "/" (its URLs: "/", "/?query", "/#fragment"): allowed, and the
    # gate of the name and a "?" serves the rest
    for key in ("https://a.example/robots.txt", "https://a.example/"):
        assert type(table[key]) is Through and table[key].literals == ("?sessionid=",), key


def test_leaves_per_origin_are_bounded(indexed: str) -> None:
    from scrapecheck.guard._guard import _MAX_SEGMENTS

    guard = Guard.from_robots(UA, "other", {"https://a.example": BODY})
    for n in range(3 * _MAX_SEGMENTS):
        assert guard.check(f"https://a.example/n{n}?q").allowed
        assert guard.check(f"https://a.example/cart{n}").allowed is False
    most, leaves, _ = guard._entries["https://a.example"].caps
    assert len(guard._segments) == leaves and guard._entries["https://a.example"].leaves == leaves
    for n in range(3 * _MAX_SEGMENTS):  # segments still have room
        assert guard.check(f"https://a.example/s{n}/x").allowed
    assert len(guard._segments) == most


DEEP = ("User-agent: *\nAllow: /many/ok/\nDisallow: /*.pdf$\n" + "".join(f"Disallow: /many/x/a{n}\n" for n in range(12))
        + "".join(f"Disallow: /many/y{n}/\n" for n in range(12)) + "Disallow: /many/x/b/\n")


def test_a_segment_with_many_heads_below_is_looked_up_deeper(indexed: str) -> None:
    """One segment deeper at each level with many heads below it, the last one by its name, exactly; a URL that
    ends at a deeper segment's "/" (or has only a query or fragment after it) is that segment's own."""
    guard = Guard.from_robots(UA, "other", {"https://a.example": DEEP})
    urls = [f"https://a.example/many/{seg}{tail}"
            for seg in ("x/", "x/a3/", "x/a1", "x/a11/", "x/b/", "x/bb/", "x/c/d/", "y3/", "y3", "ok/", "", "z")
            for tail in ("", "1", "1.pdf", "1.pdf?q", "y/z", "%41", "\u00e9", "?q", "#f", "?q/r", "#f/g")]
    for url in urls:
        guard.check(url)
    for url in urls:
        first = Guard.from_robots(UA, "other", {"https://a.example": DEEP}).check(url)
        assert first.allowed is is_allowed(DEEP, UA, url), url
        for _ in range(3):
            again = guard.check(url)
            assert again.allowed is first.allowed and again.reasons == first.reasons, url
    table = guard._segments
    assert table["https://a.example/many/"].deeper and table["https://a.example/many/x/"].deeper
    assert table["https://a.example/many/x/c/"].literals == (".pdf",)
    assert type(table["https://a.example/many/x/b/"]) is SegmentRefusal
    assert type(table["https://a.example/many/y3/"]) is SegmentRefusal
    leaf = table["https://a.example/many/x/a1"]  # a leaf: refused by /many/x/a1, but for those of /many/x/a1[01]
    assert type(leaf.answer) is SegmentRefusal and leaf.below == ("/many/x/a10", "/many/x/a11")


def test_gate_literals_are_shared_within_an_origin_only(indexed: str) -> None:
    """Segments of one origin with equal gate literals hold one tuple; another origin with the same robots.txt keeps
    its own (no state shared between sites because their rules are equal)."""
    guard = Guard.from_robots(UA, "other", {"https://a.example": BODY, "https://b.example": BODY})
    for _ in range(3):
        for host in ("a", "b"):
            for segment in ("free", "carts"):
                guard.check(f"https://{host}.example/{segment}/x")
    table = guard._segments
    a, b = table["https://a.example/free/"].literals, table["https://b.example/free/"].literals
    assert a == b == ("?sessionid=",) and a is not b
    assert table["https://b.example/carts/"].literals is b
    guard.clear()
    assert not guard._segments
