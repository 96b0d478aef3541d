"""How the warm Guard answers bench_guard's URLs: the share of URLs per route through its segment table (not timed).

    python benchmarks/guard_kinds.py [--urls 200000] [--origins 1000] [--passes 3]

After ``--passes`` warm passes over the workload, each URL is looked up as the hot path looks it up and counted by
what answers it: ``seg``/``leaf`` (a segment's or a leaf's own answer, ``seg2``... one level deeper), ``T1-gateans``
(a segment's answer after its literals; ``L`` for a leaf, the digit the level), ``T1-belowans`` (the answer of the
head below the segment the path starts with, after that head's literals), ``T1-gatelit`` (it holds a literal),
``T1-nogate`` (a segment with no gate), both then answered by the segment's ``RuleSet.literal_check`` (``/lc``: from the
few rules the path's literals let in) or by the matcher's walk (``/m``: a prefix with an escape, too many heads below
or literals), ``miss1`` (not in the table: the origin's table is full, or its matcher still scans). The largest (kind,
robots.txt file) pairs follow. ``--time``: then each kind's URLs (in the workload's order) checked alone through the
Guard, best of 3 passes in CPU time: what a URL of that kind costs (with fewer of the table's lines competing for the
caches than in a whole pass, whose time is printed too).
"""

from __future__ import annotations

import argparse
import collections
import gc
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "robots"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--urls", type=int, default=200_000)
    parser.add_argument("--origins", type=int, default=1000)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--time", action="store_true", help="time each kind's URLs alone (best of 3)")
    args = parser.parse_args()
    from _workload import corpus
    from bench_guard import UA, workload

    from scrapecheck import Guard
    from scrapecheck.guard._decision import Through

    files = list(corpus())
    bodies, urls = workload(args.origins, args.urls)
    guard = Guard.from_robots(UA, "search-indexing", bodies, max_origins=args.origins)
    for _ in range(args.passes):
        for url in urls:
            guard.check(url)
    table = guard._segments

    def key_at(url: str, start: int) -> tuple[str, int]:
        end = url.find("/", start) + 1
        if end:
            return url[:end], end
        stop = url.find("?", start)
        if stop < 0:
            stop = url.find("#", start)
        return (url[:stop] if stop >= 0 else url), 0

    def kind(url: str) -> str:
        cut = url.find("/", 8)
        key, end = key_at(url, cut + 1)
        hit, level = table.get(key), 1
        if hit is None:
            return "miss1"
        if type(hit) is not Through:
            return "seg" if end else "leaf"
        while hit.deeper:
            level += 1
            start = end
            key, end = key_at(url, start)
            if not end and len(key) == start:
                break
            deeper = table.get(key)
            if deeper is None:
                return f"miss{level}"
            if type(deeper) is not Through:
                return f"seg{level}" if end else f"leaf{level}"
            hit = deeper
        path = url[cut:]
        tag = ("T" if end else "L") + str(level)
        state = getattr(hit.check, "__self__", None)  # a literal_check's state, built on its first call
        by = "/lc" if getattr(state, "literals", None) is not None else "/m"
        if hit.literals is None:
            return tag + "-nogate" + by
        if any(k in path for k in hit.literals) or "%" in path or not path.isascii():
            return tag + "-gatelit" + by
        if hit.below and path.startswith(hit.below):
            for head, keys, _ in hit.subs:  # the deepest head below the segment that the path starts with
                if path.startswith(head):
                    if keys is not None and not any(k in path for k in keys):
                        return tag + "-belowans"
                    break
            return tag + "-gatelit" + by
        return tag + "-gateans"

    kinds: collections.Counter[str] = collections.Counter()
    pairs: collections.Counter[tuple[str, str]] = collections.Counter()
    of_kind: dict[str, list[str]] = collections.defaultdict(list)
    for url in urls:
        found = kind(url)
        kinds[found] += 1
        of_kind[found].append(url)
        pairs[found, files[int(url[len("https://site"):url.index(".")]) % len(files)]] += 1
    print(f"{len(urls)} URLs over {args.origins} origins, {args.passes} warm passes; {len(table)} table entries")
    for name, count in kinds.most_common():
        print(f"{name:14s} {count / len(urls):6.1%}")
    print("largest (kind, file) pairs but the segments' and leaves' own answers:")
    for (name, file), count in [p for p in pairs.most_common() if p[0][0] not in ("seg", "leaf")][:20]:
        print(f"{name:14s} {file:30s} {count / len(urls):6.1%}")
    if args.time:
        check = guard.check

        def best(some: list[str]) -> float:
            times = []
            for _ in range(3):
                start = time.process_time()
                for url in some:
                    check(url)
                times.append(time.process_time() - start)
            return min(times)

        gc.collect()
        gc.freeze()  # as bench_guard's warm stage
        print("CPU time per URL, each kind alone (best of 3):")
        for name, count in kinds.most_common():
            seconds = best(of_kind[name])
            print(f"{name:14s} {seconds / count * 1e9:8.0f} ns  {seconds:6.3f} s")
        print(f"{'whole pass':14s} {best(urls) / len(urls) * 1e9:8.0f} ns")


if __name__ == "__main__":
    main()
