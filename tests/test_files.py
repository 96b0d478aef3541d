"""User files read by ``_files.load_document``: nesting too deep is the caller's error, never a RecursionError."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scrapecheck import config, load_plan
from scrapecheck.cli import main
from scrapecheck.errors import PlanError, SignalsError, WaiverError
from scrapecheck.signals.snapshot import load_signals
from scrapecheck.waivers import load_waivers

DEEP = 100_000
DEEP_JSON = "[" * DEEP + "]" * DEEP
DEEP_TOML = "x = " + "[" * DEEP + "]" * DEEP + "\n"


@pytest.mark.parametrize(("name", "text"), [("deep.json", DEEP_JSON), ("deep.toml", DEEP_TOML)])
def test_deep_plan_is_a_plan_error(tmp_path: Path, name: str, text: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanError, match="nested too deeply") as caught:
        load_plan(path)
    assert caught.value.source == str(path)


def test_deep_signals_is_a_signals_error(tmp_path: Path) -> None:
    path = tmp_path / "signals.json"
    path.write_text(DEEP_JSON, encoding="utf-8")
    with pytest.raises(SignalsError, match="invalid JSON: nested too deeply"):
        load_signals(path)


def test_deep_waivers_is_a_waiver_error(tmp_path: Path) -> None:
    path = tmp_path / "waivers.toml"
    path.write_text(DEEP_TOML, encoding="utf-8")
    with pytest.raises(WaiverError, match="invalid TOML: nested too deeply"):
        load_waivers(path)


def test_deep_config_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "scrapecheck.toml"
    path.write_text(DEEP_TOML, encoding="utf-8")
    with pytest.raises(config.ConfigError, match="nested too deeply"):
        config.load(path)


def test_deep_files_exit_2_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = tmp_path / "crawl.json"
    plan.write_text(DEEP_JSON, encoding="utf-8")
    assert main(["check", str(plan), "--offline"]) == 2
    err = capsys.readouterr().err
    assert "nested too deeply" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1

    good = tmp_path / "crawl.toml"
    good.write_text('version = 1\n[crawler]\nname = "n"\nuser_agent = "A/1"\n[purpose]\nkind = "research"\n'
                    '[[targets]]\nurl = "https://example.com/"\nrobots_txt = ""\n', encoding="utf-8")
    signals = tmp_path / "signals.json"
    signals.write_text(DEEP_JSON, encoding="utf-8")
    assert main(["check", str(good), "--signals", str(signals)]) == 2
    err = capsys.readouterr().err
    assert "nested too deeply" in err and "Traceback" not in err


# --- signals files: version ---------------------------------------------------------------------------------


@pytest.mark.parametrize("version", [99, 0, 2, "1", True, None, 1.0])
def test_signals_file_version_other_than_1_is_refused(tmp_path: Path, version: object) -> None:
    path = tmp_path / "signals.json"
    path.write_text(json.dumps({"version": version, "targets": {}}), encoding="utf-8")
    with pytest.raises(SignalsError, match="unsupported signals file version") as caught:
        load_signals(path)
    assert caught.value.field == "version"


def test_signals_file_version_1_loads(tmp_path: Path) -> None:
    path = tmp_path / "signals.json"
    path.write_text(json.dumps({"version": 1, "targets": {}}), encoding="utf-8")
    assert load_signals(path).version == 1


def test_nesting_past_the_limit_is_refused_before_validation(tmp_path: Path) -> None:
    from scrapecheck._files import MAX_DEPTH

    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    path = tmp_path / "signals.json"
    path.write_text('{"version": 1, "targets": {"https://example.com": {"origin": "https://example.com", '
                    f'"pages": [{{"x": {deep}}}]}}}}}}', encoding="utf-8")
    with pytest.raises(SignalsError, match=f"nested too deeply \\(more than {MAX_DEPTH} levels"):
        load_signals(path)
    shallow = "[" * 8 + "]" * 8
    path.write_text('{"version": 1, "targets": {"https://example.com": {"origin": "https://example.com", '
                    f'"pages": [{{"x": {shallow}}}]}}}}}}', encoding="utf-8")
    assert load_signals(path).targets["https://example.com"].pages == [{"x": [[[[[[[[]]]]]]]]}]
