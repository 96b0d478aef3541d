"""``fetch_origin``: the one-origin entry point a Guard uses, with a caller-owned cache; and IDNA on the wire."""

from __future__ import annotations

import dataclasses

from scrapecheck.signals.cache import SignalsCache
from scrapecheck.signals.fetch import collect, fetch_origin

from .conftest import FAST, Site, make_plan

ALLOW_ALL = "User-agent: *\nAllow: /\n"


def test_an_international_domain_is_fetched_not_unreachable(site: Site) -> None:
    """https://bücher.de/ used to read as unreachable: the name is now sent as its A-label (IDNA)."""
    site.robots("User-agent: *\nDisallow: /geheim/\n")
    config = dataclasses.replace(FAST, pinned_hosts=(("xn--bcher-kva.test", "127.0.0.1"),), fetch_pages=False)
    url = f"http://bücher.test:{site.port}/"
    target = collect(make_plan(url), config=config).targets[f"http://bücher.test:{site.port}"]
    assert target.robots is not None and target.robots.outcome == "ok", target.problems
    assert "Disallow: /geheim/" in (target.robots.body or "")
    assert site.hosts == [f"xn--bcher-kva.test:{site.port}"]


def test_one_origin_robots_and_site_level_signals(site: Site) -> None:
    site.robots(ALLOW_ALL)
    site.route("/.well-known/tdmrep.json", body='[{"location": "/*", "tdm-reservation": 1}]',
               content_type="application/json")
    target = fetch_origin(f"{site.origin}/some/page?q=1", user_agent="AcmeBot/1.0", config=FAST)
    assert target.origin == site.origin
    assert target.robots is not None and target.robots.rfc9309 == "success"
    assert [o.kind for o in target.opt_outs or []] == ["tdmrep"]
    assert site.paths_hit() == ["/robots.txt", "/.well-known/tdmrep.json"]  # no page was asked for


def test_the_callers_cache_is_used_and_nothing_is_global(site: Site) -> None:
    site.robots(ALLOW_ALL)
    config = dataclasses.replace(FAST, cache_ttl=60, fetch_pages=False)
    cache: SignalsCache = SignalsCache(max_entries=4)
    first = fetch_origin(site.origin, user_agent="A", config=config, cache=cache)
    second = fetch_origin(f"{site.origin}/other", user_agent="A", config=config, cache=cache)
    assert first == second and site.paths_hit() == ["/robots.txt"]
    fetch_origin(site.origin, user_agent="A", config=config)  # no cache given: fetched again
    fetch_origin(site.origin, user_agent="A", config=config, cache=SignalsCache())  # another owner's cache
    assert site.paths_hit() == ["/robots.txt"] * 3


def test_start_page_is_fetched_without_its_query(site: Site) -> None:
    """The plan's start URL is never requested with its query (it could be an action)."""
    site.robots(ALLOW_ALL)
    plan = make_plan(f"{site.origin}/admin/delete-user?id=42&confirm=yes")
    collect(plan, config=FAST)
    assert not any("?" in path for path in site.paths_hit())
    assert "/admin/delete-user" in site.paths_hit()
