"""YAML documents (``yaml`` safe loading only), including VCR cassettes written as YAML.

Two passes, both safe on hostile input:

1. An event scan (libyaml's parser is iterative) that finds document
   boundaries, start lines, duplicate keys with their paths and the nesting
   depth. It stops as soon as a document is nested deeper than ``max_depth``
   (at most ``YAML_MAX_DEPTH``): libyaml's *composer* recurses in C and crashes
   the interpreter on ~100 000 levels, so such a document is never composed.
   (Documents after a too-deep one are not read.)

   Our bound is the one that speaks, whatever the installed PyYAML does on its
   own: libyaml 0.2.5 as bundled by PyYAML 6.0.4 stops at 1,000 flow levels
   (its scanner looks ahead, so even a 256 bound never sees the event), and
   other releases differ. When libyaml refuses a document for its nesting, the
   pure-Python parser (no limit, iterative) reads it instead.
2. Each document is loaded with ``JsonishLoader``: the safe loader, except
   that timestamps stay strings (JSON has no dates) and the legacy
   ``!!python/str``/``!!python/unicode`` tags of old VCR.py cassettes load as
   plain strings. No other tag constructs anything but plain data.

Plain documents must then be JSON-compatible: non-string keys (``200:``) are
turned into strings; binary, NaN/Infinity, sets and recursive aliases make
the document unreadable.
"""
from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field
from typing import Any, Iterator

import yaml

from .. import paths
from .cassette import cassette_records, interactions_key
from .jsonparse import ORJSON_MAX_DEPTH, depth_reason, invalid_utf8, not_object_reason
from .model import Record, duplicate_entry, duplicates_by_item, unreadable

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: the largest YAML file read (PyYAML holds many times its size while composing; big captures are JSON)
YAML_MAX_BYTES = 32 * 1024 * 1024

#: YAML's own nesting bound (``max_depth`` is capped here): below the 1,000 flow levels at which libyaml stops,
#: and shallow enough for the pure-Python composer's recursion (see ``_pure``)
YAML_MAX_DEPTH = 512


def _jsonish(base: type) -> type:
    """The safe loader ``base`` with JSON-friendly scalars (see module docstring)."""
    loader = type(f"Jsonish{base.__name__}", (base,), {})
    loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in base.yaml_implicit_resolvers.items()
    }
    for tag in ("tag:yaml.org,2002:python/str", "tag:yaml.org,2002:python/unicode"):
        loader.add_constructor(tag, yaml.constructor.SafeConstructor.construct_yaml_str)
    return loader


JsonishLoader = _jsonish(_Base)
_PureJsonishLoader = JsonishLoader if _Base is yaml.SafeLoader else _jsonish(yaml.SafeLoader)


def _parser_nesting_limit(exc: yaml.YAMLError) -> bool:
    """Whether libyaml refused the text for its own nesting limit (not a syntax error of the text)."""
    return "nesting depth" in str(getattr(exc, "problem", "") or "")


def _pure(load, *args):
    """Run the pure-Python loader with room for ``YAML_MAX_DEPTH`` levels of its recursive composer."""
    import sys

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 8 * YAML_MAX_DEPTH + 1000))
    try:
        return load(*args)
    finally:
        sys.setrecursionlimit(limit)

_ITEM_PATHS = ("$", "$.interactions", "$.http_interactions")
_NODE_START = (yaml.ScalarEvent, yaml.AliasEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)
_COLLECTION_START = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_COLLECTION_END = (yaml.SequenceEndEvent, yaml.MappingEndEvent)


@dataclass(slots=True)
class _Doc:
    start: int
    line: int
    end: int | None = None
    too_deep: tuple[int, int] | None = None
    duplicate_keys: list[str] = field(default_factory=list)
    items: dict[str, list[int]] = field(default_factory=dict)


@dataclass(slots=True)
class _Frame:
    is_map: bool
    path: str | None
    as_key: bool
    expect_key: bool = True
    key: str | None = None
    index: int = 0
    seen: set = field(default_factory=set)
    reported: set = field(default_factory=set)


