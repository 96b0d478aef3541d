"""Signals files are evidence: exact bytes survive the round trip, hashes are verified, types are strict.
And a User-Agent that cannot be sent is the caller's input error, never a site's outage."""

from __future__ import annotations

import hashlib

import copy
import json
from pathlib import Path

import pytest

from scrapecheck import evaluate, load_plan
from scrapecheck.cli import main
from scrapecheck.errors import InputError, SignalsError
from scrapecheck.signals.fetch import collect, fetch_robots
from scrapecheck.signals.model import Signals
from scrapecheck.signals.snapshot import load_signals, save_signals

from .conftest import FAST, Site, make_plan

LATIN1_ROBOTS = b"# R\xe8gles\nUser-agent: *\nDisallow: /caf\xe9\n"


def _write_plan(tmp_path: Path, url: str, user_agent: str = "AcmeBot/1.0", paths: str = '["/caf%E9"]') -> Path:
    path = tmp_path / "crawl.toml"
    path.write_text(f'version = 1\n[crawler]\nname = "t"\nuser_agent = {json.dumps(user_agent)}\n'
                    f'[purpose]\nkind = "research"\n[[targets]]\nurl = "{url}"\npaths = {paths}\n', encoding="utf-8")
    return path


# --- bytes end to end ---------------------------------------------------------------------------------------


