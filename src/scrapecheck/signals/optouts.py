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

_AI_NOTICE = re.compile(rf"\b{_NEG}\b.{{0,60}}\b{_AI}\b|\b{_AI}\b.{{0,40}}\b{_BAD}\b", re.I)
_TDM_NOTICE = re.compile(rf"\b{_TDM}|reserv\w*.{{0,60}}\b(?:{_AI}|mining)\b", re.I)
# Spelled out: NEG .{0,40} SCRAPE | SCRAPE .{0,40} BAD | SCRAPE [^.!?]{0,100} LEGAL | CRAWL [^.!?]{0,100} LEGAL
# | unauthorized CRAWL. Only whether it matches is used, so shared heads and tails are factored out: the same
# answers from a pattern a third shorter, whose compile (in pure Python, case-insensitive) is a few
# milliseconds of every run over a robots.txt with comments (issue 10).
_SCRAPE_NOTICE = re.compile(
    rf"\b{_NEG}\b.{{0,40}}\b{_SCRAPE}\b"
    rf"|\b(?:{_SCRAPE}\b.{{0,40}}\b{_BAD}\b|(?:{_SCRAPE}|{_CRAWL})\b[^.!?]{{0,100}}\b(?:{_LEGAL}))"
    rf"|\bunauthori[sz]ed (?:\w+ )?{_CRAWL}\b",
    re.I)
# Comments explaining a machine-readable preference line (Cloudflare's managed robots.txt preamble) are not
# notices of their own: the Content-Signal line says what is reserved.
_EXPLAINS_SIGNAL = re.compile(r"content[- ]signal|content[- ]usage", re.I)
_QUOTE_LIMIT = 300


def legal_notice_scopes(comment: str) -> list[str]:
    """Scopes a robots.txt comment appears to reserve ("no AI training", "scraping prohibited"), or []."""
    if _EXPLAINS_SIGNAL.search(comment):
        return []
    scopes: list[str] = []
    if _TDM_NOTICE.search(comment):
        scopes += ["tdm", "ai-training"]
    if _AI_NOTICE.search(comment) and "ai-training" not in scopes:
        scopes.append("ai-training")
    if _SCRAPE_NOTICE.search(comment):
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

