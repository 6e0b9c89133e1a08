"""The streaming, parallel pipeline behind ``checkout-contracts validate``.

The parent process *plans* the work and never parses a payload: it walks the paths, sniffs each file the way
:mod:`contracts.inputs` does, cuts JSON Lines into blocks of whole lines of about ``CHUNK`` bytes (for a plain
file just the byte range, which the worker reads itself; for gzip and stdin the bytes) and groups small
files. Each work unit goes to a worker process, which reads and parses it with :mod:`contracts.inputs`,
judges every record with :func:`contracts.pipeline.check` and sends back a compact :class:`Batch` of
outcomes (plus its share of the drift tally). JSON Lines first pass through :mod:`contracts.fastpath`, which
certifies the plain records in C; only the others reach ``check``. Results come back in input order; at most ``2 × jobs`` units
are in flight, so memory stays flat whatever the input size.

``jobs == 1`` — or a run too small to be worth starting processes for (under ``SMALL_RUN`` bytes) — runs the
very same units in-process, so the report does not depend on the job count.
"""
from __future__ import annotations

import io
import os
import re
import sys
import time
from array import array
from collections import deque
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, BinaryIO, Iterable, Iterator

from . import cardscan, fastpath, registry
from .pipeline import check
from .drift import Drift
from .findings import ERROR
from .inputs import missing_paths, read_file, read_stream
from .inputs import gz, sniff
from .inputs.jsonl import line_record
from .inputs.model import unreadable
from .inputs.paths import STDIN, walk
from .inputs.reader import STDIN_SOURCE, probe
from .inputs.stream import Peekable
from .redact import public_url, scrub
from .report import INVALID, UNREADABLE, VALID, Outcome
from .routes import route_for

CHUNK = 2 << 20          # bytes of JSON Lines per work unit
SMALL_FILES = 256        # small files grouped into one unit, at most this many …
SMALL_RUN = 4 << 20      # … a run with less input than this stays in-process (starting workers costs more)

__all__ = ["Options", "Run", "Batch", "WorkerDied", "work", "judge", "schema_for_path", "shown_exchange",
           "missing_paths", "CHUNK", "SMALL_RUN"]


@dataclass(frozen=True, slots=True)
class Options:
    schema: str | None = None
    strict: bool = False
    rules: bool = True
    drift: bool = False
    max_depth: int = 256
    jobs: int = 1


class Batch:
    """The outcomes of one work unit, in input order, packed for the trip between processes.

    Most payloads of a big run are *plain*: valid, no warnings, no HTTP exchange. Those travel as two compact
    arrays (record numbers, schema indexes) instead of one tuple each, and a report that does not list valid
    payloads (text, github) never unpacks them. ``others`` holds every other outcome in full.
    """

    __slots__ = ("source", "plain", "plain_schema", "schemas", "others", "drift", "skipped", "no_schema", "newlines",
                 "offset")

    def __init__(self, source: str | None = None) -> None:
        self.source = source            # the one source of the plain rows (a block of JSON Lines)
        self.plain = array("q")         # record number (= line number) of each plain row
        self.plain_schema = bytearray()  # index into ``schemas`` of each plain row
        self.schemas: list[str] = []
        self.others: list[Outcome] = []
        self.drift: Drift | None = None
        self.skipped = 0                # HAR / cassette entries that are not JSON
        self.no_schema = 0              # responses of known endpoints without a schema (no card data in them)
        self.newlines = 0
        self.offset = 0                 # added to the plain rows' numbers (set by the parent)

    def __getstate__(self):
        return (self.source, self.plain, bytes(self.plain_schema), self.schemas, self.others, self.drift,
                self.skipped, self.no_schema, self.newlines, self.offset)

    def __setstate__(self, state) -> None:
        (self.source, self.plain, self.plain_schema, self.schemas, self.others, self.drift, self.skipped,
         self.no_schema, self.newlines, self.offset) = state

    def __len__(self) -> int:
        return len(self.plain) + len(self.others)

    def add(self, o: Outcome) -> None:
        if o.verdict == VALID and not o.warnings and o.http is None and o.source == self.source \
                and o.record == o.line and o.record is not None:
            try:
                index = self.schemas.index(o.schema)
            except ValueError:
                index = len(self.schemas)
                self.schemas.append(o.schema)
            if index < 256:
                self.plain.append(o.record)
                self.plain_schema.append(index)
                return
        self.others.append(o)

    def plain_counts(self) -> dict[str, int]:
        """Plain rows per schema."""
        return {name: self.plain_schema.count(i) for i, name in enumerate(self.schemas)}

    def plain_rows(self) -> Iterator[tuple[int, str]]:
        """``(record number, schema)`` of the plain rows, numbers shifted by ``offset``."""
        schemas, offset = self.schemas, self.offset
        for number, index in zip(self.plain, self.plain_schema):
            yield number + offset, schemas[index]

    def __iter__(self) -> Iterator[Outcome]:
        """Every outcome in input order (plain rows unpacked)."""
        if not self.plain:
            yield from self.others
            return
        others = self.others
        j, n = 0, len(others)
        source = self.source
        for number, schema in self.plain_rows():
            while j < n and (others[j].line or 0) < number:
                yield others[j]
                j += 1
            yield Outcome(source, number, number, None, schema, VALID)
        yield from others[j:]


