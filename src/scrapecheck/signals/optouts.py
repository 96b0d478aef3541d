"""Opt-outs read from a robots.txt, computed afresh from its body every time the engine evaluates a plan.

* ``robots-ai-agent``: an AI crawler of the shipped list disallowed from the whole site (``/``);
* ``robots-ai-intent``: AI-training (or AI-answer) crawlers blocked while the plan's own token is not named,
  a reservation the plan's crawler should respect in spirit;
* ``content-usage`` / ``content-signal``: IETF aipref and Cloudflare preference lines that apply to the
  plan's crawler (in its group, in the ``*`` group when it has none of its own, or outside any group);
* ``rsl-license``: an RSL ``License:`` line pointing at machine-readable licence terms;
* ``legal-notice``: a comment such as "no AI training" or "scraping prohibited" (low confidence, quoted);
  comment lines wrapped over several lines are read as one notice, reported at its first line.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .ai_agents import lookup
from .model import OptOut
from .pages import preference_opt_out

if TYPE_CHECKING:
    from ..robots import RobotsPolicy

_PREFERENCE_KEYS = {"content-usage": ("content-usage", "Content-Usage"),
                    "content-signal": ("content-signal", "Content-Signal")}
_LICENSE_KEYS = ("license",)

_NEG = (r"(?:no|not|never|prohibit\w*|forbid\w*|disallow\w*|ban\w*|den(?:y|ies|ied)|refuse\w*|may not|must not|"
        r"shall not|without (?:\w+ ){0,3}(?:permission|consent|licen[cs]e|authori[sz]ation))")
_AI = (r"(?:a\.?i\.?|artificial intelligence|machine[- ]learning|ml|llms?|large language models?|"
       r"gen(?:erative)?[- ]?ai|(?:model|ai|llm) training|train(?:ing)? (?:of )?(?:ai|models?|llms?|machine)|"
       r"training data|datasets?)")
_TDM = (r"(?:text (?:and|&) data[- ]mining|data[- ]mining|\btdm\b|2019/790|\b44b\b|"
        r"article 4 (?:of )?(?:the )?(?:dsm|directive))")
_SCRAPE = (r"(?:scrap(?:e|es|ing|ers?)|harvest(?:ing)?|data collection|collection of (?:\w+ )?data|"
           r"automated (?:means|access|collection|retrieval|tools?|systems?|software|programs?|queries|requests))")
_BAD = r"(?:prohibited|forbidden|not (?:permitted|allowed|authori[sz]ed)|disallowed|illegal|unlawful|banned)"
_WITHOUT_PERMISSION = (r"without (?:(?:the|our|a|any|prior|express|explicit|written|advance) ){0,4}"
                       r"(?:permission|consent|licen[cs]e|authori[sz]ation)")
# Words that also name ordinary robots.txt business ("Do not crawl /search", "Disallow all robots from /tmp"):
# a notice only with legal wording next to them, never with a plain "not", "disallow" or "not allowed".
_CRAWL = r"(?:crawl(?:s|ing|ers?)?|spider(?:s|ing)?|robots|bots|web ?crawlers?)"
_LEGAL = (rf"(?:(?:strictly )?prohibited|forbidden|not permitted|not authori[sz]ed|illegal|unlawful|"
          rf"{_WITHOUT_PERMISSION})")

# The notice patterns, matched case-insensitively. Each is compiled on first use (``re`` compiles in pure Python:
# the four together were about 4% of a ``scrapecheck check``, issue 10), and an ASCII comment is first screened by
# the words any match must contain (:data:`_NEEDS`), so most comments are never searched and a pattern no comment
# needs is never compiled.
_NOTICE_SOURCES = {
    "explains": r"content[- ]signal|content[- ]usage",
    "tdm": rf"\b{_TDM}|reserv\w*.{{0,60}}\b(?:{_AI}|mining)\b",
    "ai": rf"\b{_NEG}\b.{{0,60}}\b{_AI}\b|\b{_AI}\b.{{0,40}}\b{_BAD}\b",
    # Spelled out: NEG .{0,40} SCRAPE | SCRAPE .{0,40} BAD | SCRAPE [^.!?]{0,100} LEGAL
    # | CRAWL [^.!?]{0,100} LEGAL | unauthorized CRAWL. Only whether it matches is used, so shared heads and tails
    # are factored out: the same answers from a pattern a third shorter, whose compile is cheaper (issue 10).
    "scraping": (rf"\b{_NEG}\b.{{0,40}}\b{_SCRAPE}\b"
                 rf"|\b(?:{_SCRAPE}\b.{{0,40}}\b{_BAD}\b|(?:{_SCRAPE}|{_CRAWL})\b[^.!?]{{0,100}}\b(?:{_LEGAL}))"
                 rf"|\bunauthori[sz]ed (?:\w+ )?{_CRAWL}\b"),
}

# Words (lower case) that a match of each pattern must contain, read off the alternatives above: a pattern can
# match only if, for one of its clauses, the text holds a word of every set in it. Kept in step with the
# patterns by a test over the robots.txt corpus and sentences built from their vocabulary.
_AI_WORDS = ("ai", "a.i", "artificial intelligence", "machine", "ml", "llm", "large language model", "train",
             "dataset")
_NEG_OR_BAD_WORDS = ("no", "never", "prohibit", "forbid", "disallow", "ban", "den", "refuse", "without", "illegal",
                     "unlawful")  # _NEG, and _BAD (prohibited, forbidden, not ..., disallowed, illegal, unlawful, banned)
_SCRAPE_WORDS = ("scrap", "harvest", "collection", "automated")
_CRAWL_WORDS = ("crawl", "spider", "bots")
_LEGAL_WORDS = ("prohibit", "forbid", "not permitted", "not authori", "illegal", "unlawful", "without", "unauthori")
_NEEDS: dict[str, tuple[tuple[tuple[str, ...], ...], ...]] = {
    "explains": ((("content",),),),
    "tdm": ((("mining", "tdm", "2019/790", "44b", "article 4", "reserv"),),),
    "ai": ((_AI_WORDS, _NEG_OR_BAD_WORDS),),
    "scraping": ((_SCRAPE_WORDS, _NEG_OR_BAD_WORDS), (_CRAWL_WORDS, _LEGAL_WORDS)),
}
_PATTERNS: dict[tuple[str, bool], "re.Pattern[str]"] = {}


def _pattern(name: str, lowered: bool) -> "re.Pattern[str]":
    """Notice pattern ``name``, compiled once: for text already lower-cased (ASCII only, where that is exactly
    what ignoring case means), or with ``re.I`` for any other text."""
    pattern = _PATTERNS.get((name, lowered))
    if pattern is None:
        source = _NOTICE_SOURCES[name]
        pattern = _PATTERNS[name, lowered] = re.compile(source) if lowered else re.compile(source, re.I)
    return pattern


def _notice(name: str, comment: str, lowered: str | None) -> bool:
    """Does notice pattern ``name`` match the comment (ignoring case)? ``lowered``: the comment lower-cased when
    it is ASCII, else None (then the pattern is searched with ``re.I``, as every comment once was)."""
    if lowered is None:
        return _pattern(name, False).search(comment) is not None
    if not any(all(any(word in lowered for word in words) for words in clause) for clause in _NEEDS[name]):
        return False
    return _pattern(name, True).search(lowered) is not None


def __getattr__(name: str) -> "re.Pattern[str]":
    """``_AI_NOTICE``, ``_TDM_NOTICE``, ``_SCRAPE_NOTICE``, ``_EXPLAINS_SIGNAL``: the patterns as they were
    (``re.I``), compiled when asked for (PEP 562)."""
    spelled = {"_AI_NOTICE": "ai", "_TDM_NOTICE": "tdm", "_SCRAPE_NOTICE": "scraping", "_EXPLAINS_SIGNAL": "explains"}
    if name in spelled:
        return _pattern(spelled[name], False)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_QUOTE_LIMIT = 300


def legal_notice_scopes(comment: str) -> list[str]:
    """Scopes a robots.txt comment appears to reserve ("no AI training", "scraping prohibited"), or []."""
    lowered = comment.lower() if comment.isascii() else None
    # Comments explaining a machine-readable preference line (Cloudflare's managed robots.txt preamble) are not
    # notices of their own: the Content-Signal line says what is reserved.
    if _notice("explains", comment, lowered):
        return []
    scopes: list[str] = []
    if _notice("tdm", comment, lowered):
        scopes += ["tdm", "ai-training"]
    if "ai-training" not in scopes and _notice("ai", comment, lowered):
        scopes.append("ai-training")
    if _notice("scraping", comment, lowered):
        scopes.insert(0, "scraping")
    return scopes


def _applicable_extension_lines(policy: "RobotsPolicy", own_token: str) -> tuple[set[int], dict[int, tuple[str, ...]]]:
    """Line numbers of extension lines that apply to ``own_token``, and each grouped line's agents."""
    grouped: dict[int, tuple[str, ...]] = {}
    for group in policy.groups:
        for line, _, _ in group.extensions:
            grouped[line] = group.agents
    applicable = {line for line, _, _ in policy.extensions if line not in grouped}
    mine = policy.group_for(own_token)
    if mine is not None:
        applicable.update(line for line, _, _ in mine.extensions)
    return applicable, grouped


