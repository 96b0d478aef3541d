"""``RuleSet.check_path`` / ``decide_path``: the matcher for callers that already split the URL at its
authority (the Guard, the audit). Contract: the answer is exactly ``check("http://h" + path)`` /
``decide("http://h" + path)``, in every tier, and the path forms follow the tier switch."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from scrapecheck.robots import RobotsPolicy, _match
from scrapecheck.robots._syntax import origin_prefix

from .reference import allowed as reference_allowed

pytestmark = pytest.mark.usefixtures("each_tier")  # every case, in every matching strategy

ROBOTS = """User-agent: *
Disallow: /private/
Allow: /private/public*
Disallow: /*.pdf$
Disallow: /*/print/*x
Allow: /caf%C3%A9/ok
Disallow: /caf%c3%a9
Disallow: /robots.txt
Allow: /a/index.html
Disallow: /a/
Disallow: /%7Euser

User-agent: AcmeBot
Disallow: /
Allow: /$
Allow: /acme/ok$
Disallow: /*?session=
"""
AGENTS = ("AcmeBot", "OtherBot", "")
PATHS = ["/", "/x", "/private/x", "/private/public-1", "/private/public-1#f", "/a.pdf", "/a.pdf#x", "/a.pdfx",
         "/a.pdf?x#y", "/z/print/zx", "/z/print/zy#x", "/café", "/caf%c3%a9", "/caf%C3%A9/ok", "/café/ok#ü",
         "/caf\udcc3", "/%7euser", "/%7Euser/x", "/~user", "/robots.txt", "/robots.txt#x", "/robots.txt?x=1",
         "/robots.txt/", "/a/", "/a/index.html", "/a/index.htm", "/acme/ok", "/acme/ok?session=1", "/#", "/#x",
         "//x", "//private/x", "/;p=1?q", "/?session=2", "/\u00e9\u4e2d", "/x%2fy", "/x%2Fy", "/x%zz", "/%"]


def _same(policy: RobotsPolicy, agent: str, path: str) -> None:
    matcher = policy.matcher(agent)
    url = "http://h" + path
    assert matcher.check_path(path) is matcher.check(url), (agent, path)
    assert matcher.decide_path(path) == matcher.decide(url), (agent, path)


@pytest.mark.parametrize("agent", AGENTS)
def test_path_forms_answer_as_the_url_forms(agent: str) -> None:
    policy = RobotsPolicy.parse(ROBOTS)
    matcher = policy.matcher(agent)
    for path in PATHS:
        _same(policy, agent, path)
        expected, line = reference_allowed(ROBOTS, agent, "http://h" + path)
        assert matcher.check_path(path) is expected, (agent, path)
        allowed, rule = matcher.decide_path(path)
        assert (allowed, 0 if rule is None else rule.line) == (expected, line), (agent, path)


def test_robots_txt_itself_is_allowed_by_path() -> None:
    policy = RobotsPolicy.parse("User-agent: *\nDisallow: /\nDisallow: /robots.txt\n")
    matcher = policy.matcher("x")
    assert matcher.check_path("/robots.txt") is True
    assert matcher.decide_path("/robots.txt#top") == (True, None)
    assert matcher.check_path("/robots.txt?x=1") is False
    assert matcher.decide_path("/robots.txt/")[0] is False


def test_interleaved_with_urls_of_other_origins() -> None:
    """The URL form remembers the last origin; the path forms must neither use nor disturb it."""
    policy = RobotsPolicy.parse(ROBOTS)
    matcher = policy.matcher("OtherBot")
    urls = ["https://h/private/x", "https://other.example/a.pdf", "/private/public-1", "https://h?x/private/x"]
    for _ in range(2):
        for url, path in zip(urls * 10, PATHS):
            assert matcher.check(url) is reference_allowed(ROBOTS, "OtherBot", url)[0], url
            _same(policy, "OtherBot", path)


def _corpus_paths(body: bytes, rng: random.Random) -> list[str]:
    """Paths made from a file's own patterns (several fillings of each ``*``) plus a few random ones."""
    paths = ["/", "/index.html", "/robots.txt"]
    for m in re.finditer(rb"^\s*(?:dis)?allow\s*:?\s*(\S+)", body, re.IGNORECASE | re.MULTILINE):
        pattern = m.group(1).decode("latin-1")
        core = pattern[:-1] if pattern.endswith("$") else pattern
        for fill in ("", "x", "a/b?c=1", "é"):
            path = core.replace("*", fill)
            path = path if path.startswith("/") else "/" + path
            paths.append(path)
            paths.append(path + rng.choice(("/more", "?p=1", ".pdf", "#frag", "x$")))
    return paths


def test_path_forms_agree_on_the_corpus() -> None:
    corpus = Path(__file__).resolve().parents[2] / "benchmarks" / "robots" / "corpus"
    files = sorted(corpus.glob("*.txt"))
    assert len(files) >= 40
    rng = random.Random(5)
    for file in files:
        body = file.read_bytes()
        policy = RobotsPolicy.parse(body)
        paths = _corpus_paths(body, rng)
        if len(paths) > 400:
            paths = rng.sample(paths, 400)
        for agent in ("Googlebot", "GPTBot", "UnknownBot"):
            matcher = policy.matcher(agent)
            for path in paths:
                url = "https://example.com" + path
                assert origin_prefix(url) == "https://example.com/"
                assert matcher.check_path(path) is matcher.check(url), (file.name, agent, path)
                assert matcher.decide_path(path) == matcher.decide(url), (file.name, agent, path)


@pytest.mark.parametrize("first", ["check_path", "decide_path", "check", "decide"])
def test_path_forms_bound_once_follow_the_switch_to_the_compiled_tier(
        first: str, each_tier: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if each_tier != "uncompiled":
        pytest.skip("the switch starts from the uncompiled tier")
    monkeypatch.setattr(_match, "FORCE_TIER", None)  # the tier switches on its own
    monkeypatch.setattr(_match, "_SAVED_PER_CHECK", 0.15e-6)  # (by default nothing compiles on its own)
    policy = RobotsPolicy.parse(ROBOTS)
    matcher = policy.matcher("OtherBot")
    check_path, decide_path = matcher.check_path, matcher.decide_path  # bound before the switch
    assert matcher.tier == "uncompiled"
    matcher._left[0] = 1  # as if it had answered as many URLs as compiling costs, less one
    getattr(matcher, first)("/private/x" if first.endswith("_path") else "https://h/private/x")
    assert matcher.tier == "compiled"
    for path in PATHS:
        url = "http://h" + path
        assert check_path(path) is matcher.check(url) is matcher.check_path(path), path
        assert decide_path(path) == matcher.decide(url) == matcher.decide_path(path), path