# ---------------------------------------------------------------- judging one record

@lru_cache(maxsize=4096)
def schema_for_path(source: str) -> str | None:
    """The schema a file is named after: ``…/paiwise/requests/create.json`` → ``paiwise/requests/create`` (the
    longest schema name the path ends with, at a folder boundary), or as ``generate`` names its files:
    ``paiwise-requests-create-valid-0003.json``; else ``None``."""
    stem = source.replace(os.sep, "/")
    lower = stem.lower()
    if lower.endswith(".gz"):
        stem, lower = stem[:-3], lower[:-3]
    for suffix in (".jsonl", ".ndjson", ".json", ".yaml", ".yml"):
        if lower.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    else:
        return None
    best = None
    base = stem.rpartition("/")[2]
    for name in registry.names():
        if (stem == name or stem.endswith("/" + name)) and (best is None or len(name) > len(best)):
            best = name
    if best is None:  # generate's file names: paiwise-requests-create-valid-0003.json, …-lifecycle-0001-02.yaml
        match = _GENERATED.match(base)
        if match:
            best = {name.replace("/", "-"): name for name in registry.names()}.get(match.group(1))
    return best


_GENERATED = re.compile(r"^(.+)-(?:valid|edge|invalid|lifecycle)(?:-[0-9]{4}(?:-[0-9]{2})?)?$")


def shown_exchange(http: Any) -> tuple | None:
    """(method, URL, status) safe to print: no user info, query or fragment (tokens ride there), scrubbed."""
    if http is None:
        return None
    method = http.method if isinstance(http.method, str) and http.method.isalpha() else None
    url = public_url(http.url) if isinstance(http.url, str) else None
    status = http.status if isinstance(http.status, int) and 100 <= http.status <= 999 else None
    return (method, url, status)


