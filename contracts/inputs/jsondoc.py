"""One whole JSON document: a HAR, a cassette, an array of payloads or one payload."""
from __future__ import annotations

import re
from typing import Iterator

from . import locate
from .cassette import cassette_records, interactions_key
from .har import har_records, is_har
from .jsonparse import MAX_RECORD_BYTES, find_duplicates, not_object_reason, parse_document, size_reason
from .model import Record, duplicates_by_item, unreadable
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
