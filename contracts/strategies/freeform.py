"""The free-form parts of a payload, drawn from small schemas.

Paiwise ``metaData`` (any flat key/value map), the ``details`` of an instrument the schema has no table for
(GooglePay, ClickToPay: any object) and the state model's ``items`` have no structure worth hand-writing a
generator for. Each gets a *narrowed* schema — a subset of what the shipped schema accepts, with ASCII-only
patterns (``[0-9]``, never ``\\d``) and strings too short to hold a card number — and :func:`strategy` turns it
into a Hypothesis strategy with :func:`from_narrow`, a translator for exactly the keywords these schemas use
(an unknown keyword raises). It replaced ``hypothesis_jsonschema.from_schema``, whose last release (0.23.1)
crashes with Hypothesis >= 6.170.10 and whose first draw took longer than Hypothesis's ``too_slow`` health
check allows; building these strategies is cheap (no regex compiled until a draw).
"""
from __future__ import annotations

import functools
from typing import Any

_SHORT_TEXT = {"type": "string", "pattern": "^[A-Za-z][A-Za-z0-9 ._-]{0,11}$(?!\\n)", "maxLength": 12}

#: narrowed schemas, each accepted by the shipped schema at that place
SCHEMAS: dict[str, dict[str, Any]] = {
    "metaData": {
        "type": "object", "maxProperties": 4,
        "propertyNames": {"pattern": "^[a-z][A-Za-z0-9_]{0,15}$(?!\\n)", "maxLength": 16},
        "additionalProperties": {"anyOf": [_SHORT_TEXT, {"type": "integer", "minimum": -1000000, "maximum": 1000000},
                                           {"type": "boolean"}, {"type": "null"}]},
    },
    "genericDetails": {
        "type": "object", "additionalProperties": False,
        "properties": {
            "cardBrand": {"enum": ["Visa", "MasterCard", "Amex"]},
            "cardType": {"enum": ["Credit", "Debit"]},
            "expiryDate": {"type": "string", "pattern": "^(0[1-9]|1[0-2])/20[2-3][0-9]$(?!\\n)"},
            "acquirerTransactionType": {"enum": ["WALLET"]},
            "transactionInitiator": {"enum": ["CARDHOLDER", "MERCHANT"]},
            "walletProvider": _SHORT_TEXT,
        },
    },
    "items": {
        "type": "array", "maxItems": 2,
        "items": {
            "type": "object", "minProperties": 1, "maxProperties": 1,
            "propertyNames": {"enum": ["creditCard", "invoice", "swish", "trustly", "creditAccount"]},
            "additionalProperties": {
                "type": "object", "maxProperties": 2,
                "propertyNames": {"pattern": "^[a-z][A-Za-z]{0,11}$(?!\\n)", "maxLength": 12},
                "additionalProperties": {"anyOf": [{"type": "boolean"}, {"type": "array", "maxItems": 3,
                                                                        "items": {"enum": ["Visa", "MasterCard", "Amex"]}}]},
            },
        },
    },
}


@functools.lru_cache(maxsize=None)
def strategy(kind: str):
    """The Hypothesis strategy for a free-form part (built once)."""
    return from_narrow(SCHEMAS[kind])


_KNOWN = {"type", "enum", "pattern", "maxLength", "minimum", "maximum", "anyOf", "items", "minItems", "maxItems",
          "properties", "additionalProperties", "propertyNames", "minProperties", "maxProperties"}


def from_narrow(schema: dict[str, Any]):
    """A strategy drawing instances of a narrowed schema (the keywords of :data:`SCHEMAS` only). Every drawn
    instance is valid under it (tests/strategies/test_gen_freeform.py checks that with jsonschema)."""
    from hypothesis import strategies as st

    unknown = set(schema) - _KNOWN
    if unknown:
        raise ValueError(f"from_narrow: keywords it does not translate: {', '.join(sorted(unknown))}")
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if "anyOf" in schema:
        return st.one_of([from_narrow(s) for s in schema["anyOf"]])
    kind = schema.get("type")
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "integer":
        return st.integers(schema.get("minimum"), schema.get("maximum"))
    if kind == "string":
        return _text(schema)
    if kind == "array":
        return st.lists(from_narrow(schema.get("items", {"type": "null"})), min_size=schema.get("minItems", 0),
                        max_size=schema.get("maxItems", 8))
    if kind == "object":
        return _object(schema)
    raise ValueError(f"from_narrow: no strategy for {schema!r}")


def _text(schema: dict[str, Any]):
    from hypothesis import strategies as st
    pattern = schema.get("pattern")
    if pattern is None:
        return st.text(max_size=schema.get("maxLength", 8))
    # our patterns are anchored ``^…$(?!\\n)`` (no trailing newline): fullmatch says the same to from_regex
    body = pattern.removeprefix("^").removesuffix("$(?!\\n)").removesuffix("$")
    limit = schema.get("maxLength")
    return st.from_regex(body, fullmatch=True).filter(lambda s: limit is None or len(s) <= limit)


def _object(schema: dict[str, Any]):
    from hypothesis import strategies as st
    fixed = schema.get("properties", {})
    extra = schema.get("additionalProperties", True)
    if extra is True or fixed and extra is not False:
        raise ValueError("from_narrow: objects take either fixed properties or a map, not both")
    lo, hi = schema.get("minProperties", 0), schema.get("maxProperties", 8)
    if fixed:  # any subset of the named properties, each from its own schema
        parts = {k: from_narrow(v) for k, v in fixed.items()}
        return st.fixed_dictionaries({}, optional=parts).filter(lambda d: lo <= len(d) <= hi)
    keys = from_narrow({"type": "string", **schema.get("propertyNames", {})}) \
        if "enum" not in schema.get("propertyNames", {}) else from_narrow(schema["propertyNames"])
    return st.dictionaries(keys, from_narrow(extra), min_size=lo, max_size=hi)


_ANNOTATIONS = ("title", "description", "examples", "default", "$comment", "deprecated", "readOnly", "writeOnly")


def bundled(name: str) -> dict[str, Any]:
    """Schema ``name`` with every ``$ref`` inlined (through :mod:`checkout_contracts.registry`, never the network) and the
    annotations (title, description, examples, ``x-…``) dropped: one self-contained document for tools that
    cannot resolve our references, such as ``hypothesis_jsonschema.from_schema``. Same instances accepted."""
    from .. import registry

    def inline(node: Any, base: str, depth: int) -> Any:
        if depth > 64:
            raise ValueError(f"{name}: $ref nesting deeper than 64 (a cycle?)")
        if isinstance(node, list):
            return [inline(x, base, depth) for x in node]
        if not isinstance(node, dict):
            return node
        base = node.get("$id", base)
        out: dict[str, Any] = {}
        if "$ref" in node:
            target, tbase = registry.resolve(base, node["$ref"])
            resolved = inline(target, tbase, depth + 1)
            siblings = {k: inline(v, base, depth) for k, v in node.items()
                        if k not in ("$ref", "$id", "$schema", "$defs") + _ANNOTATIONS and not k.startswith("x-")}
            if not siblings:
                return resolved
            return {"allOf": [resolved], **siblings}
        for key, value in node.items():
            if key in ("$id", "$schema", "$defs") + _ANNOTATIONS or key.startswith("x-"):
                continue
            if key in ("properties", "patternProperties", "dependentSchemas"):
                out[key] = {k: inline(v, base, depth) for k, v in value.items()}
            elif key in ("enum", "const", "required", "dependentRequired"):
                out[key] = value
            else:
                out[key] = inline(value, base, depth)
        return out

    root = registry.get(name)
    return inline(root, root["$id"], 0)
