"""Drift over a whole run: what the payloads carry that the docs do not name, and what the docs name that the
payloads never carry.

Three tallies, each keyed by schema:

* **unknown fields** — ``unknown-field`` findings, by normalised path, with a count and the first location;
* **open-enum values** — values outside an ``x-open-enum`` enum, by normalised path and value;
* **documented fields never seen** — every property the schema documents (walked through ``$ref``,
  ``allOf`` and ``if``/``then``/``else``) that no *valid* payload of that schema carried. A ``then`` branch keyed
  on a discriminator (``if: {properties: {instrument: {const: "Swish"}}}``) counts only when some payload took
  it: the Swish fields are not "never seen" in a run of card payments; the branch is one line, "never taken".

Paths are normalised so that a day of traffic folds into a few lines: array indexes become ``[*]`` and
timestamp keys (the Paiwise ``log``) become ``['*']``. A :class:`Drift` is filled per batch (in a worker
process when there are several) and merged in input order, so "first seen" means first in the input.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Iterable, Iterator, NamedTuple

from . import paths, registry, schemawalk
from .redact import describe

_INDEX = re.compile(r"\[\d+\]")
_TIMESTAMP_KEY = re.compile(r"\['[0-9]{4}-[0-9]{2}-[0-9]{2}[^']*'\]")
_TIMESTAMP = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}")
ARRAY = "[*]"      # trie key for "any array item"
ANY_KEY = "*"      # trie key for "any key of a map" (timestamps, free-form metadata)
MAX_KEYS = 256     # a seen-trie node stops growing past this many distinct keys (free-form maps)


class Branch(NamedTuple):
    """Trie key of a ``then`` branch documented only for objects whose ``key`` holds one of ``values``; in a
    seen-trie, the marker that some valid payload took it."""
    key: str
    values: tuple

    def describe(self) -> str:
        return f"{self.key} is {' or '.join(map(str, self.values))}"


_MISSING = object()


def normalise(path: str) -> str:
    """``$.operations[3].rel`` → ``$.operations[*].rel``; ``$.log['2023-04-14 09:03:30']`` → ``$.log['*']``."""
    return _TIMESTAMP_KEY.sub("['*']", _INDEX.sub("[*]", path))


def value_at(instance: Any, path: str) -> tuple[Any, Any, bool]:
    """``(value, key, found)`` at a rendered path."""
    parts = paths.parse(path)
    for _, value in paths.values_at(instance, parts):
        return value, parts[-1] if parts else None, True
    return None, None, False


# ---------------------------------------------------------------- seen paths (cheap: a trie of dicts)

def add_seen(trie: dict, instance: Any, depth: int = 0) -> None:
    """Record every path of ``instance`` in ``trie`` (nested dicts; arrays fold to ``[*]``, timestamp keys to
    ``*``). Recursive while shallow (it is the fast way in Python), iterative below 200 levels."""
    if depth > 200:
        _add_seen_deep(trie, instance)
        return
    if type(instance) is dict:
        get = trie.get
        for key, sub in instance.items():
            child = get(key)
            if child is None:
                if type(key) is not str:
                    continue
                if _TIMESTAMP.match(key):
                    key = ANY_KEY
                elif len(trie) >= MAX_KEYS:
                    continue
                child = get(key)
                if child is None:
                    child = trie[key] = {}
            if sub.__class__ is dict or sub.__class__ is list:
                add_seen(child, sub, depth + 1)
    elif type(instance) is list:
        child = trie.get(ARRAY)
        if child is None:
            child = trie[ARRAY] = {}
        for item in instance:
            if item.__class__ is dict or item.__class__ is list:
                add_seen(child, item, depth + 1)


def _add_seen_deep(trie: dict, instance: Any) -> None:
    stack = [(trie, instance)]
    while stack:
        node, value = stack.pop()
        if isinstance(value, dict):
            for key, sub in value.items():
                if not isinstance(key, str):
                    continue
                if key not in node:
                    if _TIMESTAMP.match(key):
                        key = ANY_KEY
                    elif len(node) >= MAX_KEYS:
                        continue
                child = node.get(key)
                if child is None:
                    child = node[key] = {}
                if isinstance(sub, (dict, list)):
                    stack.append((child, sub))
        elif isinstance(value, list):
            child = node.get(ARRAY)
            if child is None:
                child = node[ARRAY] = {}
            for item in value:
                if isinstance(item, (dict, list)):
                    stack.append((child, item))


def merge_trie(into: dict, other: dict) -> None:
    stack = [(into, other)]
    while stack:
        a, b = stack.pop()
        for key, sub in b.items():
            if key in a:
                stack.append((a[key], sub))
            elif len(a) < MAX_KEYS or key in (ARRAY, ANY_KEY):
                a[key] = sub


# ---------------------------------------------------------------- documented paths

@functools.lru_cache(maxsize=None)
def documented(name: str) -> dict:
    """The documented fields of a schema as a trie (``[*]`` for array items, ``*`` for map values)."""
    trie: dict = {}
    for visit in schemawalk.walk(registry.get(name), max_depth=64):
        if visit.keyword == "properties":
            node = trie
            for key in _trie_path(visit.steps):
                node = node.setdefault(key, {})
    return trie


_TRIE_KEY = {"items": ARRAY, "prefixItems": ARRAY, "additionalProperties": ANY_KEY, "unevaluatedProperties": ANY_KEY,
             "patternProperties": ANY_KEY}


def _trie_path(steps: tuple) -> Iterator[Any]:
    """A documented field's place in the trie: its property names, ``[*]`` / ``*`` for array items and map values,
    and a :class:`Branch` where a ``then`` keyed on a discriminator was taken."""
    for step in steps:
        if step.keyword == "properties":
            yield step.key
        elif step.keyword in _TRIE_KEY:
            yield _TRIE_KEY[step.keyword]
        elif step.keyword == "then":
            branch = _discriminator(step.parent)
            if branch is not None:
                yield branch


def _discriminator(node: dict) -> Branch | None:
    """The branch an ``if`` on one property's ``const`` / ``enum`` selects, else None."""
    cond = node.get("if")
    props = cond.get("properties") if isinstance(cond, dict) else None
    tests = schemawalk.property_tests(cond)
    if not isinstance(props, dict) or len(props) != 1 or len(tests) != 1:
        return None
    (key, op, values), = tests
    if op != "eq" or not values or not all(isinstance(v, (str, int, bool)) for v in values):
        return None
    return Branch(key, values)


