"""Schemas by name and by ``$id``, loaded from disk, resolved offline.

A schema's name is its path under ``schemas/`` without ``.json``. In a wheel the files live in
``contracts/_schemas``; in a source checkout (editable install, running the tests) they are read from the
repository's ``schemas/`` folder. ``$ref`` is resolved only against this registry: a reference to anything
else fails instead of going to the network.
"""
from __future__ import annotations

import functools
import json
from urllib.parse import urljoin
from pathlib import Path
from typing import Any, Iterator


ID_PREFIX = "https://checkout-contracts.dev/schemas/"
_PACKAGE = Path(__file__).resolve().parent


class UnknownSchema(LookupError):
    """Raised for a schema name that does not exist; the message lists the known names."""

    def __init__(self, name: str):
        known = ", ".join(names())
        super().__init__(f"unknown schema {name!r}; known schemas: {known}")
        self.name = name


def schema_dir() -> Path:
    """The folder holding the schema files (wheel first, then the source checkout)."""
    for candidate in (_PACKAGE / "_schemas", _PACKAGE.parent / "schemas"):
        if candidate.is_dir():
            return candidate
    raise RuntimeError("schema files not found: the package is installed without its schemas")


@functools.lru_cache(maxsize=None)
def _load_all() -> dict[str, dict[str, Any]]:
    root = schema_dir()
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(root.rglob("*.json")):
        name = path.relative_to(root).with_suffix("").as_posix()
        with path.open("rb") as fh:
            out[name] = json.load(fh)
    return out


def names(*, include_shared: bool = False) -> list[str]:
    """Every schema name, sorted. Shared-definition files (``common``) only on request."""
    return [n for n in _load_all() if include_shared or not n.endswith("common")]


def get(name: str) -> dict[str, Any]:
    """The schema document for a name (the cached object: do not mutate it)."""
    try:
        return _load_all()[name]
    except KeyError:
        raise UnknownSchema(name) from None


def schema_id(name: str) -> str:
    return get(name)["$id"]


def name_for_id(uri: str) -> str:
    """The schema name for a ``$id`` (fragment ignored)."""
    base = uri.split("#", 1)[0]
    for name, schema in _load_all().items():
        if schema.get("$id") == base:
            return name
    raise UnknownSchema(uri)


def _no_network(uri: str) -> Any:
    from referencing.exceptions import NoSuchResource
    raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # (an attrs class mypy does not see through)


@functools.lru_cache(maxsize=None)
def registry() -> Any:
    """A ``referencing.Registry`` with every schema, by ``$id``; unknown URIs are never fetched. (``referencing``
    is imported here: bulk validation's fast path never needs it.)"""
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012
    resources = [(s["$id"], DRAFT202012.create_resource(s)) for s in _load_all().values()]
    return Registry(retrieve=_no_network).with_resources(resources).crawl()  # type: ignore[call-arg]


def resources() -> Iterator[tuple[str, dict[str, Any]]]:
    """``($id, schema)`` pairs, for engines that take their own registry (jsonschema-rs)."""
    for schema in _load_all().values():
        yield schema["$id"], schema


def ref_target(base: str, ref: str) -> tuple[str, str]:
    """``(document URI, JSON pointer)`` that ``ref`` (written in the document ``base``) points to. Never leaves
    the registry: an unknown document raises :class:`UnknownSchema`, an anchor (the schemas use JSON pointers
    only) a :class:`LookupError`."""
    uri, _, fragment = urljoin(base, ref).partition("#")
    name_for_id(uri)
    if fragment and not fragment.startswith("/"):
        raise LookupError(f"anchor $ref {ref!r}: only JSON-pointer references are resolved")
    return uri, fragment


def resolve(base: str, ref: str) -> tuple[Any, str]:
    """Resolve ``ref`` against ``base`` inside the registry: ``(node, base URI of the node's document)``."""
    uri, pointer = ref_target(base, ref)
    return pointer_get(get(name_for_id(uri)), pointer), uri


def pointer_get(doc: Any, pointer: str) -> Any:
    node = doc
    for raw in pointer.split("/")[1:] if pointer else []:
        part = raw.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def locate(uri: str) -> Any:
    """The schema node at an absolute keyword location such as ``…/paid-resource.json#/$defs/x/enum``."""
    doc_uri, _, fragment = uri.partition("#")
    return pointer_get(get(name_for_id(doc_uri)), fragment)
