"""JSON Lines: line numbers, broken lines, streaming with flat memory."""
from __future__ import annotations

import codecs
import gzip
import io

from checkout_contracts.inputs import iter_records, read_stream


def test_lines_blank_lines_and_broken_lines(write, read):
    content = (
        b'{"n": 1}\n'
        b"\n"
        b'{"n": 2,}\n'
        b"   \n"
        b'[{"n": 3}]\n'
        b'{"n": 4}\r\n'
        b'{"n": "\xff"}\n'
        b"{'n': 6}\n"
        b'{"n": 7}'  # no final newline
    )
    path = write("day.jsonl", content)
    recs = read(path)
    assert [(r.record, r.line, r.column, r.error) for r in recs] == [
        (1, 1, None, None),
        (3, 3, 8, "syntax error: trailing comma before '}'"),
        (5, 5, 1, "top level is a JSON array, expected an object"),
        (6, 6, None, None),
        (7, 7, 8, "invalid UTF-8: byte 0xff at offset 7"),
        (8, 8, 2, "syntax error: strings must use double quotes"),
        (9, 9, None, None),
    ]
    assert [r.data for r in recs if r.error is None] == [{"n": 1}, {"n": 4}, {"n": 7}]
    assert recs[1].location == f"{path}:3:8"


def test_ndjson_extension_and_bom(write, read):
    recs = read(write("x.ndjson", codecs.BOM_UTF8 + b'{"a": 1}\n{"a": 2}\n'))
    assert [r.data for r in recs] == [{"a": 1}, {"a": 2}]


def test_empty_jsonl_yields_nothing(write, read):
    assert read(write("empty.jsonl", b"")) == []
    assert read(write("blank.jsonl", b"\n\n  \n")) == []


def test_too_deep_line_is_one_unreadable_record(write, read):
    recs = read(write("deep.jsonl", b'{"a": 1}\n' + b'{"x": ' + b"[" * 5000 + b"]" * 5000 + b"}\n" + b'{"b": 2}\n'))
    assert [r.error for r in recs] == [None, "nesting deeper than 256 levels", None]
    assert (recs[1].line, recs[1].column) == (2, 262)


class CountingReader(io.RawIOBase):
    """A binary stream that records how many bytes were handed out."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        chunk = self._data.read(min(len(buffer), 8192))
        buffer[: len(chunk)] = chunk
        self.consumed += len(chunk)
        return len(chunk)


def _big_jsonl(lines: int = 200_000) -> bytes:
    return b"".join(b'{"id": %d, "status": "paid", "amount": 1500}\n' % i for i in range(lines))


def test_first_record_arrives_before_the_input_is_consumed():
    data = _big_jsonl()
    stream = CountingReader(data)
    records = read_stream(io.BufferedReader(stream), "<big>", name="big.jsonl")
    first = next(records)
    assert first.data == {"id": 0, "status": "paid", "amount": 1500}
    assert stream.consumed < 64 * 1024 < len(data)
    tenth = [next(records) for _ in range(9)][-1]
    assert tenth.line == 10 and stream.consumed < 64 * 1024


def test_gzip_jsonl_streams_too():
    data = _big_jsonl()
    compressed = gzip.compress(data)
    stream = CountingReader(compressed)
    records = read_stream(io.BufferedReader(stream), "<big>", name="big.jsonl.gz")
    assert next(records).data["id"] == 0
    assert stream.consumed < 64 * 1024 < len(compressed)


def test_jsonl_sniffed_from_stdin_streams():
    data = _big_jsonl()
    stream = CountingReader(data)
    records = iter_records(["-"], stdin=io.BufferedReader(stream))
    first = next(records)
    assert (first.source, first.record, first.data["id"]) == ("<stdin>", 1, 0)
    assert stream.consumed < 64 * 1024


def test_nothing_is_read_before_iteration_starts(write):
    stream = CountingReader(b'{"a": 1}\n')
    records = iter_records(["-"], stdin=io.BufferedReader(stream))
    assert stream.consumed == 0
    assert [r.data for r in records] == [{"a": 1}]


def test_a_stream_whose_first_line_is_long_still_reads_as_json_lines():
    """The look-ahead that tells JSON Lines from one document is bounded (a gzip bomb's endless line is never
    held), but by the size bound of one payload: a 3 MB first line on stdin is still one record of many."""
    import io
    import json as _json

    from checkout_contracts.inputs import read_stream
    data = (_json.dumps({"a": "x" * (3 << 20)}) + "\n" + '{"b": 1}\n').encode()
    recs = list(read_stream(io.BytesIO(data), "<stdin>"))
    assert [(r.line, r.error) for r in recs] == [(1, None), (2, None)]


def test_a_line_over_the_record_bound_is_skipped_by_scanning_and_reading_goes_on():
    import io

    from checkout_contracts.inputs.jsonl import jsonl_records
    from checkout_contracts.inputs.jsonparse import MAX_RECORD_BYTES
    from checkout_contracts.inputs.stream import Peekable
    data = b'{"a": "' + b"x" * (MAX_RECORD_BYTES + 5) + b'"}\n{"b": 1}\n'
    recs = list(jsonl_records(Peekable(io.BytesIO(data)), source="s.jsonl", max_depth=256))
    assert recs[0].error.startswith("payload of 16 MB is larger than") and (recs[0].line, recs[0].column) == (1, 1)
    assert recs[1].data == {"b": 1} and recs[1].line == 2
