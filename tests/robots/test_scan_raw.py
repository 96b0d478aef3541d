"""A larger rule set's first checks (issue 10: cold cost, and a 64 KB URL checked in protego's time) are answered
before the scan builds its lookups: one ``str.startswith`` pass over the rules' literal heads, then each candidate
matched; and on a long path a glob is first ruled out by looking for its segments' rarest characters. Each answer
is the index's."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scrapecheck.robots import RobotsPolicy, Rule, _match
from scrapecheck.robots._match import RuleSet, _lacks, _rarest

CORPUS = Path(__file__).resolve().parents[2] / "benchmarks" / "robots" / "corpus"
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.function_scoped_fixture])
AGENTS = ("Googlebot", "GPTBot", "UnknownBot")

PATTERN = st.text(alphabet="/ab*$.?=", max_size=7)
PATHS = st.lists(st.text(alphabet="/ab$.?=#%*", max_size=12).map(lambda p: "/" + p), min_size=1, max_size=6)


@pytest.fixture
def raw_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every rule set takes the larger rule sets' way, and every path of more than 4 characters is long."""
    monkeypatch.setattr(_match, "_SCAN_MIN_RULES", 0)
    monkeypatch.setattr(_match, "_LONG_PATH", 4)


def _indexed(rules: list[Rule]) -> RuleSet:
    ruleset = RuleSet(rules)
    ruleset._index()
    return ruleset


@SETTINGS
@given(st.lists(st.tuples(st.booleans(), PATTERN.map(lambda p: p + "/index.html" * (p == "/a"))), max_size=14), PATHS)
def test_the_first_checks_answer_as_the_index(raw_first: None, rules: list[tuple[bool, str]], paths: list[str]) -> None:
    built = [Rule(allow, pattern, line, "") for line, (allow, pattern) in enumerate(rules, 2)]
    indexed = _indexed(built)
    for path in paths + ["/robots.txt"]:
        expected = indexed.check_path(path)
        assert RuleSet(built).check_path(path) is expected, path
        assert RuleSet(built).check("http://h" + path) is expected, path
    ruleset = RuleSet(built)  # the first checks, then the lookups, on one rule set
    for path in paths * 3:
        assert ruleset.check_path(path) is indexed.check_path(path), path


def test_the_first_checks_answer_as_the_index_on_the_corpus(raw_first: None) -> None:
    long_tail = "/".join(["x", "a-b", "login", "search?q=1"] * 40)
    for file in sorted(CORPUS.glob("*.txt")):
        body = file.read_bytes()
        reference = RobotsPolicy.parse(body)
        paths = ["/", "/robots.txt", "/x", "/a/b?c=d", "/caf%c3%a9"]
        for line in reference.lines:
            key, _, value = line.partition(":")
            if key.strip().lower() in ("allow", "disallow"):
                concrete = value.split("#")[0].strip().replace("*", "x/y").rstrip("$")
                if concrete.startswith("/"):
                    paths += [concrete, concrete + "z", concrete + "/" + long_tail, concrete[:-1] + long_tail]
        for agent in AGENTS:
            expected = reference.matcher(agent)
            expected._index()
            first = RobotsPolicy.parse(body).matcher(agent)
            for path in paths[:400]:
                assert first.check_path(path) is expected.check_path(path), (file.name, agent, path[:80])


def test_a_large_rule_set_answers_its_first_checks_then_builds_its_lookups() -> None:
    count = _match._SCAN_MIN_RULES + 1
    policy = RobotsPolicy.parse("User-agent: *\n" + "".join(f"Disallow: /p{n}/*.pdf$\n" for n in range(count)))
    matcher = policy.matcher("x")
    long = "/" + "a" * _match._LONG_PATH
    for n in range(_match._SCAN_RAW_CHECKS + 5):
        assert matcher.check_path(f"/p{n}{long}.pdf") is False and matcher.check_path(f"/p{n}{long}.pdfx") is True
        assert (n + 1) * 2 <= _match._SCAN_RAW_CHECKS or matcher.check_path(f"/p{n}/a.pdf") is False
    assert matcher.tier == "scan"


def test_a_glob_is_ruled_out_on_a_long_path_by_its_rarest_character() -> None:
    assert _rarest("/people/") == "p" and _rarest("order=") == "=" and _rarest("/Query") == "Q"
    path = "/" + "/".join(["search", "login", "feed"] * 2000)
    seen: dict[str, bool] = {}
    assert _lacks(path, "/*?order=*", seen) and _lacks(path, "*/people/*/circle*", seen)
    assert not _lacks(path, "/*login/*feed$", seen) and seen == {"?order=": False, "/people/": False, "login/": True,
                                                                  "feed": True}
    policy = RobotsPolicy.parse("User-agent: *\n" + "".join(f"Disallow: /*x{n}=\n" for n in range(200))
                                + "Disallow: /*/feed/search$\nAllow: /search/*login/$\n")
    body = policy.lines
    for tail, allowed in (("", True), ("/x7=", False), ("/feed/search", False), ("/login/", True)):
        first = RobotsPolicy.parse("\n".join(body)).matcher("x")
        assert first.check_path("/search" + path + tail) is allowed, tail  # the first check
    matcher = policy.matcher("x")
    for tail, allowed in (("", True), ("/x7=", False), ("/feed/search", False), ("/login/", True)) * 3:
        assert matcher.check_path("/search" + path + tail) is allowed, tail  # the first checks, then the lookups