def yaml_records(data: bytes, *, source: str, max_depth: int, stats: dict | None) -> Iterator[Record]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        reason, line, column = invalid_utf8(data)
        yield unreadable(source, reason, line=line, column=column)
        return
    text = text.removeprefix("\ufeff")
    max_depth = min(max_depth, ORJSON_MAX_DEPTH, YAML_MAX_DEPTH)  # keeps libyaml's recursion shallow
    docs, error = _scan(text, max_depth)
    single = len(docs) == 1 and error is None
    if not docs and error is None:
        yield unreadable(source, "empty document", line=1, column=1)
        return
    for number, doc in enumerate(docs, 1):
        record = None if single else number
        if doc.too_deep is not None:
            yield unreadable(source, depth_reason(max_depth), record=record, line=doc.too_deep[0], column=doc.too_deep[1])
            return
        if doc.end is None:
            break
        yield from _document(text, doc, record, single, source=source, max_depth=max_depth, stats=stats)
    if error is not None:
        reason, line, column = error
        yield unreadable(source, reason, record=len(docs) if len(docs) > 1 else None, line=line, column=column)


def _document(text: str, doc: _Doc, record, single: bool, *, source: str, max_depth: int, stats) -> Iterator[Record]:
    offset_line = 0
    if single:
        chunk = text
    else:
        begin = text.rfind("\n", 0, doc.start) + 1
        offset_line = text.count("\n", 0, begin)
        chunk = text[begin : doc.end]
    try:
        try:
            value = yaml.load(chunk, Loader=JsonishLoader)
        except yaml.YAMLError as exc:
            if not _parser_nesting_limit(exc):
                raise
            value = _pure(yaml.load, chunk, _PureJsonishLoader)
    except yaml.YAMLError as exc:
        reason, line, column = _yaml_error(exc, chunk)
        yield unreadable(source, reason, record=record, line=line + offset_line, column=column)
        return
    except RecursionError:  # only the pure-Python loader (no libyaml) recurses this deep
        yield unreadable(source, depth_reason(max_depth), record=record, line=doc.line)
        return
    except (ValueError, TypeError, KeyError, OverflowError) as exc:  # a tag that cannot build its value: !!int x
        yield unreadable(source, f"YAML value cannot be built ({type(exc).__name__}): a tag such as !!int or "
                                 "!!timestamp does not fit its value", record=record, line=doc.line)
        return
    where = {"source": source, "record": record, "line": doc.line}
    problem = expansion_problem(value, len(chunk)) if isinstance(value, (dict, list)) else None
    if problem:  # an alias bomb, cassette or not, is never expanded
        yield unreadable(error=problem, column=None, **where)
        return
    key = interactions_key(value)
    if key is not None:
        lines = doc.items.get(f"$.{key}", [])
        yield from cassette_records(value, source=source, lines=lines, max_depth=max_depth, stats=stats)
        return
    if value is None:
        yield unreadable(error="empty document", column=None, **where)
        return
    problem = _jsonify(value) if isinstance(value, (dict, list)) else None
    if problem:
        yield unreadable(error=problem, column=None, **where)
        return
    if isinstance(value, dict):
        yield Record(column=None, data=value, duplicate_keys=doc.duplicate_keys, **where)
    elif isinstance(value, list) and single:
        yield from _list_records(value, doc, source=source)
    else:
        yield unreadable(error=not_object_reason(value), column=None, **where)


def _list_records(items: list, doc: _Doc, *, source: str) -> Iterator[Record]:
    if not items:
        yield unreadable(source, "top level is an empty JSON array, no objects to check", line=doc.line)
        return
    lines = doc.items.get("$", [])
    per_item = duplicates_by_item(doc.duplicate_keys)
    for index, item in enumerate(items):
        line = lines[index] if index < len(lines) else None
        dups = per_item.get(index, [])
        if isinstance(item, dict):
            yield Record(source=source, record=index + 1, line=line, column=None, data=item, duplicate_keys=dups)
        else:
            yield unreadable(source, not_object_reason(item, "array item"), record=index + 1, line=line)


