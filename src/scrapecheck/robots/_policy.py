"""A parsed robots.txt: groups, rules, sitemaps, comments and other records, matched Google's way."""

from __future__ import annotations

import math
from _functools import partial  # (the C module: no import cost)
from itertools import islice, repeat

try:  # the C module behind operator, without operator's own import cost (issue 9)
    from _operator import contains as _contains
except ImportError:  # pragma: no cover - other interpreters
    from operator import contains as _contains

from . import _syntax as syn
from ._match import EMPTY, Rule, RuleSet, _positions
from ._values import Frozen, _set

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (import time, issue 9)
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Group", "RobotsPolicy", "Rule", "Verdict", "is_allowed"]

_CACHE_LIMIT = 4096  # distinct user-agent strings remembered per policy


class Group(Frozen):
    """A group (RFC 9309 §2.1): one or more user-agent lines followed by rules.

    ``agents`` are the user-agent values as written. Other records inside the group (Crawl-delay,
    Request-rate, ...) are in ``extensions`` as (line, key lowercased, value). ``start_line`` is the
    first user-agent line, ``end_line`` the last line that belongs to the group. A group returned for a
    user agent named by several groups is their merge (RFC 9309 §2.2.1), in line order.
    """

    __slots__ = ("agents", "rules", "agent_lines", "start_line", "end_line", "extensions", "extension_agents")
    agents: tuple[str, ...]
    rules: tuple[Rule, ...]
    agent_lines: tuple[int, ...]
    start_line: int
    end_line: int
    extensions: tuple[tuple[int, str, str], ...]
    #: For each of ``extensions``, the user-agent values (as written) of the lines it follows: the run
    #: of user-agent lines before it, with no other record between them.
    extension_agents: tuple[tuple[str, ...], ...]

    def __init__(self, agents: tuple[str, ...], rules: tuple[Rule, ...], agent_lines: tuple[int, ...],
                 start_line: int, end_line: int, extensions: tuple[tuple[int, str, str], ...] = (),
                 extension_agents: tuple[tuple[str, ...], ...] = ()) -> None:
        _set(self, "agents", agents)
        _set(self, "rules", rules)
        _set(self, "agent_lines", agent_lines)
        _set(self, "start_line", start_line)
        _set(self, "end_line", end_line)
        _set(self, "extensions", extensions)
        _set(self, "extension_agents", extension_agents)

    @property
    def is_global(self) -> bool:
        return any(syn.is_global_agent(a) for a in self.agents)


class Verdict(Frozen):
    """The answer for one (agent, URL): the deciding rule, or None when no rule decided.

    ``rule`` is the line Google's ``matching_line()`` reports; an empty ``Disallow:`` can be reported
    for an allowed URL. ``agent_group`` names the user agents of the group used, None when no group
    applies (then everything is allowed).
    """

    __slots__ = ("allowed", "rule", "agent_group")
    allowed: bool
    rule: Rule | None
    agent_group: tuple[str, ...] | None

    def __init__(self, allowed: bool, rule: Rule | None, agent_group: tuple[str, ...] | None) -> None:
        _set(self, "allowed", allowed)
        _set(self, "rule", rule)
        _set(self, "agent_group", agent_group)

    @property
    def line(self) -> int | None:
        return None if self.rule is None else self.rule.line


