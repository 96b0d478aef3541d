"""The documentation site: builds with mkdocs in strict mode (warnings are errors, no network), its generated
pages are current, every page is in the navigation, every example is listed, and the quickstart runs."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT

from scrapecheck import reference

DOCS = ROOT / "docs"
HOW = ("stale: run `python -m scrapecheck.docs` (it rewrites rules.md and these pages; or pytest --update-golden) "
       "and commit the result")


@pytest.mark.parametrize("name", sorted(reference.PAGES))
def test_generated_pages_are_current(name: str, update_golden: bool) -> None:
    from scrapecheck.policy import load_policy

    render = reference.PAGES[name]
    expected = render(load_policy(ROOT / "policies")) if name == "derivation.md" else render()
    path = DOCS / name
    if update_golden:
        path.write_text(expected, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == expected, f"docs/{name} is {HOW}"


def _nav_pages(items: list) -> list[str]:
    pages = []
    for item in items:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        pages += _nav_pages(value) if isinstance(value, list) else [value]
    return pages


def test_every_page_is_in_the_navigation() -> None:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)  # noqa: S506
    nav = _nav_pages(config["nav"])
    pages = sorted(str(p.relative_to(DOCS)) for p in DOCS.rglob("*.md"))
    missing = sorted(set(pages) - set(nav))
    assert not missing, (f"docs/{missing[0]} is not in the site: add a line such as '      - Title: {missing[0]}' "
                         "under a section of nav in mkdocs.yml")
    assert sorted(nav) == pages, f"nav in mkdocs.yml names pages that do not exist: {sorted(set(nav) - set(pages))}"


def test_site_builds_strict(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
                           str(ROOT / "mkdocs.yml"), "--site-dir", str(tmp_path / "site")],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "WARNING" not in done.stderr, done.stderr[-3000:]
    for page in ("index.html", "quickstart.html", "plan.html", "rules.html", "report.html", "derivation.html"):
        assert (tmp_path / "site" / page).is_file(), page


def test_every_example_is_listed() -> None:
    listed = (DOCS / "examples.md").read_text(encoding="utf-8")
    examples = ROOT / "examples"
    files = [p for p in examples.rglob("*") if p.is_file() and p.suffix in (".py", ".yml", ".yaml", ".toml")
             and "snapshots" not in p.parts and "__pycache__" not in p.parts]
    missing = [str(p.relative_to(ROOT)) for p in files if f"`{p.relative_to(ROOT).as_posix()}`" not in listed]
    assert not missing, f"list these in docs/examples.md: {missing}"


def _quickstart() -> list[tuple[str, str, str]]:
    """(kind, argument, body) for each marked block of the quickstart, in order."""
    text = (DOCS / "quickstart.md").read_text(encoding="utf-8")
    pattern = re.compile(r"<!-- quickstart:(run|file) ?([^ ]*) -->\n```\w*\n(.*?)```", re.S)
    return [(m.group(1), m.group(2), m.group(3)) for m in pattern.finditer(text)]


def test_quickstart_reaches_a_clean_gate(tmp_path: Path) -> None:
    """A newcomer following the page: init, their plan, check, the CI gate, a baseline, the HTML report."""
    steps = _quickstart()
    assert [kind for kind, _, _ in steps].count("file") == 1 and len(steps) >= 5
    for kind, argument, body in steps:
        if kind == "file":
            (tmp_path / argument).write_text(body, encoding="utf-8")
            continue
        for line in body.strip().splitlines():
            argv = shlex.split(line)
            assert argv[0] == "scrapecheck", line
            done = subprocess.run([sys.executable, "-m", "scrapecheck", *argv[1:]], capture_output=True, text=True,
                                  cwd=tmp_path)
            assert done.returncode == 0, f"{line}: exit {done.returncode}\n{done.stdout[-1500:]}{done.stderr}"
    assert (tmp_path / "scrapecheck-baseline.json").is_file() and (tmp_path / "review.html").is_file()
    assert "docs-archive" in (tmp_path / "review.html").read_text(encoding="utf-8")

