"""The one resolved-schema walker (checkout_contracts.schemawalk): what it reaches and the context it hands out."""
from __future__ import annotations

import pytest

from checkout_contracts import registry, schemawalk
from checkout_contracts.schemawalk import ANYKEY, ITEM

ID = registry.ID_PREFIX + "paiwise/checkout.json"

LOCAL = {
    "$id": ID,
    "type": "object",
    "required": ["kind"],
    "properties": {
        "kind": {"enum": ["a", "b"]},
        "list": {"type": "array", "items": {"type": "object", "properties": {"x": {"type": "string"}}}},
        "map": {"type": "object", "additionalProperties": {"properties": {"y": {"type": "integer"}}}},
        "amount": {"$ref": "common.json#/$defs/amount"},
    },
    "if": {"properties": {"kind": {"const": "a"}}},
    "then": {"properties": {"only_a": {"type": "string"}}},
    "else": {"properties": {"only_b": {"type": "string"}}},
}


def _props(root):
    return {v.tokens: v for v in schemawalk.walk(root) if v.keyword == "properties"}


def test_tokens_required_and_keywords():
    props = _props(LOCAL)
    assert set(props) >= {("kind",), ("list",), ("list", ITEM, "x"), ("map",), ("map", ANYKEY, "y"), ("amount",),
                          ("only_a",), ("only_b",)}
    assert props[("kind",)].required and not props[("list",)].required
    assert props[("list", ITEM, "x")].steps[-2].keyword == "items"
    assert props[("map", ANYKEY, "y")].steps[-2].keyword == "additionalProperties"


def test_ref_is_followed_into_the_other_document():
    amount = registry.resolve(ID, "common.json#/$defs/amount")[0]
    reached = [v for v in schemawalk.walk(LOCAL) if v.node is amount]
    assert len(reached) == 1
    assert reached[0].tokens == ("amount",) and reached[0].keyword == "$ref"
    assert reached[0].base == registry.ID_PREFIX + "paiwise/common.json"


def test_branches_name_the_if_and_the_side_taken():
    props = _props(LOCAL)
    (step, taken), = props[("only_a",)].branches()
    assert taken and step.parent["if"] == LOCAL["if"] and step.tokens == ()
    (step, taken), = props[("only_b",)].branches()
    assert not taken
    assert list(props[("kind",)].branches()) == []


def test_then_without_if_is_not_walked():
    root = {"$id": ID, "then": {"properties": {"ghost": {}}}}
    assert ("ghost",) not in _props(root)


def test_a_recursive_ref_ends(monkeypatch):
    root = {"$id": ID, "properties": {"self": {"$ref": "#"}, "leaf": {"type": "string"}}}
    monkeypatch.setattr(registry, "resolve", lambda base, ref: (root, ID))  # "#" is this very object
    seen = [v.tokens for v in schemawalk.walk(root)]
    # the $ref back to the root is not entered: the walk ends, each field once
    assert seen == [(), ("self",), ("leaf",)]


def test_max_depth_bounds_the_walk():
    assert all(len(v.steps) <= 1 for v in schemawalk.walk(LOCAL, max_depth=1))
    assert any(len(v.steps) > 1 for v in schemawalk.walk(LOCAL))


def test_refs_outside_the_registry_or_anchors_are_refused():
    with pytest.raises(registry.UnknownSchema):
        list(schemawalk.walk({"$id": ID, "$ref": "https://example.com/elsewhere.json"}))
    with pytest.raises(LookupError):
        registry.ref_target(ID, "common.json#amount")
    assert registry.ref_target(ID, "common.json#/$defs/amount") == (registry.ID_PREFIX + "paiwise/common.json",
                                                                     "/$defs/amount")


def test_deref_merges_the_referring_objects_keywords_on_request():
    node = {"$ref": "common.json#/$defs/amount", "description": "mine"}
    plain, base = schemawalk.deref(node, ID)
    merged, _ = schemawalk.deref(node, ID, merge=True)
    assert plain is registry.resolve(ID, node["$ref"])[0]
    assert merged["description"] == "mine" and "$ref" not in merged
    assert base.endswith("paiwise/common.json")


def test_trail_follows_refs_left_out_of_an_engine_path():
    root = registry.get("paiwise/checkout")
    trail = schemawalk.trail(root, ("properties", "amount", "minimum"))
    assert [part for part, _ in trail] == ["properties", "amount", "minimum"]
    assert trail[-1][1] is registry.resolve(ID, root["properties"]["amount"]["$ref"])[0]


def test_applying_takes_the_branch_the_caller_decides():
    root = {"$id": ID, "allOf": [{"title": "member"}], "if": {"const": 1},
            "then": {"title": "then"}, "else": {"title": "else"}}
    asked = []

    def decide(node):
        asked.append(node)
        return False
    titles = [n.get("title") for n, _ in schemawalk.applying(root, ID, decide)]
    assert titles == [None, "else", "member"] and asked == [root]
    titles = [n.get("title") for n, _ in schemawalk.applying(root, ID, lambda node: True)]
    assert "then" in titles and "else" not in titles


def test_property_tests_read_const_enum_and_not_enum():
    cond = {"properties": {"a": {"const": "x"}, "b": {"enum": ["y", "z"]}, "c": {"not": {"enum": [1]}},
                           "d": {"type": "string"}, "e": True}, "required": ["a"]}
    assert schemawalk.property_tests(cond) == [("a", "eq", ("x",)), ("b", "eq", ("y", "z")), ("c", "ne", (1,))]
    assert schemawalk.property_tests({"type": "object"}) == [] and schemawalk.property_tests(True) == []
