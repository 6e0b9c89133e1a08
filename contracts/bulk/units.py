"""Work units: what one worker reads and judges — the protocol every engine (``validate --jobs``, Dask, Spark)
shares.

A :class:`Unit` names its bytes; the worker reads them itself (a local path with ``open``, a URL —
``s3://…``, ``gs://…``, ``file://…``, ``memory://…`` — through fsspec), so planning never moves payload bytes,
except for a stream (stdin, a pipe), which can be read only once, by the planner: its units carry their bytes.

A *range* of a plain (uncompressed) JSON Lines file owns the lines that **start** inside
``[offset, offset + length)``: its worker skips the line that began before ``offset`` (the previous range owns
it) and reads past the end to finish its own last line. So ranges are planned from file sizes alone, without
reading a byte, and every line belongs to exactly one range. A gzip file is one unit (gzip cannot be read from
the middle).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import BinaryIO, Callable

__all__ = ["Unit", "open_source", "is_url", "owned_reader", "count_lines"]


@dataclass(frozen=True, slots=True)
class Unit:
    """One piece of work.

    ``source``: a path or an fsspec URL (as reported). ``offset``/``length``: the byte range of a JSON Lines
    file whose lines the unit owns (``length`` None: to the end). ``compressed``: a gzip file, read and
    decompressed whole by one worker. ``jsonl``: known to be JSON Lines (a range of a split file, a block of a
    stream); otherwise the worker sniffs what the file holds. ``first_line``: the number of the unit's first
    line; ``relative``: not known when planned — the lines are numbered from ``first_line`` and the scheduler
    shifts them by the line breaks of the units before (each :class:`Batch` reports its ``newlines``), or the
    engine counts them first (:func:`count_lines`). ``data``: the bytes themselves, for a stream read once.
    ``index``: the unit's place in the plan (results carry it; a unit whose results appear twice is found by it).
    """
    source: str
    offset: int = 0
    length: int | None = None
    compressed: bool = False
    jsonl: bool = False
    first_line: int = 1
    relative: bool = False
    data: bytes | None = None
    index: int = 0

    def with_(self, **changes) -> "Unit":
        return replace(self, **changes)

    def __repr__(self) -> str:  # never the bytes: a unit may be printed by an engine's task log
        data = f", data=<{len(self.data)} bytes>" if self.data is not None else ""
        return (f"Unit({self.source!r}, offset={self.offset}, length={self.length}, compressed={self.compressed}, "
                f"jsonl={self.jsonl}, first_line={self.first_line}, relative={self.relative}{data}, "
                f"index={self.index})")

    __str__ = __repr__


def is_url(source: str) -> bool:
    return "://" in source


def open_source(source: str, storage_options: dict | None = None) -> BinaryIO:
    """A binary file object for a path or an fsspec URL (fsspec is needed only for URLs)."""
    if not is_url(source):
        return open(source, "rb")
    import fsspec
    return fsspec.open(source, "rb", **(storage_options or {})).open()


def owned_reader(fh: BinaryIO, offset: int, length: int | None) -> Callable[[int], bytes]:
    """``read(n)`` over the bytes of the lines that start in ``[offset, offset + length)`` of ``fh``."""
    end = None if length is None else offset + length
    pos = offset
    if offset > 0:
        fh.seek(offset - 1)
        before = fh.read(1)
        pos = offset
        if before != b"\n":  # skip the rest of the line the range before owns
            while True:
                chunk = fh.read(64 << 10)
                if not chunk:
                    return lambda n: b""
                nl = chunk.find(b"\n")
                if nl >= 0:
                    pos += nl + 1
                    break
                pos += len(chunk)
                if end is not None and pos >= end:  # still inside that line at our end: nothing is ours
                    return lambda n: b""
            fh.seek(pos)
    if end is not None and pos >= end:
        return lambda n: b""
    if end is None:
        return fh.read
    state = {"pos": pos, "tail": True}

    def read(n: int) -> bytes:
        p = state["pos"]
        if p < end:
            data = fh.read(min(n, end - p))
            state["pos"] = p + len(data)
            if not data:
                state["tail"] = False
            elif state["pos"] == end and data.endswith(b"\n"):
                state["tail"] = False  # the line starting at ``end`` is the next range's
            return data
        if not state["tail"]:
            return b""
        data = fh.read(n)
        nl = data.find(b"\n")
        if nl >= 0 or not data:
            state["tail"] = False
            return data[:nl + 1] if nl >= 0 else data
        return data
    return read


def count_lines(unit: Unit, storage_options: dict | None = None) -> tuple[int, int]:
    """``(line breaks, records)`` of the lines a plain range owns: what the ranges after it add to their line
    numbers, and how many records (non-blank lines) judging it must give."""
    from ..inputs.jsonl import HUGE, frame, lines
    from ..inputs.sniff import strip_bom
    with open_source(unit.source, storage_options) as fh:
        breaks = records = 0
        first = unit.offset == 0
        for kind, piece in frame(owned_reader(fh, unit.offset, unit.length)):
            if kind == HUGE:
                breaks += 1 if piece[1] else 0
                records += 1
            else:
                breaks += piece.count(b"\n")
                found = lines(piece)
                if first and found:
                    found[0] = strip_bom(found[0])
                records += sum(1 for line in found if not line.isspace())
            first = False
        return breaks, records


def sizes(source: str, storage_options: dict | None = None) -> int:
    if not is_url(source):
        return os.path.getsize(source)
    import fsspec
    fs, path = fsspec.core.url_to_fs(source, **(storage_options or {}))
    return fs.size(path)