def _require_str(name: str, value: object) -> None:
    """TypeError for a user agent or URL that is not a ``str`` (None must not read as "allowed")."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a str, not {type(value).__name__}")


class _GroupBuilder:
    __slots__ = ("agents", "agent_lines", "rules", "extensions", "extension_agents", "run", "end_line", "has_rules")

    def __init__(self) -> None:
        self.agents: list[str] = []
        self.agent_lines: list[int] = []
        self.rules: list[tuple[bool, str, int]] = []  # (allow, raw pattern, line number)
        self.extensions: list[tuple[int, str, str]] = []
        self.extension_agents: list[tuple[str, ...]] = []
        self.run: tuple[str, ...] | None = None  # agents of the open run of user-agent lines
        self.end_line = 0
        self.has_rules = False


_ALLOW, _DISALLOW, _UA, _SITEMAP, _OTHER = 0, 1, 2, 3, 4
#: Exact keys as usually written, so most lines need no prefix tests (the prefix tests stay the rule).
_KEY_KINDS = {"user-agent": _UA, "allow": _ALLOW, "disallow": _DISALLOW, "sitemap": _SITEMAP,
              "crawl-delay": _OTHER, "request-rate": _OTHER, "host": _OTHER, "noindex": _OTHER,
              "clean-param": _OTHER, "visit-time": _OTHER, "content-signal": _OTHER}
#: Keys spelled as usual, with no whitespace around them, as :func:`_read_all` meets them at a line's start:
#: (kind, key lowercased). For such a line :func:`_record` would strip nothing before the key, find this colon
#: first and give exactly this kind and key, with the value stripped of ``syn.WS``.
_USUAL_KEYS = {spelled: (kind, spelled.lower()) for spelled, kind in (
    ("User-agent", _UA), ("User-Agent", _UA), ("user-agent", _UA), ("Allow", _ALLOW), ("allow", _ALLOW),
    ("Disallow", _DISALLOW), ("disallow", _DISALLOW), ("Sitemap", _SITEMAP), ("sitemap", _SITEMAP),
    ("Crawl-delay", _OTHER), ("Crawl-Delay", _OTHER), ("crawl-delay", _OTHER))}
_RATE: list = []  # the Request-rate pattern, compiled on first use (no ``re`` at import time)
_UNIT = {"": 1.0, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def _read_all(raw_lines: list[str]) -> tuple[list[_GroupBuilder], list[str], list[tuple[int, str]], list[tuple[int, str, str]]]:
    """Every record of the file, line by line as robots.cc reads it: (groups, sitemaps, comments, other
    records). Run only when something beyond the rules is asked for (see :func:`_read_structure`)."""
    max_line = syn.MAX_LINE_BYTES
    human = syn.human
    ws = syn.WS

    builders: list[_GroupBuilder] = []
    current: _GroupBuilder | None = None
    sitemaps: list[str] = []
    comments: list[tuple[int, str]] = []
    extensions: list[tuple[int, str, str]] = []

    run: list[str] = []  # the user-agent lines since the last other record
    run_open = False
    lineno = 0
    for line in raw_lines:
        lineno += 1
        if not line:
            continue
        if len(line) > max_line:
            line = line[:max_line]  # robots.cc drops the bytes past its line buffer
        if "\x00" in line:
            line = line[: line.index("\x00")]  # the C++ code sees a NUL-terminated string
        hash_at = line.find("#")
        if hash_at >= 0:
            comments.append((lineno, human(line[hash_at + 1 :]).strip()))
            line = line[:hash_at]
        head, colon, value = line.partition(":")
        usual = _USUAL_KEYS.get(head) if colon else None
        if usual is not None:  # "Disallow: /x" as usually written: what _record gives, without its steps
            kind, lkey = usual
            value = value.strip(ws)
        else:
            record = _record(line)
            if record is None:
                continue
            kind, lkey, value = record
        if kind == _UA:
            if current is None or current.has_rules:
                current = _GroupBuilder()
                builders.append(current)
            if not run_open:
                run, run_open = [], True
            run.append(value)
            current.agents.append(value)
            current.agent_lines.append(lineno)
            current.end_line = lineno
        elif kind <= _DISALLOW:
            run_open = False
            if current is None:
                continue  # rules before any user-agent line belong to no group
            current.rules.append((kind == _ALLOW, value, lineno))
            current.has_rules = True
            current.end_line = lineno
        elif kind == _SITEMAP:
            run_open = False
            sitemaps.append(human(value))
        else:
            run_open = False
            entry = (lineno, human(lkey), human(value))
            extensions.append(entry)
            if current is not None:
                current.extensions.append(entry)
                current.extension_agents.append(tuple(run))
                current.end_line = lineno

    return builders, sitemaps, comments, extensions


class _Skeleton:
    """A group as the fast pass sees it: its user-agent values and lines, and the span of lines that may
    hold its rules, from after its last user-agent line to before the next group: lines ``first_line`` to
    ``last_line``, at offsets ``start`` to ``end`` of the body. Each line there is read, and kept if it is a
    valid Allow/Disallow, when the group is first used."""

    __slots__ = ("agents", "agent_lines", "has_rules", "start", "end", "first_line", "last_line", "rules")

    def __init__(self) -> None:
        self.agents: list[str] = []
        self.agent_lines: list[int] = []
        self.has_rules = False
        self.start = self.end = 0
        self.first_line, self.last_line = 1, 0
        #: The rule columns (:func:`_read_rules`'s result) when the parse has already read them (a small file
        #: is read whole, :func:`_read_small`); None when they are read from the span on first use.
        self.rules: tuple[list[bool], list[str], list[int]] | None = None

    @property
    def rule_lines(self) -> range:
        """Numbers of the lines that may hold the group's rules."""
        return range(self.first_line, self.last_line + 1)


def _record(line: str) -> tuple[int, str, str] | None:
    """(kind, key lowercased, value) of one line whose comment is already cut off, as robots.cc reads it;
    None for a line it ignores."""
    ws = syn.WS
    line = line.strip(ws)
    if not line:
        return None
    colon = line.find(":")
    if colon >= 0:
        key = line[:colon].rstrip(ws)
        value = line[colon + 1 :].lstrip(ws)
    else:
        # Google: a missing colon may be replaced by whitespace, if the line then has exactly
        # two words ("disallow /x"); otherwise the line is ignored.
        space, tab = line.find(" "), line.find("\t")
        sp = tab if space < 0 or 0 <= tab < space else space
        if sp < 0:
            return None
        value = line[sp:].lstrip(" \t")
        if " " in value or "\t" in value:
            return None
        value = value.strip(ws)
        key = line[:sp].rstrip(ws)
    if not key:
        return None
    lkey = key.lower()
    kind = _KEY_KINDS.get(lkey)
    if kind is None:  # Google matches keys as prefixes ("user-agentx", "disallowed"), typos included
        if lkey.startswith(syn.USER_AGENT_KEYS):
            kind = _UA
        elif lkey.startswith(syn.ALLOW_KEYS):
            kind = _ALLOW
        elif lkey.startswith(syn.DISALLOW_KEYS):
            kind = _DISALLOW
        elif lkey.startswith(syn.SITEMAP_KEYS):
            kind = _SITEMAP
        else:
            kind = _OTHER
    return kind, lkey, value


