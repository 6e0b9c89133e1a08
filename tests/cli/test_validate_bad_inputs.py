"""Bad input never stops a run: every kind gets one line with its location and the reader's reason, in the text
and the JSON report alike, and the counts always reconcile (valid + invalid + unreadable = total)."""
from __future__ import annotations

import gzip
import random
import re

import pytest

from validate_helpers import card_order, compact

GOOD = compact(card_order())

# name, file name, content, reason (substring), location after "file:" (None: no line known)
UNREADABLE = [
    ("empty", "empty.json", b"", "empty document", "1:1"),
    ("whitespace only", "blank.json", b"   \n\t \n", "empty document (only whitespace)", "1:1"),
    ("invalid UTF-8", "latin1.json", b'{"a": "\xff\xfe"}', "invalid UTF-8: byte 0xff at offset 7", "1:8"),
    ("UTF-16", "utf16.json", '{"a": 1}'.encode("utf-16"), "UTF-16 encoded; JSON must be UTF-8", "1:1"),
    ("trailing comma", "comma.json", b'{"a": 1,\n "b": 2,\n}', "trailing comma before '}'", "2:8"),
    ("comment", "comment.json", b'{"a": 1 // why\n}', "comments are not allowed in JSON", "1:9"),
    ("single quotes", "quotes.json", b"{'a': 1}", "strings must use double quotes", "1:2"),
    ("NaN", "nan.json", b'{"a": NaN}', "NaN/Infinity is not valid JSON", "1:7"),
    ("truncated", "truncated.json", b'{"a": [1, 2', "truncated", "1:12"),
    ("too deep", "deep.json", b"[" * 300 + b"]" * 300, "nesting deeper than 256 levels", "1:257"),
    ("top level not an object", "string.json", b'"just a string"', "top level is a JSON string, expected an object",
     "1:1"),
    ("corrupt gzip", "dump.jsonl.gz", b"\x1f\x8b\x08\x00this is not deflate data", "corrupt gzip", None),
    ("binary junk", "junk.json", random.Random(7).randbytes(600), "binary data, not JSON text", "1:1"),
]


@pytest.mark.parametrize("name,filename,content,reason,where", UNREADABLE, ids=[u[0] for u in UNREADABLE])
def test_unreadable_kind_text(tmp_path, validate, name, filename, content, reason, where):
    path = tmp_path / filename
    path.write_bytes(content)
    ran = validate(path)
    assert ran.rc == 1
    location = f"{path}:{where}" if where else str(path)
    lines = [line for line in ran.out.splitlines() if line.startswith(str(path))]
    assert len(lines) == 1, ran.out  # one line per unreadable record
    assert lines[0].startswith(f"{location}  unreadable: "), lines[0]
    assert reason in lines[0]
    assert "1 payload from 1 source: 0 valid, 0 invalid, 1 unreadable" in ran.out
    assert "Traceback" not in ran.out + ran.err


@pytest.mark.parametrize("name,filename,content,reason,where", UNREADABLE, ids=[u[0] for u in UNREADABLE])
def test_unreadable_kind_json(tmp_path, validate, name, filename, content, reason, where):
    path = tmp_path / filename
    path.write_bytes(content)
    ran = validate(path, "--format", "json")
    assert ran.rc == 1
    report = ran.json()
    assert report["summary"] | {"schemas": None} == {
        "total": 1, "valid": 0, "invalid": 0, "unreadable": 1, "warnings": 0, "sources": 1,
        "skipped_non_json": 0, "skipped_no_schema": 0, "skipped_other_files": 0, "schemas": None}
    [result] = report["results"]
    assert result["source"] == str(path)
    assert result["verdict"] == "unreadable"
    assert reason in result["reason"]
    assert result["errors"] == [{"path": None, "code": "unreadable", "message": result["reason"]}]
    if where:
        line, column = map(int, where.split(":"))
        assert (result["line"], result["column"]) == (line, column)
    else:
        assert result["line"] is None


