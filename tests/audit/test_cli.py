"""``scrapecheck audit``: input formats, outputs and side tables, filter mode, and clear errors (exit 2)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from .data import ACME, URLS

from scrapecheck.audit.columns import agents_from, domain_columns, origin_columns, row_columns, summary_columns
from scrapecheck.cli import main


def audit(*args: str) -> int:
    return main(["audit", *args])


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write_inputs(tmp: Path) -> dict[str, Path]:
    text = tmp / "urls.txt"
    text.write_text("# a comment\n" + "\n".join(URLS[:3]) + "\n\n" + "\n".join(URLS[3:]) + "\n", encoding="utf-8")
    table = tmp / "data.csv"
    with open(table, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "link", "text"])
        for i, url in enumerate(URLS):
            writer.writerow([i, url, f"line one\nline two, \"quoted\" {i}"])
    tsv = tmp / "data.tsv"
    tsv.write_text("url\tn\n" + "".join(f"{u}\t{i}\n" for i, u in enumerate(URLS)), encoding="utf-8")
    jsonl = tmp / "data.jsonl"
    jsonl.write_text("".join(json.dumps({"meta": {"u": u}, "n": i}) + "\n" for i, u in enumerate(URLS)),
                     encoding="utf-8")
    return {"text": text, "csv": table, "tsv": tsv, "jsonl": jsonl}


@pytest.mark.parametrize("kind, options", [
    ("text", []), ("csv", ["--column", "link"]), ("tsv", []), ("jsonl", ["--field", "meta.u"]),
])
def test_each_input_format_gives_one_row_per_url_in_order(tmp_path: Path, signals_file: Path, kind: str,
                                                           options: list[str]) -> None:
    inputs = write_inputs(tmp_path)
    out = tmp_path / "out.csv"
    assert audit(str(inputs[kind]), *options, "--agent", "AcmeBot", "--purpose", "ai-training",
                 "--signals", str(signals_file), "-o", str(out), "-q") == 0
    rows = read_csv(out)
    assert [r["url"] for r in rows] == URLS
    assert [r["acmebot_verdict"] for r in rows] == ACME
    assert [r["row"] for r in rows] == [str(i) for i in range(len(URLS))]


def test_parquet_input_and_output(tmp_path: Path, signals_file: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    source = tmp_path / "in.parquet"
    pq.write_table(pa.table({"n": list(range(len(URLS))), "url": URLS}), source)
    out = tmp_path / "out.parquet"
    assert audit(str(source), "--agent", "AcmeBot", "--purpose", "ai-training", "--signals", str(signals_file),
                 "-o", str(out), "-q") == 0
    table = pq.read_table(out)
    assert table.column("acmebot_verdict").to_pylist() == ACME
    assert table.schema.field("row").type == pa.int64() and table.schema.field("keep").type == pa.bool_()
    assert pq.read_table(tmp_path / "out.summary.parquet").column("urls").to_pylist() == [len(URLS)]


def test_side_tables(tmp_path: Path, signals_file: Path) -> None:
    inputs = write_inputs(tmp_path)
    out = tmp_path / "report.csv"
    assert audit(str(inputs["text"]), "--agent", "AcmeBot", "--agent", "GPTBot", "--purpose", "ai-training",
                 "--signals", str(signals_file), "-o", str(out), "-q") == 0
    agents = agents_from(["AcmeBot", "GPTBot"])
    origins = read_csv(tmp_path / "report.origins.csv")
    assert list(origins[0]) == [c.name for c in origin_columns(agents)]
    by_origin = {r["origin"]: r for r in origins}
    assert by_origin["https://a.example"]["urls"] == "3"
    assert by_origin["https://a.example"]["acmebot_disallowed"] == "1"
    assert by_origin["https://a.example"]["acmebot_reserved"] == "2"
    assert by_origin["https://b.example"]["robots_outcome"] == "unreachable"
    domains = read_csv(tmp_path / "report.domains.csv")
    assert list(domains[0]) == [c.name for c in domain_columns(agents)]
    summary = read_csv(tmp_path / "report.summary.csv")
    assert list(summary[0]) == [c.name for c in summary_columns(agents)]
    head = summary[0]
    assert head["urls"] == "8" and head["origins"] == "5" and head["invalid"] == "1" and head["kept"] == "1"
    assert float(head["unreachable_share"]) == pytest.approx(1 / 8)
    assert float(head["acmebot_disallowed_share"]) == pytest.approx(2 / 8)
    assert float(head["acmebot_reserved_share"]) == pytest.approx(3 / 8)
    assert float(head["gptbot_disallowed_share"]) == pytest.approx(4 / 8)


def test_jsonl_output_and_stdout(tmp_path: Path, signals_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    inputs = write_inputs(tmp_path)
    assert audit(str(inputs["text"]), "--agent", "AcmeBot", "--purpose", "ai-training", "--signals",
                 str(signals_file), "--format", "jsonl") == 0
    captured = capsys.readouterr()
    rows = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["acmebot_verdict"] for r in rows] == ACME
    assert list(rows[0]) == [c.name for c in row_columns(agents_from(["AcmeBot"]))]
    assert rows[0]["keep"] is False and rows[0]["robots_status"] == 200 and rows[0]["error"] is None
    assert "urls: 8" in captured.err


def test_filter_keeps_other_columns_byte_for_byte(tmp_path: Path, signals_file: Path) -> None:
    inputs = write_inputs(tmp_path)
    out = tmp_path / "kept.csv"
    assert audit(str(inputs["csv"]), "--column", "link", "--agent", "AcmeBot", "--purpose", "ai-training",
                 "--signals", str(signals_file), "--filter", "-o", str(out), "-q") == 0
    original = inputs["csv"].read_bytes()
    kept = out.read_bytes()
    rows = read_csv(out)
    assert [r["link"] for r in rows] == [u for u, v in zip(URLS, ACME) if v == "allowed"]
    assert kept.startswith(b"id,link,text\r\n")  # the header and the records exactly as written
    assert rows[0]["text"] == 'line one\nline two, "quoted" 7'
    assert kept == b"id,link,text\r\n" + original[original.index(b"7,https://e.example"):]


@pytest.mark.parametrize("kind, options", [("text", []), ("jsonl", ["--field", "meta.u"]), ("tsv", [])])
def test_filter_other_formats_with_reasons(tmp_path: Path, signals_file: Path, kind: str,
                                           options: list[str]) -> None:
    inputs = write_inputs(tmp_path)
    out = tmp_path / f"kept.{inputs[kind].suffix}"
    assert audit(str(inputs[kind]), *options, "--agent", "AcmeBot", "--purpose", "search-indexing",
                 "--signals", str(signals_file), "--filter", "--keep-reasons", "-o", str(out), "-q") == 0
    text = out.read_text(encoding="utf-8")
    kept = [u for u, v in zip(URLS, ["allowed" if x == "allowed" else x for x in
                                     ["allowed", "disallowed", "disallowed", "allowed", "invalid", "unknown",
                                      "allowed", "allowed"]]) if v == "allowed"]
    for url in kept:
        assert url in text
    assert "https://a.example/private/y" not in text and "ftp://x/y" not in text
    assert "AcmeBot: allowed" in text
    if kind == "text":
        assert text.startswith("# a comment\n")
    if kind == "jsonl":
        first = json.loads(text.splitlines()[0])
        assert first["meta"] == {"u": URLS[0]} and first["n"] == 0 and "scrapecheck_reason" in first
    if kind == "tsv":
        assert text.splitlines()[0] == "url\tn\tscrapecheck_reason"


def test_filter_parquet(tmp_path: Path, signals_file: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    source = tmp_path / "in.parquet"
    pq.write_table(pa.table({"n": list(range(len(URLS))), "url": URLS}), source)
    out = tmp_path / "kept.parquet"
    assert audit(str(source), "--agent", "AcmeBot", "--purpose", "search-indexing", "--signals",
                 str(signals_file), "--filter", "--keep-reasons", "-o", str(out), "-q") == 0
    table = pq.read_table(out)
    assert table.column_names == ["n", "url", "scrapecheck_reason"]
    assert table.column("n").to_pylist() == [0, 3, 6, 7]


def test_columns_load_cleanly_in_pandas_polars_and_duckdb(tmp_path: Path, signals_file: Path) -> None:
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    duckdb = pytest.importorskip("duckdb")
    inputs = write_inputs(tmp_path)
    agents = agents_from(["AcmeBot"])
    names = [c.name for c in row_columns(agents)]
    for fmt in ("csv", "jsonl", "parquet"):
        out = tmp_path / f"rows.{fmt}"
        assert audit(str(inputs["text"]), "--agent", "AcmeBot", "--purpose", "ai-training", "--signals",
                     str(signals_file), "-o", str(out), "-q") == 0
        readers = {"csv": (pd.read_csv, pl.read_csv, "read_csv_auto"),
                   "jsonl": (lambda p: pd.read_json(p, lines=True), pl.read_ndjson, "read_json_auto"),
                   "parquet": (pd.read_parquet, pl.read_parquet, "read_parquet")}[fmt]
        frame = readers[0](out)
        assert list(frame.columns) == names, fmt
        assert list(frame["acmebot_verdict"]) == ACME
        assert frame["keep"].dtype == bool and str(frame["row"].dtype) == "int64"
        polars_frame = readers[1](out)
        assert polars_frame.columns == names
        assert polars_frame["keep"].dtype == pl.Boolean and polars_frame["row"].dtype == pl.Int64
        assert polars_frame["acmebot_robots_line"].dtype == pl.Int64
        con = duckdb.connect()
        got = con.execute(f"select acmebot_verdict, keep, row from {readers[2]}('{out}') order by row").fetchall()
        assert [v for v, _, _ in got] == ACME and all(isinstance(k, bool) for _, k, _ in got)
        types = dict(con.execute(f"describe select * from {readers[2]}('{out}')").fetchall()[i][:2]
                     for i in range(len(names)))
        assert types["row"] == "BIGINT" and types["keep"] == "BOOLEAN" and types["acmebot_robots_line"] == "BIGINT"


@pytest.mark.parametrize("args, message", [
    (["--purpose", "nope"], "invalid choice"),
    (["--column", "nope"], "no column 'nope'"),
    (["--field", "url"], "--field is for JSONL"),
    (["--keep-reasons"], "only with --filter"),
    (["--scheduler", "tcp://x:1"], "only with --engine dask"),
    (["--partitions", "4"], "only with --engine dask"),        # ignored before: the user thought it split the run
    (["--robots-only"], "only with --fetch"),                   # ignored before: the signals file decides
    (["--user-agent", "Acme/1"], "only with --fetch"),
    (["--format", "parquet"], "needs --output"),
    (["--filter", "--format", "jsonl"], "own format"),
])
def test_bad_options_exit_2_with_one_line(tmp_path: Path, signals_file: Path, capsys: pytest.CaptureFixture[str],
                                          args: list[str], message: str) -> None:
    inputs = write_inputs(tmp_path)
    base = [str(inputs["csv"]), "--agent", "AcmeBot", "--purpose", "ai-training", "--signals", str(signals_file)]
    if args[0] == "--purpose":
        base = base[:3] + base[5:]
    assert audit(*base, *args) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and err.count("\n") == 1


def test_missing_input_signals_and_output_over_input(tmp_path: Path, signals_file: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    inputs = write_inputs(tmp_path)
    common = ["--agent", "AcmeBot", "--purpose", "ai-training"]
    assert audit(str(tmp_path / "none.txt"), *common, "--signals", str(signals_file)) == 2
    assert "no such file" in capsys.readouterr().err
    assert audit(str(inputs["text"]), *common, "--signals", str(tmp_path / "none.json")) == 2
    capsys.readouterr()
    before = inputs["text"].read_text(encoding="utf-8")
    assert audit(str(inputs["text"]), *common, "--signals", str(signals_file), "-o", str(inputs["text"])) == 2
    assert "is the input" in capsys.readouterr().err
    assert inputs["text"].read_text(encoding="utf-8") == before
    assert audit(str(inputs["text"]), "--purpose", "ai-training", "--signals", str(signals_file)) == 2
    assert audit(str(inputs["text"]), *common) == 2  # neither --signals nor --fetch


def test_bad_jsonl_lines_become_invalid_rows(tmp_path: Path, signals_file: Path) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text('{"url": "https://e.example/a"}\nnot json\n{"other": 1}\n{"url": 5}\n', encoding="utf-8")
    out = tmp_path / "o.csv"
    assert audit(str(path), "--agent", "A", "--purpose", "other", "--signals", str(signals_file), "-o", str(out),
                 "-q") == 0
    rows = read_csv(out)
    assert [r["a_verdict"] for r in rows] == ["allowed", "invalid", "invalid", "invalid"]
    assert "line 2: not valid JSON" in rows[1]["error"] and "no field 'url'" in rows[2]["error"]


def test_failed_run_leaves_no_partial_output(tmp_path: Path, signals_file: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text('url\nhttps://e.example/a\n"unterminated\n', encoding="utf-8")
    out = tmp_path / "o.csv"
    out.write_text("previous\n", encoding="utf-8")
    code = audit(str(path), "--agent", "A", "--purpose", "other", "--signals", str(signals_file), "-o", str(out),
                 "-q")
    assert code in (0, 2)
    if code == 2:
        assert out.read_text(encoding="utf-8") == "previous\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_progress_bar_only_when_asked_or_on_a_terminal(tmp_path: Path, signals_file: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    inputs = write_inputs(tmp_path)
    common = [str(inputs["text"]), "--agent", "A", "--purpose", "other", "--signals", str(signals_file), "-q",
              "-o", str(tmp_path / "o.csv")]
    assert audit(*common) == 0
    assert capsys.readouterr().err == ""  # stderr is not a terminal here: quiet
    assert audit(*common, "--progress") == 0
    assert "URLs" in capsys.readouterr().err
