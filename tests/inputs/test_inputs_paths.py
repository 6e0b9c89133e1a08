"""Paths: directory walking, missing paths, stdin, and never raising."""
from __future__ import annotations

import io
import os

import pytest

from checkout_contracts.inputs import InputPathError, check_paths, iter_records, missing_paths, read_path
from checkout_contracts.inputs import reader


def test_directory_walk_is_sorted_recursive_and_filtered(tmp_path, write, read):
    for name in ["b.json", "a.json", "a/z.jsonl", "a/y.yaml", "a/sub/x.har", "c.json.gz", "notes.txt",
                 ".hidden.json", ".git/config.json", "d.ndjson.gz", "e.yml", "README.md", "f.JSON"]:
        write(name, b"")
    root = str(tmp_path)
    sources = [r.source for r in read(root)]
    expected = ["a/sub/x.har", "a/y.yaml", "a/z.jsonl", "a.json", "b.json", "c.json.gz", "d.ndjson.gz", "e.yml", "f.JSON"]
    # empty .jsonl/.ndjson files yield nothing; the others are "empty document"
    expected = [p for p in expected if not p.endswith((".jsonl", ".ndjson.gz"))]
    assert sources == [os.path.join(root, p) for p in expected]


def test_source_keeps_the_path_as_given(tmp_path, write, read, monkeypatch):
    write("fx/one.json", b'{"a": 1}')
    monkeypatch.chdir(tmp_path)
    assert [r.source for r in read("fx")] == [os.path.join("fx", "one.json")]
    assert [r.source for r in read("fx/")] == ["fx/one.json"]
    assert [r.source for r in read("fx/one.json")] == ["fx/one.json"]


def test_missing_paths_are_reported_not_skipped(tmp_path, write, read):
    good = write("a.json", b'{"a": 1}')
    gone = str(tmp_path / "gone.json")
    assert missing_paths([good, gone, "-"]) == [gone]
    with pytest.raises(InputPathError) as info:
        check_paths([good, gone])
    assert info.value.path == gone
    recs = read([gone, good])
    assert recs[0].error == "no such file or directory" and recs[0].source == gone
    assert recs[1].data == {"a": 1}


def test_open_error_is_an_unreadable_record(write, read, monkeypatch):
    locked = write("locked.json", b"{}")
    other = write("other.json", b'{"b": 2}')
    real_open = open

    def fake_open(path, *args, **kwargs):
        if path == locked:
            raise PermissionError(13, "Permission denied", path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(reader, "open", fake_open, raising=False)
    recs = read([locked, other])
    assert recs[0].error == "cannot open: Permission denied"
    assert recs[1].data == {"b": 2}


def test_unlistable_directory(tmp_path, write, read, monkeypatch):
    write("d/sub/a.json", b"{}")
    write("d/z.json", b'{"z": 1}')
    real_scandir = os.scandir

    def fake_scandir(path):
        if str(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", fake_scandir)
    recs = read(str(tmp_path / "d"))
    assert recs[0].error == "cannot read directory: Permission denied"
    assert recs[0].source == str(tmp_path / "d" / "sub")
    assert recs[1].data == {"z": 1}


def test_read_error_in_the_middle_of_a_stream(read):
    class Failing(io.RawIOBase):
        def __init__(self):
            self.sent = False

        def readable(self):
            return True

        def readinto(self, buffer):
            if self.sent:
                raise OSError(5, "Input/output error")
            self.sent = True
            data = b'{"a": 1}\n{"a": 2}\n'
            buffer[: len(data)] = data
            return len(data)

    recs = read("-", stdin=Failing())
    assert [r.data for r in recs[:2]] == [{"a": 1}, {"a": 2}]
    assert recs[2].error == "read error: Input/output error" and recs[2].line == 3


def test_unexpected_exception_becomes_a_record_and_reading_goes_on(write, read, monkeypatch):
    first = write("1.json", b"{}")
    second = write("2.json", b'{"ok": 1}')

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(reader, "stream_records", broken)
    monkeypatch.setattr(reader, "jsonl_records", broken)
    recs = read([first, second])
    assert [r.error for r in recs] == ["internal error: RuntimeError: boom"] * 2


def test_stdin_as_bytesio(read):
    recs = read(["-"], stdin=io.BytesIO(b'{"a": 1}'))
    assert [(r.source, r.record, r.data) for r in recs] == [("<stdin>", None, {"a": 1})]


def test_empty_stdin(read):
    [rec] = read("-", stdin=io.BytesIO(b""))
    assert rec.error == "empty document" and rec.source == "<stdin>"


def test_iter_records_is_lazy(tmp_path):
    records = iter_records([str(tmp_path / "missing.json")])
    assert iter(records) is records  # a generator: nothing happens until next()
    assert next(records).error == "no such file or directory"


def test_read_path_of_a_single_file(write):
    [rec] = read_path(write("x.json", b'{"x": 1}'))
    assert rec.data == {"x": 1}
