"""Where a warm Guard check's work goes, counted in instructions (steady on a shared, loaded machine, where CPU
time is not): run each loop of bench_guard's warm split under valgrind and subtract.

    python benchmarks/guard_instructions.py prepare /tmp/wl.pkl [--urls 30000] [--origins 1000]
    for loop in none route match guard; do
        PYTHONHASHSEED=0 valgrind --tool=cachegrind --cache-sim=yes --LL=1048576,16,64 \\
            --cachegrind-out-file=/tmp/cg.$loop.out \\
            python benchmarks/guard_instructions.py run /tmp/wl.pkl $loop 2>&1 | grep -E 'I +refs|D1 +misses|LL misses'
    done

Each ``run`` builds the same recorded Guard and warms it and the matcher loop with ``--passes`` passes each (3 by
default: at 30 URLs per origin, a pass or two leaves some rule sets in their scan and some segments unlearnt, where
the 1,000,000-URL benchmark has none), then runs one loop once: ``none`` (nothing: the set-up), ``route`` (slice,
dict lookup, path slice), ``match`` (route plus the Guard's own matchers' ``check_path``) or ``guard``
(``Guard.check(url).allowed``). (loop - none) / URLs is a loop's cost per check; guard - match is the Guard's own
share. Instructions ignore cache misses: the D1 misses show those, and the LL misses (a 1 MB last-level cache, as
the machine's L2) the misses that reach memory or the shared L3. ``cg_annotate /tmp/cg.guard.out`` against
``/tmp/cg.match.out`` splits the Guard's share per C function.
"""

from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "robots"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    prepare = sub.add_parser("prepare")
    prepare.add_argument("file")
    prepare.add_argument("--urls", type=int, default=30_000)
    prepare.add_argument("--origins", type=int, default=1000)
    run = sub.add_parser("run")
    run.add_argument("file")
    run.add_argument("loop", choices=["none", "route", "match", "guard"])
    run.add_argument("--passes", type=int, default=3)
    args = parser.parse_args()
    if args.command == "prepare":
        from bench_guard import workload

        with open(args.file, "wb") as out:
            pickle.dump(workload(args.origins, args.urls), out)
        return
    from bench_guard import UA

    from scrapecheck import Guard

    with open(args.file, "rb") as src:
        bodies, urls = pickle.load(src)  # noqa: S301 - a file this script wrote
    guard = Guard.from_robots(UA, "search-indexing", bodies, max_origins=len(bodies))
    check = guard.check

    def run_guard() -> None:
        for url in urls:
            check(url).allowed  # noqa: B018 - what a crawler reads

    for _ in range(args.passes):
        run_guard()
    routes = {prefix: entry.check_path for prefix, entry in guard._aliases.items()}

    def run_match() -> None:
        get = routes.__getitem__
        for url in urls:
            cut = url.find("/", 8)
            get(url[:cut])(url[cut:])

    def run_route() -> None:
        get = routes.__getitem__
        for url in urls:
            cut = url.find("/", 8)
            get(url[:cut])
            url[cut:]  # noqa: B018

    for _ in range(args.passes):
        run_match()
    {"none": lambda: None, "route": run_route, "match": run_match, "guard": run_guard}[args.loop]()


if __name__ == "__main__":
    main()
