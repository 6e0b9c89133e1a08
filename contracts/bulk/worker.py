"""Running a work unit: read its bytes, frame them (:func:`checkout_contracts.inputs.jsonl.frame`), certify the plain
JSON Lines records with the compiled fast path, :func:`judge` the rest, and hand the outcomes back in
:class:`Batch` es of bounded size. Runs in any worker: a local process, a Dask worker, a Spark executor.

Nothing that holds payload bytes is ever raised or logged from here: a read error becomes an unreadable
outcome with a one-line reason, a crash while checking an ``internal-error`` finding."""
from __future__ import annotations

import io
from typing import Callable, Iterable, Iterator

from .. import fastpath
from ..drift import Drift
from ..inputs import gz
from ..inputs.jsonl import HUGE, frame, line_record, lines as split_lines
from ..inputs.jsonparse import size_reason
from ..inputs.model import unreadable
from ..inputs import sniff
from ..inputs.reader import probe, read_probed, read_stream
from ..redact import scrub
from ..report import UNREADABLE, VALID, Outcome
from . import record as _record
from .batch import BATCH_RECORDS, Batch
from .units import Unit, open_source, owned_reader

__all__ = ["run_unit", "work"]


def work(task, opts) -> list[Batch]:
    """Run a task of the local scheduler — a :class:`Unit`, or a tuple of them (small files) — up to about
    ``BATCH_RECORDS`` outcomes: the last batch's ``resume`` is then the tuple of units still to run."""
    units = task if isinstance(task, tuple) else (task,)
    out: list[Batch] = []
    total = 0
    for i, unit in enumerate(units):
        for batch in run_unit(unit, opts, max_records=max(1, BATCH_RECORDS - total)):
            out.append(batch)
            total += len(batch)
            if batch.resume is not None:
                batch.resume = (batch.resume,) + units[i + 1:]
                return out
        if total >= BATCH_RECORDS and i + 1 < len(units):
            out[-1].resume = units[i + 1:]
            return out
    return out


def run_unit(unit: Unit, opts, *, storage_options: dict | None = None,
             max_records: int = BATCH_RECORDS) -> Iterator[Batch]:
    """The outcomes of one unit in input order, a :class:`Batch` at a time (each about ``max_records`` at most;
    ``batch.resume`` tells where the next one starts, for a scheduler that stops after one). Never raises for
    anything in the input."""
    source = unit.source
    if unit.data is not None:
        if unit.jsonl:
            yield from _jsonl(unit, opts, io.BytesIO(unit.data).read, max_records)
        else:
            yield _documents(read_stream(io.BytesIO(unit.data), source, max_depth=opts.max_depth,
                                         stats=(stats := {})), opts, stats)
        return
    try:
        fh = open_source(source, storage_options)
    except Exception as exc:
        yield _failed(unit, _open_reason(exc))
        return
    with fh:
        if unit.jsonl and not unit.compressed:
            try:
                read = owned_reader(fh, unit.offset, unit.length)
            except Exception as exc:
                yield _failed(unit, gz.read_error(exc))
                return
            yield from _jsonl(unit, opts, read, max_records)
            return
        try:
            src, kind, compressed, reason, at_start = probe(fh, source)
        except Exception as exc:
            yield _failed(unit, gz.read_error(exc))
            return
        if kind == "jsonl" and reason is None:
            yield from _jsonl(unit.with_(jsonl=True, compressed=compressed), opts,
                              getattr(src, "read1", src.read), max_records)
            return
        stats: dict = {}
        yield _documents(read_probed(src, kind, reason, at_start, source, opts.max_depth,
                                     stats), opts, stats)


def _open_reason(exc: BaseException) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, OSError):
        return f"cannot open: {exc.strerror or type(exc).__name__}"
    return f"cannot open: {type(exc).__name__}"  # an fsspec/botocore error message may quote a URL's secrets


def _failed(unit: Unit, reason: str) -> Batch:
    batch = Batch(unit.source)
    line = unit.first_line if unit.jsonl else None
    batch.relative, batch.reset = unit.relative, unit.offset == 0
    batch.others.append(Outcome(scrub(unit.source), line, line, None, None, UNREADABLE,
                                ((None, "unreadable", reason),)))
    return batch


def _documents(records: Iterable, opts, stats: dict) -> Batch:
    """A file that is not JSON Lines (a JSON document or array, YAML, a HAR, a cassette), judged record by
    record."""
    batch = Batch(None)
    drift = batch.drift = Drift() if opts.drift else None
    for rec in records:
        outcome = _record.judge(rec, opts, drift)
        if outcome is None:
            if rec.data is None:
                batch.skipped += 1  # a non-JSON response; its JSON request was clean
            else:
                batch.no_schema += 1
        else:
            batch.add(outcome)
    batch.skipped += stats.get("skipped_non_json", 0)
    return batch


