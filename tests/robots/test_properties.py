"""Property tests: both matcher tiers (uncompiled and compiled regex) equal a literal re-statement of
Google's algorithm, and the parser never raises."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrapecheck.robots import RobotsPolicy, _match

from .reference import allowed as reference_allowed
from .reference import matches as reference_matches

SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEYS = st.sampled_from(
    ["User-agent", "user-agent", "useragent", "user agent", "Allow", "allow", "Disallow", "disalow",
     "dissallow", "Sitemap", "crawl-delay", "foo", "", "user", "Disallow /x"]
)
AGENTS = st.sampled_from(["*", "FooBot", "foobot", "Foo", "Foo Bar", "FooBot/1.2", "BarBot", "* x", "*x", ""])
PATTERN = st.text(alphabet="/ab*$%é?.", max_size=8)
SEP = st.sampled_from([": ", ":", " ", "\t", " : ", "  "])
EOL = st.sampled_from(["\n", "\r\n", "\r"])


@st.composite
def robots_files(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 10))):
        key = draw(KEYS)
        value = draw(AGENTS) if "agent" in key.lower() else draw(PATTERN)
        line = key + draw(SEP) + value
        if draw(st.booleans()) and draw(st.booleans()):
            line += " # note"
        lines.append(line)
    return draw(EOL).join(lines)


URL_PATHS = st.text(alphabet="/ab$%?.é#", max_size=8)
URL_FORMS = st.sampled_from(
    ["http://h.example{}", "https://h.example{}", "{}", "h.example{}", "//h{}", "HTTP://h{}", "http://h{}#f"]
)


TIERS = ("uncompiled", "compiled", "grams", "scan")


@contextmanager
def tier(name: str) -> Iterator[None]:
    """Rule sets built inside start in (and keep to) the named tier."""
    saved = _match.FORCE_TIER
    _match.FORCE_TIER = name
    try:
        yield
    finally:
        _match.FORCE_TIER = saved


def _parse_in(name: str, robots: str, agent: str) -> RobotsPolicy:
    with tier(name):
        policy = RobotsPolicy.parse(robots)
        ruleset = policy._resolve(policy._group_indexes(agent))[1]
    # The tier asked for is the one that runs (a regex can always be built for these small files), unless there is
    # nothing to match: no rule (it may be the shared empty set, built before the tier was forced) or only rules
    # that match nothing (an empty Allow), which any tier answers alike.
    if ruleset.rules and getattr(ruleset, "_ordered", True):
        assert ruleset.tier == name
    return policy


@SETTINGS
@given(robots_files(), st.sampled_from(["FooBot", "foo", "BarBot", "Qux", "Foo Bar/2", "*", "", "Mozilla/5.0 (compatible; FooBot/1)"]), URL_FORMS, URL_PATHS)
def test_matches_reference_algorithm(robots: str, agent: str, form: str, path: str) -> None:
    url = form.format(path)
    expected, line = reference_allowed(robots, agent, url)
    for name in TIERS:
        policy = _parse_in(name, robots, agent)
        assert policy.is_allowed(agent, url) is expected, name
        verdict = policy.explain(agent, url)
        assert verdict.allowed is expected, name
        assert (verdict.line or 0) == line, name


@SETTINGS
@given(st.lists(st.tuples(st.booleans(), st.text(alphabet="/ab*$", max_size=7)), max_size=12),
       st.text(alphabet="/ab$", max_size=10))
def test_many_rules_match_reference(rules: list[tuple[bool, str]], path: str) -> None:
    """Many rules sharing heads exercise the prefix chain and the candidate order of the first tier."""
    robots = "User-agent: *\n" + "".join(f"{'Allow' if a else 'Disallow'}: {p}\n" for a, p in rules)
    url = "http://h/" + path
    expected, line = reference_allowed(robots, "x", url)
    for name in TIERS:
        policy = _parse_in(name, robots, "x")
        assert policy.is_allowed("x", url) is expected, name
        assert (policy.explain("x", url).line or 0) == line, name


@SETTINGS
@given(st.text(alphabet="/ab*$", max_size=10), st.text(alphabet="/ab$", max_size=10))
def test_pattern_matching_reference(pattern: str, path: str) -> None:
    path = "/" + path
    expected = reference_matches(path, pattern)
    robots = f"User-agent: *\nDisallow: {pattern}\n"
    for name in TIERS:
        # An empty pattern matches with length 0 and never decides.
        assert _parse_in(name, robots, "x").is_allowed("x", "http://h" + path) is (not expected or pattern == ""), name


@SETTINGS
@given(st.binary(max_size=400), st.text(max_size=40))
def test_parse_never_raises_on_bytes(data: bytes, url: str) -> None:
    policy = RobotsPolicy.parse(data)
    policy.is_allowed("FooBot", url)
    policy.explain("FooBot", url)
    policy.crawl_delay("FooBot")
    policy.request_rate("FooBot")


@SETTINGS
@given(st.text(max_size=400), st.text(max_size=30), st.text(max_size=40))
def test_parse_never_raises_on_text(text: str, agent: str, url: str) -> None:
    policy = RobotsPolicy.parse(text)
    assert isinstance(policy.is_allowed(agent, url), bool)
    policy.group_for(agent)
    policy.names_agent(agent)


def test_lone_surrogates_do_not_raise() -> None:
    policy = RobotsPolicy.parse("User-agent: *\nDisallow: /\udcff\ud800\n")
    assert policy.is_allowed("x", "/a")
    assert isinstance(policy.is_allowed("x", "/\ud800"), bool)


def _same_structure(policy: RobotsPolicy) -> None:
    """The fast structural pass (parse) and the full line-by-line read agree on every group: its agents,
    their lines, and its rules (lines, kind, value)."""
    from scrapecheck.robots._policy import _ALLOW, _DISALLOW, _key_value

    builders = policy._read_all()[0]
    assert len(builders) == len(policy._skeletons)
    for skeleton, builder in zip(policy._skeletons, builders):
        assert skeleton.agents == builder.agents
        assert skeleton.agent_lines == builder.agent_lines
        rules = []
        for number in skeleton.rule_lines:
            found = _key_value(policy._raw_lines[number - 1])
            if found is not None and found[0] <= _DISALLOW:
                rules.append((found[0] == _ALLOW, found[1], number))
        assert rules == builder.rules


LINE_PARTS = st.sampled_from(["User-agent", "USER-AGENT", "user agent", "useragentX", "Allow", "ALLOW", "Disallow",
                              "disallowed", "dissalow", "Sitemap", "crawl-delay", "#", "\x00", " ", "\t", "\x0b",
                              ":", " : ", "/a", "*", "FooBot", "x y", "é", "\xc0llow", "Ä"])


@SETTINGS
@given(robots_files())
def test_fast_structure_equals_full_read(robots: str) -> None:
    _same_structure(RobotsPolicy.parse(robots))


@SETTINGS
@given(st.lists(st.lists(LINE_PARTS, max_size=5).map("".join), max_size=12), EOL)
def test_fast_structure_equals_full_read_on_odd_lines(lines: list[str], eol: str) -> None:
    _same_structure(RobotsPolicy.parse(eol.join(lines)))


@SETTINGS
@given(st.binary(max_size=300))
def test_fast_structure_equals_full_read_on_bytes(data: bytes) -> None:
    _same_structure(RobotsPolicy.parse(data))


def test_fast_structure_equals_full_read_on_the_corpus() -> None:
    from pathlib import Path

    corpus = Path(__file__).resolve().parents[2] / "benchmarks" / "robots" / "corpus"
    files = sorted(corpus.glob("*.txt"))
    assert len(files) >= 40
    for path in files:
        _same_structure(RobotsPolicy.parse(path.read_bytes()))
