"""One audit run as the CLI does it: read the input, stream rows (or the filtered input) to the output, then
write the origin, domain and headline tables beside it. No argparse here: ``commands/audit.py`` parses.

Outputs for ``--output OUT.EXT``: the rows (or the filtered input) in ``OUT.EXT``; ``OUT.origins.EXT``,
``OUT.domains.EXT`` and ``OUT.summary.EXT`` in the same format (CSV when the rows go to standard output,
then only the headline is shown, on stderr); with ``--fetch``, the journal ``OUT.journal.jsonl`` that a rerun
resumes from.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
from collections import deque
from dataclasses import dataclass
from dataclasses import field as _field
from pathlib import Path
from typing import IO, Any, Iterable, Iterator, Optional, Sequence

from .._files import same_file
from ..errors import InputError
from . import columns as cols
from .api import check_purpose, make_source
from .inputs import InputSpec, batches, records, urls
from .pipeline import Auditor, Batch, Row, Tally
from .tables import domain_table, origin_table, summary_table
from .writers import OUTPUT_FORMATS, atomic_file, need_pyarrow, sink, write_table

REASON_COLUMN = "scrapecheck_reason"


@dataclass
class AuditJob:
    """Everything one run needs, already parsed (paths are as the user gave them)."""

    input: str
    agents: Sequence[str]
    purpose: str
    signals: Optional[str] = None
    fetch: bool = False
    output: Optional[str] = None
    format: Optional[str] = None
    input_format: Optional[str] = None
    column: Optional[str] = None
    field: Optional[str] = None
    filter: bool = False
    keep_reasons: bool = False
    allow_private: bool = False
    fetch_config: Any = None
    journal: Optional[str] = None
    user_agent: Optional[str] = None
    engine: str = "local"
    scheduler: Optional[str] = None
    partitions: Optional[int] = None
    workers: int = 2
    dask_processes: bool = True
    progress: Optional[bool] = None
    max_origins: int = 50_000
    notes: list[str] = _field(default_factory=list)


def side_path(output: str, name: str, ext: str) -> str:
    """``out/audit.csv`` + ``origins`` -> ``out/audit.origins.csv`` (a directory output gets ``name.ext`` inside)."""
    path = Path(output)
    if path.suffix == "" and (path.is_dir() or not path.exists()) and ext == "parquet-dir":
        return str(path / f"{name}.parquet")
    stem = path.with_suffix("") if path.suffix else path
    return f"{stem}.{name}.{ext}"


def _output_format(job: AuditJob, spec: InputSpec) -> str:
    if job.filter:
        if job.format is not None and job.format != spec.format:
            raise InputError("--format", "format", "--filter writes the input back in its own format "
                             f"({spec.format}); leave --format out")
        return spec.format
    if job.format is not None:
        return job.format
    suffix = Path(job.output).suffix.lower().lstrip(".") if job.output else ""
    return {"csv": "csv", "jsonl": "jsonl", "ndjson": "jsonl", "parquet": "parquet", "pq": "parquet"}.get(suffix,
                                                                                                          "csv")


def _outputs(job: AuditJob, fmt: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Every file (``(path, what is written there)``) and folder the run writes, for ``job.output``."""
    assert job.output is not None
    if job.engine == "dask":
        out = Path(job.output)
        files = [(str(out / f"{name}.parquet"), f"the {name} table") for name in ("origins", "domains", "summary")]
        return files, [(str(out / "rows"), "the rows"), (str(out / "journal"), "the journals")]
    table_format = "csv" if fmt not in OUTPUT_FORMATS else fmt
    files = [(job.output, "the output")]
    files += [(side_path(job.output, name, table_format), f"the {name} table") for name in
              ("origins", "domains", "summary")]
    if job.fetch and job.journal is None:
        files.append((side_path(job.output, "journal", "jsonl"), "the journal"))
    return files, []


def _refuse_overwriting_inputs(job: AuditJob, fmt: str) -> None:
    """No output (the rows, a side table, the default journal) may be the input, the signals file or the
    journal: a file the user gave is never replaced."""
    def key(given: str) -> Path:
        try:
            return Path(given).resolve()
        except (OSError, RuntimeError):  # a symlink loop: opening it gives the one-line error
            return Path(given).absolute()

    if job.journal:  # appended to, and a cut last line truncated: never a file the user gave as data
        for given, what in ((job.input, "the input"), (job.signals, "the signals file")):
            if given and given != "-" and same_file(Path(given), Path(job.journal)):
                raise InputError(job.journal, "--journal", f"is {what}; choose another journal path")
    if not job.output:
        return
    files, folders = _outputs(job, fmt)
    for given, what in ((job.input, "the input"), (job.signals, "the signals file"), (job.journal, "the journal")):
        if not given or given == "-":
            continue
        for path, written in files:
            if same_file(Path(given), Path(path)):
                if path == job.output:
                    raise InputError(job.output, "--output", f"is {what}; choose another output path")
                raise InputError(job.output, "--output", f"{written} would go to {path}, which is {what}; "
                                 "choose another output path")
        for folder, written in folders:
            if key(given).is_relative_to(key(folder)):
                raise InputError(job.output, "--output", f"{written} go to {folder}, which holds {what} "
                                 f"({given}); choose another output path")


