"""Benchmark the dataset audit (not a test): throughput, memory, Dask scale-out, and peers in the same run.

    python benchmarks/bench_audit.py [--urls 1000000] [--origins 10000] [--rounds 3]
                                     [--memory 100000,1000000,5000000] [--dask-urls 5000000] [--workers 2]
                                     [--plan-urls 2000] [--skip-single] [--skip-memory] [--skip-dask]
                                     [--json FILE]

Workload: ORIGINS origins, each serving one of the real robots.txt files of benchmarks/robots/corpus (spread
round-robin), recorded as signals (no network); URLs drawn at random over the origins from each file's own
patterns and ordinary paths, never repeated. Two body layouts: ``shared`` (the files as they are, so origins
serving the same file share one compiled copy, as sites on one CMS default do) and ``unique`` (a comment naming
the origin is appended, so every origin compiles its own).

* single process: the streaming core (``Auditor.batches`` over the URLs: every URL decided for every agent, rows
  as column batches, tallies counted; nothing written), and the whole command
  (text file in, Parquet or CSV out, side tables included), URLs/s, median of ROUNDS;
* memory: peak RSS of a fresh process auditing 100k, 1M and 5M URLs from a text file to Parquet, minus the
  process's RSS before the first row (imports and signals loaded): flat means bounded;
* Dask: ``--engine dask`` with WORKERS local worker processes against the single process, same Parquet input
  of DASK_URLS URLs, same output format (Parquet rows and the three tables). Each run is timed from the call of
  ``run`` to its return, as the command would: for Dask that is importing Dask (in the first round), starting
  the local cluster, the split and audit tasks, merging the tallies, renaming the rows directory into place,
  writing the tables and closing the cluster (its worker processes have exited when ``run`` returns);
* peers: the plan route (``evaluate`` of a plan with one target per URL, PLAN_URLS of them, offline with the
  same signals) and a protego loop (``Protego.parse`` once per origin, then ``can_fetch`` per URL: a boolean
  only, no deciding line, no opt-outs).

The machine may be shared: the load average is printed before and after, and only medians and ratios from this
one run should be compared.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "robots"))

from _workload import WORDS, corpus, corpus_urls  # noqa: E402

AGENT = "AcmeBot/1.0 (+https://acme.example/bot)"
PURPOSE = "ai-training"


def bodies_for(origins: int, unique: bool) -> tuple[dict[str, str], dict[str, list[str]]]:
    files = list(corpus().values())
    per_file = [[u[len("https://example.com"):] for u in corpus_urls(raw, seed=i)] for i, raw in enumerate(files)]
    bodies: dict[str, str] = {}
    paths: dict[str, list[str]] = {}
    for n in range(origins):
        raw = files[n % len(files)]
        origin = f"https://site{n}.example"
        text = raw.decode("utf-8", "replace")
        bodies[origin] = text + (f"\n# {origin}\n" if unique else "")
        paths[origin] = per_file[n % len(files)]
    return bodies, paths


def url_stream(bodies: dict[str, str], paths: dict[str, list[str]], count: int, seed: int = 5):  # type: ignore[no-untyped-def]
    """``count`` URLs never repeated: half from the file's own patterns, half ordinary paths."""
    rng = random.Random(seed)
    keys = list(bodies)
    for n in range(count):
        origin = keys[rng.randrange(len(keys))]
        if rng.random() < 0.5:
            yield f"{origin}{rng.choice(paths[origin])}#{n}"  # unique; the fragment is not matched
        else:
            words = "/".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
            yield f"{origin}/{words}/{n}{rng.choice(('', '.html', '?page=' + str(rng.randint(1, 99))))}"


def signals_for(bodies: dict[str, str]) -> Any:
    from scrapecheck.signals.model import RobotsSignal, Signals, TargetSignals

    return Signals(targets={
        origin: TargetSignals(origin=origin, robots=RobotsSignal(url=f"{origin}/robots.txt", origin="fetched",
                                                                 outcome="ok", status=200, body=body), opt_outs=[])
        for origin, body in bodies.items()})


def timed(fn: Callable[[], object]) -> float:
    gc.collect()
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def rss_mib(field: str = "VmRSS") -> float:
    """This process's resident memory (``VmRSS``) or its peak (``VmHWM``), in MiB.

    The peak is read from ``VmHWM``, not ``getrusage``: Linux keeps ``ru_maxrss`` across ``execve``, so a child
    started by this (large) benchmark process would report the parent's size as its own peak.
    """
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


