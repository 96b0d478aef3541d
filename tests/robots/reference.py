"""A slow, literal re-statement of google/robotstxt's algorithm, used only as a test oracle.

It streams the file line by line through the same state machine as robots.cc's RobotsMatcher
(seen_global / seen_specific / seen_separator, per-line longest-match bookkeeping) and matches patterns
with the position-set algorithm of ``RobotsMatchStrategy::Matches``. It shares nothing with the
package's compiled matcher except the byte-level helpers it imports explicitly.
"""

from __future__ import annotations

from scrapecheck.robots._syntax import (
    escape_pattern,
    extract_agent,
    normalise_path,
    path_of,
    product_token,
    split_lines,
    strip_bom,
    to_latin1,
)

WS = " \t\n\x0b\x0c\r"


def matches(path: str, pattern: str) -> bool:
    pos = [0]
    for i, ch in enumerate(pattern):
        if ch == "$" and i == len(pattern) - 1:
            return pos[-1] == len(path)
        if ch == "*":
            pos = list(range(pos[0], len(path) + 1))
        else:
            pos = [p + 1 for p in pos if p < len(path) and path[p] == ch]
            if not pos:
                return False
    return True


def key_value(line: str) -> tuple[str, str] | None:
    line = line[: 2083 * 8 - 1].split("\x00")[0].split("#")[0].strip(WS)
    if not line:
        return None
    if ":" in line:
        key, value = line.split(":", 1)
    else:
        cut = [i for i, c in enumerate(line) if c in " \t"]
        if not cut:
            return None
        value = line[cut[0] :].lstrip(" \t")
        if any(c in " \t" for c in value):
            return None
        key, value = line[: cut[0]], line[cut[0] + 1 :]
    key, value = key.strip(WS), value.strip(WS)
    return (key, value) if key else None


def allowed(robots: str | bytes, user_agent: str, url: str) -> tuple[bool, int]:
    """(allowed, matching line) for one agent, as RobotsMatcher computes them."""
    body, _ = to_latin1(robots)
    agent = product_token(user_agent).lower()
    path = normalise_path(path_of(url))
    if path == "/robots.txt":
        return True, 0  # RFC 9309 §2.2.2 (a deliberate addition to Google's library)
    best = {("allow", "g"): (-1, 0), ("allow", "s"): (-1, 0), ("dis", "g"): (-1, 0), ("dis", "s"): (-1, 0)}
    seen_global = seen_specific = ever_specific = separator = False

    def record(kind: str, scope: str, pattern: str, number: int) -> bool:
        if not matches(path, pattern):
            return False
        if best[(kind, scope)][0] < len(pattern):
            best[(kind, scope)] = (len(pattern), number)
        return True

    for number, line in enumerate(split_lines(strip_bom(body)), 1):
        kv = key_value(line)
        if kv is None:
            continue
        key, value = kv[0].lower(), kv[1]
        if key.startswith(("user-agent", "useragent", "user agent")):
            if separator:
                seen_global = seen_specific = separator = False
            if value[:1] == "*" and (len(value) == 1 or value[1] in WS):
                seen_global = True
            elif agent and extract_agent(value).lower() == agent:
                # (Google requires its caller to pass a non-empty token; an empty one names no group here.)
                seen_specific = ever_specific = True
        elif key.startswith("allow") or key.startswith(
            ("disallow", "dissallow", "dissalow", "disalow", "diasllow", "disallaw")
        ):
            if not (seen_global or seen_specific):
                continue
            separator = True
            kind = "allow" if key.startswith("allow") else "dis"
            scope = "s" if seen_specific else "g"
            pattern = escape_pattern(value)
            if not record(kind, scope, pattern, number) and kind == "allow":
                slash = pattern.rfind("/")
                if slash >= 0 and pattern.startswith("/index.htm", slash):
                    record(kind, scope, pattern[: slash + 1] + "$", number)

    def decide(scope: str) -> tuple[bool, int]:
        a, d = best[("allow", scope)], best[("dis", scope)]
        return (not d[0] > a[0]), (d[1] if d[0] > a[0] else a[1])

    if best[("allow", "s")][0] > 0 or best[("dis", "s")][0] > 0:
        return decide("s")
    if ever_specific:
        return True, decide("s")[1]
    if best[("allow", "g")][0] > 0 or best[("dis", "g")][0] > 0:
        return decide("g")
    return True, decide("g")[1]
