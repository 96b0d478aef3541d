"""What a check run loads (issue 10: the CLI on a 50-target plan under half a second, imports included).

A fresh interpreter runs the check as a user would and reports what it loaded. Offline with text output, the
network layer, the other formats and the baseline code stay unloaded, and the shipped packs come from their
pre-validated form (``policy/bundled.py``), so no policy model ever builds its validator. No timing here: the
figures are in ``benchmarks/bench_check.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import MINIMAL_PLAN, write

NETWORK = {"urllib3", "scrapecheck.signals.fetch", "scrapecheck.signals.client", "ssl", "http.client"}
"""(``socket`` is not among them: it comes with ``email``, which only pydantic's plugin lookup would load.)"""
OTHER_FORMATS = {f"scrapecheck.formats.{name}" for name in ("json", "sarif", "markdown", "github", "gitlab", "html")}
REPORT = """
import json, sys
from pydantic import BaseModel
from scrapecheck.policy import models, kinds

def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)

built = sorted(f"{m.__module__}.{m.__qualname__}" for m in subclasses(BaseModel)
               if m.__module__.startswith("scrapecheck.policy") and m.__pydantic_complete__)
print(json.dumps({"modules": sorted(sys.modules), "built_policy_models": built}))
"""


def _run(statements: str) -> dict[str, list[str]]:
    code = f"import io, contextlib\n{statements}\n{REPORT}"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return json.loads(out.splitlines()[-1])


@pytest.fixture
def plan(tmp_path: Path) -> Path:
    targets = "".join(f'[[targets]]\nurl = "https://site{i}.example/"\npaths = ["/a", "/private/b"]\n'
                      f'robots_txt = "User-agent: *\\nDisallow: /private/\\n# no AI training\\n"\n'
                      for i in range(3))
    return write(tmp_path / "plan.toml", MINIMAL_PLAN + targets)


def test_check_command_loads_only_what_it_uses(plan: Path) -> None:
    seen = _run("from scrapecheck.cli import main\n"
                "with contextlib.redirect_stdout(io.StringIO()):\n"
                f"    assert main(['check', {str(plan)!r}, '--offline', '--exit-zero']) == 0")
    loaded = set(seen["modules"])
    assert "scrapecheck.formats.text" in loaded and "scrapecheck.engine" in loaded  # it did run
    assert loaded & NETWORK == set()
    assert loaded & OTHER_FORMATS == set()
    assert "scrapecheck.baseline" not in loaded
    assert "html.parser" not in loaded  # pages are parsed only when fetched
    assert "scrapecheck.policy.files" not in loaded  # the pack-file models: only for validating TOML
    assert seen["built_policy_models"] == []  # the packs were not validated: their stored form was read


def test_evaluate_loads_no_cli_formats_or_network(plan: Path) -> None:
    seen = _run("import scrapecheck\n"
                f"report = scrapecheck.evaluate(scrapecheck.load_plan({str(plan)!r}), offline=True)\n"
                "assert report.findings")
    loaded = set(seen["modules"])
    assert loaded & NETWORK == set()
    assert {m for m in loaded if m.startswith(("scrapecheck.formats", "scrapecheck.commands"))} == set()
    assert {"scrapecheck.cli", "argparse", "scrapecheck.baseline"} & loaded == set()
    assert seen["built_policy_models"] == []


def test_a_user_policies_directory_is_validated_by_the_check_command(plan: Path, tmp_path: Path) -> None:
    """The counterpart: --policies DIR is never read from the stored form, so its models do get built."""
    from conftest import ROOT

    seen = _run("from scrapecheck.cli import main\n"
                "with contextlib.redirect_stdout(io.StringIO()):\n"
                f"    main(['check', {str(plan)!r}, '--offline', '--exit-zero', '--policies', "
                f"{str(ROOT / 'policies')!r}])")
    assert "scrapecheck.policy.models.Rule" in seen["built_policy_models"]
    assert "scrapecheck.policy.files.RulePack" in seen["built_policy_models"]


def test_main_raises_the_collector_threshold_and_restores_it(plan: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    import gc

    import scrapecheck.api
    from scrapecheck.cli import GC_THRESHOLD, main

    during: list[tuple[int, int, int]] = []
    evaluate = scrapecheck.api.evaluate

    def recording(*args, **kwargs):  # type: ignore[no-untyped-def]
        during.append(gc.get_threshold())
        return evaluate(*args, **kwargs)

    monkeypatch.setattr(scrapecheck.api, "evaluate", recording)
    before = gc.get_threshold()
    assert main(["check", str(plan), "--offline", "--exit-zero"]) == 0
    assert "finding" in capsys.readouterr().out
    assert during == [(GC_THRESHOLD, *before[1:])]
    assert gc.get_threshold() == before


def test_plan_section_defaults_equal_validated_sections() -> None:
    """Sections left out of a plan are made with ``model_construct`` (no validator of their own is built): they
    must be exactly what validating an empty section gives."""
    from scrapecheck.plan import Access, Data, Purpose, Terms, Use

    for section in (Purpose, Access, Data, Use, Terms):
        made, validated = section.defaults(), section.model_validate({})
        assert made == validated, section
        assert list(made.__dict__.items()) == list(validated.__dict__.items())
        assert made.model_fields_set == validated.model_fields_set == set()
        assert made.model_dump() == validated.model_dump()


def test_console_entry_exits_with_mains_status_and_output(plan: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``python -m scrapecheck`` goes through ``cli.console`` (main, then a shutdown without collector passes):
    same output and exit status as ``main`` in-process, stderr included."""
    from scrapecheck.cli import main

    statuses = []
    for argv in (["check", str(plan), "--offline", "--fail-on", "low"], ["check", str(plan), "--offline",
                 "--exit-zero"], ["check", str(plan.with_name("missing.toml"))]):
        status = main(argv)
        statuses.append(status)
        expected = capsys.readouterr()
        done = subprocess.run([sys.executable, "-m", "scrapecheck", *argv], capture_output=True, text=True)
        assert (done.returncode, done.stdout, done.stderr) == (status, expected.out, expected.err)
    assert statuses == [1, 0, 2]


def test_models_on_the_check_path_use_python_default_factories() -> None:
    """pydantic reads each default factory's signature when it builds a model; for ``list`` or ``dict`` that
    parses a text signature every time (tokenize and ast), so these models use ``_model.empty_list``/``empty_dict``."""
    from pydantic import BaseModel

    from scrapecheck import plan, report
    from scrapecheck.signals import model

    builtin = []
    for module in (plan, report, model):
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel) and value.__module__ == module.__name__:
                builtin += [f"{value.__name__}.{name}" for name, field in value.model_fields.items()
                            if isinstance(field.default_factory, type)]
    assert builtin == []


SCAN = """
import importlib.metadata as metadata, sys
scanned = []
real = metadata.entry_points
def recording(*args, **kwargs):
    scanned.append(kwargs.get("group"))
    return real(*args, **kwargs)
metadata.entry_points = recording  # before pydantic's plugin loader imports it
import atexit
atexit.register(lambda: sys.stderr.write(f"SCANNED {scanned!r}\\n"))
sys.argv = ["scrapecheck", *sys.argv[1:]]
from scrapecheck.cli import console
console()
"""


def _scanned(plan: Path, env_value: str | None) -> tuple[int, list[str]]:
    import os

    env = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    if env_value is not None:
        env["PYDANTIC_DISABLE_PLUGINS"] = env_value
    done = subprocess.run([sys.executable, "-c", SCAN, "check", str(plan), "--offline", "--exit-zero"],
                          capture_output=True, text=True, env=env)
    line = [row for row in done.stderr.splitlines() if row.startswith("SCANNED ")]
    assert line, done.stderr
    return done.returncode, eval(line[-1][len("SCANNED "):])  # noqa: S307 - our own repr of a list of str


def test_the_executable_does_not_scan_entry_points_for_pydantic_plugins(plan: Path) -> None:
    """Issue 10: the first validator pydantic builds scans every installed distribution's entry points for
    plugins; ``scrapecheck`` (the executable) turns plugins off unless the user chose otherwise."""
    status, scanned = _scanned(plan, None)
    assert status == 0
    assert "pydantic" not in scanned


def test_an_empty_pydantic_disable_plugins_brings_plugins_back(plan: Path) -> None:
    """The user's own setting wins: ``PYDANTIC_DISABLE_PLUGINS=`` (empty) means every plugin is loaded."""
    status, scanned = _scanned(plan, "")
    assert status == 0
    assert "pydantic" in scanned


def test_main_leaves_the_environment_alone(plan: Path, capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the executable sets the variable; ``main`` (tests, embedding callers) does not."""
    import os

    from scrapecheck.cli import main

    monkeypatch.delenv("PYDANTIC_DISABLE_PLUGINS", raising=False)
    assert main(["check", str(plan), "--offline", "--exit-zero"]) == 0
    assert "PYDANTIC_DISABLE_PLUGINS" not in os.environ


def test_a_plan_of_ascii_hosts_loads_no_idna_tables(plan: Path) -> None:
    """Issue 10: the ``idna`` package and Python's idna codec (with ``stringprep`` and ``unicodedata``'s 3.2
    tables) are loaded only for an international name; a plan of plain ASCII hosts never needs them."""
    seen = _run("from scrapecheck.cli import main\n"
                "with contextlib.redirect_stdout(io.StringIO()):\n"
                f"    assert main(['check', {str(plan)!r}, '--offline', '--exit-zero']) == 0")
    loaded = set(seen["modules"])
    assert "scrapecheck.engine" in loaded
    assert {"idna", "encodings.idna", "stringprep"} & loaded == set()


def test_the_executable_does_not_load_package_metadata_with_plugins_off(plan: Path) -> None:
    """Issue 10: with plugins off, pydantic's plugin loader module is served without its ``importlib.metadata``
    import (and ``email`` behind it); the run's output and status are those of ``main``."""
    code = ("import sys, atexit\n"
            "atexit.register(lambda: sys.stderr.write('LOADED ' + repr(sorted(m for m in sys.modules if m in "
            "('importlib.metadata', 'email.message', 'pydantic.plugin._loader'))) + '\\n'))\n"
            f"sys.argv = ['scrapecheck', 'check', {str(plan)!r}, '--offline', '--exit-zero']\n"
            "from scrapecheck.cli import console\n"
            "console()\n")
    env = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert "finding" in done.stdout
    assert done.stderr.splitlines()[-1] == "LOADED ['pydantic.plugin._loader']"


def test_the_plugins_off_loader_falls_back_to_pydantics_own() -> None:
    """The served module answers ``get_plugins()`` as pydantic does with plugins off; anything else asked of it,
    or ``get_plugins()`` once the variable says otherwise, runs pydantic's own loader in it."""
    code = """
import os, sys
os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
from scrapecheck.cli import _PluginsOff
sys.meta_path.insert(0, _PluginsOff())
from pydantic import BaseModel

class Model(BaseModel):
    x: int

assert Model(x=1).x == 1
loader = sys.modules["pydantic.plugin._loader"]
assert tuple(loader.get_plugins()) == () and "importlib.metadata" not in sys.modules
assert loader.PYDANTIC_ENTRY_POINT_GROUP == "pydantic"  # pydantic's own module now
assert "importlib.metadata" in sys.modules
os.environ["PYDANTIC_DISABLE_PLUGINS"] = ""
list(loader.get_plugins())
print("OK")
"""
    env = {key: value for key, value in os.environ.items() if key != "PYDANTIC_DISABLE_PLUGINS"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "OK"