def _agent_opt_outs(policy: "RobotsPolicy", own_token: str, robots_url: str) -> list[OptOut]:
    found: list[OptOut] = []
    blocked: dict[str, list[str]] = {"ai-training": [], "ai-inference": []}
    seen: set[str] = set()
    for agent in policy.user_agents:
        info = lookup(agent)
        if info is None or info.token.lower() in seen:
            continue
        seen.add(info.token.lower())
        if policy.matcher(info.token).check("/"):  # as explain answers, without building the group's rules
            continue
        verdict = policy.explain(info.token, "/")
        rule_text = verdict.rule.text if verdict.rule is not None else "Disallow: /"
        found.append(OptOut(kind="robots-ai-agent", scopes=list(info.scopes),  # type: ignore[arg-type]
                            value=f"User-agent: {agent} / {rule_text}", where=robots_url,
                            line=verdict.rule.line if verdict.rule is not None else None, agents=[info.token]))
        for scope in info.scopes:
            blocked[scope].append(info.token)
    own_named = lookup(own_token) is not None or policy.names_agent(own_token)
    if not own_named:
        labels = {"ai-training": "AI-training crawlers blocked: ",
                  "ai-inference": "AI answer/search crawlers blocked: "}
        for scope, tokens in blocked.items():
            if tokens:
                names = sorted(set(tokens), key=str.lower)
                found.append(OptOut(kind="robots-ai-intent", scopes=[scope],  # type: ignore[list-item]
                                    value=labels[scope] + ", ".join(names), where=robots_url, agents=names))
    return found


