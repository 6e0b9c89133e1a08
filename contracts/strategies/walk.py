"""Walking a schema (following ``$ref`` through :mod:`checkout_contracts.registry`) — the single source for what the
edge cases must reach, what the coverage report lists and where mutants may strike.

Two walks:

* :func:`sites` — static: every enum (with its values, at its JSON path), every optional field, every
  bound (``maxLength``, ``minimum``, …), each with the ``if`` conditions that lead to it. Paths use ``[*]`` for
  array items and ``.*`` for the values of a key/value map (``$.log.*.action``).
* :func:`locations` — guided by one payload: for each place in the payload, the schema objects that apply
  to it (``if`` branches decided on the payload itself, as a validator would).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from .. import paths, registry, schemawalk

# ---------------------------------------------------------------- static walk

@dataclass(frozen=True)
class Condition:
    """One ``if`` leading to a site: ``op`` is eq / ne (values), present / absent, type (values[0])."""
    path: str
    op: str
    values: tuple = ()

    def negate(self) -> "Condition":
        flip = {"eq": "ne", "ne": "eq", "present": "absent", "absent": "present", "type": "not-type", "not-type": "type"}
        return Condition(self.path, flip[self.op], self.values)


@dataclass
class Site:
    """One thing at one path of a schema: an enum, an optional field or a bound."""
    path: str
    kind: str                        # enum | optional | maxLength | minLength | minimum | maximum | pattern | format
    values: tuple = ()               # enum values (in schema order) / the bound
    open: bool = False               # x-open-enum
    conditions: list[tuple[Condition, ...]] = field(default_factory=list)  # alternatives
    ancestors: tuple[str, ...] = ()  # optional fields that must be present to get here


def _conditions_of(cond: Any, tokens: tuple) -> tuple[Condition, ...]:
    """Turn an ``if`` schema into conditions on the payload (what the shipped schemas use)."""
    out: list[Condition] = []
    if not isinstance(cond, dict):
        return ()
    for prop, op, values in schemawalk.property_tests(cond):
        out.append(Condition(paths.pattern(tokens + (prop,)), op, values))
    named = {c.path for c in out}
    for prop in cond.get("required", []):
        p = paths.pattern(tokens + (prop,))
        if p not in named:
            out.append(Condition(p, "present"))
    if "type" in cond:
        out.append(Condition(paths.pattern(tokens), "type", (cond["type"],)))
    neg = cond.get("not")
    if isinstance(neg, dict) and set(neg) == {"required"}:
        out.extend(Condition(paths.pattern(tokens + (p,)), "absent") for p in neg["required"])
    alternatives = cond.get("anyOf") or cond.get("oneOf")
    if alternatives:   # any one alternative leads there: the first is enough to force it
        out.extend(_conditions_of(alternatives[0], tokens))
    return tuple(out)


#: schema → path → enum values the schema refuses there unconditionally (filled by :func:`sites`)
REFUSED: dict[str, dict[str, frozenset]] = {}


def _context(steps: tuple) -> tuple[tuple[Condition, ...], tuple[str, ...]]:
    """The ``if`` conditions that lead along ``steps`` and the optional fields on the way (a schema walk's
    :class:`checkout_contracts.schemawalk.Step` s)."""
    conds: tuple[Condition, ...] = ()
    ancestors: tuple[str, ...] = ()
    for step in steps:
        if step.keyword == "properties" and step.key not in (step.parent.get("required") or ()):
            ancestors += (paths.pattern(step.tokens + (step.key,)),)
        elif step.keyword in ("then", "else"):
            cond = _conditions_of(step.parent["if"], step.tokens)
            if step.keyword == "then":
                conds += cond
            elif len(cond) == 1:
                # "not (a and b)": keep it simple and exact for the single-condition ifs the schemas use
                conds += tuple(c.negate() for c in cond)
    return conds, ancestors


@functools.lru_cache(maxsize=None)
def sites(name: str) -> tuple[Site, ...]:
    """Every enum, optional field and bound of schema ``name``, merged by path (first-seen order)."""
    found: dict[tuple[str, str], Site] = {}
    required_at: set[str] = set()
    excluded: dict[str, set] = {}  # enum values refused unconditionally at a path (a response narrowing a status)
    root = registry.get(name)

    def add(path: str, kind: str, conds: tuple, ancestors: tuple, values: tuple = (), open_: bool = False) -> None:
        key = (path, kind)
        site = found.get(key)
        if site is None:
            site = found[key] = Site(path, kind, (), open_, [], ancestors)
        for v in values:
            if v not in site.values:
                site.values = site.values + (v,)
        site.open = site.open or open_
        if conds not in site.conditions:
            site.conditions.append(conds)
        if len(ancestors) < len(site.ancestors):
            site.ancestors = ancestors

    for visit in schemawalk.walk(root):
        node, tokens = visit.node, visit.tokens
        conds, ancestors = _context(visit.steps)
        here = paths.pattern(tokens)
        if visit.keyword == "properties":
            if visit.required:
                required_at.add(here)
            else:
                add(here, "optional", conds, ancestors[:-1])
        if "enum" in node:
            add(here, "enum", conds, ancestors, tuple(node["enum"]), bool(node.get("x-open-enum")))
        if isinstance(node.get("not"), dict) and isinstance(node["not"].get("enum"), list) and not conds:
            excluded.setdefault(here, set()).update(v for v in node["not"]["enum"] if isinstance(v, (str, int, bool)))
        for kw in ("maxLength", "minLength", "minimum", "maximum", "pattern", "format", "maxItems", "minItems",
                   "minProperties"):
            if kw in node:
                add(here, kw, conds, ancestors, (node[kw],))

    out = []
    for (path, kind), site in found.items():
        if kind == "optional" and path in required_at:
            continue
        if kind == "enum" and path in excluded:
            REFUSED.setdefault(name, {})[path] = frozenset(excluded[path])
            site.values = tuple(v for v in site.values if not isinstance(v, (str, int, bool)) or v not in excluded[path])
        out.append(site)
    return tuple(out)


def enums(name: str, *, include_open: bool = True) -> list[Site]:
    return [s for s in sites(name) if s.kind == "enum" and (include_open or not s.open)]


def optionals(name: str) -> list[Site]:
    return [s for s in sites(name) if s.kind == "optional"]


# ---------------------------------------------------------------- payload-guided walk

@dataclass
class Location:
    """One place in a payload and the schema objects that apply to it."""
    tokens: tuple                              # concrete: keys and indexes
    value: Any
    nodes: list[tuple[dict, str]] = field(default_factory=list)      # (schema object, base URI)
    ifs: list[tuple[dict, bool]] = field(default_factory=list)       # (object with if, did it hold)

    @property
    def path(self) -> str:
        return paths.render(self.tokens)


_IF_VALIDATORS: dict[int, tuple[Any, Any]] = {}


def holds(cond: Any, value: Any) -> bool:
    """Does ``value`` satisfy an ``if`` subschema (the shipped ones have no ``$ref``)."""
    if isinstance(cond, bool):
        return cond
    hit = _IF_VALIDATORS.get(id(cond))
    if hit is None or hit[0] is not cond:
        import jsonschema_rs
        hit = _IF_VALIDATORS[id(cond)] = (cond, jsonschema_rs.validator_for(cond))
    return hit[1].is_valid(value)


def locations(name: str, instance: Any) -> list[Location]:
    """Every place in ``instance`` with the schema objects of ``name`` that apply there (document order)."""
    out: dict[tuple, Location] = {}
    order: list[tuple] = []

    def visit(node: Any, base: str, tokens: tuple, value: Any) -> None:
        loc = out.get(tokens)
        if loc is None:
            loc = out[tokens] = Location(tokens, value)
            order.append(tokens)
        def decide(n: dict) -> bool:
            ok = holds(n["if"], value)
            loc.ifs.append((n, ok))
            return ok
        mine = schemawalk.applying(node, base, decide)
        loc.nodes.extend(mine)
        if isinstance(value, dict):
            for key, sub_value in value.items():
                for n, b in mine:
                    props = n.get("properties", {})
                    if key in props:
                        visit(props[key], b, tokens + (key,), sub_value)
                    elif isinstance(n.get("additionalProperties"), dict):
                        visit(n["additionalProperties"], b, tokens + (key,), sub_value)
        elif isinstance(value, list):
            for n, b in mine:
                if isinstance(n.get("items"), dict):
                    for i, item in enumerate(value):
                        visit(n["items"], b, tokens + (i,), item)

    root = registry.get(name)
    visit(root, root["$id"], (), instance)
    return [out[t] for t in order]
