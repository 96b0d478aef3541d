"""SSRF protection: without allow_private_networks nothing private is fetched, whatever the spelling.

The local test server listens on 127.0.0.1; each loopback spelling below points at it, and the test shows that
no request arrived. The other private ranges have no server: the refusal comes before any connection.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import json
from pathlib import Path

import pytest

from scrapecheck import evaluate
from scrapecheck.cli import main
from scrapecheck.signals.addresses import literal_address, refusal
from scrapecheck.signals.fetch import collect, fetch_origin, fetch_robots

from .conftest import FAST, Site, make_plan

STRICT = dataclasses.replace(FAST, allow_private_networks=False)

LOOPBACK_SPELLINGS = ["127.0.0.1", "localhost", "127.1", "0x7f.1", "2130706433", "0177.0.0.1", "127.000.000.001",
                      "LOCALHOST", "localhost.", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]"]


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
def test_every_spelling_of_loopback_is_refused(site: Site, host: str) -> None:
    site.robots("User-agent: *\nAllow: /\n")
    target = fetch_robots(f"http://{host}:{site.port}/", user_agent="AcmeBot/1.0", config=STRICT)
    assert target.robots.outcome == "unreachable", target.robots
    assert target.robots.error.startswith("refused: ") and "--allow-private" in target.robots.error
    assert site.hits == []


@pytest.mark.parametrize("host", ["[::1]", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
                                  "[fd00:ec2::254]", "100.64.0.1", "0.0.0.0", "[::]", "224.0.0.1", "[fe80::1]",
                                  "[ff02::1]", "[::ffff:169.254.169.254]", "[64:ff9b::a00:1]", "[2002:a00:1::]",
                                  "255.255.255.255", "198.18.0.1", "240.0.0.1"])
def test_private_link_local_shared_metadata_and_special_addresses_are_refused(host: str) -> None:
    target = fetch_robots(f"http://{host}/", user_agent="AcmeBot/1.0", config=STRICT)
    assert target.robots.outcome == "unreachable"
    assert target.robots.error.startswith("refused: ")
    assert target.robots.attempts == 1


@pytest.mark.parametrize(("address", "allowed"), [
    ("93.184.215.14", True), ("2606:2800:21f:cb07:6820:80da:af6b:8b2c", True), ("8.8.8.8", True),
    ("127.0.0.1", False), ("10.1.2.3", False), ("169.254.169.254", False), ("fd00:ec2::254", False),
    ("100.64.0.1", False), ("::ffff:10.0.0.1", False), ("::ffff:8.8.8.8", True), ("fe80::1", False),
])
def test_refusal_reads_the_address_itself(address: str, allowed: bool) -> None:
    assert (refusal(ipaddress.ip_address(address)) is None) is allowed


@pytest.mark.parametrize(("host", "address"), [("127.1", "127.0.0.1"), ("0x7f.1", "127.0.0.1"),
                                               ("2130706433", "127.0.0.1"), ("[::1]", "::1"), ("example.com", None)])
def test_short_and_integer_ipv4_forms_are_read_as_addresses(host: str, address: str | None) -> None:
    parsed = literal_address(host)
    assert (None if parsed is None else str(parsed)) == address


def test_collect_and_the_guard_entry_point_refuse_too(site: Site) -> None:
    plan = make_plan(f"http://localhost:{site.port}/")
    target = collect(plan, config=STRICT).targets[f"http://localhost:{site.port}"]
    assert target.robots.outcome == "unreachable" and target.opt_outs is None
    assert fetch_origin(site.origin, user_agent="A", config=STRICT).robots.error.startswith("refused")
    assert site.hits == []


def test_opting_in_reaches_the_local_server(site: Site) -> None:
    site.robots("User-agent: *\nAllow: /\n")
    assert fetch_robots(f"http://127.1:{site.port}/", user_agent="A", config=FAST).robots.outcome == "ok"


def test_evaluate_refuses_by_default_and_opts_in_explicitly(site: Site) -> None:
    site.robots("User-agent: *\nAllow: /\n")
    plan = make_plan(f"{site.origin}/admin/delete-user?id=42&confirm=yes", kind="research")
    refused = evaluate(plan)
    assert site.hits == []
    assert refused.signals["targets"][site.origin]["robots"]["error"].startswith("refused")
    evaluate(plan, allow_private_networks=True)
    assert site.paths_hit()[0] == "/robots.txt"
    assert "/admin/delete-user?id=42&confirm=yes" not in site.paths_hit()


def _plan_file(tmp_path: Path, url: str) -> str:
    path = tmp_path / "crawl.toml"
    path.write_text(f'version = 1\n[crawler]\nname = "t"\nuser_agent = "AcmeBot/1.0"\n[purpose]\nkind = "research"\n'
                    f'[[targets]]\nurl = "{url}"\n', encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("command", ["check", "fetch", "robots"])
def test_every_fetching_command_refuses_without_allow_private(site: Site, tmp_path: Path, command: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    site.robots("User-agent: *\nDisallow: /\n")
    url = f"http://0x7f.1:{site.port}/"
    argv = {"check": ["check", _plan_file(tmp_path, url), "--format", "json", "--exit-zero"],
            "fetch": ["fetch", _plan_file(tmp_path, url)],
            "robots": ["robots", url, "--agent", "AcmeBot/1.0", "/"]}[command]
    assert main(argv) == 0
    captured = capsys.readouterr()
    assert site.hits == []
    assert "refused" in captured.out + captured.err
    assert main([*argv, "--allow-private"]) == 0
    assert site.paths_hit()[0] == "/robots.txt"


def test_the_fetched_body_of_an_internal_host_never_reaches_the_report(site: Site, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    site.robots("# SECRET-INTERNAL\nUser-agent: *\nAllow: /\n")
    assert main(["check", _plan_file(tmp_path, f"http://localhost:{site.port}/"), "--format", "json",
                 "--exit-zero"]) == 0
    out = capsys.readouterr().out
    assert "SECRET-INTERNAL" not in out and json.loads(out)["findings"]


def test_the_connection_goes_to_the_checked_address_not_a_second_lookup(site: Site,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: a name that answers a harmless address to the check and another to the connect.

    The resolver below answers 127.0.0.1 once, then an unroutable address. The fetch succeeds, so the
    connection went to the address that was checked; the name was looked up once per request.
    """
    import socket

    real = socket.getaddrinfo
    answers = iter(["127.0.0.1"] + ["10.255.255.1"] * 10)
    lookups: list[str] = []

    def rebinding(host, port, *args, **kwargs):  # type: ignore[no-untyped-def]
        if host != "rebind.test":
            return real(host, port, *args, **kwargs)
        lookups.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    site.robots("User-agent: *\nDisallow: /x\n")
    target = fetch_robots(f"http://rebind.test:{site.port}/", user_agent="A",
                          config=dataclasses.replace(FAST, retries=0))
    assert target.robots.outcome == "ok" and lookups == ["rebind.test"]
    assert site.hosts == [f"rebind.test:{site.port}"]  # Host header carries the name


def test_a_name_resolving_to_a_private_address_is_refused(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    real = socket.getaddrinfo
    monkeypatch.setattr(socket, "getaddrinfo", lambda host, port, *a, **k: (
        [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
         (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        if host == "mixed.test" else real(host, port, *a, **k)))
    target = fetch_robots(f"http://mixed.test:{site.port}/", user_agent="A", config=STRICT)
    assert target.robots.error.startswith("refused: mixed.test (127.0.0.1) is a loopback address")
    assert site.hits == []