def _key_value(line: str) -> tuple[int, str] | None:
    """(kind, value) of one raw line, exactly as :func:`_read_all` reads it; None for a line it ignores."""
    if len(line) > syn.MAX_LINE_BYTES:
        line = line[: syn.MAX_LINE_BYTES]
    if "\x00" in line:
        line = line[: line.index("\x00")]
    hash_at = line.find("#")
    record = _record(line if hash_at < 0 else line[:hash_at])
    return None if record is None else (record[0], record[2])


_UA_KEYS_BYTES = tuple(k.encode() for k in syn.USER_AGENT_KEYS)
_WS_BYTES = syn.WS.encode()


def _read_structure(body: str) -> list[_Skeleton]:
    """The groups of the file, fast: only user-agent and rule lines shape groups (RFC 9309 §2.1; a
    user-agent line after a rule starts a new group), and user-agent lines are few.

    A line can be a user-agent line only if, lower-cased and less leading whitespace, it starts with one of
    the user-agent keys: those are found with ``bytes.find`` over the whole lower-cased body (in C, no
    per-line object), then read exactly (:func:`_key_value`). Between two of them, lines are read one by
    one only while the open group has no rule yet: usually the first line after a group's user-agent
    lines is a rule. A group's other rule lines are read when the group is used (:func:`_read_rules`).
    """
    low = body.encode("latin-1").lower()
    ws = _WS_BYTES
    starts = set()
    for key in _UA_KEYS_BYTES:
        at = low.find(key)
        while at >= 0:
            start = low.rfind(b"\n", 0, at) + 1
            if start == at or not low[start:at].lstrip(ws):
                starts.add(start)
            at = low.find(key, at + 1)
    skeletons: list[_Skeleton] = []
    current: _Skeleton | None = None
    read = _key_value
    kinds, max_line, tws = _KEY_KINDS, syn.MAX_LINE_BYTES, syn.WS
    number, counted = 1, 0  # line number at offset ``counted``
    after = 0  # offset just past the last user-agent candidate line
    size = len(body)
    for start in sorted(starts):
        number += low.count(b"\n", counted, start)
        counted = start
        end = body.find("\n", start)
        if end < 0:
            end = size
        if current is not None and not current.has_rules:
            at = after
            while at < start:  # the lines between the last candidate and this one
                stop = body.find("\n", at, start)
                if stop < 0:
                    stop = start
                line = body[at:stop]
                if line[:9] == "Disallow:":  # the usual first line after the user-agent lines
                    current.has_rules = True
                    break
                found = read(line)
                if found is not None and found[0] <= _DISALLOW:
                    current.has_rules = True
                    break
                at = stop + 1
        line = body[start:end]
        head, colon, value = line.partition(":")
        if colon and kinds.get(head.strip(tws).lower()) == _UA and len(line) <= max_line and "\x00" not in line:
            if "#" in value:  # a comment after the value
                value = value[: value.index("#")]
            value = value.strip(tws)  # as _key_value reads the usual "User-agent: value"
        else:
            found = read(line)
            after = end + 1
            if found is None or found[0] != _UA:
                continue
            value = found[1]
        after = end + 1
        if current is None or current.has_rules:
            if current is not None:
                current.end = start - 1
                current.last_line = number - 1
            current = _Skeleton()
            skeletons.append(current)
        current.agents.append(value)
        current.agent_lines.append(number)
        current.start = min(end + 1, size)
        current.first_line = number + 1
    if current is not None:
        current.end = size
        current.last_line = number + low.count(b"\n", counted)
    return skeletons


#: A body of at most this many bytes, with no NUL, is read whole at parse (:func:`_read_small`): a line can
#: then not reach :data:`syn.MAX_LINE_BYTES`, and most real files are this small.
_SMALL_BYTES = 4096


def _read_small(lines: list[str], escape: bool) -> list[_Skeleton]:
    """The groups of a small file with their rules, in one pass over its lines (``lines``: the body split at
    "\n", no line longer than :data:`syn.MAX_LINE_BYTES` and no NUL in any; ``escape``: may a value need
    :func:`syn.escape_pattern`, i.e. does the body hold a byte >= 0x80 or a "%").

    The structure pass (:func:`_read_structure`) and a group's rule read (:func:`_read_rules`) each have a
    fixed cost that dominates a file of a few lines; here each line is read once, as :func:`_read_all` reads
    it: ``Key: value`` with a key spelled as in :data:`_KEY_KINDS` inline, any other line by :func:`_key_value`.
    The skeletons carry their rule columns (``rules``), so using a group reads nothing more."""
    ws = syn.WS
    kinds = _KEY_KINDS
    read = _key_value
    skeletons: list[_Skeleton] = []
    current: _Skeleton | None = None
    allows: list[bool] = []
    values: list[str] = []
    numbers: list[int] = []
    number = 0
    for line in lines:
        number += 1
        if line[:9] == "Disallow:" and current is not None:  # most rule lines
            value = line[9:]
            if "#" in value:  # a comment after the value
                value = value[: value.index("#")]
            current.has_rules = True
            allows.append(False)
            values.append(value.strip(ws))
            numbers.append(number)
            continue
        if line[:1] in "#":  # empty, or only a comment ("" is in every string)
            continue
        key, colon, value = line.partition(":")
        key = key.strip(ws).lower()
        kind = kinds.get(key) if colon else None
        if kind is None:
            if not key or key[0] == "#":  # blank, or only a comment
                continue
            found = read(line)  # an inexact key ("disallowed"), no colon ("Disallow /x"), a key with a '#'...
            if found is None:
                continue
            kind, value = found
        else:
            if "#" in value:  # a comment after the value
                value = value[: value.index("#")]
            value = value.strip(ws)
        if kind == _UA:
            if current is None or current.has_rules:
                if current is not None:
                    current.last_line = number - 1
                    current.rules = (allows, _escaped(values) if escape else values, numbers)
                    allows, values, numbers = [], [], []
                current = _Skeleton()
                skeletons.append(current)
            current.agents.append(value)
            current.agent_lines.append(number)
            current.first_line = number + 1
        elif kind <= _DISALLOW and current is not None:
            current.has_rules = True
            allows.append(kind == _ALLOW)
            values.append(value)
            numbers.append(number)
    if current is not None:
        current.last_line = number
        current.rules = (allows, _escaped(values) if escape else values, numbers)
    return skeletons


