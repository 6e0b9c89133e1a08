"""Nothing forged, nothing lost (issue 12 items 6 and 8, and the bad inputs the README lists): a payload value or a
file name cannot clear a terminal or print a fake verdict line in any format; ``-o`` never writes over an input;
every bad record gets one line with its location and the batch goes on."""
from __future__ import annotations

import copy
import json
import os

import pytest

from harness import FORMATS, assert_sane, reconciles, snapshot, text_summary, validate

PAID = json.loads(open("examples/paiwise/checkout-paid.json").read())
FORGED = "x\n\x1b[2J\x1b[32mforged.jsonl:1  valid \x9b31m \u202e"


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "nofast"])
def test_a_value_or_a_file_name_cannot_forge_a_verdict_line(tmp_path, fast):
    doc = copy.deepcopy(PAID)
    doc["statusChanged"] = FORGED  # quoted in a rule's message and a schema message
    (tmp_path / "a.json").write_text(json.dumps(doc))
    deep = tmp_path.joinpath(*(c * 200 for c in "defgh"))  # a path of over 1,000 characters
    deep.mkdir(parents=True)
    (deep / "x\n\x1b[2J\x1b[32mforged.json").write_text(json.dumps(doc))
    (tmp_path / "day.jsonl").write_text(json.dumps(doc) + "\n" + json.dumps({"\x1b]0;pwned\x07": 1}) + "\n")
    for fmt in FORMATS:
        ran = validate("--format", fmt, "--show-warnings", "--drift-report", tmp_path, fast=fast)
        assert_sane(ran)
        assert ran.rc == 1
        for line in ran.out.splitlines():  # no line starts like a verdict of a file we did not give
            assert not line.startswith("forged"), line
            assert len(line) < 4000, len(line)  # long names and messages are bounded
        if fmt == "text":
            assert text_summary(ran) == (4, 0, 4, 0)
        if fmt == "json":
            assert reconciles(ran)["summary"]["invalid"] == 4


def test_the_report_never_overwrites_an_input(tmp_path):
    captures = tmp_path / "captures"
    (captures / "old").mkdir(parents=True)
    lines = "".join(open("examples/captures/swedbankpay-2024-05-14.jsonl").readlines()[:5])
    (captures / "day1.jsonl").write_text(lines)
    (captures / "old" / "day0.json").write_text(json.dumps(PAID))
    os.link(captures / "day1.jsonl", tmp_path / "hardlink.jsonl")
    os.symlink(captures / "day1.jsonl", tmp_path / "symlink.json")
    before = snapshot(tmp_path)
    for out, inputs in ((captures / "day1.jsonl", [captures]), (captures / "old" / "day0.json", [captures]),
                        (captures / "new.jsonl", [captures]), (tmp_path / "hardlink.jsonl", [captures / "day1.jsonl"]),
                        (tmp_path / "symlink.json", [captures / "day1.jsonl"]), (captures / "day1.jsonl", ["-", captures])):
        for fmt in ("json", "junit"):
            ran = validate("--format", fmt, "-o", out, *inputs, stdin=b"{}")
            assert ran.rc == 2 and "--output" in ran.err, (out, ran.err)
            assert_sane(ran)
    assert snapshot(tmp_path) == before and not (captures / "new.jsonl").exists()
    ran = validate("--format", "json", "-o", captures / "report.txt", captures)  # beside them, not read: fine
    report = json.loads((captures / "report.txt").read_text())
    assert ran.rc == 0 and report["summary"]["total"] == report["summary"]["valid"] == 6


BAD = {  # file -> (bytes, words of the reason, line, column)
    "empty.json": (b"", "empty document", 1, 1),
    "utf8.json": (b'{"a": "\xff"}', "invalid UTF-8", 1, 8),
    "utf16.json": ('{"a": 1}'.encode("utf-16"), "UTF-16", 1, 1),
    "comma.json": (b'{"a": 1,}', "trailing comma", 1, 8),
    "comment.json": (b'{"a": 1 // x\n}', "comments are not allowed", 1, 9),
    "nan.json": (b'{"a": NaN}', "NaN/Infinity", 1, 7),
    "cut.json": (b'{"a": [1, 2', "truncated", 1, 12),
    "deep.json": (b'{"a": ' + b"[" * 300 + b"]" * 300 + b"}", "nesting deeper than 256 levels", 1, 262),
    "array.json": (b"[1]", "expected an object", 1, None),
    "bad.json.gz": (b"\x1f\x8b\x08\x00garbage", "corrupt gzip", None, None),
    "binary.json": (bytes(range(256)) * 4, "binary", 1, 1),
}


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_every_bad_input_kind_gets_one_line_with_its_location_and_the_batch_goes_on(tmp_path, jobs):
    for name, (data, *_rest) in BAD.items():
        (tmp_path / name).write_bytes(data)
    (tmp_path / "good.json").write_text(json.dumps(PAID))
    lines = ["not json", json.dumps(PAID), '{"a": 1,}', "", json.dumps(PAID)]
    (tmp_path / "day.jsonl").write_text("\n".join(lines) + "\n")
    before = snapshot(tmp_path)
    ran = validate("--jobs", jobs, "--format", "json", tmp_path)
    assert_sane(ran)
    report = reconciles(ran)
    results = {(os.path.basename(r["source"]), r["line"]): r for r in report["results"]}
    for name, (_, words, line, column) in BAD.items():
        [r] = [r for (src, _), r in results.items() if src == name]
        assert r["verdict"] in ("unreadable", "invalid") and words in (r.get("reason") or r["errors"][0]["message"]), (name, r)
        if line is not None:
            assert (r["line"], r["column"]) == (line, column), (name, r)
    assert results[("day.jsonl", 1)]["verdict"] == results[("day.jsonl", 3)]["verdict"] == "unreadable"
    assert results[("day.jsonl", 2)]["verdict"] == results[("day.jsonl", 5)]["verdict"] == "valid"
    assert report["summary"]["valid"] == 3 and ran.rc == 1
    assert snapshot(tmp_path) == before