class _Progress:
    """A tqdm bar on stderr when it is a terminal (or forced), updated every few thousand rows."""

    def __init__(self, enabled: Optional[bool], total: Optional[int] = None) -> None:
        if enabled is None:
            enabled = sys.stderr.isatty()
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit=" URLs", unit_scale=True, file=sys.stderr, mininterval=0.5,
                            dynamic_ncols=True, leave=True)

    def wrap(self, rows: Iterable[Row]) -> Iterator[Row]:
        if self.bar is None:
            yield from rows
            return
        step = 0
        update = self.bar.update
        for row in rows:
            step += 1
            if step == 8192:
                update(step)
                step = 0
            yield row
        update(step)

    def wrap_batches(self, batches: Iterable[Batch]) -> Iterator[Batch]:
        if self.bar is None:
            yield from batches
            return
        for batch in batches:
            self.bar.update(len(batch))
            yield batch

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _reason(row: Row, agents: Sequence[cols.Agent]) -> str:
    width = len(cols.AGENT_ROW)
    parts = []
    for i, agent in enumerate(agents):
        verdict, line, rule, kind, source, value = row[7 + width * i: 7 + width * (i + 1)]
        why = f"robots.txt line {line}: {rule}" if line is not None else f"robots.txt {row[4]}, no rule applies"
        if kind is not None:
            why += f"; {kind} at {source}: {value}"
        parts.append(f"{agent.token}: {verdict} ({why})")
    return "; ".join(parts)


def _csv_cell(value: str, delimiter: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="").writerow([value])
    return buffer.getvalue()


def _append(raw: str, cell: str) -> str:
    """``raw`` with ``cell`` added before its line terminator."""
    body = raw.rstrip("\r\n")
    return body + cell + raw[len(body):]


class _Bytes:
    """Text written as the bytes it was read from: UTF-8, with the input's bytes that are not UTF-8 (read as
    lone surrogates) written back as they were."""

    def __init__(self, binary: IO[bytes]) -> None:
        self.binary = binary

    def write(self, text: str) -> None:
        self.binary.write(text.encode("utf-8", "surrogateescape"))


def _has_reason(spec: InputSpec) -> InputError:
    return InputError(spec.path, "--keep-reasons", f"the input has a column {REASON_COLUMN!r} already (filtered with "
                      "--keep-reasons before?): it would be doubled or overwritten; drop it, or leave --keep-reasons out")


def _filter_records(job: AuditJob, spec: InputSpec, auditor: Auditor, out: IO[str], progress: _Progress) -> None:
    pending: deque[tuple[Any, str]] = deque()
    delimiter = "\t" if spec.format in ("tsv", "text") else ","
    first = True

    def write_passthrough(raw: str) -> None:
        nonlocal first
        if job.keep_reasons and first and spec.format in ("csv", "tsv"):
            raw = _append(raw, delimiter + _csv_cell(REASON_COLUMN, delimiter))
        first = False
        out.write(raw)

    def stream() -> Iterator[Any]:
        header = job.keep_reasons and spec.format in ("csv", "tsv")
        for url, raw in records(spec):
            if header:  # the first record: the header row, checked before any URL is audited
                header = False
                names = next(csv.reader(io.StringIO(raw.lstrip("\ufeff"), newline=""), delimiter=delimiter), [])
                if REASON_COLUMN in (name.strip() for name in names):
                    raise _has_reason(spec)
            pending.append((url, raw))
            if url is not None:
                yield url

    for row in progress.wrap(auditor.rows(stream())):
        while True:
            url, raw = pending.popleft()
            if url is None:
                write_passthrough(raw)
                continue
            break
        first = False
        if not row[3]:
            continue
        if job.keep_reasons:
            reason = _reason(row, auditor.agents)
            if spec.format == "jsonl":
                if REASON_COLUMN in json.loads(raw.lstrip("\ufeff")):
                    raise _has_reason(spec)
                # The field is written in before the object's closing brace: the rest of the record stays as
                # written (re-serialising would round floats, rewrite escapes and drop duplicate keys).
                body = raw.rstrip()
                added = f", {json.dumps(REASON_COLUMN)}: {json.dumps(reason, ensure_ascii=False)}"
                raw = body[:-1] + added + body[-1] + raw[len(body):]
            else:
                raw = _append(raw, delimiter + (_csv_cell(reason, delimiter) if spec.format != "text" else reason))
        out.write(raw)
    while pending:
        write_passthrough(pending.popleft()[1])


def _filter_parquet(job: AuditJob, spec: InputSpec, auditor: Auditor, handle: IO[bytes], progress: _Progress) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .inputs import parquet_file

    schema = parquet_file(spec).schema_arrow
    if job.keep_reasons and REASON_COLUMN in schema.names:
        raise _has_reason(spec)
    if job.keep_reasons:
        schema = schema.append(pa.field(REASON_COLUMN, pa.string()))
    start = 0
    with pq.ParquetWriter(handle, schema, compression="zstd") as writer:
        for batch in batches(spec, all_columns=True):
            values = batch.column(batch.schema.get_field_index(spec.column)).to_pylist()
            rows = list(progress.wrap(auditor.rows(values, start)))
            start += len(values)
            mask = pa.array([row[3] for row in rows], type=pa.bool_())
            kept = batch.filter(mask)
            if job.keep_reasons:
                reasons = pa.array([_reason(row, auditor.agents) for row in rows if row[3]], type=pa.string())
                kept = pa.RecordBatch.from_arrays([*kept.columns, reasons], schema=schema)
            writer.write_batch(kept)