# --------------------------------------------------------------------------- pass 1: events


def _scan(text: str, max_depth: int, loader: type = _Base) -> tuple[list[_Doc], tuple[str, int, int] | None]:
    docs: list[_Doc] = []
    stack: list[_Frame] = []
    doc: _Doc | None = None
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, yaml.DocumentStartEvent):
                doc = _Doc(start=event.start_mark.index, line=event.start_mark.line + 1)
                docs.append(doc)
                stack = []
            elif isinstance(event, yaml.DocumentEndEvent):
                if doc is not None:
                    doc.end = event.end_mark.index
            elif isinstance(event, _NODE_START) and doc is not None:
                if _node(event, stack, doc, max_depth):
                    return docs, None
            elif isinstance(event, _COLLECTION_END) and stack:
                frame = stack.pop()
                _done(stack, was_key=frame.as_key)
    except yaml.YAMLError as exc:
        if loader is not yaml.SafeLoader and _parser_nesting_limit(exc):
            return _scan(text, max_depth, yaml.SafeLoader)  # our bound speaks, not libyaml's
        return docs, _yaml_error(exc, text)
    return docs, None


def _node(event, stack: list[_Frame], doc: _Doc, max_depth: int) -> bool:
    """Handle a node start; True when the document is nested too deep."""
    mark = event.start_mark
    is_key = False
    path: str | None = "$"
    if stack:
        parent = stack[-1]
        if parent.is_map:
            is_key = parent.expect_key
            path = None if is_key or parent.path is None or parent.key is None else paths.child(parent.path, parent.key)
        else:
            path = None if parent.path is None else paths.child(parent.path, parent.index)
            if parent.path in _ITEM_PATHS:
                doc.items.setdefault(parent.path, []).append(mark.line + 1)
        if is_key and isinstance(event, yaml.ScalarEvent):
            key = event.value
            if key in parent.seen and key != "<<" and key not in parent.reported and parent.path is not None:
                doc.duplicate_keys.append(duplicate_entry(parent.path, key))
                parent.reported.add(key)
            parent.seen.add(key)
            parent.key = key
            parent.expect_key = False
            return False
        if is_key:
            parent.key = None
    if isinstance(event, _COLLECTION_START):
        stack.append(_Frame(is_map=isinstance(event, yaml.MappingStartEvent), path=path, as_key=is_key))
        if len(stack) > max_depth:
            doc.too_deep = (mark.line + 1, mark.column + 1)
            return True
        return False
    _done(stack, was_key=is_key)
    return False


def _done(stack: list[_Frame], *, was_key: bool) -> None:
    if not stack:
        return
    parent = stack[-1]
    if parent.is_map:
        parent.expect_key = not was_key
    else:
        parent.index += 1


def _yaml_error(exc: yaml.YAMLError, text: str) -> tuple[str, int, int]:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None)
    if mark is not None and problem:
        return f"YAML syntax error: {' '.join(str(problem).split())}", mark.line + 1, mark.column + 1
    if isinstance(exc, yaml.reader.ReaderError):
        position = exc.position
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        return f"YAML error: {' '.join(str(exc.reason).split())} (character {exc.character!r})", line, column
    return f"YAML error: {' '.join(str(exc).split())}", 1, 1


# --------------------------------------------------------------------------- JSON compatibility


MAX_EXPANDED_VALUES = 5_000_000  # aliases may share subtrees ("billion laughs")
#: the characters of strings (and bytes of !!binary values) the document holds once its aliases are expanded,
#: beyond the text itself: a 1 MB string referenced a thousand times is a gigabyte
MAX_EXPANDED_CHARS = 64 * 1024 * 1024


