"""gzip: by suffix or by magic bytes, and every way it can be corrupt."""
from __future__ import annotations

import gzip
import io
import json

from checkout_contracts.inputs import read_stream

HAR = {
    "log": {
        "entries": [
            {
                "request": {"method": "GET", "url": "https://x/a"},
                "response": {"status": 200, "headers": [], "content": {"mimeType": "application/json", "text": '{"a": 1}'}},
            }
        ]
    }
}


def test_each_format_gzipped(write, read):
    assert [r.data for r in read(write("a.json.gz", gzip.compress(b'{"a": 1}')))] == [{"a": 1}]
    assert [r.data for r in read(write("b.jsonl.gz", gzip.compress(b'{"a": 1}\n{"a": 2}\n')))] == [{"a": 1}, {"a": 2}]
    assert [r.data for r in read(write("c.yaml.gz", gzip.compress(b"a: 1\n")))] == [{"a": 1}]
    recs = read(write("d.har.gz", gzip.compress(json.dumps(HAR).encode())))
    assert [(r.record, r.data, r.http.url) for r in recs] == [(1, {"a": 1}, "https://x/a")]


def test_gzip_without_gz_suffix_is_detected(write, read):
    [rec] = read(write("lies.json", gzip.compress(b'{"a": 1}')))
    assert rec.error is None and rec.data == {"a": 1}
    recs = read(write("lies.jsonl", gzip.compress(b'{"a": 1}\n{"a": 2}\n')))
    assert [r.data for r in recs] == [{"a": 1}, {"a": 2}]


def test_gz_suffix_on_plain_text_is_read_as_plain(write, read):
    # browsers often save an already-decompressed body under the .gz name
    [rec] = read(write("plain.json.gz", b'{"a": 1}'))
    assert rec.data == {"a": 1}


def test_gz_suffix_on_binary_junk(write, read):
    [rec] = read(write("junk.json.gz", bytes(range(256)) * 2))
    assert rec.error == "corrupt gzip: not a gzip file"


def test_truncated_gzip_jsonl_keeps_earlier_records(write, read):
    data = b"".join(b'{"i": %d}\n' % i for i in range(5000))
    compressed = gzip.compress(data)
    path = write("cut.jsonl.gz", compressed[: len(compressed) // 2])
    recs = read(path)
    good, last = recs[:-1], recs[-1]
    assert len(good) > 100
    assert [r.data["i"] for r in good] == list(range(len(good)))
    assert last.error == "corrupt gzip: truncated, compressed data ends early"
    assert last.line == len(good) + 1


def test_truncated_gzip_json(write, read):
    compressed = gzip.compress(json.dumps({"k": list(range(1000))}).encode())
    [rec] = read(write("cut.json.gz", compressed[:-30]))
    assert rec.error == "corrupt gzip: truncated, compressed data ends early"


def test_crc_mismatch(write, read):
    compressed = bytearray(gzip.compress(b'{"a": 1}'))
    compressed[-8] ^= 0xFF  # CRC32 trailer
    [rec] = read(write("crc.json.gz", bytes(compressed)))
    assert rec.error.startswith("corrupt gzip: CRC check failed ")


def test_garbage_after_gzip_magic(write, read):
    [rec] = read(write("bad.json.gz", b"\x1f\x8b" + b"\x00garbage" * 20))
    assert rec.error.startswith("corrupt gzip: ")


def test_corrupt_deflate_data(write, read):
    compressed = bytearray(gzip.compress(json.dumps({"k": list(range(2000))}).encode()))
    for i in range(20, 60):
        compressed[i] = 0xFF
    [rec] = read(write("bits.json.gz", bytes(compressed)))
    assert rec.error.startswith("corrupt gzip: ")


def test_gzip_on_stdin(read):
    [rec] = read("-", stdin=io.BytesIO(gzip.compress(b'{"from": "stdin"}')))
    assert (rec.source, rec.data) == ("<stdin>", {"from": "stdin"})


def test_read_stream_of_a_gzip_file_object():
    recs = list(read_stream(io.BytesIO(gzip.compress(b'{"a": 1}\n{"b": 2}\n')), "mem"))
    assert [r.data for r in recs] == [{"a": 1}, {"b": 2}]


def test_small_truncated_gzip_jsonl_keeps_complete_lines(write, read):
    data = b"".join(b'{"i": %d}\n' % i for i in range(50))
    recs = read(write("small.jsonl.gz", gzip.compress(data)[:-15]))
    assert recs[-1].error == "corrupt gzip: truncated, compressed data ends early"
    assert [r.data["i"] for r in recs[:-1]] == list(range(len(recs) - 1))
    assert len(recs) > 40 and recs[-1].line == len(recs)
