"""Find positions inside raw JSON text (only used on slow or error paths).

All scanning is iterative: a regex tokenizer over strings and structural
characters, so arbitrarily deep or large documents never recurse.
"""
from __future__ import annotations

import json
import re

_TOKEN = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{},:]', re.DOTALL)
_BRACKET = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
_WS = re.compile(rb"[ \t\r\n]*")


def line_col(buf: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters) of a byte offset."""
    offset = max(0, min(offset, len(buf)))
    line = buf.count(b"\n", 0, offset) + 1
    start = buf.rfind(b"\n", 0, offset) + 1
    column = len(buf[start:offset].decode("utf-8", "replace")) + 1
    return line, column


def first_content_line(buf: bytes) -> int:
    """Line of the first non-whitespace byte (1 when there is none)."""
    end = _WS.match(buf).end()
    return buf.count(b"\n", 0, end) + 1


def first_content(buf: bytes) -> tuple[int, int]:
    """Line and column of the first non-whitespace byte."""
    return line_col(buf, _WS.match(buf).end())


def depth_offset(buf: bytes, max_depth: int) -> int | None:
    """Byte offset of the first bracket nested deeper than ``max_depth``."""
    depth = 0
    for match in _BRACKET.finditer(buf):
        char = buf[match.start()]
        if char in b"[{":
            depth += 1
            if depth > max_depth:
                return match.start()
        elif char in b"]}":
            depth -= 1
    return None


def element_lines(buf: bytes, target: tuple[str, ...]) -> list[int]:
    """1-based lines where the elements of the array at object-key path ``target`` start.

    ``()`` is the top-level array, ``("log", "entries")`` a HAR's entries.
    For valid JSON only (already accepted by the parser). The structure is
    tokenized only up to the array; each element is then skipped by the C
    JSON scanner, which is much faster than tokenizing large HAR entries.
    """
    start = _array_start(buf, target)
    if start is None:
        return []
    text = buf[start:].decode("utf-8")
    decoder = _DECODER
    lines: list[int] = []
    line = buf.count(b"\n", 0, start) + 1
    last = 0
    index = _skip_ws(text, 1)
    if text[index : index + 1] == "]":
        return lines
    while True:
        line += text.count("\n", last, index)
        last = index
        lines.append(line)
        _, index = decoder.raw_decode(text, index)
        index = _skip_ws(text, index)
        if text[index : index + 1] != ",":
            return lines
        index = _skip_ws(text, index + 1)


_DECODER = json.JSONDecoder()
_WS_TEXT = re.compile(r"[ \t\r\n]*")


def _skip_ws(text: str, index: int) -> int:
    return _WS_TEXT.match(text, index).end()


def _array_start(buf: bytes, target: tuple[str, ...]) -> int | None:
    """Byte offset of the ``[`` of the array at ``target``, tokenizing only what precedes it."""
    wanted = tuple(part.encode() for part in target)
    # frame: [is_object, key (bytes|None), matched prefix length or -1]
    stack: list[list] = []
    for match in _TOKEN.finditer(buf):
        start = match.start()
        char = buf[start]
        if char == 0x22:  # a string: a key when the innermost object waits for one
            if stack and stack[-1][0] and stack[-1][1] is None:
                stack[-1][1] = buf[start + 1 : match.end() - 1]
            continue
        if char in b"[{":
            if not stack:
                matched = 0
            else:
                parent = stack[-1]
                k = parent[2]
                ok = 0 <= k < len(wanted) and parent[0] and parent[1] == wanted[k]
                matched = k + 1 if ok else -1
            if char == 0x5B and matched == len(wanted):
                return start
            stack.append([char == 0x7B, None, matched])
        elif char in b"]}":
            if stack:
                stack.pop()
        elif char == 0x2C and stack and stack[-1][0]:  # ',' in an object: a key comes next
            stack[-1][1] = None
    return None