# --------------------------------------------------------------------------------------------- single process
def core(args: argparse.Namespace, unique: bool) -> dict[str, Any]:
    from protego import Protego

    from scrapecheck.audit.columns import agents_from
    from scrapecheck.audit.pipeline import Auditor
    from scrapecheck.audit.sources import RecordedSource

    bodies, paths = bodies_for(args.origins, unique)
    urls = list(url_stream(bodies, paths, args.urls))
    signals = signals_for(bodies)
    agents = agents_from([AGENT])

    def run_audit() -> None:
        auditor = Auditor(agents, PURPOSE, RecordedSource(signals), max_origins=args.origins)
        deque(auditor.batches(urls), maxlen=0)

    def run_protego() -> None:
        parsed: dict[str, Any] = {}
        for url in urls:
            cut = url.find("/", 8)
            origin = url[:cut] if cut >= 0 else url
            policy = parsed.get(origin)
            if policy is None:
                policy = parsed[origin] = Protego.parse(bodies[origin])
            policy.can_fetch(url, "AcmeBot")

    audit_times, protego_times = [], []
    for _ in range(args.rounds):
        audit_times.append(timed(run_audit))
        protego_times.append(timed(run_protego))
    a, p = statistics.median(audit_times), statistics.median(protego_times)
    return {"bodies": "unique" if unique else "shared", "urls": len(urls), "origins": args.origins,
            "audit_core_urls_per_s": round(len(urls) / a), "protego_loop_urls_per_s": round(len(urls) / p),
            "audit_vs_protego": round(p / a, 2), "audit_s": [round(t, 2) for t in audit_times],
            "protego_s": [round(t, 2) for t in protego_times]}


def end_to_end(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """The command's work: text file in, rows out (Parquet and CSV), side tables, signals file loaded."""
    from scrapecheck.audit.run import AuditJob, run
    from scrapecheck.signals.snapshot import save_signals

    bodies, paths = bodies_for(args.origins, False)
    source = folder / "urls.txt"
    with open(source, "w", encoding="utf-8") as handle:
        for url in url_stream(bodies, paths, args.urls):
            handle.write(url + "\n")
    signals = save_signals(signals_for(bodies), folder / "signals.json")
    result: dict[str, Any] = {"urls": args.urls}
    for fmt in ("parquet", "csv"):
        times = []
        for _ in range(args.rounds):
            job = AuditJob(input=str(source), agents=[AGENT], purpose=PURPOSE, signals=str(signals),
                           output=str(folder / f"rows.{fmt}"), progress=False, max_origins=args.origins)
            times.append(timed(lambda: run(job)))
        result[f"command_{fmt}_urls_per_s"] = round(args.urls / statistics.median(times))
        result[f"command_{fmt}_s"] = [round(t, 2) for t in times]
    return result


# --------------------------------------------------------------------------------------------- plan route
def plan_route(args: argparse.Namespace) -> dict[str, Any]:
    from scrapecheck import evaluate
    from scrapecheck.plan import CrawlPlan

    bodies, paths = bodies_for(args.origins, False)
    urls = list(url_stream(bodies, paths, args.plan_urls))
    signals = signals_for({o: b for o, b in bodies.items() if any(u.startswith(o + "/") for u in urls)})
    plan = CrawlPlan.model_validate({
        "version": 1, "crawler": {"name": "bench", "user_agent": AGENT}, "purpose": {"kind": PURPOSE},
        "targets": [{"url": url.split("#")[0]} for url in urls]})
    seconds = timed(lambda: evaluate(plan, signals=signals, offline=True))
    return {"urls": len(urls), "plan_route_urls_per_s": round(len(urls) / seconds), "plan_route_s": round(seconds, 2),
            "peak_rss_mib": round(rss_mib("VmHWM"))}


# --------------------------------------------------------------------------------------------- memory
def memory_child(count: int, origins: int, folder: str) -> None:
    """Run in a fresh process: audit ``count`` URLs from a text file to Parquet; print JSON with RSS figures.

    The baseline is the RSS once scrapecheck, pyarrow and the audit modules are imported (nothing read yet): the
    peak above it is what the audit itself holds (signals index, per-origin state, batches, writer buffers).
    """
    from scrapecheck.audit.inputs import InputSpec  # noqa: F401 - imports before the baseline
    from scrapecheck.audit.run import AuditJob, run
    from scrapecheck.audit.writers import need_pyarrow

    need_pyarrow("bench")
    import pyarrow.parquet  # noqa: F401

    import scrapecheck.signals.index  # noqa: F401
    import scrapecheck.audit.tables  # noqa: F401

    baseline = rss_mib()
    job = AuditJob(input=str(Path(folder) / f"urls-{count}.txt"), agents=[AGENT], purpose=PURPOSE,
                   signals=str(Path(folder) / "signals.json"), output=str(Path(folder) / f"rows-{count}.parquet"),
                   progress=False, max_origins=origins)
    start = time.perf_counter()
    run(job)
    seconds = time.perf_counter() - start
    peak = rss_mib("VmHWM")
    print(json.dumps({"urls": count, "baseline_rss_mib": round(baseline), "peak_rss_mib": round(peak),
                      "growth_mib": round(peak - baseline), "seconds": round(seconds, 1),
                      "urls_per_s": round(count / seconds)}))


def memory(args: argparse.Namespace, folder: Path) -> list[dict[str, Any]]:
    from scrapecheck.signals.snapshot import save_signals

    bodies, paths = bodies_for(args.origins, False)
    save_signals(signals_for(bodies), folder / "signals.json")
    results = []
    for count in args.memory:
        with open(folder / f"urls-{count}.txt", "w", encoding="utf-8") as handle:
            for url in url_stream(bodies, paths, count, seed=count):
                handle.write(url + "\n")
        done = subprocess.run([sys.executable, __file__, "--memory-child", str(count), "--origins",
                               str(args.origins), "--folder", str(folder)], capture_output=True, text=True,
                              check=True)
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))
        (folder / f"urls-{count}.txt").unlink()
        (folder / f"rows-{count}.parquet").unlink(missing_ok=True)
    return results


