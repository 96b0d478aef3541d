"""Benchmark: what one origin costs, cold, as a broad crawl or a URL-list audit meets it (issue 10).

Run on demand (never a test):  python benchmarks/robots/bench_origins.py [--quick] [--repeat 5] [--cpu]

In one run, against protego (pure Python, the usual Scrapy choice) and texting_robots (Rust, the fastest
native peer installable from PyPI; ``pip install -e '.[bench]'``):

(a) cold cost per origin on every corpus file: parse + first check, and parse + first check for 3 agents;
(b) throughput at N = 1, 10, 100, 1,000 and 10,000 URLs per origin, a fresh parse per origin;
(c) the worst cases: adversarial files within 500 KiB and a 64 KB URL;
(d) memory per parsed policy, and what stays in ``re``'s cache once the policy is dropped.

"Fresh" means fresh: before every parse, ``re.purge()`` empties the regex cache (ours and protego's both
go through ``re.compile``), and nothing read from a robots.txt is kept across parses (``RobotsPolicy.parse``
keeps no state; the ``lru_cache`` behind the one-shot ``is_allowed`` function is not used here). The one
memo shared between policies maps a user-agent string to its product token: it holds nothing from any file,
and a crawler sends the same agent to every origin, so it serves a real crawl as it serves this one. Timings on a
shared machine are noisy: compare the ratios of one run, and take medians over ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import re
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _workload import WORDS, corpus, corpus_urls  # noqa: E402

from scrapecheck.robots import RobotsPolicy  # noqa: E402

Parsed = Callable[[str, str], bool]  # (agent, url) -> allowed
Parser = Callable[[bytes], Parsed]

AGENT = "Googlebot"
THREE_AGENTS = ("Googlebot", "GPTBot", "UnknownBot")


def _ours(body: bytes) -> Parsed:
    return RobotsPolicy.parse(body).is_allowed


def _protego(body: bytes) -> Parsed:
    from protego import Protego

    parser = Protego.parse(body.decode("utf-8", "replace"))
    return lambda agent, url: parser.can_fetch(url, agent)


def _texting(body: bytes) -> Parsed:
    from texting_robots import Robot

    robots: dict[str, object] = {}

    def check(agent: str, url: str) -> bool:
        robot = robots.get(agent)
        if robot is None:  # texting_robots parses per agent: its cold cost includes one parse per agent
            robot = robots[agent] = Robot(agent, body)
        return robot.allowed(url)  # type: ignore[attr-defined]

    return check


PEERS: dict[str, Parser] = {"scrapecheck": _ours, "protego": _protego, "texting_robots": _texting}


def available() -> dict[str, Parser]:
    found = {}
    for name, parser in PEERS.items():
        try:
            parser(b"User-agent: *\nDisallow: /x\n")("a", "https://example.com/x")
        except ImportError:
            print(f"  (skipped {name}: not installed; pip install -e '.[bench]')")
            continue
        found[name] = parser
    return found


def urls_for(body: bytes, n: int, seed: int = 1) -> list[str]:
    """``n`` URLs for one origin: the file's own patterns made concrete first, then random site paths."""
    rng = random.Random(seed)
    derived = corpus_urls(body)
    rng.shuffle(derived)
    out = derived[:n]
    words = WORDS + ("x", "y", "index.html", "p", "id")
    while len(out) < n:
        path = "/" + "/".join(rng.choice(words) for _ in range(rng.randint(1, 5)))
        if rng.random() < 0.3:
            path += "?" + rng.choice(words) + "=" + str(rng.randint(0, 999))
        out.append("https://example.com" + path)
    return out


#: Wall clock by default; ``--cpu`` uses this process's CPU time instead, which on a shared, loaded machine
#: leaves out the time other processes took (both peers are single-threaded and CPU-bound here).
_clock = time.perf_counter


def _fresh() -> None:
    re.purge()


