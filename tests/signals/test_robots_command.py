"""``fetch_robots`` and ``scrapecheck robots URL`` against a real server on 127.0.0.1: the outcomes and the
limits of ``collect`` (RFC 9309), and no hang on a huge Retry-After or a trickling body."""

from __future__ import annotations

import dataclasses
import json
import time

import pytest

from scrapecheck.cli import main
from scrapecheck.errors import InputError
from scrapecheck.signals.fetch import ROBOTS_MAX_BYTES, collect, fetch_robots

from .conftest import FAST, Answer, Site, make_plan

RULES = "User-agent: *\nDisallow: /private/\n"
NO_RETRY = dataclasses.replace(FAST, retries=0, fetch_pages=False)


def robots_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["robots", *argv, "--allow-private"])  # the test server is on 127.0.0.1
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- fetch_robots: the robots half of collect ---------------------------------------------------------------


@pytest.mark.parametrize(("answer", "outcome"), [
    (Answer(body=RULES), "ok"),
    (Answer(status=404), "not-found"),
    (Answer(status=403), "refused"),
    (Answer(status=503), "unreachable"),
    (Answer(status=429), "unreachable"),
    (Answer(body="<!DOCTYPE html><html><title>x</title></html>", content_type="text/html"), "html"),
])
def test_fetch_robots_has_the_outcomes_of_collect(site: Site, answer: Answer, outcome: str) -> None:
    site.route("/robots.txt", answer)
    alone = fetch_robots(f"{site.origin}/some/page?x=1", user_agent="AcmeBot/1.0", config=NO_RETRY)
    together = collect(make_plan(f"{site.origin}/"), config=NO_RETRY).targets[site.origin]
    assert alone.origin == site.origin and alone.opt_outs is None
    assert alone.robots.url == f"{site.origin}/robots.txt"
    assert (alone.robots.outcome, alone.robots.status, alone.robots.body) == \
        (together.robots.outcome, together.robots.status, together.robots.body) == \
        (outcome, answer.status, together.robots.body)
    assert alone.problems == together.problems
    assert site.paths_hit() == ["/robots.txt", "/robots.txt"]
    assert site.hits[0][1] == "AcmeBot/1.0"


def test_fetch_robots_refuses_a_bad_url_before_any_request(site: Site) -> None:
    for url in ("http://[::1", "https://example.com:99999/", "ftp://example.com/", "http:///x"):
        with pytest.raises(InputError):
            fetch_robots(url, user_agent="A", config=NO_RETRY)
    with pytest.raises(InputError, match="user_agent"):
        fetch_robots(site.origin, user_agent=" ", config=NO_RETRY)
    assert site.hits == []


def test_huge_retry_after_is_not_honoured(site: Site) -> None:
    site.route("/robots.txt", status=503, headers={"Retry-After": "99999999999"})
    started = time.monotonic()
    target = fetch_robots(site.origin, user_agent="A", config=FAST)
    assert time.monotonic() - started < 2.0
    assert target.robots.outcome == "unreachable" and target.robots.attempts == 1
    assert any("over the 2s cap" in p and "not retried" in p for p in target.problems)


# --- the robots command over HTTP -----------------------------------------------------------------------------


def test_command_retry_after_of_years_ends_fast_as_unreachable(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.route("/robots.txt", status=503, headers={"Retry-After": "99999999999"})
    started = time.monotonic()
    code, out, err = robots_cli(capsys, f"{site.origin}/", "--agent", "A", "--timeout", "1", "/a", "/b")
    assert time.monotonic() - started < 3.0
    assert code == 0
    assert [line.split() for line in out.splitlines()] == [
        ["disallowed", "/a", "(robots.txt", "unreachable)"], ["disallowed", "/b", "(robots.txt", "unreachable)"]]
    assert "HTTP 503" in err and "complete disallow" in err and "not retried" in err
    assert site.paths_hit() == ["/robots.txt"]


def test_command_trickling_body_is_cut_by_the_total_time_limit(site: Site,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    site.route("/robots.txt", body=RULES + "#" * 2000, trickle=0.05)  # 16 bytes per 50 ms: ~7 s in all
    started = time.monotonic()
    code, out, err = robots_cli(capsys, site.origin, "--agent", "A", "--timeout", "0.3", "--retries", "0", "/x")
    assert time.monotonic() - started < 3.0
    assert code == 0 and out.split() == ["disallowed", "/x", "(robots.txt", "unreachable)"]
    assert "slow body" in err


def test_command_404_allows_and_says_why(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = robots_cli(capsys, f"{site.origin}/private/x", "--agent", "A")
    assert code == 0
    assert out.split() == ["allowed", "/private/x", "(robots.txt", "unavailable:", "no", "rules)"]
    assert "HTTP 404" in err


def test_command_more_than_five_redirects_allows_with_the_problem_on_stderr(
        site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.route("/robots.txt", status=301, headers={"Location": "/r1"})
    for n in range(1, 7):
        site.route(f"/r{n}", status=301, headers={"Location": f"/r{n + 1}"})
    code, out, err = robots_cli(capsys, site.origin, "--agent", "A", "--format", "json", "/private/x")
    document = json.loads(out)
    assert code == 0 and document["outcome"] == "not-found"
    assert document["results"] == [{"path": "/private/x", "allowed": True, "line": None, "rule": None,
                                    "reason": "robots.txt unavailable: no rules"}]
    assert document["fetch"]["error"].startswith("more than 5 redirects")
    assert len(document["fetch"]["redirects"]) == 5
    assert "more than 5 redirects" in err and "RFC 9309 2.3.1.2" in err


def test_command_rules_are_read_after_redirects(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    site.route("/robots.txt", status=302, headers={"Location": "/real.txt"})
    site.route("/real.txt", body=RULES)
    code, out, err = robots_cli(capsys, site.origin, "--agent", "A", "/private/x", "/public")
    assert code == 0 and err == ""
    assert out.splitlines() == ["disallowed  /private/x  line 2: Disallow: /private/",
                                "allowed     /public     (no matching rule)"]


def test_command_reads_only_the_first_500_kib(site: Site, capsys: pytest.CaptureFixture[str]) -> None:
    body = "User-agent: *\nDisallow: /early\n" + "#" * ROBOTS_MAX_BYTES + "\nDisallow: /late\n"
    site.robots(body)
    code, out, err = robots_cli(capsys, site.origin, "--agent", "A", "--format", "json", "/early", "/late")
    document = json.loads(out)
    assert code == 0 and document["truncated"] is True
    assert [r["allowed"] for r in document["results"]] == [False, True]
    assert "only the first" in err


def test_command_unreachable_server_disallows(closed_port: int, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = robots_cli(capsys, f"http://127.0.0.1:{closed_port}/", "--agent", "A", "--timeout", "1", "/")
    assert code == 0 and out.split() == ["disallowed", "/", "(robots.txt", "unreachable)"]
    assert "connection failed" in err


def test_command_help_documents_the_unreachable_exit_status(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["robots", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "disallowed (robots.txt unreachable)" in text and "exit status is 0" in text


@pytest.mark.parametrize("option", [["--timeout", "0"], ["--timeout", "nan"], ["--timeout", "inf"],
                                    ["--retries", "-1"]])
def test_command_bad_fetch_options_exit_2(site: Site, option: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = robots_cli(capsys, site.origin, "--agent", "A", *option)
    assert code == 2 and f"argument {option[0]}: must be" in err and site.hits == []
