"""Decide what a byte stream contains from its first bytes and lines."""
from __future__ import annotations

import codecs
import re

import orjson

GZIP_MAGIC = b"\x1f\x8b"
UTF8_BOM = codecs.BOM_UTF8

UTF16 = "UTF-16 encoded; JSON must be UTF-8"
UTF32 = "UTF-32 encoded; JSON must be UTF-8"
BINARY = "binary data, not JSON text"

_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\r\f\b") + b"\x7f"
_YAML_START = re.compile(rb"(?:---|%YAML|[A-Za-z_][\w .-]*:(?:[ \t\r\n]|$))")
_YAML_START_LOOSE = re.compile(rb"(?:---|%YAML|#|[A-Za-z_'][^\n:]*:(?:[ \t\r\n]|$)|- )")


def is_gzip(head: bytes) -> bool:
    return head[:2] == GZIP_MAGIC


def encoding_problem(head: bytes) -> str | None:
    """A reason when the text is UTF-16/32 or binary, else None. ``head``: first ~1 KB."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return UTF32
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return UTF16
    if b"\x00" not in head:
        return _binary_ratio(head)
    if len(head) >= 4:
        a, b, c, d = head[:4]
        if (a == b == c == 0 and d) or (a and b == c == d == 0):
            return UTF32
        if (a == 0 and b and c == 0 and d) or (a and b == 0 and c and d == 0):
            return UTF16
    elif len(head) == 2 and (head[0] == 0) != (head[1] == 0):
        return UTF16
    return BINARY


def _binary_ratio(head: bytes) -> str | None:
    if not head:
        return None
    control = len(head) - len(head.translate(None, _CONTROL))
    if control * 20 > len(head):  # > 5% control bytes
        return BINARY
    if head.isascii():
        return None
    decoded = head[: max(len(head) - 3, 1)].decode("utf-8", "replace") if len(head) > 3 else head.decode("utf-8", "replace")
    bad = decoded.count("\ufffd")
    if (bad + control) * 10 > 3 * len(head):  # > 30% garbage
        return BINARY
    return None


def strip_bom(data: bytes) -> bytes:
    return data[3:] if data.startswith(UTF8_BOM) else data


def first_significant(head: bytes) -> bytes:
    return strip_bom(head).lstrip(b" \t\r\n")[:1]


def looks_like_yaml(head: bytes, *, loose: bool) -> bool:
    """True for YAML-looking text that is not JSON-looking.

    ``loose`` (no file-name hint, e.g. stdin) also accepts a leading comment or
    a block list; with a ``.json`` name only an unmistakable YAML start counts.
    """
    text = strip_bom(head).lstrip(b" \t\r\n")
    if not text or text[:1] in b'{["' or text[:1].isdigit() or text[:1] == b"-" and text[1:2].isdigit():
        return False
    if text.startswith((b"true", b"false", b"null")) and not re.match(rb"\w+:", text):
        return False
    pattern = _YAML_START_LOOSE if loose else _YAML_START
    return pattern.match(text) is not None


def _parses(line: bytes) -> object:
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError:
        return _FAIL


_FAIL = object()


def looks_like_jsonl(lines: list[bytes]) -> bool:
    """Given the first (up to 3) non-blank lines, is this one JSON value per line?

    * the first line is a whole JSON value and more lines follow, or
    * the first line is broken but looks like a one-line object (``{...}``)
      and the second line is a whole JSON object, or
    * the second and third lines are both whole JSON objects.
    A pretty-printed document never has two consecutive lines that are whole objects.
    """
    if len(lines) < 2:
        return False
    first = strip_bom(lines[0]).strip()
    if _parses(first) is not _FAIL:
        return True
    second = _parses(lines[1].strip())
    if not isinstance(second, dict):
        return False
    if first.startswith(b"{") and first.endswith(b"}"):
        return True
    return len(lines) >= 3 and isinstance(_parses(lines[2].strip()), dict)
