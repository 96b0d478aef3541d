"""Plan format v1: defaults, validation messages with file and field path, TOML and JSON, snapshot files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import MINIMAL_PLAN, ROOT, write
from pydantic import ValidationError

from scrapecheck import CrawlPlan, PlanError, ScrapecheckError, load_plan


def test_minimal_plan_gets_documented_defaults(tmp_path: Path) -> None:
    plan = load_plan(write(tmp_path / "crawl.toml", MINIMAL_PLAN))
    assert plan.purpose.kind == "other"
    assert plan.access.authentication == "none"
    assert plan.use.lawful_basis == "unknown"
    assert plan.use.honours_deletion_requests is False
    assert plan.targets == []
    assert plan.source == str(tmp_path / "crawl.toml")


@pytest.mark.parametrize("extra, field, message", [
    ("[access]\naccounts = 3\n", "access.accounts", "unknown key"),
    ("[access]\nauthentication = \"borrowed\"\n", "access.authentication", "Input should be"),
    ("[[targets]]\nurl = \"ftp://example.com/\"\n", "targets[0].url", "http or https"),
    ("[[targets]]\nurl = \"file:///etc/passwd\"\n", "targets[0].url", "http or https"),
    ("[[targets]]\nurl = \"https://example.com/\"\npaths = [\"nope\"]\n", "targets[0].paths", "must start with '/'"),
    ("[[targets]]\nurl = \"https://example.com/\"\nrequests_per_second = 0\n", "targets[0].requests_per_second",
     "greater than 0"),
    ("[data]\nestimated_subjects = -1\n", "data.estimated_subjects", "greater than or equal to 0"),
    ("[purpose]\nkind = \"ai-trainig\"\n", "purpose.kind", "Input should be"),
    ("colour = \"blue\"\n", "crawler.colour", "unknown key"),
])
def test_bad_values_name_file_and_field(tmp_path: Path, extra: str, field: str, message: str) -> None:
    path = write(tmp_path / "crawl.toml", MINIMAL_PLAN + extra)
    with pytest.raises(PlanError) as caught:
        load_plan(path)
    assert caught.value.field == field
    assert str(caught.value).startswith(f"{path}: {field}: ")
    assert message in str(caught.value)
    assert isinstance(caught.value, ScrapecheckError)


def test_unknown_key_message_matches_the_contract(tmp_path: Path) -> None:
    path = write(tmp_path / "crawl.toml", MINIMAL_PLAN + "[access]\naccounts = 3\n")
    with pytest.raises(PlanError, match=r"crawl\.toml: access\.accounts: unknown key$"):
        load_plan(path)


def test_missing_required_key(tmp_path: Path) -> None:
    path = write(tmp_path / "p.toml", "version = 1\n[crawler]\nname = \"x\"\n")
    with pytest.raises(PlanError, match="crawler.user_agent: required key missing"):
        load_plan(path)


def test_several_problems_are_counted(tmp_path: Path) -> None:
    path = write(tmp_path / "p.toml", MINIMAL_PLAN + "[access]\nfoo = 1\nbar = 2\n")
    with pytest.raises(PlanError, match=r"and 1 more problem\)"):
        load_plan(path)


def test_only_version_1(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="version"):
        load_plan(write(tmp_path / "p.toml", MINIMAL_PLAN.replace("version = 1", "version = 2")))


@pytest.mark.parametrize("name, text, message", [
    ("p.toml", "version = 1\n[crawler\n", "invalid TOML"),
    ("p.json", "{\"version\": 1,", "invalid JSON"),
    ("p.yaml", "version: 1", "must end in .toml or .json"),
    ("p.json", "[1, 2]", r"a plan is a table \(object\), got a list"),
    ("p.json", "null", "got null"),
])
def test_unreadable_plans(tmp_path: Path, name: str, text: str, message: str) -> None:
    with pytest.raises(PlanError, match=message):
        load_plan(write(tmp_path / name, text))


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(PlanError, match="no such file"):
        load_plan(tmp_path / "absent.toml")
    binary = tmp_path / "b.toml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(PlanError, match="not UTF-8"):
        load_plan(binary)


def test_json_plan_equals_toml_plan(tmp_path: Path) -> None:
    data = {"version": 1, "crawler": {"name": "t", "user_agent": "TestBot/1.0"},
            "targets": [{"url": "https://example.com/a", "robots_txt": "User-agent: *\nDisallow: /a"}]}
    plan = load_plan(write(tmp_path / "p.json", json.dumps(data)))
    assert plan.targets[0].robots_txt.startswith("User-agent")
    assert CrawlPlan.model_validate(data).targets[0].url == "https://example.com/a"


def test_robots_txt_file_is_read_relative_to_the_plan(tmp_path: Path) -> None:
    write(tmp_path / "snap" / "robots.txt", "User-agent: *\nDisallow: /x\n")
    plan_dir = tmp_path
    plan = load_plan(write(plan_dir / "crawl.toml", MINIMAL_PLAN +
                           "[[targets]]\nurl = \"https://example.com/\"\nrobots_txt_file = \"snap/robots.txt\"\n"))
    assert plan.targets[0].robots_txt == "User-agent: *\nDisallow: /x\n"
    assert plan.targets[0].robots_txt_file == "snap/robots.txt"


def test_robots_txt_file_problems(tmp_path: Path) -> None:
    path = write(tmp_path / "crawl.toml", MINIMAL_PLAN +
                 "[[targets]]\nurl = \"https://example.com/\"\nrobots_txt_file = \"missing.txt\"\n")
    with pytest.raises(PlanError, match=r"targets\[0\]: cannot read robots_txt_file"):
        load_plan(path)
    both = write(tmp_path / "both.toml", MINIMAL_PLAN + "[[targets]]\nurl = \"https://example.com/\"\n"
                 "robots_txt = \"\"\nrobots_txt_file = \"x.txt\"\n")
    with pytest.raises(PlanError, match="not both"):
        load_plan(both)


def test_target_helpers() -> None:
    plan = CrawlPlan.model_validate({"crawler": {"name": "t", "user_agent": "T"}, "targets": [
        {"url": "HTTPS://Example.COM:443/a/b?q=1"}, {"url": "http://example.com:8080/"}]})
    first, second = plan.targets
    assert first.origin == "https://example.com"
    assert first.planned_paths == ["/a/b?q=1"]
    assert second.origin == "http://example.com:8080"
    assert second.planned_paths == ["/"]


def test_plan_is_frozen() -> None:
    plan = CrawlPlan.model_validate({"crawler": {"name": "t", "user_agent": "T"}})
    with pytest.raises(ValidationError, match="frozen"):
        plan.crawler.name = "other"  # type: ignore[misc]


def test_init_template_is_a_valid_plan(tmp_path: Path) -> None:
    template = ROOT / "src" / "scrapecheck" / "data" / "plan-template.toml"
    plan = load_plan(write(tmp_path / "crawl.toml", template.read_text()))
    assert plan.crawler.name == "my-crawl"


def _target_plan(tmp_path: Path, target: str, extra: str = "") -> Path:
    return write(tmp_path / "crawl.toml", MINIMAL_PLAN + "[[targets]]\n" + target + "\n" + extra)


@pytest.mark.parametrize("url, message", [
    ("https://user:pw@example.com/", "must not carry credentials"),
    ("https://example.com:99999/", "invalid port"),
    ("https://example.com:abc/", "invalid port"),
    ("https://example.com:0/", "invalid port"),
    ("https://exa mple.com/", "invalid host"),
    ("https://-/", "invalid host"),
    ("https:///path", "has no host"),
])
def test_bad_target_urls(tmp_path: Path, url: str, message: str) -> None:
    with pytest.raises(PlanError, match=message):
        load_plan(_target_plan(tmp_path, f'url = "{url}"'))


@pytest.mark.parametrize("url, origin", [
    ("https://[::1]:8443/a", "https://[::1]:8443"),
    ("https://bücher.example/", "https://bücher.example"),
    ("http://127.0.0.1/", "http://127.0.0.1"),
])
def test_unusual_but_valid_hosts(tmp_path: Path, url: str, origin: str) -> None:
    assert load_plan(_target_plan(tmp_path, f'url = "{url}"')).targets[0].origin == origin


@pytest.mark.parametrize("text, message", [
    ('user_agent = "Acme\\r\\nX-Injected: yes"', "control character"),
    ('name = "\\u001b[31mred"', "control character"),
])
def test_control_characters_are_refused(tmp_path: Path, text: str, message: str) -> None:
    plan = "version = 1\n[crawler]\nname = \"t\"\nuser_agent = \"T\"\n"
    key = text.split(" = ")[0]
    plan = "\n".join(line for line in plan.splitlines() if not line.startswith(key + " ")) + "\n" + text + "\n"
    with pytest.raises(PlanError, match=message):
        load_plan(write(tmp_path / "p.toml", plan))


def test_description_may_span_lines(tmp_path: Path) -> None:
    plan = load_plan(write(tmp_path / "p.toml", MINIMAL_PLAN + '[purpose]\ndescription = """one\ntwo"""\n'))
    assert plan.purpose.description == "one\ntwo"


@pytest.mark.parametrize("value", ["nan", "inf", "-1.0"])
def test_rates_and_thresholds_must_be_finite_and_positive(tmp_path: Path, value: str) -> None:
    with pytest.raises(PlanError, match="requests_per_second"):
        load_plan(_target_plan(tmp_path, f'url = "https://e.example/"\nrequests_per_second = {value}'))
    with pytest.raises(PlanError, match="thresholds.flood_request_rate"):
        load_plan(write(tmp_path / "t.toml", MINIMAL_PLAN + f"[thresholds]\nflood_request_rate = {value}\n"))


def test_conflicting_snapshots_for_one_origin(tmp_path: Path) -> None:
    plan = MINIMAL_PLAN + ('[[targets]]\nurl = "https://e.example/a"\nrobots_txt = ""\n'
                           '[[targets]]\nurl = "https://e.example/b"\nrobots_txt = "User-agent: *\\nDisallow: /"\n')
    with pytest.raises(PlanError, match=r"targets\[0\] and targets\[1\] give different robots.txt snapshots"):
        load_plan(write(tmp_path / "p.toml", plan))


@pytest.mark.parametrize("name, message", [
    ("/etc/hostname", "must be relative"),
    ("../outside.txt", "outside the plan's folder"),
    ("snapdir", "not a regular file"),
])
def test_snapshot_files_stay_inside_the_plan_folder(tmp_path: Path, name: str, message: str) -> None:
    (tmp_path / "outside.txt").write_text("User-agent: *\n")
    plan_dir = tmp_path / "plans"
    (plan_dir / "snapdir").mkdir(parents=True)
    with pytest.raises(PlanError, match=message):
        load_plan(_target_plan(plan_dir, f'url = "https://e.example/"\nrobots_txt_file = "{name}"'))


def test_special_and_huge_snapshot_files_are_refused_without_reading_them(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    with pytest.raises(PlanError, match="not a regular file"):
        load_plan(_target_plan(tmp_path, 'url = "https://e.example/"\nrobots_txt_file = "fifo.txt"'))
    (tmp_path / "big.txt").write_bytes(b"#" * (11 * 1024 * 1024))
    with pytest.raises(PlanError, match="over"):
        load_plan(_target_plan(tmp_path, 'url = "https://e.example/"\nrobots_txt_file = "big.txt"'))


@pytest.mark.parametrize("section, key, value", [
    ("use", "sell", '"true"'), ("use", "sell", "1"), ("use", "train_models", '"yes"'),
    ("use", "honours_deletion_requests", "0"), ("use", "dpia_done", '"false"'),
    ("purpose", "commercial", '"true"'), ("access", "automated_signup", "1"),
    ("access", "accepted_terms", '"no"'), ("data", "personal", '"true"'),
])
def test_booleans_are_strict(tmp_path: Path, section: str, key: str, value: str) -> None:
    """Issue 14: `sell = "true"` was silently coerced to True; a boolean must be written as one."""
    path = write(tmp_path / "crawl.toml", MINIMAL_PLAN + f"[{section}]\n{key} = {value}\n")
    with pytest.raises(PlanError, match=rf"{section}\.{key}: .*boolean"):
        load_plan(path)


def test_strict_booleans_also_in_json_and_the_api(tmp_path: Path) -> None:
    data = {"crawler": {"name": "t", "user_agent": "T/1"}, "use": {"sell": "true"}}
    path = write(tmp_path / "crawl.json", json.dumps(data))
    with pytest.raises(PlanError, match=r"use\.sell"):
        load_plan(path)
    with pytest.raises(ValidationError):
        CrawlPlan.model_validate(data)
    data["use"]["sell"] = True
    assert CrawlPlan.model_validate(data).use.sell is True


@pytest.mark.parametrize("host", [
    "example.com", "example.com.", "a..", "a..b", ".a", ".", "..", "a.", "a" * 63 + ".com", "a" * 64 + ".com",
    "com." + "a" * 63, "com." + "a" * 64, "com." + "a" * 63 + ".", "x_y.example", "-a.example", "a-.example",
    "EXAMPLE.COM", "xn--bcher-kva.de", "xn--.de", "a b.com", "a*b.com", "1.2.3", "[::1]", "a." * 130 + "b",
])
def test_ascii_host_check_answers_as_the_idna_codec_route(host: str) -> None:
    """Issue 10: an ASCII host is checked without the ``idna`` codec (and its tables); the answer must be the one
    the codec route gives, empty and over-long labels included."""
    import ipaddress

    from scrapecheck.plan import _LABEL, _valid_host

    def through_codec(name: str) -> bool:
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            pass
        try:
            ascii_name = name.encode("idna").decode("ascii")
        except UnicodeError:
            return False
        return all(_LABEL.match(label) for label in ascii_name.rstrip(".").split("."))

    assert _valid_host(host) == through_codec(host)


def test_resolve_reads_every_plan_field_and_refuses_other_paths(tmp_path: Path) -> None:
    """``CrawlPlan.resolve`` keeps field names per model class (issue 10): every plan field path gives the
    attribute's value, and a path through a non-model value or to a non-field is a KeyError, however often asked."""
    from scrapecheck.plan import field_paths, parse_plan

    plan = parse_plan({"crawler": {"name": "n", "user_agent": "A/1"},
                       "data": {"personal": True, "categories": ["health"]},
                       "targets": [{"url": "https://a.example/"}]})
    for _ in range(2):  # the second round answers from the kept names
        for path in field_paths():
            value = plan
            for part in path.split("."):
                value = getattr(value, part)
            assert plan.resolve(path) == value, path
        for wrong in ("nope", "crawler.nope", "crawler.name.upper", "data.categories.0", "targets.url",
                      "source.x", "resolve", "model_fields", "crawler.model_config", "", "crawler."):
            with pytest.raises(KeyError):
                plan.resolve(wrong)
