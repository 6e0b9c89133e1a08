"""JSON Lines: one JSON value per physical line — the framing, written once.

* a line ends after ``b"\\n"`` (``\\r\\n`` is a line break followed by whitespace the parser ignores); the last
  line may lack it;
* ``record`` and ``line`` are both the physical line number, from 1;
* a UTF-8 BOM is stripped from the first line of the file (only there);
* lines of whitespace only (``bytes.isspace``) are skipped but counted; an empty JSONL file yields no records;
* a line longer than ``MAX_RECORD_BYTES`` is one unreadable record ("too large"): its bytes are *skipped by
  scanning* for the next line break, never held (a 500 MB line, or ``/dev/zero`` behind a ``.jsonl`` name,
  costs one read buffer).

:func:`frame` cuts a byte stream into blocks of whole lines (for the bulk pipeline and the C fast path, whose
``certify_block`` reads a block with these same rules) and :func:`jsonl_records` reads line by line; both keep
memory at one read buffer plus one record's size limit.
"""
from __future__ import annotations

from typing import Callable, Iterator

from . import gz
from .jsonparse import MAX_RECORD_BYTES, not_object_reason, parse_document, size_reason
from .model import Record, unreadable
from .sniff import strip_bom

READ_SIZE = 64 << 10  # bytes a frame reads at a time (and at most this much plus one line per block)

LINES, HUGE = "lines", "huge"


def frame(read: Callable[[int], bytes], *, limit: int = MAX_RECORD_BYTES, size: int = READ_SIZE
          ) -> Iterator[tuple[str, object]]:
    """Cut what ``read(n)`` returns into ``(LINES, block)`` — whole lines, each at most ``limit`` bytes, the last
    maybe without its line break at the end of the data — and ``(HUGE, (nbytes, newline))`` for one line longer
    than ``limit`` whose bytes were skipped (``newline``: it ended with a line break, not at the end of data).
    Errors from ``read`` propagate (the caller says what they mean), after the whole lines read before them."""
    size = min(size, limit)   # so a line inside one read is never over the limit
    parts: list[bytes] = []   # the line begun in an earlier read, not yet ended
    held = 0
    while True:
        chunk = read(size)
        if not chunk:
            if parts:
                yield LINES, b"".join(parts)
            return
        cut = chunk.rfind(b"\n")
        if cut < 0:
            held += len(chunk)
            if held <= limit:
                parts.append(chunk)
                continue
            parts = []
            skipped, newline = held, False
            while True:  # the rest of an oversized line: scanned, not kept
                chunk = read(size)
                if not chunk:
                    break
                nl = chunk.find(b"\n")
                if nl < 0:
                    skipped += len(chunk)
                    continue
                skipped += nl + 1
                newline = True
                break
            yield HUGE, (skipped, newline)
            if not newline:
                return
            rest = chunk[nl + 1:]
            held = 0
            if rest:
                # whole lines in what is left are handled like any chunk
                cut = rest.rfind(b"\n")
                if cut < 0:
                    parts, held = [rest], len(rest)
                    continue
                yield LINES, rest[:cut + 1]
                tail = rest[cut + 1:]
                parts, held = ([tail], len(tail)) if tail else ([], 0)
            continue
        if parts:
            first = chunk.find(b"\n") + 1
            if held + first > limit:  # the line carried over ends here, too long
                yield HUGE, (held + first, True)
                if first < cut + 1:
                    yield LINES, chunk[first:cut + 1]
            else:
                parts.append(chunk[:cut + 1])
                yield LINES, b"".join(parts)
        else:
            yield LINES, chunk[:cut + 1] if cut + 1 < len(chunk) else chunk
        tail = chunk[cut + 1:]
        parts, held = ([tail], len(tail)) if tail else ([], 0)


def jsonl_records(stream, *, source: str, max_depth: int) -> Iterator[Record]:
    """``stream`` needs ``read(n)`` (``read1`` is used where it has one); reading stops at the first read error."""
    number = 0
    try:
        for kind, piece in frame(getattr(stream, "read1", stream.read)):
            if kind == HUGE:
                number += 1
                yield unreadable(source, size_reason(piece[0]), record=number, line=number, column=1)
                continue
            for line in lines(piece):
                number += 1
                if number == 1:
                    line = strip_bom(line)
                if line.isspace():
                    continue
                try:
                    yield line_record(line, number, source=source, max_depth=max_depth)
                except Exception as exc:  # never let one line stop the stream
                    yield unreadable(source, f"internal error: {type(exc).__name__}: {exc}", record=number,
                                     line=number)
    except Exception as exc:  # corrupt gzip, I/O error: report and stop this source
        yield unreadable(source, gz.read_error(exc), record=number + 1, line=number + 1)


def lines(block: bytes) -> list[bytes]:
    """The lines of a block as the framing splits them (after ``\\n`` only, line breaks kept)."""
    return block.splitlines(keepends=True) if b"\r" not in block else _split(block)


def _split(block: bytes) -> list[bytes]:
    out = block.split(b"\n")
    last = out.pop()
    out = [line + b"\n" for line in out]
    if last:
        out.append(last)
    return out


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
