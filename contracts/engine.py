"""Schema validation, compiled once per schema, turned into findings people can act on.

The fast path is jsonschema-rs (ECMA-262 regexes, ~100× python-jsonschema): ``is_valid`` first, and only
for a failing payload ``iter_errors``. python-jsonschema runs the same files for the cross-engine test and
for anyone who asks for it (``engine="python"``). Both engines' errors go through one converter, so a
finding means the same whichever engine found it.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Iterable

import jsonschema_rs

from . import paths, registry, schemawalk
from .findings import ERROR, WARNING, Finding
from .excerpt import shown as _shown
from .redact import describe, is_sensitive, scrub

ENGINES = ("rust", "python")


@dataclass(slots=True)
class RawError:
    """An engine's error, engine-neutral."""
    keyword: str
    instance_path: list[str | int]
    instance: Any
    node: Any                       # the schema object that holds the failing keyword
    trail: list[tuple[str | int, Any]] = field(default_factory=list)  # (component, parent) along the evaluation
    detail: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- compiled validators

def _never_fetch(uri: str) -> Any:
    raise ValueError(f"refusing to fetch {uri!r}: schemas resolve $ref locally only")


# The single-line guard that sits next to every variable-length pattern (schemas/CONVENTIONS.md): Python's
# ``re`` (python-jsonschema) and Java's ``find()`` let ``$`` match before a trailing line break, ECMA-262 and
# RE2 do not. Under ECMA-262 the guard adds nothing (every pattern's characters exclude line breaks), so the
# jsonschema-rs copy leaves it out: one regex less per string, same verdicts.
LINE_GUARD = {"type": "string", "pattern": "[\n\r]"}


def _unguard(node: Any) -> Any:
    """The schema as an ECMA-262 engine needs it: the single-line guards dropped."""
    if isinstance(node, dict):
        return {k: (_unguard(v) if k not in ("enum", "const", "examples", "default") else v)
                for k, v in node.items() if not (k == "not" and v == LINE_GUARD and "pattern" in node)}
    if isinstance(node, list):
        return [_unguard(v) for v in node]
    return node


@functools.lru_cache(maxsize=1)
def _rs_registry() -> jsonschema_rs.Registry:
    return jsonschema_rs.Registry([(uri, _unguard(s)) for uri, s in registry.resources()], retriever=_never_fetch)


@functools.lru_cache(maxsize=None)
def rust_validator(name: str) -> Any:
    return jsonschema_rs.validator_for(_unguard(registry.get(name)), registry=_rs_registry(), validate_formats=True,
                                       retriever=_never_fetch)


