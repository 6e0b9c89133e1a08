"""The one walk over a resolved schema: ``$ref`` followed inside the registry, every subschema reached with the
context its users need.

* :func:`deref` — a chain of local ``$ref`` followed (each resolved by :func:`checkout_contracts.registry.resolve`, never
  outside the registry).
* :func:`walk` — every schema object reachable from a root, depth-first, each as a :class:`Visit`: the instance
  path it applies to (``ITEM`` for any array item, ``ANYKEY`` for any value of a map), the :class:`Step` s that led
  there (keyword, key, parent object), whether the property is required, the ``if`` branches taken on the way.
  Used by the drift report's documented fields, the generators' sites (enums, optional fields, bounds).
* :func:`applying` — the schema objects that apply at one instance location (``$ref``, ``allOf``, the ``if``
  branch a caller decides): the generators' payload-guided walk (mutants).
* :func:`trail` — one evaluation path (an engine's ``schemaPath``) followed from a root: ``(component, parent)``
  pairs, for naming the ``if``/``then`` branch an error sits in.
* :func:`property_tests` — what an ``if`` asks of the properties (``status`` is ``Paid``): read the same way by the
  drift report's branches, the generators' conditions and the engine's branch names.

The fast-path compiler (:mod:`checkout_contracts.fastpath.program`) resolves its ``$ref`` s with
:func:`checkout_contracts.registry.ref_target`; the docs renderer (``tools/render_docs.py``) reads merged nodes through
:func:`deref`; :func:`checkout_contracts.strategies.freeform.bundled` inlines through :func:`checkout_contracts.registry.resolve`.
"""
from __future__ import annotations

from typing import Any, Callable, Iterator, NamedTuple

from . import registry
from .paths import ANYKEY, ITEM

# keywords whose subschemas apply to the same instance location, in walking order
IN_PLACE = ("allOf", "anyOf", "oneOf")
# keywords whose subschemas apply one level down: keyword -> the instance-path token (None: the property name)
_DOWN = (("properties", None), ("items", ITEM), ("prefixItems", ITEM), ("additionalProperties", ANYKEY),
         ("unevaluatedProperties", ANYKEY), ("patternProperties", ANYKEY))


def deref(node: Any, base: str, *, merge: bool = False, limit: int = 10) -> tuple[Any, str]:
    """Follow a chain of ``$ref`` from ``node``. With ``merge`` the referring object's own keywords are laid over
    its target's (``properties`` merged field by field): the view a reader of the docs wants."""
    hops = 0
    while isinstance(node, dict) and "$ref" in node and hops < limit:
        target, target_base = registry.resolve(base, node["$ref"])
        if merge:
            merged = {**target, **{k: v for k, v in node.items() if k != "$ref"}}
            if "properties" in target and "properties" in node:
                merged["properties"] = {k: {**target["properties"].get(k, {}), **v} if isinstance(v, dict) else v
                                        for k, v in {**target["properties"], **node["properties"]}.items()}
            target = merged
        node, base, hops = target, target_base, hops + 1
    return node, base


class Step(NamedTuple):
    """One edge of a walk: ``parent[keyword]`` (``[key]``), taken at instance path ``tokens``."""
    keyword: str
    key: str | int | None
    parent: dict
    tokens: tuple


class Visit(NamedTuple):
    """A schema object reached by :func:`walk`."""
    node: dict
    base: str                 # URI of the document it sits in (for its own ``$ref``)
    tokens: tuple             # the instance path it applies to
    steps: tuple              # the :class:`Step` s from the root

    @property
    def keyword(self) -> str | None:
        return self.steps[-1].keyword if self.steps else None

    @property
    def parent(self) -> dict | None:
        return self.steps[-1].parent if self.steps else None

    @property
    def required(self) -> bool:
        """A property listed in its parent's ``required`` (False for anything that is not a property)."""
        last = self.steps[-1] if self.steps else None
        return last is not None and last.keyword == "properties" and last.key in (last.parent.get("required") or ())

    def branches(self) -> Iterator[tuple[Step, bool]]:
        """The ``if`` branches taken on the way: ``(step, then?)``; ``step.parent["if"]`` is the condition and
        ``step.tokens`` the instance path it is evaluated at."""
        for step in self.steps:
            if step.keyword in ("then", "else"):
                yield step, step.keyword == "then"


