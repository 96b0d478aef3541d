"""The signals registry is the one place that knows the signals: adding one is a SignalSpec and a collector.

The test below adds a made-up ``ai-txt`` signal to the registry only (monkeypatched for the test) and shows
that the fetcher collects it, ``evaluate`` sees it as missing, rules can name it and the engine reads it.
"""

from __future__ import annotations

import dataclasses

import pytest
from pydantic import TypeAdapter, ValidationError

from scrapecheck.plan import parse_plan
from scrapecheck.policy.kinds import Check, Context
from scrapecheck.signals import registry
from scrapecheck.signals.fetch import collect
from scrapecheck.signals.model import OptOut, RobotsSignal, Signals, TargetSignals

from .conftest import FAST, Site, make_plan


def collect_ai_txt(ctx: registry.CollectContext):  # type: ignore[no-untyped-def]
    url = ctx.base_url + "/ai.txt"
    response = ctx.get(url, 4096, "text/plain")
    if response.error is not None or response.status is None or response.status >= 500:
        ctx.problems.append(f"{url} not read: {response.error or response.status}")
        return None
    if response.status != 200:
        return []
    return [OptOut(kind="content-usage", scopes=["ai-training"], value=line, where=url)
            for line in response.body.decode("utf-8", "replace").splitlines() if line.startswith("Disallow-Training")]


AI_TXT = registry.SignalSpec(name="ai-txt", description="a site-wide /ai.txt", collect=collect_ai_txt,
                             opt_out_kinds=frozenset({"content-usage"}), **registry.stored_in_extra("ai-txt"))


@pytest.fixture
def with_ai_txt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "SIGNALS", (*registry.SIGNALS, AI_TXT))


def test_the_built_in_signals() -> None:
    assert registry.names() == ("robots", "pages")
    assert registry.missing(None) == ("robots", "pages")
    robots_only = TargetSignals(origin="https://a.example", robots=RobotsSignal(url="https://a.example/robots.txt"))
    assert registry.missing(robots_only) == ("pages",)
    assert [s.name for s in registry.signals_carrying(["tdmrep"])] == ["pages"]
    assert [s.name for s in registry.signals_carrying(["content-signal"])] == ["robots", "pages"]


def test_evaluate_fetches_only_origins_that_lack_a_signal() -> None:
    plan = parse_plan({"version": 1, "crawler": {"name": "n", "user_agent": "A"},
                       "targets": [{"url": "https://a.example/", "robots_txt": "User-agent: *\nAllow: /\n"},
                                   {"url": "https://b.example/"}]})
    assert registry.missing_origins(plan, None) == ["https://a.example", "https://b.example"]
    complete = Signals(targets={"https://a.example": TargetSignals(origin="https://a.example", opt_outs=[])})
    assert registry.missing_origins(plan, complete) == ["https://b.example"]


@pytest.mark.usefixtures("with_ai_txt")
def test_a_new_signal_is_collected_missed_named_and_read(site: Site) -> None:
    site.robots("User-agent: *\nAllow: /\n")
    site.route("/ai.txt", body="Disallow-Training: *\n")
    target = collect(make_plan(f"{site.origin}/"), config=FAST).targets[site.origin]
    assert [o.value for o in target.extra["ai-txt"]] == ["Disallow-Training: *"]
    assert registry.missing(target) == ()
    assert registry.missing(target.model_copy(update={"extra": {}})) == ("ai-txt",)

    TypeAdapter(Check).validate_python({"kind": "undecided", "signal": "ai-txt"})
    check = TypeAdapter(Check).validate_python({"kind": "opt-out", "kinds": ["content-usage"]})
    from scrapecheck.engine import _views
    from scrapecheck.policy.load import load_policy

    plan = make_plan(f"{site.origin}/")
    signals = Signals(targets={site.origin: target.model_copy(update={"opt_outs": []})})
    view = _views(plan, signals, load_policy())[0]
    outcome = check.evaluate(Context(plan=plan, thresholds={}, target=view))
    assert outcome.state is True and outcome.evidence["where"] == f"{site.origin}/ai.txt"
    without = Signals(targets={site.origin: target.model_copy(update={"opt_outs": [], "extra": {}})})
    undecided = check.evaluate(Context(plan=plan, thresholds={}, target=_views(plan, without, load_policy())[0]))
    assert undecided.state is None and undecided.missing == frozenset({"ai-txt"})


def test_unknown_signal_names_are_refused_in_rules() -> None:
    with pytest.raises(ValidationError, match="unknown signal 'ai-txt'"):
        TypeAdapter(Check).validate_python({"kind": "undecided", "signal": "ai-txt"})


def test_extra_is_left_out_of_files_until_used(site: Site) -> None:
    site.robots("User-agent: *\nAllow: /\n")
    target = collect(make_plan(f"{site.origin}/"), config=dataclasses.replace(FAST, fetch_pages=False))
    assert "extra" not in target.targets[site.origin].model_dump()