def cold(peers: dict[str, Parser], files: dict[str, bytes], repeat: int) -> None:
    """(a) parse + first check (and + 3 agents) per origin, median of ``repeat`` per file."""
    first_url = {name: urls_for(body, 1)[0] for name, body in files.items()}
    one: dict[str, dict[str, float]] = {p: {} for p in peers}
    three: dict[str, dict[str, float]] = {p: {} for p in peers}
    for fname, body in files.items():
        url = first_url[fname]
        for pname, parser in peers.items():
            t1, t3 = [], []
            for _ in range(repeat):
                _fresh()
                start = _clock()
                parser(body)(AGENT, url)
                t1.append(_clock() - start)
                _fresh()
                start = _clock()
                check = parser(body)
                for agent in THREE_AGENTS:
                    check(agent, url)
                t3.append(_clock() - start)
            one[pname][fname] = statistics.median(t1)
            three[pname][fname] = statistics.median(t3)
    for title, table in (("parse + first check (Googlebot)", one), ("parse + first check for 3 agents", three)):
        print(f"\n(a) cold cost per origin, {title}, {len(files)} corpus files, median of {repeat}")
        ours = table["scrapecheck"]
        print(f"  {'parser':16s} {'total ms':>10s} {'median µs':>10s} {'max ms':>8s} {'ours/peer':>10s}"
              f" {'files where ours <= peer':>26s}")
        for pname, times in table.items():
            total = sum(times.values())
            ratio = "" if pname == "scrapecheck" else f"{sum(ours.values()) / total:9.2f}x"
            wins = "" if pname == "scrapecheck" else f"{sum(ours[f] <= times[f] for f in files)}/{len(files)}"
            print(f"  {pname:16s} {total * 1e3:10.1f} {statistics.median(times.values()) * 1e6:10.0f}"
                  f" {max(times.values()) * 1e3:8.2f} {ratio:>10s} {wins:>26s}")
        heavy = sorted(files, key=lambda f: -ours[f])[:5]
        print("  heaviest for us: " + ", ".join(
            f"{f} {ours[f] * 1e3:.2f} ms" + "".join(f" / {p} {table[p][f] * 1e3:.2f}" for p in table if p != "scrapecheck")
            for f in heavy))


def sweep(peers: dict[str, Parser], files: dict[str, bytes], sizes: tuple[int, ...], repeat: int) -> None:
    """(b) URLs per second at N URLs per origin, a fresh parse per origin, over the whole corpus.

    The peers take turns within each round (the order rotating from round to round), and each ratio is
    taken between the passes of one round, then the median over rounds is reported: a machine whose speed
    drifts over the minutes of a run then moves both sides of a ratio alike. Small N take only milliseconds a
    pass, so they run more rounds, until the slowest peer has been timed for about ``_SWEEP_SECONDS``.
    """
    print(f"\n(b) throughput, fresh parse per origin, {len(files)} origins, agent {AGENT}, peers interleaved;"
          f" rates are medians over rounds, ratios medians of each round's ratio")
    names = list(peers)
    header = "".join(f" {p:>16s}" for p in names)
    ratios = "".join(f" {'vs ' + p:>14s}" for p in names if p != "scrapecheck")
    print(f"  {'N':>7s}{header}{ratios} {'rounds':>7s}   (URLs/s; 'vs' = our rate / theirs)")
    for n in sizes:
        work = [(body, urls_for(body, n)) for body in files.values()]

        def one_pass(parser: Parser) -> float:
            elapsed = 0.0
            for body, urls in work:
                _fresh()
                start = _clock()
                check = parser(body)
                for url in urls:
                    check(AGENT, url)
                elapsed += _clock() - start
            return elapsed

        rounds = repeat
        times: dict[str, list[float]] = {p: [] for p in names}
        done = 0
        while done < rounds:
            order = names[done % len(names):] + names[: done % len(names)]
            for pname in order:
                times[pname].append(one_pass(peers[pname]))
            done += 1
            if done == 1 and n < 10_000:
                slowest = max(t[0] for t in times.values())
                rounds = max(rounds, min(_SWEEP_MAX_ROUNDS, math.ceil(_SWEEP_SECONDS / max(slowest, 1e-9))))
        urls = len(work) * n
        cells = "".join(f" {urls / statistics.median(times[p]):16,.0f}" for p in names)
        vs = "".join(
            f" {statistics.median(t / o for t, o in zip(times[p], times['scrapecheck'])):13.2f}x"
            for p in names if p != "scrapecheck")
        print(f"  {n:7,d}{cells}{vs} {done:7d}")


#: How long, at least, the slowest peer is timed at each N below 10,000 (more rounds for the fast points), and
#: the most rounds any point runs.
_SWEEP_SECONDS = 2.0
_SWEEP_MAX_ROUNDS = 40


