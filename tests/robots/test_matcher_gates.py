"""The gates of the uncompiled tier: the literals a node looks for before testing its rules (issue 10, N = 10,000).

A gate looks for fewer literals than its rules have (:func:`_match._cover`), and for "/robots.txt" only where
that path's answer would differ from the gate's; both must leave every answer as Google's."""

from __future__ import annotations

import random

import pytest

from scrapecheck.robots import RobotsPolicy, _match

from .reference import allowed as reference_allowed

W3_LITERALS = ("/wiki/index.php/MediaWiki", "/wiki/index.php/Special:", "/wiki/index.php/Template", "/wp-content/plugins/",
               "/wiki/index.php/Help", "/wp-content/themes/", "/wp-content/cache/", "/wiki/index.php?", "/wiki/Special:",
               "/wp-includes/", "/wp-admin/", ",")


def test_a_gate_looks_for_shared_prefixes_and_drops_literals_that_hold_another() -> None:
    assert _match._cover(W3_LITERALS) == (",", "/wiki/", "/wp-admin/", "/wp-content/", "/wp-includes/")
    assert _match._cover(("theme_preview=true", "preview=true", "?v02", "preview=true")) == ("?v02", "preview=true")
    assert _match._cover(("/wp-admin/", "/wp-includes/")) == ("/wp-admin/", "/wp-includes/")  # "/wp-": too short
    assert _match._cover(("/a",)) == ("/a",)


@pytest.mark.parametrize("seed", range(20))
def test_a_path_holding_a_literal_holds_one_of_its_cover(seed: int) -> None:
    rng = random.Random(seed)
    alphabet = "ab/-.?="
    literals = tuple("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 9))) for _ in range(rng.randint(1, 12)))
    cover = _match._cover(literals)
    assert len(cover) <= len(set(literals))
    for literal in literals:  # each literal holds one of the cover: a path that holds it holds that one
        assert any(c in literal for c in cover), (literals, cover)


ROBOTS_W3 = "User-agent: *\n" + "".join(f"Disallow: /*{k}\n" for k in W3_LITERALS) + "Disallow: /Team/\n"
PATHS = ["/", "/robots.txt", "/robots.txt?x", "/a/wiki/index.php/Help", "/a/wiki/x", "/wiki/", "/x/wp-content/y",
         "/x/wp-content/themes/", "/a,b", "/Team/x", "/Team/wiki/Special:x", "/wp-admin", "/q/wp-admin/", "/wikipedia"]


@pytest.mark.parametrize("robots", [
    ROBOTS_W3,
    "User-agent: *\nDisallow: /\nAllow: /*.css$\nAllow: /*.js$\nAllow: /*/print.html\n",  # gate answer: disallowed
    "User-agent: *\nDisallow: /*preview=true\nDisallow: /*theme_preview=true\nDisallow: /*?v02\nAllow: /*.css$\n",
])
@pytest.mark.parametrize("tier", ["uncompiled", "grams"])
def test_gated_nodes_answer_as_google_before_and_after_their_gate_is_built(
        robots: str, tier: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_match, "FORCE_TIER", tier)
    paths = PATHS + ["/a.css", "/x/y.js", "/p?preview=true", "/p?theme_preview=true", "/x/print.html", "/y?v02"]
    matcher = RobotsPolicy.parse(robots).matcher("x")
    for _ in range(2):  # the first round builds the gates, the second goes through them
        for path in paths + paths[::-1]:
            expected, line = reference_allowed(robots, "x", "https://h" + path)
            allowed, rule = matcher.decide_path(path)
            assert (matcher.check_path(path), matcher.check("https://h" + path), allowed) == (expected,) * 3, path
            assert (rule.line if rule else 0) == line, path
