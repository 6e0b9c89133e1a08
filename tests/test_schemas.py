"""The schema files themselves: valid 2020-12, offline, readable, same meaning in every language."""
from __future__ import annotations

import json
import re

import jsonschema_rs
import pytest
from jsonschema import Draft202012Validator

from checkout_contracts import registry
from checkout_contracts.engine import LINE_GUARD
from schemawalk import all_nodes

NAMES = registry.names(include_shared=True)


def test_at_least_the_documented_schemas_exist():
    for name in ("paiwise/checkout", "paiwise/customer", "swedbankpay/checkout-v2/payment-order",
                 "swedbankpay/checkout-v2/paid", "swedbankpay/checkout-v2/problem",
                 "swedbankpay/checkout-v2/payment-order-state", "swedbankpay/checkout-v2/headers"):
        assert name in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_valid_against_the_2020_12_metaschema(name):
    schema = registry.get(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)
    jsonschema_rs.meta.validate(schema)


@pytest.mark.parametrize("name", NAMES)
def test_id_title_description(name):
    schema = registry.get(name)
    assert schema["$id"] == f"{registry.ID_PREFIX}{name}.json"
    assert schema.get("title") and schema.get("description")


@pytest.mark.parametrize("name", NAMES)
def test_every_ref_resolves_locally(name):
    base = registry.get(name)["$id"]
    refs = [node["$ref"] for n, _, node in all_nodes() if n == name and "$ref" in node]
    for ref in refs:
        target, _ = registry.resolve(base, ref)  # raises for a missing file or pointer
        assert isinstance(target, (dict, bool)), ref


def test_refs_never_reach_the_network():
    """An unknown reference fails in both engines instead of being fetched."""
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "$ref": "https://example.com/nope.json"}
    with pytest.raises(Exception):
        Draft202012Validator(schema, registry=registry.registry()).validate({})
    from checkout_contracts.engine import _never_fetch
    with pytest.raises(Exception):
        jsonschema_rs.validator_for(schema, retriever=_never_fetch).is_valid({})


@pytest.mark.parametrize("name", NAMES)
def test_every_property_has_a_description(name):
    missing = []
    for n, where, node in all_nodes():
        if n != name:
            continue
        for prop, sub in (node.get("properties") or {}).items():
            if "/if" in where or "/then" in where or "/else" in where:
                continue  # a branch only adds constraints to properties described above it
            if isinstance(sub, dict) and not sub.get("description"):
                missing.append(f"{where}/properties/{prop}")
    assert not missing


_NON_ECMA = [(r"\\d", "use [0-9], not \\d"), (r"\\w", "use [A-Za-z0-9_], not \\w"), (r"\\s", "no \\s (Unicode-dependent)"),
             (r"\(\?<", "no lookbehind / named groups"), (r"\(\?[aiLmsux]", "no inline flags"), (r"[*+?}]\+", "no possessive quantifiers")]


def _patterns():
    for name, where, node in all_nodes():
        if "/if/" in where:  # conditions select a branch; they report nothing
            continue
        if isinstance(node.get("pattern"), str) and node is not node.get("not") and node != LINE_GUARD:
            yield name, where, node
        for pat in (node.get("patternProperties") or {}):
            yield name, f"{where}/patternProperties", {"pattern": pat, "minLength": 0, "maxLength": 0}


@pytest.mark.parametrize("name,where,node", list(_patterns()), ids=lambda v: v if isinstance(v, str) else "")
def test_patterns_mean_the_same_in_every_language(name, where, node):
    pattern = node["pattern"]
    for bad, why in _NON_ECMA:
        assert not re.search(bad, pattern.replace("\\\\", "")), f"{name} {where}: {why}: {pattern}"
    assert pattern.startswith("^") and pattern.endswith("$"), f"{name} {where}: anchor the pattern: {pattern}"
    assert "(?" not in pattern, f"{name} {where}: no lookaround or groups with flags: RE2 (Go) cannot compile them"
    fixed = node.get("minLength") is not None and node.get("minLength") == node.get("maxLength")
    assert fixed or node.get("not") == LINE_GUARD, f"{name} {where}: guard the trailing newline (see CONVENTIONS.md)"
    assert "maxLength" in node, f"{name} {where}: bound the length (maxLength) next to the pattern"


def test_stock_python_jsonschema_rejects_a_trailing_newline_too():
    """Not only our engines: a stock python-jsonschema validator (the files as shipped) rejects it as well."""
    from checkout_contracts import registry as reg
    for name, instance in [("swedbankpay/checkout-v2/headers", {"content-type": "application/json", "api-supported-versions": "2.0\n"}),
                           ("swedbankpay/checkout-v2/token", {"type": "payment", "token": "48806524-6422-4db7-9fbd-c8b81611132f", "expiryDate": "02/2023\n"}),
                           ("paiwise/requests/retrieve", {"checkout_id": "4fe796fc6b25e536eb6256aa744bfe\n"})]:
        assert not Draft202012Validator(reg.get(name), registry=reg.registry()).is_valid(instance), name


def test_trailing_newline_is_rejected_by_both_engines():
    from checkout_contracts import engine
    for name, instance, bad in [
        ("swedbankpay/checkout-v2/token", {"type": "payment", "token": "48806524-6422-4db7-9fbd-c8b81611132f", "expiryDate": "02/2023\n"}, "$.expiryDate"),
        ("swedbankpay/checkout-v2/headers", {"content-type": "application/json", "api-supported-versions": "2.0\n"}, "$['api-supported-versions']"),
    ]:
        for eng in ("rust", "python"):
            paths = {f.path for f in engine.validate(name, instance, engine=eng)}
            assert bad in paths, (eng, name)


@pytest.mark.parametrize("name", NAMES)
def test_schema_files_are_pretty_and_stable(name):
    path = registry.schema_dir() / f"{name}.json"
    text = path.read_text(encoding="utf-8")
    assert text == json.dumps(json.loads(text), indent=2, ensure_ascii=False) + "\n", f"{path}: run tools/format_schemas.py"


def test_python_format_checking_is_really_on():
    """python-jsonschema checks date-time and uri only when its format extras are installed: prove they are."""
    checker = Draft202012Validator.FORMAT_CHECKER
    for fmt, bad, good in [("date-time", "2023-04-14 09:06:38", "2022-01-07T07:58:26.1300282Z"),
                           ("uri", "/psp/paymentorders", "https://api.payex.com/psp/paymentorders"),
                           ("email", "not-an-email", "a@example.com")]:
        assert not checker.conforms(bad, fmt) and checker.conforms(good, fmt), fmt


def test_every_schema_has_at_least_15_invalid_cases():
    from collections import Counter

    from casefiles import load_cases
    invalid = Counter(c.schema for c in load_cases() if not c.valid)
    short = {n: invalid[n] for n in registry.names() if invalid[n] < 15}
    assert not short, short
