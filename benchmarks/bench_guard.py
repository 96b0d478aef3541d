"""Benchmark the runtime Guard against protego's parse-once path, measured in the same run (not a test).

    python benchmarks/bench_guard.py [--urls 1000000] [--origins 1000] [--cold-origins 10000] [--rounds 3]
                                     [--profile]

* warm: ``Guard.check(url)`` over URLS spread across ORIGINS cached origins, against a loop that routes each URL
  to a pre-parsed ``Protego`` by the same scheme-and-authority slice and calls ``can_fetch``. Both sides are
  warmed with one full pass first. Neither side memoises per URL.
* cold: a fresh recorded-mode Guard (``Guard(signals=Signals)``, no network) over COLD_ORIGINS origins, 10 URLs
  each, so each origin is built from its recorded robots.txt on first use; against ``Protego.parse`` plus 10
  ``can_fetch`` per origin. Loading the signals file itself is timed apart.
* split: the warm loop doing only the routing (slice, dict lookup, path slice), and routing plus
  ``RobotsPolicy.matcher(ua).check_path`` (the robots matcher alone, called as the Guard calls it), so the Guard's
  own share shows without a profiler's distortion; then the same calls on the Guard's own matchers
  (``split_on_guard_matchers``: the Guard builds each site's matcher lazily, interleaved with the others, and those
  sit less densely in memory than matchers built one after the other, which the first split counts as the Guard's);
  cold, the robots parse, the matcher build and the checks timed alone against the Guard's whole cold start.
* memory per cached origin (tracemalloc): after 20 URLs a site, and after one pass of the warm workload (the table and
  the matchers' indexes full, as in a long crawl); a cProfile of the warm and cold loops (--profile).

robots.txt bodies are the real files in benchmarks/robots/corpus, spread round-robin over the origins; URLs are
made from each file's own patterns (so decisions mix allowed and refused). Rounds alternate the contenders and
report medians of CPU time (``time.process_time``), so a shared, noisy machine hurts both sides alike (warm: also
the ratio of each side's best round; the state both keep is frozen out of the garbage collector's passes while
timed). Figures: checks (or URLs) per CPU second, ratio.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import io
import json
import pstats
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "robots"))

from _workload import WORDS, corpus, corpus_urls  # noqa: E402

from protego import Protego  # noqa: E402
from scrapecheck import Guard  # noqa: E402
from scrapecheck.robots import RobotsPolicy  # noqa: E402

UA = "AcmeBot/1.0 (+https://acme.example/bot)"
TOKEN = "AcmeBot"


def bodies_for(origins: int) -> tuple[dict[str, str], dict[str, list[str]]]:
    """{origin: robots.txt} and {origin: paths made from that file's own patterns}.

    Each origin gets a corpus file plus a comment naming the origin, so no two bodies are equal (no side can
    reuse a parse).
    """
    files = list(corpus().values())
    bodies: dict[str, str] = {}
    paths: dict[str, list[str]] = {}
    for n in range(origins):
        body = files[n % len(files)]
        origin = f"https://site{n}.example"
        bodies[origin] = body.decode("utf-8", "replace") + f"\n# {origin}\n"
        paths[origin] = [u[len("https://example.com"):] for u in corpus_urls(body, seed=n)]
    return bodies, paths


_serial = iter(range(1 << 62))


def url_on(origin: str, paths: list[str], rng: random.Random) -> str:
    """A URL never generated before (no side can memoise per URL): half the time a path made from the file's
    patterns (mostly refused; made unique by a fragment, which both matchers ignore), else an ordinary path
    ending in a serial number (mostly allowed)."""
    n = next(_serial)
    if rng.random() < 0.5:
        return f"{origin}{rng.choice(paths)}#{n}"
    words = "/".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
    return f"{origin}/{words}/{n}{rng.choice(('', '.html', '?page=' + str(rng.randint(1, 99))))}"


def workload(origins: int, count: int, seed: int = 5) -> tuple[dict[str, str], list[str]]:
    """({origin: robots.txt}, ``count`` URLs over those origins, origins drawn at random)."""
    bodies, paths = bodies_for(origins)
    rng = random.Random(seed)
    keys = list(bodies)
    urls = []
    for _ in range(count):
        origin = keys[rng.randrange(origins)]
        urls.append(url_on(origin, paths[origin], rng))
    return bodies, urls


def signals_for(bodies: dict[str, str]):  # type: ignore[no-untyped-def]
    from scrapecheck.signals.model import RobotsSignal, Signals, TargetSignals

    return Signals(targets={
        origin: TargetSignals(origin=origin, robots=RobotsSignal(url=f"{origin}/robots.txt", origin="fetched",
                                                                 outcome="ok", status=200, body=body), opt_outs=[])
        for origin, body in bodies.items()})


def timed(fn: Callable[[], object]) -> float:
    """CPU seconds of this process (the work is single-threaded: one core). On a machine shared with other
    jobs, wall time mostly measures the neighbours; CPU time does not."""
    gc.collect()
    start = time.process_time()
    fn()
    return time.process_time() - start


def warm(args: argparse.Namespace) -> dict[str, object]:
    bodies, urls = workload(args.origins, args.urls)
    guard = Guard.from_robots(UA, args.purpose, bodies, max_origins=args.origins)
    parsed = {origin: Protego.parse(body) for origin, body in bodies.items()}
    check = guard.check

    def run_guard() -> int:
        refused = 0
        for url in urls:
            if not check(url).allowed:
                refused += 1
        return refused

    def run_protego() -> int:
        refused = 0
        get = parsed.__getitem__
        for url in urls:
            cut = url.find("/", 8)
            if not get(url[:cut] if cut >= 0 else url).can_fetch(url, TOKEN):
                refused += 1
        return refused

    # Where the Guard's time goes, without a profiler's distortion: the same loop doing only the routing (slice
    # and dict lookup), then routing plus the robots matcher's own check of the path after the authority
    # (RobotsPolicy.matcher(ua).check_path, as the Guard calls it; separate policies so tiers are not shared),
    # against the whole Guard. (Every URL here has a '/' after a plain authority.)
    matchers = {origin: RobotsPolicy.parse(body).matcher(UA) for origin, body in bodies.items()}

    def run_route() -> int:
        get = matchers.__getitem__
        for url in urls:
            cut = url.find("/", 8)
            get(url[:cut])
            url[cut:]
        return 0

    def run_match() -> int:
        refused = 0
        get = matchers.__getitem__
        for url in urls:
            cut = url.find("/", 8)
            if not get(url[:cut]).check_path(url[cut:]):
                refused += 1
        return refused

    refused_guard, refused_protego = run_guard(), run_protego()  # warm-up pass (and the refusal counts)
    run_match()
    # The same check_path calls on the Guard's own matchers: the Guard builds each site's matcher on its first URL,
    # interleaved with the other sites' (a cache cannot do otherwise), and its matchers sit less densely in memory
    # than the ones above, built one after the other; guard minus this is the Guard's own share proper.
    own = {prefix: entry.check_path for prefix, entry in guard._aliases.items()}

    def run_own() -> int:
        refused = 0
        get = own.__getitem__
        for url in urls:
            cut = url.find("/", 8)
            if not get(url[:cut])(url[cut:]):
                refused += 1
        return refused

    # Everything both sides keep is built by now: frozen, the collector's full passes (set off by the refusals the
    # Guard hands out and protego's temporaries alike) no longer walk it, which made rounds vary by half.
    gc.collect()
    if not args.no_freeze:
        gc.freeze()
    guard_times, protego_times, match_times, route_times, own_times = [], [], [], [], []
    for _ in range(args.rounds):
        guard_times.append(timed(run_guard))
        protego_times.append(timed(run_protego))
        match_times.append(timed(run_match))
        route_times.append(timed(run_route))
        own_times.append(timed(run_own))
    gc.unfreeze()
    g, p = statistics.median(guard_times), statistics.median(protego_times)
    m, r, o = statistics.median(match_times), statistics.median(route_times), statistics.median(own_times)
    result = {"urls": len(urls), "origins": args.origins, "purpose": args.purpose, "gc_frozen": not args.no_freeze,
              "guard_checks_per_s": round(len(urls) / g), "protego_checks_per_s": round(len(urls) / p),
              "ratio": round(p / g, 1), "ratio_of_best_rounds": round(min(protego_times) / min(guard_times), 1),
              "guard_s": [round(t, 3) for t in guard_times],
              "protego_s": [round(t, 3) for t in protego_times],
              "matcher_only_checks_per_s": round(len(urls) / m), "matcher_only_ratio": round(p / m, 1),
              "split": {"routing": round(r / g, 2), "robots_matcher": round((m - r) / g, 2),
                        "guard_own": round((g - m) / g, 2)},
              "guard_matchers_only_checks_per_s": round(len(urls) / o),
              "split_on_guard_matchers": {"routing_and_matcher": round(o / g, 2), "guard_own": round((g - o) / g, 2)},
              "refused_share_guard": round(refused_guard / len(urls), 3),
              "refused_share_protego": round(refused_protego / len(urls), 3)}
    if args.profile:
        result["profile_warm"] = profile(run_guard)
    return result


def cold(args: argparse.Namespace) -> dict[str, object]:
    bodies, paths = bodies_for(args.cold_origins)
    rng = random.Random(9)
    per_origin = {origin: [url_on(origin, paths[origin], rng) for _ in range(10)] for origin in bodies}
    urls = [u for batch in per_origin.values() for u in batch]
    signals = signals_for(bodies)

    def run_guard() -> None:
        guard = Guard(UA, args.purpose, signals=signals, max_origins=args.cold_origins)
        check = guard.check
        for url in urls:
            check(url)

    def run_protego() -> None:
        for origin, batch in per_origin.items():
            parser = Protego.parse(bodies[origin])
            for url in batch:
                parser.can_fetch(url, TOKEN)

    # The robots package's share, measured alone: parsing every body, then building the agent's matcher,
    # then the 10 checks per origin.
    parse_times, build_times, check_times = [], [], []

    def run_parts() -> None:
        """Per origin, as the Guard does it (so memory behaves alike): parse, build the matcher, check."""
        clock = time.process_time
        parse_s = build_s = check_s = 0.0
        gc.collect()
        for origin, batch in per_origin.items():
            t0 = clock()
            policy = RobotsPolicy.parse(bodies[origin])
            t1 = clock()
            matcher = policy.matcher(UA)
            t2 = clock()
            for url in batch:
                matcher.check(url)
            t3 = clock()
            parse_s, build_s, check_s = parse_s + t1 - t0, build_s + t2 - t1, check_s + t3 - t2
        parse_times.append(parse_s)
        build_times.append(build_s)
        check_times.append(check_s)

    guard_times, protego_times = [], []
    for _ in range(args.rounds):
        guard_times.append(timed(run_guard))
        protego_times.append(timed(run_protego))
        run_parts()
    g, p = statistics.median(guard_times), statistics.median(protego_times)
    parse_s, build_s, check_s = (statistics.median(t) for t in (parse_times, build_times, check_times))
    # The Guard keeps every origin's state (it is a cache), and the cyclic garbage collector traverses all of
    # it on its full passes; protego's loop drops each parser. One round each with the collector paused shows
    # how much of the cold time that costs (informative: a library does not pause the collector).
    gc.collect()
    gc.disable()
    try:
        start = time.process_time()
        run_guard()
        g_nogc = time.process_time() - start
        start = time.process_time()
        run_protego()
        p_nogc = time.process_time() - start
    finally:
        gc.enable()
    result = {"origins": args.cold_origins, "urls": len(urls), "purpose": args.purpose,
              "split": {"robots_parse": round(parse_s / g, 2), "robots_matcher_build": round(build_s / g, 2),
                        "robots_checks": round(check_s / g, 2),
                        "guard_own": round((g - parse_s - build_s - check_s) / g, 2)},
              "guard_urls_per_s": round(len(urls) / g), "protego_urls_per_s": round(len(urls) / p),
              "ratio": round(p / g, 2), "guard_s": [round(t, 3) for t in guard_times],
              "protego_s": [round(t, 3) for t in protego_times],
              "gc_paused": {"guard_urls_per_s": round(len(urls) / g_nogc),
                            "protego_urls_per_s": round(len(urls) / p_nogc), "ratio": round(p_nogc / g_nogc, 2)},
              "signals": "built in memory (Guard(signals=Signals)); the file route is timed apart below"}
    with tempfile.TemporaryDirectory() as tmp:
        from scrapecheck.errors import ScrapecheckError
        from scrapecheck.signals.snapshot import save_signals

        path = save_signals(signals, Path(tmp) / "signals.json")
        result["signals_file_mb"] = round(path.stat().st_size / 1e6, 1)
        try:
            load = statistics.median(timed(lambda: Guard(UA, args.purpose, signals=path)) for _ in range(args.rounds))
            result["signals_file_load_s"] = round(load, 3)
        except ScrapecheckError as exc:  # e.g. the signals loader's size cap: say so, the in-memory figures stand
            result["signals_file_refused"] = str(exc)
    if args.profile:
        result["profile_cold"] = profile(run_guard)
    return result


def guard_bytes(args: argparse.Namespace, bodies: dict[str, str], urls: list[str]) -> tuple[int, int, int]:
    """(bytes of the Guard's table of bodies, bytes it keeps after checking ``urls``, its cached origins), traced."""
    gc.collect()
    tracemalloc.start()
    base = tracemalloc.get_traced_memory()[0]
    guard = Guard.from_robots(UA, args.purpose, bodies, max_origins=args.origins)
    table = tracemalloc.get_traced_memory()[0]
    for url in urls:
        guard.check(url)
    gc.collect()
    used = tracemalloc.get_traced_memory()[0] - table
    tracemalloc.stop()
    return table - base, used, len(guard)


def memory(args: argparse.Namespace) -> dict[str, object]:
    bodies, urls = workload(args.origins, 20 * args.origins)
    table, used, sites = guard_bytes(args, bodies, urls)
    gc.collect()
    tracemalloc.start()
    matchers = {origin: RobotsPolicy.parse(body).matcher(UA) for origin, body in bodies.items()}
    for url in urls:
        cut = url.find("/", 8)
        matchers[url[:cut]].check(url)
    gc.collect()
    robots_used = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del matchers
    gc.collect()
    tracemalloc.start()
    parsed = {origin: Protego.parse(body) for origin, body in bodies.items()}
    for url in urls:
        cut = url.find("/", 8)
        parsed[url[:cut]].can_fetch(url, TOKEN)
    protego_used = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del parsed
    # The same after the warm stage's whole workload (URLS over ORIGINS, one pass): what a long crawl keeps per site,
    # the segment table and the matchers' indexes full (protego keeps nothing per URL: its figure above stands).
    _, used_warm, warm_sites = guard_bytes(args, *workload(args.origins, args.urls))
    return {"origins": sites, "guard_bytes_per_origin": round(used / sites),
            "guard_bytes_per_origin_after_warm_workload": round(used_warm / warm_sites),
            "bodies_table_bytes_per_origin": round(table / sites),
            "robots_matcher_only_bytes_per_origin": round(robots_used / sites),
            "protego_bytes_per_origin": round(protego_used / sites),
            "mean_robots_txt_bytes": round(statistics.mean(len(b.encode()) for b in bodies.values()))}


def profile(fn: Callable[[], object], top: int = 12) -> list[str]:
    profiler = cProfile.Profile()
    profiler.runcall(fn)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    lines = [line.rstrip() for line in out.getvalue().splitlines()]
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    return [line for line in lines[start:] if line.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=1_000_000)
    parser.add_argument("--origins", type=int, default=1000)
    parser.add_argument("--cold-origins", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--purpose", default="search-indexing")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--no-freeze", action="store_true",
                        help="warm: leave the kept state in the garbage collector's passes (as before 2026-12-01 13:00)")
    parser.add_argument("--only", choices=["warm", "cold", "memory"])
    args = parser.parse_args()
    report: dict[str, object] = {"python": sys.version.split()[0]}
    for name, fn in (("warm", warm), ("cold", cold), ("memory", memory)):
        if args.only in (None, name):
            report[name] = fn(args)
            print(json.dumps({name: report[name]}, indent=2), flush=True)


if __name__ == "__main__":
    main()
