"""Large recorded signals: the lazy per-origin index over a signals file agrees with loading it whole."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import scrapecheck._files
from scrapecheck.cli import main
from scrapecheck.errors import SignalsError
from scrapecheck.signals.index import SignalsIndex
from scrapecheck.signals.model import RobotsSignal, Signals, TargetSignals
from scrapecheck.signals.snapshot import load_signals, save_signals

from .data import SIGNALS


def _recorded(tmp_path: Path) -> Path:
    odd = "https://bücher.example:8443"
    targets = {origin: TargetSignals.model_validate(entry) for origin, entry in SIGNALS["targets"].items()}
    targets[odd] = TargetSignals(origin=odd, robots=RobotsSignal(
        url=f"{odd}/robots.txt", outcome="ok", status=200,
        body='User-agent: *\nDisallow: /"quoted" {braces} [brackets] \\ back\nAllow: /ü\n'))
    return save_signals(Signals(targets=targets, collected_at="2026-01-01T00:00:00Z"), tmp_path / "signals.json")


def test_the_index_reads_each_origin_as_loading_the_whole_file_does(tmp_path: Path) -> None:
    path = _recorded(tmp_path)
    whole = load_signals(path)
    index = SignalsIndex(path)
    assert sorted(index) == sorted(whole.targets) and len(index) == 5
    for origin, expected in whole.targets.items():
        assert index.get(origin) == expected
    assert index.get("https://nowhere.example") is None
    index.close()


def test_compact_json_with_escaped_keys_and_a_bom(tmp_path: Path) -> None:
    data = {"targets": {"https://a.example": SIGNALS["targets"]["https://a.example"]}, "version": 1}
    text = json.dumps(data, separators=(",", ":"), ensure_ascii=True).replace("https://a.example", "https:\\/\\/a.example", 1)
    path = tmp_path / "s.json"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    index = SignalsIndex(path)
    assert list(index) == ["https://a.example"]
    assert index.get("https://a.example").robots.status == 200  # type: ignore[union-attr]


@pytest.mark.parametrize("text, words", [
    ("", "empty"),
    ("[]", "expected '{'"),
    ('{"version": 1, "targets": {"https://a.example": {"origin": "x"}', "unexpected end"),
    ('{"version": 1, "targets": {"https://a.example": {"origin": "x}}}', "unterminated string"),
    ('{"version": 1} trailing', "extra data"),
    ('{"version": 2, "targets": {}}', "unsupported signals file version"),
    ('{"version": 1, "targets": {}, "surprise": 1}', "surprise"),
])
def test_a_broken_file_is_one_clear_error(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "s.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SignalsError) as caught:
        SignalsIndex(path)
    assert words in str(caught.value) and str(path) in str(caught.value)


def test_a_bad_entry_is_reported_when_read_with_its_field(tmp_path: Path) -> None:
    entry = {"origin": "https://a.example", "robots": {"url": "https://a.example/robots.txt", "status": "200"}}
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"version": 1, "targets": {"https://a.example": entry}}), encoding="utf-8")
    index = SignalsIndex(path)
    with pytest.raises(SignalsError) as caught:
        index.get("https://a.example")
    assert "targets.https://a.example.robots.status" in str(caught.value)


def test_over_the_limit_not_a_file_and_missing_are_clear(tmp_path: Path) -> None:
    path = _recorded(tmp_path)
    with pytest.raises(SignalsError, match="over the 100-byte limit of a signals file"):
        SignalsIndex(path, max_bytes=100)
    with pytest.raises(SignalsError, match="no such file"):
        SignalsIndex(tmp_path / "missing.json")
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(SignalsError, match="directory"):
        SignalsIndex(tmp_path / "dir.json")
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    with pytest.raises(SignalsError, match="not a regular file"):
        SignalsIndex(fifo)


def test_the_audit_reads_signals_files_over_the_whole_file_limit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    path = _recorded(tmp_path)
    monkeypatch.setattr(scrapecheck._files, "MAX_FILE_BYTES", 100)  # what load_signals refuses over
    urls = tmp_path / "urls.txt"
    urls.write_text("https://a.example/private/x\nhttps://xn--bcher-kva.example:8443/%C3%BC\n", encoding="utf-8")
    out = tmp_path / "rows.csv"
    assert main(["audit", str(urls), "--agent", "AcmeBot", "--purpose", "research", "--signals", str(path),
                 "-o", str(out), "-q"]) == 0
    lines = out.read_text(encoding="utf-8").splitlines()
    assert ",disallowed,2,Disallow: /private/," in lines[1]
    assert ",allowed,3,Allow: /ü," in lines[2]
    broken = tmp_path / "broken.json"
    broken.write_text('{"version": 1, "targets": {', encoding="utf-8")
    assert main(["audit", str(urls), "--agent", "AcmeBot", "--purpose", "research", "--signals", str(broken),
                 "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "broken.json" in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_the_index_travels_to_workers_as_spans_and_notices_a_changed_file(tmp_path: Path) -> None:
    import pickle

    path = _recorded(tmp_path)
    index = SignalsIndex(path)
    copy = pickle.loads(pickle.dumps(index))
    assert copy.get("https://a.example") == index.get("https://a.example")
    copy.close()
    data = pickle.dumps(index)
    path.write_text(path.read_text(encoding="utf-8") + " ", encoding="utf-8")
    with pytest.raises(SignalsError, match="changed while the audit was reading it"):
        pickle.loads(data)