def judge(rec: Any, opts: Options, drift: Drift | None = None, raw: bytes | None = None) -> Outcome | None:
    """The verdict on one :class:`contracts.inputs.Record`. Never raises: a crash inside ``check`` is an
    ``internal-error`` finding (verdict invalid) and the run goes on.

    ``None``: not judged, the caller counts it as skipped — a response of a known endpoint without a schema
    (``schema: null`` in the route map), or a response that is not JSON (``rec.data`` None), with nothing wrong in
    what was checked (the card-data scan; the JSON request body)."""
    http = rec.http
    source = scrub(rec.source)  # a file can be named after a card number or an e-mail
    try:
        shown_http = shown_exchange(http)
    except Exception:
        shown_http = None
    if rec.error is not None:  # the reader's reason, scrubbed in case it quotes the payload
        return Outcome(source, rec.record, rec.line, rec.column, None, UNREADABLE,
                       ((None, "unreadable", scrub(rec.error)),), (), shown_http)
    if rec.data is None:  # not a JSON response: only its JSON request body is checked
        return _without_schema(rec, source, shown_http, opts.strict)
    schema = opts.schema
    try:
        if schema is None:
            if http is None:
                schema = schema_for_path(rec.source)
            else:
                route = route_for(http)
                if route is not None and not route.schemas:
                    return _without_schema(rec, source, shown_http, opts.strict)
                schema = route.choose(rec.data) if route is not None else None
        result = check(rec.data, schema, strict=opts.strict, rules_on=opts.rules, http=http, raw=raw,
                       duplicate_keys=rec.duplicate_keys)
    except Exception as exc:  # our bug, not the payload's: say so, keep going
        return Outcome(source, rec.record, rec.line, None, schema, INVALID,
                       (("$", "internal-error", f"checking this payload failed ({type(exc).__name__}); "
                                                "please report it"),), (), shown_http)
    findings = result.findings
    if findings:
        errors = tuple((f.path, f.code, f.message) for f in findings if f.severity == ERROR)
        warnings = tuple((f.path, f.code, f.message) for f in findings if f.severity != ERROR)
    else:
        errors = warnings = ()
    outcome = Outcome(source, rec.record, rec.line, None, result.schema, INVALID if errors else VALID,
                      errors, warnings, shown_http)
    if drift is not None:
        drift.add(result.schema, rec.data, findings, (source, rec.record, rec.line), not errors)
    return outcome


def _without_schema(rec: Any, source: str, shown_http: tuple | None, strict: bool) -> Outcome | None:
    """A response of an endpoint without a schema: only the card-data scan applies to it (a card number in any
    response is an error), and the request checks to the request that went with it; nothing found: ``None``,
    skipped."""
    from .http import check_request
    findings = (cardscan.scan(rec.data) if rec.data is not None else []) + check_request(rec.http, strict)
    errors = tuple((f.path, f.code, f.message) for f in findings if f.severity == ERROR)
    if not errors:  # (a drift warning on the request alone does not make a skipped response a judged payload)
        return None
    warnings = tuple((f.path, f.code, f.message) for f in findings if f.severity != ERROR)
    return Outcome(source, rec.record, rec.line, None, None, INVALID, errors, warnings, shown_http)


# ---------------------------------------------------------------- work units (run in a worker or in-process)
#   ("range", path, offset, length)        whole JSON Lines of a plain file, read by the worker; numbered from 1
#                                          (the parent shifts the numbers: it knows how many lines came before)
#   ("lines", source, first_line, data)    whole JSON Lines (decompressed gzip, stdin), the first numbered first_line
#   ("files", [path, ...])                 files read whole by contracts.inputs (documents, HAR, cassettes, YAML)
#   ("stdin", data)                        a non-JSONL stdin, read whole
#   ("done", [Outcome, ...])               outcomes the planner already knows (a read error between blocks)

