"""Planning: paths → work units, in input order, without parsing a payload.

:class:`Planner` is ``validate``'s local planner: it walks folders, groups small files, cuts big plain JSON Lines
files into ranges by size alone (:class:`Unit` owns the lines that start in its range) and reads each *stream* —
stdin, a pipe, a FIFO, ``<(…)``, a device, and gzip, which cannot be read from the middle — exactly once, as a
stream, cutting its JSON Lines into blocks of about ``CHUNK`` bytes that travel with their unit. A line longer
than the size limit of one record is skipped by scanning (one unreadable outcome), never held.

:func:`plan` is the engines' planner (Dask, Spark): the same units for paths or fsspec URLs, one unit a gzip
file, without reading the streams on the driver (an engine's workers read their own bytes)."""
from __future__ import annotations

import os
import stat
import sys
from typing import BinaryIO, Iterable, Iterator

from ..inputs import gz
from ..inputs.jsonl import HUGE, frame
from ..inputs.jsonparse import size_reason
from ..inputs.paths import STDIN, format_hint, is_known, walk
from ..inputs.reader import STDIN_SOURCE, probe
from ..redact import scrub
from ..report import UNREADABLE, Outcome
from .batch import Batch
from .units import Unit, is_url

CHUNK = 2 << 20          # bytes of JSON Lines per work unit
SMALL_FILES = 256        # small files grouped into one unit, at most this many …
LAKE_CHUNK = 32 << 20    # bytes per range for an engine (Dask, Spark): a task costs them 10–100 ms to hand out

__all__ = ["Planner", "plan", "CHUNK", "SMALL_FILES", "range_size"]