def _read_rules(lines: list[str], first: int) -> tuple[list[bool], list[str], list[int]]:
    """(allow?, normalised pattern, line number) columns of the valid Allow/Disallow lines among ``lines``
    (numbered from ``first``), each read as :func:`_key_value` reads it.

    One plain loop, with the two common shapes inline: ``Disallow:`` spelled so at the start of the line,
    and any ``Key: value`` whose key (less whitespace, lower-cased) is one of :data:`_KEY_KINDS`, a comment,
    if any, after the colon. Other lines (blank, comment, ``disallowed: /x``, ``Disallow /x``) go to
    :func:`_key_value`. (Measured on etsy's 1,056-line group: 3,000 instructions a line, against 6,000 for
    a read in C-level ``map`` passes over all lines, whose ~12 passes and their lists cost more than the
    loop saves.)
    """
    ws = syn.WS
    kinds = _KEY_KINDS
    read = _key_value
    max_line = syn.MAX_LINE_BYTES
    allows: list[bool] = []
    values: list[str] = []
    numbers: list[int] = []
    number = first - 1
    for line in lines:
        number += 1
        if len(line) > max_line or "\x00" in line:  # robots.cc's line buffer, a NUL-terminated string
            found = read(line)
            if found is not None and found[0] <= _DISALLOW:
                allows.append(found[0] == _ALLOW)
                values.append(found[1])
                numbers.append(number)
            continue
        if line[:9] == "Disallow:":  # most rule lines
            value = line[9:]
            if "#" in value:  # a comment after the value
                value = value[: value.index("#")]
            allows.append(False)
            values.append(value.strip(ws))
            numbers.append(number)
            continue
        if line[:1] in "#":  # empty, or only a comment ("" is in every string)
            continue
        key, colon, value = line.partition(":")
        key = key.strip(ws).lower()
        kind = kinds.get(key) if colon else None
        if kind is None:
            if not key or key[0] == "#":  # blank, or only a comment
                continue
            found = read(line)  # an inexact key ("disallowed"), no colon ("Disallow /x"), a '#' before the colon
            if found is None:
                continue
            kind, value = found
        else:
            if "#" in value:
                value = value[: value.index("#")]
            value = value.strip(ws)
        if kind <= _DISALLOW:
            allows.append(kind == _ALLOW)
            values.append(value)
            numbers.append(number)
    return allows, _escaped(values), numbers


#: A span with at least this many lines is read by :func:`_read_span`'s C-level passes, a shorter one line by line.
_SPAN_MIN_LINES = 24


