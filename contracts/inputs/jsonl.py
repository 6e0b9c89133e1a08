"""JSON Lines: one JSON value per physical line, read line by line (flat memory).

``record`` and ``line`` are both the physical line number; blank lines are
skipped but counted. An empty JSONL file yields no records.
"""
from __future__ import annotations

from typing import Iterator

from . import gz
from .jsonparse import MAX_RECORD_BYTES, not_object_reason, parse_document, size_reason
from .model import Record, unreadable
from .sniff import strip_bom


def jsonl_records(stream, *, source: str, max_depth: int) -> Iterator[Record]:
    """``stream`` needs ``readline()``; reading stops at the first read error."""
    number = 0
    while True:
        try:
            line = stream.readline(MAX_RECORD_BYTES + 1)  # never more than one record's bound in memory
            size = len(line)
            if size > MAX_RECORD_BYTES and not line.endswith(b"\n"):
                line = b""
                while True:  # skip the rest of the line by scanning it, a megabyte at a time
                    rest = stream.readline(1 << 20)
                    size += len(rest)
                    if not rest or rest.endswith(b"\n"):
                        break
                number += 1
                yield unreadable(source, size_reason(size), record=number, line=number, column=1)
                continue
        except Exception as exc:  # corrupt gzip, I/O error: report and stop this source
            yield unreadable(source, gz.read_error(exc), record=number + 1, line=number + 1)
            return
        if not line:
            return
        number += 1
        if number == 1:
            line = strip_bom(line)
        if line.isspace():
            continue
        try:
            yield line_record(line, number, source=source, max_depth=max_depth)
        except Exception as exc:  # never let one line stop the stream
            yield unreadable(source, f"internal error: {type(exc).__name__}: {exc}", record=number, line=number)


def line_record(line: bytes, number: int, *, source: str, max_depth: int) -> Record:
    if len(line) > MAX_RECORD_BYTES:
        return unreadable(source, size_reason(len(line)), record=number, line=number, column=1)
    parsed = parse_document(line, max_depth=max_depth)
    if not parsed.ok:
        return unreadable(source, parsed.error, record=number, line=number, column=parsed.column)
    if not isinstance(parsed.value, dict):
        column = len(line) - len(line.lstrip()) + 1
        return unreadable(source, not_object_reason(parsed.value), record=number, line=number, column=column)
    return Record(
        source=source, record=number, line=number, column=None, data=parsed.value,
        duplicate_keys=parsed.duplicate_keys,
    )