def property_tests(cond: Any) -> list[tuple[str, str, tuple]]:
    """What an ``if`` asks of its object's properties, the form every branch in the schemas takes: ``(property,
    "eq", values)`` for a ``const`` / ``enum``, ``(property, "ne", values)`` for a ``not: {enum}``."""
    props = cond.get("properties") if isinstance(cond, dict) else None
    out: list[tuple[str, str, tuple]] = []
    for prop, sub in props.items() if isinstance(props, dict) else ():
        if not isinstance(sub, dict):
            continue
        if "const" in sub:
            out.append((prop, "eq", (sub["const"],)))
        elif isinstance(sub.get("enum"), list):
            out.append((prop, "eq", tuple(sub["enum"])))
        elif isinstance(sub.get("not"), dict) and isinstance(sub["not"].get("enum"), list):
            out.append((prop, "ne", tuple(sub["not"]["enum"])))
    return out


def walk(root: Any, base: str | None = None, *, max_depth: int | None = None) -> Iterator[Visit]:
    """Every schema object reachable from ``root`` (``$ref`` followed), parents before children. A ``$ref``'s
    target is walked first among a node's subschemas (its fields come before the ones written beside it), then
    ``properties``, ``items``, ``additionalProperties`` (…), ``allOf``/``anyOf``/``oneOf``, ``then``/``else``
    (only under an ``if``). A schema object is not entered again below itself (a recursive ``$ref``);
    ``max_depth`` bounds the number of steps."""
    if not isinstance(root, dict):
        return
    start = root.get("$id", base or "")
    stack: list[tuple[dict, str, tuple, tuple, frozenset]] = [(root, start, (), (), frozenset())]
    while stack:
        node, base_, tokens, steps, active = stack.pop()
        base_ = node.get("$id", base_)
        if id(node) in active:  # a recursive $ref: the object is its own ancestor
            continue
        active = active | {id(node)}
        yield Visit(node, base_, tokens, steps)
        if max_depth is not None and len(steps) >= max_depth:
            continue
        children: list[tuple[dict, str, tuple, tuple, frozenset]] = []

        def add(sub: Any, sub_base: str, keyword: str, k: Any, sub_tokens: tuple) -> None:
            if isinstance(sub, dict):
                children.append((sub, sub_base, sub_tokens, steps + (Step(keyword, k, node, tokens),), active))

        if "$ref" in node:
            target, target_base = registry.resolve(base_, node["$ref"])
            add(target, target_base, "$ref", None, tokens)
        for keyword, token in _DOWN:
            sub = node.get(keyword)
            if keyword in ("properties", "patternProperties"):
                for k, s in (sub or {}).items() if isinstance(sub, dict) else ():
                    add(s, base_, keyword, k, tokens + (k if token is None else token,))
            elif keyword == "prefixItems":
                for i, s in enumerate(sub or ()):
                    add(s, base_, keyword, i, tokens + (token,))
            else:
                add(sub, base_, keyword, None, tokens + (token,))
        for keyword in IN_PLACE:
            for i, s in enumerate(node.get(keyword) or ()):
                add(s, base_, keyword, i, tokens)
        if "if" in node:
            for keyword in ("then", "else"):
                add(node.get(keyword), base_, keyword, None, tokens)
        stack.extend(reversed(children))


def applying(node: Any, base: str, decide: Callable[[dict], bool]) -> list[tuple[dict, str]]:
    """The schema objects that all apply at one instance location, as a validator meets them: ``node``, its
    ``$ref`` target, its ``allOf`` members and, for an object with ``if``, the ``then`` (``decide(object)`` is
    true) or the ``else`` branch — ``(object, base URI)`` pairs. (The payload-guided walk of the mutants.)"""
    stack = [(node, base)]
    out: list[tuple[dict, str]] = []
    while stack:
        n, b = stack.pop()
        if not isinstance(n, dict):
            continue
        b = n.get("$id", b)
        out.append((n, b))
        if "$ref" in n:
            stack.append(registry.resolve(b, n["$ref"]))
        for sub in n.get("allOf", []):
            stack.append((sub, b))
        if "if" in n:
            branch = n.get("then" if decide(n) else "else")
            if branch is not None:
                stack.append((branch, b))
    return out


def trail(root: dict, evaluation_path: tuple) -> tuple[tuple[str | int, Any], ...]:
    """Follow an evaluation path from ``root`` (``$ref`` followed, also where an engine leaves it out of its
    path): ``(component, parent object)`` pairs, as far as the path leads."""
    node: Any = root
    base = root.get("$id", "")
    out = []
    for part in evaluation_path:
        if part == "$ref" and isinstance(node, dict) and "$ref" in node:
            node, base = registry.resolve(base, node["$ref"])
            continue
        # python-jsonschema leaves "$ref" out of its paths: follow it when the next step is not here
        while isinstance(node, dict) and "$ref" in node and part not in node:
            node, base = registry.resolve(base, node["$ref"])
        try:
            parent, node = node, node[part]
        except (KeyError, IndexError, TypeError):
            break
        out.append((part, parent))
        if isinstance(node, dict) and "$id" in node:
            base = node["$id"]
    return tuple(out)
