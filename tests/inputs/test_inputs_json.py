"""Single JSON documents: good payloads, every unreadable kind, depth, top-level arrays."""
from __future__ import annotations

import codecs

import pytest

from checkout_contracts.inputs import Record


def test_object_document(write, read):
    path = write("a.json", b'\n\n  {"status": "paid", "amount": 100}\n')
    [rec] = read(path)
    assert rec.error is None
    assert rec.data == {"status": "paid", "amount": 100}
    assert (rec.source, rec.record, rec.line, rec.column) == (path, None, 3, None)
    assert rec.duplicate_keys == [] and rec.http is None
    assert rec.location == f"{path}:3"


def test_utf8_bom_is_accepted(write, read):
    [rec] = read(write("bom.json", codecs.BOM_UTF8 + '{"name": "Åsa"}'.encode()))
    assert rec.error is None and rec.data == {"name": "Åsa"}


@pytest.mark.parametrize(
    "content, reason, line, column",
    [
        (b"", "empty document", 1, 1),
        (b"  \n\t \n", "empty document (only whitespace)", 1, 1),
        (b'{"a": 1,}', "syntax error: trailing comma before '}'", 1, 8),
        (b'{"a": [1, 2,\n ]}', "syntax error: trailing comma before ']'", 1, 12),
        (b'{\n  "a": 1 // note\n}', "syntax error: comments are not allowed in JSON", 2, 10),
        (b'/* header */ {"a": 1}', "syntax error: comments are not allowed in JSON", 1, 1),
        (b"# note\n{}", "syntax error: comments are not allowed in JSON", 1, 1),
        (b"{'a': 1}", "syntax error: strings must use double quotes", 1, 2),
        (b'{"a": \'x\'}', "syntax error: strings must use double quotes", 1, 7),
        (b'{"a": NaN}', "syntax error: NaN/Infinity is not valid JSON", 1, 7),
        (b'{"a": Infinity}', "syntax error: NaN/Infinity is not valid JSON", 1, 7),
        (b'{"a": -Infinity}', "syntax error: NaN/Infinity is not valid JSON", 1, 8),
        (b'{"a": [1, 2', "truncated: unexpected end of data", 1, 12),
        (b'{"a": "unterminated', "truncated: unexpected end of data", 1, 20),
        (b'{"a": True}', "syntax error: True is not JSON (use true, false or null)", 1, 7),
        (b'{"a": None}', "syntax error: None is not JSON (use true, false or null)", 1, 7),
        (b"{a: 1}", "syntax error: object keys must be strings in double quotes", 1, 2),
        (b'{"a": 1} {"b": 2}', "syntax error: unexpected content after the end of the JSON document", 1, 10),
        (b'{"a": "tab\there"}', "syntax error: unescaped control character in string", 1, 11),
        (b'{"a" 1}', "syntax error: unexpected character '1', expected ':' after key", 1, 6),
        (b'{"a": 1e999}', "syntax error: number is too large", 1, 7),
        (b'{"a": 01}', "syntax error: number with leading zero is not allowed", 1, 7),
        (b'{"a": "x\xffy"}', "invalid UTF-8: byte 0xff at offset 8", 1, 9),
        (b"{\n \"caf\xc3\xa9\": \"\xe9t\xe9\"}", "invalid UTF-8: byte 0xe9 at offset 13", 2, 11),
        (b'"just a string"', "top level is a JSON string, expected an object", 1, 1),
        (b"  42", "top level is a JSON number, expected an object", 1, 3),
        (b"null", "top level is JSON null, expected an object", 1, 1),
        (b"true", "top level is a JSON boolean, expected an object", 1, 1),
    ],
)
def test_unreadable_document(write, read, content, reason, line, column):
    path = write("bad.json", content)
    [rec] = read(path)
    assert rec.error == reason
    assert (rec.line, rec.column) == (line, column)
    assert rec.data is None and rec.record is None
    assert rec.location == f"{path}:{line}:{column}"