def _adversarial() -> dict[str, tuple[bytes, list[str]]]:
    rng = random.Random(5)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(4, 9))) for _ in range(20_000)]
    long_path = "/" + "/".join(rng.choice(WORDS) for _ in range(13_000))
    long_url = "https://example.com" + long_path[: 64 * 1024]
    cases: dict[str, tuple[bytes, list[str]]] = {}
    body = "User-agent: *\n" + "".join(f"Disallow: /{w}*{rng.choice(words)}*.{w[:3]}$\n" for w in words[:18_000])
    cases["18,000 wildcard rules"] = (body.encode()[: 500 * 1024], ["https://example.com/" + w + "/x" for w in words[:50]])
    body = "User-agent: *\n" + "".join(f"{'Allow' if i % 2 else 'Disallow'}: /{'a' * i}\n" for i in range(1, 1000))
    cases["999 nested prefixes"] = (body.encode(), ["https://example.com/" + "a" * k + "b" for k in range(0, 1000, 20)])
    body = "User-agent: *\n" + "".join(f"Disallow: /*{w}\n" for w in words[:10_000])
    cases["10,000 /*word rules, 64 KB URL"] = (body.encode()[: 500 * 1024], [long_url, long_url + "x", long_url + "y"])
    for name in ("www.etsy.com.txt", "www.linkedin.com.txt", "www.microsoft.com.txt"):
        path = Path(__file__).resolve().parent / "corpus" / name
        if path.exists():
            cases[f"{name[:-4]}, 64 KB URL"] = (path.read_bytes(), [long_url, long_url + "x", long_url + "y"])
    return cases


def worst(peers: dict[str, Parser], quick: bool) -> None:
    """(c) first check (parse excluded) and the median of later checks on adversarial inputs."""
    print("\n(c) worst cases (500 KiB at most): parse, first check, median later check")
    print(f"  {'case':34s} {'parser':16s} {'parse ms':>9s} {'first ms':>9s} {'later ms':>9s}")
    for case, (body, urls) in _adversarial().items():
        for pname, parser in peers.items():
            if pname == "protego" and quick and "18,000" in case:
                continue
            _fresh()
            start = _clock()
            check = parser(body)
            parsed = _clock() - start
            start = _clock()
            check(AGENT, urls[0])
            first = _clock() - start
            later = []
            deadline = _clock() + 20
            for url in urls[1:]:
                start = _clock()
                check(AGENT, url)
                later.append(_clock() - start)
                if _clock() > deadline:
                    break
            print(f"  {case:34s} {pname:16s} {parsed * 1e3:9.1f} {first * 1e3:9.1f}"
                  f" {statistics.median(later) * 1e3:9.2f}")
            del check  # freed here: the next case's timed parse would otherwise pay for freeing this policy
            gc.collect()


def memory(files: dict[str, bytes]) -> None:
    """(d) traced bytes held by one parsed policy (after 100 checks of 3 agents), and left behind after drop."""
    held, left, warm_held = [], [], []
    for body in files.values():
        urls = urls_for(body, 100)
        _fresh()
        gc.collect()
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
        policy = RobotsPolicy.parse(body)
        for agent in THREE_AGENTS:
            policy.is_allowed(agent, urls[0])
        held.append(tracemalloc.get_traced_memory()[0] - base)
        for agent in THREE_AGENTS:
            for url in urls:
                policy.is_allowed(agent, url)
        warm_held.append(tracemalloc.get_traced_memory()[0] - base)
        del policy
        gc.collect()
        left.append(tracemalloc.get_traced_memory()[0] - base)
        tracemalloc.stop()
    total = sum(len(b) for b in files.values())
    print(f"\n(d) memory per parsed policy over {len(files)} files ({total / 1024:.0f} KiB of robots.txt):")
    for title, values in (("after parse + first check of 3 agents", held), ("after 100 URLs x 3 agents", warm_held),
                          ("left after the policy is dropped (re cache)", left)):
        print(f"  {title:46s} median {statistics.median(values) / 1024:8.1f} KiB, max {max(values) / 1024:8.1f} KiB,"
              f" total {sum(values) / 1024:9.1f} KiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="N up to 1,000 and fewer repeats")
    parser.add_argument("--repeat", type=int, default=5, help="runs per measurement; medians are reported")
    parser.add_argument("--only", choices=("cold", "sweep", "worst", "memory"), action="append")
    parser.add_argument("--cpu", action="store_true", help="time with process CPU time (shared, loaded machines)")
    args = parser.parse_args()
    if args.cpu:
        global _clock
        _clock = time.process_time
    print(f"Python {sys.version.split()[0]}, {'CPU time' if args.cpu else 'wall clock'}")
    peers = available()
    files = corpus()
    only = set(args.only or ("cold", "sweep", "worst", "memory"))
    repeat = 3 if args.quick else args.repeat
    if "cold" in only:
        cold(peers, files, repeat)
    if "sweep" in only:
        sweep(peers, files, (1, 10, 100, 1_000) if args.quick else (1, 10, 100, 1_000, 10_000), repeat)
    if "worst" in only:
        worst(peers, args.quick)
    if "memory" in only:
        memory(files)


if __name__ == "__main__":
    main()
