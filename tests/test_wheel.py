"""A built wheel carries the policy packs and data: it works with no checkout and no ../shared/."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow


def test_wheel_finds_packs_without_the_checkout(tmp_path: Path) -> None:
    hatchling = pytest.importorskip("hatchling.builders.wheel")
    wheel = next(iter(hatchling.WheelBuilder(str(ROOT)).build(directory=str(tmp_path / "dist"),
                                                               versions=["standard"])))
    names = zipfile.ZipFile(wheel).namelist()
    assert "scrapecheck/policies/accounts.toml" in names
    assert "scrapecheck/policies/sources.toml" in names
    assert "scrapecheck/data/ai-robots.json" in names and "scrapecheck/data/ai-robots.LICENSE" in names
    assert "scrapecheck/py.typed" in names
    assert "scrapecheck/policy/bundled.pickle" in names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    plan = tmp_path / "elsewhere" / "crawl.toml"
    plan.parent.mkdir()
    plan.write_text((ROOT / "examples" / "plans" / "linkedin-inmail-ai-training.toml").read_text()
                    .replace('robots_txt_file = "snapshots/linkedin.com.txt"', 'robots_txt = ""'))
    code = (
        "import scrapecheck, sys\n"
        "from scrapecheck.policy import default_policy_dir\n"
        f"assert scrapecheck.__file__.startswith({str(site)!r}), scrapecheck.__file__\n"
        f"assert str(default_policy_dir()).startswith({str(site)!r})\n"
        "from scrapecheck.policy.bundled import load_bundled\n"
        "assert load_bundled() is not None, 'the pre-validated packs do not match the installed ones'\n"
        "r = scrapecheck.evaluate(scrapecheck.load_plan('crawl.toml'), offline=True)\n"
        "print(max(f.severity for f in r.findings).value, len(r.findings))\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    env["PYTHONPATH"] = str(site)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=plan.parent, env=env,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("critical ")