_BRANCHED: dict[int, bool] = {}


def _has_branch(trie: dict) -> bool:
    """Whether a documented trie holds a branch anywhere below (cached: the documented tries live forever)."""
    found = _BRANCHED.get(id(trie))
    if found is None:
        found = _BRANCHED[id(trie)] = any(type(k) is Branch or _has_branch(v) for k, v in trie.items())
    return found


_BRANCH_KIDS: dict[int, tuple] = {}


def _branch_kids(doc: dict) -> tuple:
    """The entries of a documented trie that lead to a branch: the branches themselves and the named fields with
    one below (cached like ``_has_branch``), so a payload's walk skips the rest of the documented fields."""
    kids = _BRANCH_KIDS.get(id(doc))
    if kids is None:
        kids = _BRANCH_KIDS[id(doc)] = tuple(
            (k, v) for k, v in doc.items()
            if type(k) is Branch or (type(k) is str and k not in (ARRAY, ANY_KEY) and _has_branch(v)))
    return kids


def mark_branches(doc: dict, instance: Any, seen: dict) -> None:
    """Put a :class:`Branch` marker into ``seen`` (the seen-trie of ``instance``) for every branch ``instance``
    takes; ``seen`` must already hold ``instance``'s paths (``add_seen``)."""
    if type(instance) is dict:
        for key, sub in _branch_kids(doc):
            if type(key) is Branch:
                value = instance.get(key.key, _MISSING)
                if any(value == v and type(value) is type(v) for v in key.values):
                    seen.setdefault(key, {})
                    if _has_branch(sub):
                        mark_branches(sub, instance, seen)
            elif key in instance:
                child = seen.get(key)
                if child is not None:
                    mark_branches(sub, instance[key], child)
    elif type(instance) is list:
        sub, child = doc.get(ARRAY), seen.get(ARRAY)
        if sub is not None and child is not None and _has_branch(sub):
            for item in instance:
                mark_branches(sub, item, child)


def never_seen(doc: dict, seen: dict) -> list[tuple[str, int, str | None]]:
    """``(path, documented fields beneath it, branch)`` for the topmost documented paths no payload carried;
    ``branch`` (``instrument is Swish``) for a discriminated branch no payload took (``path`` is the object)."""
    out: list[tuple[str, int, str | None]] = []
    _compare(doc, [seen], "$", out)
    return out


def _compare(doc: dict, seen_nodes: list[dict], path: str, out: list) -> None:
    for key in sorted(doc, key=lambda k: (type(k) is Branch, k in (ARRAY, ANY_KEY), str(k))):
        sub = doc[key]
        if type(key) is Branch:
            if any(key in s for s in seen_nodes):
                _compare(sub, seen_nodes, path, out)  # the branch's fields live in the same object
            else:
                out.append((path, _count(sub), key.describe()))
            continue
        if key == ARRAY:
            child_path = path + "[*]"
            nodes = [s[ARRAY] for s in seen_nodes if ARRAY in s]
        elif key == ANY_KEY:
            child_path = paths.child(path, "*")
            nodes = [v for s in seen_nodes for k, v in s.items() if k != ARRAY]
        else:
            child_path = paths.child(path, key)
            nodes = [s[key] for s in seen_nodes if key in s]
        if not nodes:
            if key not in (ARRAY, ANY_KEY):
                out.append((child_path, _count(sub), None))
            else:  # an empty array / map in every payload: its item fields were never seen
                out.extend((paths.child(child_path, k) if type(k) is str and k not in (ARRAY, ANY_KEY) else child_path,
                            _count(v), k.describe() if type(k) is Branch else None)
                           for k, v in sub.items())
            continue
        _compare(sub, nodes, child_path, out)


