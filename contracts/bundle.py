"""One schema as one self-contained file, for validators that cannot (or should not) resolve our references:
every document it refers to, directly or through others, is embedded under ``$defs`` (keyed by schema name, ``/``
→ ``.``: ``$defs["swedbankpay.checkout-v2.common"]``) without its ``$id``, and every ``$ref`` is rewritten to a
JSON pointer into the file (``common.json#/$defs/amount`` → ``#/$defs/swedbankpay.checkout-v2.common/$defs/amount``).
No reference is left that a validator could try to fetch; the root keeps ``$schema`` and ``$id``.

The bundle accepts exactly what the schema accepts (tests/test_bundle.py checks the examples with python-jsonschema,
check-jsonschema and Ajv). Our own keyword ``x-open-enum`` stays as an annotation: other validators treat those
enums as closed (our ``--strict``), and Ajv's strict mode wants it declared (``ajv.addKeyword("x-open-enum")``).
"""
from __future__ import annotations

import copy
from typing import Any
from urllib.parse import urljoin

from . import registry

#: keywords whose values are data, not schemas: never rewritten
_DATA = frozenset({"enum", "const", "examples", "default"})


def key(name: str) -> str:
    """The ``$defs`` key of an embedded schema document."""
    return name.replace("/", ".")


def bundle(name: str) -> dict[str, Any]:
    """Schema ``name`` with every document it refers to embedded (raises :class:`registry.UnknownSchema`)."""
    root = registry.get(name)
    root_id = root["$id"]
    embedded: dict[str, Any] = {}   # key → rewritten document
    pending: list[str] = []         # names still to embed

    def target(ref: str, base: str) -> str:
        uri, _, fragment = urljoin(base, ref).partition("#")
        if uri == root_id:
            return "#" + fragment
        other = registry.name_for_id(uri)  # UnknownSchema for anything outside the registry: never fetched
        if key(other) not in embedded and other not in pending:
            pending.append(other)
        return f"#/$defs/{key(other)}{fragment}"

    def rewrite(node: Any, base: str) -> Any:
        if isinstance(node, list):
            return [rewrite(x, base) for x in node]
        if not isinstance(node, dict):
            return node
        out: dict[str, Any] = {}
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                out[k] = target(v, base)
            elif k in _DATA:
                out[k] = copy.deepcopy(v)
            elif k in ("properties", "patternProperties", "$defs", "dependentSchemas") and isinstance(v, dict):
                out[k] = {name: rewrite(s, base) for name, s in v.items()}
            else:
                out[k] = rewrite(v, base)
        return out

    result = rewrite(root, root_id)
    while pending:
        other = pending.pop(0)
        doc = registry.get(other)
        body = {k: v for k, v in doc.items() if k not in ("$id", "$schema")}
        embedded[key(other)] = None  # reserve: a cycle back to it stays a pointer
        embedded[key(other)] = rewrite(body, doc["$id"])
    if embedded:
        defs = dict(result.get("$defs", {}))
        clash = set(defs) & set(embedded)
        if clash:  # pragma: no cover - schema $defs names carry no dots
            raise ValueError(f"{name}: $defs names clash with embedded documents: {', '.join(sorted(clash))}")
        defs.update(embedded)
        result["$defs"] = defs
    result["$comment"] = (f"checkout-contracts schemas --bundle {name}: every referenced schema embedded under "
                          "$defs, every $ref local")
    return result
