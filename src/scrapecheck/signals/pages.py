"""Opt-outs read from what a page (or a well-known file) says, outside robots.txt. Pure: text in, values out.

Carriers understood:

* ``X-Robots-Tag`` headers and ``<meta name="robots">`` (or ``<meta name="<own token>">``) with ``noai`` /
  ``noimageai``; a ``ua: directives`` prefix limits a header value to that crawler.
* TDMRep (W3C Community Group report): ``tdm-reservation`` / ``tdm-policy`` headers and meta tags, and the
  rule list in ``/.well-known/tdmrep.json`` (first rule whose ``location`` matches a planned path applies).
* ``Content-Usage`` (IETF aipref drafts; ``y``/``n``) and ``Content-Signal`` (Cloudflare; ``yes``/``no``),
  as headers here and as robots.txt lines in :mod:`scrapecheck.signals.optouts`.
* ``Link: <...>; rel="license"`` pointing at an RSL licence (``type="application/rsl+xml"`` or a ``.rsl``/
  RSL-looking URL).
"""

from __future__ import annotations

import codecs
import json
import re
from typing import Iterable, Mapping, Optional, Sequence, Union

from ..robots import path_matches
from .model import OptOut

Headers = Union[Mapping[str, object], Iterable[tuple[str, str]]]

#: Headers a page or robots.txt response is recorded with (lower case).
HEADERS_THAT_MATTER = (
    "content-type", "content-length", "content-encoding", "last-modified", "etag", "cache-control", "date",
    "retry-after", "location", "x-robots-tag", "tdm-reservation", "tdm-policy", "content-usage",
    "content-signal", "link",
)

_AI_DIRECTIVES = {"noai": "noai", "noimageai": "noimageai"}
# X-Robots-Tag directives that themselves contain a colon, so "name: value" is not a user-agent prefix.
_COLON_DIRECTIVES = {"unavailable_after", "max-snippet", "max-image-preview", "max-video-preview"}
_UA_PREFIX = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*:\s*(.*)$", re.S)

# Content-Usage (aipref vocabulary): category → scopes it reserves when set to n. "bots" (automated
# processing) contains the others; "all" and "tdm" are spellings seen in earlier drafts.
_USAGE_SCOPES: dict[str, tuple[str, ...]] = {
    "bots": ("scraping", "tdm", "ai-training", "ai-inference", "search"),
    "all": ("scraping", "tdm", "ai-training", "ai-inference", "search"),
    "tdm": ("tdm", "ai-training", "ai-inference"),
    "train-ai": ("ai-training",),
    "train-genai": ("ai-training",),
    "ai-use": ("ai-inference",),
    "ai-input": ("ai-inference",),
    "search": ("search",),
}
# Content-Signal (Cloudflare Content Signals Policy).
_SIGNAL_SCOPES: dict[str, tuple[str, ...]] = {
    "search": ("search",),
    "ai-input": ("ai-inference",),
    "ai-train": ("ai-training",),
}
_SCOPE_ORDER = ("scraping", "tdm", "ai-training", "ai-inference", "search")


def header_values(headers: Headers, name: str) -> list[str]:
    """Every value of header ``name`` (case-insensitive); a mapping's list values count as repeats."""
    wanted = name.lower()
    items = headers.items() if isinstance(headers, Mapping) else headers
    found: list[str] = []
    for key, value in items:
        if str(key).lower() != wanted:
            continue
        if isinstance(value, (list, tuple)):
            found.extend(str(v) for v in value)
        else:
            found.append(str(value))
    return found


def _ordered(scopes: Iterable[str]) -> list[str]:
    wanted = set(scopes)
    return [scope for scope in _SCOPE_ORDER if scope in wanted]