def test_octets_survive_fetch_signals_json_check(site: Site, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    """Disallow: /caf\\xe9 must still block /caf%E9 after fetch -> signals.json -> check --offline."""
    site.robots(LATIN1_ROBOTS)
    plan = str(_write_plan(tmp_path, f"{site.origin}/"))
    signals = str(tmp_path / "signals.json")
    assert main(["fetch", plan, "-o", signals, "--robots-only", "--allow-private"]) == 0
    stored = json.loads(Path(signals).read_text(encoding="utf-8"))["targets"][site.origin]["robots"]
    assert "body_base64" in stored and "\ufffd" in stored["body"]  # exact bytes, and text for people
    capsys.readouterr()
    assert main(["check", plan, "--offline", "--signals", signals, "--format", "json", "--exit-zero"]) == 0
    report = json.loads(capsys.readouterr().out)
    rob = [f for f in report["findings"] if f["rule_id"] == "ROB-001"]
    assert rob and rob[0]["evidence"]["disallowed_paths"] == ["/caf%E9"]


def test_octets_survive_the_python_api(site: Site, tmp_path: Path) -> None:
    site.robots(LATIN1_ROBOTS)
    plan = load_plan(_write_plan(tmp_path, f"{site.origin}/"))
    saved = save_signals(collect(plan, config=FAST), tmp_path / "s.json")
    report = evaluate(plan, offline=True, signals=load_signals(saved))
    assert "ROB-001" in {f.rule_id for f in report.findings}


# --- hashes and strict types --------------------------------------------------------------------------------


@pytest.fixture
def recorded(site: Site, tmp_path: Path) -> tuple[Path, dict, str]:
    site.robots("User-agent: *\nDisallow: /private/\n")
    path = save_signals(collect(make_plan(f"{site.origin}/"), config=FAST), tmp_path / "signals.json")
    return path, json.loads(path.read_text(encoding="utf-8")), site.origin


def _rewrite(path: Path, data: dict) -> Path:
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_an_edited_body_is_refused_naming_the_origin(recorded: tuple[Path, dict, str]) -> None:
    path, data, origin = recorded
    data["targets"][origin]["robots"]["body"] = "User-agent: *\nAllow: /\n"  # would silently drop ROB-001
    with pytest.raises(SignalsError, match="does not match its sha256") as caught:
        load_signals(_rewrite(path, data))
    assert origin in str(caught.value)


def test_an_edited_base64_body_is_refused(site: Site, tmp_path: Path) -> None:
    site.robots(LATIN1_ROBOTS)
    path = save_signals(collect(make_plan(f"{site.origin}/"), config=FAST), tmp_path / "s.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["targets"][site.origin]["robots"]["body_base64"] = "VXNlci1hZ2VudDogKgpBbGxvdzogLwo="
    with pytest.raises(SignalsError, match="sha256"):
        load_signals(_rewrite(path, data))
    data["targets"][site.origin]["robots"]["body_base64"] = "not base64!"
    with pytest.raises(SignalsError, match="base64"):
        load_signals(_rewrite(path, data))


@pytest.mark.parametrize(("field", "value"), [("truncated", "yes"), ("truncated", 1), ("status", "200"),
                                              ("size", 12.0), ("attempts", "1")])
def test_coercible_values_are_refused(recorded: tuple[Path, dict, str], field: str, value: object) -> None:
    path, data, origin = recorded
    data = copy.deepcopy(data)
    data["targets"][origin]["robots"][field] = value
    with pytest.raises(SignalsError, match=field):
        load_signals(_rewrite(path, data))


def test_the_api_refuses_the_same_things(recorded: tuple[Path, dict, str]) -> None:
    _, data, origin = recorded
    data["targets"][origin]["robots"]["truncated"] = "yes"
    with pytest.raises(SignalsError):
        evaluate(make_plan(f"{origin}/"), offline=True, signals=data)


def test_the_check_command_exits_2_on_a_tampered_file(recorded: tuple[Path, dict, str], tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path, data, origin = recorded
    data["targets"][origin]["robots"]["body"] = "User-agent: *\nAllow: /\n"
    plan = _write_plan(tmp_path, f"{origin}/", paths='["/private/x"]')
    assert main(["check", str(plan), "--offline", "--signals", str(_rewrite(path, data))]) == 2
    err = capsys.readouterr().err
    assert "sha256" in err and origin in err and len(err.strip().splitlines()) == 1


def test_an_untouched_file_still_loads(recorded: tuple[Path, dict, str]) -> None:
    path, _, origin = recorded
    assert load_signals(path).targets[origin].robots.outcome == "ok"
    assert Signals.model_validate(json.loads(path.read_text(encoding="utf-8")))


# --- user agents that cannot be sent are input errors -------------------------------------------------------


@pytest.mark.parametrize("agent", ["AcmeBot/1.0 (☃)", "Acme\u202eBot", "AcmeBot/1.0\r\nX-Injected: yes",
                                   "Acme\nBot", "Acme\x00Bot"])
def test_unsendable_user_agents_are_input_errors_not_outages(site: Site, agent: str) -> None:
    with pytest.raises(InputError, match="user_agent"):
        fetch_robots(site.origin, user_agent=agent, config=FAST)
    plan = make_plan(f"{site.origin}/").model_copy(deep=True)
    crawler = plan.crawler.model_copy(update={"user_agent": agent})
    with pytest.raises(InputError):
        collect(plan.model_copy(update={"crawler": crawler}), config=FAST)
    assert site.hits == []


def test_cli_exits_2_for_a_non_latin1_user_agent_in_the_plan(site: Site, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    """It used to pass validation, send nothing, and report HIGH ROB-051 "unreachable"."""
    plan = str(_write_plan(tmp_path, f"{site.origin}/", user_agent="AcmeBot/1.0 (☃ bot)", paths='["/"]'))
    assert main(["check", plan, "--allow-private"]) == 2
    err = capsys.readouterr().err
    assert "user_agent" in err and "ROB-051" not in err and len(err.strip().splitlines()) == 1
    assert site.hits == []


@pytest.mark.parametrize("argv", [
    ["robots", "{origin}", "--agent", "Acme\r\nX: y", "/"],
    ["fetch", "{plan}", "--user-agent", "Acme\r\nX: y"],
    ["fetch", "{plan}", "--user-agent", "Acme☃"],
])
def test_cli_exits_2_for_a_cr_lf_user_agent(site: Site, tmp_path: Path, argv: list[str],
                                            capsys: pytest.CaptureFixture[str]) -> None:
    plan = str(_write_plan(tmp_path, f"{site.origin}/", paths='["/"]'))
    filled = [a.format(origin=site.origin, plan=plan) for a in argv]
    assert main([*filled, "--allow-private"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert site.hits == []


def test_a_latin1_snapshot_file_is_matched_as_its_bytes(tmp_path: Path) -> None:
    (tmp_path / "robots.txt").write_bytes(LATIN1_ROBOTS)
    path = tmp_path / "crawl.toml"
    path.write_text('version = 1\n[crawler]\nname = "t"\nuser_agent = "AcmeBot/1.0"\n[purpose]\nkind = "research"\n'
                    '[[targets]]\nurl = "https://a.example/"\npaths = ["/caf%E9"]\nrobots_txt_file = "robots.txt"\n',
                    encoding="utf-8")
    plan = load_plan(path)
    assert plan.targets[0].robots_txt_bytes == LATIN1_ROBOTS
    report = evaluate(plan, offline=True)
    assert "ROB-001" in {f.rule_id for f in report.findings}
    robots = report.signals["targets"]["https://a.example"]["robots"]
    # the report names and hashes the exact bytes; the local file itself is not copied into it
    assert robots["sha256"] == hashlib.sha256(LATIN1_ROBOTS).hexdigest() and "body_base64" not in robots
