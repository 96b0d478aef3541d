"""Issue 14, safe output: control and bidi characters never reach a terminal raw, and Markdown shows text from
plans, sites and signals as text (no link, image, HTML, broken code span, or a target closing ``<details>``)."""

from __future__ import annotations

import http.server
import re
import threading
from pathlib import Path
from typing import Iterator

import pytest
from conftest import MINIMAL_PLAN, write

from scrapecheck.cli import main

ESC = "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\\x1b[2J"
BIDI = "\u202eevil\u202c"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

HOSTILE_NAME = "x](https://evil.example/) ![img](https://evil.example/i.png) <img src=x onerror=alert(1)>"
HOSTILE_TARGET = "https://example.com/</details><script>alert(1)</script>"


def outside_code(markdown: str) -> str:
    """The Markdown with code spans removed: what is left is what a renderer interprets."""
    return re.sub(r"(`+)(?!`).*?(?<!`)\1(?!`)", "", markdown)


def _markdown(tmp_path: Path, capsys, plan_text: str) -> str:
    plan = write(tmp_path / "plan.toml", plan_text)
    main(["check", str(plan), "--offline", "--isolated", "--format", "markdown"])
    return outside_code(capsys.readouterr().out)


def _plan(name: str = "t", url: str = "https://example.com/", robots: str = "User-agent: *\\nDisallow: /\\n") -> str:
    return (MINIMAL_PLAN.replace('name = "t"', f"name = {name!r}".replace("'", '"'))
            + '[purpose]\nkind = "ai-training"\n[data]\npersonal = true\n'
            + f'[[targets]]\nurl = "{url}"\nrobots_txt = "{robots}"\n')


def test_markdown_renders_no_link_image_or_html_from_a_plan(tmp_path: Path, capsys) -> None:
    out = _markdown(tmp_path, capsys, _plan(name=HOSTILE_NAME.replace('"', "")))
    assert "](https://evil" not in out  # no live link or image syntax
    assert "<img" not in out


def test_a_robots_comment_cannot_make_a_link_or_image(tmp_path: Path, capsys) -> None:
    comment = "# Notice: scraping is prohibited without permission ![x](https://evil.example/p.png) [click](https://evil.example/)"
    out = _markdown(tmp_path, capsys, _plan(robots=f"{comment}\\nUser-agent: *\\nDisallow: /\\n"))
    assert "![x](https://evil.example" not in out and "[click](https://evil.example" not in out


def test_a_target_url_cannot_close_details(tmp_path: Path, capsys) -> None:
    from scrapecheck import evaluate, load_plan
    from scrapecheck.formats import markdown

    report = evaluate(load_plan(write(tmp_path / "p.toml", _plan())), offline=True)
    hostile = report.model_copy(update={"findings": [f.model_copy(update={"target": HOSTILE_TARGET,
                                                                          "message": f"m {HOSTILE_TARGET} `x"})
                                                     for f in report.findings]})
    out = outside_code(markdown.render(hostile))
    assert out.count("</details>") == out.count("<details>") == len(report.findings)
    assert "<script>" not in out


def test_code_spans_cannot_be_broken() -> None:
    from scrapecheck.formats.markdown import _code

    for value in ("a`b", "``", "`start", "end`", "x ``` y"):
        span = _code(value)
        fence = re.match(r"`+", span).group()  # type: ignore[union-attr]
        inner = span[len(fence):-len(fence)]
        assert span.endswith(fence) and fence not in inner.strip()


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        if self.path == "/robots.txt":
            body = f"# {ESC} {BIDI}\nUser-agent: *\nDisallow: /{ESC}\n".encode()
            self.send_response(200)
        else:
            body = b"no"
            self.send_response(302)
            self.send_header("Location", "/x\x1b[31mred")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_robots_command_output_has_no_raw_escapes(server: str, capsys) -> None:
    code = main(["robots", server + "/", "--agent", "A", "--allow-private", f"/{ESC}", f"/{BIDI}"])
    captured = capsys.readouterr()
    assert code == 0
    assert not RAW.search(captured.out) and not RAW.search(captured.err), (captured.out, captured.err)