def _robots_directives(value: str, own_token: str) -> list[str]:
    """Directives of one X-Robots-Tag value (or meta content) that apply to ``own_token``, lower case."""
    match = _UA_PREFIX.match(value)
    if match and match.group(1).lower() not in _COLON_DIRECTIVES:
        if match.group(1).lower() != own_token.lower():
            return []
        value = match.group(2)
    # Directives are comma-separated; a space or a semicolon between them ("noai noimageai", "noai;") is read
    # as a separator too: no directive contains one, and missing a noai reads a reservation as absent.
    return [part.lower() for part in re.split(r"[,;\s]+", value) if part]


def _ai_robots_opt_out(kind: str, directives: list[str], value: str, where: str) -> Optional[OptOut]:
    found = [d for d in directives if d in _AI_DIRECTIVES]
    if not found:
        return None
    return OptOut(kind=kind, scopes=["ai-training"], value=value.strip(), where=where)  # type: ignore[arg-type]


def parse_preferences(value: str, *, signal: bool = False) -> tuple[Optional[str], dict[str, bool]]:
    """``[/path ]key=v, key=v`` → (path or None, {key: allowed}). Unknown values are skipped.

    ``signal`` picks Content-Signal spelling (``yes``/``no``); otherwise Content-Usage (``y``/``n``), though
    either spelling is accepted in both, as sites mix them.
    """
    text = value.strip()
    path = None
    if text.startswith("/"):
        parts = text.split(None, 1)
        path = parts[0]
        text = parts[1] if len(parts) > 1 else ""
    prefs: dict[str, bool] = {}
    text = re.sub(r"\s*=\s*", "=", text)  # "train-ai = n": spaces around '=' would split the pair apart
    for item in re.split(r"[,\s]+", text):
        item = item.split(";", 1)[0].strip()
        if "=" not in item:
            continue
        key, _, raw = item.partition("=")
        raw = raw.strip().strip('"').lower()
        if raw in ("n", "no", "?0", "0", "false"):
            prefs[key.strip().lower()] = False
        elif raw in ("y", "yes", "?1", "1", "true"):
            prefs[key.strip().lower()] = True
    return path, prefs


def reserved_scopes(prefs: Mapping[str, bool], *, signal: bool = False) -> list[str]:
    """Scopes a preference set reserves: every 'no' category's scopes, minus those a more specific 'yes' keeps."""
    table = _SIGNAL_SCOPES if signal else _USAGE_SCOPES
    state: dict[str, bool] = {}
    known = [(key, ok) for key, ok in prefs.items() if key in table]
    for key, ok in sorted(known, key=lambda item: -len(table[item[0]])):  # broad first, specific overrides
        for scope in table[key]:
            state[scope] = ok
    return _ordered(scope for scope, ok in state.items() if not ok)


def preference_opt_out(kind: str, raw_line: str, value: str, where: str, *, line: Optional[int] = None,
                       agents: Sequence[str] = ()) -> Optional[OptOut]:
    """One Content-Usage / Content-Signal directive as an opt-out, or None when it reserves nothing."""
    signal = kind == "content-signal"
    _, prefs = parse_preferences(value, signal=signal)
    scopes = reserved_scopes(prefs, signal=signal)
    if not scopes:
        return None
    return OptOut(kind=kind, scopes=scopes, value=raw_line.strip(), where=where, line=line,  # type: ignore[arg-type]
                  agents=list(agents))


def _tdm_opt_out(reservation: str, policy: Optional[str], where: str, via: str) -> Optional[OptOut]:
    if reservation.strip() != "1":
        return None
    value = f"{via}tdm-reservation: 1"
    if policy:
        value += f"; tdm-policy: {policy.strip()}"
    return OptOut(kind="tdmrep", scopes=["tdm", "ai-training"], value=value, where=where)


def _rsl_links(values: list[str]) -> list[str]:
    links = []
    for value in values:
        for part in value.split(","):
            match = re.match(r'\s*<([^>]*)>(.*)$', part)
            if not match:
                continue
            params = match.group(2).lower()
            if not re.search(r'rel\s*=\s*"?[^";]*\blicense\b', params):
                continue
            target = match.group(1)
            if "rsl" in params or "rsl" in target.lower():
                links.append(target)
    return links