def work(unit: tuple, opts: Options) -> Batch:
    """Run one unit."""
    kind = unit[0]
    batch = Batch(unit[1] if kind in ("range", "lines") else None)
    drift = batch.drift = Drift() if opts.drift else None
    stats: dict[str, int] = {}
    if kind == "range":
        _, path, offset, length = unit
        try:
            with open(path, "rb") as fh:
                fh.seek(offset)
                data = fh.read(length)
        except OSError as exc:
            batch.add(Outcome(scrub(path), 1, 1, None, None, UNREADABLE,
                              ((None, "unreadable", f"read error: {exc.strerror or exc}"),)))
        else:
            batch.newlines = _lines(batch, path, 1, data, opts, drift, bom=offset == 0)
    elif kind == "lines":
        _lines(batch, unit[1], unit[2], unit[3], opts, drift, bom=unit[2] == 1)
    elif kind in ("files", "stdin"):
        paths = unit[1] if kind == "files" else ()
        if paths and fastpath.get() is not None:
            paths = _small_jsonl(batch, paths, opts, drift)
        records = (rec for path in paths for rec in read_file(path, max_depth=opts.max_depth, stats=stats)) \
            if kind == "files" else read_stream(io.BytesIO(unit[1]), STDIN_SOURCE, max_depth=opts.max_depth, stats=stats)
        for rec in records:
            outcome = judge(rec, opts, drift)
            if outcome is None:
                if rec.data is None:
                    batch.skipped += 1  # a non-JSON response; its JSON request was clean
                else:
                    batch.no_schema += 1
            else:
                batch.add(outcome)
    else:
        batch.others.extend(unit[1])
    batch.skipped += stats.get("skipped_non_json", 0)
    return batch


def _lines(batch: Batch, source: str, first: int, data: bytes, opts: Options, drift: Drift | None, *,
           bom: bool) -> int:
    """Judge a block of JSON Lines exactly as ``contracts.inputs`` reads them (a BOM on the file's first line,
    blank lines skipped but counted). The compiled fast path certifies the plain lines (valid, nothing to say)
    in one call; every other line goes through ``judge`` with its bytes, so the card-data scan can skip clean
    ones. Returns the number of line breaks in ``data``."""
    certified = _certified(batch, source, first, data, opts, drift, bom)
    if certified is None:
        _judge_lines(batch, source, enumerate(io.BytesIO(data), first), opts, drift, first if bom else None)
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
        schema = opts.schema or schema_for_path(source)
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
        add(judge(rec, opts, drift, raw=line))


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
    schema = opts.schema or schema_for_path(source)
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


def _small_jsonl(batch: Batch, paths: list[str], opts: Options, drift: Drift | None) -> list[str]:
    """Judge the plain JSON Lines files among ``paths`` as blocks (so the fast path sees them); return the rest,
    for the reader. The outcomes keep the order of ``paths``: a file is taken here only while no earlier one was
    left for the reader."""
    for i, path in enumerate(paths):
        try:
            with open(path, "rb") as fh:
                src, kind, compressed, problem, _ = probe(fh, path)
                if kind != "jsonl" or compressed or problem:
                    return paths[i:]
                data = src.read()
        except OSError:
            return paths[i:]
        block = Batch(path)
        _lines(block, path, 1, data, opts, drift, bom=True)
        batch.others.extend(block)
    return []


def _unit_size(unit: tuple) -> int:
    kind = unit[0]
    if kind == "range":
        return unit[3]
    if kind == "lines":
        return len(unit[3])
    if kind == "stdin":
        return len(unit[1])
    if kind == "files":
        total = 0
        for path in unit[1]:
            try:
                total += os.path.getsize(path)
            except OSError:
                pass
        return total
    return 0


# ---------------------------------------------------------------- planning (parent process)

