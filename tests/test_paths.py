"""The one JSON-path module (checkout_contracts.paths): rendering, reading back, following."""
from __future__ import annotations

import pytest

from checkout_contracts import paths
from checkout_contracts.paths import ANYKEY, ITEM


@pytest.mark.parametrize("parts", [
    ["paymentOrder", "paid", "tokens", 0, "type"],
    ["log", "2023-04-14 09:03:30", "details"],
    ["metaData", "it's", "a\\b", "line\nbreak", "tab\there", "esc\x1b", "nbsp\u2028x", "0", "*", "[*]", ".*"],
])
def test_render_then_parse_gives_the_parts_back(parts):
    assert paths.parse(paths.render(parts)) == parts


def test_pattern_writes_wildcards_and_parse_reads_them():
    tokens = ("log", ANYKEY, "details", "items", ITEM, "odd key")
    text = paths.pattern(tokens)
    assert text == "$.log.*.details.items[*]['odd key']"
    assert tuple(paths.parse(text)) == tokens
    # a real key spelt like a wildcard is quoted, so it never reads back as one
    assert paths.render(["*"]) == "$['*']" and paths.parse(paths.render(["*"])) == ["*"]


def test_masked_keys_stay_masked():
    shown = paths.render(["card_4925000000000004"])
    assert "4925000000000004" not in shown
    assert "4925000000000004" not in "".join(map(str, paths.parse(shown)))


def test_values_at_follows_wildcards_and_indexes_in_document_order():
    doc = {"a": [{"x": 1}, {"x": 2}, {"y": 0}], "m": {"k": {"y": 3}, "j": {"y": 4}}, "s": "text"}
    assert list(paths.values_at(doc, ("a", ITEM, "x"))) == [(("a", 0, "x"), 1), (("a", 1, "x"), 2)]
    assert list(paths.values_at(doc, ("m", ANYKEY, "y"))) == [(("m", "k", "y"), 3), (("m", "j", "y"), 4)]
    assert list(paths.values_at(doc, ("a", 1, "x"))) == [(("a", 1, "x"), 2)]
    assert list(paths.values_at(doc, ("a", 3))) == [] and list(paths.values_at(doc, ("s", ITEM))) == []
    assert list(paths.values_at(doc, ("a", "0"))) == []  # a key is no index
    assert list(paths.values_at(doc, ())) == [((), doc)]


def test_sort_key_orders_indexes_numerically():
    found = ["$.a[10].b", "$.a[9].b", "$.a[2]", "$['z z']", "$.b"]
    assert sorted(found, key=paths.sort_key) == ["$.a[2]", "$.a[9].b", "$.a[10].b", "$.b", "$['z z']"]