def test_top_level_array_items_are_records(tmp_path, validate):
    path = tmp_path / "items.json"
    path.write_text(f'[{GOOD},\n 42,\n "x"]')
    ran = validate(path, "--format", "json")
    assert ran.rc == 1
    report = ran.json()
    assert [(r["record"], r["line"], r["verdict"]) for r in report["results"]] == [
        (1, 1, "valid"), (2, 2, "unreadable"), (3, 3, "unreadable")]
    assert "array item is a JSON number, expected an object" in report["results"][1]["reason"]
    text = validate(path).out
    assert f"{path}:2  unreadable: array item is a JSON number" in text


def test_duplicate_keys_are_readable_but_invalid(tmp_path, validate):
    doc = GOOD[:-1] + ',"operations":[]}'  # the order repeats its operations key
    path = tmp_path / "dup.json"
    path.write_text(doc)
    ran = validate(path, "--format", "json")
    assert ran.rc == 1
    [result] = ran.json()["results"]
    assert result["verdict"] == "invalid"
    codes = {(e["path"], e["code"]) for e in result["errors"]}
    assert ("$", "duplicate-key") in codes
    assert any("duplicate key 'operations'" in e["message"] for e in result["errors"])
    text = validate(path).out
    assert f"{path}:1  invalid  swedbankpay/checkout-v2/payment-order" in text
    assert "[duplicate-key] duplicate key 'operations'" in text


def test_jsonl_with_one_broken_line(tmp_path, validate):
    path = tmp_path / "day.jsonl"
    path.write_text("\n".join([GOOD, GOOD, GOOD[:200], "", GOOD]) + "\n")
    ran = validate(path)
    assert ran.rc == 1
    unreadable = [line for line in ran.out.splitlines() if "unreadable:" in line]
    assert len(unreadable) == 1
    assert re.fullmatch(rf"{re.escape(str(path))}:3:\d+  unreadable: truncated: unexpected end of data", unreadable[0])
    assert "4 payloads from 1 source: 3 valid, 0 invalid, 1 unreadable" in ran.out
    report = validate(path, "--format", "json").json()
    assert [(r["line"], r["verdict"]) for r in report["results"]] == [
        (1, "valid"), (2, "valid"), (3, "unreadable"), (5, "valid")]  # the blank line 4 is no record
    s = report["summary"]
    assert (s["total"], s["valid"], s["invalid"], s["unreadable"]) == (4, 3, 0, 1)


def test_every_kind_in_one_run_reconciles(tmp_path, validate):
    for _, filename, content, _, _ in UNREADABLE:
        (tmp_path / filename).write_bytes(content)
    (tmp_path / "good.json").write_text(GOOD)
    with gzip.open(tmp_path / "good.jsonl.gz", "wt") as fh:
        fh.write(GOOD + "\n" + GOOD + "\n")
    report = validate(tmp_path, "--format", "json").json()
    s = report["summary"]
    assert s["valid"] + s["invalid"] + s["unreadable"] == s["total"] == len(report["results"])
    assert (s["valid"], s["unreadable"]) == (3, len(UNREADABLE))
    assert s["sources"] == len(UNREADABLE) + 2


def test_check_crash_is_an_internal_error_and_the_run_goes_on(tmp_path, validate, monkeypatch):
    from checkout_contracts import bulk

    real = bulk.record.check

    def flaky(instance, *args, **kwargs):
        if instance.get("boom"):
            raise ZeroDivisionError("payload data 4925000000000004")
        return real(instance, *args, **kwargs)

    monkeypatch.setattr(bulk.record, "check", flaky)
    path = tmp_path / "day.jsonl"
    path.write_text("\n".join([GOOD, GOOD[:-1] + ',"boom":1}', GOOD]) + "\n")
    ran = validate(path, "--format", "json")
    assert ran.rc == 1
    results = ran.json()["results"]
    assert [r["verdict"] for r in results] == ["valid", "invalid", "valid"]
    [error] = results[1]["errors"]
    assert error["code"] == "internal-error" and "ZeroDivisionError" in error["message"]
    assert "4925000000000004" not in ran.out  # the exception's text is not shown, only its type
    assert "Traceback" not in ran.out + ran.err