def _extension_opt_outs(policy: "RobotsPolicy", own_token: str, robots_url: str) -> list[OptOut]:
    found: list[OptOut] = []
    extensions = policy.extensions
    # Which lines apply needs every group built: only worth it when the file has a preference line at all.
    if any(key in _PREFERENCE_KEYS for _, key, _ in extensions):
        applicable, grouped = _applicable_extension_lines(policy, own_token)
    else:
        applicable, grouped = set(), {}
    for line, key, value in extensions:
        if key in _PREFERENCE_KEYS:
            if line not in applicable:
                continue
            kind, name = _PREFERENCE_KEYS[key]
            opt_out = preference_opt_out(kind, f"{name}: {value}", value, robots_url, line=line,
                                         agents=grouped.get(line, ()))
            if opt_out is not None:
                found.append(opt_out)
        elif key in _LICENSE_KEYS and value.strip():
            found.append(OptOut(kind="rsl-license", scopes=["ai-training", "ai-inference"],
                                value=f"License: {value.strip()}", where=robots_url, line=line))
    return found


def _continues(previous: str, text: str) -> bool:
    """Does comment ``text`` carry on the sentence of the comment line just before it (a wrapped line)?

    Yes when the previous line does not end a sentence and this one starts in lower case, or both are written
    in capitals (a shouted notice). A capitalised new sentence, a list item or an empty ``#`` starts anew.
    """
    if not previous or not text or previous[-1] in ".!?;:":
        return False
    return text[0].islower() or (previous.isupper() and text.isupper())


def notices(policy: "RobotsPolicy") -> list[tuple[int, str]]:
    """The comments as notices, ``(first line, text)``: wrapped whole-line comments joined with spaces.

    A comment after a rule on the same line stands alone.
    """
    units: list[tuple[int, str]] = []
    previous_line, previous_text = -1, ""
    for line, text in policy.comments:
        whole = (policy.line(line) or "").lstrip(" \t").startswith("#")
        if whole and units and line == previous_line + 1 and _continues(previous_text, text):
            first, joined = units[-1]
            units[-1] = (first, f"{joined} {text}")
        else:
            units.append((line, text))
        previous_line, previous_text = line, (text if whole else "")
    return [(line, text) for line, text in units if text]


def _quote(text: str) -> str:
    return "# " + (text if len(text) <= _QUOTE_LIMIT else text[:_QUOTE_LIMIT - 1].rstrip() + "…")


def _notice_opt_outs(policy: "RobotsPolicy", robots_url: str) -> list[OptOut]:
    found: list[OptOut] = []
    for line, text in notices(policy):
        scopes = legal_notice_scopes(text)
        if scopes:
            found.append(OptOut(kind="legal-notice", scopes=scopes, value=_quote(text),  # type: ignore[arg-type]
                                where=robots_url, line=line, confidence="low"))
    return found


def from_robots(policy: "RobotsPolicy", own_token: str, robots_url: str) -> list[OptOut]:
    """Every opt-out this robots.txt expresses towards a crawler whose product token is ``own_token``."""
    return (_agent_opt_outs(policy, own_token, robots_url)
            + _extension_opt_outs(policy, own_token, robots_url)
            + _notice_opt_outs(policy, robots_url))