def test_bad_file_does_not_stop_the_next_one(write, read):
    bad = write("1.json", b'{"a": 1,}')
    good = write("2.json", b'{"b": 2}')
    recs = read([bad, good])
    assert [r.source for r in recs] == [bad, good]
    assert recs[0].error.startswith("syntax error") and recs[1].data == {"b": 2}


@pytest.mark.parametrize(
    "content, reason",
    [
        (codecs.BOM_UTF16_LE + '{"a": 1}'.encode("utf-16-le"), "UTF-16 encoded; JSON must be UTF-8"),
        (codecs.BOM_UTF16_BE + '{"a": 1}'.encode("utf-16-be"), "UTF-16 encoded; JSON must be UTF-8"),
        ('{"a": 1}'.encode("utf-16-le"), "UTF-16 encoded; JSON must be UTF-8"),
        ('{"a": 1}'.encode("utf-16-be"), "UTF-16 encoded; JSON must be UTF-8"),
        ('{"a": 1}'.encode("utf-32"), "UTF-32 encoded; JSON must be UTF-8"),
        ('{"a": 1}'.encode("utf-32-le"), "UTF-32 encoded; JSON must be UTF-8"),
        (bytes(range(256)) * 4, "binary data, not JSON text"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary data, not JSON text"),
        (bytes((i * 37 + 11) % 256 for i in range(600)), "binary data, not JSON text"),
    ],
)
def test_wrong_encoding_or_binary(write, read, content, reason):
    [rec] = read(write("enc.json", content))
    assert rec.error == reason
    assert (rec.line, rec.column) == (1, 1)


def test_latin1_text_is_invalid_utf8_not_binary(write, read):
    [rec] = read(write("latin1.json", '{"city": "Malmö", "street": "Storgatan"}'.encode("latin-1")))
    assert rec.error == "invalid UTF-8: byte 0xf6 at offset 14"
    assert (rec.line, rec.column) == (1, 15)


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize("depth", [257, 300, 1025, 100_000])
def test_too_deep_is_unreadable_without_recursion_error(write, read, depth):
    [rec] = read(write("deep.json", nested(depth)))
    assert rec.error == "nesting deeper than 256 levels"
    assert (rec.line, rec.column) == (1, 257)


def test_depth_limit_is_inclusive(write, read):
    [ok] = read(write("ok.json", b'{"a": ' + nested(255) + b"}"))  # 256 levels in total
    assert ok.error is None
    [bad] = read(write("bad.json", b'{"a": ' + nested(256) + b"}"))
    assert bad.error == "nesting deeper than 256 levels"


def test_custom_max_depth(write, read):
    doc = b'{"a": {"b": {"c": [1]}}}'  # 4 levels
    assert read(write("d.json", doc), max_depth=4)[0].error is None
    [rec] = read(write("e.json", doc), max_depth=3)
    assert rec.error == "nesting deeper than 3 levels"
    assert (rec.line, rec.column) == (1, 19)  # the "["


def test_max_depth_above_orjson_limit_is_capped(write, read):
    [rec] = read(write("deep.json", nested(2000)), max_depth=5000)
    assert rec.error == "nesting deeper than 1024 levels"
    assert rec.column == 1025


def test_top_level_array_is_one_record_per_element(write, read):
    path = write("list.json", b'[\n  {"id": 1},\n  {"id": 2,\n   "x": []},\n  "oops",\n  {"id": 3}\n]\n')
    recs = read(path)
    assert [r.record for r in recs] == [1, 2, 3, 4]
    assert [r.line for r in recs] == [2, 3, 5, 6]
    assert [r.data for r in recs] == [{"id": 1}, {"id": 2, "x": []}, None, {"id": 3}]
    assert recs[2].error == "array item is a JSON string, expected an object"
    assert all(r.error is None for i, r in enumerate(recs) if i != 2)


def test_empty_top_level_array(write, read):
    [rec] = read(write("empty.json", b"[]"))
    assert rec.error == "top level is an empty JSON array, no objects to check"


def test_location_formatting():
    assert Record("f.json", None, None, None).location == "f.json"
    assert Record("f.json", 3, 7, None).location == "f.json:7"
    assert Record("f.json", 3, 7, 2).location == "f.json:7:2"