@functools.lru_cache(maxsize=None)
def python_validator(name: str) -> Any:
    from jsonschema import Draft202012Validator  # imported lazily: only the slow path needs it
    return Draft202012Validator(registry.get(name), registry=registry.registry(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


# ---------------------------------------------------------------- raw errors per engine

@functools.lru_cache(maxsize=4096)
def _trail(name: str, evaluation_path: tuple) -> tuple[tuple[str | int, Any], ...]:
    """Walk an evaluation path from the root schema, following ``$ref``: (component, parent node) pairs."""
    return schemawalk.trail(registry.get(name), evaluation_path)


@functools.lru_cache(maxsize=4096)
def _node_at(location: str) -> Any:
    return registry.locate(location.rsplit("/", 1)[0])


@functools.lru_cache(maxsize=256)
def _property_names_schema(location: str | None) -> Any:
    """The (dereferenced) schema under a ``propertyNames`` keyword location."""
    if not location:
        return None
    return schemawalk.deref(registry.locate(location), location.split("#", 1)[0])[0]


def _real_path(instance: Any, parts: list) -> list[str | int]:
    """jsonschema-rs returns an object key that looks like a number ("0", "4925…") as an int: walk the
    instance to tell keys from indexes."""
    out: list[str | int] = []
    node = instance
    for part in parts:
        if isinstance(node, dict):
            key = part if isinstance(part, str) else str(part)
            out.append(key)
            node = node.get(key)
        elif isinstance(node, list) and isinstance(part, int):
            out.append(part)
            node = node[part] if 0 <= part < len(node) else None
        else:
            out.append(part)
            node = None
    return out


def rust_errors(name: str, instance: Any) -> list[RawError]:
    v = rust_validator(name)
    if v.is_valid(instance):
        return []
    out = []
    for e in v.iter_errors(instance):
        kind, keyword, ipath, found = e.kind, e.kind.name, _real_path(instance, e.instance_path), e.instance
        detail = kind.as_dict()
        node = _node_at(e.absolute_keyword_location) if e.absolute_keyword_location else None
        if keyword == "required" and e.schema_path and e.schema_path[-1] == "dependentRequired":
            keyword = "dependentRequired"
        elif keyword == "propertyNames":  # report it at the offending key, like the other engine
            inner = detail.get("error")
            found = getattr(inner, "instance", None)
            ipath = ipath + [found]
            node = _property_names_schema(e.absolute_keyword_location)
        out.append(RawError(keyword=keyword, instance_path=ipath, instance=found, node=node,
                            trail=list(_trail(name, tuple(e.evaluation_path))), detail=detail))
    return out


def python_errors(name: str, instance: Any) -> list[RawError]:
    out = []
    seen_required: dict[tuple, int] = {}  # one error per missing property, in the keyword's order
    for e in python_validator(name).iter_errors(instance):
        detail: dict[str, Any] = {}
        if e.validator == "required":
            missing = [p for p in e.validator_value if isinstance(e.instance, dict) and p not in e.instance]
            where = (tuple(e.absolute_path), tuple(e.absolute_schema_path))
            nth = seen_required[where] = seen_required.get(where, -1) + 1
            detail["property"] = missing[nth] if nth < len(missing) else None
        elif e.validator == "additionalProperties":
            detail["unexpected"] = _unexpected(e.schema, e.instance)
        elif e.validator == "enum":
            detail["options"] = list(e.validator_value)
        elif e.validator == "dependentRequired":
            detail["property"] = next((p for k, req in e.validator_value.items() if k in e.instance for p in req if p not in e.instance), None)
        keyword, ipath, node = str(e.validator), list(e.absolute_path), e.schema
        schema_path = list(e.absolute_schema_path)
        if len(schema_path) >= 2 and schema_path[-2] == "propertyNames":
            keyword, ipath = "propertyNames", ipath + [e.instance]
        out.append(RawError(keyword=keyword, instance_path=ipath, instance=e.instance, node=node,
                            trail=list(_trail(name, tuple(schema_path)[:-1])), detail=detail))
    return out


def _unexpected(schema: dict, instance: Any) -> list[str]:
    import re
    props = schema.get("properties", {})
    pats = [re.compile(p) for p in schema.get("patternProperties", {})]
    return [k for k in instance if k not in props and not any(p.search(k) for p in pats)]


# ---------------------------------------------------------------- conversion to findings

def branch_label(trail: Iterable[tuple[str | int, Any]]) -> str | None:
    """The innermost ``if``/``then`` branch an error sits in, named as the payload names it:
    ``instrument Swish``, ``status Paid``, ``expanded paid resource``."""
    label = None
    for part, parent in trail:
        if part in ("then", "else") and isinstance(parent, dict) and "if" in parent:
            branch = parent[part]
            title = branch.get("title") if isinstance(branch, dict) else None
            cond = _condition(parent["if"])
            if part == "then":
                label = cond or title or label
            else:
                label = title or (f"not {cond}" if cond else label)
    return label


def _condition(cond: Any) -> str | None:
    for prop, op, values in schemawalk.property_tests(cond):
        if op == "eq" and values:
            return f"{prop} {values[0]}"
    return None


def to_findings(raw: list[RawError], *, strict: bool) -> list[Finding]:
    out: list[Finding] = []
    drift_severity = ERROR if strict else WARNING
    for err in raw:
        where = paths.render(err.instance_path)
        label = branch_label(err.trail)
        # the path is printed beside every message (report, plugin, explain): the message names only the branch
        prefix = f"{label}: " if label else ""
        key = next((k for k in reversed(err.instance_path) if isinstance(k, str)), None)
        node = err.node if isinstance(err.node, dict) else {}
        kw = err.keyword
        if kw in ("additionalProperties", "unevaluatedProperties"):
            for prop in err.detail.get("unexpected") or []:
                out.append(Finding(paths.child(where, prop), "unknown-field", drift_severity,
                                   f"{prefix}unknown field {_name(prop)} (not in the documented fields)", drift=True))
            continue
        if kw == "required" or kw == "dependentRequired":
            prop = err.detail.get("property")
            if prop is None:
                continue
            msg = f"{prefix}missing required field {_name(prop)}"
            if kw == "dependentRequired":
                deps = node.get("dependentRequired", node)
                trigger = next((k for k, req in deps.items() if isinstance(req, list) and prop in req), None)
                msg = f"{prefix}field {_name(prop)} is required when {_name(trigger)} is present"
            out.append(Finding(paths.child(where, prop), kw, ERROR, msg))
            continue
        if kw == "enum" and node.get("x-open-enum"):
            out.append(Finding(where, "enum", drift_severity,
                               f"{prefix}value {describe(err.instance, key)} is not among the documented values "
                               f"({_options(err.detail.get('options') or node.get('enum'))})", drift=True))
            continue
        if kw == "not" and node.get("not") == LINE_GUARD:
            kw = "pattern"  # python-jsonschema: the guard caught what ECMA-262's "$" catches in the pattern
        if kw == "pattern" and isinstance(err.instance, str) and ("\n" in err.instance or "\r" in err.instance):
            at = min(i for i in (err.instance.find("\n"), err.instance.find("\r")) if i >= 0)
            out.append(Finding(where, kw, ERROR, f"{prefix}expected a single line, found {_shown(err.instance, key, at=at)} "
                                                 "(a line break)"))
            continue
        out.append(Finding(where, kw, ERROR, f"{prefix}{_explain(kw, node, err.instance, key)}"))
    return out


def _name(prop: Any) -> str:
    return describe(prop) if isinstance(prop, str) else str(prop)


def _options(options: Any, limit: int = 12) -> str:
    options = list(options or [])
    shown = ", ".join(describe(o) for o in options[:limit])
    return shown + (f", … ({len(options)} in all)" if len(options) > limit else "")


def _plural(n: Any, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def _explain(kw: str, node: dict, found: Any, key: Any) -> str:
    value = node.get(kw)
    pattern = value if kw == "pattern" and isinstance(value, str) else None
    shown = _shown(found, key, pattern=pattern)
    if kw == "type":
        want = " or ".join(value) if isinstance(value, list) else value
        if found is None or isinstance(found, (dict, list)):  # "null", "an object with 2 fields": the kind is said
            return f"expected {want}, found {shown}"
        return f"expected {want}, found {_type_of(found)} {shown}"
    if kw == "enum":
        return f"expected one of {_options(value)}; found {shown}"
    if kw == "const":
        return f"expected {describe(value)}, found {shown}"
    if kw == "pattern":
        like = node.get("examples")
        hint = f" like {_shown(like[0])}" if isinstance(like, list) and like and isinstance(like[0], str) else ""
        return f"expected {node.get('title') or 'a value'}{hint} (pattern {value}), found {shown}"
    if kw == "format":
        return f"expected a valid {value}, found {shown}"
    if kw in ("maxLength", "minLength"):
        n = len(found) if isinstance(found, str) else "?"
        bound = "at most" if kw == "maxLength" else "at least"
        return f"expected {bound} {_plural(value, 'character')}, found {n}: {shown}"
    if kw in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        op = {"minimum": "≥", "maximum": "≤", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[kw]
        return f"expected a number {op} {value}, found {shown}"
    if kw in ("minItems", "maxItems"):
        n = len(found) if isinstance(found, list) else "?"
        return f"expected {'at least' if kw == 'minItems' else 'at most'} {_plural(value, 'item')}, found {n}"
    if kw in ("minProperties", "maxProperties"):
        n = len(found) if isinstance(found, dict) else "?"
        return f"expected {'at least' if kw == 'minProperties' else 'at most'} {_plural(value, 'field')}, found {n}"
    if kw == "propertyNames":
        inner = node.get("propertyNames", node)
        form = inner.get("title") or inner.get("description") or inner.get("pattern") or "the documented form"
        return f"key {shown} does not have the documented form ({form})"
    if kw == "not":  # a "not" with a title says which check it is (operations that fit the status, …)
        return f"value {shown} is not allowed here" + (f": {node['title']}" if isinstance(node.get("title"), str) else "")
    return scrub(f"failed {kw}: found {shown}")


def _type_of(value: Any) -> str:
    from .redact import type_name
    return type_name(value)


# When one value breaks several keywords, report the most fundamental one: a wrong type makes its
# pattern moot, and a too-long "SEK\n" is reported as too long by every engine (python-jsonschema's "$"
# accepts the trailing newline that jsonschema-rs's pattern rejects).
_PRIORITY = {kw: i for i, kw in enumerate(
    ("type", "const", "enum", "maxLength", "minLength", "pattern", "format", "minimum", "maximum",
     "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "maxItems", "minItems", "uniqueItems"))}


def one_per_path(findings: list[Finding]) -> list[Finding]:
    best: dict[str, Finding] = {}
    out = []
    for f in findings:
        if f.drift or f.code not in _PRIORITY:
            out.append(f)
        elif f.path not in best or _PRIORITY[f.code] < _PRIORITY[best[f.path].code]:
            best[f.path] = f
    # a value that is already wrong (wrong type, bad pattern) needs no "not among the documented values" on top
    return [f for f in out if not (f.drift and f.code == "enum" and f.path in best)] + list(best.values())


def validate(name: str, instance: Any, *, strict: bool = False, engine: str = "rust") -> list[Finding]:
    try:
        if engine == "rust":
            if rust_validator(name).is_valid(instance):
                return []
            raw = rust_errors(name, instance)
        else:
            raw = python_errors(name, instance)
    except (ValueError, RecursionError) as exc:  # jsonschema-rs: "Recursion limit reached" on very deep payloads
        if "ecursion" in str(exc) or isinstance(exc, RecursionError):
            return [Finding("$", "nesting", ERROR, "the payload is nested too deeply for the validator to walk it")]
        # a Python object that is no JSON value (a date, bytes, a set, a non-string key): say which kind, never
        # the value (the exception's text is not quoted: only a type name is picked out of it)
        import re
        kind = re.search(r"'([A-Za-z_][A-Za-z0-9_.]{0,40})'", str(exc))
        what = f"a value of Python type {kind.group(1)}" if kind else "a value"
        return [Finding("$", "not-json", ERROR, f"the payload holds {what}, which JSON cannot carry: check the "
                                                "parsed JSON body (json.loads of the response), not Python objects")]
    return one_per_path(to_findings(raw, strict=strict))


__all__ = ["ENGINES", "RawError", "validate", "rust_errors", "python_errors", "to_findings", "branch_label",
           "rust_validator", "python_validator", "is_sensitive"]
