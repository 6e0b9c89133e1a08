"""hypothesis-jsonschema where it is the right tool: the free-form parts of a payload.

Paiwise ``metaData`` (any flat key/value map), the ``details`` of an instrument the schema has no table for
(GooglePay, ClickToPay: any object) and the state model's ``items`` have no structure worth hand-writing a
generator for. Each gets a *narrowed* schema — a subset of what the shipped schema accepts, with ASCII-only
patterns (``[0-9]``, never ``\\d``) and strings too short to hold a card number — and
``hypothesis_jsonschema.from_schema`` draws from it. The strategies are built once.
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
    """The hypothesis-jsonschema strategy for a free-form part (built once)."""
    from hypothesis_jsonschema import from_schema
    return from_schema(SCHEMAS[kind])


_ANNOTATIONS = ("title", "description", "examples", "default", "$comment", "deprecated", "readOnly", "writeOnly")


def bundled(name: str) -> dict[str, Any]:
    """Schema ``name`` with every ``$ref`` inlined (through :mod:`contracts.registry`, never the network) and the
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
