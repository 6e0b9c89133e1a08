"""Duplicate object keys: reported with their JSON path, record stays readable."""
from __future__ import annotations

import json

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkout_contracts import paths
from checkout_contracts.inputs import jsonparse
from checkout_contracts.inputs.jsonparse import parse_document


def test_duplicates_are_reported_with_paths(write, read):
    doc = (
        b'{"id": 1, "paid": {"amount": 1, "amount": 2, "amount": 3, "currency": "SEK"},'
        b' "items": [{"ok": 1}, {"sku": "a", "sku": "b"}], "odd key": {"x": 1, "x": 2}, "id": 7}'
    )
    [rec] = read(write("dup.json", doc))
    assert rec.error is None
    assert rec.data["paid"]["amount"] == 3 and rec.data["id"] == 7  # last value wins
    assert rec.duplicate_keys == [
        "$: duplicate key 'id'",
        "$.paid: duplicate key 'amount'",
        "$.items[1]: duplicate key 'sku'",
        "$['odd key']: duplicate key 'x'",
    ]


def test_duplicates_in_jsonl_and_array_items_are_relative_to_the_record(write, read):
    recs = read(write("d.jsonl", b'{"a": 1}\n{"a": 1, "a": 2}\n'))
    assert [r.duplicate_keys for r in recs] == [[], ["$: duplicate key 'a'"]]
    recs = read(write("d.json", b'[{"a": 1}, {"b": {"c": 1, "c": 2}}]'))
    assert [r.duplicate_keys for r in recs] == [[], ["$.b: duplicate key 'c'"]]


def test_value_of_a_dropped_duplicate_is_not_searched():
    # the first "a" (with its own inner duplicate) is replaced by the second
    parsed = parse_document(b'{"a": {"x": 1, "x": 2}, "a": {"y": 1}}')
    assert parsed.duplicate_keys == ["$: duplicate key 'a'"]
    assert parsed.value == {"a": {"y": 1}}


@pytest.mark.parametrize(
    "raw",
    [
        orjson.dumps({"a": {"b": [1, {"c": "x:y"}]}, "url": "https://h/p?q=1"}),
        json.dumps({"a": {"b": [1, {"c": "x:y"}]}, "time": "10:56:56"}).encode(),
        json.dumps({"ä": "ö: \":\"", "k": [{"x": 1}]}, indent=2).encode(),  # \u escapes, escaped quotes
        b'{"a" : 1, "b"\n:\n2, "s": "\\u003a\\u003A"}',
    ],
)
def test_documents_without_duplicates_never_take_the_slow_path(raw, monkeypatch):
    def boom(_raw):
        raise AssertionError("slow path used")

    monkeypatch.setattr(jsonparse, "duplicate_paths", boom)
    assert parse_document(raw).duplicate_keys == []


def test_escaped_colons_cannot_hide_a_duplicate():
    # "\u003a" adds a colon to the parsed value that the raw text does not show
    parsed = parse_document(b'{"a": {"k": "x"}, "a": "\\u003a"}')
    assert parsed.duplicate_keys == ["$: duplicate key 'a'"]


# ---------------------------------------------------------------- property test
# Documents are generated as trees whose objects are *lists of pairs* (so keys
# may repeat), serialised in several styles; the expected duplicates are
# computed from the tree and compared with what the reader reports.

_KEYS = st.sampled_from(["a", "b", "amount", "x:y", 'q"', "s\\", ":", "é", "u003a", ""])
_STRINGS = st.text(alphabet=st.sampled_from(list('ab:"\\é {}[],\n')), max_size=6)
_SCALARS = st.one_of(st.integers(-5, 5), st.booleans(), st.none(), _STRINGS, st.floats(allow_nan=False, allow_infinity=False))


class Obj(list):
    pass


_TREES = st.recursive(
    _SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(st.tuples(_KEYS, children), max_size=5).map(Obj),
    ),
    max_leaves=25,
)


def _dump_str(value: str, style: dict) -> str:
    text = json.dumps(value, ensure_ascii=style["ascii"])
    return text.replace(":", "\\u003a") if style["escape_colons"] else text


def _dump(node, style: dict) -> str:
    sep, colon = style["sep"], style["colon"]
    if isinstance(node, Obj):
        return "{" + sep.join(_dump_str(k, style) + colon + _dump(v, style) for k, v in node) + "}"
    if isinstance(node, list):
        return "[" + sep.join(_dump(v, style) for v in node) + "]"
    if isinstance(node, str):
        return _dump_str(node, style)
    return json.dumps(node)


def _expected(node, path="$") -> list[str]:
    found: list[str] = []
    if isinstance(node, Obj):
        last: dict[str, object] = {}
        seen: set[str] = set()
        for key, value in node:
            if key in last and key not in seen:
                seen.add(key)
                found.append(f"{path}: duplicate key '{key}'")
            last[key] = value
        for key, value in last.items():
            found += _expected(value, paths.child(path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += _expected(value, f"{path}[{index}]")
    return found


_STYLES = st.fixed_dictionaries(
    {
        "sep": st.sampled_from([",", ", ", ",\n  "]),
        "colon": st.sampled_from([":", ": ", " : ", "\n:"]),
        "ascii": st.booleans(),
        "escape_colons": st.booleans(),
    }
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tree=st.lists(st.tuples(_KEYS, _TREES), max_size=5).map(Obj), style=_STYLES)
def test_duplicate_detection_is_exact(tree, style):
    raw = _dump(tree, style).encode()
    parsed = parse_document(raw)
    assert parsed.error is None, raw
    assert sorted(parsed.duplicate_keys) == sorted(_expected(tree)), raw