def _batches(spec: InputSpec, auditor: Auditor) -> Iterator[Batch]:
    if spec.format == "parquet":
        start = 0
        for batch in batches(spec):
            values = batch.column(0).to_pylist()
            yield from auditor.batches(values, start)
            start += len(values)
        return
    yield from auditor.batches(urls(spec))


def run(job: AuditJob) -> Tally:
    """Run one audit; returns the tally (the headline is ``summary_table(tally)``)."""
    check_purpose(job.purpose)
    agents = cols.agents_from(job.agents)
    spec = InputSpec(job.input, job.input_format, job.column, job.field)
    fmt = _output_format(job, spec)
    if fmt not in OUTPUT_FORMATS and not job.filter:
        raise InputError("--format", "format", f"unknown output format {fmt!r}")
    if fmt == "parquet" or spec.format == "parquet":
        need_pyarrow("Parquet")
    if fmt == "parquet" and not job.output:
        raise InputError("--output", "output", "Parquet output needs --output FILE")
    _refuse_overwriting_inputs(job, fmt)
    if job.engine == "dask":
        from .dask_engine import run_dask

        return run_dask(job, spec, agents)
    journal = job.journal
    if job.fetch and journal is None and job.output:
        journal = side_path(job.output, "journal", "jsonl")
    source = make_source(signals=job.signals, fetch=job.fetch, user_agent=job.user_agent,
                         allow_private_networks=job.allow_private, fetch_config=job.fetch_config, journal=journal)
    tally = Tally(agents)
    auditor = Auditor(agents, job.purpose, source, max_origins=job.max_origins, tally=tally)
    progress = _Progress(job.progress)
    # Every output file is written under a temporary name and renamed once all of them are complete: a failure
    # (a side table that cannot be written) leaves the previous run's files, never new rows beside old tables.
    with contextlib.ExitStack() as outputs:
        try:
            if job.filter:
                if spec.format == "parquet":
                    assert job.output is not None
                    _filter_parquet(job, spec, auditor, outputs.enter_context(atomic_file(job.output, "wb")),
                                    progress)
                elif job.output:
                    handle = outputs.enter_context(atomic_file(job.output, "wb"))
                    _filter_records(job, spec, auditor, _Bytes(handle), progress)  # type: ignore[arg-type]
                else:
                    stdout = getattr(sys.stdout, "buffer", None)
                    if stdout is None:  # a stdout replaced by a text stream
                        _filter_records(job, spec, auditor, sys.stdout, progress)
                    else:
                        sys.stdout.flush()
                        _filter_records(job, spec, auditor, _Bytes(stdout), progress)  # type: ignore[arg-type]
                        stdout.flush()
            else:
                out = outputs.enter_context(sink(job.output, fmt, cols.row_columns(agents)))
                out.write_batches(progress.wrap_batches(_batches(spec, auditor)))
        finally:
            progress.close()
            source.close()
            fetched = getattr(source, "fetched", None)
            if fetched is not None:
                job.notes.append(f"origins fetched: {fetched}, read back from the journal: "
                                 f"{getattr(source, 'resumed', 0)}" + (f" ({journal})" if journal else ""))
        if job.output:
            table_format = "csv" if fmt not in OUTPUT_FORMATS else fmt
            write_tables(job.output, table_format, agents, tally, outputs)
    return tally


def write_tables(output: str, fmt: str, agents: Sequence[cols.Agent], tally: Tally,
                 outputs: Optional[contextlib.ExitStack] = None) -> None:
    """The origin, domain and headline tables beside ``output``; with ``outputs``, each file is renamed into
    place only when that stack closes without error (together with the rows)."""
    for name, columns, rows in (("origins", cols.origin_columns(agents), origin_table(tally)),
                                ("domains", cols.domain_columns(agents), domain_table(tally)),
                                ("summary", cols.summary_columns(agents), summary_table(tally))):
        path = side_path(output, name, fmt)
        if outputs is None:
            write_table(path, fmt, columns, rows)
        else:
            outputs.enter_context(sink(path, fmt, columns)).write(rows)


def headline(tally: Tally) -> str:
    """The headline as a few lines of text (for stderr)."""
    row = summary_table(tally)[0]
    names = [c.name for c in cols.summary_columns(tally.agents)]

    def show(value: Any) -> str:
        return f"{value:.1%}" if isinstance(value, float) else ("n/a" if value is None else str(value))

    return "\n".join(f"  {name}: {show(value)}" for name, value in zip(names, row)) + "\n"


__all__ = ["AuditJob", "REASON_COLUMN", "headline", "run", "side_path", "write_tables"]
