"""Parse one JSON document from bytes: orjson, plain-words errors, depth bound, duplicate keys.

Duplicate keys (RFC 8259 says names SHOULD be unique; orjson keeps the last)
are detected without walking the parsed value in Python:

1. ``out = orjson.dumps(value)``. If the input is byte-identical to ``out``
   (compact orjson-style JSON) it cannot contain a duplicate.
2. Otherwise compare the number of ``:`` bytes in the input and in ``out``.
   orjson never escapes ``:``, so every colon of the input survives in ``out``
   unless it belonged to a dropped duplicate (its own key colon, plus any colon
   inside the dropped value). ``\\u003a`` escapes in the input are added to its
   count. Equal counts therefore prove there is no duplicate.
3. Only when the counts differ, re-parse with ``json.loads(object_pairs_hook=)``
   to name the objects and keys.

Measured on a 2.5 KB payment order (tests/inputs/bench_inputs_duplicates.py),
with ``orjson.loads`` at ~3.6 us: the duplicate test adds ~0.15 us (4 %) to
compact orjson-style text and ~2-3 us (55-90 %) to other styles, plus ~1 us
for ``orjson.dumps``, which is needed anyway for the depth check. A regex
count of keys in the raw text would cost ~80-100 us (over 20x the parse).

``orjson.dumps`` refuses values nested 255 levels or deeper, which doubles as
the depth check for the default ``max_depth`` (256); deeper or custom limits
fall back to an iterative walk. orjson itself refuses more than 1024 levels.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import orjson

from .. import paths
from . import locate
from .model import duplicate_entry

UTF8_BOM = b"\xef\xbb\xbf"
ORJSON_MAX_DEPTH = 1024  # orjson.loads refuses deeper documents
_DUMPS_SAFE_DEPTH = 254  # orjson.dumps succeeds up to this nesting
#: one payload larger than this is unreadable, not parsed: API responses are kilobytes, and a validator holds
#: several copies of a failing instance (a 200 MB line once took 8 GB)
MAX_RECORD_BYTES = 16 * 1024 * 1024


def size_reason(size: int) -> str:
    return f"payload of {size / 1048576:.0f} MB is larger than the {MAX_RECORD_BYTES // 1048576} MB bound for one payload"


@dataclass(slots=True)
class Parsed:
    value: Any = None
    error: str | None = None
    line: int | None = None
    column: int | None = None
    duplicate_keys: list[str] = field(default_factory=list)
    dumped: bytes | None = None  # orjson.dumps(value), reused by find_duplicates

    @property
    def ok(self) -> bool:
        return self.error is None


def parse_document(raw: bytes, *, max_depth: int = 256, duplicates: bool = True) -> Parsed:
    """Parse ``raw`` (UTF-8 JSON, BOM allowed). Never raises for bad input."""
    if raw.startswith(UTF8_BOM):
        raw = raw[3:]
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        reason, line, column = describe_error(raw, exc, max_depth)
        return Parsed(error=reason, line=line, column=column)
    out = _dumps(value)
    if (out is None or max_depth < _DUMPS_SAFE_DEPTH) and _too_deep(raw, value, max_depth):
        line, column = locate.line_col(raw, locate.depth_offset(raw, max_depth) or 0)
        return Parsed(error=depth_reason(max_depth), line=line, column=column)
    dups = find_duplicates(raw, out) if duplicates else []
    return Parsed(value=value, duplicate_keys=dups, dumped=out)


def depth_reason(max_depth: int) -> str:
    return f"nesting deeper than {min(max_depth, ORJSON_MAX_DEPTH)} levels"


def _dumps(value: Any) -> bytes | None:
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:  # recursion limit (>= 255 levels)
        return None


def _too_deep(raw: bytes, value: Any, max_depth: int) -> bool:
    if raw.count(b"[") + raw.count(b"{") <= max_depth:
        return False
    return value_depth(value, stop_after=max_depth) > max_depth


def value_depth(value: Any, *, stop_after: int | None = None) -> int:
    """Nesting depth of containers (a scalar is 0, ``{}`` is 1); iterative."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > deepest:
            deepest = depth
            if stop_after is not None and deepest > stop_after:
                return deepest
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest


# --------------------------------------------------------------------------- duplicates


def has_duplicates(raw: bytes, out: bytes) -> bool:
    """Exact test: does ``raw`` repeat a key? ``out`` is ``orjson.dumps`` of its value."""
    if raw.startswith(out) and (len(raw) == len(out) or not raw[len(out):].strip()):
        return False
    colons = raw.count(b":")
    if b"\\" in raw and b"\\u003" in raw:
        colons += raw.count(b"\\u003a") + raw.count(b"\\u003A")
    return colons != out.count(b":")


def find_duplicates(raw: bytes, out: bytes | None) -> list[str]:
    """``["$.paid: duplicate key 'amount'", ...]`` in document order."""
    if out is not None and not has_duplicates(raw, out):
        return []
    return duplicate_paths(raw)


