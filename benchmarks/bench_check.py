"""How long `scrapecheck check` takes on a 50-target plan, offline (issues 1 and 10 ask for < 0.5 s).

Run on demand:  python benchmarks/bench_check.py [--targets 50] [--repeat 10] [--same-robots] [--no-bytecode]
Measures, in one run: the whole command as a user runs it (a new process each time: interpreter start, imports,
pack loading, evaluation, text output), bare interpreter start-up as the floor to compare with, and evaluate()
alone in a warm process. Prints medians and the ratio of the command to the bare interpreter.

Bytecode: an installed package runs from ``.pyc`` files (pip compiles them at install; Python writes them on
first import). When the environment forbids writing them (``PYTHONDONTWRITEBYTECODE``, as in some sandboxes and
containers), every run would recompile all sources, which no user pays after the first run. So the command runs
with bytecode writing allowed, as Python's default is, and the first run, which may write it, is timed apart.
``--no-bytecode`` measures the recompile-every-time case instead.

Each target gets its own real robots.txt from benchmarks/robots/corpus/ (issue 10: one shared file let
``re``'s cache serve every compile after the first, which hid the per-origin cost). ``--same-robots``
gives every target the small synthetic file of the old benchmark instead. In the warm process ``re``'s
cache is emptied before each evaluate(), so no run is served by the previous one's compiles.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROBOTS = """User-agent: *
Disallow: /private/
Disallow: /*.pdf$
Allow: /private/public-*
Crawl-delay: 2

User-agent: GPTBot
Disallow: /
"""


CORPUS = Path(__file__).resolve().parent / "robots" / "corpus"


def make_plan(directory: Path, targets: int, same_robots: bool = False) -> Path:
    lines = ['version = 1', '[crawler]', 'name = "bench"',
             'user_agent = "BenchBot/1.0 (+https://bench.example/bot)"', '[purpose]', 'kind = "ai-training"',
             '[data]', 'personal = true', 'categories = ["public-profile"]', 'subject_regions = ["eu"]',
             'estimated_subjects = 500000']
    files = sorted(CORPUS.glob("*.txt"))
    if same_robots or not files:
        (directory / "robots.txt").write_text(ROBOTS)
    for index in range(targets):
        snapshot = "robots.txt"
        if not same_robots and files:
            source = files[index % len(files)]
            snapshot = f"robots-{index}.txt"
            (directory / snapshot).write_bytes(source.read_bytes())
        lines += ['[[targets]]', f'url = "https://site{index}.example/"',
                  'paths = ["/a/", "/private/x", "/docs/file.pdf", "/private/public-1", "/b/c?d=e"]',
                  f'robots_txt_file = "{snapshot}"', 'requests_per_second = 1.0']
    path = directory / "plan.toml"
    path.write_text("\n".join(lines) + "\n")
    return path


def timed(argv: list[str], repeat: int, env: dict[str, str] | None = None) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (user + system) seconds of each run of ``argv`` in a new process. CPU time is the
    steadier figure on a shared, loaded machine; the budget is wall-clock, on a quiet one."""
    times, cpu = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return times, cpu


def command_env(bytecode: bool) -> dict[str, str]:
    """The environment of the measured processes: bytecode cached as Python does by default (``__pycache__``,
    like an installed package), or never written (``--no-bytecode``)."""
    env = dict(os.environ)
    if bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--targets", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--same-robots", action="store_true", help="one synthetic robots.txt for every target")
    parser.add_argument("--no-bytecode", action="store_true",
                        help="never write bytecode: every run recompiles the sources (see the module docstring)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        plan = make_plan(Path(tmp), args.targets, args.same_robots)
        env = command_env(not args.no_bytecode)
        argv = [sys.executable, "-m", "scrapecheck", "check", str(plan), "--offline"]
        first = timed(argv, 1, env)[0][0]
        command, command_cpu = timed(argv, args.repeat, env)
        floor, floor_cpu = timed([sys.executable, "-c", "pass"], args.repeat, env)

        import scrapecheck
        from scrapecheck.api import default_policy

        loaded = scrapecheck.load_plan(plan)
        default_policy()
        warm = []
        for _ in range(args.repeat):
            re.purge()
            start = time.perf_counter()
            report = scrapecheck.evaluate(loaded, offline=True)
            warm.append(time.perf_counter() - start)
    cmd, base, hot = statistics.median(command), statistics.median(floor), statistics.median(warm)
    robots = "one synthetic robots.txt" if args.same_robots else f"its own robots.txt from {CORPUS.name}/"
    print(f"targets: {args.targets} (each with {robots}), findings: {len(report.findings)}, repeat: {args.repeat}")
    bytecode = "no bytecode written, sources recompiled each run" if args.no_bytecode else "bytecode cached"
    print(f"scrapecheck check, first run (writes bytecode): {first * 1000:7.1f} ms")
    print(f"scrapecheck check (new process, offline, {bytecode}): median {cmd * 1000:7.1f} ms "
          f"(CPU {statistics.median(command_cpu) * 1000:.1f} ms)")
    print(f"python -c pass (interpreter floor):       median {base * 1000:7.1f} ms "
          f"(CPU {statistics.median(floor_cpu) * 1000:.1f} ms)")
    print(f"evaluate() in a warm process:             median {hot * 1000:7.1f} ms")
    print(f"ratio check / interpreter floor: {cmd / base:.1f}x; budget 500 ms: {'met' if cmd < 0.5 else 'MISSED'}")


if __name__ == "__main__":
    main()