class _Planner:
    def __init__(self, paths: Iterable[str], stdin: BinaryIO | None, exclude: Iterable[str] = (), jobs: int = 1) -> None:
        self.paths = list(paths)
        self.jobs = jobs
        self.stdin = stdin
        self.exclude = frozenset(os.path.realpath(p) for p in exclude)
        self.sources = 0
        self.passed_over = [0]  # files in folders that are not read: other suffixes, generate's manifests
        self._small: list[str] = []
        self._small_bytes = 0

    def __iter__(self) -> Iterator[tuple]:
        for path in self.paths:
            if path == STDIN:
                yield from self._flush()
                self.sources += 1
                yield from self._stream(self.stdin if self.stdin is not None else sys.stdin.buffer, STDIN_SOURCE, None)
            elif os.path.isdir(path):
                for file, error in walk(path, self.passed_over, self.exclude):
                    if error is not None:
                        yield from self._flush()
                        reason = f"cannot read directory: {error.strerror or error}"
                        yield ("done", [Outcome(scrub(file), None, None, None, None, UNREADABLE,
                                                ((None, "unreadable", reason),))])
                    else:
                        yield from self._file(file)
            else:
                yield from self._file(path)
        yield from self._flush()

    def _flush(self) -> Iterator[tuple]:
        if self._small:
            yield ("files", self._small)
            self._small, self._small_bytes = [], 0

    def _file(self, path: str) -> Iterator[tuple]:
        if self.exclude and os.path.realpath(path) in self.exclude:
            return  # the report being written (``--output`` inside a folder being read)
        self.sources += 1
        try:
            size = os.path.getsize(path)
        except OSError:
            size = 0
        if size < CHUNK:  # read whole by a worker; grouped with its neighbours
            self._small.append(path)
            self._small_bytes += size
            if len(self._small) >= SMALL_FILES or self._small_bytes >= CHUNK:
                yield from self._flush()
            return
        yield from self._flush()
        try:
            handle = open(path, "rb")
        except OSError:
            yield ("files", [path])  # the reader reports why
            return
        with handle:
            yield from self._stream(handle, path, path)

    def _stream(self, stream: BinaryIO, source: str, name: str | None) -> Iterator[tuple]:
        """Mirror ``contracts.inputs.reader``: JSON Lines are cut into blocks, anything else is read whole."""
        try:
            src, kind, compressed, _, _ = probe(stream, name)
        except Exception:
            src, kind, compressed = Peekable(stream), None, False
        if kind != "jsonl":
            if name is not None:
                yield ("files", [name])
            else:
                try:
                    data = src.read()
                except Exception as exc:  # a corrupt gzip on stdin
                    yield ("done", [Outcome(scrub(source), None, None, None, None, UNREADABLE,
                                            ((None, "unreadable", gz.read_error(exc)),))])
                    return
                yield ("stdin", data)
            return
        if compressed or name is None:
            yield from _blocks(src, source, compressed)
        else:
            yield from _ranges(stream, name, self.jobs)


