"""The scan that answers ``check`` before a rule set's index is built (issue 10: cold cost per origin) gives
the index's answers: on the corpus, on generated rule sets, and across the hand-over to the index."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrapecheck.robots import RobotsPolicy, Rule, _match
from scrapecheck.robots._match import RuleSet

from .reference import allowed as reference_allowed

CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "robots" / "corpus"
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
AGENTS = ("Googlebot", "GPTBot", "UnknownBot")


def _scanning(rules: list[Rule]) -> RuleSet:
    saved, _match.FORCE_TIER = _match.FORCE_TIER, "scan"
    try:
        ruleset = RuleSet(rules)
    finally:
        _match.FORCE_TIER = saved
    assert ruleset.tier == "scan"
    return ruleset


def _indexed(rules: list[Rule]) -> RuleSet:
    ruleset = RuleSet(rules)
    ruleset._index()
    assert ruleset.tier in ("uncompiled", "compiled")
    return ruleset


PATTERN = st.text(alphabet="/ab*$.?=", max_size=7)
PATHS = st.lists(st.text(alphabet="/ab$.?=#%", max_size=9).map(lambda p: "/" + p), min_size=1, max_size=6)


@SETTINGS
@given(st.lists(st.tuples(st.booleans(), PATTERN.map(lambda p: p + "/index.html" * (p == "/a"))), max_size=14), PATHS)
def test_scan_answers_as_the_index(rules: list[tuple[bool, str]], paths: list[str]) -> None:
    built = [Rule(allow, pattern, line, "") for line, (allow, pattern) in enumerate(rules, 2)]
    scanning, indexed = _scanning(built), _indexed(built)
    robots = "User-agent: *\n" + "".join(f"{'Allow' if a else 'Disallow'}: {p}\n" for a, p in rules)
    for path in paths + ["/robots.txt"]:
        expected = indexed.check("http://h" + path)
        assert scanning.check("http://h" + path) is expected, path
        assert scanning.check_path(path) is expected, path
        if "#" not in path and "%" not in path:
            assert expected is reference_allowed(robots, "x", "http://h" + path)[0], path


def _paths(policy: RobotsPolicy) -> list[str]:
    """Paths made from the file's own patterns (each rule matched and just missed), and a few others."""
    out = ["/", "/robots.txt", "/x", "/index.html", "/a/b?c=d", "/caf%c3%a9", "/%7Euser/"]
    for line in policy.lines:
        key, _, value = line.partition(":")
        if key.strip().lower() in ("allow", "disallow"):
            concrete = value.split("#")[0].strip().replace("*", "x").rstrip("$")
            if concrete.startswith("/"):
                out += [concrete, concrete + "z", concrete[:-1], concrete + "/index.html"]
    return [p for p in out if p.startswith("/")]  # check_path's contract


def test_scan_answers_as_the_index_on_the_corpus() -> None:
    for file in sorted(CORPUS.glob("*.txt")):
        body = file.read_bytes()
        scanning = RobotsPolicy.parse(body)
        saved, _match.FORCE_TIER = _match.FORCE_TIER, "scan"
        try:  # rule sets are built when first used: here
            scans = [scanning.matcher(agent) for agent in AGENTS]
        finally:
            _match.FORCE_TIER = saved
        indexed = RobotsPolicy.parse(body)
        paths = _paths(indexed)
        for agent, scan in zip(AGENTS, scans):
            index = indexed.matcher(agent)
            index._index()
            for path in paths:
                expected = index.check_path(path)
                assert scan.check("https://example.com" + path) is expected, (file.name, agent, path)
                assert scan.check_path(path) is expected, (file.name, agent, path)
            assert scan.tier == "scan" or scan is _match.EMPTY, file.name  # EMPTY is shared


def test_the_scan_hands_over_to_the_index_once_its_budget_is_spent(monkeypatch) -> None:
    """A rule set scans first, then builds its index; callables bound before keep answering, and alike."""
    monkeypatch.setattr(_match, "_SCAN_MIN_RULES", 0)  # scan more than the first check
    body = (CORPUS / "www.kddi.com.txt").read_bytes()
    policy, reference = RobotsPolicy.parse(body), RobotsPolicy.parse(body)
    matcher = policy.matcher("Googlebot")
    check, check_path = matcher.check, matcher.check_path  # bound while scanning
    assert matcher.tier == "scan"
    expected = reference.matcher("Googlebot")
    expected._index()
    paths = _paths(reference) * 40
    tiers = set()
    for n, path in enumerate(paths):
        tiers.add(matcher.tier)
        want = expected.check_path(path)
        assert (check(f"https://h{n % 3}.example{path}") if n % 2 else check_path(path)) is want, path
    assert tiers >= {"scan", "uncompiled"}  # it switched on its own, within these checks
    assert matcher.check is not check  # from then on the index answers directly


def test_decide_builds_the_index_and_the_scan_hands_over() -> None:
    policy = RobotsPolicy.parse("User-agent: *\nDisallow: /a\nAllow: /a/b$\nDisallow: /*.pdf$\n")
    matcher = policy.matcher("x")
    check = matcher.check
    assert matcher.tier == "scan" and check("https://h/a/c") is False
    assert matcher.decide("https://h/a/b")[0] is True
    assert matcher.tier == "uncompiled"
    assert [check(u) for u in ("https://h/a/b", "https://h/a/c", "https://h/x.pdf", "https://h/x")] == [True, False, False, True]