def _read_span(text: str, first: int) -> tuple[list[bool], list[str], list[int]]:
    """:func:`_read_rules` of ``text.split("\\n")`` (a group's span, numbered from ``first``), in C-level passes for
    the lines spelled ``Disallow: value`` (most rule lines of a big group; etsy: 1,013 of 1,056).

    Split at each "\\nDisallow: " (after a "\\n" put first): each piece but the first is the value of such a line,
    followed, when it holds a "\\n", by the lines up to the next one. A piece with no "\\n", no "#" and no line
    near robots.cc's line limit is one line whose value, stripped, is the rule (as :func:`_read_rules` reads
    ``Disallow:`` then the rest, a space first); the other pieces (and the lines before the first such line) are
    read line by line by :func:`_read_rules`. Measured on etsy's group: 0.5M instructions against 4.2M."""
    if text.count("\n", 0, 1 << 16) < _SPAN_MIN_LINES or "\x00" in text:
        return _read_rules(text.split("\n"), first)
    pieces = ("\n" + text).split("\nDisallow: ")
    count = len(pieces)
    if count < _SPAN_MIN_LINES:
        return _read_rules(text.split("\n"), first)
    # The pieces to read line by line: a "\n" in them (or a "#", or a line that robots.cc may cut), found by
    # ``bytes.find`` over a C-level pass of flags (``compress`` over a range costs twice that pass: an int per item).
    odd = _positions(bytes(map(_contains, pieces, repeat("\n"))))
    hashes = text.count("#")
    if hashes and hashes != pieces[0].count("#") + sum(pieces[i].count("#") for i in odd):
        odd = sorted(set(odd).union(_positions(bytes(map(_contains, pieces, repeat("#"))))))
    if len(text) > syn.MAX_LINE_BYTES - 16 and max(map(len, pieces)) > syn.MAX_LINE_BYTES - 16:
        odd = sorted(set(odd).union(i for i in range(1, count) if len(pieces[i]) > syn.MAX_LINE_BYTES - 16))
    allows: list[bool] = []
    values: list[str] = []
    numbers: list[int] = []
    number = first
    head = pieces[0]
    if head:  # "\n" and the lines before the first "Disallow: " line
        lines = head[1:].split("\n")
        found = _read_rules(lines, number)
        allows, values, numbers = found[0], found[1], found[2]
        number += len(lines)
    ws = syn.WS
    strip = str.strip
    at = 1
    odd.append(count)
    for stop in odd:
        if stop > at:  # pieces[at:stop]: one "Disallow: value" line each
            run = stop - at
            allows += repeat(False, run)
            values += map(strip, islice(pieces, at, stop), repeat(ws))
            numbers += range(number, number + run)
            number += run
        if stop < count:
            lines = ("Disallow: " + pieces[stop]).split("\n")
            found = _read_rules(lines, number)
            allows += found[0]
            values += found[1]
            numbers += found[2]
            number += len(lines)
        at = stop + 1
    return allows, _escaped(values), numbers


def _escaped(values: list[str]) -> list[str]:
    """``values`` through :func:`syn.escape_pattern` where that changes them: each value with a byte >= 0x80 and,
    when some value holds a lower-case escape, each with a "%" (a call per value costs ten times the test: wikipedia's
    group has 23 non-ASCII values among 200, and 105 with an upper-case escape). The same list when none changes."""
    joined = "\n".join(values)  # "\n" is no hex digit: an escape of the joined text is one of a value
    lower = "%" in joined and syn.has_lower_escape(joined)
    if joined.isascii():
        if not lower:
            return values
        escape = syn.escape_pattern
        return [escape(v) if "%" in v else v for v in values]
    escape = syn.escape_pattern
    if lower:
        return [escape(v) if "%" in v or not v.isascii() else v for v in values]
    return [v if v.isascii() else escape(v) for v in values]


def _column_rules(allows: list[bool], patterns: list[str], numbers: list[int], body: str) -> tuple[Rule, ...]:
    """The :class:`Rule` objects of a rule set's columns, equal to those of its groups (:meth:`RobotsPolicy._group`
    reads the same lines), made without the policy: a rule set that referred to its policy, which holds it, would
    keep both alive until the cyclic garbage collector runs (and make it walk them)."""
    raw, human, ws = body.split("\n"), syn.human, syn.WS
    return tuple([Rule(a, p, n, human(raw[n - 1].strip(ws))) for a, p, n in zip(allows, patterns, numbers)])


_TOKENS: dict[str, str] = {}  # user agent -> lower-cased product token, for the last few thousand agents


def _token(user_agent: str) -> str:
    """The lower-cased product token of ``user_agent``, remembered: a crawler sends one User-Agent to every
    origin, and working the token out again for each new policy cost more than the rest of a one-URL check's
    group lookup. (A pure function of the string: nothing about any robots.txt is kept.)"""
    token = syn.product_token(user_agent).lower()
    if len(_TOKENS) >= _CACHE_LIMIT:
        _TOKENS.clear()
    _TOKENS[user_agent] = token
    return token


