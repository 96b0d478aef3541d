"""Adopting the gate on plans that already have findings: record a baseline, then fail only on new ones.

`--write-baseline FILE` records the current unwaived findings; `--baseline FILE` marks those as known (shown
as such, not counted, not gating) and reports the rest. Findings are matched by rule, target and plan file,
not by message, so rewording a message or a changed number in it keeps a finding known. Commit the baseline
file and shrink it over time; use a waiver (with a reason and an expiry) for a risk you accept for good.

Run it as it is (offline; it copies a bundled plan into a temporary directory):  python examples/baseline_adoption.py
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def scrapecheck(folder: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run([sys.executable, "-m", "scrapecheck", "check", "plans/crawl.toml", "--offline",
                           "--isolated", *argv], capture_output=True, text=True, cwd=folder)
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    print(f"$ scrapecheck check plans/crawl.toml --offline {' '.join(argv)}\n  exit {done.returncode}: {last}")
    if done.stderr.strip():
        print(f"  stderr: {done.stderr.strip()}")
    return done


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        shutil.copytree(HERE / "plans" / "snapshots", folder / "plans" / "snapshots")
        plan = folder / "plans" / "crawl.toml"
        shutil.copy(HERE / "plans" / "x-signup-flood.toml", plan)

        assert scrapecheck(folder).returncode == 1                      # today: the gate fails
        assert scrapecheck(folder, "--write-baseline", "scrapecheck-baseline.json").returncode == 0
        recorded = json.loads((folder / "scrapecheck-baseline.json").read_text(encoding="utf-8"))
        print(f"  recorded {len(recorded['findings'])} findings, e.g. {recorded['findings'][0]}")

        known = scrapecheck(folder, "--baseline", "scrapecheck-baseline.json")
        assert known.returncode == 0 and "No new findings" in known.stdout   # known findings do not gate

        # Someone adds paywall bypassing to the plan: that finding is new, and the gate fails on it alone.
        text = plan.read_text(encoding="utf-8")
        changed = text.replace("circumvention = [", 'circumvention = ["paywall-bypass", ', 1)
        assert changed != text
        plan.write_text(changed, encoding="utf-8")
        new = scrapecheck(folder, "--baseline", "scrapecheck-baseline.json")
        reported = [line.split()[1] for line in new.stdout.splitlines() if line.startswith("  ") and
                    line.split()[0] in ("CRITICAL", "HIGH", "MEDIUM", "LOW", "INFO")]
        print(f"  new findings: {reported}")
        assert new.returncode == 1 and reported

        sarif = json.loads(subprocess.run(
            [sys.executable, "-m", "scrapecheck", "check", "plans/crawl.toml", "--offline", "--isolated",
             "--baseline", "scrapecheck-baseline.json", "--format", "sarif"],
            capture_output=True, text=True, cwd=folder).stdout)
        states = sorted({r["baselineState"] for r in sarif["runs"][0]["results"]})
        print(f"  SARIF baselineState values: {states}")
        assert states == ["new", "unchanged"]
    return 0


if __name__ == "__main__":
    sys.exit(main())
