"""Does the warm Guard settle? Passes of ``Guard.check`` over bench_guard's warm workload, back to back in one process,
each timed (CPU seconds) with the number of ``RuleSet._literal_tests`` calls it made (a literal_check state found or
built: each pass after the first should make almost none). Not a test, not a comparison: bench_guard.py is that.

    python benchmarks/guard_rounds.py [--passes 5] [--urls 1000000] [--origins 1000]
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE / "robots"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--urls", type=int, default=1_000_000)
    parser.add_argument("--origins", type=int, default=1000)
    parser.add_argument("--purpose", default="search-indexing")
    args = parser.parse_args()
    from bench_guard import UA, workload

    from scrapecheck import Guard
    from scrapecheck.robots._match import RuleSet

    bodies, urls = workload(args.origins, args.urls)
    guard = Guard.from_robots(UA, args.purpose, bodies, max_origins=args.origins)
    calls = [0]
    original = RuleSet._literal_tests

    def counted(self: RuleSet, *a: object, **k: object) -> object:
        calls[0] += 1
        return original(self, *a, **k)  # type: ignore[arg-type]

    RuleSet._literal_tests = counted  # type: ignore[method-assign]
    check = guard.check
    for n in range(args.passes):
        calls[0] = 0
        gc.collect()
        if n == 1:
            gc.freeze()  # as bench_guard does after its warm-up pass
        start = time.process_time()
        for url in urls:
            check(url)
        print(f"pass {n}: {time.process_time() - start:.2f} s, {calls[0]:,} literal_check states looked up", flush=True)


if __name__ == "__main__":
    main()