def from_headers(headers: Headers, where: str, own_token: str) -> list[OptOut]:
    """Opt-outs in a response's headers: X-Robots-Tag, tdm-reservation/tdm-policy, Content-Usage,
    Content-Signal and an RSL licence ``Link``."""
    found: list[OptOut] = []
    for value in header_values(headers, "x-robots-tag"):
        opt_out = _ai_robots_opt_out("x-robots-tag", _robots_directives(value, own_token),
                                     f"X-Robots-Tag: {value.strip()}", where)
        if opt_out:
            found.append(opt_out)
    reservations = header_values(headers, "tdm-reservation")
    policies = header_values(headers, "tdm-policy")
    for reservation in reservations[:1]:
        opt_out = _tdm_opt_out(reservation, policies[0] if policies else None, where, "header ")
        if opt_out:
            found.append(opt_out)
    for kind, name in (("content-usage", "Content-Usage"), ("content-signal", "Content-Signal")):
        for value in header_values(headers, name):
            opt_out = preference_opt_out(kind, f"{name}: {value}", value, where)
            if opt_out:
                found.append(opt_out)
    for link in _rsl_links(header_values(headers, "link")):
        found.append(OptOut(kind="rsl-license", scopes=["ai-training", "ai-inference"],
                            value=f"Link: <{link}>; rel=license", where=where))
    return found


def from_html(html: str, where: str, own_token: str) -> list[OptOut]:
    """Opt-outs in a page's ``<meta>`` tags: robots (or own-token) noai/noimageai, tdm-reservation/tdm-policy,
    and ``http-equiv`` copies of the headers."""
    from ._meta import meta_tags  # html.parser only when a page is read

    metas = meta_tags(html)
    found: list[OptOut] = []
    token = own_token.lower()
    tdm_policy = next((content for name, content, _ in metas if name == "tdm-policy"), None)
    for name, content, line in metas:
        if name in ("robots", token):
            opt_out = _ai_robots_opt_out("meta-robots", _robots_directives(content, own_token),
                                         f'<meta name="{name}" content="{content.strip()}">', where)
            if opt_out:
                found.append(opt_out.model_copy(update={"line": line}))
        elif name == "tdm-reservation":
            opt_out = _tdm_opt_out(content, tdm_policy, where, "meta ")
            if opt_out:
                found.append(opt_out.model_copy(update={"line": line}))
        elif name == "x-robots-tag":
            opt_out = _ai_robots_opt_out("x-robots-tag", _robots_directives(content, own_token),
                                         f'<meta http-equiv="X-Robots-Tag" content="{content.strip()}">', where)
            if opt_out:
                found.append(opt_out.model_copy(update={"line": line}))
        elif name in ("content-usage", "content-signal"):
            opt_out = preference_opt_out(name, f'<meta name="{name}" content="{content.strip()}">', content, where)
            if opt_out:
                found.append(opt_out.model_copy(update={"line": line}))
    return found


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))  # (UTF-32 LE starts as UTF-16 LE does)


def html_opt_outs(body: bytes, text: str, where: str, own_token: str) -> list[OptOut]:
    """:func:`from_html` of ``text`` (the page as :func:`decode_page` reads it) and, when the bytes read as UTF-8
    differ, of those too: a charset declared wrongly must not hide what the bytes say as UTF-8."""
    found = from_html(text, where, own_token)
    utf8 = body.decode("utf-8", "replace")
    if utf8 != text:
        found.extend(o for o in from_html(utf8, where, own_token) if o not in found)
    return found


