"""Bundle schema files into one OpenAPI ``components/schemas`` map, with no external ``$ref``.

Each schema file becomes a component named after the file (``swedbankpay/checkout-v2/payment-order`` →
``swedbankpay.checkout-v2.payment-order``) and each of its top-level ``$defs`` one more
(``swedbankpay.checkout-v2.common.amount``). Every ``$ref`` is resolved against the registry (offline, as
``validate`` resolves it) and rewritten to ``#/components/schemas/<component>[/rest of the pointer]``.
Only components reachable from the roots are kept. ``$id`` and ``$schema`` are dropped (OpenAPI 3.1's default
dialect is draft 2020-12, the schemas' own); everything else is copied as is.
"""
from __future__ import annotations

import copy
from typing import Any, Iterable
from urllib.parse import urljoin

from .. import registry

COMPONENTS = "#/components/schemas/"
_DROP = ("$id", "$schema", "$defs")


def component_name(name: str, definition: str | None = None) -> str:
    base = name.replace("/", ".")
    return base if definition is None else f"{base}.{definition}"


def _target(base_uri: str, ref: str) -> tuple[str, str | None, str]:
    """``(schema name, top-level $defs name or None, remaining JSON pointer)`` of a ``$ref``."""
    uri, _, fragment = urljoin(base_uri, ref).partition("#")
    name = registry.name_for_id(uri)  # raises UnknownSchema: nothing outside the registry
    parts = fragment.split("/") if fragment else [""]
    if len(parts) >= 3 and parts[0] == "" and parts[1] == "$defs":
        definition = parts[2].replace("~1", "/").replace("~0", "~")
        if definition not in registry.get(name).get("$defs", {}):
            raise ValueError(f"{ref!r} in {base_uri}: no such definition")
        return name, definition, "/".join([""] + parts[3:]) if len(parts) > 3 else ""
    return name, None, fragment


def bundle(roots: Iterable[str]) -> tuple[dict[str, Any], dict[str, str]]:
    """``(components, root_refs)``: the bundled components of the schemas ``roots`` (schema names) and everything
    they reference, and for each root its ``$ref`` into the components."""
    components: dict[str, Any] = {}
    owners: dict[str, tuple[str, str | None]] = {}
    todo: list[tuple[str, str | None]] = []

    def want(name: str, definition: str | None) -> str:
        key = component_name(name, definition)
        if key not in owners:
            owners[key] = (name, definition)
            todo.append((name, definition))
        elif owners[key] != (name, definition):
            raise ValueError(f"component name {key!r} would name two schemas: {owners[key]} and {(name, definition)}")
        return key

    root_refs = {name: COMPONENTS + want(name, None) for name in roots}
    while todo:
        name, definition = todo.pop()
        doc = registry.get(name)
        base = doc["$id"]
        node = doc if definition is None else doc["$defs"][definition]

        def rewrite(value: Any) -> Any:
            if isinstance(value, dict):
                out = {}
                for key, item in value.items():
                    if key == "$ref" and isinstance(item, str):
                        t_name, t_def, rest = _target(base, item)
                        out[key] = COMPONENTS + want(t_name, t_def) + rest
                    else:
                        out[key] = rewrite(item)
                return out
            if isinstance(value, list):
                return [rewrite(v) for v in value]
            return copy.deepcopy(value)

        body = {k: v for k, v in node.items() if definition is not None or k not in _DROP}
        components[component_name(name, definition)] = rewrite(body)
    return dict(sorted(components.items())), root_refs


__all__ = ["COMPONENTS", "bundle", "component_name"]
