"""CI gating: what a pipeline step runs, and how it reads the exit status and the JSON summary.

`scrapecheck check PLAN --offline --fail-on high` exits 0 when nothing unwaived is at or above `high`, 1 when
something is, and 2 when the input or the invocation is wrong. A CI job only needs the exit status; the JSON
report (or SARIF for code scanning, Markdown for a job summary, HTML for reviewers) explains it.

Run it as it is (offline, from the bundled plans):  python examples/ci_gate.py
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRAPECHECK = [sys.executable, "-m", "scrapecheck"]  # in a pipeline: just `scrapecheck`


def gate(plan: str, *options: str) -> int:
    """One CI step: check the plan, print the summary the job log shows, return the exit status."""
    done = subprocess.run([*SCRAPECHECK, "check", plan, "--offline", "--fail-on", "high", "--quiet", *options],
                          capture_output=True, text=True, cwd=HERE)
    print(f"$ scrapecheck check {plan} --offline --fail-on high {' '.join(options)}".rstrip())
    print(f"  exit {done.returncode}: {done.stdout.strip() or '(nothing printed: no unwaived finding)'}")
    if done.stderr.strip():
        print(f"  stderr: {done.stderr.strip()}")
    return done.returncode


def main() -> int:
    assert gate("plans/clean-archiving.toml") == 0           # passes the gate
    assert gate("plans/linkedin-fake-accounts.toml") == 1    # critical findings: the job fails
    assert gate("plans/does-not-exist.toml") == 2            # broken input is not "findings"

    # Machines read the JSON report: the summary says what gated, findings say why, with sources.
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        code = subprocess.run([*SCRAPECHECK, "check", "plans/x-signup-flood.toml", "--offline", "--format", "json",
                               "--output", str(out)], cwd=HERE).returncode
        report = json.loads(out.read_text(encoding="utf-8"))
    summary = report["summary"]
    print(f"x-signup-flood: exit {code}, highest {summary['max_severity']}, counts {summary['counts']}")
    gating = [f for f in report["findings"] if f["severity"] in ("high", "critical") and not f["suppressed"]]
    for finding in gating[:3]:
        print(f"  {finding['rule_id']} {finding['severity']}: {finding['message']}")
        print(f"    source: {finding['sources'][0]['title']} ({finding['sources'][0]['weight']})")
    assert code == 1 and gating and summary["max_severity"] in ("high", "critical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
