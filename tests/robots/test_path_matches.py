"""``path_matches``: one robots-style pattern against one path, as the Guard matches TDMRep locations and other path
scopes read from a site; the same answers as a regular expression, in linear time on any pattern."""

from __future__ import annotations

import random
import re
import subprocess
import sys

import pytest

from scrapecheck.guard._origin import path_pattern
from scrapecheck.robots import path_matches


def by_regex(path: str, pattern: str) -> bool:
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    return re.match(".*".join(map(re.escape, body.split("*"))) + ("$" if anchored else ""), path, re.DOTALL) is not None


@pytest.mark.parametrize(("pattern", "path", "expected"), [
    ("/private", "/private/x", True),
    ("/private", "/priv", False),
    ("/", "/anything", True),
    ("", "/anything", True),
    ("/a$", "/a", True),
    ("/a$", "/ab", False),
    ("$", "", True),
    ("/*.pdf$", "/x/y.pdf", True),
    ("/*.pdf$", "/x/y.pdf?q", False),
    ("/*.pdf", "/x/y.pdf?q", True),
    ("/a*b*c", "/a-c-b", False),
    ("/a*b$", "/ab", True),
    ("/a*a$", "/a", False),
    ("*", "", True),
    ("/x/*", "/x/", True),
])
def test_path_matches_reads_robots_patterns(pattern: str, path: str, expected: bool) -> None:
    assert path_matches(path, pattern) is expected
    assert by_regex(path, pattern) is expected


def test_path_matches_agrees_with_a_regex_on_random_patterns() -> None:
    rng = random.Random(9309)
    for _ in range(20_000):
        pattern = "/" + "".join(rng.choice("ab*") for _ in range(rng.randrange(6))) + rng.choice(["", "$"])
        path = "/" + "".join(rng.choice("ab") for _ in range(rng.randrange(8)))
        assert path_matches(path, pattern) is by_regex(path, pattern), (pattern, path)


def test_a_site_pattern_cannot_make_the_guard_backtrack() -> None:
    """The TDMRep location ``/*a*a...*b`` (30 stars) against 200 a's: a regular expression never ended on it."""
    code = ("from scrapecheck.guard._origin import path_pattern\n"
            "print(path_pattern('/' + '*a' * 30 + '*b')('/' + 'a' * 200), "
            "path_pattern('/' + '*a' * 30 + '$')('/' + 'a' * 200))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.split() == ["False", "True"]
    assert path_pattern("/docs/*.html$")("/docs/a/b.html") and not path_pattern("/docs/")("/doc")
