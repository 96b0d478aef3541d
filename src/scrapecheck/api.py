"""``evaluate``: the one call crawler code makes before a crawl. Gathers inputs, then runs the pure engine."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Sequence, Union

from pydantic import ValidationError

from ._files import first_problem
from .engine import evaluate_plan
from .errors import ScrapecheckError, SignalsError, WaiverError
from .plan import CrawlPlan
from .policy.load import Policy, load_policy
from .report import Report
from .signals.model import Signals
from .signals.snapshot import load_signals
from .waivers import Waiver, load_waivers

if TYPE_CHECKING:
    from .signals.config import FetchConfig

PolicyInput = Union[Policy, str, Path, None]
SignalsInput = Union[Signals, dict, str, Path, None]
WaiversInput = Union[Sequence[Union[Waiver, dict]], str, Path, None]


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    """The packs shipped with scrapecheck, loaded once per process: their pre-validated form when it is current
    (``policy/bundled.py``), else validated from the TOML."""
    from .policy.bundled import load_bundled

    return load_bundled() or load_policy()


def _policy(policies: PolicyInput) -> Policy:
    if policies is None:
        return default_policy()
    if isinstance(policies, Policy):
        return policies
    return load_policy(policies)


def _signals(signals: SignalsInput) -> Optional[Signals]:
    if signals is None or isinstance(signals, Signals):
        return signals
    if isinstance(signals, dict):
        try:
            return Signals.model_validate(signals)
        except ValidationError as exc:
            raise SignalsError("<signals>", *first_problem(exc)) from None
    if isinstance(signals, (str, Path)):
        return load_signals(signals)
    raise TypeError(f"signals must be Signals, a dict or a path, not {type(signals).__name__}")


def _waivers(waivers: WaiversInput) -> list[Waiver]:
    if waivers is None:
        return []
    if isinstance(waivers, (str, Path)):
        return load_waivers(waivers)
    if not isinstance(waivers, (list, tuple)):  # one dict would be read as its keys, bytes as numbers
        raise TypeError(f"waivers must be a path, or a list of Waiver objects or dicts, not {type(waivers).__name__}")
    result = []
    for index, item in enumerate(waivers):
        if isinstance(item, Waiver):
            result.append(item)
        elif isinstance(item, dict):
            try:
                result.append(Waiver.model_validate(item))
            except ValidationError as exc:
                where, message = first_problem(exc)
                raise WaiverError("<waivers>", f"[{index}].{where}", message) from None
        else:
            raise TypeError(f"waivers[{index}] must be a Waiver or a dict, not {type(item).__name__}")
    return result


def _missing_origins(plan: CrawlPlan, signals: Optional[Signals]) -> list[str]:
    """Origins to fetch: asked of the signals registry, the one place that knows what a target lacks."""
    from .signals.registry import missing_origins

    return missing_origins(plan, signals)


def evaluate(
    plan: CrawlPlan,
    *,
    signals: SignalsInput = None,
    offline: bool = False,
    policies: PolicyInput = None,
    waivers: WaiversInput = None,
    today: Optional[date] = None,
    allow_private_networks: bool = False,
    fetch_config: Optional["FetchConfig"] = None,
) -> Report:
    """Check a plan against the rule packs and return a Report, most severe findings first.

    Online (the default), signals the plan and ``signals`` lack are fetched from the targets first. Offline,
    only what is given is used, and a rule that needs a missing signal is reported as not checked.
    Fetching refuses loopback, private, link-local and metadata addresses unless ``allow_private_networks``
    (or ``fetch_config.allow_private_networks``) is True; ``fetch_config`` sets deadlines, retries and caps.
    """
    if not isinstance(plan, CrawlPlan):
        raise TypeError(f"evaluate() takes a CrawlPlan (see load_plan), not {type(plan).__name__}")
    for name, flag in (("offline", offline), ("allow_private_networks", allow_private_networks)):
        if not isinstance(flag, bool):  # "no" would be true, and allow_private_networks turns on the unsafe side
            raise TypeError(f"{name} must be a bool, not {type(flag).__name__}")
    if today is not None and (not isinstance(today, date) or isinstance(today, datetime)):
        raise TypeError(f"today must be a datetime.date, not {type(today).__name__}")
    if fetch_config is not None:
        from .signals.config import FetchConfig

        if not isinstance(fetch_config, FetchConfig):
            raise TypeError(f"fetch_config must be a FetchConfig, not {type(fetch_config).__name__}")
    policy = _policy(policies)
    given = _signals(signals)
    if not offline:
        missing = _missing_origins(plan, given)
        if missing:
            from .signals.fetch import FetchConfig, collect  # the network; imported only when needed

            config = fetch_config or FetchConfig()
            if allow_private_networks and not config.allow_private_networks:
                config = dataclasses.replace(config, allow_private_networks=True)
            fetched = collect(plan, origins=missing, config=config)
            given = given.merged_over(fetched) if given is not None else fetched
    from .waivers import check_waivers  # unknown rule ids are refused here exactly as the CLI refuses them

    source = str(waivers) if isinstance(waivers, (str, Path)) else "<waivers>"
    checked = check_waivers(_waivers(waivers), policy, source)
    return evaluate_plan(plan, policy, signals=given, waivers=checked,
                         today=today or datetime.now(timezone.utc).date())


__all__ = ["default_policy", "evaluate", "ScrapecheckError"]
