"""Duplicate keys inside a top-level array are reported per item, rooted at the item, the same way for JSON and
YAML (one splitter: checkout_contracts.inputs.model.duplicates_by_item)."""
from __future__ import annotations

import json

import pytest


def _items(odd_key: str) -> list[str]:
    items = ['{"id": %d}' % i for i in range(11)]
    items[1] = '{"a": 1, "a": 2}'
    items[10] = '{"b": {"%s": 1, "%s": 2}, "c": 3, "c": 4}' % (odd_key, odd_key)
    return items


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_item_1_and_item_10_keep_their_own(write, read, suffix):
    odd = "it's a key"
    text = "[" + ",\n".join(_items(odd)) + "]\n"
    recs = read(write("items" + suffix, text))
    assert len(recs) == 11 and all(r.error is None for r in recs)
    assert recs[1].duplicate_keys == ["$: duplicate key 'a'"]
    assert sorted(recs[10].duplicate_keys) == sorted(["$: duplicate key 'c'", f"$.b: duplicate key '{odd}'"])
    assert all(r.duplicate_keys == [] for i, r in enumerate(recs) if i not in (1, 10))
    assert json.loads(json.dumps(recs[10].data)) == {"b": {odd: 2}, "c": 4}
