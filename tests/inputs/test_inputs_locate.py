"""Positions inside raw JSON: element lines, depth offsets, line/column."""
from __future__ import annotations

from checkout_contracts.inputs import locate


def test_element_lines_follow_the_key_path():
    raw = (
        b'{"a": {"entries": [9, 9]},\n'
        b' "log": {"pages": [[1], {"entries": []}],\n'
        b'  "entries": [\n'
        b'   {"x": "[{\\"", "entries": [1]},\n'
        b'   2,\n'
        b'\n'
        b'   "three", {"four": {}}]}}'
    )
    assert locate.element_lines(raw, ("log", "entries")) == [4, 5, 7, 7]
    assert locate.element_lines(raw, ("a", "entries")) == [1, 1]
    assert locate.element_lines(raw, ("missing",)) == []


def test_element_lines_of_top_level_and_empty_arrays():
    assert locate.element_lines(b'[\n {"a": 1},\n {"b": 2}\n]', ()) == [2, 3]
    assert locate.element_lines(b"  [ ]", ()) == []
    assert locate.element_lines('{"é": 1, "k": [\n"ö",\n3]}'.encode(), ("k",)) == [2, 3]


def test_depth_offset_ignores_brackets_in_strings():
    raw = b'{"s": "[[[[[[", "a": [[1]]}'
    assert locate.depth_offset(raw, 3) is None
    assert locate.depth_offset(raw, 2) == raw.index(b"[[1") + 1


def test_line_col_counts_characters_not_bytes():
    raw = '{\n  "städ": x}'.encode()
    assert locate.line_col(raw, raw.index(b"x")) == (2, 11)
    assert locate.first_content(b"\n\n   {}") == (3, 4)
