"""Writing a waiver: accept one finding, for a stated reason, until a date, and see the gate open.

The plan crawls a reseller's shop at 8 requests per second, above the 5/s threshold of LOD-002 (medium). The
team gates at `medium`, and the site owner has agreed to the rate in writing, so legal accepts the finding for
a year. A waiver is a reviewed decision, not a way to hide a finding: the waived finding stays in every report,
marked as waived with its reason; when the waiver expires the finding gates again and the CLI says so.

Run it as it is (offline; it writes only in a temporary directory):  python examples/write_waiver.py
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Optional

import scrapecheck

PLAN = """\
version = 1

[crawler]
name = "shop-prices"
user_agent = "AcmePriceBot/1.0 (+https://acme.example/bot)"
operator = "Acme Retail Analytics Ltd"
contact = "mailto:bots@acme.example"

[purpose]
kind = "price-monitoring"
description = "Daily prices of our own products at a reseller, as agreed with them."
commercial = true

[[targets]]
url = "https://shop.example/"
paths = ["/products/"]
robots_txt = "User-agent: *\\nDisallow: /checkout/\\n"
requests_per_second = 8
concurrency = 4
"""


def waiver_toml(rule: str, target: Optional[str], reason: str, expires: dt.date) -> str:
    """One [[waivers]] table: rule and reason and expiry are required; target narrows it to one site."""
    lines = ["[[waivers]]", f'rule = "{rule}"']
    if target:
        lines.append(f'target = "{target}"')
    lines += [f'reason = "{reason}"', f"expires = {expires.isoformat()}", 'approved_by = "legal@acme.example"', ""]
    return "\n".join(lines)


def check(folder: Path, waivers: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "scrapecheck", "check", "crawl.toml", "--offline", "--fail-on",
                           "medium", "--waivers", str(waivers), "--isolated"], capture_output=True, text=True,
                          cwd=folder)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "crawl.toml").write_text(PLAN, encoding="utf-8")
        report = scrapecheck.evaluate(scrapecheck.load_plan(folder / "crawl.toml"), offline=True)
        finding = next(f for f in report.findings if f.rule_id == "LOD-002")
        print(f"without a waiver: {finding.rule_id} ({finding.severity.value}) {finding.message}")
        assert report.exceeds("medium")

        waivers = folder / "waivers.toml"
        waivers.write_text(waiver_toml(finding.rule_id, finding.target,
                                       "8 rps agreed in writing with the site owner, ticket OPS-123",
                                       dt.date.today() + dt.timedelta(days=365)), encoding="utf-8")
        print(waivers.read_text(encoding="utf-8"))

        waived = scrapecheck.evaluate(scrapecheck.load_plan(folder / "crawl.toml"), offline=True, waivers=waivers)
        same = next(f for f in waived.findings if f.rule_id == "LOD-002")
        print(f"in the API: suppressed={same.suppressed}, waiver={same.waiver}")
        assert same.suppressed and not waived.exceeds("medium")

        live = check(folder, waivers)
        print(f"CLI with the waiver: exit {live.returncode}; {live.stdout.strip().splitlines()[-1]}")
        assert live.returncode == 0, live.stderr

        expired = folder / "expired.toml"
        expired.write_text(waiver_toml(finding.rule_id, finding.target, "Old agreement",
                                       dt.date.today() - dt.timedelta(days=1)), encoding="utf-8")
        late = check(folder, expired)
        print(f"CLI with an expired waiver: exit {late.returncode}; {late.stderr.strip()}")
        assert late.returncode == 1 and "expired" in late.stderr
    return 0


if __name__ == "__main__":
    sys.exit(main())
