"""Configuration: [tool.scrapecheck] or scrapecheck.toml, found upwards; the command line wins; --print-config."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import EXAMPLES, write

from scrapecheck import config
from scrapecheck.cli import Exit, main

FAKE = EXAMPLES / "plans" / "linkedin-fake-accounts.toml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path: Path, monkeypatch) -> Path:
    """A project folder with the example plan (and its snapshot) as crawl.toml, as the current directory."""
    shutil.copy(FAKE, tmp_path / "crawl.toml")
    shutil.copytree(FAKE.parent / "snapshots", tmp_path / "snapshots")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_defaults_without_a_config_file(project: Path) -> None:
    settings = config.resolve({}, cwd=project)
    assert (settings.format, settings.fail_on, settings.offline, settings.config_file) == ("text", "high", False, None)
    assert settings.origin("format") == "default"


def test_pyproject_table_is_found_upwards(project: Path) -> None:
    write(project / "pyproject.toml", '[project]\nname = "x"\n\n[tool.scrapecheck]\nfail-on = "critical"\n'
                                      'offline = true\nselect = ["ACC", "robots"]\nwaivers = "ci/waivers.toml"\n')
    nested = project / "a" / "b"
    nested.mkdir(parents=True)
    settings = config.resolve({}, cwd=nested)
    assert settings.config_file == str(project.resolve() / "pyproject.toml")
    assert settings.fail_on == "critical" and settings.offline is True
    assert settings.select == ("ACC", "robots")
    assert settings.waivers == str(project.resolve() / "ci" / "waivers.toml")   # relative to the config file
    assert settings.origin("fail_on").endswith("pyproject.toml [tool.scrapecheck]")


def test_pyproject_without_table_is_passed_over(project: Path) -> None:
    write(project / "pyproject.toml", '[tool.scrapecheck]\nformat = "json"\n')
    inner = project / "inner"
    write(inner / "pyproject.toml", '[project]\nname = "inner"\n')
    assert config.resolve({}, cwd=inner).format == "json"


def test_scrapecheck_toml_wins_over_pyproject_in_the_same_folder(project: Path) -> None:
    write(project / "pyproject.toml", '[tool.scrapecheck]\nformat = "json"\n')
    write(project / "scrapecheck.toml", 'format = "markdown"\nfail_on = "low"\n')
    settings = config.resolve({}, cwd=project)
    assert settings.format == "markdown" and settings.fail_on == "low"


def test_command_line_overrides_config(project: Path) -> None:
    write(project / "scrapecheck.toml", 'format = "markdown"\noffline = true\n')
    settings = config.resolve({"format": "json", "offline": False}, cwd=project)
    assert settings.format == "json" and settings.offline is False
    assert settings.origin("format") == settings.origin("offline") == "command line"


@pytest.mark.parametrize("body, key, message", [
    ('formatt = "json"\n', "formatt", "unknown key"),
    ('format = "yaml"\n', "format", "must be one of text, json, sarif, markdown"),
    ('fail-on = "severe"\n', "fail-on", "must be one of info, low, medium, high, critical"),
    ('offline = "yes"\n', "offline", "must be true or false"),
    ('select = [1]\n', "select", "must be a list"),
    ('waivers = ""\n', "waivers", "must be a path"),
])
def test_bad_config_names_file_and_key(project: Path, body: str, key: str, message: str) -> None:
    path = write(project / "scrapecheck.toml", body)
    with pytest.raises(config.ConfigError) as error:
        config.resolve({}, cwd=project)
    assert error.value.source == str(path) and error.value.field == key and message in str(error.value)


def test_unknown_key_in_pyproject_has_its_full_path(capsys, project: Path) -> None:
    write(project / "pyproject.toml", '[tool.scrapecheck]\nfail-onn = "low"\n')
    code, out, err = run(capsys, "check", "crawl.toml")
    assert code == Exit.USAGE and out == "" and len(err.strip().splitlines()) == 1
    assert "pyproject.toml: tool.scrapecheck.fail-onn: unknown key" in err


def test_config_drives_the_check(capsys, project: Path) -> None:
    write(project / "scrapecheck.toml", 'offline = true\nformat = "json"\nselect = ["LOD"]\nfail-on = "critical"\n')
    code, out, _ = run(capsys, "check", "crawl.toml")
    data = json.loads(out)
    assert {f["rule_id"][:3] for f in data["findings"]} == {"LOD"}
    assert code == Exit.OK   # LOD findings are below critical
    assert run(capsys, "check", "crawl.toml", "--fail-on", "medium")[0] == Exit.FINDINGS


def test_explicit_config_and_isolated(capsys, project: Path) -> None:
    write(project / "scrapecheck.toml", 'format = "json"\noffline = true\n')
    other = write(project / "conf" / "other.toml", 'format = "markdown"\noffline = true\n')
    assert run(capsys, "check", "crawl.toml", "--config", str(other))[1].startswith("## scrapecheck")
    code, out, _ = run(capsys, "check", "crawl.toml", "--isolated", "--offline")
    assert out.startswith("scrapecheck ")   # text: the config file was ignored
    code, _, err = run(capsys, "check", "crawl.toml", "--config", str(project / "missing.toml"))
    assert code == Exit.USAGE and "missing.toml: no such file" in err


def test_print_config_shows_values_and_origins(capsys, project: Path) -> None:
    write(project / "pyproject.toml", '[tool.scrapecheck]\nfail-on = "medium"\nignore = "TRN,PER-010"\n')
    code, out, err = run(capsys, "check", "--print-config", "--format", "sarif")
    assert code == Exit.OK and err == ""
    lines = {line.split(" = ")[0]: line for line in out.splitlines() if " = " in line and not line.startswith("#")}
    assert lines["format"].startswith('format = "sarif"') and lines["format"].endswith("# command line")
    assert lines["fail-on"].startswith('fail-on = "medium"') and "pyproject.toml [tool.scrapecheck]" in lines["fail-on"]
    assert lines["ignore"].startswith('ignore = ["TRN", "PER-010"]')
    assert lines["offline"].endswith("# default")
    assert "# waivers = (not set)" in out


def test_print_config_is_valid_toml_for_the_set_values(capsys, project: Path) -> None:
    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover
        import tomli as tomllib
    _, out, _ = run(capsys, "check", "--print-config", "--select", "ACC,robots", "--offline")
    data = tomllib.loads(out)
    assert data["select"] == ["ACC", "robots"] and data["offline"] is True
    assert config.parse(data, project / "scrapecheck.toml")["select"] == ("ACC", "robots")