# --------------------------------------------------------------------------------------------- dask
def dask_vs_single(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from scrapecheck.audit.run import AuditJob, run
    from scrapecheck.signals.snapshot import save_signals

    bodies, paths = bodies_for(args.origins, False)
    signals = save_signals(signals_for(bodies), folder / "signals-dask.json")
    source = folder / "urls.parquet"
    stream = url_stream(bodies, paths, args.dask_urls, seed=9)
    with pq.ParquetWriter(source, pa.schema([pa.field("url", pa.string())])) as writer:
        while True:
            chunk = [u for _, u in zip(range(262_144), stream)]
            if not chunk:
                break
            writer.write_table(pa.table({"url": chunk}))
    common = {"input": str(source), "agents": [AGENT], "purpose": PURPOSE, "signals": str(signals),
              "progress": False, "max_origins": args.origins}
    single, distributed = [], []
    for _ in range(args.dask_rounds):
        single.append(timed(lambda: run(AuditJob(**common, output=str(folder / "single.parquet")))))
        distributed.append(timed(lambda: run(AuditJob(**common, output=str(folder / "dask-out"), engine="dask",
                                                      workers=args.workers))))
    s, d = statistics.median(single), statistics.median(distributed)
    return {"urls": args.dask_urls, "workers": args.workers, "single_s": [round(t, 1) for t in single],
            "dask_s": [round(t, 1) for t in distributed], "single_urls_per_s": round(args.dask_urls / s),
            "dask_urls_per_s": round(args.dask_urls / d), "dask_vs_single": round(s / d, 2)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=1_000_000)
    parser.add_argument("--origins", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--memory", type=lambda s: [int(x) for x in s.split(",")],
                        default=[100_000, 1_000_000, 5_000_000])
    parser.add_argument("--dask-urls", type=int, default=5_000_000)
    parser.add_argument("--dask-rounds", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--plan-urls", type=int, default=2_000)
    parser.add_argument("--skip-single", action="store_true", help="skip the plan route, core and command stages")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--json", metavar="FILE")
    parser.add_argument("--memory-child", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--folder", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.memory_child:
        memory_child(args.memory_child, args.origins, args.folder)
        return
    report: dict[str, Any] = {"cpus": os.cpu_count(), "loadavg_before": [round(x, 2) for x in os.getloadavg()],
                              "python": sys.version.split()[0]}

    def show(name: str, value: Any) -> None:
        report[name] = value
        print(f"{name}: {json.dumps(value)}", flush=True)

    if not args.skip_single:
        show("plan_route", plan_route(args))
        show("single_shared_bodies", core(args, unique=False))
        show("single_unique_bodies", core(args, unique=True))
    with tempfile.TemporaryDirectory(prefix="bench-audit-") as tmp:
        folder = Path(tmp)
        if not args.skip_single:
            show("command", end_to_end(args, folder))
            plan = report["plan_route"]["plan_route_urls_per_s"]
            show("ratios", {"core_vs_plan_route": round(report["single_shared_bodies"]["audit_core_urls_per_s"]
                                                        / plan),
                            "command_parquet_vs_plan_route": round(report["command"]["command_parquet_urls_per_s"]
                                                                   / plan)})
        if not args.skip_memory:
            show("memory", memory(args, folder))
        if not args.skip_dask:
            show("dask", dask_vs_single(args, folder))
    report["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    print(f"loadavg before {report['loadavg_before']} after {report['loadavg_after']} on {report['cpus']} CPUs")
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
