"""Walking the schema files: every subschema with its location, every property name and enum."""
from __future__ import annotations

from typing import Any, Iterator

from checkout_contracts import registry


def subschemas(node: Any, where: str = "#") -> Iterator[tuple[str, dict]]:
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            if key in ("examples", "enum", "const", "default"):
                continue
            yield from subschemas(value, f"{where}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from subschemas(value, f"{where}/{i}")


def all_nodes() -> Iterator[tuple[str, str, dict]]:
    for name in registry.names(include_shared=True):
        for where, node in subschemas(registry.get(name)):
            yield name, where, node


def property_names() -> set[str]:
    names: set[str] = set()
    for _, _, node in all_nodes():
        props = node.get("properties")
        if isinstance(props, dict):
            names.update(props)
    return names


def enum_values_by_property(exclude: str | None = None) -> dict[str, set]:
    """Property name → every enum value allowed for it anywhere (following $ref one level); ``exclude``: leave out
    the schemas whose name starts with it."""
    out: dict[str, set] = {}
    for name, _, node in all_nodes():
        if exclude and name.startswith(exclude):
            continue
        props = node.get("properties")
        if not isinstance(props, dict):
            continue
        base = registry.get(name)["$id"]
        for prop, sub in props.items():
            for cand in _expand(base, sub):
                if isinstance(cand, dict) and "enum" in cand:
                    out.setdefault(prop, set()).update(cand["enum"])
                items = cand.get("items") if isinstance(cand, dict) else None
                for icand in _expand(base, items) if items else []:
                    if isinstance(icand, dict) and "enum" in icand:
                        out.setdefault(prop, set()).update(icand["enum"])
    return out


def _expand(base: str, node: Any) -> list:
    out = [node]
    if isinstance(node, dict) and "$ref" in node:
        target, _ = registry.resolve(base, node["$ref"])
        out.append(target)
    return out