def decode_page(body: bytes, content_type: str = "") -> str:
    """A page's text for reading its meta tags: by its byte-order mark, else the charset its Content-Type names,
    else UTF-8; bad bytes replaced (a meta tag is ASCII, so it survives a few around it). Read as UTF-8 whatever
    it said, a UTF-16 page showed no meta tag at all."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body.decode(encoding, "replace")
    at = content_type.lower().find("charset=")
    if at >= 0:
        charset = content_type[at + 8:].split(";")[0].strip().strip("'\"")
        try:
            return body.decode(charset, "replace")
        except (LookupError, ValueError, TypeError):  # unknown, or not a text encoding ("rot13", "hex"): UTF-8
            pass
    return body.decode("utf-8", "replace")


def tdmrep_rules(body: Union[bytes, str], where: str) -> tuple[list[dict[str, object]], list[str]]:
    """The rules of a ``/.well-known/tdmrep.json`` in file order, JSON-ready: ``{"location": str,
    "tdm-reservation": 1 or 0, "tdm-policy": str (when given)}``; and the problems in words."""
    problems: list[str] = []
    try:
        text = body.decode("utf-8-sig") if isinstance(body, bytes) else body
        data = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        return [], [f"{where}: not valid JSON ({exc}); TDMRep rules not read"]
    except RecursionError:
        return [], [f"{where}: JSON nested too deeply to read; TDMRep rules not read"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        return [], [f"{where}: expected a JSON array of rules, got {type(data).__name__}"]
    rules: list[dict[str, object]] = []
    for index, rule in enumerate(data):
        if not isinstance(rule, dict) or "location" not in rule or "tdm-reservation" not in rule:
            problems.append(f"{where}: rule {index} lacks 'location' or 'tdm-reservation'; skipped")
            continue
        location, reservation, policy = rule["location"], _reservation(rule["tdm-reservation"]), rule.get("tdm-policy")
        if not isinstance(location, str) or reservation is None or not isinstance(policy, (str, type(None))):
            problems.append(f"{where}: rule {index} is not a string 'location', a 'tdm-reservation' of 0 or 1 "
                            "and an optional string 'tdm-policy'; skipped")
            continue
        kept: dict[str, object] = {"location": location, "tdm-reservation": reservation}
        if policy:
            kept["tdm-policy"] = policy
        rules.append(kept)
    return rules, problems


def _reservation(value: object) -> Optional[int]:
    """``tdm-reservation`` as 0 or 1 (the number, or the string a header would carry); None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and value in (0, 1):
        return int(value)
    if isinstance(value, str) and value.strip() in ("0", "1"):
        return int(value.strip())
    return None


def tdmrep_value(rule: dict[str, object]) -> str:
    """How a reserving TDMRep rule is quoted in an opt-out's ``value``."""
    value = f"tdmrep.json: location {rule['location']}: tdm-reservation: 1"
    if rule.get("tdm-policy"):
        value += f"; tdm-policy: {rule['tdm-policy']}"
    return value


def tdmrep_opt_outs(rules: Sequence[dict[str, object]], where: str, paths: Sequence[str]) -> list[OptOut]:
    """Opt-outs of :func:`tdmrep_rules` for ``paths``: for each path the first rule whose ``location`` matches
    decides; ``tdm-reservation: 1`` reserves."""
    found: dict[tuple[str, str], OptOut] = {}
    for path in paths or ["/"]:
        for rule in rules:
            location = str(rule["location"])
            if not path_matches(path, location):
                continue
            if rule["tdm-reservation"] == 1:
                value = tdmrep_value(rule)
                found.setdefault((location, value), OptOut(kind="tdmrep", scopes=["tdm", "ai-training"],
                                                           value=value, where=where))
            break
    return list(found.values())


def from_tdmrep_json(body: Union[bytes, str], where: str, paths: Sequence[str]) -> tuple[list[OptOut], list[str]]:
    """TDMRep rules of ``/.well-known/tdmrep.json`` applying to ``paths``: (opt-outs, problems in words).

    For each planned path the first rule whose ``location`` matches decides; ``tdm-reservation: 1`` reserves.
    """
    rules, problems = tdmrep_rules(body, where)
    return tdmrep_opt_outs(rules, where, paths), problems
