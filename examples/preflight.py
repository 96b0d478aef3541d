"""Pre-flight check in crawler code: refuse to start a crawl whose plan has high or critical findings.

Run it as it is (offline, from the bundled plans):  python examples/preflight.py
"""

from __future__ import annotations

import sys
from pathlib import Path

import scrapecheck

HERE = Path(__file__).resolve().parent


def preflight(plan_path: Path) -> bool:
    """Print the findings that block a crawl and say whether it may start."""
    report = scrapecheck.evaluate(scrapecheck.load_plan(plan_path), offline=True)
    blocking = [f for f in report.findings if f.severity >= scrapecheck.Severity.HIGH and not f.suppressed]
    verdict = "blocked" if blocking else "cleared"
    print(f"{plan_path.name}: {verdict} ({len(report.findings)} findings, highest: "
          f"{report.max_severity.value if report.max_severity else 'none'})")
    for finding in blocking[:5]:
        print(f"  {finding.severity.value:<8} {finding.rule_id} {finding.message}")
        print(f"           cites {finding.sources[0].id}: {finding.sources[0].url}")
    return not blocking


def main() -> int:
    cleared = preflight(HERE / "plans" / "clean-archiving.toml")
    blocked = not preflight(HERE / "plans" / "linkedin-fake-accounts.toml")
    return 0 if cleared and blocked else 1


if __name__ == "__main__":
    sys.exit(main())
