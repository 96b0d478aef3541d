"""The warm matcher's cost per check on each corpus file, counted in instructions (steady on a shared, loaded
machine, where time is not): the workload of bench_origins' sweep at N URLs per origin, run under callgrind.

    PYTHONHASHSEED=0 valgrind --tool=callgrind --callgrind-out-file=/tmp/mi.out \\
        --zero-before=os_getppid --dump-before=os_getpgrp \\
        python benchmarks/robots/match_instructions.py run [--n 10000] [--peer protego] [--path is_allowed] [--files github gitlab]
    python benchmarks/robots/match_instructions.py report /tmp/mi.out [--base /tmp/other.out]

``run`` parses each file, answers its N URLs ``--passes`` times (the warm-up: the index, entries and gates are
built then), and then once more between two marker calls: ``os.getppid()`` zeroes callgrind's counters and
``os.getpgrp()`` dumps them, one dump per file, in file order (the order ``report`` reads them back). ``--path``
says what is measured: ``check`` (the agent's matcher's ``check(url)``, the default) or ``is_allowed``
(``RobotsPolicy.is_allowed(agent, url)``, what the sweep calls); ``--peer protego`` counts protego's
``can_fetch`` on the same URLs instead. ``report`` prints instructions per check per file and their sum (the sum
over files of each file's instructions per check); with ``--base``, the base's figures and the change.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "src"))
sys.path.insert(0, str(HERE))

AGENT = "Googlebot"


def _run(args: argparse.Namespace) -> None:
    from bench_origins import urls_for
    from _workload import corpus

    files = {k: v for k, v in corpus().items() if not args.files or any(f in k for f in args.files)}
    names = []
    for name, body in files.items():
        urls = urls_for(body, args.n)
        if args.peer == "protego":
            from protego import Protego

            parser = Protego.parse(body.decode("utf-8", "replace"))

            def loop(parser: object = parser, urls: list[str] = urls) -> None:
                can_fetch = parser.can_fetch  # type: ignore[attr-defined]
                for url in urls:
                    can_fetch(url, AGENT)
        else:
            from scrapecheck.robots import RobotsPolicy

            policy = RobotsPolicy.parse(body)
            if args.path == "is_allowed":

                def loop(policy: RobotsPolicy = policy, urls: list[str] = urls) -> None:
                    is_allowed = policy.is_allowed
                    for url in urls:
                        is_allowed(AGENT, url)
            else:
                matcher = policy.matcher(AGENT)

                def loop(matcher: object = matcher, urls: list[str] = urls) -> None:
                    for url in urls:
                        matcher.check(url)  # type: ignore[attr-defined]  # (read per call: tiers switch)
        for _ in range(args.passes):
            loop()
        os.getppid()  # callgrind: --zero-before=os_getppid
        loop()
        os.getpgrp()  # callgrind: --dump-before=os_getpgrp
        names.append(name)
    Path(args.names).write_text("\n".join(names) + "\n")


def _dumps(out: str) -> list[int]:
    """Total instructions of each dump of a callgrind run (``out.1``, ``out.2``, ... in order)."""
    found = []
    for path in Path(out).parent.glob(Path(out).name + ".*"):
        suffix = path.name[len(Path(out).name) + 1:]
        if suffix.isdigit():
            text = path.read_text(errors="replace")
            m = re.search(r"^(?:summary|totals):\s*(\d+)", text, re.M)
            found.append((int(suffix), int(m.group(1)) if m else 0))
    return [total for _, total in sorted(found)]


def _report(args: argparse.Namespace) -> None:
    names = Path(args.names).read_text().split()
    counts = [c / args.n for c in _dumps(args.file)]
    base = [c / args.n for c in _dumps(args.base)] if args.base else None
    for k, name in enumerate(names):
        line = f"  {name:32s} {counts[k]:10,.0f}"
        if base:
            line += f" {base[k]:10,.0f} {counts[k] / base[k]:7.3f}"
        print(line)
    line = f"  {'sum':32s} {sum(counts):10,.0f}"
    if base:
        line += f" {sum(base):10,.0f} {sum(counts) / sum(base):7.3f}"
    print(line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run")
    run.add_argument("--n", type=int, default=10_000, help="URLs per origin")
    run.add_argument("--passes", type=int, default=2, help="warm-up passes before the measured one")
    run.add_argument("--peer", choices=("scrapecheck", "protego"), default="scrapecheck")
    run.add_argument("--path", choices=("check", "is_allowed"), default="check")
    run.add_argument("--files", nargs="*", help="only the corpus files whose names hold one of these")
    run.add_argument("--names", default="/tmp/match_instructions.names", help="where to write the file order")
    report = sub.add_parser("report")
    report.add_argument("file")
    report.add_argument("--base")
    report.add_argument("--n", type=int, default=10_000)
    report.add_argument("--names", default="/tmp/match_instructions.names")
    args = parser.parse_args()
    _run(args) if args.command == "run" else _report(args)


if __name__ == "__main__":
    main()
