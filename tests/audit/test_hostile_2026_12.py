"""Hostile inputs to ``scrapecheck audit`` (review of 2026-12-02): each bad input gets a clear error (exit 2,
one line) or an ``invalid`` row, never a traceback, a silent pass or a user's file lost."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path

import pytest
from signals.conftest import FAST, Site, closed_port, site  # noqa: F401 - the 127.0.0.1 server

import scrapecheck
from scrapecheck.cli import main
from scrapecheck.errors import ScrapecheckError

from .data import SIGNALS


def audit(*args: str) -> int:
    return main(["audit", *args])


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def read_rows(out: Path) -> list[dict]:  # type: ignore[type-arg]
    """The rows of an audit output, by its suffix (csv, jsonl or parquet)."""
    if out.suffix == ".csv":
        return read_csv(out)
    if out.suffix == ".jsonl":
        return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    import pyarrow.parquet as pq

    return pq.read_table(out).to_pylist()  # type: ignore[no-any-return]


def dask_and_local_rows(tmp_path: Path, source: Path, signals: Path) -> tuple[list[dict], list[dict]]:  # type: ignore[type-arg]
    """The rows the Dask engine writes (in row order) and the rows the local engine writes, for one input."""
    import pyarrow.parquet as pq

    from scrapecheck.audit.run import AuditJob, run

    local, out = tmp_path / "local.parquet", tmp_path / "dask"
    common = {"input": str(source), "agents": ["AcmeBot"], "purpose": "search-indexing", "signals": str(signals),
              "progress": False}
    run(AuditJob(output=str(local), **common))  # type: ignore[arg-type]
    run(AuditJob(output=str(out), engine="dask", workers=1, dask_processes=False, partitions=2,
                 **common))  # type: ignore[arg-type]
    parts = sorted((out / "rows").glob("part-*.parquet"))
    rows = sorted((r for part in parts for r in pq.read_table(part).to_pylist()), key=lambda r: r["row"])
    return rows, pq.read_table(local).to_pylist()

COMMON = ["--agent", "AcmeBot", "--purpose", "search-indexing", "-q"]


def one_line_error(capsys: pytest.CaptureFixture[str], *needles: str) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Exception ignored" not in err, err
    assert err.count("\n") == 1, err
    for needle in needles:
        assert needle in err, err
    return err


# --- outputs never replace what the user gave ------------------------------------------------------------------

@pytest.mark.parametrize("name", ["data.origins.csv", "data.domains.csv", "data.summary.csv"])
def test_a_side_table_over_the_input_is_refused(tmp_path: Path, signals_file: Path, name: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / name
    source.write_text("url,x\nhttps://e.example/a,1\n", encoding="utf-8")
    before = source.read_bytes()
    assert audit(str(source), *COMMON, "--signals", str(signals_file), "-o", str(tmp_path / "data.csv")) == 2
    one_line_error(capsys, "is the input")
    assert source.read_bytes() == before
    assert not (tmp_path / "data.csv").exists()


def test_the_default_journal_over_the_input_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "out.journal.jsonl"
    source.write_text('{"url": "http://127.0.0.1:9/a"}\n', encoding="utf-8")
    before = source.read_bytes()
    assert audit(str(source), *COMMON, "--fetch", "-o", str(tmp_path / "out.csv")) == 2
    one_line_error(capsys, "is the input")
    assert source.read_bytes() == before


def test_dask_tables_over_the_input_are_refused(tmp_path: Path, signals_file: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("distributed")
    pq = pytest.importorskip("pyarrow.parquet")
    pa = pytest.importorskip("pyarrow")
    out = tmp_path / "dask"
    (out / "rows").mkdir(parents=True)
    for source in (out / "origins.parquet", out / "rows" / "part-00000.parquet"):
        pq.write_table(pa.table({"url": ["https://e.example/a"]}), source)
        before = source.read_bytes()
        assert audit(str(source), *COMMON, "--signals", str(signals_file), "--engine", "dask", "-o", str(out)) == 2
        one_line_error(capsys, "the input")
        assert source.read_bytes() == before


# --- bytes that are not UTF-8 ----------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", ["csv", "jsonl", "parquet"])
def test_non_utf8_url_is_an_invalid_row_in_every_output_format(tmp_path: Path, signals_file: Path, suffix: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    if suffix == "parquet":
        pytest.importorskip("pyarrow")
    source = tmp_path / "urls.txt"
    source.write_bytes(b"https://e.example/a\xff\nhttps://e.example/b\n")
    out = tmp_path / f"out.{suffix}"
    assert audit(str(source), *COMMON, "--signals", str(signals_file), "-o", str(out)) == 0
    assert "Traceback" not in capsys.readouterr().err
    rows = read_rows(out)
    assert len(rows) == 2
    assert rows[0]["acmebot_verdict"] == "invalid" and "UTF-8" in rows[0]["error"]
    assert rows[0]["url"] == "https://e.example/a\ufffd"
    assert rows[1]["acmebot_verdict"] == "allowed"


@pytest.mark.parametrize("kind", ["text", "csv", "jsonl"])
def test_filter_keeps_non_utf8_bytes_of_other_records_byte_for_byte(tmp_path: Path, signals_file: Path,
                                                                    kind: str) -> None:
    data = {
        "text": b"# caf\xe9\nhttps://e.example/a\nhttps://e.example/b\xff\n",
        "csv": b"url,note\nhttps://e.example/a,caf\xe9\nhttps://e.example/b\xff,x\n",
        "jsonl": b'{"url": "https://e.example/a", "note": "caf\xe9"}\n{"url": "https://e.example/b\xff"}\n',
    }[kind]
    kept = {
        "text": b"# caf\xe9\nhttps://e.example/a\n",
        "csv": b"url,note\nhttps://e.example/a,caf\xe9\n",
        "jsonl": b'{"url": "https://e.example/a", "note": "caf\xe9"}\n',
    }[kind]
    suffix = {"text": "txt", "csv": "csv", "jsonl": "jsonl"}[kind]
    source = tmp_path / f"in.{suffix}"
    source.write_bytes(data)
    out = tmp_path / f"out.{suffix}"
    assert audit(str(source), *COMMON, "--signals", str(signals_file), "--filter", "-o", str(out)) == 0
    assert out.read_bytes() == kept


# --- a Parquet input that breaks mid-file ----------------------------------------------------------------------

@pytest.fixture
def corrupt_parquet(tmp_path: Path) -> Path:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    path = tmp_path / "in.parquet"
    pq.write_table(pa.table({"url": [f"https://e.example/{i}" for i in range(40_000)]}), path,
                   row_group_size=10_000, compression="none")
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle:middle + 2000] = b"\xff" * 2000
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("output", ["out.csv", "out.parquet", None])
def test_corrupt_parquet_input_is_named_in_one_line(tmp_path: Path, signals_file: Path, corrupt_parquet: Path,
                                                    capsys: pytest.CaptureFixture[str], output: str | None) -> None:
    args = [str(corrupt_parquet), *COMMON, "--signals", str(signals_file)]
    if output:
        (tmp_path / output).write_text("previous", encoding="utf-8")
        args += ["-o", str(tmp_path / output)]
    assert audit(*args) == 2
    err = one_line_error(capsys, str(corrupt_parquet))
    assert "cannot write" not in err
    if output:
        assert (tmp_path / output).read_text(encoding="utf-8") == "previous"


def test_corrupt_parquet_filter_is_named_in_one_line(tmp_path: Path, signals_file: Path, corrupt_parquet: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "kept.parquet"
    assert audit(str(corrupt_parquet), *COMMON, "--signals", str(signals_file), "--filter", "-o", str(out)) == 2
    one_line_error(capsys, str(corrupt_parquet))
    assert not out.exists()


# --- a journal written for another scope -----------------------------------------------------------------------

def test_a_robots_only_journal_is_not_read_back_by_a_full_fetch(site: Site, tmp_path: Path) -> None:
    site.robots("User-agent: *\nAllow: /\n")
    site.route("/.well-known/tdmrep.json", body=json.dumps([{"location": "/*", "tdm-reservation": 1}]),
               content_type="application/json")
    journal = tmp_path / "j.jsonl"
    urls = [f"{site.origin}/a"]
    robots_only = dataclasses.replace(FAST, fetch_pages=False)
    first = list(scrapecheck.audit(urls, agents=["A"], purpose="ai-training", fetch=True, fetch_config=robots_only,
                                   journal=journal))
    assert first[0].agents[0].verdict == "allowed"  # TDMRep not asked for
    full = list(scrapecheck.audit(urls, agents=["A"], purpose="ai-training", fetch=True, fetch_config=FAST,
                                  journal=journal))
    assert full[0].agents[0].verdict == "reserved"
    assert full[0].agents[0].optout_kind == "tdmrep"
    again = list(scrapecheck.audit(urls, agents=["A"], purpose="ai-training", fetch=True, fetch_config=FAST,
                                   journal=journal))
    assert again[0].agents[0].verdict == "reserved"
    assert site.paths_hit().count("/robots.txt") == 2  # the full fetch's entry is read back


# --- Dask with URL columns of other Arrow types ----------------------------------------------------------------

@pytest.mark.parametrize("values, typ", [
    ([1, 2, None], "int64"),
    ([["https://e.example/a"], None], "list"),
    ([b"https://e.example/a", None], "binary"),
    (["https://e.example/a", None, "https://a.example/private/x"], "dictionary"),
], ids=["int64", "list", "binary", "dictionary"])
def test_dask_agrees_with_local_on_other_column_types(tmp_path: Path, values: list[object], typ: str) -> None:
    pytest.importorskip("distributed")
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    signals = tmp_path / "signals.json"
    signals.write_text(json.dumps(SIGNALS), encoding="utf-8")
    array = pa.array(values)
    if typ == "dictionary":
        array = array.dictionary_encode()
    source = tmp_path / "in.parquet"
    pq.write_table(pa.table({"url": array}), source)
    rows, expected = dask_and_local_rows(tmp_path, source, signals)
    assert rows == expected


# --- a byte order mark -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind, data", [
    ("txt", "\ufeffhttps://e.example/a\nhttps://e.example/b\n"),
    ("jsonl", '\ufeff{"url": "https://e.example/a"}\n{"url": "https://e.example/b"}\n'),
    ("csv", '\ufeff"url",x\nhttps://e.example/a,1\nhttps://e.example/b,2\n'),
], ids=["text", "jsonl", "csv"])
def test_a_byte_order_mark_is_not_part_of_the_first_url(tmp_path: Path, signals_file: Path, kind: str,
                                                        data: str) -> None:
    source = tmp_path / f"in.{kind}"
    source.write_text(data, encoding="utf-8")
    out = tmp_path / "out.csv"
    assert audit(str(source), *COMMON, "--signals", str(signals_file), "-o", str(out)) == 0
    rows = read_csv(out)
    assert [r["url"] for r in rows] == ["https://e.example/a", "https://e.example/b"]
    assert [r["acmebot_verdict"] for r in rows] == ["allowed", "allowed"]
    kept = tmp_path / f"kept.{kind}"
    assert audit(str(source), *COMMON, "--signals", str(signals_file), "--filter", "--keep-reasons",
                 "-o", str(kept)) == 0
    text = kept.read_text(encoding="utf-8")
    assert text.startswith("\ufeff") and text.count("e.example/") == 2


# --- ambiguous URL columns -------------------------------------------------------------------------------------

def test_a_csv_url_column_named_twice_is_refused(tmp_path: Path, signals_file: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "in.csv"
    source.write_text("url,title,url\nhttps://e.example/a,t,https://b.example/x\n", encoding="utf-8")
    assert audit(str(source), *COMMON, "--signals", str(signals_file), "-o", str(tmp_path / "o.csv")) == 2
    one_line_error(capsys, "'url'", "2")


def test_a_parquet_url_column_named_twice_is_refused(tmp_path: Path, signals_file: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    source = tmp_path / "in.parquet"
    table = pa.Table.from_arrays([pa.array(["https://e.example/a"]), pa.array(["https://b.example/x"])],
                                 names=["url", "url"])
    pq.write_table(table, source)
    assert audit(str(source), *COMMON, "--signals", str(signals_file), "-o", str(tmp_path / "o.csv")) == 2
    one_line_error(capsys, "'url'", "2")


# --- the Python API --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("urls", ["https://e.example/a", b"https://e.example/a"], ids=["str", "bytes"])
def test_audit_of_a_single_string_is_refused(urls: object) -> None:
    with pytest.raises(ScrapecheckError, match="iterable of URLs"):
        list(scrapecheck.audit(urls, agents=["A"], purpose="other", signals=SIGNALS))  # type: ignore[arg-type]


def test_audit_column_of_a_dataframe_is_a_type_error() -> None:
    pd = pytest.importorskip("pandas")
    from scrapecheck.audit import audit_column

    with pytest.raises(TypeError, match="Series"):
        audit_column(pd.DataFrame({"url": ["https://e.example/a"]}), agents=["A"], purpose="other",
                     signals=SIGNALS)


# --- JSONL records are separated by '\n' only ------------------------------------------------------------------

def test_a_carriage_return_inside_a_jsonl_record_does_not_split_it(tmp_path: Path, signals_file: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(b'{"url":\r"https://e.example/a"}\n{"url": "https://e.example/b"}\r\n')
    out = tmp_path / "out.csv"
    assert audit(str(source), *COMMON, "--signals", str(signals_file), "-o", str(out)) == 0
    rows = read_csv(out)
    assert [r["url"] for r in rows] == ["https://e.example/a", "https://e.example/b"]
    assert [r["acmebot_verdict"] for r in rows] == ["allowed", "allowed"]


def test_corrupt_parquet_input_on_dask_is_named_in_one_line(tmp_path: Path, signals_file: Path,
                                                            corrupt_parquet: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("distributed")
    out = tmp_path / "dask"
    assert audit(str(corrupt_parquet), *COMMON, "--signals", str(signals_file), "--engine", "dask", "--workers", "1",
                 "-o", str(out)) == 2
    one_line_error(capsys, str(corrupt_parquet), "not a readable Parquet file")
    assert not (out / "rows").exists()


@pytest.mark.parametrize("name, data", [
    ("in.txt", b"\xef\xbb\xbfhttps://e.example/a\nhttps://e.example/b\xff\n\n# c\nftp://x/\nhttps://a.example/private/1\n"),
    ("in.jsonl", b'{"url": "https://e.example/a"}\nnot json\n{"url": 5}\n{"url": "https://e.example/\xff"}\n[1]\n'),
    ("in.csv", b"url,x\nhttps://e.example/a,1\n,2\nhttps://b.example/\xfe,3\nshort\n"),
], ids=["text", "jsonl", "csv"])
def test_dask_agrees_with_local_on_hostile_text_inputs(tmp_path: Path, name: str, data: bytes) -> None:
    pytest.importorskip("distributed")
    pytest.importorskip("pyarrow.parquet")
    signals = tmp_path / "signals.json"
    signals.write_text(json.dumps(SIGNALS), encoding="utf-8")
    source = tmp_path / name
    source.write_bytes(data)
    rows, expected = dask_and_local_rows(tmp_path, source, signals)
    assert rows == expected
    assert any(r["error"] and "UTF-8" in r["error"] for r in expected)


# --- a journal that is not one --------------------------------------------------------------------------------

def test_a_file_that_is_no_journal_is_left_as_it_was(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "urls.txt"
    source.write_text("http://127.0.0.1:9/a\n", encoding="utf-8")
    notes = tmp_path / "notes.txt"
    notes.write_bytes(b"my notes, one line and no line feed")
    assert audit(str(source), *COMMON, "--fetch", "--journal", str(notes)) == 2
    one_line_error(capsys, str(notes), "not an audit journal")
    assert notes.read_bytes() == b"my notes, one line and no line feed"


def test_a_journal_equal_to_the_input_is_refused_without_output(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "urls.txt"
    source.write_bytes(b"http://127.0.0.1:9/a")
    assert audit(str(source), *COMMON, "--fetch", "--journal", str(source)) == 2
    one_line_error(capsys, "is the input")
    assert source.read_bytes() == b"http://127.0.0.1:9/a"


def test_a_journal_line_that_is_bad_is_named_by_its_number(tmp_path: Path, site: Site) -> None:
    site.robots("User-agent: *\nAllow: /\n")
    journal = tmp_path / "j.jsonl"
    list(scrapecheck.audit([f"{site.origin}/a"], agents=["A"], purpose="other", fetch=True,
                           fetch_config=dataclasses.replace(FAST, fetch_pages=False), journal=journal))
    list(scrapecheck.audit([f"{site.origin}/a"], agents=["A"], purpose="other", fetch=True, fetch_config=FAST,
                           journal=journal))
    with open(journal, "ab") as handle:
        handle.write(b"garbage\n")
    with pytest.raises(ScrapecheckError, match="line 3: not an audit journal entry"):
        list(scrapecheck.audit([f"{site.origin}/a"], agents=["A"], purpose="other", fetch=True, fetch_config=FAST,
                               journal=journal))


# --- a quoted CSV field that never closes ---------------------------------------------------------------------

@pytest.mark.parametrize("suffix, sep", [("csv", ","), ("tsv", "\t")], ids=["csv", "tsv"])
def test_a_quote_that_never_closes_is_refused_not_swallowing_the_rest(tmp_path: Path, signals_file: Path,
                                                                     capsys: pytest.CaptureFixture[str],
                                                                     suffix: str, sep: str) -> None:
    source = tmp_path / f"in.{suffix}"
    source.write_text(f"url{sep}title\nhttps://e.example/a{sep}\"a title\nhttps://a.example/private/x{sep}t\n"
                      f"https://a.example/private/y{sep}t\n", encoding="utf-8")
    kept = tmp_path / f"kept.{suffix}"
    assert audit(str(source), *COMMON, "--signals", str(signals_file), "--filter", "-o", str(kept)) == 2
    one_line_error(capsys, str(source), "line 2", "never closes")
    assert not kept.exists()
    out = tmp_path / "out.csv"
    assert audit(str(source), *COMMON, "--signals", str(signals_file), "-o", str(out)) == 2
    one_line_error(capsys, "never closes")


def test_a_last_record_without_a_line_feed_is_fine(tmp_path: Path, signals_file: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text('url,title\nhttps://e.example/a,"a ""quoted""\nline"\nhttps://e.example/b,"t"', encoding="utf-8")
    out = tmp_path / "out.csv"
    assert audit(str(source), *COMMON, "--signals", str(signals_file), "-o", str(out)) == 0
    assert [r["url"] for r in read_csv(out)] == ["https://e.example/a", "https://e.example/b"]


# --- the outputs of a run are replaced together or not at all -------------------------------------------------

@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_a_side_table_that_cannot_be_written_leaves_every_previous_output(tmp_path: Path, signals_file: Path,
                                                                          suffix: str,
                                                                          capsys: pytest.CaptureFixture[str]) -> None:
    if suffix == "parquet":
        pytest.importorskip("pyarrow")
    first = tmp_path / "one.txt"
    first.write_text("https://e.example/a\n", encoding="utf-8")
    second = tmp_path / "two.txt"
    second.write_text("https://a.example/private/x\nhttps://b.example/\n", encoding="utf-8")
    out = tmp_path / f"out.{suffix}"
    assert audit(str(first), *COMMON, "--signals", str(signals_file), "-o", str(out)) == 0
    names = [f"out.{suffix}", f"out.origins.{suffix}", f"out.summary.{suffix}"]
    before = {name: (tmp_path / name).read_bytes() for name in names}
    domains = tmp_path / f"out.domains.{suffix}"
    domains.unlink()
    domains.mkdir()
    capsys.readouterr()
    assert audit(str(second), *COMMON, "--signals", str(signals_file), "-o", str(out)) == 2
    one_line_error(capsys, str(domains))
    assert {name: (tmp_path / name).read_bytes() for name in names} == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_filter_whose_side_table_cannot_be_written_leaves_the_previous_output(tmp_path: Path,
                                                                               signals_file: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("url\nhttps://e.example/a\n", encoding="utf-8")
    out = tmp_path / "kept.csv"
    out.write_text("previous\n", encoding="utf-8")
    (tmp_path / "kept.summary.csv").mkdir()
    assert audit(str(source), *COMMON, "--signals", str(signals_file), "--filter", "-o", str(out)) == 2
    assert out.read_text(encoding="utf-8") == "previous\n"


def test_dask_table_that_cannot_be_written_leaves_the_previous_rows(tmp_path: Path, signals_file: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("distributed")
    pq = pytest.importorskip("pyarrow.parquet")
    from scrapecheck.audit.run import AuditJob, run

    first = tmp_path / "one.txt"
    first.write_text("https://e.example/a\n", encoding="utf-8")
    second = tmp_path / "two.txt"
    second.write_text("https://a.example/private/x\nhttps://b.example/\n", encoding="utf-8")
    out = tmp_path / "dask"

    def job(source: Path) -> AuditJob:
        return AuditJob(input=str(source), agents=["AcmeBot"], purpose="search-indexing", signals=str(signals_file),
                        output=str(out), engine="dask", workers=1, dask_processes=False, progress=False)

    run(job(first))
    rows = [pq.read_table(p).to_pylist() for p in sorted((out / "rows").glob("*.parquet"))]
    (out / "summary.parquet").unlink()
    (out / "summary.parquet").mkdir()
    with pytest.raises(ScrapecheckError, match="summary.parquet"):
        run(job(second))
    assert [pq.read_table(p).to_pylist() for p in sorted((out / "rows").glob("*.parquet"))] == rows


def test_a_journal_entry_whose_signals_do_not_validate_is_fetched_again(site: Site, tmp_path: Path) -> None:
    site.robots("User-agent: *\nDisallow: /private/\n")
    journal = tmp_path / "j.jsonl"
    urls = [f"{site.origin}/private/a"]
    list(scrapecheck.audit(urls, agents=["A"], purpose="other", fetch=True, fetch_config=FAST, journal=journal))
    entry = json.loads(journal.read_text(encoding="utf-8"))
    entry["signals"]["robots"] = {"bogus": 1}  # another version's model, or a damaged line that is still JSON
    journal.write_text(json.dumps(entry, sort_keys=True) + "\n", encoding="utf-8")
    rows = list(scrapecheck.audit(urls, agents=["A"], purpose="other", fetch=True, fetch_config=FAST,
                                  journal=journal))
    assert rows[0].agents[0].verdict == "disallowed"
    assert site.paths_hit().count("/robots.txt") == 2


# --- --keep-reasons on an input that has the reason column already -------------------------------------------

@pytest.mark.parametrize("suffix", ["csv", "tsv", "jsonl", "parquet"])
def test_keep_reasons_never_doubles_or_overwrites_the_reason_column(tmp_path: Path, signals_file: Path,
                                                                    suffix: str,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / f"in.{suffix}"
    if suffix == "csv":
        source.write_text("url,scrapecheck_reason\nhttps://e.example/a,mine\n", encoding="utf-8")
    elif suffix == "tsv":
        source.write_text("url\tscrapecheck_reason\nhttps://e.example/a\tmine\n", encoding="utf-8")
    elif suffix == "jsonl":
        source.write_text('{"url": "https://e.example/a", "scrapecheck_reason": "mine"}\n', encoding="utf-8")
    else:
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        pq.write_table(pa.table({"url": ["https://e.example/a"], "scrapecheck_reason": ["mine"]}), source)
    out = tmp_path / f"kept.{suffix}"
    assert audit(str(source), *COMMON, "--signals", str(signals_file), "--filter", "--keep-reasons",
                 "-o", str(out)) == 2
    one_line_error(capsys, "scrapecheck_reason")
    assert not out.exists()


# --- compressed and binary inputs ------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["gzip", "bz2", "xz", "zip", "parquet"])
def test_a_compressed_or_parquet_file_read_as_text_is_refused(tmp_path: Path, signals_file: Path, kind: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    import bz2
    import gzip
    import lzma
    import zipfile

    text = b"https://e.example/a\nhttps://e.example/b\n"
    source = tmp_path / "urls.txt"
    if kind == "gzip":
        source.write_bytes(gzip.compress(text))
    elif kind == "bz2":
        source.write_bytes(bz2.compress(text))
    elif kind == "xz":
        source.write_bytes(lzma.compress(text))
    elif kind == "zip":
        with zipfile.ZipFile(source, "w") as archive:
            archive.writestr("urls.txt", text)
    else:
        pa = pytest.importorskip("pyarrow")
        pq = pytest.importorskip("pyarrow.parquet")
        pq.write_table(pa.table({"url": ["https://e.example/a"]}), source)
    assert audit(str(source), *COMMON, "--signals", str(signals_file), "-o", str(tmp_path / "o.csv")) == 2
    one_line_error(capsys, str(source), "not readable as text input")
    assert not (tmp_path / "o.csv").exists()


def test_text_that_merely_starts_like_a_magic_number_is_read(tmp_path: Path, signals_file: Path) -> None:
    source = tmp_path / "in.csv"
    source.write_text("BZh9,url\n1,https://e.example/a\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    assert audit(str(source), *COMMON, "--signals", str(signals_file), "-o", str(out)) == 0
    assert [r["acmebot_verdict"] for r in read_csv(out)] == ["allowed"]


def test_dask_output_folder_whose_rows_folder_is_not_ours_is_refused(tmp_path: Path, signals_file: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("distributed")
    source = tmp_path / "urls.txt"
    source.write_text("https://e.example/a\n", encoding="utf-8")
    out = tmp_path / "project"
    (out / "rows").mkdir(parents=True)
    (out / "rows" / "notes.txt").write_text("mine", encoding="utf-8")
    assert audit(str(source), *COMMON, "--signals", str(signals_file), "--engine", "dask", "-o", str(out)) == 2
    one_line_error(capsys, "notes.txt")
    assert (out / "rows" / "notes.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("address", ["garbage::", "closed"])
def test_dask_scheduler_that_cannot_be_reached_is_one_line(tmp_path: Path, signals_file: Path, address: str,
                                                           closed_port: int,  # noqa: F811 - the fixture
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("distributed")
    import dask

    source = tmp_path / "urls.txt"
    source.write_text("https://e.example/a\n", encoding="utf-8")
    if address == "closed":
        address = f"tcp://127.0.0.1:{closed_port}"
    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        assert audit(str(source), *COMMON, "--signals", str(signals_file), "--engine", "dask", "--scheduler",
                     address, "-o", str(tmp_path / "out")) == 2
    one_line_error(capsys, "--scheduler", address)


@pytest.mark.parametrize("blocker", ["journal", "out"])
def test_dask_output_folder_that_cannot_be_made_is_one_line(tmp_path: Path, signals_file: Path, blocker: str,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("distributed")
    source = tmp_path / "urls.txt"
    source.write_text("http://127.0.0.1:9/a\n", encoding="utf-8")
    if blocker == "journal":
        out = tmp_path / "out"
        out.mkdir()
        (out / "journal").write_text("a file", encoding="utf-8")
        where = ["--fetch"]
    else:
        (tmp_path / "file").write_text("a file", encoding="utf-8")
        out = tmp_path / "file" / "out"
        where = ["--signals", str(signals_file)]
    assert audit(str(source), *COMMON, *where, "--engine", "dask", "--workers", "1", "-o", str(out)) == 2
    one_line_error(capsys, "cannot make the folder")


# --- JSON escapes --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("suffix", ["csv", "jsonl", "parquet"])
def test_a_json_escaped_lone_surrogate_in_the_url_is_an_invalid_row(tmp_path: Path, signals_file: Path,
                                                                    suffix: str) -> None:
    if suffix == "parquet":
        pytest.importorskip("pyarrow")
    source = tmp_path / "in.jsonl"
    source.write_text('{"url": "https://e.example/\\ud800"}\n{"url": "https://e.example/b"}\n', encoding="utf-8")
    out = tmp_path / f"out.{suffix}"
    assert audit(str(source), *COMMON, "--signals", str(signals_file), "-o", str(out)) == 0
    rows = read_rows(out)
    assert [r["acmebot_verdict"] for r in rows] == ["invalid", "allowed"]
    assert "surrogate" in rows[0]["error"] and rows[0]["url"] == "https://e.example/\ufffd"


def test_keep_reasons_leaves_the_other_fields_of_a_jsonl_record_as_written(tmp_path: Path,
                                                                           signals_file: Path) -> None:
    line = ('{ "x": 0.1000000000000000055511151231257827, "t": "caf\\u00e9 \\ud800", "n": 1e5, '
            '"url": "https://e.example/a" }  ')
    source = tmp_path / "in.jsonl"
    source.write_text(line + "\r\n", encoding="utf-8")
    out = tmp_path / "kept.jsonl"
    assert audit(str(source), *COMMON, "--signals", str(signals_file), "--filter", "--keep-reasons",
                 "-o", str(out)) == 0
    kept = out.read_bytes().decode("utf-8")
    assert kept.startswith(line.rstrip()[:-1]) and kept.endswith("}  \r\n")
    assert json.loads(kept)["scrapecheck_reason"].startswith("AcmeBot: allowed")
