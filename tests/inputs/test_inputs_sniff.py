"""Formats are recognised from content when the file name lies or is missing."""
from __future__ import annotations

import io
import json

import pytest

from checkout_contracts.inputs import read_stream
from checkout_contracts.inputs.sniff import encoding_problem, looks_like_jsonl

ENTRY = {
    "request": {"method": "POST", "url": "https://api.paiwise.com/checkout/create"},
    "response": {"status": 200, "headers": [], "content": {"mimeType": "application/json", "text": '{"id": "c1"}'}},
}
CASSETTE = {
    "interactions": [
        {
            "request": {"method": "GET", "uri": "https://x/psp/paymentorders", "body": None, "headers": {}},
            "response": {
                "status": {"code": 200, "message": "OK"},
                "headers": {"Content-Type": ["application/json"]},
                "body": {"string": '{"paymentOrder": {}}'},
            },
        }
    ],
    "version": 1,
}


def test_har_saved_as_json(write, read):
    [rec] = read(write("capture.json", json.dumps({"log": {"version": "1.2", "entries": [ENTRY]}}, indent=2)))
    assert rec.data == {"id": "c1"} and rec.record == 1 and rec.http.method == "POST"


def test_cassette_saved_as_json(write, read):
    [rec] = read(write("cassette.json", json.dumps(CASSETTE)))
    assert rec.data == {"paymentOrder": {}} and rec.http.status == 200


def test_yaml_cassette_saved_as_json(write, read):
    text = "interactions:\n- request: {method: GET, uri: 'https://x/y'}\n  response:\n    status: {code: 200}\n" \
           "    headers: {Content-Type: [application/json]}\n    body: {string: '{\"a\": 1}'}\n"
    [rec] = read(write("cassette.json", text))
    assert rec.data == {"a": 1} and rec.line == 2


def test_jsonl_saved_as_json(write, read):
    recs = read(write("day.json", b'{"a": 1}\n{"a": 2}\n\n{"a": 3}\n'))
    assert [(r.record, r.line, r.data) for r in recs] == [(1, 1, {"a": 1}), (2, 2, {"a": 2}), (4, 4, {"a": 3})]


@pytest.mark.parametrize(
    "content",
    [
        b'{"a": 1,}\n{"a": 2}\n{"a": 3}\n',  # broken first line, still one value per line
        b'{"a": \n{"a": 2}\n{"a": 3}\n',  # truncated first line
    ],
)
def test_jsonl_with_a_broken_first_line_saved_as_json(write, read, content):
    recs = read(write("day.json", content))
    assert [r.line for r in recs] == [1, 2, 3]
    assert recs[0].error is not None and [r.data for r in recs[1:]] == [{"a": 2}, {"a": 3}]


@pytest.mark.parametrize(
    "content",
    [
        b'[\n{"a": 1}\n]\n',
        b'{"items": [\n{"a": 1}\n]}\n',
        b'{\n  "a": 1,\n  "b": {"c": 2}\n}\n',
        b'{"a": 1}\n',
    ],
)
def test_pretty_printed_json_is_not_mistaken_for_jsonl(write, read, content):
    recs = read(write("doc.json", content))
    assert all(r.error is None for r in recs)
    value = json.loads(content)
    assert [r.data for r in recs] == (value if isinstance(value, list) else [value])
    assert [r.record for r in recs] == ([1] if isinstance(value, list) else [None])


def test_pretty_printed_document_keeps_single_document_semantics(write, read):
    [rec] = read(write("doc.json", b'{"items": [\n{"a": 1}\n]}\n'))
    assert rec.record is None and rec.data == {"items": [{"a": 1}]}


def test_unknown_extension_given_explicitly_is_read(write, read):
    [rec] = read(write("capture.txt", b'{"a": 1}'))
    assert rec.data == {"a": 1}


@pytest.mark.parametrize(
    "content, expected",
    [
        (b'{"a": 1}', [{"a": 1}]),
        (b'{"a": 1}\n{"b": 2}\n', [{"a": 1}, {"b": 2}]),
        (b"---\na: 1\n---\nb: 2\n", [{"a": 1}, {"b": 2}]),
        (b"# exported\nstatus: paid\n", [{"status": "paid"}]),
        (b'[{"a": 1}, {"b": 2}]', [{"a": 1}, {"b": 2}]),
    ],
)
def test_stdin_format_is_sniffed(read, content, expected):
    recs = read("-", stdin=io.BytesIO(content))
    assert [r.data for r in recs] == expected
    assert {r.source for r in recs} == {"<stdin>"}


def test_json_with_hash_comment_named_json_is_a_json_error(write, read):
    [rec] = read(write("c.json", b"# note\n{}"))
    assert rec.error == "syntax error: comments are not allowed in JSON"


def test_read_stream_uses_the_name_only_as_a_hint():
    recs = list(read_stream(io.BytesIO(b'{"a": 1}\n{"a": 2}\n'), "mem", name="x.json"))
    assert [r.record for r in recs] == [1, 2]


def test_encoding_problem_heuristics():
    assert encoding_problem(b'{"a": 1}') is None
    assert encoding_problem('{"namn": "Åsa Öberg"}'.encode()) is None
    assert encoding_problem(b"\x00{") == "UTF-16 encoded; JSON must be UTF-8"
    assert encoding_problem(b"\x00\x00\x00{") == "UTF-32 encoded; JSON must be UTF-8"
    assert encoding_problem(b"PK\x03\x04\x14\x00\x00\x00") == "binary data, not JSON text"


def test_looks_like_jsonl():
    assert looks_like_jsonl([b'{"a": 1}', b'{"b": 2}'])
    assert not looks_like_jsonl([b'{"a": 1}'])
    assert not looks_like_jsonl([b"[", b'{"a": 1}', b"]"])
    assert not looks_like_jsonl([b'{"a": [', b'{"b": 1}', b"]}"])
