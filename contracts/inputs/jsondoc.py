"""One whole JSON document: a HAR, a cassette, an array of payloads or one payload.

Read whole (lines, duplicate keys, every detail) up to ``WHOLE_LIMIT`` bytes. A larger HAR, JSON cassette or
top-level array is read as a stream (``ijson``'s C parser, item by item): memory follows the largest entry, not
the file, and an entry that runs past ``MAX_RECORD_BYTES`` without ending (a gzip bomb of whitespace) stops the
source with one unreadable record. A larger document of any other kind is one payload over the size bound:
unreadable, without reading more of it.
"""
from __future__ import annotations

import re
from typing import Any, BinaryIO, Iterator

from .. import paths
from . import gz, locate
from .body import exchange_records
from .cassette import _interaction, cassette_records, interactions_key
from .har import _entry, har_records, is_har
from .jsonparse import (MAX_RECORD_BYTES, ORJSON_MAX_DEPTH, depth_reason, find_duplicates, not_object_reason,
                        parse_document, size_reason)
from .model import Record, duplicate_entry, duplicates_by_item, unreadable
from .sniff import strip_bom



def document_records(raw: bytes, *, source: str, max_depth: int, stats: dict | None) -> Iterator[Record]:
    raw = strip_bom(raw)
    parsed = parse_document(raw, max_depth=max_depth, duplicates=False)
    if not parsed.ok:
        yield unreadable(source, parsed.error, line=parsed.line, column=parsed.column)
        return
    value = parsed.value
    if is_har(value):
        lines = _element_lines(raw, ("log", "entries"), len(value["log"]["entries"]))
        yield from har_records(value, source=source, lines=lines, max_depth=max_depth, stats=stats)
        return
    key = interactions_key(value)
    if key is not None:
        lines = _element_lines(raw, (key,), len(value[key]))
        yield from cassette_records(value, source=source, lines=lines, max_depth=max_depth, stats=stats)
        return
    line, column = locate.first_content(raw)
    if isinstance(value, dict) and len(raw) > MAX_RECORD_BYTES:
        yield unreadable(source, size_reason(len(raw)), line=line, column=column)
    elif isinstance(value, dict):
        dups = find_duplicates(raw, parsed.dumped)
        yield Record(source=source, record=None, line=line, column=None, data=value, duplicate_keys=dups)
    elif isinstance(value, list):
        yield from _array_records(raw, value, parsed.dumped, source=source, line=line)
    else:
        yield unreadable(source, not_object_reason(value), line=line, column=column)


def _array_records(raw: bytes, items: list, dumped: bytes | None, *, source: str, line: int) -> Iterator[Record]:
    """A top-level array of objects: one record per element (``record`` = index + 1)."""
    if not items:
        yield unreadable(source, "top level is an empty JSON array, no objects to check", line=line, column=None)
        return
    per_item = duplicates_by_item(find_duplicates(raw, dumped))
    lines = _element_lines(raw, (), len(items))
    for index, item in enumerate(items):
        where = {"source": source, "record": index + 1, "line": lines[index]}
        if isinstance(item, dict):
            yield Record(column=None, data=item, duplicate_keys=per_item.get(index, []), **where)
        else:
            yield unreadable(error=not_object_reason(item, "array item"), **where)


def _element_lines(raw: bytes, path: tuple[str, ...], count: int) -> list[int | None]:
    try:
        lines = locate.element_lines(raw, path)
    except (ValueError, RecursionError):  # cannot happen for parsed JSON; lines are a nicety
        lines = []
    return list(lines) if len(lines) == count else [None] * count


#: a document up to this size is read whole; past it only a HAR, a JSON cassette or an array goes on, streamed
WHOLE_LIMIT = MAX_RECORD_BYTES
_CHUNK = 1 << 20
_HAR_HEAD = re.compile(rb'\A\s*\{\s*"log"\s*:\s*\{')
_CASSETTE_HEAD = re.compile(rb'"((?:http_)?interactions)"\s*:\s*\[')


class TooLarge(Exception):
    """An entry of a streamed document ran past the size bound of one payload."""