class RobotsPolicy:
    """An immutable, parsed robots.txt. Parse once, match many.

    >>> policy = RobotsPolicy.parse("User-agent: *\\nDisallow: /private/\\n")
    >>> policy.is_allowed("AcmeBot/1.0", "https://example.com/private/x")
    False
    """

    __slots__ = (
        "_skeletons",
        "_all",
        "_groups",
        "size",
        "truncated",
        "_body",
        "_raw",
        "_lines",
        "_by_token",
        "_global",
        "_checks",
        "_resolved",
        "_rulesets",
    )

    _skeletons: list[_Skeleton]
    _all: Any
    _groups: list[Group | None]
    size: int
    truncated: bool
    _body: str
    _raw: list[str] | None
    _lines: tuple[str, ...] | None
    _by_token: dict[str, tuple[int, ...]]
    _global: tuple[int, ...]
    _checks: dict[str, Any]
    _resolved: dict[tuple[int, ...], Any]
    _rulesets: dict[tuple[int, ...], RuleSet]

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"RobotsPolicy is immutable (cannot set {name!r})")

    def __repr__(self) -> str:
        return (
            f"<RobotsPolicy groups={len(self.groups)} rules={sum(len(g.rules) for g in self.groups)}"
            f" sitemaps={len(self.sitemaps)} size={self.size}{' truncated' if self.truncated else ''}>"
        )

    # ------------------------------------------------------------------ parsing
    @classmethod
    def parse(cls, text: str | bytes) -> RobotsPolicy:
        """Parse a robots.txt body. Never raises on any ``str`` or ``bytes`` content (TypeError for other types).

        Only the group structure is read here (:func:`_read_structure`); a group's rules are read when the
        group is first used, and everything else (``groups``, ``sitemaps``, ``comments``, ``extensions``)
        when first asked for: a crawler that checks URLs for one agent pays for that agent's group.
        """
        if text.__class__ is bytes:
            size = len(text)
            body = (text if size <= syn.MAX_BYTES else text[: syn.MAX_BYTES]).decode("latin-1")
        else:
            body, size = syn.to_latin1(text)
        if body[:1] == "\xef":
            body = syn.strip_bom(body)
        if "\r" in body:  # CR, LF and CRLF all end a line (syn.split_lines)
            body = body.replace("\r\n", "\n").replace("\r", "\n")
        raw = None
        if len(body) <= _SMALL_BYTES and "\x00" not in body:
            raw = body.split("\n")
            skeletons = _read_small(raw, not body.isascii() or "%" in body)
        else:
            skeletons = _read_structure(body)

        by_token: dict[str, tuple[int, ...]] = {}
        global_groups: list[int] = []
        tail = syn._TOKEN_CHARS
        index = 0
        for b in skeletons:
            for agent in b.agents:
                if agent[:1] == "*" and (len(agent) == 1 or agent[1] in " \t\n\x0b\x0c\r"):  # syn.is_global_agent
                    if not global_groups or global_groups[-1] != index:
                        global_groups.append(index)
                else:
                    token = agent[: len(agent) - len(agent.lstrip(tail))].lower()  # syn.extract_agent
                    found = by_token.get(token)
                    if found is None:
                        by_token[token] = (index,)
                    elif found[-1] != index:
                        by_token[token] = found + (index,)
            index += 1

        # Set up as a mutable twin of the class (plain slot stores), then made a RobotsPolicy: 13
        # ``object.__setattr__`` calls cost a quarter of a small file's parse.
        self: Any = object.__new__(_Building if cls is RobotsPolicy else _building(cls))
        self._skeletons = skeletons
        self._all = None
        self._groups = [None] * len(skeletons)
        self.size = size
        self.truncated = size > syn.MAX_BYTES
        self._body = body
        self._raw = raw
        self._lines = None
        self._by_token = by_token
        self._global = tuple(global_groups)
        self._checks = {}
        self._resolved = {}
        self._rulesets = {}
        self.__class__ = cls
        return self

    @property
    def _raw_lines(self) -> list[str]:
        """The body's lines (Latin-1 text), split when first needed: checking needs only its group's."""
        raw = self._raw
        if raw is None:
            raw = self._body.split("\n")
            object.__setattr__(self, "_raw", raw)
        return raw

    def _read_all(self) -> tuple[list[_GroupBuilder], tuple[str, ...], tuple[tuple[int, str], ...],
                                 tuple[tuple[int, str, str], ...]]:
        found = self._all
        if found is None:
            builders, sitemaps, comments, extensions = _read_all(self._raw_lines)
            found = (builders, tuple(sitemaps), tuple(comments), tuple(extensions))
            object.__setattr__(self, "_all", found)
        return found  # type: ignore[no-any-return]

    @property
    def sitemaps(self) -> tuple[str, ...]:
        """Sitemap URLs, in file order (a sitemap line belongs to no group)."""
        return self._read_all()[1]

    @property
    def comments(self) -> tuple[tuple[int, str], ...]:
        """(line, text after '#') for every comment, text decoded and stripped."""
        return self._read_all()[2]

    @property
    def extensions(self) -> tuple[tuple[int, str, str], ...]:
        """(line, key lowercased, value) for every record that is not a group line, rule or sitemap."""
        return self._read_all()[3]

    def _group(self, index: int) -> Group:
        """Group ``index`` (in file order), built on first use."""
        group = self._groups[index]
        if group is None:
            b = self._read_all()[0][index]
            human, escape, raw, ws = syn.human, syn.escape_pattern, self._raw_lines, syn.WS
            group = Group(
                tuple(human(a) for a in b.agents),
                tuple(Rule(allow, escape(value), line, human(raw[line - 1].strip(ws))) for allow, value, line in b.rules),
                tuple(b.agent_lines),
                b.agent_lines[0],
                b.end_line,
                tuple(b.extensions),
                tuple(tuple(human(a) for a in agents) for agents in b.extension_agents),
            )
            self._groups[index] = group
        return group

    @property
    def user_agents(self) -> tuple[str, ...]:
        """Every user-agent value as written (decoded for display), in file order, ``*`` included.

        Read from the group structure that ``parse`` keeps: no group or rule is built, so listing the agents a
        file names (to look for AI crawlers, say) costs far less than walking ``groups``.
        """
        human = syn.human
        return tuple(human(agent) for skeleton in self._skeletons for agent in skeleton.agents)

    @property
    def groups(self) -> tuple[Group, ...]:
        """Every group, in file order (RFC 9309 §2.1), unmerged."""
        return tuple(self._group(i) for i in range(len(self._skeletons)))

    # ------------------------------------------------------------------ lines
    @property
    def lines(self) -> tuple[str, ...]:
        """Every line of the (BOM-stripped, 500 KiB-limited) file, as text; ``lines[n - 1]`` is line n."""
        if self._lines is None:
            object.__setattr__(self, "_lines", tuple(syn.human(r) for r in self._raw_lines))
        return self._lines  # type: ignore[return-value]

    def line(self, number: int) -> str | None:
        """Text of line ``number`` (1-based), or None when out of range."""
        if 1 <= number <= len(self._raw_lines):
            return syn.human(self._raw_lines[number - 1])
        return None

    # ------------------------------------------------------------------ groups
    def _group_indexes(self, user_agent: str) -> tuple[int, ...]:
        if not isinstance(user_agent, str):
            _require_str("user_agent", user_agent)
        token = _TOKENS.get(user_agent)
        if token is None:
            token = _token(user_agent)
        if not token:
            return self._global  # an empty token names no group (Google requires a non-empty one)
        specific = self._by_token.get(token)
        if specific is not None:
            return specific
        return self._global

    def _ruleset(self, indexes: tuple[int, ...]) -> RuleSet:
        """The rule set of the groups ``indexes`` (one per distinct tuple), built straight from the lines:
        its :class:`Rule` objects (and the :class:`Group`) are made only if ``decide`` or ``rules`` is used."""
        ruleset = self._rulesets.get(indexes)
        if ruleset is None:
            body = self._body
            if len(indexes) == 1:
                skeleton = self._skeletons[indexes[0]]
                found = skeleton.rules
                if found is None:
                    found = _read_span(body[skeleton.start : skeleton.end], skeleton.first_line)
                allows, patterns, numbers = found
            else:
                allows, patterns, numbers = [], [], []
                for i in indexes:
                    skeleton = self._skeletons[i]
                    found = skeleton.rules
                    if found is None:
                        found = _read_span(body[skeleton.start : skeleton.end], skeleton.first_line)
                    allows += found[0]
                    patterns += found[1]
                    numbers += found[2]
            if not patterns:
                ruleset = EMPTY
            else:
                ruleset = RuleSet._lazy(allows, patterns, numbers, partial(_column_rules, allows, patterns, numbers, body))
            self._rulesets[indexes] = ruleset
        return ruleset

    def _resolve(self, indexes: tuple[int, ...]) -> tuple[Group | None, RuleSet]:
        hit = self._resolved.get(indexes)
        if hit is not None:
            return hit
        if not indexes:
            result: tuple[Group | None, RuleSet] = (None, EMPTY)
        else:
            chosen = [self._group(i) for i in indexes]
            if len(chosen) == 1:
                group = chosen[0]
            else:
                agents: list[str] = []
                for g in chosen:
                    agents.extend(a for a in g.agents if a not in agents)
                group = Group(
                    tuple(agents),
                    tuple(r for g in chosen for r in g.rules),
                    tuple(n for g in chosen for n in g.agent_lines),
                    chosen[0].start_line,
                    chosen[-1].end_line,
                    tuple(e for g in chosen for e in g.extensions),
                    tuple(a for g in chosen for a in g.extension_agents),
                )
            result = (group, self._ruleset(indexes))
        self._resolved[indexes] = result
        return result

    def group_for(self, user_agent: str) -> Group | None:
        """The group that applies to ``user_agent`` (merged when it is named by several groups).

        The groups naming its product token; failing that the ``*`` groups; failing that None, and
        then everything is allowed (RFC 9309 §2.2.1).
        """
        return self._resolve(self._group_indexes(user_agent))[0]

    def names_agent(self, product_token: str) -> bool:
        """True when some user-agent line names this product token (``*`` does not count)."""
        _require_str("product_token", product_token)
        token = syn.product_token(product_token).lower()
        return bool(token) and token in self._by_token

    # ------------------------------------------------------------------ matching
    def _ruleset_for(self, user_agent: str) -> RuleSet:
        checks = self._checks
        if len(checks) >= _CACHE_LIMIT:
            checks.clear()
        ruleset = self._ruleset(self._group_indexes(user_agent))
        checks[user_agent] = ruleset
        return ruleset

    def matcher(self, user_agent: str) -> RuleSet:
        """The rule set that applies to ``user_agent``, for checking many URLs: the hot path.

        ``matcher(ua).check(url)`` answers as ``is_allowed(ua, url)`` and ``matcher(ua).decide(url)`` as
        ``explain(ua, url)`` (as ``(allowed, rule)``), without resolving the user agent on every call;
        both switch the rule set's tiers on their own (see :class:`RuleSet`). The same object is
        returned for every user agent with the same product token (an empty rule set when no group
        applies, which allows everything).
        """
        ruleset = self._checks.get(user_agent) if isinstance(user_agent, str) else None
        if ruleset is None:
            ruleset = self._ruleset_for(user_agent)
        return ruleset  # type: ignore[no-any-return]

    def is_allowed(self, user_agent: str, url: str) -> bool:
        """May ``user_agent`` fetch ``url``? ``url`` is an absolute URL or a path such as "/a?b".

        ``user_agent`` may be a full User-Agent header; its product token is matched. Both must be ``str``
        (TypeError otherwise).
        """
        try:
            ruleset = self._checks[user_agent]  # only str keys are ever stored
        except (KeyError, TypeError):  # not seen yet, or unhashable (not a str either)
            ruleset = None
        if ruleset is not None and type(url) is str:  # type(x) is a specialised call; x.__class__ is not
            # An attribute read then a call: ``ruleset.check(url)`` would be a method lookup, which CPython
            # does not specialise for a slot (a generic lookup on every call, ~15% of a compiled check).
            check = ruleset.check
            return check(url)  # type: ignore[no-any-return]
        _require_str("user_agent", user_agent)
        _require_str("url", url)
        return self.matcher(user_agent).check(url)

    def explain(self, user_agent: str, url: str) -> Verdict:
        """The verdict with the deciding rule (line and text), or rule None when none decided."""
        _require_str("url", url)
        group, ruleset = self._resolve(self._group_indexes(user_agent))
        if group is None:
            return Verdict(True, None, None)
        allowed, rule = ruleset._decide_quietly(url)  # an explain is usually a one-off: never compile for it
        return Verdict(allowed, rule, group.agents)

    # ------------------------------------------------------------------ other records
    def _group_records(self, user_agent: str, key: str) -> list[str]:
        """Values of ``key`` records that follow a user-agent line naming ``user_agent`` (or ``*`` when the
        global group applies): in a merged group each record keeps to the agents it follows."""
        indexes = self._group_indexes(user_agent)
        if not indexes:
            return []
        token = syn.product_token(user_agent).lower()
        specific = bool(token) and token in self._by_token
        human = syn.human

        def applies(raw: tuple[str, ...]) -> bool:
            agents = [human(a) for a in raw]  # as the group shows them (Group.extension_agents)
            if specific:
                return any(syn.extract_agent(a).lower() == token for a in agents if not syn.is_global_agent(a))
            return any(syn.is_global_agent(a) for a in agents)

        # The records as the (merged) group holds them, read from the file's records: no Group and no Rule
        # is built for a Crawl-delay (issue 10: building them escaped every rule of the group).
        builders = self._read_all()[0]
        return [value for i in indexes
                for (_, k, value), agents in zip(builders[i].extensions, builders[i].extension_agents)
                if k == key and applies(agents)]

    def crawl_delay(self, user_agent: str) -> float | None:
        """Seconds from the first valid ``Crawl-delay`` of the group that applies (not in RFC 9309;
        Google ignores it). None when absent or invalid."""
        for value in self._group_records(user_agent, "crawl-delay"):
            try:
                delay = float(value.split()[0]) if value.strip() else math.nan
            except ValueError:
                continue
            if math.isfinite(delay) and delay >= 0:
                return delay
        return None

    def request_rate(self, user_agent: str) -> tuple[int, float] | None:
        """(requests, seconds) from the first valid ``Request-rate`` of the group that applies,
        e.g. "1/10s" -> (1, 10.0), "3/1m" -> (3, 60.0). None when absent or invalid."""
        for value in self._group_records(user_agent, "request-rate"):
            if not _RATE:
                import re

                _RATE.append(re.compile(r"\s*(\d+)\s*/\s*(\d+(?:\.\d+)?)\s*([smhd]?)", re.IGNORECASE))
            m = _RATE[0].match(value)
            if m is None:
                continue
            requests = int(m.group(1))
            seconds = float(m.group(2)) * _UNIT[m.group(3).lower()]
            if requests > 0 and seconds > 0:
                return requests, seconds
        return None