def _jsonl(unit: Unit, opts, read: Callable[[int], bytes], max_records: int) -> Iterator[Batch]:
    """Batches of a unit's JSON Lines, framed once (:func:`frame`), numbered from ``unit.first_line``."""
    source = unit.source
    number = unit.first_line
    bom = unit.offset == 0 and not unit.relative  # a BOM only on the file's (or the stream's) first line
    consumed = 0

    def new() -> Batch:
        b = Batch(source)
        b.drift = Drift() if opts.drift else None
        b.relative = unit.relative
        return b

    batch = new()
    batch.reset = unit.offset == 0 and unit.first_line == 1
    pieces = frame(read)
    while True:
        try:
            item = next(pieces, None)
        except Exception as exc:  # a corrupt gzip, an I/O error: one unreadable record, the end of this source
            batch.others.append(Outcome(scrub(source), number, number, None, None, UNREADABLE,
                                        ((None, "unreadable", gz.read_error(exc)),)))
            break
        if item is None:
            break
        kind, piece = item
        if kind == HUGE:
            size, newline = piece
            batch.others.append(Outcome(scrub(source), number, number, 1, None, UNREADABLE,
                                        ((None, "unreadable", size_reason(size)),)))
            number += 1
            batch.newlines += 1 if newline else 0
            consumed += size
        else:
            newlines = _lines(batch, source, number, piece, opts, batch.drift, bom=bom and number == 1)
            number += newlines
            batch.newlines += newlines
            consumed += len(piece)
        bom = False
        if len(batch) >= max_records:
            batch.resume = _resume(unit, consumed, number)
            yield batch
            batch = new()
    yield batch


def _resume(unit: Unit, consumed: int, number: int) -> Unit | None:
    """The unit that carries on after ``consumed`` bytes (whole lines) of ``unit``; None when it cannot
    (a gzip stream: the caller goes on reading it)."""
    if unit.data is not None:
        return unit.with_(data=unit.data[consumed:], offset=unit.offset + consumed, first_line=number)
    if unit.compressed:
        return None
    length = None if unit.length is None else unit.length - consumed
    return unit.with_(offset=unit.offset + consumed, length=length, first_line=number)


def _lines(batch: Batch, source: str, first: int, data: bytes, opts, drift: Drift | None, *, bom: bool) -> int:
    """Judge a block of whole JSON Lines numbered from ``first``. The compiled fast path certifies the plain lines
    (valid, nothing to say) in one call; every other line goes through ``judge`` with its bytes, so the card-data
    scan can skip clean ones. Returns the number of line breaks in ``data``."""
    certified = _certified(batch, source, first, data, opts, drift, bom)
    if certified is None:
        _judge_lines(batch, source, enumerate(split_lines(data), first), opts, drift, first if bom else None)
        return data.count(b"\n")
    numbers, indexes, slow, newlines = certified
    pos = 0
    for before, number, start, end in slow:
        if before > pos:
            batch.plain.frombytes(numbers[8 * pos:8 * before])
            batch.plain_schema.extend(indexes[pos:before])
            pos = before
        _judge_lines(batch, source, ((number, data[start:end]),), opts, drift, first if bom else None)
    if pos < len(indexes):
        batch.plain.frombytes(numbers[8 * pos:])
        batch.plain_schema.extend(indexes[pos:])
    return newlines


def _judge_lines(batch: Batch, source: str, lines: Iterable[tuple[int, bytes]], opts: Options, drift: Drift | None,
                 bom_line: int | None) -> None:
    """``judge`` each line. With a drift tally, a line the fast path certifies is only parsed and tallied (it has
    no finding to report, but its fields count as seen)."""
    max_depth = opts.max_depth
    add = batch.add
    fast = fastpath.get() if drift is not None and scrub(source) == source else None
    if fast is not None:
        import orjson
        schema = opts.schema or _record.schema_for_path(source)
    for number, line in lines:
        if number == bom_line:
            line = sniff.strip_bom(line)
        if line.isspace():
            continue
        if fast is not None:
            name = fast.certify(line, schema, rules_on=opts.rules, max_depth=max_depth)
            if name.__class__ is str:
                add(Outcome(source, number, number, None, name, VALID))
                drift.add(name, orjson.loads(line), (), (source, number, number), True)
                continue
        try:
            rec = line_record(line, number, source=source, max_depth=max_depth)
        except Exception as exc:
            rec = unreadable(source, f"internal error: {type(exc).__name__}: {exc}", record=number, line=number)
        add(_record.judge(rec, opts, drift, raw=line))


def _certified(batch: Batch, source: str, first: int, data: bytes, opts: Options, drift: Drift | None,
               bom: bool) -> tuple[bytes, bytes, list, int] | None:
    """The fast path's verdicts on a block, its schema indexes already the batch's; ``None`` when it does not
    apply in one call (switched off or not built, a schema it does not cover, a file name that the report must
    scrub; a drift tally, which ``_judge_lines`` feeds line by line)."""
    if drift is not None:
        return None
    fast = fastpath.get()
    if fast is None or scrub(source) != source or batch.source != source:
        return None
    schema = opts.schema or _record.schema_for_path(source)
    result = fast.certify_block(data, first, bom, schema, opts.rules, opts.max_depth)
    if result is None:
        return None
    numbers, indexes, slow, newlines = result
    if indexes:
        table = bytearray(range(256))
        for i in set(indexes):
            name = fast.names[i]
            try:
                table[i] = batch.schemas.index(name)
            except ValueError:
                table[i] = len(batch.schemas)
                batch.schemas.append(name)
        indexes = indexes.translate(table)
    return numbers, indexes, slow, newlines


