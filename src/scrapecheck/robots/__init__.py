"""robots.txt matching exactly as Google's open-source parser does it (RFC 9309).

Public names: :func:`is_allowed`, :class:`RobotsPolicy` (parse once, match many), :class:`Rule`,
:class:`Group`, :class:`Verdict`, :class:`RuleSet` (``RobotsPolicy.matcher(ua)``: one agent's hot path),
:func:`product_token` (how a User-Agent header picks a group) and :func:`path_matches` (one pattern, one
path: for path scopes other than robots.txt's, such as TDMRep locations).

This package imports nothing else from scrapecheck, nor pydantic, ``re`` or ``typing``: a crawler that
wants only the matcher pays about 10 ms to import it.
"""

from ._match import Rule, RuleSet, path_matches
from ._policy import Group, RobotsPolicy, Verdict, is_allowed
from ._syntax import MAX_BYTES, product_token

__all__ = ["MAX_BYTES", "Group", "RobotsPolicy", "Rule", "RuleSet", "Verdict", "is_allowed", "path_matches", "product_token"]
