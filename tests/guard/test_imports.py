"""Importing the Guard costs neither pydantic nor the engine; a recorded Guard still needs no network module."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
from scrapecheck import Decision, Guard
heavy = [m for m in ("pydantic", "scrapecheck.engine", "scrapecheck.api", "urllib3", "asyncio") if m in sys.modules]
print(",".join(heavy))
g = Guard.from_robots("AcmeBot/1", "search-indexing", {"https://a.example": "User-agent: *\\nDisallow: /x\\n"})
assert not g.check("https://a.example/x").allowed
print("urllib3" in sys.modules, "scrapecheck.engine" in sys.modules, "pydantic" in sys.modules)
"""


def test_importing_guard_loads_no_pydantic_no_engine() -> None:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    heavy, used = done.stdout.splitlines()
    assert heavy == ""
    assert used == "False False False"  # deciding from given bodies touches no network code, engine or pydantic