class _Building(RobotsPolicy):
    """A RobotsPolicy being set up by ``parse``: the same slots, assignable; ``parse`` then sets the
    object's class to RobotsPolicy (same layout, so CPython allows it)."""

    __slots__ = ()
    __setattr__ = object.__setattr__  # type: ignore[assignment]  # the C slot itself: plain stores


def _building(cls: type) -> type:
    """The assignable twin of a subclass of RobotsPolicy (one per subclass)."""
    twin = _TWINS.get(cls)
    if twin is None:
        fields = {"__slots__": (), "__setattr__": object.__setattr__}
        twin = _TWINS[cls] = type(cls)(f"_Building{cls.__name__}", (cls,), fields)
    return twin


_TWINS: dict[type, type] = {}


_PARSED: dict[str | bytes, RobotsPolicy] = {}  # the last 32 bodies given to is_allowed (no functools import)


def _cached_parse(text: str | bytes) -> RobotsPolicy:
    policy = _PARSED.get(text)
    if policy is None:
        policy = RobotsPolicy.parse(text)
        if len(_PARSED) >= 32:
            del _PARSED[next(iter(_PARSED))]
        _PARSED[text] = policy
    return policy


def is_allowed(robots_txt: str | bytes, user_agent: str, url: str) -> bool:
    """May ``user_agent`` fetch ``url`` under ``robots_txt``? As Google's parser answers (RFC 9309).

    Recent bodies are kept parsed, so repeated calls with the same text do not re-parse it; for many
    checks, hold a :class:`RobotsPolicy` instead. A ``robots_txt`` that is not text or bytes, or a
    ``user_agent`` or ``url`` that is not a ``str``, is a TypeError.
    """
    if isinstance(robots_txt, (bytearray, memoryview)):
        robots_txt = bytes(robots_txt)
    elif not isinstance(robots_txt, (str, bytes)):
        raise TypeError(f"robots_txt must be str or bytes, not {type(robots_txt).__name__}")
    _require_str("user_agent", user_agent)
    _require_str("url", url)
    return _cached_parse(robots_txt).is_allowed(user_agent, url)
