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
from typing import Any, Callable, Sequence

from ._syntax import LOWER_HEX_ESCAPE, normalise_path, path_of


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


# A path ends at the fragment: in URL mode "any character" is [^#] and "end" is "#" or the end.
_ANY = "[^#]"
_END = "(?![^#])"
# Absolute http(s) URL: skip scheme and authority; a bare path must not start with "//". When what
# follows is not a "/", the URL has an unusual shape and the slow, exact path is taken.
_URL_HEAD = "(?:https?://[^/?;#]*|(?!//))"
#: Deeper prefix trees fall back to a flat alternation (the regex compiler recurses per level).
_MAX_TRIE_DEPTH = 60


def _split(pattern: str, serial: int) -> tuple[str, str]:
    """(literal head, regex tail) of a pattern: the head is matched through the prefix tree, the tail
    (from the first ``*`` or the final ``$`` on) is an opaque regex."""
    anchored = pattern.endswith("$")
    if anchored:
        pattern = pattern[:-1]
    if "*" not in pattern:
        return pattern, (_END if anchored else "")
    segments = pattern.split("*")
    out = []
    for k, seg in enumerate(segments[1:-1]):
        if seg:
            name = f"w{serial}_{k}"
            # (?=(?P<n>.*?seg))(?P=n): leftmost occurrence, atomic (lookarounds never backtrack), so
            # no pattern can make matching super-linear. Leftmost is exact for "*"-only globs.
            out.append(f"(?=(?P<{name}>{_ANY}*?{re.escape(seg)}))(?P={name})")
    last = segments[-1]
    if last:
        # Any occurrence will do for the last segment; the greedy form backtracks from the end,
        # which the regex engine does much faster than a lazy scan.
        out.append(f"{_ANY}*{re.escape(last)}{_END if anchored else ''}")
    return segments[0], "".join(out)


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    i = 0
    while i < n and a[i] == b[i]:
        i += 1
    return i


def _tree(items: list[tuple[str, str, str]], depth: int) -> str:
    """Regex for ``items`` = [(literal head, tail, marker)] in decision order (first match decides).

    Heads are factored into a prefix tree. Reordering is safe only between alternatives that
    cannot both match: ones that start with different literal characters. So consecutive items
    that start with a literal are grouped by first character, and an item whose head is used up
    (its tail may match anywhere) keeps its place between such runs.
    """
    if depth > _MAX_TRIE_DEPTH:
        raise RecursionError("prefix tree too deep")
    alternatives: list[str] = []
    run: dict[str, list[tuple[str, str, str]]] = {}

    def flush() -> None:
        for sub in run.values():
            head = sub[0][0]
            k = len(head)
            for h, _, _ in sub[1:]:
                k = min(k, _common_prefix(head, h))
                if k == 1:
                    break
            rest = [(h[k:], t, m) for h, t, m in sub]
            alternatives.append(re.escape(head[:k]) + _tree(rest, depth + 1))
        run.clear()

    for item in items:
        if item[0]:
            run.setdefault(item[0][0], []).append(item)
        else:
            flush()
            alternatives.append(item[1] + item[2])
    flush()
    if len(alternatives) == 1:
        return alternatives[0]
    return "(?:" + "|".join(alternatives) + ")"


def _glob(path: str, pattern: str) -> bool:
    """Plain-Python pattern match (robots.cc ``Matches``), used only if a regex cannot be built."""
    anchored = pattern.endswith("$")
    if anchored:
        pattern = pattern[:-1]
    segments = pattern.split("*")
    if not path.startswith(segments[0]):
        return False
    if len(segments) == 1:
        return len(path) == len(pattern) if anchored else True
    pos = len(segments[0])
    for seg in segments[1:-1]:
        found = path.find(seg, pos)
        if found < 0:
            return False
        pos = found + len(seg)
    last = segments[-1]
    if anchored:
        return path.endswith(last) and len(path) - len(last) >= pos
    return path.find(last, pos) >= 0


class RuleSet:
    """The merged rules of the groups that apply to one agent, compiled for repeated checks."""

    __slots__ = ("rules", "_ordered", "_fallback", "check", "decide")

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
        ordered: list[tuple[str, Rule]] = []
        seen: set[tuple[int, str]] = set()
        for _, kind, _, pattern, rule in entries:
            if (kind, pattern) not in seen:  # a later duplicate can never decide
                seen.add((kind, pattern))
                ordered.append((pattern, rule))
        self._ordered = tuple(ordered)
        try:
            self.check, self.decide = self._compile()
        except (RecursionError, re.error, OverflowError, MemoryError):
            try:
                self.check, self.decide = self._compile(flat=True)
            except (RecursionError, re.error, OverflowError, MemoryError):
                self.check, self.decide = self._plain()

    def _plain(self) -> tuple[Callable[[str], bool], Callable[[str], tuple[bool, Rule | None]]]:
        """Slow but always-available matcher: first rule in decision order that matches decides."""
        ordered, fallback = self._ordered, self._fallback

        def decide(url: str) -> tuple[bool, Rule | None]:
            path = normalise_path(path_of(url))
            for pattern, rule in ordered:
                if _glob(path, pattern):
                    return rule.allow, rule
            return True, fallback

        return (lambda url: decide(url)[0]), decide

    def checker(self) -> Callable[[str], bool]:
        return self.check

    def _compile(self, flat: bool = False) -> tuple[Callable[[str], bool], Callable[[str], tuple[bool, Rule | None]]]:
        ordered, fallback = self._ordered, self._fallback
        if not ordered:
            return (lambda url: True), (lambda url: (True, fallback))
        items: list[tuple[str, str, str]] = []
        for serial, (pattern, _) in enumerate(ordered):
            head, tail = _split(pattern, serial)
            items.append((head, tail, f"(?P<r{serial}>)"))
        if flat:
            body = "(?:" + "|".join(re.escape(h) + t + m for h, t, m in items) + ")"
        else:
            body = _tree(items, 0)
        # After the branches, two more groups: "no rule matched" and "unusual URL: take the exact path".
        # A normalised path is matched as "http://h" + path, so one compiled regex serves both.
        regex = re.compile(f"{_URL_HEAD}(?:(?=/){body}|(?=/)(?P<none>)|(?P<odd>))", re.DOTALL)
        by_group: list[Any] = [None] * (regex.groups + 1)
        for name, number in regex.groupindex.items():
            if name[0] == "r":
                by_group[number] = ordered[int(name[1:])][1]
        verdict_list: list[bool | None] = [None if r is None else r.allow for r in by_group]
        verdict_list[regex.groupindex["none"]] = True
        verdicts, rules, none = tuple(verdict_list), tuple(by_group), regex.groupindex["none"]
        match = regex.match
        _path_of, _normalise, lower_escape = path_of, normalise_path, LOWER_HEX_ESCAPE.search

        def check(url: str) -> bool:
            if url.isascii() and ("%" not in url or lower_escape(url) is None):
                m = match(url)
                if m is not None:
                    verdict = verdicts[m.lastindex]  # type: ignore[index]
                    if verdict is not None:
                        return verdict
            m = match("http://h" + _normalise(_path_of(url)))
            return verdicts[m.lastindex]  # type: ignore[union-attr,index,return-value]

        def decide(url: str) -> tuple[bool, Rule | None]:
            """(allowed, the rule Google's ``matching_line()`` would point at, or None)."""
            m = match("http://h" + normalise_path(path_of(url)))
            index = m.lastindex  # type: ignore[union-attr]
            if index == none:
                return True, fallback
            rule = rules[index]  # type: ignore[index]
            return rule.allow, rule

        return check, decide


EMPTY = RuleSet(())
