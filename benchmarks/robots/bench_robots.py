"""Benchmark: robots.txt checks per second, scrapecheck against its peers, in one run.

Run on demand (never a test):  python benchmarks/robots/bench_robots.py [--quick]

(a) a synthetic robots.txt (400 rules, '*' and '$', 5 groups) against 50,000 URLs;
(b) the real robots.txt files in benchmarks/robots/corpus/ (see SOURCES.md), each (agent, URL) pair;
(c) parse time of a 500 KiB file.

Peers, each measured only if installed (benchmark-only; never package dependencies):
  protego (pure Python), urllib.robotparser (stdlib), texting_robots (Rust, parse once),
  jwm.robotstxt (pybind11 binding of Google's C++ parser, which re-parses the file per check),
  robotstxt from fast-robotstxt (ctypes binding of a Google-parser fork, also re-parses per check).
Every parser except ours and texting_robots gets a parsed object once and is then asked per URL; the
Google bindings have no parse-once API, so their per-check cost includes parsing.
"""

from __future__ import annotations

import argparse
import sys
import time
import urllib.robotparser
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _workload import corpus, corpus_agents, corpus_urls, synthetic_robots, synthetic_urls  # noqa: E402

from scrapecheck.robots import RobotsPolicy  # noqa: E402

Checker = Callable[[str], bool]
Factory = Callable[[str, bytes], Checker]  # (agent, robots body) -> url -> allowed


def _ours(agent: str, body: bytes) -> Checker:
    policy = RobotsPolicy.parse(body)
    return lambda url: policy.is_allowed(agent, url)


def _protego(agent: str, body: bytes) -> Checker:
    from protego import Protego

    parser = Protego.parse(body.decode("utf-8", "replace"))
    return lambda url: parser.can_fetch(url, agent)


def _urllib(agent: str, body: bytes) -> Checker:
    parser = urllib.robotparser.RobotFileParser()
    parser.parse(body.decode("utf-8", "replace").splitlines())
    return lambda url: parser.can_fetch(agent, url)


def _texting(agent: str, body: bytes) -> Checker:
    from texting_robots import Robot

    robot = Robot(agent, body)
    return robot.allowed


def _jwm(agent: str, body: bytes) -> Checker:
    from jwm.robotstxt import googlebot

    matcher = googlebot.RobotsMatcher()
    return lambda url: matcher.OneAgentAllowedByRobots(body, agent, url)


def _fast_robotstxt(agent: str, body: bytes) -> Checker:
    from robotstxt import RobotsMatcher

    matcher, text = RobotsMatcher(), body.decode("utf-8", "replace")
    return lambda url: matcher.is_allowed(text, agent, url)


PEERS: dict[str, Factory] = {
    "scrapecheck": _ours,
    "protego": _protego,
    "urllib.robotparser": _urllib,
    "texting_robots (Rust)": _texting,
    "jwm.robotstxt (Google C++)": _jwm,
    "fast-robotstxt (Google C++ fork)": _fast_robotstxt,
}


def _available() -> dict[str, Factory]:
    found = {}
    for name, factory in PEERS.items():
        try:
            factory("x", b"User-agent: *\nDisallow: /x\n")("https://example.com/x")
        except ImportError:
            print(f"  (skipped {name}: not installed)")
            continue
        found[name] = factory
    return found


def _rate(check: Checker, urls: list[str], budget: float) -> float:
    """Checks per second: best of up to 3 timed passes over ``urls`` (at most ``budget`` seconds)."""
    best = 0.0
    spent = 0.0
    for _ in range(3):
        start = time.perf_counter()
        for url in urls:
            check(url)
        elapsed = time.perf_counter() - start
        spent += elapsed
        best = max(best, len(urls) / elapsed)
        if spent > budget:
            break
    return best


def _table(title: str, rates: dict[str, float]) -> None:
    print(f"\n{title}")
    ours = rates["scrapecheck"]
    print(f"  {'parser':34s} {'checks/s':>12s} {'scrapecheck is':>16s}")
    for name, rate in sorted(rates.items(), key=lambda item: -item[1]):
        ratio = "" if name == "scrapecheck" else f"{ours / rate:10.1f}x"
        print(f"  {name:34s} {rate:12,.0f} {ratio:>16s}")


def synthetic(peers: dict[str, Factory], n_urls: int) -> None:
    body = synthetic_robots().encode()
    urls = synthetic_urls(n_urls)
    rates = {}
    for name, factory in peers.items():
        agent_rates = []
        for agent in ("AcmeBot", "UnknownBot"):  # a named group, and the '*' fallback
            check = factory(agent, body)
            check(urls[0])  # warm-up: lazy compilation is not part of the steady state
            slow = "Google" in name or name == "urllib.robotparser"
            sample = urls[: max(2000, n_urls // 25)] if slow else urls
            agent_rates.append(_rate(check, sample, 5.0))
        rates[name] = sum(agent_rates) / len(agent_rates)
    _table(f"(a) synthetic: 400 rules, 5 groups, {len(urls):,} URLs, agents AcmeBot + UnknownBot", rates)


def real_corpus(peers: dict[str, Factory]) -> None:
    files = corpus()
    work = [(name, body, agent, corpus_urls(body)) for name, body in files.items() for agent in corpus_agents(body)]
    pairs = sum(len(urls) for *_, urls in work)
    rates = {}
    for name, factory in peers.items():
        checkers = [(factory(agent, body), urls) for _, body, agent, urls in work]
        for check, urls in checkers:
            check(urls[0])
        start = time.perf_counter()
        for check, urls in checkers:
            for url in urls:
                check(url)
        rates[name] = pairs / (time.perf_counter() - start)
    _table(f"(b) real corpus: {len(files)} files, {len(work)} (file, agent) pairs, {pairs:,} checks", rates)


def parse_time() -> None:
    unit = synthetic_robots().encode()
    body = unit * (500 * 1024 // len(unit) + 1)
    body = body[: 500 * 1024]
    best = min(_timed(lambda: RobotsPolicy.parse(body)) for _ in range(5))
    policy = RobotsPolicy.parse(body)
    rules = sum(len(g.rules) for g in policy.groups)
    first = _timed(lambda: policy.is_allowed("AcmeBot", "https://example.com/a"))
    print(f"\n(c) parse a 500 KiB file ({len(body):,} bytes, {rules:,} rules, {len(policy.groups)} groups):"
          f" {best * 1e3:.1f} ms; first check of a group (compiles its matcher): {first * 1e3:.0f} ms")


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5,000 URLs instead of 50,000")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}")
    peers = _available()
    synthetic(peers, 5_000 if args.quick else 50_000)
    real_corpus(peers)
    parse_time()


if __name__ == "__main__":
    main()
