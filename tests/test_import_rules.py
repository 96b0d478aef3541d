"""The architecture as a test: the import graph, read with ``ast``, must not have a forbidden edge (issue 9).

Imports inside functions count (a lazy import is still a dependency); imports under ``if TYPE_CHECKING:`` do
not (they never run). "Reaches" means through any chain of imports.
"""

from __future__ import annotations

import ast
from functools import lru_cache
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "scrapecheck"
NETWORK = {"urllib3", "socket", "http.client", "urllib.request", "ssl"}
ENTRY_POINTS = {"scrapecheck.cli", "scrapecheck.__main__"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@lru_cache(maxsize=None)
def modules() -> dict[str, Path]:
    return {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _runtime_imports(tree: ast.AST) -> list[ast.stmt]:
    found: list[ast.stmt] = []
    stack: list[ast.AST] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            stack.extend(node.orelse)
            continue
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.append(node)
        stack.extend(ast.iter_child_nodes(node))
    return found


@lru_cache(maxsize=None)
def imports(module: str) -> frozenset[str]:
    """Every module ``module`` imports at run time: ours by full name, others by their dotted name."""
    path = modules()[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in _runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
            continue
        assert isinstance(node, ast.ImportFrom)
        if node.level:
            base = package.split(".")
            base = base[: len(base) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        names.add(target)
        for alias in node.names:  # from . import json -> the submodule scrapecheck.formats.json
            if f"{target}.{alias.name}" in modules():
                names.add(f"{target}.{alias.name}")
    # importing a.b.c runs a/__init__ and a/b/__init__ too
    parents = {".".join(name.split(".")[:i]) for name in names for i in range(1, name.count(".") + 1)}
    return frozenset((names | parents) - {module})


def reaches(module: str) -> set[str]:
    seen: set[str] = set()
    stack = [module]
    while stack:
        for name in imports(stack.pop()):
            if name not in seen:
                seen.add(name)
                if name in modules():
                    stack.append(name)
    return seen


def _in(name: str, package: str) -> bool:
    return name == package or name.startswith(package + ".")


def _ours(names: set[str] | frozenset[str]) -> set[str]:
    return {name for name in names if _in(name, "scrapecheck")}


def test_the_graph_is_read() -> None:
    """A guard for the test itself: known edges are found, including lazy ones inside functions."""
    assert "scrapecheck.report" in imports("scrapecheck.formats.json")
    assert "scrapecheck.commands" in imports("scrapecheck.cli")  # imported inside _parser()
    assert "urllib3" in reaches("scrapecheck.signals.client")


@pytest.mark.parametrize("module", sorted(m for m in modules() if _in(m, "scrapecheck.robots")))
def test_robots_imports_nothing_from_the_package(module: str) -> None:
    outside = {name for name in _ours(imports(module)) if not _in(name, "scrapecheck.robots") and name != "scrapecheck"}
    assert not outside, f"{module} imports {sorted(outside)}; robots/ is a leaf (issue 9)"


@pytest.mark.parametrize("module", sorted(m for m in modules() if _in(m, "scrapecheck.formats")))
def test_formats_import_only_the_report(module: str) -> None:
    allowed = {"scrapecheck", "scrapecheck.report"}
    outside = {name for name in _ours(imports(module)) if not _in(name, "scrapecheck.formats") and name not in allowed}
    assert not outside, f"{module} imports {sorted(outside)}; formats see only the Report"


def test_engine_reaches_neither_network_nor_formats_nor_cli() -> None:
    reached = reaches("scrapecheck.engine")
    forbidden = {name for name in reached
                 if name in NETWORK or _in(name, "scrapecheck.formats") or _in(name, "scrapecheck.commands")
                 or name in ("scrapecheck.cli", "scrapecheck.signals.client", "scrapecheck.signals.fetch")}
    assert not forbidden, f"the engine reaches {sorted(forbidden)}"


def test_urllib3_is_imported_only_in_signals() -> None:
    importers = sorted(m for m in modules() if any(_in(n, "urllib3") for n in imports(m)))
    assert importers and all(_in(m, "scrapecheck.signals") for m in importers), importers


def test_only_the_cli_entry_points_import_command_modules() -> None:
    importers = sorted(m for m in modules() if not _in(m, "scrapecheck.commands")
                       and any(_in(n, "scrapecheck.commands") for n in imports(m)))
    assert set(importers) <= ENTRY_POINTS, importers
