"""Compiled matching of one merged rule set against URL paths.

Google's decision (robots.cc ``RobotsMatcher::disallow``) compares the longest matching Allow with the
longest matching Disallow, the length being the pattern's length in octets; Allow wins ties; empty
patterns (length 0) never decide. So the first rule that matches, in order of (length desc, Allow
before Disallow, line asc), decides — and that is what a regular-expression alternation returns when
its branches are written in that order. All patterns of a rule set become one compiled regex; the
last (empty) group of each branch tells which branch matched, via ``Match.lastindex``.

``*`` and a final ``$`` are the only special characters (RFC 9309 §2.2.3). To keep matching linear
whatever the patterns (``/*a*a*a*a*b`` must not backtrack exponentially), each middle segment between
two ``*`` is matched atomically at its leftmost occurrence, which is exact for ``*``-only globs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Sequence

from ._syntax import normalise_path, path_of


@dataclass(frozen=True, slots=True)
class Rule:
    """One Allow or Disallow line of a group.

    ``pattern`` is the normalised pattern that is matched (non-ASCII percent-encoded, escapes in upper
    case); ``text`` is the line as written (comment included, surrounding whitespace removed).
    """

    allow: bool
    pattern: str
    line: int
    text: str

    @property
    def directive(self) -> str:
        return "allow" if self.allow else "disallow"


def index_html_pattern(pattern: str) -> str | None:
    """Google-specific: an Allow ending in ``/index.htm*`` also allows its directory (``/x/$``)."""
    slash = pattern.rfind("/")
    if slash >= 0 and pattern.startswith("/index.htm", slash):
        return pattern[: slash + 1] + "$"
    return None


def _branch(pattern: str, group_no: int) -> tuple[str, int]:
    """Regex source for one pattern (anchored at the start by ``re.match``) and the groups it used."""
    anchored = pattern.endswith("$")
    if anchored:
        pattern = pattern[:-1]
    if "*" not in pattern:
        return re.escape(pattern) + ("\\Z" if anchored else ""), 0
    segments = pattern.split("*")
    out = [re.escape(segments[0])]
    used = 0
    for seg in segments[1:-1]:
        if seg:
            name = f"a{group_no + used}"
            # (?=(?P<n>.*?seg))(?P=n): leftmost occurrence, atomic (lookarounds never backtrack).
            out.append(f"(?=(?P<{name}>.*?{re.escape(seg)}))(?P={name})")
            used += 1
    last = segments[-1]
    if anchored:
        if last:
            out.append(".*" + re.escape(last) + "\\Z")
    elif last:
        out.append(".*?" + re.escape(last))
    return "".join(out), used


class RuleSet:
    """The merged rules of the groups that apply to one agent, compiled for repeated checks."""

    __slots__ = ("rules", "_regex", "_by_group", "_fallback", "check", "decide")

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = tuple(rules)
        entries: list[tuple[int, int, int, str, Rule]] = []
        empty_allow: Rule | None = None
        empty_disallow: Rule | None = None
        for rule in self.rules:
            p = rule.pattern
            if not p:
                if rule.allow:
                    empty_allow = empty_allow or rule
                else:
                    empty_disallow = empty_disallow or rule
                continue
            entries.append((-len(p), 0 if rule.allow else 1, rule.line, p, rule))
            if rule.allow:
                derived = index_html_pattern(p)
                if derived is not None:
                    entries.append((-len(derived), 0, rule.line, derived, rule))
        entries.sort(key=lambda e: e[:3])
        # Google's matching_line() when nothing of positive length matched: an empty Allow (tie, Allow
        # wins) else an empty Disallow. Neither changes the verdict, which is then "allowed".
        self._fallback = empty_allow or empty_disallow
        seen: set[tuple[int, str]] = set()
        branches: list[str] = []
        by_group: list[Rule | None] = [None]
        group_no = 1
        for _, kind, _, pattern, rule in entries:
            if (kind, pattern) in seen:
                continue  # same length, same kind, later line: can never decide
            seen.add((kind, pattern))
            src, used = _branch(pattern, group_no)
            by_group.extend([None] * used)
            group_no += used
            branches.append(src + "()")
            by_group.append(rule)
            group_no += 1
        self._by_group = tuple(by_group)
        if branches:
            self._regex: re.Pattern[str] | None = re.compile("|".join(branches), re.DOTALL)
        else:
            self._regex = None
        self.check = self._make_check()
        self.decide = self._make_decide()

    def _make_check(self) -> Callable[[str], bool]:
        regex = self._regex
        if regex is None:
            return lambda url: True
        match = regex.match
        allows = tuple(r is not None and r.allow for r in self._by_group)
        _path_of, _normalise = path_of, normalise_path

        def check(url: str) -> bool:
            path = _path_of(url)
            if not path.isascii() or "%" in path:
                path = _normalise(path)
            m = match(path)
            return True if m is None else allows[m.lastindex]  # type: ignore[index]

        return check

    def _make_decide(self) -> Callable[[str], tuple[bool, Rule | None]]:
        regex, by_group, fallback = self._regex, self._by_group, self._fallback

        def decide(url: str) -> tuple[bool, Rule | None]:
            """(allowed, the rule Google's ``matching_line()`` would point at, or None)."""
            path = normalise_path(path_of(url))
            if regex is not None:
                m = regex.match(path)
                if m is not None:
                    rule = by_group[m.lastindex]  # type: ignore[index]
                    return rule.allow, rule  # type: ignore[union-attr]
            return True, fallback

        return decide


EMPTY = RuleSet(())