def expansion_problem(value: Any, text_size: int) -> str | None:
    """Why ``value`` (as loaded: aliases are shared objects) must not be expanded, or None: written out it would
    hold more than ``MAX_EXPANDED_VALUES`` values or ``MAX_EXPANDED_CHARS`` characters of
    strings beyond the text's own size. Iterative, each shared container measured once."""
    limit_chars = MAX_EXPANDED_CHARS + text_size
    sizes: dict[int, tuple[int, int]] = {}  # id -> (values, chars) once expanded
    visiting: set[int] = set()
    stack: list[tuple[Any, bool]] = [(value, False)]
    keep = []  # keeps ids stable
    while stack:
        node, leaving = stack.pop()
        if leaving:
            visiting.discard(id(node))
            values, chars = 1, 0
            for child in (node.values() if isinstance(node, dict) else node):
                v, c = sizes.get(id(child)) or (1, len(child) if isinstance(child, (str, bytes, bytearray)) else 0)
                values += v
                chars += c
            if isinstance(node, dict):
                chars += sum(len(k) for k in node if isinstance(k, str))
            if values > MAX_EXPANDED_VALUES:
                return f"YAML aliases expand to more than {MAX_EXPANDED_VALUES} values"
            if chars > limit_chars:
                return f"YAML aliases expand to more than {limit_chars // 1048576} MB of text"
            sizes[id(node)] = (values, chars)
            continue
        if id(node) in visiting or id(node) in sizes:
            continue
        visiting.add(id(node))
        keep.append(node)
        stack.append((node, True))
        for child in (node.values() if isinstance(node, dict) else node):
            if isinstance(child, (dict, list)) and id(child) not in sizes and id(child) not in visiting:
                stack.append((child, False))  # (a recursive alias is reported with its path by _jsonify)
    return None


def _jsonify(value: Any) -> str | None:
    """Make ``value`` JSON-compatible in place; a reason when it cannot be."""
    visiting: set[int] = set()
    sizes: dict[int, int] = {}  # expanded number of values under each container
    stack: list[tuple[Any, str, bool]] = [(value, "$", False)]
    while stack:
        node, path, leaving = stack.pop()
        if leaving:
            visiting.discard(id(node))
            children = node.values() if isinstance(node, dict) else node
            size = 1 + sum(sizes.get(id(c), 1) for c in children)
            if size > MAX_EXPANDED_VALUES:
                return f"YAML aliases expand to more than {MAX_EXPANDED_VALUES} values"
            sizes[id(node)] = size
            continue
        if id(node) in visiting:
            return f"YAML alias at {path} is recursive; JSON cannot represent it"
        if id(node) in sizes:
            continue
        visiting.add(id(node))
        stack.append((node, path, True))
        if isinstance(node, dict):
            if not all(isinstance(k, str) for k in node):
                problem = _string_keys(node, path)
                if problem:
                    return problem
            children = list(node.items())
        else:
            children = list(enumerate(node))
        for key, child in reversed(children):
            child_path = paths.child(path, key)
            if isinstance(child, (dict, list)):
                stack.append((child, child_path, False))
                continue
            fixed = _scalar(child, child_path)
            if isinstance(fixed, _Problem):
                return fixed.reason
            if fixed is not child:
                node[key] = fixed
    return None


class _Problem:
    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason


def _scalar(value: Any, path: str) -> Any:
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        return _Problem(f"NaN/Infinity is not valid JSON (YAML value at {path})")
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return _Problem(f"binary value (!!binary) at {path} is not valid JSON")
    return _Problem(f"YAML value at {path} is a {type(value).__name__}, not valid JSON")


def _string_keys(node: dict, path: str) -> str | None:
    items = list(node.items())
    node.clear()
    for key, item in items:
        if isinstance(key, str):
            node[key] = item
        elif key is None:
            node["null"] = item
        elif isinstance(key, bool):
            node["true" if key else "false"] = item
        elif isinstance(key, int) or (isinstance(key, float) and math.isfinite(key)):
            node[str(key)] = item
        else:
            return f"YAML key {key!r} at {path} is a {type(key).__name__}; JSON keys must be strings"
    return None