def stream_records(src: BinaryIO, *, source: str, max_depth: int, stats: dict | None) -> Iterator[Record]:
    """Records of a JSON document read from ``src``: whole when it ends within ``WHOLE_LIMIT`` bytes, else
    streamed (HAR, cassette, array) or refused (anything else), never holding more than the bound of one
    payload plus what its largest entry needs."""
    chunks: list[bytes] = []
    size = 0
    try:
        while size <= WHOLE_LIMIT:
            chunk = src.read(_CHUNK)
            if not chunk:
                yield from document_records(b"".join(chunks), source=source, max_depth=max_depth, stats=stats)
                return
            chunks.append(chunk)
            size += len(chunk)
    except Exception as exc:
        yield unreadable(source, gz.read_error(exc))
        return
    head = strip_bom(b"".join(chunks)[:65536]) if len(chunks[0]) < 65536 else strip_bom(chunks[0][:65536])
    if _HAR_HEAD.match(head):
        prefix, convert, what = "log.entries.item", _entry, "HAR entry"
    elif (m := _CASSETTE_HEAD.search(head)) is not None:
        prefix, convert, what = f"{m.group(1).decode()}.item", _interaction, "cassette interaction"
    elif head.lstrip()[:1] == b"[":
        prefix, convert, what = "item", None, "array item"
    else:
        line, column = locate.first_content(head)
        yield unreadable(source, f"document of more than {WHOLE_LIMIT // 1048576} MB is larger than the "
                                 f"{MAX_RECORD_BYTES // 1048576} MB bound for one payload (a HAR, a cassette or "
                                 "a top-level array may be larger: they are read entry by entry)",
                         line=line, column=column)
        return
    reader = _Bounded(chunks, src)
    failure: list[str] = []
    items = _items(reader, prefix, failure, _Keys if convert is None else dict)
    if convert is None:
        count = 0
        for count, item in enumerate(items, 1):
            plain = _plain(item, min(max_depth, ORJSON_MAX_DEPTH)) if isinstance(item, dict) else None
            if plain is not None:
                yield Record(source=source, record=count, line=None, column=None, data=plain[0],
                             duplicate_keys=plain[1])
            elif isinstance(item, dict):
                yield unreadable(source, depth_reason(max_depth), record=count)
            else:
                yield unreadable(source, not_object_reason(item, "array item"), record=count)
    else:
        count = 0

        def counted():
            nonlocal count
            for count, item in enumerate(items, 1):
                yield item
        yield from exchange_records(counted(), convert, what=what, source=source, lines=[], max_depth=max_depth,
                                    stats=stats)
    if failure:
        yield unreadable(source, f"{what} {count + 1}: {failure[0]}", record=count + 1)


class _Keys(dict):
    """A mapping that remembers the keys it was given twice (ijson builds the objects of a streamed array with it:
    a payload's duplicate keys are reported as for a document read whole)."""
    __slots__ = ("repeated",)

    def __setitem__(self, key: str, value: Any) -> None:
        if key in self:
            try:
                self.repeated.append(key)
            except AttributeError:
                self.repeated = [key]
        dict.__setitem__(self, key, value)


def _plain(item: Any, max_depth: int) -> tuple[Any, list[str]] | None:
    """``item`` with plain dicts, and its duplicate keys as ``"$.a: duplicate key 'b'"``; None when it is nested
    deeper than ``max_depth``. Iterative."""
    dups: list[str] = []
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any, str, int]] = [(item, root, 0, "$", 1)]
    while stack:
        node, parent, slot, path, depth = stack.pop()
        if depth > max_depth and isinstance(node, (dict, list)):
            return None
        if isinstance(node, dict):
            out: Any = {}
            for key in dict.fromkeys(getattr(node, "repeated", ())):
                dups.append(duplicate_entry(path, key))
            for key, child in node.items():
                out[key] = child
                if isinstance(child, (dict, list)):
                    stack.append((child, out, key, paths.child(path, key), depth + 1))
        elif isinstance(node, list):
            out = list(node)
            for i, child in enumerate(node):
                if isinstance(child, (dict, list)):
                    stack.append((child, out, i, paths.child(path, i), depth + 1))
        else:
            out = node
        parent[slot] = out
    return root[0], dups


def _items(reader: "_Bounded", prefix: str, failure: list[str], map_type: type = dict) -> Iterator[Any]:
    import ijson
    try:
        for item in ijson.items(reader, prefix, use_float=True, map_type=map_type):
            reader.mark()
            yield item
    except TooLarge:
        failure.append(f"runs past the {MAX_RECORD_BYTES // 1048576} MB bound for one payload without ending; "
                       "reading stopped here")
    except ijson.JSONError as exc:
        text = " ".join(str(exc).split())[:200]
        failure.append(f"syntax error: {text}; reading stopped here")
    except Exception as exc:  # a read error (corrupt gzip, I/O)
        failure.append(gz.read_error(exc))


class _Bounded:
    """A byte reader over the chunks read so far and the rest of the stream, raising :class:`TooLarge` when more
    than the bound of one payload is read between two entries."""

    def __init__(self, chunks: list[bytes], rest: BinaryIO) -> None:
        self._chunks = chunks[::-1]
        self._rest = rest
        self._since = 0

    def mark(self) -> None:
        self._since = 0

    def read(self, size: int = -1) -> bytes:
        if self._chunks:
            data = self._chunks.pop()
            if size is not None and 0 <= size < len(data):
                self._chunks.append(data[size:])
                data = data[:size]
        else:
            data = self._rest.read(size if size is not None and size >= 0 else _CHUNK)
        self._since += len(data)
        if self._since > MAX_RECORD_BYTES + 2 * _CHUNK:
            raise TooLarge
        return data