def _count(trie: dict) -> int:
    """Documented fields in a trie (array items, map values and branches are no fields themselves)."""
    return sum((0 if type(k) is Branch or k in (ARRAY, ANY_KEY) else 1) + _count(v) for k, v in trie.items())


# ---------------------------------------------------------------- the tally

class Drift:
    """Drift tallies for part of a run; :meth:`merge` later parts into earlier ones."""

    __slots__ = ("unknown", "enums", "seen", "valid")

    def __init__(self) -> None:
        self.unknown: dict[tuple[str, str], list] = {}          # (schema, path) -> [count, first location]
        self.enums: dict[tuple[str, str, str], list] = {}       # (schema, path, value) -> [count, first location]
        self.seen: dict[str, dict] = {}                         # schema -> trie of paths in valid payloads
        self.valid: dict[str, int] = {}                         # schema -> valid payloads

    def add(self, schema: str | None, instance: Any, findings: Iterable[Any], where: tuple, valid: bool) -> None:
        """Tally one checked payload. ``findings`` are :class:`checkout_contracts.findings.Finding` objects; ``where`` is
        ``(source, record, line)``."""
        if schema is None:
            return
        for f in findings:
            if not f.drift:
                continue
            if f.code == "unknown-field":
                _bump(self.unknown, (schema, normalise(f.path)), where)
            elif f.code == "enum":
                value, key, found = value_at(instance, f.path)
                shown = describe(value, key) if found else "?"
                _bump(self.enums, (schema, normalise(f.path), shown), where)
        if valid:
            self.valid[schema] = self.valid.get(schema, 0) + 1
            seen = self.seen.setdefault(schema, {})
            add_seen(seen, instance)
            try:
                doc = documented(schema)
            except registry.UnknownSchema:
                return
            if _has_branch(doc):
                mark_branches(doc, instance, seen)

    def merge(self, other: "Drift", line_offset: int = 0) -> None:
        """Add a later part of the run. ``line_offset`` shifts the other part's line and record numbers (a
        block of JSON Lines numbered from 1 by the worker that read it)."""
        for mine, theirs in ((self.unknown, other.unknown), (self.enums, other.enums)):
            for key, (count, first) in theirs.items():
                if key in mine:
                    mine[key][0] += count
                else:
                    if line_offset:
                        source, record, line = first
                        first = (source, record + line_offset if record else record,
                                 line + line_offset if line else line)
                    mine[key] = [count, first]
        for schema, trie in other.seen.items():
            merge_trie(self.seen.setdefault(schema, {}), trie)
        for schema, n in other.valid.items():
            self.valid[schema] = self.valid.get(schema, 0) + n

    def __bool__(self) -> bool:
        return bool(self.unknown or self.enums or self.valid)

    def report(self) -> dict[str, Any]:
        """The JSON-ready drift report (the ``drift`` key of the JSON report)."""
        unknown = [{"schema": s, "path": p, "count": c, "first": _where(first)}
                   for (s, p), (c, first) in sorted(self.unknown.items(), key=lambda kv: (kv[0][0], -kv[1][0], kv[0][1]))]
        enums = [{"schema": s, "path": p, "value": v, "count": c, "first": _where(first)}
                 for (s, p, v), (c, first) in sorted(self.enums.items(), key=lambda kv: (kv[0][0], -kv[1][0], kv[0][1:]))]
        unseen = []
        for schema in sorted(self.seen):
            try:
                doc = documented(schema)
            except registry.UnknownSchema:
                continue
            for path, nested, branch in never_seen(doc, self.seen[schema]):
                entry = {"schema": schema, "path": path, "nested": nested}
                if branch is not None:
                    entry["branch"] = branch
                unseen.append(entry)
        return {"unknown_fields": unknown, "enum_values": enums, "never_seen": unseen,
                "valid_payloads": dict(sorted(self.valid.items()))}


def _where(first: tuple) -> str:
    source, record, line = first
    if line:
        return f"{source}:{line}" + (f" (record {record})" if record is not None and record != line else "")
    return f"{source}::{record}" if record else source


def _bump(table: dict, key: tuple, where: tuple) -> None:
    entry = table.get(key)
    if entry is None:
        table[key] = [1, where]
    else:
        entry[0] += 1