def duplicate_paths(raw: bytes) -> list[str]:
    """Slow path: name every object that repeats a key (raw must be valid JSON)."""
    repeated: dict[int, list[str]] = {}
    keep: list[dict] = []  # keeps ids stable while parsing

    def hook(pairs: list[tuple[str, Any]]) -> dict:
        obj: dict = {}
        dups: list[str] = []
        for key, item in pairs:
            if key in obj and key not in dups:
                dups.append(key)
            obj[key] = item
        if dups:
            repeated[id(obj)] = dups
            keep.append(obj)
        return obj

    try:
        value = json.loads(raw.decode("utf-8"), object_pairs_hook=hook)
    except (ValueError, RecursionError):
        return []
    if not repeated:
        return []
    found: list[str] = []
    stack: list[tuple[Any, str]] = [(value, "$")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            for key in repeated.get(id(node), ()):
                found.append(duplicate_entry(path, key))
            children = [(child, paths.child(path, key)) for key, child in node.items()]
        elif isinstance(node, list):
            children = [(child, paths.child(path, i)) for i, child in enumerate(node)]
        else:
            continue
        stack.extend(reversed([c for c in children if isinstance(c[0], (dict, list))]))
    return found


# --------------------------------------------------------------------------- errors

_PY_LITERALS = ("True", "False", "None", "undefined")


def describe_error(raw: bytes, exc: orjson.JSONDecodeError, max_depth: int) -> tuple[str, int, int]:
    """One-line reason plus 1-based line and column for an orjson decode error."""
    msg = exc.msg
    line, column = exc.lineno, exc.colno
    if msg.startswith("Input is a zero-length"):
        return "empty document", 1, 1
    if msg == "input data is empty":
        return "empty document (only whitespace)", 1, 1
    if msg.startswith("str is not valid UTF-8"):
        return invalid_utf8(raw)
    if msg.startswith("UTF-8 byte order mark"):
        return "syntax error: unexpected byte order mark (BOM)", line, column
    if msg == "depth limit exceeded":
        offset = locate.depth_offset(raw, min(max_depth, ORJSON_MAX_DEPTH))
        if offset is not None:
            line, column = locate.line_col(raw, offset)
        return depth_reason(max_depth), line, column
    if msg == "unexpected end of data":
        return "truncated: unexpected end of data", line, column
    text = raw.decode("utf-8", "replace")
    pos = exc.pos
    char = text[pos : pos + 1]
    if msg == "trailing comma is not allowed":
        after = text[pos + 1 :].lstrip(" \t\r\n")[:1] or "end"
        return f"syntax error: trailing comma before '{after}'", line, column
    if text.startswith(("//", "/*"), pos) or char == "#":
        return "syntax error: comments are not allowed in JSON", line, column
    if text.startswith(("NaN", "Infinity", "-Infinity", "+Infinity"), pos) or (
        pos > 0 and text[pos - 1] in "+-" and text.startswith(("Infinity", "NaN"), pos)
    ):
        return "syntax error: NaN/Infinity is not valid JSON", line, column
    if char == "'":
        return "syntax error: strings must use double quotes", line, column
    for literal in _PY_LITERALS:
        if text.startswith(literal, pos):
            return f"syntax error: {literal} is not JSON (use true, false or null)", line, column
    if msg == "unexpected character, expected a string key" and (char.isalpha() or char == "_"):
        return "syntax error: object keys must be strings in double quotes", line, column
    if msg == "unexpected content after document":
        return "syntax error: unexpected content after the end of the JSON document", line, column
    if msg == "unexpected control character in string":
        return "syntax error: unescaped control character in string", line, column
    if msg == "number is infinity when parsed as double":
        return "syntax error: number is too large", line, column
    if msg.startswith("unexpected character") and char:
        shown = repr(char) if char.isprintable() else f"U+{ord(char):04X}"
        rest = msg[len("unexpected character") :].lstrip(", ")
        return f"syntax error: unexpected character {shown}" + (f", {rest}" if rest else ""), line, column
    return f"syntax error: {msg}", line, column


def invalid_utf8(raw: bytes) -> tuple[str, int, int]:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line, column = locate.line_col(raw, err.start)
        return f"invalid UTF-8: byte 0x{raw[err.start]:02x} at offset {err.start}", line, column
    return "invalid UTF-8", 1, 1


def type_name(value: Any) -> str:
    """"a JSON array", "a JSON string", ... for top-level type messages."""
    if isinstance(value, list):
        return "a JSON array"
    if isinstance(value, str):
        return "a JSON string"
    if isinstance(value, bool):
        return "a JSON boolean"
    if isinstance(value, (int, float)):
        return "a JSON number"
    if value is None:
        return "JSON null"
    if isinstance(value, dict):
        return "a JSON object"
    return f"a {type(value).__name__}"


def not_object_reason(value: Any, what: str = "top level") -> str:
    return f"{what} is {type_name(value)}, expected an object"
