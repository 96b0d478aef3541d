"""The HTML report in a real browser: Debian's chromium, headless, driven over the DevTools protocol.

The page is opened from a file with no network needed. The test finds every finding in the rendered page,
takes a screenshot and prints to PDF (the reviewer's signing copy), and fails on any console message, script
error, Content-Security-Policy report or request other than the file itself. A control page with one
external image shows the harness catches a request. ``.ci/run`` installs chromium when it is absent; outside
CI a machine without it skips this test, in CI it fails.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import pytest
from conftest import EXAMPLES
from test_html import HOSTILE_PLAN, hostile_report

from scrapecheck import evaluate, load_plan
from scrapecheck.baseline import apply_baseline, record
from scrapecheck.formats import html
from scrapecheck.formats.interface import RenderContext
from scrapecheck.report import Report
from scrapecheck.waivers import Waiver

websocket = pytest.importorskip("websocket", reason="websocket-client is in the dev extra")

BROWSERS = ("chromium", "chromium-browser")


def _browser() -> str:
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package")
    pytest.skip("chromium is not installed (apt-get install chromium)")


class DevTools:
    """A minimal DevTools-protocol client: send commands, keep every event for the assertions."""

    def __init__(self, url: str) -> None:
        self.socket = websocket.create_connection(url, timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, **params: Any) -> dict[str, Any]:
        self.next_id += 1
        ident = self.next_id
        self.socket.send(json.dumps({"id": ident, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message.get("result", {}))
            if "method" in message:
                self.events.append(message)

    def wait_for(self, method: str) -> dict[str, Any]:
        while True:
            found = next((e for e in self.events if e["method"] == method), None)
            if found:
                return found
            message = json.loads(self.socket.recv())
            if "method" in message:
                self.events.append(message)

    def of(self, method: str) -> list[dict[str, Any]]:
        return [event["params"] for event in self.events if event["method"] == method]


@contextmanager
def chromium(profile: Path) -> Iterator[DevTools]:
    command = [_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-port=0",
               f"--user-data-dir={profile}", "--no-first-run", "--no-default-browser-check",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-extensions", "--disable-default-apps", "--mute-audio", "about:blank"]
    profile.mkdir(parents=True, exist_ok=True)
    (profile / "DevToolsActivePort").unlink(missing_ok=True)
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 60  # a start-up bound, not a measurement
        while not port_file.exists() or not port_file.read_text().strip():
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"chromium did not start (exit status {process.poll()})")
            time.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as response:
            pages = [t for t in json.load(response) if t["type"] == "page"]
        tools = DevTools(pages[0]["webSocketDebuggerUrl"])
        try:
            yield tools
        finally:
            tools.socket.close()
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DevTools]:
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as tools:
        yield tools


def load(tools: DevTools, path: Path) -> str:
    """Open ``path``; events from earlier pages are dropped first."""
    tools.events.clear()
    for domain in ("Page", "Network", "Runtime", "Log"):
        tools.call(f"{domain}.enable")
    tools.call("Emulation.setDeviceMetricsOverride", width=1200, height=1600, deviceScaleFactor=1, mobile=False)
    url = path.as_uri()
    tools.call("Page.navigate", url=url)
    tools.wait_for("Page.loadEventFired")
    return url


def problems(tools: DevTools, url: str) -> list[str]:
    """Everything the page did that a self-contained report must not do."""
    found = [f"request {p['request']['url']}" for p in tools.of("Network.requestWillBeSent")
             if p["request"]["url"] != url]
    found += [f"failed {p.get('errorText')} {p.get('blockedReason', '')}" for p in tools.of("Network.loadingFailed")]
    found += [f"console.{p['type']}: {p.get('args')}" for p in tools.of("Runtime.consoleAPICalled")]
    found += [f"exception: {p['exceptionDetails'].get('text')}" for p in tools.of("Runtime.exceptionThrown")]
    found += [f"log {p['entry']['level']}: {p['entry']['text']}" for p in tools.of("Log.entryAdded")]
    return found


def evaluate_js(tools: DevTools, expression: str) -> Any:
    result = tools.call("Runtime.evaluate", expression=expression, returnByValue=True)
    return result["result"].get("value")


def reviewer_page(tmp_path: Path) -> tuple[Path, list[Report]]:
    """Several plans on one page: a waived finding, two baseline ones, hostile text from a plan and a site."""
    plan = load_plan(EXAMPLES / "plans" / "linkedin-fake-accounts.toml").model_copy(
        update={"source": "examples/plans/linkedin-fake-accounts.toml"})
    first = evaluate(plan, offline=True, waivers=[Waiver(rule="ACC-001", reason="Counsel accepted <b>this</b>",
                                                         expires=date(2099, 1, 1))])
    first = apply_baseline(first, record([first.model_copy(update={"findings": first.findings[2:4]})]))
    clean = load_plan(EXAMPLES / "plans" / "clean-archiving.toml").model_copy(
        update={"source": "examples/plans/clean-archiving.toml"})
    reports = [first, evaluate(clean, offline=True), hostile_report()]
    details = {"examples/plans/linkedin-fake-accounts.toml": plan.model_dump(mode="json"),
               "examples/plans/clean-archiving.toml": clean.model_dump(mode="json"),
               reports[2].plan["source"]: HOSTILE_PLAN}
    path = tmp_path / "report.html"
    path.write_text(html.render_many(reports, RenderContext(plan_details=details)), encoding="utf-8")
    return path, reports


def test_report_in_chromium(browser: DevTools, tmp_path: Path) -> None:
    page, reports = reviewer_page(tmp_path)
    tools = browser
    url = load(tools, page)
    shown = evaluate_js(tools, "Array.from(document.querySelectorAll('article.finding')).map(a => "
                               "[a.id, a.dataset.rule, a.getBoundingClientRect().height > 0, "
                               "a.classList.contains('known'), a.classList.contains('waived')])")
    expected = [(f.rule_id, f.baseline, f.suppressed) for r in reports for f in r.findings]
    assert [(rule, known, waived) for _, rule, _, known, waived in shown] == expected
    assert all(visible for _, _, visible, _, _ in shown)
    assert evaluate_js(tools, "typeof window.__pwned") == "undefined"  # the hostile plan ran nothing
    assert evaluate_js(tools, "document.querySelectorAll('script, img, iframe').length") == 0
    bars = evaluate_js(tools, "document.querySelectorAll('svg.chart rect.bar').length")
    assert bars == sum(1 for r in reports for n in r.counts.values() if n)

    height = evaluate_js(tools, "Math.ceil(document.documentElement.scrollHeight)")
    tools.call("Emulation.setDeviceMetricsOverride", width=1200, height=min(int(height), 16000),
               deviceScaleFactor=1, mobile=False)
    shot = base64.b64decode(tools.call("Page.captureScreenshot", format="png")["data"])
    assert shot.startswith(b"\x89PNG") and len(shot) > 10_000
    (tmp_path / "report.png").write_bytes(shot)

    pdf = base64.b64decode(tools.call("Page.printToPDF", printBackground=False, preferCSSPageSize=True)["data"])
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") + pdf.count(b"/Type/Page") >= 2
    (tmp_path / "report.pdf").write_bytes(pdf)
    assert problems(tools, url) == []


def test_harness_sees_an_external_request(browser: DevTools, tmp_path: Path) -> None:
    """The control: the same checks on a page that asks for an image elsewhere must report it."""
    leaky = tmp_path / "leaky.html"
    leaky.write_text('<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title></head><body>'
                     '<img src="http://127.0.0.1:9/pixel.png"></body></html>', encoding="utf-8")
    url = load(browser, leaky)
    found = problems(browser, url)
    assert found and any("127.0.0.1:9" in item for item in found), found