def range_size(size: int, jobs: int, chunk: int | None = None) -> int:
    """Bytes per range of a big file: ``CHUNK``, larger when several workers share it (up to ``4 × CHUNK``, at
    least 8 ranges a worker): the fast path judges a block in milliseconds, so fewer units mean less time handing
    them out."""
    chunk = chunk or CHUNK
    return chunk if jobs <= 1 else min(4 * chunk, max(chunk, size // (8 * jobs)))


def _known(source: str, reason: str, line: int | None = None) -> Batch:
    batch = Batch(None)
    batch.others.append(Outcome(scrub(source), line, line, None, None, UNREADABLE, ((None, "unreadable", reason),)))
    return batch


class Planner:
    """Iterate for tasks: a :class:`Unit`, a tuple of units (small files, one task), or a :class:`Batch` of
    outcomes already known (a folder that cannot be listed, a read error of a stream)."""

    def __init__(self, paths: Iterable[str], stdin: BinaryIO | None, exclude: Iterable[str] = (), jobs: int = 1) -> None:
        self.paths = list(paths)
        self.jobs = jobs
        self.stdin = stdin
        self.exclude = frozenset(os.path.realpath(p) for p in exclude)
        self.sources = 0
        self.passed_over = [0]  # files in folders that are not read: other suffixes, generate's manifests
        self._small: list[Unit] = []
        self._small_bytes = 0

    def __iter__(self) -> Iterator:
        for path in self.paths:
            if path == STDIN:
                yield from self._flush()
                self.sources += 1
                yield from self._stream(self.stdin if self.stdin is not None else sys.stdin.buffer, STDIN_SOURCE,
                                        None)
            elif is_url(path):  # s3://…, gs://…: listed and sized through fsspec, read by the workers
                yield from self._flush()
                for unit in plan([path], chunk=range_size(1 << 40, self.jobs)):
                    self.sources += unit.offset == 0
                    yield unit.with_(index=0)
            elif os.path.isdir(path):
                for file, error in walk(path, self.passed_over, self.exclude):
                    if error is not None:
                        yield from self._flush()
                        yield _known(file, f"cannot read directory: {error.strerror or error}")
                    else:
                        yield from self._file(file)
            else:
                yield from self._file(path)
        yield from self._flush()

    def _flush(self) -> Iterator:
        if self._small:
            yield tuple(self._small)
            self._small, self._small_bytes = [], 0

    def _file(self, path: str) -> Iterator:
        if self.exclude and os.path.realpath(path) in self.exclude:
            return  # the report being written (``--output`` inside a folder being read)
        self.sources += 1
        try:
            info = os.stat(path)
        except OSError:
            info = None
        regular = info is not None and stat.S_ISREG(info.st_mode)
        size = info.st_size if regular else 0
        gzip_name = path.lower().endswith(".gz")
        if info is not None and regular and size < CHUNK and not gzip_name:  # read whole by a worker, grouped
            self._small.append(Unit(path))
            self._small_bytes += size
            if len(self._small) >= SMALL_FILES or self._small_bytes >= CHUNK:
                yield from self._flush()
            return
        yield from self._flush()
        if info is None:
            yield Unit(path)  # the worker reports why it cannot be read
            return
        if stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode):  # /dev/zero behind a .jsonl name: endless
            yield _known(path, "a device, not a file or a pipe: not read")
            return
        try:
            handle = open(path, "rb")
        except OSError:
            yield Unit(path)
            return
        with handle:
            if not regular:  # a pipe, a FIFO, <(…), a device: read once, here, as a stream
                yield from self._stream(handle, path, path)
                return
            try:
                src, kind, compressed, reason, _ = probe(handle, path)
            except Exception:
                kind, compressed, reason = None, False, "x"
            if kind == "jsonl" and reason is None and compressed:
                yield from self._blocks(src, path)
            elif kind == "jsonl" and reason is None:
                chunk = range_size(size, self.jobs)
                yield from (Unit(path, offset, chunk, jsonl=True, relative=offset > 0)
                            for offset in range(0, size, chunk))
            else:
                yield Unit(path)  # a document, YAML, HAR …, or unreadable: the worker reads and says

    def _stream(self, stream: BinaryIO, source: str, name: str | None) -> Iterator:
        """A stream read once: JSON Lines cut into blocks, anything else read whole."""
        try:
            src, kind, compressed, reason, at_start = probe(stream, name)
        except Exception as exc:
            yield _known(source, gz.read_error(exc))
            return
        if kind == "jsonl" and reason is None:
            yield from self._blocks(src, source)
            return
        from ..inputs.jsondoc import WHOLE_LIMIT
        limit = WHOLE_LIMIT
        if kind == "yaml":
            from ..inputs.yamlin import YAML_MAX_BYTES  # PyYAML only when there is YAML to read
            limit = YAML_MAX_BYTES
        try:
            data = src.read(limit + 1)  # never more than the bound of one document (a gzip bomb on stdin)
        except Exception as exc:  # a corrupt gzip on stdin
            yield _known(source, gz.read_error(exc))
            return
        if len(data) > limit:
            batch = _known(source, f"document of more than {limit // 1048576} MB on a stream: larger than the bound "
                                   "for one payload (a HAR, a cassette or a top-level array given as a file is read "
                                   "entry by entry)", 1)
            batch.others[0] = batch.others[0]._replace(column=1)
            yield batch
            return
        yield Unit(source, data=data)

    @staticmethod
    def _blocks(src, source: str) -> Iterator:
        """Units of about ``CHUNK`` bytes of whole lines, each with its bytes and first line number. A line over
        the size limit is one unreadable outcome (skipped by scanning); a read error (a corrupt gzip) ends the
        source with one unreadable record, as the serial reader does."""
        first, offset = 1, 0
        parts: list[bytes] = []
        size = 0

        def block() -> Unit:
            return Unit(source, offset=offset, jsonl=True, first_line=first, data=b"".join(parts))

        read = getattr(src, "read1", src.read)
        pieces = frame(read, size=256 << 10)
        while True:
            try:
                item = next(pieces, None)
            except Exception as exc:
                if parts:
                    yield block()
                    first += sum(p.count(b"\n") for p in parts)
                yield _known(source, gz.read_error(exc), first)
                return
            if item is None or item[0] == HUGE or size >= CHUNK:
                if parts:
                    unit = block()
                    yield unit
                    first += unit.data.count(b"\n")
                    offset += size
                    parts, size = [], 0
                if item is None:
                    return
            kind, piece = item
            if kind == HUGE:
                nbytes, newline = piece
                yield _huge(source, nbytes, first)
                first += 1 if newline else 0
                offset += nbytes
                continue
            parts.append(piece)
            size += len(piece)


def _huge(source: str, nbytes: int, line: int) -> Batch:
    batch = Batch(None)
    batch.others.append(Outcome(scrub(source), line, line, 1, None, UNREADABLE,
                                ((None, "unreadable", size_reason(nbytes)),)))
    return batch


# ---------------------------------------------------------------- the engines' planner

def expand(paths: Iterable[str], storage_options: dict | None = None) -> list[str]:
    """Files to read, in order: a file or URL as given; a folder (local or in a bucket) walked, names sorted,
    only the suffixes ``validate`` reads; a glob (``s3://bucket/2024-05-*/*.jsonl.gz``) expanded."""
    out: list[str] = []
    for path in paths:
        if not is_url(path):
            if os.path.isdir(path):
                out.extend(file for file, error in walk(path) if error is None)
            else:
                out.append(path)
            continue
        import fsspec
        fs, root = fsspec.core.url_to_fs(path, **(storage_options or {}))
        protocol = path.split("://", 1)[0]
        if any(ch in root for ch in "*?["):
            found = sorted(fs.glob(root))
        elif fs.isdir(root):
            found = sorted(p for p in fs.find(root) if is_known(p.rsplit("/", 1)[-1])
                           and not p.rsplit("/", 1)[-1].startswith("."))
        else:
            found = [root]
        out.extend(f"{protocol}://{p}" if "://" not in p else p for p in found)
    return out


def plan(paths: Iterable[str], *, storage_options: dict | None = None, chunk: int | None = None) -> list[Unit]:
    """The units of ``paths`` (files, folders, globs, fsspec URLs) for an engine: a plain JSON Lines file over
    ``chunk`` bytes (default ``LAKE_CHUNK``) in ranges (its head is read here, to know it is JSON Lines), a gzip file or anything else one
    unit. Ranges after a file's first are ``relative``: :func:`number` gives them their first line numbers."""
    from .units import open_source, sizes
    chunk = chunk or LAKE_CHUNK
    units: list[Unit] = []
    for source in expand(paths, storage_options):
        try:
            size = sizes(source, storage_options)
        except Exception:
            size = 0
        hint, gzip_suffix = format_hint(source)
        if gzip_suffix:
            units.append(Unit(source, compressed=True, index=len(units)))
            continue
        jsonl = False
        if size > chunk:
            try:
                with open_source(source, storage_options) as fh:
                    _, kind, compressed, reason, _ = probe(fh, source)
                jsonl = kind == "jsonl" and reason is None and not compressed
            except Exception:
                jsonl = False
        if not jsonl:
            units.append(Unit(source, index=len(units)))
            continue
        for offset in range(0, size, chunk):
            units.append(Unit(source, offset, chunk, jsonl=True, relative=offset > 0, index=len(units)))
    return units


def number(units: list[Unit], counts: dict[int, int]) -> list[Unit]:
    """Give each relative range its first line number from ``counts`` (unit index → line breaks in the lines
    it owns, for every range of a split file)."""
    out: list[Unit] = []
    before: dict[str, int] = {}
    for unit in units:
        if unit.jsonl and unit.data is None and not unit.compressed and unit.length is not None:
            lines = before.get(unit.source, 0) if unit.offset else 0
            if unit.relative:
                unit = unit.with_(first_line=lines + 1, relative=False)
            before[unit.source] = lines + counts.get(unit.index, 0)
        out.append(unit)
    return out


def to_count(units: list[Unit]) -> list[Unit]:
    """The ranges of split files: their line breaks number the ranges after them, their records reconcile."""
    return [u for u in units if u.jsonl and u.length is not None and u.data is None and not u.compressed]