def test_a_check_with_many_globs_to_test_hands_over_to_the_index(monkeypatch) -> None:
    """The scan tests every candidate glob on the whole path; with many (10,000 ``/*word`` rules and a 64 KB
    URL took 390 ms a check, for ~16,000 checks before the budget ran out) the index answers instead: it picks
    candidates by anchors and q-grams. Issue 10: every later check under 50 ms on files within 500 KiB."""
    words = [f"w{n:03d}x" for n in range(200)]
    policy = RobotsPolicy.parse("User-agent: *\n" + "".join(f"Disallow: /*{w}\n" for w in words))
    matcher = policy.matcher("x")
    assert matcher.tier == "scan"
    long_path = "/" + "/".join(["a", "b"] * 3000)
    assert matcher.check_path(long_path) is True  # every glob is a candidate: the index answers
    assert matcher.tier != "scan"
    assert matcher.check_path(long_path + words[7]) is False
    monkeypatch.setattr(_match, "_SCAN_MIN_RULES", 0)
    few = RobotsPolicy.parse("User-agent: *\n" + "".join(f"Disallow: /*{w}\n" for w in words[:8])).matcher("x")
    assert few.check_path(long_path) is True and few.tier == "scan"  # a few globs: the scan answers


def test_scan_charges_its_glob_tests_to_the_budget(monkeypatch) -> None:
    """A glob test costs more than a lookup: a rule set whose checks all test globs builds its index sooner."""
    monkeypatch.setattr(_match, "_SCAN_MIN_RULES", 0)
    plain = RobotsPolicy.parse("User-agent: *\n" + "".join(f"Disallow: /p{n}\n" for n in range(10))).matcher("x")
    globs = RobotsPolicy.parse("User-agent: *\n" + "".join(f"Disallow: /*.e{n}\n" for n in range(10))).matcher("x")
    counts = []
    for matcher in (plain, globs):
        n = 0
        while matcher.tier == "scan" and n < 100_000:
            matcher.check_path(f"/p/{n}.x")
            n += 1
        counts.append(n)
    assert counts[1] < counts[0] / 2, counts


def test_the_scan_tests_no_glob_that_cannot_outrank_the_best_plain_match(monkeypatch) -> None:
    """The longest plain pattern prefixing the path is found first (dict lookups, longest first); a glob whose
    pattern is not longer is then never tested. With no glob test allowed, a check that tested one would hand
    over to the index: this one stays in the scan, and answers as Google does."""
    monkeypatch.setattr(_match, "_SCAN_MAX_TESTS", 0)
    monkeypatch.setattr(_match, "_SCAN_MIN_RULES", 0)
    policy = RobotsPolicy.parse("User-agent: *\nDisallow: /abcdefgh\nAllow: /a*x\nAllow: /abc$\nDisallow: /zz*q\n")
    matcher = policy.matcher("x")
    assert matcher.tier == "scan"
    assert matcher.check_path("/abcdefgh/x") is False  # /abcdefgh (9 octets) outranks /a*x (4)
    assert matcher.check("https://h/abcdefgh?x") is False
    assert matcher.tier == "scan"  # no glob was tested
    assert matcher.check_path("/zz/q") is False  # only a glob can match: it must be tested, by the index
    assert matcher.tier != "scan"


def test_the_scan_ranks_an_allow_above_a_disallow_of_the_same_pattern() -> None:
    for rules in ("Disallow: /a\nAllow: /a\n", "Allow: /a\nDisallow: /a\n", "Disallow: /a\nAllow: /a\nDisallow: /a\n"):
        scanning = _scanning([Rule(line.startswith("Allow"), line.split(": ")[1], n, line)
                              for n, line in enumerate(rules.splitlines(), 2)])
        assert scanning.check_path("/a/b") is True, rules
        assert reference_allowed("User-agent: *\n" + rules, "x", "http://h/a/b")[0] is True


@SETTINGS
@given(st.lists(st.tuples(st.booleans(), PATTERN.map(lambda p: p + "/index.html" * (p == "/a"))), max_size=14), PATHS)
def test_the_first_check_of_a_small_rule_set_answers_as_the_index(rules: list[tuple[bool, str]],
                                                                   paths: list[str]) -> None:
    """A rule set of at most ``_SCAN_MIN_RULES`` rules answers its first check straight from its columns (nothing
    set up), then builds its index: each fresh rule set's first answer is the index's."""
    built = [Rule(allow, pattern, line, "") for line, (allow, pattern) in enumerate(rules, 2)]
    indexed = _indexed(built)
    for path in paths + ["/robots.txt"]:
        expected = indexed.check_path(path)
        first = RuleSet(built)
        assert first.tier == "scan"
        assert first.check_path(path) is expected, path
        assert RuleSet(built).check("http://h" + path) is expected, path


def test_a_small_rule_set_builds_its_index_on_its_second_check_and_a_large_one_keeps_scanning() -> None:
    small = RobotsPolicy.parse("User-agent: *\nDisallow: /a\nAllow: /a/b*c$\n").matcher("x")
    assert small.check("https://h/a/bxc") is True and small.tier == "scan"  # the first check: no index yet
    assert small.check("https://h/a/b") is False and small.tier != "scan"
    count = _match._SCAN_MIN_RULES + 1
    large = RobotsPolicy.parse("User-agent: *\n" + "".join(f"Disallow: /p{n}/\n" for n in range(count))).matcher("x")
    for n in range(20):
        assert large.check_path(f"/p{n}/x") is False and large.check_path(f"/q{n}") is True
    assert large.tier == "scan"
