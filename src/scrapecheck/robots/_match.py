"""Matching of one merged rule set against URL paths, in two tiers.

Google's decision (robots.cc ``RobotsMatcher::disallow``) compares the longest matching Allow with the
longest matching Disallow, the length being the pattern's length in octets; Allow wins ties; empty
patterns (length 0) never decide. So the first rule that matches, in order of (length desc, Allow
before Disallow, line asc), decides. Both tiers look for that first rule:

* **Uncompiled** (every rule set starts here). A pattern can match a path only if its *literal head*
  (the text before its first ``*``, less a final ``$``) is a prefix of the path. The distinct heads are
  sorted and each is linked to its longest proper prefix among them, so a bisect and a walk up that
  chain find the deepest head that prefixes the path. For that head node, built on first use, the
  rules under it and its ancestors are listed in decision order and cut after the first that needs no
  test (no ``*`` or ``$``: it always matches); usually nothing is left to test and the answer is
  known. Otherwise each remaining rule is tested only if its longest literal segment occurs in the path
  (``map(operator.contains, ...)`` in C, or, for many literals on a long path, a q-gram prefilter that
  reads the path once), with ``str.find`` for the ``*`` and ``$`` parts. A node with many rules to test
  (``/*/*/commits/``, ``/*/profiles/*.css``) first picks them by *anchor*: the first characters of a
  token after a "/" in the rule's literal, which a token of the path must start with (one set
  intersection instead of a scan per rule). Before any of this, one ``str.startswith`` over the fewest
  heads covering the rules (only Disallow heads for ``check``) answers the many paths that no rule, or
  no Disallow rule, can match. Building this costs a sort.
* **Compiled**. All patterns become one regex whose branches are in decision order (a regex
  alternation returns its first matching branch); the last, empty group of each branch tells which
  one matched (``Match.lastindex``). Building it runs Python's pure-Python regex compiler, which costs
  far more than parsing the file, and per check it saves little or nothing (measured: it costs more on
  most files, see :data:`_SAVED_PER_CHECK`), so by default no rule set switches on its own; it is
  there for ``FORCE_TIER`` and for a positive :data:`_SAVED_PER_CHECK`. Then a rule set switches only
  after as many checks as the estimated compile time divided by that saving per check, and never when
  the uncompiled tier's quick heads serve ``check`` (it is then as fast), when that estimate is above
  :data:`COMPILE_CAP`, when it has more than :data:`_MAX_FLOATING` floating
  globs (``/*x`` becomes a branch that scans the whole URL: slower than the first tier), or when the
  regex cannot be built.

``*`` and a final ``$`` are the only special characters (RFC 9309 §2.2.3). Both tiers match each
middle segment between two ``*`` at its leftmost occurrence, which is exact for ``*``-only globs and
keeps matching linear (``/*a*a*a*a*b`` cannot backtrack exponentially).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from itertools import compress, islice, repeat

try:  # the C module behind operator, without operator's own import cost (issue 9)
    from _operator import add as _add, concat as _concat, contains as _contains, getitem as _getitem, itemgetter
    from _operator import lt as _lt, mul as _mul, ne as _ne
except ImportError:  # pragma: no cover - other interpreters
    from operator import add as _add, concat as _concat, contains as _contains, getitem as _getitem, itemgetter
    from operator import lt as _lt, mul as _mul, ne as _ne

try:  # the C module behind weakref, without weakref's own import
    from _weakref import ref as _weak
except ImportError:  # pragma: no cover - other interpreters
    from weakref import ref as _weak

from ._values import Frozen, _set

try:  # no ``threading`` import (issue 9: import time): one lock, taken once per rule set that builds an index
    from _thread import RLock as _RLock
except ImportError:  # pragma: no cover - other interpreters
    from threading import RLock as _RLock
_first = itemgetter(0)
_INDEX_LOCK = _RLock()  # re-entrant: a build that needed its own index again would not deadlock

from ._syntax import has_lower_escape, normalise_path, origin_prefix, path_of

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (import time, issue 9)
if TYPE_CHECKING:
    from typing import Any, Callable, Sequence


class Rule(Frozen):
    """One Allow or Disallow line of a group (a frozen value).

    ``pattern`` is the normalised pattern that is matched (non-ASCII percent-encoded, escapes in upper
    case); ``text`` is the line as written (comment included, surrounding whitespace removed).
    """

    __slots__ = ("allow", "pattern", "line", "text")
    allow: bool
    pattern: str
    line: int
    text: str

    def __init__(self, allow: bool, pattern: str, line: int, text: str) -> None:
        _set(self, "allow", allow)
        _set(self, "pattern", pattern)
        _set(self, "line", line)
        _set(self, "text", text)

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
#: Deeper prefix trees are not compiled (the regex compiler recurses per level): the rule set stays uncompiled.
_MAX_TRIE_DEPTH = 60


def _split(pattern: str, serial: int) -> tuple[str, str]:
    """(literal head, regex tail) of a pattern: the head is matched through the prefix tree, the tail
    (from the first ``*`` or the final ``$`` on) is an opaque regex."""
    import re

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
    import re

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


#: RFC 9309 §2.2.2: "The /robots.txt URI is implicitly allowed." (Google's library leaves it to callers.)
ROBOTS_PATH = "/robots.txt"


def _literal_head(pattern: str) -> tuple[str, int, tuple[str, ...], str]:
    """(head, kind, middle segments, last segment) of a pattern, for the uncompiled tier.

    kind 0: matches whenever its head prefixes the path (no ``*`` nor final ``$``, or a glob that
    reduces to that: ``/a*``, ``/a*$``); 1: ``head$`` (the path must equal the head); 2: a glob,
    ``head*mid*...*last``; 3: the same with ``last`` at the very end of the path. Empty segments are
    dropped and an unanchored glob always has a non-empty ``last`` (``/a*b*`` is ``/a*b``).
    """
    anchored = pattern.endswith("$")
    body = pattern[:-1] if anchored else pattern
    star = body.find("*")
    if star < 0:
        return body, (1 if anchored else 0), (), ""
    segments = body.split("*")
    mids = tuple(s for s in segments[1:-1] if s)
    last = segments[-1]
    if not last:  # "*" at the end (before any "$"): the end is free, so it is an unanchored glob
        if not mids:
            return segments[0], 0, (), ""
        return segments[0], 2, mids[:-1], mids[-1]
    return segments[0], (3 if anchored else 2), mids, last


#: (rule index in decision order, kind, length of the literal head, middle segments, last segment, a
#: literal the path must contain: the longest segment, "" for kinds 0 and 1)
_Test = tuple[int, int, int, tuple[str, ...], str, str]
#: What a path's deepest head node needs: the tests to run in order, for each a literal the path must
#: contain ("" for none), the result when none passes (a rule index, -1 for no rule), and the path
#: length above which the q-gram prefilter is used for the literals (see :func:`_grams_filter`), and the
#: node's anchor index (see :func:`_anchors`) or None.
_Entry = tuple[tuple[_Test, ...], tuple[str, ...], int, int, "Any"]
#: A head node as the uncompiled tier's walk reads it: (upper bound, parent, answer or None, gate or None, node).
_Node = tuple[str, int, "Any", "Any", int]


def _test(index: int, pattern: str) -> _Test:
    """The :data:`_Test` of the rule at ``index`` in decision order, whose (non-empty) pattern is ``pattern``."""
    if "*" not in pattern and pattern[-1] != "$":
        return (index, 0, len(pattern), (), "", "")
    head, kind, mids, last = _literal_head(pattern)
    return (index, kind, len(head), mids, last, max(mids + (last,), key=len) if kind >= 2 else "")


def _floating(patterns: list[str]) -> int:
    """The number of floating globs (``/*x``: a glob whose literal head has at most one character)."""
    stars = list(map(str.find, patterns, repeat("*")))
    if 0 not in stars and 1 not in stars:
        return 0
    return sum(1 for p, star in zip(patterns, stars) if 0 <= star <= 1 and _literal_head(p)[1] >= 2)


def _passes(path: str, test: _Test) -> bool:
    """Does ``path``, which starts with the test's literal head, match the rest of its pattern?

    Each middle segment is matched at its leftmost occurrence with ``str.partition`` (one argument: a
    cheaper call than ``str.find(seg, pos)``, whose argument tuple and parsing cost more than the search)."""
    _, kind, start, mids, last, _ = test
    if kind == 1:
        return len(path) == start
    if kind == 0:
        return True
    rest = path[start:]
    for seg in mids:
        _, found, rest = rest.partition(seg)
        if not found:
            return False
    if kind == 2:
        return last in rest
    return len(rest) >= len(last) and rest[len(rest) - len(last) :] == last


#: Up to this many rules to test, a node tests their literals in a plain loop (no call per literal: cheaper
#: than building the compress/map iterators, measured in instructions per check on the corpus).
_LOOP_MAX_TESTS = 16

#: Literal anchors (see :func:`_anchors`): a path's tokens are its parts between "/"; a token is indexed by
#: its first :data:`_P` characters.
_P = 4
#: Nodes with at least this many rules to test use the anchors instead of testing each rule's literal.
_ANCHOR_MIN_TESTS = 16
#: ... provided that at most this many of them have no anchor (those are always tested).
_ANCHOR_MAX_LOOSE = 6
#: ... and only once paths have reached the node this many times: until then its rules' literals are looked for
#: one by one (in C). Building the anchor index costs about as much as this many checks save with it (callgrind
#: on the corpus: github, gitlab, unicef), and at a hundred URLs per origin most nodes are reached a few times.
_ANCHOR_MIN_VISITS = 32

#: A gate's literals (see :func:`_cover`) sharing a prefix of at least this many characters are looked for by that
#: prefix: shorter ones are too common in paths ("/wp-", "/pri"), and a path that holds the prefix but no literal
#: goes on to test every literal.
_COVER_MIN_PREFIX = 5


def _minimal(keys: Any) -> list[str]:
    """``keys`` (strings) distinct, less those that contain another one, shortest first: a path holding none of
    them holds none of ``keys``."""
    kept: list[str] = []
    for key in sorted(set(keys), key=len):
        if not any(map(key.__contains__, kept)):
            kept.append(key)
    return kept


def _cover(keys: tuple[str, ...], distinct: bool = False) -> tuple[str, ...]:
    """Fewer literals such that a path holding none of them holds none of ``keys`` (non-empty literals), for a
    gate: each ``in`` costs ~300 instructions (a call, and the needle's preprocessing), so a gate's cost is about
    the number of its literals. Distinct literals, less those that contain another one (``preview=true`` covers
    ``theme_preview=true``), and in sorted order, neighbours sharing a prefix of :data:`_COVER_MIN_PREFIX` or more
    characters replaced by it (``/wiki/`` covers ``/wiki/index.php?`` and ``/wiki/Special:``). Exact whatever it
    returns: a path that holds one of them gets the node's full test. ``distinct``: ``keys`` are already distinct
    and none contains another (:func:`_minimal`, which its callers have already applied)."""
    if len(keys) < 2:
        return keys
    kept = list(keys) if distinct else _minimal(keys)
    if len(kept) < 2:
        return tuple(kept)
    kept.sort()
    merged = [kept[0]]
    for key in kept[1:]:
        last = merged[-1]
        n = 0
        for a, b in zip(last, key):
            if a != b:
                break
            n += 1
        if n >= _COVER_MIN_PREFIX:
            merged[-1] = last[:n]
        else:
            merged.append(key)
    return tuple(merged)


#: The rules of a node to test for a path: their literals in decision order, and a literal -> the rules from the first
#: whose literal it is on (see :class:`_Suffixes`).
_Todo = tuple[tuple[str, ...], "Callable[[str], tuple[_Test, ...]]"]
#: A node's anchor index: (anchor set, a path token -> the anchor it starts with or "" (remembered, see
#: :class:`_TokenHeads`), anchor -> the rules to test when it is the path's only anchor (and, once met, a frozenset of
#: anchors -> the rules to test when the path has those), the rules to test when the path has none: those without an
#: anchor, the positions of each anchor's rules among the node's tests).
_Anchors = tuple[set[str], "Callable[[str], str]", "dict[Any, _Todo]", _Todo, dict[str, tuple[int, ...]]]

#: A :class:`_TokenHeads` keeps at most this many tokens, each of at most :data:`_TOKEN_MAX` characters (the rest are
#: cut each time): a site's paths are made of a few hundred recurring tokens ("en", "products", "2024"), and a Guard
#: keeps the rule sets of many sites (at most ~40 KB a node, for a site whose tokens are mostly ids).
_TOKENS_MAX = 512
_TOKEN_MAX = 32
#: At most this many sets of several anchors are kept per node with their rules to test (a path with several anchors
#: is rare: github, gitlab, unicef: 2-7% of the paths reaching their root node).
_MULTI_MAX = 256


class _TokenHeads(dict):  # type: ignore[type-arg]
    """A path token -> its first :data:`_P` characters when they are an anchor of the node, else "" (never an anchor),
    remembered: looking a token up (its hash is computed once, by ``str.split``'s new string, and the stored head's
    hash is kept) costs less than slicing it, a new string whose hash is computed again by the anchor set's
    intersection (callgrind: ~1,000 instructions a path on github)."""

    __slots__ = ("anchored",)

    def __init__(self, anchored: set[str]) -> None:
        super().__init__()
        self.anchored = anchored

    def __missing__(self, token: str) -> str:
        head = token[:_P]
        if head not in self.anchored:
            head = ""
        if len(self) < _TOKENS_MAX and len(token) <= _TOKEN_MAX:
            self[token] = head
        return head


def _anchor(test: _Test) -> str | None:
    """The anchor of a rule to test, or None when it has none.

    Split a literal segment of the rule (after its head) at "/" as a path is split. A token with a "/"
    before it in the literal starts a token of any path the literal occurs in, so that path token begins
    with the token's first ``_P`` characters (is all of it when a "/" also follows it in the literal). So
    a path none of whose tokens begins so cannot match the rule. The longest such anchor is taken. (Only
    "/" splits: splitting at every punctuation character finds more anchors, but ``str.translate`` costs
    more per path than it saves.)"""
    best: str | None = None
    for literal in test[3] + (test[4],):
        tokens = literal.split("/")
        last = len(tokens) - 1
        for k in range(1, len(tokens)):
            token = tokens[k]
            if token and (k < last or len(token) >= _P) and (best is None or len(token[:_P]) > len(best)):
                best = token[:_P]
    return best


def _anchors(tests: tuple[_Test, ...]) -> _Anchors | None:
    """The anchor index of a node's tests, or None when too many have no anchor."""
    index: dict[str, list[int]] = {}
    loose: list[int] = []
    for position, test in enumerate(tests):
        found = _anchor(test)
        if found is None:
            loose.append(position)
            if len(loose) > _ANCHOR_MAX_LOOSE:
                return None  # (the rest need not be looked at)
        else:
            index.setdefault(found, []).append(position)
    positions = {anchor: tuple(sorted(loose + found)) for anchor, found in index.items()}
    todo: dict[Any, _Todo] = {anchor: _todo(tests, found) for anchor, found in positions.items()}
    anchored = set(index)  # a set: its intersection is one, which has pop()
    return anchored, _TokenHeads(anchored).__getitem__, todo, _todo(tests, loose), positions


class _Suffixes(dict):  # type: ignore[type-arg]
    """A literal of a node's rules to test -> those rules from the first whose literal it is on, in decision order:
    what is left to test once the first literal found in a path is that one. Made at once for up to
    :data:`_SUFFIXES_MAX` rules, else on demand each time (not kept: they would take space quadratic in the rules)."""

    __slots__ = ("tests", "literals")

    def __init__(self, tests: tuple[_Test, ...], keys: tuple[str, ...]) -> None:
        super().__init__()
        self.tests, self.literals = tests, keys
        if len(tests) <= _SUFFIXES_MAX:
            for at in range(len(tests) - 1, -1, -1):  # backwards: the first rule of a literal is the one kept
                self[keys[at]] = tests[at:]

    def __missing__(self, key: str) -> tuple[_Test, ...]:
        return self.tests[self.literals.index(key) :]


#: See :class:`_Suffixes`.
_SUFFIXES_MAX = 32


def _todo(tests: tuple[_Test, ...], positions: Sequence[int]) -> _Todo:
    chosen = tuple(map(tests.__getitem__, positions))
    keys = tuple(map(itemgetter(5), chosen))
    return keys, _Suffixes(chosen, keys).__getitem__


def _todo_of_hits(anchors: _Anchors, hits: set[str], tests: tuple[_Test, ...]) -> _Todo:
    """The rules to test for a path with several anchors: those of each, once, in decision order (kept for the next
    path with the same anchors)."""
    by_anchor, positions = anchors[2], anchors[4]
    key = frozenset(hits)
    todo = by_anchor.get(key)
    if todo is None:
        todo = _todo(tests, sorted(set().union(*map(positions.__getitem__, hits))))
        if len(by_anchor) < len(positions) + _MULTI_MAX:
            by_anchor[key] = todo
    return todo


#: The q of the q-gram prefilter, and when it is used: many literals against a long path. Testing each
#: literal with ``in`` scans the path once per literal (10,000 ``/*word`` rules on a 64 KB URL: 10,000
#: scans); the prefilter collects the path's q-grams once and keeps only the literals whose first and
#: last q-grams both occur, so its cost hardly grows with the number of literals. Exactness does not
#: depend on it: the survivors still get the ``in`` test and the full rule test.
_Q = 4
_GRAMS_MIN_KEYS = 128
_GRAMS_MIN_WORK = 4_000_000  # literals x path length above which the prefilter pays (measured)


def _grams_filter(path: str, firsts: tuple[str, ...], lasts: tuple[str, ...]) -> Any:
    """For each literal (given by its first and last q-grams, "" for a literal shorter than q): False
    when it certainly does not occur in ``path`` (a long path). Costs one pass over the path, in C."""
    from operator import and_

    q = _Q
    grams = set(map(path.__getitem__, map(slice, range(len(path) - q + 1), range(q, len(path) + 1))))
    grams.add("")
    return map(and_, map(grams.__contains__, firsts), map(grams.__contains__, lasts))


#: Estimated seconds to compile a rule set's regex: a base, per rule and per character of pattern
#: (fitted to the corpus with CPU time, CPython 3.11, the pure-Python ``re`` compiler: 0.3 ms for one
#: rule, ~6 ms for 40-80 rules; it over-estimates the largest sets, which never compile anyway).
_COMPILE_BASE = 0.3e-3
_COMPILE_PER_RULE = 40e-6
_COMPILE_PER_CHAR = 3e-6
#: Rule sets whose regex would take longer than this to build are never compiled, so no single check
#: stalls (issue 10: every check after the first within 50 ms on any file within 500 KiB).
COMPILE_CAP = 0.020
#: Seconds the compiled tier saves per check over the uncompiled one: a rule set compiles once it has answered as
#: many URLs as its estimated compile time divided by this, i.e. once compiling would have paid for itself by then;
#: 0 (the default): never on its own. Measured (callgrind, the 50 corpus files at 10,000 URLs per origin, each
#: tier forced): the compiled check costs more instructions than the uncompiled one on 40 files (up to 5x on
#: etsy, gitlab, unicef), saves 150-1,100 of ~6,000 on 7 small ones (edge-cases, herold, facebook, drafthouse,
#: igi-global, ebay, agoda), which is less than their compile cost before ~20,000 checks; and counting checks
#: towards the switch costs ~500 instructions per check on every rule set that counts (issue 10: N = 10,000).
#: Tests set it (e.g. 0.15e-6) to exercise the switch; a rule set whose Disallow heads ``check`` tests in one call
#: never compiles.
_SAVED_PER_CHECK = 0.0
#: Larger rule sets never compile: the compiled check saves nothing there (measured: kayak, amazon,
#: wikipedia, bbc, google with 98 to 273 rules: -0.5 to +0.1 µs per check).
_MAX_COMPILED_RULES = 80
#: Rule sets with more floating globs than this (``/*x``: a literal head of at most one character)
#: stay uncompiled: in the regex each becomes a branch that scans the whole URL, which is slower than
#: the uncompiled tier's C-level literal prefilter.
_MAX_FLOATING = 2

#: At most this many literal heads are tested in the one ``str.startswith`` call that answers most paths
#: before any lookup (see :meth:`RuleSet._uncompiled`); with more, the lookup alone is cheaper.
_QUICK_MAX_HEADS = 24

#: :meth:`RuleSet.prefix_gate` looks at most this many head nodes below a prefix (each may need its entry built), and
#: gives at most this many literals (a caller looks for each in a path).
_PREFIX_MAX_HEADS = 8
_GATE_MAX_LITERALS = 32
#: :meth:`RuleSet.literal_check` decides from the rules of at most this many head nodes below its prefix, and at most
#: this many literals (it looks for each in the path).
_LITERAL_MAX_HEADS = 32
_LITERAL_MAX = 48
#: ... and keeps what to test for at most this many sets of several literals met in paths.
_LITERAL_SETS = 16
#: ... and a rule set shares the states of at most this many distinct shapes between the prefixes that have them (see
#: :meth:`RuleSet._literal_tests`; a Guard asks for at most one per segment it learns).
_LITERAL_STATES = 256

#: Rule sets with fewer rules are built one rule at a time (:meth:`RuleSet._build_few`), more in bulk.
_BULK_MIN_RULES = 8

#: The scan (:meth:`RuleSet._scan`) answers a rule set's first check (its cold cost: parse plus first check).
#: A rule set with at most ``_SCAN_MIN_RULES`` rules builds its index on the second: building it costs what
#: 15 to 70 of the scan's checks cost more than the index's (callgrind on the corpus: 0.1M to 3.5M
#: instructions), and an origin checked twice is usually checked more (fresh parse per origin, 100 URLs each:
#: 137M instructions over the corpus with the index from the second check, against 155M scanning throughout).
#: A larger one, whose index costs far more to build (etsy's 1,034 rules: 15M) while the scan's checks cost
#: little more than the index's, keeps scanning until its checks have cost ``_SCAN_BASE + _SCAN_PER_RULE`` per
#: rule, in units of ~100 instructions. A check is charged ``_SCAN_FIXED``, plus ``_SCAN_PER_LENGTH`` per
#: prefix looked up, or one unit per ``_SCAN_HEADS_PER_UNIT`` Disallow heads tested at once.
_SCAN_MIN_RULES = 150
#: A larger rule set answers at most its first ``_SCAN_RAW_CHECKS`` checks, if their paths are long (see
#: :data:`_LONG_PATH`), with one C-level ``str.startswith`` pass over its rules' literal heads, charged
#: ``_SCAN_RAW_PER_RULE`` instructions a rule, before it builds the scan's lookups.
_SCAN_RAW_CHECKS = 3
_SCAN_RAW_PER_RULE = 200
_SCAN_BASE = 150
_SCAN_PER_RULE = 300
_SCAN_FIXED = 30
_SCAN_PER_LENGTH = 7
_SCAN_HEADS_PER_UNIT = 3
#: With at most this many distinct lengths of plain patterns (or of special heads), the scan looks the path's
#: prefixes up in a plain loop (building C-level iterators costs more for a few; callgrind on the corpus).
_SCAN_LOOP_MAX = 4
#: With more Disallow heads than this, the scan does not first test them all in one ``str.startswith``.
_SCAN_QUICK_MAX = 128
#: A glob the scan tests on a path (its literal searched for, then its segments) is charged this much more.
_SCAN_PER_TEST = 10
#: A check that would test more globs than this hands over to the index, which picks the few candidates by
#: anchors and q-grams: the scan tests every candidate on the whole path (10,000 ``/*word`` rules on a 64 KB
#: URL: 390 ms a check, and the budget lasted ~16,000 checks; issue 10 wants every later check under 50 ms).
_SCAN_MAX_TESTS = 32
#: ``_left[0]`` while the rule set scans (no index yet).
_SCANNING = -(1 << 61)

#: Testing hook: "compiled" compiles every rule set at once (when it can), "uncompiled" never does,
#: "grams" never compiles and uses the q-gram prefilter wherever a node has literals to test, "scan"
#: answers ``check`` by the scan only (``decide`` builds the index as usual).
FORCE_TIER: str | None = None

#: The regex compiler, imported on the first compile (``re`` is not imported with the matcher). It is
#: called directly so the regex does not enter ``re``'s module cache, which would keep it alive after
#: its policy is dropped.
_sre_compiler: Any = None


def _compiler() -> Any:
    global _sre_compiler
    if _sre_compiler is None:
        try:
            from re import _compiler as found  # type: ignore[attr-defined]
        except ImportError:  # Python 3.10
            import sre_compile as found  # type: ignore[no-redef]
        _sre_compiler = found
    return _sre_compiler


def _parents(heads: list[str], uppers: list[str] | None = None) -> list[int]:
    """For each of the sorted, distinct ``heads``, the index of its longest proper prefix among them (-1
    for none).

    A head that prefixes another one prefixes the next in sorted order, and the heads it prefixes follow
    it in one block; so each such *inner* head (usually few) is the parent of its block, deeper ones
    overriding shallower ones, and the rest (usually most) have none: slice assignments, in C.
    """
    count = len(heads)
    parent = [-1] * count
    if uppers is not None:
        # ASCII heads, ``uppers[i + 1]`` being ``heads[i] + "\x80"``: a head h >= heads[i] starts with it exactly when
        # h < that bound (C-level compares, where a ``str.startswith`` call parses its arguments each time).
        inner = list(compress(range(count - 1), map(_lt, islice(heads, 1, None), islice(uppers, 1, None))))
        for j in inner:
            end = bisect_left(heads, uppers[j + 1], j + 1)
            parent[j + 1 : end] = repeat(j, end - j - 1)
        return parent
    inner = list(compress(range(count - 1), map(str.startswith, heads[1:], heads[:-1])))
    if inner and "\U0010ffff" in "".join(heads):  # the block bound below would be inexact
        stack: list[int] = []  # heads that prefix the current one, shortest first (sorted order nests them)
        for i, head in enumerate(heads):
            while stack and not head.startswith(heads[stack[-1]]):
                stack.pop()
            if stack:
                parent[i] = stack[-1]
            stack.append(i)
        return parent
    for j in inner:  # shallower heads first, as sorted order puts a prefix before what it prefixes
        end = bisect_left(heads, heads[j] + "\U0010ffff", j + 1)
        parent[j + 1 : end] = repeat(j, end - j - 1)
    return parent


def _merge(inherited: tuple[_Test, ...], own: tuple[_Test, ...], longer: bool) -> tuple[_Test, ...]:
    """``inherited`` (tests in decision order, at most the last one needing no test) with the tests ``own``
    (in decision order) put in place, cut after the first that needs no test; when ``longer`` (for paths
    longer than the head of ``own``), less the ``head$`` tests of ``own``."""
    if longer and (own[0][1] == 1 if len(own) == 1 else any(t[1] == 1 for t in own)):
        own = tuple(t for t in own if t[1] != 1)
        if not own:
            return inherited
    if len(own) == 1:  # the usual case: one rule per head
        test = own[0]
        at = bisect_left(inherited, test)
        if at == len(inherited):
            return inherited if inherited and inherited[-1][1] == 0 else inherited + own
        return inherited[:at] + own if test[1] == 0 else inherited[:at] + own + inherited[at:]
    merged = sorted(inherited + own)
    kinds = list(map(itemgetter(1), merged))
    if 0 in kinds:
        del merged[kinds.index(0) + 1 :]
    return tuple(merged)


def _matches(path: str, pattern: str) -> bool:
    """Does ``pattern``, which holds a ``*`` or ends with ``$``, match ``path``? Each middle segment is matched at
    its leftmost occurrence, as :func:`_passes` matches it (which needs the pattern's :data:`_Test` made first:
    this, for one path, costs less)."""
    anchored = pattern[-1] == "$"
    segments = (pattern[:-1] if anchored else pattern).split("*")
    head = segments[0]
    if not path.startswith(head):
        return False
    if len(segments) == 1:  # "head$"
        return len(path) == len(head)
    rest = path[len(head) :]
    for segment in segments[1:-1]:
        if segment:
            _, found, rest = rest.partition(segment)
            if not found:
                return False
    return rest.endswith(segments[-1]) if anchored else segments[-1] in rest


def path_matches(path: str, pattern: str) -> bool:
    """Does the robots-style ``pattern`` (a prefix, ``*`` for any run, a final ``$`` for the end) match ``path``?
    In time linear in the path, for any pattern: TDMRep locations and other path scopes read from a site use this,
    since a regular expression made of a site's ``/*a*a*a...*b`` backtracks without end."""
    if "*" not in pattern and not pattern.endswith("$"):
        return path.startswith(pattern)
    return _matches(path, pattern)


#: A path longer than this is long: before a glob is matched on it, each literal segment of the glob is looked for
#: by one of its rarest characters (``str.__contains__`` of one character is a ``memchr``: ~2 µs over 64 KB, where
#: looking for a segment of several characters costs 50-150 µs; issue 10: a 64 KB URL checked in protego's time).
_LONG_PATH = 2048
#: Characters of URL paths, most common first; a character not listed is rarer than all of them ("?", "=", "_", "%",
#: upper case...).
_COMMON = "/etaoinsrlcdpumhgbfwykvxjqz.-0123456789"
_RARITY = {c: -i for i, c in enumerate(_COMMON)}


def _positions(flags: bytes) -> list[int]:
    """The positions after the first of the ones in ``flags`` (0 or 1 each; ones are few), found in C."""
    found: list[int] = []
    at = flags.find(1, 1)
    while at >= 0:
        found.append(at)
        at = flags.find(1, at + 1)
    return found


def _rarest(segment: str) -> str:
    """The character of ``segment`` least likely in a path (see :data:`_COMMON`)."""
    best, score = segment[0], 1
    for c in segment:
        rank = _RARITY.get(c, -99)
        if rank < score:
            best, score = c, rank
    return best


def _lacks(path: str, pattern: str, seen: dict[str, bool]) -> bool:
    """Does a literal segment after the head of ``pattern`` (a glob) occur nowhere in the long ``path``? Then the
    pattern cannot match it. Each segment is looked for once per path (``seen``), its rarest character first."""
    for segment in (pattern[:-1] if pattern[-1] == "$" else pattern).split("*")[1:]:
        if segment:
            present = seen.get(segment)
            if present is None:
                present = seen[segment] = _rarest(segment) in path and segment in path
            if not present:
                return True
    return False


def _scan_group(heads: list[str], patterns: list[str], allows: list[bool],
                end: int) -> tuple[tuple[int, str, str | None], ...]:
    """The rules of the scan's group of special rules (``heads``, ``patterns``, ``allows``: sorted by head) that ends
    at ``end`` (exclusive) as (rank, a literal the path must contain, the pattern to match with :func:`_matches`,
    or None when the head prefixing the path suffices), in decision order (rank: 2 * pattern length + allow), cut
    after the first needing no test. No :data:`_Test` is made: a group is reached by a few paths while the scan
    answers, and :func:`_literal_head` costs more than matching those few."""
    items: list[tuple[int, str, str | None]] = []
    for i in range(bisect_left(heads, heads[end - 1], 0, end), end):
        pattern = patterns[i]
        body = pattern[:-1] if pattern[-1] == "$" else pattern
        rank = len(pattern) * 2 + allows[i]
        if "*" in body and "*" not in body.rstrip("*"):  # "head*" or "head*$": the head suffices
            items.append((rank, "", None))
        else:  # the last segment must occur in the path ("" for "head$")
            items.append((rank, body.rstrip("*").rpartition("*")[2], pattern))
    items.sort(key=itemgetter(0), reverse=True)  # stable: ties keep their order (the same verdict either way)
    for n, item in enumerate(items):
        if item[2] is None:
            del items[n + 1 :]
            break
    return tuple(items)


class _OnFirstUse:
    """``decide``, ``decide_path`` and ``_decide_quietly`` of a :class:`RuleSet`: built on first use (they
    return :class:`Rule` objects, which a crawler that only checks never needs), then kept in the
    instance's ``__dict__``, which takes precedence over this non-data descriptor. (A ``__getattr__``
    would do the same, but it slows every attribute read of the rule set, ``check`` included: CPython
    cannot specialise reads on a class that has one.)"""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, ruleset: Any, owner: type | None = None) -> Any:
        if ruleset is None:
            return self
        ruleset._build_decide()
        return ruleset.__dict__[self.name]


def _first_match(tests: Any, path: str) -> bool | None:
    """The verdict of the first of :class:`_LiteralCheck`'s ``tests`` that ``path`` (normalised, no fragment) matches,
    None when none does."""
    for verdict, low, high, kind, start, last, test, _ in tests:
        if low and not low <= path < high:
            continue  # a head below the prefix that this path does not start with
        if kind == 2 and not test[3]:  # "head*last": the usual glob (as _passes, inline)
            if last in path[start:]:
                return verdict  # type: ignore[no-any-return]
        elif kind == 0 or (len(path) == start if kind == 1 else _passes(path, test)):
            return verdict  # type: ignore[no-any-return]
    return None


def _verdict_or_tests(chosen: list[tuple[Any, ...]]) -> Any:
    """``chosen`` (tests in decision order) as :class:`_LiteralCheck` keeps them: the verdict alone when whichever
    matches first gives it (none matching is "allowed", unless the last matches every path), else a tuple."""
    verdict = chosen[-1][0] if chosen and chosen[-1][3] == 0 and not chosen[-1][1] else True
    if all(item[0] is verdict for item in chosen):
        return verdict
    return tuple(chosen)


def _chosen(items: list[tuple[Any, ...]], held: tuple[str, ...]) -> Any:
    """The tests of ``items`` (see :meth:`RuleSet._literal_items`) that a path holding the literals ``held`` (and no
    other) may match: those without a key, and those whose key holds one of ``held``; cut after the first that every
    path matches."""
    chosen = []
    for item in items:
        key = item[7]
        if not key or any(literal in key for literal in held):
            chosen.append(item)
            if item[3] == 0 and not item[1]:
                break  # every path here matches it: nothing after it can decide
    return _verdict_or_tests(chosen)


def _picks(items: list[tuple[Any, ...]], literals: tuple[str, ...]) -> tuple[dict[str, Any], Any]:
    """:func:`_chosen` for each of ``literals`` alone, and for none of them, in one pass over ``items`` (each key is
    tested once against the literals: the cost grows as keys x literals plus items, not items x literals)."""
    holds: dict[str, list[str]] = {}
    for item in items:
        key = item[7]
        if key and key not in holds:
            holds[key] = [literal for literal in literals if literal in key]
    chosen: dict[str, list[tuple[Any, ...]]] = {literal: [] for literal in literals}
    lists = list(chosen.values())
    plain: list[tuple[Any, ...]] = []
    for item in items:
        key = item[7]
        if key:
            for literal in holds[key]:
                chosen[literal].append(item)
        else:  # a test every path may need (no key: kinds 0 and 1, or a glob all of whose segments the prefix holds)
            plain.append(item)
            for each in lists:
                each.append(item)
            if item[3] == 0 and not item[1]:
                break  # every path here matches it: nothing after it can decide
    return {literal: _verdict_or_tests(tests) for literal, tests in chosen.items()}, _verdict_or_tests(plain)


class _LiteralCheck:
    """:meth:`RuleSet.literal_check`'s callable, as a bound method (one object behind it, where a closure's cells are
    one each, and each is a cache miss when a Guard's many rule sets take turns). Its state is built on the first
    call (most segments never see a path holding a literal): ``literals`` to look for in the path, and what to test
    (see :meth:`RuleSet._literal_tests`) for a path holding none of them (``tests``), one of them (``by_literal``),
    or several (``several``: built for each set of them met, at most :data:`_LITERAL_SETS`; beyond, the matcher's
    ``under`` decides). Those objects are shared with the rule set's other prefixes that have the same state (most
    of a site's segments): only the prefix and the fields pointing at them are this object's."""

    __slots__ = ("literals", "by_literal", "tests", "several", "ruleset", "prefix", "hint", "refusing", "low", "high")
    by_literal: dict[str, Any]
    tests: Any
    several: dict[tuple[str, ...], Any]

    def __init__(self, ruleset: RuleSet, prefix: str, low: int, high: int, hint: tuple[str, ...]) -> None:
        self.literals: tuple[str, ...] | None = None
        self.ruleset = ruleset
        #: None once known to have no state (too many heads or literals): the matcher decides.
        self.prefix: str | None = prefix
        self.hint = hint
        self.low, self.high = low, high  # the heads below the prefix, for the matcher's walk (see under)

    def under(self, path: str) -> bool:
        """The matcher's answer, walking only the heads below the prefix (:meth:`RuleSet.check_under`)."""
        return self.ruleset._under(self.low, self.high, path)  # type: ignore[no-any-return]

    def _build(self) -> None:
        if self.prefix is None:
            return
        found = self.ruleset._literal_tests(self.prefix, self.hint)
        if found is None:
            self.prefix = None
            return
        self.by_literal, self.tests, self.refusing, self.several = found[1], found[2], found[3], found[4]
        self.literals = found[0]

    def check(self, path: str) -> bool:
        literals = self.literals
        if literals is None:
            self._build()
            literals = self.literals
            if literals is None:
                return self.under(path)
        if "%" in path or not path.isascii():
            path = normalise_path(path)  # still under the prefix, which holds no "%" and is ASCII (see check_under)
        if "#" in path:
            path = path[: path.index("#")]
        if self.refusing:  # every rule here refuses: refused when one of those the path's literals let in matches
            for literal in literals:
                if literal in path:
                    tests = self.by_literal[literal]
                    if tests is False or (tests.__class__ is not bool and _first_match(tests, path) is not None):
                        return False  # (no need to look for more literals: any match refuses)
            tests = self.tests
            return tests if tests.__class__ is bool else _first_match(tests, path) is None  # type: ignore[no-any-return]
        tests = None
        for literal in literals:
            if literal in path:
                if tests is not None:
                    tests = self._several(path)
                    if tests is None:
                        return self.under(path)
                    break
                tests = self.by_literal[literal]
        if tests is None:
            tests = self.tests
        if tests.__class__ is bool:
            return tests  # type: ignore[return-value]
        verdict = _first_match(tests, path)
        return True if verdict is None else verdict

    def _several(self, path: str) -> Any:
        """The tests for a path holding several of the literals (rare): the union of theirs, kept per set."""
        present = tuple([literal for literal in self.literals if literal in path])  # type: ignore[union-attr]
        tests = self.several.get(present)
        if tests is None:
            if len(self.several) >= _LITERAL_SETS:
                return None
            tests = self.several[present] = self.ruleset._literal_tests(self.prefix, self.hint, present)  # type: ignore[arg-type]
        return tests


class RuleSet:
    """The merged rules of the groups that apply to one agent: what :meth:`RobotsPolicy.matcher` returns.

    The hot path for a caller that checks many URLs for one agent (a crawler's per-origin cache, an
    audit): get it once per (policy, agent), then call its two attributes, which are plain callables::

        check(url) -> bool                        # may this agent fetch url?
        decide(url) -> (allowed, Rule | None)     # and which rule decided (Google's matching_line())

    ``url`` is an absolute URL or a path ("/a?b"), as for :meth:`RobotsPolicy.is_allowed`; both answer
    exactly as ``is_allowed`` and ``explain`` do. A caller that already split its URLs at the authority
    (one matcher per origin, URLs of many origins interleaved) calls the path forms, which skip finding
    the origin again::

        check_path(path) -> bool                  # == check("http://h" + path)
        decide_path(path) -> (allowed, Rule | None)   # == decide("http://h" + path)

    ``path`` is everything after the authority of an http(s) URL (path, params, query; a fragment may
    still be on it and is ignored) and starts with "/"; only what follows an authority holding no '?',
    ';' or '#' qualifies (:func:`~._syntax.origin_prefix`): when unsure, pass the URL to ``check``.

    All four start in the scan (:meth:`_scan`) and build the index on their own once that pays; they
    switch to the compiled regex only when a tier is forced or :data:`_SAVED_PER_CHECK` is set (by
    default compiling never pays, see there). Callers need no tiering of their own: a callable bound
    once (``check = matcher.check``) follows the switches too. ``explain``, ``group_for``
    and ``crawl_delay`` never compile. ``rules`` are the merged rules as written; ``tier`` says which
    tier answers.
    """

    # "__dict__" holds decide, decide_path and _decide_quietly once built (see _OnFirstUse).
    __slots__ = ("_rules", "_make_rules", "_rule_of", "_fallback", "_heads", "_parent", "_own", "_chains",
                 "_patterns", "_by_head", "_starts", "_verdicts", "_quick", "_young", "_literal_states", "_literal_items_made",
                 "_table", "_uppers", "_grams", "_force_grams", "_budget", "_left", "_compiled", "_regex", "_columns",
                 "check", "check_path", "_under", "__dict__", "__weakref__")
    _rules: tuple[Rule, ...] | None
    _make_rules: Callable[[], tuple[Rule, ...]] | None
    _uppers: list[str]
    #: Per head node the tests of its own rules, made on first use (:meth:`_own_of`).
    _own: list[tuple[_Test, ...] | None]
    #: :meth:`_quick_heads` for (decide, check), once made.
    _quick: list[tuple[str, ...] | None]
    #: (allows, patterns, lines, lines ascending?) as given, until the index is built from them (see :meth:`_index`).
    _columns: tuple[list[bool], list[str], list[int], bool] | None
    check: Callable[[str], bool]
    check_path: Callable[[str], bool]
    decide: Callable[[str], tuple[bool, Rule | None]] = _OnFirstUse()  # type: ignore[assignment]
    decide_path: Callable[[str], tuple[bool, Rule | None]] = _OnFirstUse()  # type: ignore[assignment]
    #: ``decide`` that never compiles (behind ``explain``): the uncompiled tier, or the regex once built.
    _decide_quietly: Callable[[str], tuple[bool, Rule | None]] = _OnFirstUse()  # type: ignore[assignment]

    def __init__(self, rules: Sequence[Rule]) -> None:
        rules = tuple(rules)
        self._setup([r.allow for r in rules], [r.pattern for r in rules], [r.line for r in rules], rules, None)

    @classmethod
    def _lazy(cls, allows: list[bool], patterns: list[str], lines: list[int],
              make_rules: Callable[[], tuple[Rule, ...]]) -> RuleSet:
        """A rule set from parallel columns (allow?, normalised pattern, line); the :class:`Rule` objects,
        which only ``decide`` and ``rules`` need, come from ``make_rules()`` when first needed (a crawler
        that only checks never builds them)."""
        self = cls.__new__(cls)
        self._setup(allows, patterns, lines, None, make_rules)
        return self

    @property
    def rules(self) -> tuple[Rule, ...]:
        """The merged rules, as written and in file order."""
        rules = self._rules
        if rules is None:
            rules = self._rules = self._make_rules()  # type: ignore[misc]  # set when _rules is None
        return rules

    def _setup(self, allows: list[bool], patterns: list[str], lines: list[int], rules: tuple[Rule, ...] | None,
               make_rules: Callable[[], tuple[Rule, ...]] | None) -> None:
        """Start in the scan (:meth:`_scan`); the index (:meth:`_index`) is built once the scans have cost
        about as much as building it would, or at once when a tier is forced."""
        self._rules = rules
        self._make_rules = make_rules
        self._compiled = self._force_grams = False
        #: The compile countdown (see :meth:`_finish`); :data:`_SCANNING` until the index is built.
        self._left = [_SCANNING]
        if FORCE_TIER is None or FORCE_TIER == "scan":
            self._columns = (allows, patterns, lines, rules is None)
            self.check, self.check_path = self._scan(allows, patterns)
        else:
            self._columns = None
            self._order(allows, patterns, lines, rules is None)

    def _index(self) -> None:
        """Build the uncompiled tier's index from the columns kept by :meth:`_setup` (once: a second thread
        racing this one waits for it, as building another over it would swap the tables under the first
        one's closures). ``check`` and ``check_path`` are its callables from then on."""
        if self._columns is not None:
            with _INDEX_LOCK:
                columns = self._columns
                if columns is not None:
                    self._order(*columns)
                    self._columns = None

    def _order(self, allows: list[bool], patterns: list[str], lines: list[int], ascending: bool = False) -> None:
        """Put the rules in decision order and build the uncompiled tier. Columns in, and C-level ``map`` and
        ``sorted`` over them: one sort of ints, and no object per rule. ``ascending``: the lines ascend with the
        positions (a policy's columns: its groups, and the lines in each, in file order)."""
        indexes: Any = range(len(patterns))
        # Google's matching_line() when nothing of positive length matched: an empty Allow (tie, Allow
        # wins) else an empty Disallow. Neither changes the verdict, which is then "allowed". Empty
        # patterns (length 0) never decide, so they are not ordered.
        self._fallback = -1
        if "" in patterns:
            empty = [i for i, p in enumerate(patterns) if not p]
            self._fallback = next((i for i in empty if allows[i]), empty[0])
            keep = list(map(bool, patterns))
            indexes = list(compress(indexes, keep))
            allows = list(compress(allows, keep))
            patterns = list(compress(patterns, keep))
            lines = list(compress(lines, keep))
        if len(patterns) < _BULK_MIN_RULES or not patterns:
            self._setup_few(allows, patterns, lines, indexes)
            return
        if "/index.htm" in "\n".join(patterns):
            derived = [(index_html_pattern(p), line, i) for allow, p, line, i in zip(allows, patterns, lines, indexes)
                       if allow and "/index.htm" in p]
            derived = [d for d in derived if d[0] is not None]
            if derived:  # new lists: the columns are the caller's
                ascending = False  # a derived rule comes last, with the line of its Allow
                allows = allows + [True] * len(derived)
                patterns = patterns + [d[0] for d in derived]  # type: ignore[misc]
                lines = lines + [d[1] for d in derived]
                indexes = [*indexes, *(d[2] for d in derived)]
        # Decision order: (length desc, Allow first, line asc), by a stable sort of the positions on one int per rule.
        if ascending:
            # Positions already in line order: a descending sort on 2 * length + allow keeps ties in it (C-level map
            # passes, no max or min of the lines).
            keys = list(map(_add, map(_mul, map(len, patterns), repeat(2)), allows))
            order = sorted(range(len(patterns)), key=keys.__getitem__, reverse=True)
        else:
            # ((longest - length) * 2 + Disallow) * (span of the lines) + line, ascending.
            # (A list comprehension: in CPython 3.11 it costs 40% less per rule than six C-level ``map`` passes.)
            lengths = list(map(len, patterns))
            span = max(lines) - min(lines) + 1
            top = max(lengths)
            ranks = [((top - length) * 2 + (not allow)) * span + line
                     for length, allow, line in zip(lengths, allows, lines)]
            order = sorted(range(len(patterns)), key=ranks.__getitem__)
        ordered_patterns = list(map(patterns.__getitem__, order))
        verdicts = list(map(allows.__getitem__, order))
        # A range's item is its position: then ``order`` is already the index in ``rules`` of each.
        rule_of: list[int] = order if indexes.__class__ is range else list(map(indexes.__getitem__, order))
        if len(set(patterns)) < len(patterns):  # a later duplicate (same pattern and kind) can never decide
            seen: set[tuple[bool, str]] = set()
            keep = [not (k in seen or seen.add(k)) for k in zip(verdicts, ordered_patterns)]  # type: ignore[func-returns-value]
            ordered_patterns = list(compress(ordered_patterns, keep))
            verdicts = list(compress(verdicts, keep))
            rule_of = list(compress(rule_of, keep))
        self._rule_of = rule_of
        self._finish(ordered_patterns, verdicts)

    def _setup_few(self, allows: list[bool], patterns: list[str], lines: list[int], indexes: Any) -> None:
        """The decision order of a few rules, one by one (the bulk form's fixed cost dominates); ties (equal
        lines: only in rule sets built by hand) keep the rules' order, derived ones last, as in bulk."""
        entries = [(-len(p), not allow, line, position, p, i)
                   for position, (allow, p, line, i) in enumerate(zip(allows, patterns, lines, indexes))]
        for allow, p, line, i in zip(allows, patterns, lines, indexes):
            if allow and "/index.htm" in p:
                derived = index_html_pattern(p)
                if derived is not None:
                    entries.append((-len(derived), False, line, len(entries), derived, i))
        entries.sort()
        seen: dict[tuple[bool, str], Any] = {}
        # A later duplicate (same pattern and kind) can never decide.
        kept = [e for e in entries if seen.setdefault((e[1], e[4]), e) is e]
        self._rule_of = [e[5] for e in kept]
        self._finish([e[4] for e in kept], [not e[1] for e in kept])

    def _finish(self, ordered_patterns: list[str], verdicts: list[bool]) -> None:
        """The uncompiled tier and the compile budget, once the rules are in decision order."""
        self._verdicts = verdicts
        self._quick = [None, None]
        self._build_uncompiled(ordered_patterns)
        self._compiled = False
        count = len(ordered_patterns)
        worth = False
        if _SAVED_PER_CHECK > 0 and count:
            estimate = (_COMPILE_BASE + _COMPILE_PER_CHAR * sum(map(len, ordered_patterns))
                        + _COMPILE_PER_RULE * count)
            worth = (estimate <= COMPILE_CAP and count <= _MAX_COMPILED_RULES and self._quick_heads(True) == ("",)
                     and _floating(ordered_patterns) <= _MAX_FLOATING)
        #: Estimated seconds to compile, None when this rule set never compiles on its own.
        self._budget: float | None = estimate if worth else None
        self._force_grams = FORCE_TIER == "grams"
        #: Per head node using the q-gram prefilter: the first and last q-grams of its literals.
        self._grams: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        if FORCE_TIER in ("uncompiled", "grams", "scan"):
            self._budget = None
        results = tuple(verdicts) + (True, True)
        self.check, self.check_path = self._uncompiled(results, self._budget is not None, "check")
        #: Checks and decides left before compiling (the two count together). The same list as in the scan,
        #: whose callables hand over once it holds anything but _SCANNING (so set after ``check``); kept
        #: when already lowered (tests: "as if it had answered that many URLs").
        if self._left[0] == _SCANNING and FORCE_TIER != "scan":
            self._left[0] = int(self._budget / _SAVED_PER_CHECK) + 1 if self._budget is not None else -1
        if FORCE_TIER == "compiled":
            self._compile()

    def _build_decide(self) -> None:
        self._index()
        if self._compiled:
            self.decide_path = decide_path = self._compiled_decide_path()
            self.decide = self._decide_quietly = self._compiled_decide(decide_path)
            return
        rules = self.rules
        fallback = rules[self._fallback] if self._fallback >= 0 else None
        outcomes = tuple([(v, rules[i]) for v, i in zip(self._verdicts, self._rule_of)]) + ((True, None),
                                                                                           (True, fallback))
        counting = self._budget is not None
        self.decide, self.decide_path = self._uncompiled(outcomes, counting, "decide")
        self._decide_quietly = self._uncompiled(outcomes, False, "decide")[0] if counting else self.decide

    # ------------------------------------------------------------------ scan
    def _scan(self, allows: list[bool], patterns: list[str]) -> tuple[Callable[[str], bool], Callable[[str], bool]]:
        """``check`` and ``check_path`` before the index exists: Google's decision straight from the rules.

        Of the rules whose literal head prefixes the path, the longest pattern decides, Allow winning ties (the
        first rule in decision order, as the other tiers find it); each rule is ranked ``2 * length + allow``.
        A *plain* rule (no ``*`` nor final ``$``) matches whenever its pattern prefixes the path, so the best
        plain match is the longest plain pattern among the path's prefixes ``path[:n]``, n a plain length
        (distinct lengths are few: ~25 for 1,000 rules): dict lookups from the longest down, in C, stopping at
        the first hit. The other rules are grouped by literal head, looked up the same way, and each group
        found is tried in decision order, stopping at the first rule that matches or cannot beat the best so
        far; a group's tests are made when a path first reaches it. A path that no Disallow head prefixes is
        allowed after one ``str.startswith`` over those heads. Setting this up costs a few C-level passes over
        the rules and a sort of the special ones only: a crawler that checks a few URLs of an origin pays little
        more than the parse. Each check is charged to a budget (see :data:`_SCAN_BASE`); once that is spent, a
        part of what building the index costs, the index is built (:meth:`_index`) and answers from then on,
        through these callables too."""
        if "" in patterns:  # empty patterns (length 0) never decide
            keep = list(map(bool, patterns))
            allows = list(compress(allows, keep))
            patterns = list(compress(patterns, keep))
        count = len(patterns)
        left, mark, robots_path = self._left, _SCANNING, ROBOTS_PATH
        path_of_, normalise, prefix_of = path_of, normalise_path, origin_prefix
        verdict: Callable[[str], bool | None]
        if count <= _SCAN_MIN_RULES and FORCE_TIER != "scan":
            budget = 1  # the first check only: see _SCAN_MIN_RULES

            def first(path: str) -> bool | None:
                """The answer for ``path`` straight from the columns (nothing set up: the index answers from the next
                check on): the plain patterns that prefix it in one C-level pass, then each special rule."""
                nonlocal budget
                budget = 0
                if path == robots_path:
                    return True
                best = -1
                seen: dict[str, bool] | None = {} if len(path) > _LONG_PATH else None
                for allow, pattern in zip(allows, patterns):
                    rank = len(pattern) * 2 + allow
                    if rank > best and (path.startswith(pattern) if "*" not in pattern and pattern[-1] != "$"
                                        else _matches(path, pattern) if seen is None or "*" not in pattern
                                        else path.startswith(pattern[: pattern.find("*")]) and not _lacks(path, pattern, seen)
                                        and _matches(path, pattern)):
                        best = rank
                for pattern in directories:  # ".../$" from an Allow of ".../index.htm*"
                    rank = len(pattern) * 2 + 1
                    if rank > best and _matches(path, pattern):
                        best = rank
                return best < 0 or best & 1 == 1

            joined = "\n".join(patterns)
            directories = [d for d in (index_html_pattern(p) for a, p in zip(allows, patterns) if a and "/index.htm" in p)
                           if d is not None] if "/index.htm" in joined else []
            verdict = first
        else:
            budget = (1 << 62 if FORCE_TIER == "scan" else _SCAN_BASE + _SCAN_PER_RULE * count if count > _SCAN_MIN_RULES
                      else 1)  # see _SCAN_MIN_RULES

            def build_scan() -> Callable[[str], bool | None]:
                """The scan's lookups (see above), built once the first checks have been answered without them."""
                # The plain rules by pattern (-> rank: 2 * length + allow), the special ones (a "*", or a final "$") by
                # literal head, and the Disallow heads, in one plain loop: C-level passes over the columns (a dozen of
                # them) cost more per rule in CPython 3.11, even for etsy's 1,034 rules (callgrind: 3.8M instructions
                # against 5.1M), and far more for a few rules.
                plains: dict[str, int] = {}
                specials = []
                found = []
                for allow, pattern in zip(allows, patterns):
                    if "*" in pattern or pattern[-1] == "$":
                        head = pattern.partition("*")[0] if "*" in pattern else pattern[:-1]
                        specials.append((head, pattern, allow))
                    else:
                        head = pattern
                        if allow or pattern not in plains:  # an Allow outranks a Disallow of the same pattern
                            plains[pattern] = len(pattern) * 2 + allow
                    if not allow:
                        found.append(head)
                    elif "/index.htm" in pattern:  # Google: an Allow of ".../index.htm*" also allows ".../$"
                        derived = index_html_pattern(pattern)
                        if derived is not None:
                            specials.append((derived[:-1].partition("*")[0], derived, True))  # the head stops at a "*"
                disallowed = tuple(found)
                # The special rules sorted by literal head (heads, patterns and allows in that order).
                specials.sort(key=itemgetter(0))
                heads = [s[0] for s in specials]
                special_patterns = [s[1] for s in specials]
                special_allows = [s[2] for s in specials]
                plain_get = plains.get
                plain_sizes = sorted(set(map(len, plains))) if plains else []
                plain_cuts = list(map(slice, reversed(plain_sizes)))  # the longest first
                plain_count = len(plain_cuts)
                # A special head -> 1 + the position of its group's last rule.
                special_count = len(heads)
                groups = dict(zip(heads, range(1, special_count + 1))) if heads else {}
                group_get = groups.get
                special_sizes = sorted(set(map(len, groups))) if heads else []
                special_cuts = list(map(slice, special_sizes))
                #: Per group (by its end), once a path has reached it: see :func:`_scan_group`.
                entries: list[Any] = [None] * (special_count + 1)
                use_quick = len(disallowed) <= _SCAN_QUICK_MAX and "/" not in disallowed and "" not in disallowed
                quick = len(disallowed) // _SCAN_HEADS_PER_UNIT + _SCAN_FIXED
                max_tests = 1 << 62 if FORCE_TIER == "scan" else _SCAN_MAX_TESTS


                def verdict(path: str) -> bool | None:
                    """The answer for ``path``, or None when it would test too many globs: the index answers then."""
                    nonlocal budget
                    if use_quick and not path.startswith(disallowed):
                        budget -= quick
                        return True
                    if path == robots_path:
                        return True
                    best = -1
                    charge = _SCAN_FIXED
                    if plain_count:
                        if plain_count <= _SCAN_LOOP_MAX:  # a few lengths: a plain loop costs less than building iterators
                            for cut in plain_cuts:  # a cut longer than the path gives the whole path: looked up alike
                                rank = plain_get(path[cut])
                                if rank is not None:
                                    best = rank
                                    break
                            charge += plain_count * _SCAN_PER_LENGTH
                        else:  # the plain lengths above the path's are skipped
                            k = plain_count - bisect_right(plain_sizes, len(path))
                            best = next(filter(None, map(plain_get, map(_getitem, repeat(path), plain_cuts[k:]))),  # type: ignore[arg-type]
                                        -1)
                            charge += (plain_count - k) * _SCAN_PER_LENGTH
                    if special_count:
                        if len(special_cuts) <= _SCAN_LOOP_MAX:
                            found: Any = []
                            for cut in special_cuts:  # as above
                                end = group_get(path[cut])
                                if end:
                                    found.append(end)
                            charge += len(special_cuts) * _SCAN_PER_LENGTH
                        else:
                            k = bisect_right(special_sizes, len(path))
                            found = filter(None, map(group_get, map(_getitem, repeat(path), special_cuts[:k])))  # type: ignore[arg-type]
                            charge += k * _SCAN_PER_LENGTH
                        tested = 0
                        seen: dict[str, bool] | None = {} if len(path) > _LONG_PATH else None
                        for end in found:
                            entry = entries[end]
                            if entry is None:
                                entry = entries[end] = _scan_group(heads, special_patterns, special_allows, end)
                            for rank, key, test in entry:
                                if rank <= best:
                                    break
                                if test is not None:
                                    tested += 1
                                    if tested > max_tests:
                                        budget = 0  # from now on the index answers, this path included
                                        return None
                                    if (key not in path if seen is None else _lacks(path, test, seen)) or not _matches(path, test):
                                        continue
                                best = rank
                                break
                        charge += tested * _SCAN_PER_TEST
                    budget -= charge
                    return best < 0 or best & 1 == 1

                return verdict

            raw_left = _SCAN_RAW_CHECKS if FORCE_TIER != "scan" else 0
            raw_charge = count * _SCAN_RAW_PER_RULE // 100 + _SCAN_FIXED
            heads: list[str] = []
            derived: list[str] = []  # ".../$" from an Allow of ".../index.htm*"

            def raw(path: str) -> bool | None:
                """The answer for a long ``path`` from the rules whose literal head prefixes it, found in one C-level pass
                of ``str.startswith`` over the heads, or None when it would test too many globs (the index answers
                then). The lookups are built instead for a usual path, or once ``_SCAN_RAW_CHECKS`` have been answered
                so: on a long path the glob tests dominate the check, and a first check made so (etsy, 64 KB URL:
                heads and pass ~1.8M instructions, where the lookups cost 3.7M to build) costs no more than protego's;
                but building the lookups after such checks costs more than building them at once, and over usual
                paths (a crawl, an audit) the lookups answer far more cheaply from the second check on."""
                nonlocal budget, raw_left, verdict, heads, derived
                if raw_left <= 0 or len(path) <= _LONG_PATH:
                    verdict = build_scan()
                    return verdict(path)
                raw_left -= 1
                budget -= raw_charge
                if not heads:  # each rule's literal head (a plain pattern is its own)
                    heads = patterns
                    joined = "\n".join(patterns)
                    if "*" in joined:  # (str.partition gives a pattern without "*" itself, as a plain one's head)
                        heads = list(map(_first, map(str.partition, patterns, repeat("*"))))
                    if "$\n" in joined or joined[-1] == "$":
                        heads = [p[:-1] if p[-1] == "$" and "*" not in p else h for h, p in zip(heads, patterns)]
                    if "/index.htm" in joined:
                        derived = [d for d in (index_html_pattern(p) for a, p in zip(allows, patterns)
                                                   if a and "/index.htm" in p) if d is not None]
                if path == robots_path:
                    return True
                flags = bytes(map(path.startswith, heads))
                best = -1
                tested = 0
                seen: dict[str, bool] = {}
                at = flags.find(1)
                while at >= 0:
                    pattern = patterns[at]
                    rank = len(pattern) * 2 + allows[at]
                    if rank > best:
                        if "*" not in pattern and pattern[-1] != "$":  # plain: its head prefixing the path, it matches
                            best = rank
                        else:
                            tested += 1
                            if tested > _SCAN_MAX_TESTS:
                                budget = 0  # from now on the index answers, this path included
                                return None
                            if ("*" not in pattern or not _lacks(path, pattern, seen)) and _matches(path, pattern):
                                best = rank
                    at = flags.find(1, at + 1)
                for pattern in derived:
                    rank = len(pattern) * 2 + 1
                    if rank > best and _matches(path, pattern):
                        best = rank
                return best < 0 or best & 1 == 1

            verdict = raw if raw_left else build_scan()

        # The rule set by a weak reference: it holds these callables, so a strong one would be a cycle, and a dropped
        # policy's scanning rule set would wait for the cyclic collector, which walks it first (corpus, one URL per
        # origin, collector on: 43.0M -> 41.3M instructions with _policy's make_rules). (The index tier's callables
        # still hold their rule set.) A callable kept without its rule set indexes a twin of it, kept here.
        ruleset_of = _weak(self)
        twin: list[RuleSet] = []
        given = (*self._columns[:3], self._rules, self._make_rules)  # type: ignore[index]  # set before the scan

        def handover(name: str, arg: str) -> bool:
            ruleset = ruleset_of()
            if ruleset is None:
                if not twin:
                    ruleset = RuleSet.__new__(RuleSet)
                    ruleset._setup(*given)
                    twin.append(ruleset)
                ruleset = twin[0]
            ruleset._index()
            return getattr(ruleset, name)(arg)  # type: ignore[no-any-return]

        # The last origin seen, "https://host/", the same with its "/" made "0", and its length - 1 (see
        # _syntax.origin_prefix): a URL of that origin needs two comparisons and a slice to find its path.
        origin = ("\x00", "\x00", 0)

        def check(url: str) -> bool:
            nonlocal origin
            if left[0] != mark or budget <= 0:
                return handover("check", url)
            prefix, end, cut = origin
            if prefix <= url < end:
                path = url[cut:]
                if "#" in path:
                    path = path[: path.index("#")]
            else:
                found = prefix_of(url)
                if found is None:
                    path = path_of_(url)
                else:
                    origin = (found, found[:-1] + "0", len(found) - 1)
                    path = url[len(found) - 1 :]
                    if "#" in path:
                        path = path[: path.index("#")]
            if not path.isascii() or "%" in path:
                path = normalise(path)
            answer = verdict(path)
            return handover("check", url) if answer is None else answer

        def check_path(original: str) -> bool:
            if left[0] != mark or budget <= 0:
                return handover("check_path", original)
            path = original[: original.index("#")] if "#" in original else original
            answer = verdict(path) if path.isascii() and "%" not in path else verdict(normalise(path))
            return handover("check_path", original) if answer is None else answer

        return check, check_path

    # ------------------------------------------------------------------ uncompiled tier
    def _build_uncompiled(self, patterns: list[str]) -> None:
        """Sort the distinct literal heads and link each to its longest proper prefix. ``patterns`` are in
        decision order. A rule's test (:data:`_Test`) is made only when a path first reaches its head's node
        (:meth:`_own_of`): a crawler checking a hundred URLs of an origin visits few of the nodes."""
        count = len(patterns)
        if count < _BULK_MIN_RULES or not count:
            self._build_few(patterns)
            return
        self._patterns = patterns
        # A pattern without "*" or a final "$" is its own literal head: only the others (usually fewer) are cut.
        heads = patterns
        joined = "\n".join(patterns)
        if "*" in joined or "$\n" in joined or joined[-1] == "$":  # (a list comprehension: a third of the map passes)
            heads = [p.partition("*")[0] if "*" in p else p[:-1] if p[-1] == "$" else p for p in patterns]
        # The rules by head, in decision order within a head: one stable sort of their positions, in C.
        by_head = sorted(range(count), key=heads.__getitem__)
        rule_heads = list(map(heads.__getitem__, by_head))
        # Where each head's run of rules starts: where the head differs from the one before (C-level compares).
        runs = [0, *compress(range(1, count), map(_ne, rule_heads[1:], rule_heads))]
        starts: list[int] | None = None
        if len(runs) == count:  # one rule per head (the usual case)
            heads = rule_heads
        else:
            heads = list(map(rule_heads.__getitem__, runs))
            runs.append(count)
            starts = runs
        self._heads = heads
        # Each head's upper bound for the walk (see _uncompiled), with "no head"'s first: ASCII heads also find their
        # parents by it.
        uppers: list[str] = ["\x80", *map(_concat, heads, repeat("\x80"))]  # type: ignore[arg-type,list-item]
        self._uppers = uppers
        self._parent = _parents(heads, uppers if joined.isascii() else None)
        self._by_head = by_head
        self._starts = starts
        self._own = [None] * len(heads)
        #: Per head node, built on first use: the tests that can decide for a path *longer* than its head
        #: (its own and its ancestors' rules less the ``head$`` ones), in decision order, cut after the
        #: first that needs no test.
        self._chains: list[tuple[_Test, ...] | None] = [None] * len(heads)
        #: Per head node its :data:`_Entry`, built on first use; the extra last slot (node -1: no head
        #: prefixes the path) says "no rule".
        self._table: list[_Entry | None] = [None] * len(heads) + [((), (), -1, 1 << 62, None)]
        #: Per head node built but not yet in the table (see :data:`_ANCHOR_MIN_VISITS`): [entry, times reached].
        self._young: dict[int, list[Any]] = {}
        #: :meth:`_literal_tests`' states by shape, and :meth:`_literal_items`' items by rule, made on first use.
        self._literal_states: dict[Any, list[Any]] | None = None
        self._literal_items_made: dict[int, tuple[Any, ...]] | None = None

    def _build_few(self, patterns: list[str]) -> None:
        """:meth:`_build_uncompiled` for a few rules, one by one (the bulk form's fixed cost dominates)."""
        by_head: dict[str, list[int]] = {}
        for index, pattern in enumerate(patterns):
            star = pattern.find("*")
            head = pattern[:star] if star >= 0 else pattern[:-1] if pattern[-1] == "$" else pattern
            found = by_head.get(head)
            if found is None:
                by_head[head] = [index]
            else:
                found.append(index)
        heads = sorted(by_head)
        parent = [-1] * len(heads)
        stack: list[int] = []  # heads that prefix the current one, shortest first (sorted order nests them)
        for i, head in enumerate(heads):
            while stack and not head.startswith(heads[stack[-1]]):
                stack.pop()
            if stack:
                parent[i] = stack[-1]
            stack.append(i)
        self._patterns = patterns
        self._heads = heads
        self._parent = parent
        if len(heads) == len(patterns):
            self._by_head = [by_head[h][0] for h in heads]
            self._starts = None
        else:
            self._by_head = [i for h in heads for i in by_head[h]]
            starts = [0]
            for h in heads:
                starts.append(starts[-1] + len(by_head[h]))
            self._starts = starts
        self._own = [None] * len(heads)
        self._chains = [None] * len(heads)
        self._table = [None] * len(heads) + [((), (), -1, 1 << 62, None)]
        self._young = {}
        self._literal_states = self._literal_items_made = None

    def _own_of(self, node: int) -> tuple[_Test, ...]:
        """The tests of the rules whose literal head is ``heads[node]``, in decision order (made once)."""
        starts, patterns = self._starts, self._patterns
        if starts is None:
            index = self._by_head[node]
            own: tuple[_Test, ...] = (_test(index, patterns[index]),)
        else:
            own = tuple([_test(i, patterns[i]) for i in self._by_head[starts[node] : starts[node + 1]]])
        self._own[node] = own
        return own

    def _entry(self, node: int) -> _Entry:
        """The :data:`_Entry` of head node ``node``: the tests of the rules whose head is ``heads[node]`` or
        one of its prefixes, in decision order, cut after the first that needs no test (it always
        matches, so nothing after it can decide). An ancestor's ``head$`` rule is left out: the path is
        longer than that head."""
        young = self._young.get(node)
        if young is not None:  # built, without its anchors until it has been reached often enough
            young[1] += 1
            if young[1] < _ANCHOR_MIN_VISITS:
                return young[0]  # type: ignore[no-any-return]
            self._young.pop(node, None)
            tests, keys, result, limit, _ = young[0]
            entry: _Entry = (tests, keys, result, limit, _anchors(tests))
            self._table[node] = entry
            return entry
        chains, parent, own = self._chains, self._parent, self._own
        todo = []
        n = parent[node]
        while n >= 0 and chains[n] is None:
            todo.append(n)
            n = parent[n]
        inherited: tuple[_Test, ...] = () if n < 0 else chains[n]  # type: ignore[assignment]
        for n in reversed(todo):
            inherited = chains[n] = _merge(inherited, own[n] or self._own_of(n), True)
        mine = own[node] or self._own_of(node)
        tests = _merge(inherited, mine, False)
        if chains[node] is None:
            exact = mine[0][1] == 1 if len(mine) == 1 else 1 in map(itemgetter(1), mine)
            chains[node] = _merge(inherited, mine, True) if exact else tests
        result = -1
        if tests and tests[-1][1] == 0:
            result = tests[-1][0]
            tests = tests[:-1]
        if not tests:
            entry = ((), (), result, 1 << 62, None)
            self._table[node] = entry
            return entry
        keys = tuple(map(itemgetter(5), tests))
        long_keys = (sum(map(_Q.__le__, map(len, keys)))
                     if len(keys) >= _GRAMS_MIN_KEYS or self._force_grams else 0)
        if self._force_grams and long_keys:
            limit = _Q
        elif long_keys >= _GRAMS_MIN_KEYS:
            limit = _GRAMS_MIN_WORK // long_keys
        else:
            limit = 1 << 62
        if limit < 1 << 62:
            q = _Q
            self._grams[node] = (tuple(k[:q] if len(k) >= q else "" for k in keys),
                                 tuple(k[-q:] if len(k) >= q else "" for k in keys))
        if len(tests) >= _ANCHOR_MIN_TESTS and not self._force_grams:
            if _ANCHOR_MIN_VISITS > 1:  # not kept in the table: the closures come back here until it is
                entry = (tests, keys, result, limit, None)
                self._young[node] = [entry, 1]
                return entry
            entry = (tests, keys, result, limit, _anchors(tests))
        else:
            entry = (tests, keys, result, limit, None)
        self._table[node] = entry
        return entry

    def _quick_heads(self, disallow_only: bool) -> tuple[str, ...]:
        """The fewest literal heads such that a path none of them prefixes is answered by "no rule" (for
        ``check``, only Disallow heads: whatever else matches such a path, it is allowed). ``("",)``, which
        prefixes everything, when there are too many to test in one ``str.startswith`` call. Made once each."""
        found = self._quick[disallow_only]
        if found is not None:
            return found
        heads = self._heads
        kept: list[str] = []
        if len(heads) <= _QUICK_MAX_HEADS * 4:
            verdicts, by_head, starts = self._verdicts, self._by_head, self._starts
            for node, head in enumerate(heads):
                if kept and head.startswith(kept[-1]):
                    continue  # sorted order: a head's extensions follow it
                if not disallow_only:
                    kept.append(head)
                elif starts is None:
                    if not verdicts[by_head[node]]:
                        kept.append(head)
                elif False in map(verdicts.__getitem__, by_head[starts[node] : starts[node + 1]]):
                    kept.append(head)
        if len(heads) > _QUICK_MAX_HEADS * 4 or len(kept) > _QUICK_MAX_HEADS or "/" in kept or "" in kept:
            found = ("",)  # too many, or "/" (a floating glob such as /*.pdf, or Disallow: /): it would never answer
        else:
            if not disallow_only:
                kept.append(ROBOTS_PATH)  # "no rule" is not the answer for /robots.txt itself
            found = tuple(kept)
        self._quick[disallow_only] = found
        return found

    def prefix_gate(self, prefix: str) -> tuple[tuple[str, ...], tuple[str, ...], bool] | None:
        """``(below, literals, verdict)``: every path that starts with ``prefix`` gets ``verdict`` from
        ``check_path`` unless it starts with one of ``below``, holds one of ``literals``, or (when either is not
        empty) holds a "%" or a non-ASCII character. When ``verdict`` is false, such a path's deciding rule is
        ``prefix``'s own (``decide_path(prefix)``). None when there is no such triple with at most
        :data:`_PREFIX_MAX_HEADS` heads below and :data:`_GATE_MAX_LITERALS` literals, or it is not known cheaply
        (before the index is built). Lets a caller answer most URLs of a path segment with a few ``in`` tests (the
        Guard's segment table).

        Exact: the heads that prefix such a path are those that prefix ``prefix`` plus some of the heads that
        extend it, so its deepest head node is the deepest one prefixing ``prefix`` or one of those (none of those
        when it starts with none of them: ``below``). A node answers its own default unless the path holds the
        literal of one of its rules to test; so when a path can hold none of those literals and the nodes' defaults
        agree (by one rule, for a refusal), that is the answer. A literal that contains another one is left out (a
        path without the shorter one is without it too), and literals sharing a long prefix give way to it
        (:func:`_cover`; a literal then need not be a rule's, only held by every path that holds one). ``prefix``
        with an escape, a non-ASCII character or "#" gives None (normalising and the fragment could move a path out
        from under it), as does one that "/robots.txt" starts with. A "head$" rule keeps no gate from a prefix longer
        than its head (no path there can equal it)."""
        if (self._columns is not None or prefix[:1] != "/" or "%" in prefix or "#" in prefix or not prefix.isascii()
                or ROBOTS_PATH.startswith(prefix)):
            return None
        node, low, high = self._around(prefix)
        heads = self._heads
        if low < high and heads[low] == prefix:
            low += 1  # the node itself, below
        if high - low > _PREFIX_MAX_HEADS:
            return None
        # Every head node a path can land on, then only the one it lands on when it starts with no head below.
        gate = self._gate(prefix, (node, *range(low, high)))
        if gate is not None:
            return (), *gate
        gate = self._gate(prefix, (node,)) if low < high else None
        return None if gate is None else (tuple(heads[low:high]), *gate)

    def heads_below(self, prefix: str) -> int:
        """How many literal heads start with ``prefix`` (an ASCII path prefix; 0 before the index is built): a caller
        that :meth:`prefix_gate` gave nothing for, because of many heads below, may look one path segment deeper."""
        if self._columns is not None:
            return 0
        heads = self._heads
        low = bisect_left(heads, prefix)
        return bisect_left(heads, prefix + "\x80", low) - low

    def check_under(self, prefix: str) -> Callable[[str], bool] | None:
        """``check_path`` for the paths that start with ``prefix`` (a path as ``check_path`` takes it), which may
        look at fewer heads than ``check_path`` (see the closure it wraps); None when there is no such shortcut:
        before the index is built, or for a ``prefix`` with an escape, a non-ASCII character or "#" (normalising
        and the fragment could move a path out from under it) or one that "/robots.txt" starts with. Never
        compiles."""
        bounds = self._under_bounds(prefix)
        if bounds is None:
            return None
        from functools import partial

        return partial(self._under, *bounds)

    def _under_bounds(self, prefix: str) -> tuple[int, int] | None:
        """The range in ``_heads`` of the heads below ``prefix``, for :meth:`check_under` (None where it gives None)."""
        if (self._columns is not None or prefix[:1] != "/" or "%" in prefix or "#" in prefix or not prefix.isascii()
                or ROBOTS_PATH.startswith(prefix)):
            return None
        heads = self._heads
        low = bisect_left(heads, prefix)
        return low, bisect_left(heads, prefix + "\x80", low)

    def literal_check(self, prefix: str, literals: tuple[str, ...] = ()) -> Callable[[str], bool] | None:
        """``check_path`` for the paths that start with ``prefix`` (as :meth:`check_under`, None where that is None),
        deciding from the few rules that the literals a path holds let in (see :class:`_LiteralCheck`), built on the
        first call: for a caller that calls it on the paths holding a literal of the prefix's gate (the Guard's
        segment table), where the walk would test every rule of the nodes the path may land on (gitlab's 40 globs
        at the root) through the matcher's larger structures. ``literals`` are the caller's (its gate's): the
        same strings are used where they are the same literals (one object fewer to fetch per check)."""
        bounds = self._under_bounds(prefix)
        if bounds is None:
            return None
        return _LiteralCheck(self, prefix, *bounds, literals).check

    def literal_gate(self, prefix: str) -> tuple[Callable[[str], bool], tuple[str, ...]] | None:
        """(:meth:`literal_check` of ``prefix``, built now, and its literals) when every path under ``prefix`` that
        holds none of those literals, "%" or a non-ASCII character is allowed; else None. For a prefix
        :meth:`prefix_gate` gives nothing for (a literal every path there holds, "head$" rules below it, several
        refusing rules): a caller answers most of its paths with a few ``in`` tests, as with a gate."""
        check = self.literal_check(prefix)
        if check is None:
            return None
        state: _LiteralCheck = check.__self__  # type: ignore[attr-defined]
        state._build()
        if state.literals is None or state.tests is not True:
            return None
        return check, state.literals

    def _around(self, prefix: str) -> tuple[int, int, int]:
        """(the head node every path starting with ``prefix`` passes: the deepest head ``prefix`` starts with, -1 for
        none; and the range in ``_heads`` of the heads that start with ``prefix``, which such a path may go on to)."""
        heads = self._heads
        low = bisect_left(heads, prefix)
        high = bisect_left(heads, prefix + "\x80", low)  # heads are ASCII: those that start with prefix
        node = bisect_right(heads, prefix) - 1
        parent = self._parent
        while node >= 0 and not prefix.startswith(heads[node]):
            node = parent[node]
        return node, low, high

    def _literal_tests(self, prefix: str, hint: tuple[str, ...] = (),
                       present: tuple[str, ...] | None = None) -> Any:
        """What :class:`_LiteralCheck` decides from: ``(literals, {literal: tests}, tests, refusing, several)``, where
        ``tests`` (for a path holding none of ``literals``) and each literal's (for a path holding that one only) are,
        in decision order, the items (see :meth:`_literal_items`) of the rules that such a path may match (``low <=
        path < high``: it starts with the rule's head; "" when every path under ``prefix`` does), cut after the first
        that every path matches; or the verdict alone when they all give one. With
        ``present``, only the tests for a path holding those literals. None when the prefix has more than
        :data:`_LITERAL_MAX_HEADS` heads below it or its rules more than :data:`_LITERAL_MAX` literals. ``literals``
        are the strings of ``hint`` where equal. ``refusing``: every one of those rules refuses (gitlab's 40 globs),
        so a path is refused as soon as one of the rules a literal it holds lets in matches, whatever else it holds.
        ``several``: the tests for the sets of several literals met so far (filled by the caller).

        Exact for an ASCII path without "%" (normalised, its fragment cut), by Google's rule: its answer is the
        first rule in decision order that matches it ("allowed" when none does), and every rule that can match a
        path under ``prefix`` is among the tests or the result of the head nodes such a path may land on (the
        deepest head prefixing ``prefix`` and the heads below it); each matches only if its head prefixes the path
        and each of its literal segments occurs in it: its key is the longest of them that not every path here
        holds (that does not occur in ``prefix``). A rule without one is always let in; every other key holds one
        of ``literals`` (the keys, less those holding another, and those sharing a long prefix by it:
        :func:`_cover`), so a path may match only the rules whose key holds one of the literals the path holds.

        One object per distinct state, shared by the prefixes that get it (most segments of a site: its rules
        starting with a wildcard apply under each): those are the prefixes with the same head nodes (which fix the
        tests, their bounds and the "head$" rules left out: a test's head prefixes the prefix exactly when it is
        the deepest head node's or an ancestor's) that hold the same of the rules' keys and segments, and of the
        literals. At most :data:`_LITERAL_STATES` per rule set; then built for each caller alone."""
        node, low, high = self._around(prefix)
        if high - low > _LITERAL_MAX_HEADS:
            return None
        table, entries = self._table, []
        held: set[tuple[int, tuple[str, ...]]] = set()
        for n in {node, *range(low, high)}:
            entry = table[n]  # the table's last slot (-1) is "no head"
            if entry is None:
                entry = self._entry(n)
            entries.append(entry)
            if entry[1] and any(map(prefix.__contains__, filter(None, entry[1]))):
                for test in entry[0]:
                    if test[5] and test[5] in prefix:
                        held.add((test[0], tuple([s for s in (*test[3], test[4]) if s in prefix])))
        states = self._literal_states
        if states is None:
            states = self._literal_states = {}
        # What of the prefix the state depends on beside its head nodes: the keys it holds (usually none), and of
        # their rules' segments those it holds too (the key is then the longest of the others). Each known shape:
        # [cover, state by the cover, state by the kept literals], the latter when the prefix holds one of the
        # cover's literals (every path here would hold it).
        shape = (node, low, high, tuple(sorted(held)))
        known = None if present is not None else states.get(shape)
        if known is not None:
            state = known[1 + any(literal in prefix for literal in known[0])]
            if state is not None:
                return state or None  # (): more literals than _LITERAL_MAX
        found: dict[int, _Test] = {}
        patterns = self._patterns
        for entry in entries:
            for test in entry[0]:
                found[test[0]] = test
            if entry[2] >= 0 and entry[2] not in found:
                found[entry[2]] = _test(entry[2], patterns[entry[2]])
        order = sorted(found)
        if present is not None:
            return _chosen(self._literal_items(prefix, found, order), present)
        items = self._literal_items(prefix, found, order)
        keys = {item[7] for item in items}
        keys.discard("")
        kept = _minimal(keys)
        cover = _cover(tuple(kept), distinct=True)
        by_kept = any(literal in prefix for literal in cover)
        literals = tuple(kept) if by_kept else cover
        if len(literals) > _LITERAL_MAX:
            state = ()
        else:
            shared = {literal: literal for literal in hint}  # the caller's strings where equal
            literals = tuple([shared.get(literal, literal) for literal in literals])
            by_literal, tests = _picks(items, literals)
            state = (literals, by_literal, tests, bool(items) and not any(item[0] for item in items), {})
        if known is None and len(states) < _LITERAL_STATES:
            known = states.setdefault(shape, [cover, None, None])
        if known is not None:
            known[1 + by_kept] = state
        return state or None

    def _literal_items(self, prefix: str, found: dict[int, _Test], order: list[int]) -> list[tuple[Any, ...]]:
        """Per rule of ``found`` that a path under ``prefix`` may match, in decision ``order``: (verdict, low, high,
        kind, head length, last segment, test, key) for :meth:`_literal_tests`. Made once per rule and bounds, and
        shared by every state of the rule set (the rule's own test and head string), unless the prefix holds the
        rule's key (rare: then made for this state)."""
        patterns, verdicts, size, heads = self._patterns, self._verdicts, len(prefix), self._heads
        made = self._literal_items_made
        if made is None:
            made = self._literal_items_made = {}
        items = []
        for index in order:
            test = found[index]
            kind, start = test[1], test[2]
            if kind == 1 and start < size:
                continue  # "head$" with a head shorter than every path here
            below = start > size  # the rule's head extends the prefix (else it prefixes it: see the docstring above)
            key = test[5]
            held = key and key in prefix
            if not held:
                item = made.get(index * 2 + below)
                if item is not None:
                    items.append(item)
                    continue
            if below:
                head = patterns[index][:start]
                node = bisect_left(heads, head)
                if node < len(heads) and heads[node] == head:
                    head = heads[node]  # the head node's own string (one object fewer per state)
                low, high = head, head + "\x80"
            else:
                low = high = ""
            if held:  # every path here holds it: the longest segment of the glob that not all do
                others = [segment for segment in (*test[3], test[4]) if segment not in prefix]
                key = max(others, key=len) if others else ""
                test = (test[0], kind, start, test[3], test[4], key)
            item = (bool(verdicts[index]), low, high, kind, start, test[4], test, key)
            if not held:
                made[index * 2 + below] = item
            items.append(item)
        return items

    def _gate(self, prefix: str, nodes: tuple[int, ...]) -> tuple[tuple[str, ...], bool] | None:
        """(literals, verdict) of :meth:`prefix_gate` for a path that lands on one of ``nodes``, or None."""
        literals: set[str] = set()
        results: set[int] = set()
        for node in nodes:
            entry = self._table[node]  # the table's last slot (-1) is "no head"
            if entry is None:
                entry = self._entry(node)
            keys = entry[1]
            if "" in keys:  # a "head$" rule (kind 1) matches a path as long as its head only: none longer than prefix
                keys = tuple([key for key, test in zip(keys, entry[0]) if key or test[2] >= len(prefix)])
            literals.update(keys)
            results.add(entry[2])
        if "" in literals or any(key in prefix for key in literals):
            return None  # a "head$" rule to test, or a literal every path here holds
        verdicts = {self._verdicts[r] if r >= 0 else True for r in results}
        if len(verdicts) != 1 or (False in verdicts and len(results) != 1):
            return None
        kept = _minimal(literals)
        if len(kept) > _GATE_MAX_LITERALS:
            return None
        # Fewer literals to look for where several share a long prefix (a caller tests each with ``in``), unless
        # the prefix itself holds one of those shared prefixes (every path would hold it).
        cover = _cover(tuple(kept), distinct=True)
        if len(cover) < len(kept) and not any(key in prefix for key in cover):
            return cover, verdicts.pop()
        return tuple(kept), verdicts.pop()

    def _uncompiled(self, results: tuple[Any, ...], counting: bool,
                    name: str) -> tuple[Callable[[str], Any], Callable[[str], Any]]:
        """``url -> results[index of the deciding rule]`` (``results[-1]``: no rule, ``results[-2]``:
        "/robots.txt" itself) and the same for a path (see :meth:`check_path`): the uncompiled tier as
        closures (the hot path: no method calls on the usual URL). When ``counting``, they count towards
        compiling and, once compiled, hand over to the compiled tier's ``name`` (``name + "_path"``).

        Most paths of a site match no rule, or no Disallow rule: one ``str.startswith`` over the fewest
        heads that cover the rules (:meth:`_quick_heads`) answers those before any lookup."""
        heads, parent, table, build, grams = self._heads, self._parent, self._table, self._entry, self._grams
        # heads[node] <= path holds for the bisected node and its ancestors (its prefixes), so heads[node]
        # prefixes the path exactly when path < heads[node] + "\x80": a comparison, where str.startswith
        # is a method call that costs as much again as the rest of the walk. Paths are normalised to ASCII
        # before the walk, so no path character reaches "\x80" (and the strings stay one byte a character).
        # The walk below runs on node numbers shifted by one: 0 is "no head", its upper bound "\x80" stops the
        # walk there, and no "- 1" or "node >= 0" is computed per check.
        uppers: list[str] | None = getattr(self, "_uppers", None)
        if uppers is None:
            uppers = self._uppers = ["\x80", *map(_concat, heads, repeat("\x80"))]  # type: ignore[arg-type,list-item]
        up = [0, *map(_add, parent, repeat(1))]
        left, switch = self._left, self._compile
        quick = self._quick_heads(name == "check")
        # The quick heads are tested before the path is normalised and its fragment cut: exact when no
        # quick head holds a "%" (normalising changes a path only from a non-ASCII character or an escape's
        # hex digit on; "#" starts no head).
        use_quick = quick != ("",) and "%" not in "".join(quick)
        # One head: prefixes the path exactly when head <= path < head with its last character bumped (two
        # comparisons cost less than a str.startswith call).
        low = high = ""
        if len(quick) == 1 and use_quick and quick[0][-1] != "\U0010ffff":  # (no character follows U+10FFFF)
            low, high, use_quick = quick[0], quick[0][:-1] + chr(ord(quick[0][-1]) + 1), False
        elif quick == ():  # not one quick head (check, no Disallow rule): every path is answered "no rule"
            low = high = "\x00"
            use_quick = False
        nothing = results[-1]
        # The (shifted) node "/robots.txt" lands on: the only one whose answers depend on that check.
        robots_node = bisect_right(heads, ROBOTS_PATH)
        while ROBOTS_PATH >= uppers[robots_node]:
            robots_node = up[robots_node]
        # Per (shifted) node, what the walk reads, in one tuple (one object to fetch per step, issue 12):
        # (upper bound, parent, its answer once built when it has no rule to test (None: not built, or tests,
        # or the answer depends on the "/robots.txt" check), its gate once built (for a node with at most
        # _LOOP_MAX_TESTS rules to test, or that "/robots.txt" lands on: the literals to look for and its
        # answer when the path holds none of them), the node). A node's tuple is replaced, never changed, when
        # its answer or gate is built. Slot 0 is "no head".
        nodes: list[_Node] = list(zip(uppers, up, repeat(None), repeat(None), range(len(up))))
        if robots_node or nothing == results[-2]:
            nodes[0] = (uppers[0], 0, nothing, None, 0)
        # The last origin seen, "https://host/" (see _syntax.origin_prefix), the same with its "/" made "0",
        # its length - 1, and the range of the URLs under it that a quick head can match (with one quick
        # head, those that start with it; else the whole origin): one tuple, so threads sharing this closure
        # always read a matching set. A URL starts with the prefix exactly when prefix <= url < the "0"
        # form (no method call: str.startswith costs as much as the rest of the lookup).
        origin = ("\x00", "\x00", 0, "\x00", "\x00")

        handovers: dict[str, Callable[[str], Any]] = {}
        # A gate's literals by the node's literals (see _cover): the nodes under a head with globs, whose own rules
        # have none, share that head's literals, and a file has hundreds of such nodes (w3: 340 gates built).
        covers: dict[tuple[str, ...], tuple[str, ...]] = {}

        def over(n: int, suffix: str) -> Callable[[str], Any] | None:
            """The counting ran out: compile (once), and the compiled tier's callable when there is one."""
            if n == 0:
                switch()
            if self._compiled:
                tier = handovers.get(suffix)
                if tier is None:
                    tier = getattr(self, name + suffix)
                    if tier is match or tier is match_path:
                        return None  # another thread is switching: not replaced yet, answer here this time
                    handovers[suffix] = tier
                return tier
            left[0] = 1 << 62  # it cannot compile: stop counting
            return None

        def tested(path: str, node: int) -> Any:
            """The answer for ``path`` (normalised, fragment not yet cut) on (shifted) node ``node``, which has
            no direct answer and whose gate, if any, let the path through: its rules to test (its entry is built
            on first use)."""
            entry = table[node - 1]  # the table's last slot is "no head"
            if entry is None:
                entry = build(node - 1)
            if "#" in path:
                path = path.partition("#")[0]  # (one argument: a cheaper call than path.index("#") and a slice)
            if path == ROBOTS_PATH:
                return results[-2]
            tests, keys, result, limit, anchors = entry
            if tests:
                # Only rules whose longest literal occurs in the path get a full test, in decision order:
                # on a node with many, only those whose anchor is among the path's tokens (and those without
                # one); up to a dozen literals are tested in a plain loop, more with compress/map (in C;
                # operator.contains is a fast call, where path.__contains__ builds an argument tuple per
                # literal), many on a long path after the q-gram prefilter.
                candidates: Any
                if anchors is not None and len(path) <= limit:
                    anchored, heads_of, by_anchor, todo, _ = anchors
                    hits = anchored.intersection(map(heads_of, path.split("/")))
                    if hits:
                        todo = by_anchor[hits.pop()] if len(hits) == 1 else _todo_of_hits(anchors, hits, tests)
                    todo_keys, suffix = todo
                    for key in todo_keys:
                        if key in path:  # the first of its literals that occurs: test from there on
                            candidates = suffix(key)
                            break
                    else:
                        return results[result]
                elif len(tests) <= _LOOP_MAX_TESTS:
                    # Most paths hold none of the literals: looking for one first is the cheaper loop.
                    for key in keys:
                        if key in path:
                            for index, kind, start, mids, last, key in tests[keys.index(key) :]:  # as below
                                if kind == 2 and not mids:  # "head*last": the usual glob
                                    if last in path[start:]:
                                        return results[index]
                                elif key in path:
                                    rest = path[start:]
                                    for segment in mids:
                                        rest = rest.partition(segment)[2]
                                    if (last in rest if kind == 2 else len(path) == start if kind == 1
                                            else len(rest) >= len(last) and rest[len(rest) - len(last) :] == last):
                                        return results[index]
                            break
                    if nodes[node][3] is None and "" not in keys:
                        # Its gate (made once), looked at before anything else (above): the literals hold no "#",
                        # so a path holds one exactly when its part before the fragment does. It looks for fewer
                        # literals that cover them (_cover); on the node "/robots.txt" lands on, for that one
                        # too unless the gate's answer is already the answer for "/robots.txt".
                        upper, parent = nodes[node][:2]
                        cover = covers.get(keys)
                        if cover is None:
                            cover = covers[keys] = _cover(keys)
                        if node == robots_node and results[result] != results[-2]:
                            cover += (ROBOTS_PATH,)
                        nodes[node] = (upper, parent, None, (cover, results[result]), node)
                    return results[result]
                else:
                    candidates = compress(tests, _grams_filter(path, *grams[node - 1]) if len(path) > limit
                                          else map(_contains, repeat(path), keys))
                # Each candidate as _passes tests it, inline (a call costs more than the test): a middle segment not
                # found leaves "" to search, where the last (never empty) is not found. What is left of the path after
                # the head and middle segments is kept for the next candidate with the same ones (gitlab's
                # "/*/*/edit", "/*/*/raw"...: "/" after "/"; unicef's "/*/core/*.css$", "/*/core/*.js$"...).
                at, done = -1, None
                for index, kind, start, mids, last, key in candidates:
                    if kind == 2 and not mids:  # "head*last": the usual glob
                        if last in path[start:]:
                            return results[index]
                    elif key in path:
                        if start != at or mids != done:
                            rest = path[start:]
                            for segment in mids:
                                rest = rest.partition(segment)[2]
                            at, done = start, mids
                        if (last in rest if kind == 2 else len(path) == start if kind == 1
                                else len(rest) >= len(last) and rest[len(rest) - len(last) :] == last):
                            return results[index]
            elif node != robots_node or results[result] == results[-2]:
                upper, parent = nodes[node][:2]
                nodes[node] = (upper, parent, results[result], None, node)
            else:
                upper, parent = nodes[node][:2]
                nodes[node] = (upper, parent, None, ((ROBOTS_PATH,), results[result]), node)
            return results[result]

        # The closures read their state from three tuples, each behind one cell, by stage: what every check
        # reads, what the walk reads, and ``tested`` (its own cells are read only on a node without a direct
        # answer). Each cell of a closure is copied into its frame and released again on every call, and with
        # many rule sets in turn (a Guard over 1,000 sites) each cell and each object it holds is a cache miss:
        # three cells touch fewer than twenty (issue 12; cachegrind with a 1 MB LL). The rare work is in
        # ``tested``, so the frame of a usual check has few locals to clear, too.
        first = (left if counting else None, low, high, quick if use_quick else None, nothing)
        walk = (heads, nodes)

        def match(url: str) -> Any:
            nonlocal origin
            left, low, high, quick, nothing = first
            if left is not None:
                n = left[0] = left[0] - 1
                if n <= 0:
                    tier = over(n, "")
                    if tier is not None:
                        return tier(url)
            prefix, end, cut, qlow, qhigh = origin
            if qlow <= url < qhigh:
                path = url[cut:]
            elif prefix <= url < end:
                return nothing  # under the origin but not under its one quick head
            else:
                found = origin_prefix(url)
                if found is None:
                    path = path_of(url)
                else:  # a new origin: remember it, and its path is what follows, as above
                    host = found[:-1]
                    origin = ((found, host + "0", len(host), host + low, host + high) if low else
                              (found, host + "0", len(host), found, host + "0"))
                    path = url[len(host) :]
            # The fragment is cut only where an answer depends on it (in ``tested``): a head holds no "#", so
            # the heads that prefix the path are the same with or without it.
            if quick is not None and not path.startswith(quick):
                return nothing
            if "%" in path or not path.isascii():
                path = normalise_path(path)
            heads, nodes = walk
            node = nodes[bisect_right(heads, path)]
            while path >= node[0]:
                node = nodes[node[1]]
            answer = node[2]
            if answer is not None:
                return answer
            gate = node[3]
            if gate is not None:  # a node with a few literals to look for: most paths hold none of them
                for key in gate[0]:
                    if key in path:
                        return tested(path, node[4])
                return gate[1]
            return tested(path, node[4])

        def match_path(path: str) -> Any:
            left, low, high, quick, nothing = first
            if left is not None:
                n = left[0] = left[0] - 1
                if n <= 0:
                    tier = over(n, "_path")
                    if tier is not None:
                        return tier(path)
            if low:
                if not low <= path < high:
                    return nothing
            elif quick is not None and not path.startswith(quick):
                return nothing
            # From here on as in match.
            if "%" in path or not path.isascii():
                path = normalise_path(path)
            heads, nodes = walk
            node = nodes[bisect_right(heads, path)]
            while path >= node[0]:
                node = nodes[node[1]]
            answer = node[2]
            if answer is not None:
                return answer
            gate = node[3]
            if gate is not None:  # a node with a few literals to look for: most paths hold none of them
                for key in gate[0]:
                    if key in path:
                        return tested(path, node[4])
                return gate[1]
            return tested(path, node[4])

        def match_under(low: int, high: int, path: str) -> Any:
            """match_path for a path that starts with a prefix below which the heads are ``heads[low:high]`` (see
            :meth:`check_under`): the heads before ``low`` sort before the path and those from ``high`` on after it,
            so the bisect over that range alone lands where the whole one would, reading a few heads, not ~log2(n)
            (each one more object, and with many rule sets in turn each one more cache miss). The quick heads are
            not tested: a path under such a prefix seldom misses them all (a miss is answered the same below)."""
            if "%" in path or not path.isascii():
                path = normalise_path(path)
            heads, nodes = walk
            node = nodes[bisect_right(heads, path, low, high)]
            while path >= node[0]:
                node = nodes[node[1]]
            answer = node[2]
            if answer is not None:
                return answer
            gate = node[3]
            if gate is not None:
                for key in gate[0]:
                    if key in path:
                        return tested(path, node[4])
                return gate[1]
            return tested(path, node[4])

        if name == "check":
            self._under = match_under
        return match, match_path

    # ------------------------------------------------------------------ compiled tier
    def _compile(self) -> None:
        """Switch ``check`` and ``decide`` to one regex; stay uncompiled if it cannot be built. Once only."""
        self._budget = None
        self._left[0] = -1  # the counting closures stop counting (and hand over once compiled)
        if self._compiled or not self._ordered:
            return
        import re

        try:
            self._regex = self._build_regex()
        except (RecursionError, re.error, OverflowError, MemoryError):
            return
        self._compiled = True
        self.check = self._compiled_check()
        self.check_path = self._compiled_check_path()
        if "decide" not in self.__dict__:
            return  # built on first use, compiled
        self._build_decide()

    @property
    def _ordered(self) -> tuple[tuple[str, bool, int], ...]:
        """(pattern, allow, index in ``rules``) of each rule in decision order (made when asked: tests, compiling)."""
        return tuple(zip(self._patterns, self._verdicts, self._rule_of))

    @property
    def tier(self) -> str:
        """"scan" (no index yet, see :meth:`_scan`), "uncompiled", "compiled", or "grams" (uncompiled, q-gram
        prefilter forced; tests only)."""
        return ("compiled" if self._compiled else "grams" if self._force_grams
                else "scan" if self._left[0] == _SCANNING else "uncompiled")

    def _build_regex(self) -> tuple[Any, tuple[bool | None, ...], tuple[int, ...], int, int]:
        """(match, verdict per group, index in ``rules`` per group, "no rule" group, "/robots.txt" group)."""
        ordered = self._ordered
        items: list[tuple[str, str, str]] = []
        for serial, (pattern, _, _) in enumerate(ordered):
            head, tail = _split(pattern, serial)
            items.append((head, tail, f"(?P<r{serial}>)"))
        body = _tree(items, 0)
        # After the branches, two more groups: "no rule matched" and "unusual URL: take the exact path".
        # A normalised path is matched as "http://h" + path, so one compiled regex serves both.
        # "/robots.txt" itself comes first: RFC 9309 §2.2.2 allows it implicitly, whatever the rules say.
        source = f"{_URL_HEAD}(?:(?=/)(?:/robots\\.txt{_END}(?P<implicit>)|{body})|(?=/)(?P<none>)|(?P<odd>))"
        import re

        regex = _compiler().compile(source, re.DOTALL)
        by_group = [-1] * (regex.groups + 1)
        verdicts: list[bool | None] = [None] * (regex.groups + 1)
        for name, number in regex.groupindex.items():
            if name[0] == "r":
                _, verdicts[number], by_group[number] = ordered[int(name[1:])]
        none, implicit = regex.groupindex["none"], regex.groupindex["implicit"]
        verdicts[none] = verdicts[implicit] = True
        return regex.match, tuple(verdicts), tuple(by_group), none, implicit

    def _compiled_check(self) -> Callable[[str], bool]:
        match, verdicts, _, _, _ = self._regex
        _path_of, _normalise, lower_escape = path_of, normalise_path, has_lower_escape

        def check(url: str) -> bool:
            if url.isascii() and ("%" not in url or not lower_escape(url)):
                m = match(url)
                if m is not None:
                    verdict = verdicts[m.lastindex]  # type: ignore[index]
                    if verdict is not None:
                        return verdict
            m = match("http://h" + _normalise(_path_of(url)))
            return verdicts[m.lastindex]  # type: ignore[union-attr,index,return-value]

        return check

    @staticmethod
    def _compiled_decide(
            decide_path: Callable[[str], tuple[bool, Rule | None]]) -> Callable[[str], tuple[bool, Rule | None]]:
        """decide(url) is decide_path of the URL's path (path_of strips scheme, authority and fragment)."""
        _path_of = path_of

        def decide(url: str) -> tuple[bool, Rule | None]:
            return decide_path(_path_of(url))

        return decide

    def _compiled_check_path(self) -> Callable[[str], bool]:
        match, verdicts, _, _, _ = self._regex
        _normalise, lower_escape = normalise_path, has_lower_escape

        def check_path(path: str) -> bool:
            # The regex reads a path that starts with one "/" as a bare path; "//x" would be read as a
            # network-path reference, so it goes the long way, as does a path that needs normalising.
            if path.isascii() and path[1:2] != "/" and ("%" not in path or not lower_escape(path)):
                return verdicts[match(path).lastindex]  # type: ignore[union-attr,index,return-value]
            if "#" in path:
                path = path[: path.index("#")]
            return verdicts[match("http://h" + _normalise(path)).lastindex]  # type: ignore[union-attr,index,return-value]

        return check_path

    def _compiled_decide_path(self) -> Callable[[str], tuple[bool, Rule | None]]:
        match, _, by_group, none, implicit = self._regex
        rules = self.rules
        fallback = rules[self._fallback] if self._fallback >= 0 else None
        by_group_rule = tuple(None if i < 0 else rules[i] for i in by_group)
        _normalise, lower_escape = normalise_path, has_lower_escape

        def decide_path(path: str) -> tuple[bool, Rule | None]:
            # As check_path: a plain path is matched as it is, anything else the long way.
            if path.isascii() and path[1:2] != "/" and ("%" not in path or not lower_escape(path)):
                m = match(path)
            else:
                if "#" in path:
                    path = path[: path.index("#")]
                m = match("http://h" + _normalise(path))
            index = m.lastindex  # type: ignore[union-attr]
            if index == none:
                return True, fallback
            if index == implicit:
                return True, None
            rule = by_group_rule[index]
            return rule.allow, rule  # type: ignore[union-attr]

        return decide_path


EMPTY = RuleSet(())