def test_robots_command_on_a_file_has_no_raw_escapes(tmp_path: Path, capsys) -> None:
    robots = tmp_path / "robots.txt"
    robots.write_text(f"User-agent: *\nDisallow: /a{ESC}{BIDI}\n")
    assert main(["robots", str(robots), "--agent", "A", f"/a{ESC}{BIDI}"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("disallowed") and not RAW.search(out)


def test_fetch_summary_and_errors_have_no_raw_escapes(server: str, tmp_path: Path, capsys) -> None:
    plan = write(tmp_path / "plan.toml", MINIMAL_PLAN + f'[[targets]]\nurl = "{server}/start"\n')
    main(["fetch", str(plan), "--allow-private", "--retries", "0", "-o", str(tmp_path / "s.json")])
    captured = capsys.readouterr()
    assert not RAW.search(captured.err), captured.err


def test_error_messages_on_stderr_have_no_raw_escapes(tmp_path: Path, capsys) -> None:
    code = main(["check", str(tmp_path / f"missing{ESC}{BIDI}.toml")])
    err = capsys.readouterr().err
    assert code == 2 and not RAW.search(err) and "\\x1b" in err


@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_machine_formats_escape_bidi_and_c1_losslessly(tmp_path: Path, capsys, fmt: str) -> None:
    """JSON documents are read by people too (GitHub shows SARIF messages): no raw bidi or C1 character, yet
    the decoded values are exactly what the plan and the site gave (JSON ``\\uNNNN`` escapes)."""
    import json

    name = f"n{BIDI}\x85\u2028x"  # TOML takes these raw in a basic string
    plan_text = _plan(robots=f"# {BIDI}\\nUser-agent: *\\nDisallow: /\\n").replace('name = "t"', f'name = "{name}"')
    plan = write(tmp_path / "plan.toml", plan_text)
    main(["check", str(plan), "--offline", "--isolated", "--format", fmt])
    out = capsys.readouterr().out
    assert not re.search("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]", out), out
    decoded = json.dumps(json.loads(out), ensure_ascii=False)
    if fmt != "gitlab":  # GitLab's Code Quality issues carry neither the plan's name nor robots.txt comments
        assert BIDI in decoded  # the robots.txt comment (evidence, snapshot), character for character
    if fmt == "json":
        assert name in decoded


def test_escapes_are_exactly_the_character_classes_on_every_code_point() -> None:
    """``visible`` and ``json_safe`` translate characters (issue 10: no regex compiled at start-up); they must give
    what substituting the documented character classes gives, on every code point and on mixed strings."""
    import re

    from scrapecheck.formats._escape import BIDI, json_safe, visible

    def escape(match: re.Match[str]) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    unsafe = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f{BIDI}]")
    keep_lines = re.compile(f"[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f{BIDI}]")
    in_json = re.compile(f"[\\x7f-\\x9f{BIDI}\\u2028\\u2029]")
    texts = [chr(code) for code in range(0x110000) if not 0xD800 <= code < 0xE000]
    texts += ["a\nb\x1b[31m\u202eevil\u202c\x85\u2028z", "", "plain ascii", "caf\xe9 \U0001F600"]
    for text in texts:
        assert visible(text) == unsafe.sub(escape, text)
        assert visible(text, keep_newlines=True) == keep_lines.sub(escape, text)
        assert json_safe(text) == in_json.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    assert visible("\x1b") == "\\x1b" and visible("\u202e") == "\\u202e" and visible(7) == "7"


def test_json_safe_escapes_lone_surrogates_so_the_document_encodes() -> None:
    """A lone surrogate (a URL "\\ud800" in a plan or a Guard's log) has no UTF-8 form: raw, the write failed."""
    import json

    from scrapecheck.formats._escape import json_safe

    for text in ("x\ud800y", "\udfff", "\ud83d\ude00 two halves", "ok \U0001F600"):
        document = json_safe(json.dumps({"url": text}, ensure_ascii=False))
        document.encode("utf-8")  # no UnicodeEncodeError
        decoded = json.loads(document)["url"]
        assert decoded == text or decoded == text.encode("utf-16", "surrogatepass").decode("utf-16")  # pair joined
