"""The runtime Guard: per-URL decisions inside the crawl loop (robots.txt, pacing, AI opt-outs), cached per origin.

Public names: :class:`Guard`, :class:`Decision`, :class:`Reason`, :class:`RobotsFetch`, and the per-origin
decision core :class:`OriginRules` (with :class:`OptOutSignal`) that the dataset audit shares.
Importing this package loads neither pydantic nor the engine; recorded signals and fetching load what they
need on first use.
"""

from ._decision import Decision, Reason, RobotsFetch
from ._guard import Guard
from ._origin import PURPOSES, OptOutSignal, OriginRules

__all__ = ["PURPOSES", "Decision", "Guard", "OptOutSignal", "OriginRules", "Reason", "RobotsFetch"]