def _ranges(handle: BinaryIO, path: str, jobs: int = 1) -> Iterator[tuple]:
    """``("range", path, offset, length)`` units of about ``CHUNK`` bytes, each ending at a line end — larger for a
    big file read by several workers (up to ``4 × CHUNK``, at least 8 units a worker): the fast path judges a block
    in milliseconds, so fewer units mean less time handing them out. A range unit carries no bytes (its worker
    reads them), so memory stays flat."""
    try:
        size = os.fstat(handle.fileno()).st_size
        chunk = CHUNK if jobs <= 1 else min(4 * CHUNK, max(CHUNK, size // (8 * jobs)))
        offset = 0
        while offset < size:
            end = offset + chunk
            if end >= size:
                end = size
            else:
                handle.seek(end)
                end += len(handle.readline())
            yield ("range", path, offset, end - offset)
            offset = end
    except OSError:
        yield ("files", [path])  # the reader reports why


def _blocks(src: Peekable, source: str, by_line: bool) -> Iterator[tuple]:
    """``("lines", source, first_line, data)`` blocks of about ``CHUNK`` bytes of whole lines. A read error
    (a corrupt gzip) ends the source with one unreadable record, as the serial reader does."""
    first = 1
    parts: list[bytes] = []
    size = 0
    while True:
        try:
            if by_line:  # decompressing: line by line, so every line before a corrupt block is kept
                piece = src.readline()
            else:
                piece = src.read(CHUNK - size if size < CHUNK else CHUNK)
                if piece and not piece.endswith(b"\n"):
                    piece += src.readline()
        except Exception as exc:
            if parts:
                data = b"".join(parts)
                yield ("lines", source, first, data)
                first += data.count(b"\n")
            number = first
            yield ("done", [Outcome(scrub(source), number, number, None, None, UNREADABLE,
                                    ((None, "unreadable", gz.read_error(exc)),))])
            return
        if piece:
            parts.append(piece)
            size += len(piece)
        if size >= CHUNK or (not piece and parts):
            data = b"".join(parts)
            yield ("lines", source, first, data)
            first += data.count(b"\n")
            parts, size = [], 0
        if not piece:
            return


# ---------------------------------------------------------------- the run

class WorkerDied(RuntimeError):
    """A worker process ended abruptly (killed, out of memory, a crash in native code): the run is incomplete."""


class Run:
    """Iterate to get :class:`Batch` es of outcomes in input order; afterwards ``sources``, ``seconds``, ``skipped``
    (non-JSON HAR/cassette entries), ``no_schema`` (responses of endpoints without a schema) and ``drift`` (merged
    tally, when ``options.drift``) are set."""

    def __init__(self, paths: Iterable[str], options: Options, *, stdin: BinaryIO | None = None,
                 exclude: Iterable[str] = ()) -> None:
        self.options = options
        self._planner = _Planner(paths, stdin, exclude, options.jobs)
        self.drift = Drift()
        self.skipped = 0
        self.no_schema = 0
        self.seconds = 0.0
        self.parallel = False
        self._lines_before: dict[str, int] = {}

    @property
    def sources(self) -> int:
        return self._planner.sources

    @property
    def passed_over(self) -> int:
        """Files met in folders and not read: other suffixes, and the manifests ``generate`` writes."""
        return self._planner.passed_over[0]

    def _take(self, unit: tuple, batch: Batch) -> Batch:
        if unit[0] == "range":  # the worker numbered the lines from 1: shift them after the lines before
            path = unit[1]
            offset = self._lines_before.get(path, 0) if unit[2] else 0
            self._lines_before[path] = offset + batch.newlines
            if offset:
                batch.offset = offset
                batch.others = [o._replace(record=o.record + offset, line=o.line + offset) for o in batch.others]
                if batch.drift is not None:
                    self.drift.merge(batch.drift, offset)
                    batch.drift = None
        if batch.drift is not None:
            self.drift.merge(batch.drift)
        self.skipped += batch.skipped
        self.no_schema += batch.no_schema
        return batch

    def __iter__(self) -> Iterator[Batch]:
        start = time.perf_counter()
        opts = self.options
        units = iter(self._planner)
        try:
            if opts.jobs <= 1:
                for unit in units:
                    yield self._take(unit, work(unit, opts))
                return
            head: list[tuple] = []
            size = 0
            for unit in units:
                head.append(unit)
                size += _unit_size(unit)
                if size >= SMALL_RUN or len(head) > 2 * opts.jobs:
                    break
            else:  # everything planned, and it is small
                for unit in head:
                    yield self._take(unit, work(unit, opts))
                return
            self.parallel = True
            yield from self._parallel(head, units)
        finally:
            self.seconds = time.perf_counter() - start

    def _parallel(self, head: list[tuple], units: Iterator[tuple]) -> Iterator[Batch]:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool
        from itertools import chain

        opts = self.options
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        if method == "fork":
            fastpath.get()  # compiled once here; the forked workers inherit it
            import gc
            gc.freeze()  # what is loaded by now is never collected: no parent time spent scanning it, and the
            #              workers do not copy the pages a collection would touch
        pool = ProcessPoolExecutor(max_workers=opts.jobs, mp_context=multiprocessing.get_context(method))
        pending: deque = deque()
        try:
            for unit in chain(head, units):
                pending.append((unit, pool.submit(work, unit, opts)))
                if len(pending) >= 2 * opts.jobs:
                    unit, future = pending.popleft()
                    yield self._take(unit, future.result())
            while pending:
                unit, future = pending.popleft()
                yield self._take(unit, future.result())
        except BrokenProcessPool:
            where = unit[1] if unit[0] in ("range", "lines") else (unit[1][0] if unit[0] == "files" else "stdin")
            raise WorkerDied(f"a worker process died while checking {where}; the report is incomplete "
                             "(rerun with --jobs 1 to find the payload)") from None
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
