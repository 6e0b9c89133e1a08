"""Broken payloads, each broken in exactly one known way and labelled with it.

:func:`candidates` walks a valid payload together with its schema (:func:`.walk.locations`) and lists every
mutation that breaks one keyword at one place — enum, type, required, dependentRequired, format, pattern,
maxLength / minLength, minimum / maximum, minProperties / maxItems — plus one mutation per error-level
cross-field rule the payload can break, and a full card number in a free-text field. A mutation's new value
is checked against the keywords that apply at its place (the target keyword fails, every other one still
holds: no second error at that place); mutations that would also trip an error-level rule elsewhere are
left out (:data:`COUPLED`). :func:`mutate` picks one.

``check(mutant.instance, name)`` reports an error with exactly ``mutant.code`` at exactly ``mutant.path``
(drift warnings may come along: an unknown status spelling is also off an open list).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable

from .. import paths
from . import values as V
from .draw import Draw, as_draw
from .walk import Location, locations

REMOVE = object()


@dataclass(frozen=True)
class Mutant:
    """A payload broken in one way: ``check`` reports an error ``code`` at ``path``."""
    instance: Any
    code: str
    path: str
    description: str

    @property
    def label(self) -> dict:
        return {"code": self.code, "path": self.path, "description": self.description}


@dataclass(frozen=True)
class Candidate:
    code: str
    path: str
    description: str
    apply: Callable[[Any, Draw], Any]   # (a copy of the valid payload, draw) -> the mutated payload


# ---------------------------------------------------------------- the keywords at one place

_TYPES = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def _format_ok(fmt: str, value: Any) -> bool:
    from jsonschema import Draft202012Validator
    return Draft202012Validator.FORMAT_CHECKER.conforms(value, fmt)


def failing(nodes: list[tuple[dict, str]], value: Any) -> set[str]:
    """The keywords among ``nodes`` that ``value`` fails (enum of an x-open-enum is drift, not counted)."""
    out: set[str] = set()
    for node, _ in nodes:
        t = node.get("type")
        if t is not None:
            types = t if isinstance(t, list) else [t]
            if not any(_TYPES[x](value) for x in types):
                out.add("type")
        if "enum" in node and value not in node["enum"] and not node.get("x-open-enum"):
            out.add("enum")
        if "const" in node and value != node["const"]:
            out.add("const")
        if isinstance(value, str):
            if "pattern" in node and not re.search(node["pattern"], value):
                out.add("pattern")
            if "maxLength" in node and len(value) > node["maxLength"]:
                out.add("maxLength")
            if "minLength" in node and len(value) < node["minLength"]:
                out.add("minLength")
            if "format" in node and not _format_ok(node["format"], value):
                out.add("format")
        if _TYPES["number"](value):
            if "minimum" in node and value < node["minimum"]:
                out.add("minimum")
            if "maximum" in node and value > node["maximum"]:
                out.add("maximum")
        if isinstance(value, list):
            if "maxItems" in node and len(value) > node["maxItems"]:
                out.add("maxItems")
            if "minItems" in node and len(value) < node["minItems"]:
                out.add("minItems")
        if isinstance(value, dict) and "minProperties" in node and len(value) < node["minProperties"]:
            out.add("minProperties")
    return out


def _only(nodes: list[tuple[dict, str]], value: Any, keyword: str) -> bool:
    return failing(nodes, value) == {keyword}


def _kw(nodes: list[tuple[dict, str]], keyword: str) -> Any:
    for node, _ in nodes:
        if keyword in node:
            return node[keyword]
    return None


# ---------------------------------------------------------------- new values per keyword

def _pattern_values(loc: Location) -> list[str]:
    s = loc.value
    fmt = _kw(loc.nodes, "format")
    if fmt == "date-time":
        out = []
        if "T" in s:
            out.append(s.replace("T", "t", 1))
        m = re.search(r"\.([0-9]{7})Z$", s)
        if m:
            out.append(s[:-1] + "0Z")      # 8 fractional digits: still a date-time, not the API's form
        return out
    if fmt == "uri" and "://" in s:
        return ["ftp" + s[s.index("://"):]]
    if fmt == "email" and "@" in s:
        return [s.split("@", 1)[0] + "@localhost"]
    out = []
    for i in range(len(s) - 1, -1, -1):
        for c in ("x", "!", "-", "Z", "g"):
            if c != s[i]:
                out.append(s[:i] + c + s[i + 1:])
        if len(out) >= 10:
            break
    return out


def _enum_values(v: Any) -> list[Any]:
    if not isinstance(v, str):
        return []
    return [v.upper(), v.lower(), v.capitalize(), v + "s", "unknown"]


def _type_values(v: Any) -> list[Any]:
    if isinstance(v, bool):
        return ["true" if v else "false"]
    if isinstance(v, int):
        return [str(v)]
    if isinstance(v, float):
        return [str(v)]
    if isinstance(v, str):
        return [len(v)]
    if isinstance(v, list):
        return ["x", {}]
    if isinstance(v, dict):
        return [[], "x"]
    if v is None:
        return [[], "null"]
    return []


def _date_format_break(s: str, earlier: bool) -> str | None:
    """February 30th, a year earlier (for ``created``) or later (otherwise), so created ≤ updated still reads true."""
    m = re.match(r"^([0-9]{4})-[0-9]{2}-[0-9]{2}T", s)
    if not m:
        return None
    year = int(m.group(1)) + (-1 if earlier else 1)
    return f"{year:04d}-02-30{s[10:]}" if 0 < year < 10000 else None


# ---------------------------------------------------------------- listing candidates

def _set(tokens: tuple, value: Any) -> Callable[[Any, Draw], Any]:
    def apply(doc: Any, d: Draw) -> Any:
        node = doc
        for t in tokens[:-1]:
            node = node[t]
        if value is REMOVE:
            del node[tokens[-1]]
        else:
            node[tokens[-1]] = value
        return doc
    return apply


def _show(v: Any) -> str:
    from ..redact import describe
    return describe(v)


#: (keyword, test on (name, tokens, payload)): mutations that would also break an error-level rule
COUPLED: list[tuple[str, Callable[[str, tuple, Any], bool]]] = [
    # an order amount below zero is also below its vatAmount (spp-vat-within-amount)
    ("minimum", lambda n, t, doc: n.startswith("swedbankpay/checkout-v2/payment-order") and t[-1] == "amount"
        and len(t) == 2),
    # a checkout amount below zero is below the refunds in its log (pw-refunds-within-amount)
    ("minimum", lambda n, t, doc: n == "paiwise/checkout" and t == ("amount",)
        and any(isinstance(e, dict) and "details" in e for e in (doc.get("log") or {}).values())),
    # a bin that no longer reads as six digits differs from maskedPan's first six (spp-bin-prefix)
    ("pattern", lambda n, t, doc: t[-1] == "bin"),
]


def _coupled(keyword: str, name: str, tokens: tuple, doc: Any) -> bool:
    return any(kw == keyword and test(name, tokens, doc) for kw, test in COUPLED)


def _discriminators(loc: Location) -> set[str]:
    """Properties whose removal would switch an if/then/else at this object to its other branch."""
    from .walk import holds
    out: set[str] = set()
    if not isinstance(loc.value, dict):
        return out
    for node, held in loc.ifs:
        if "else" not in node:
            continue
        for prop in loc.value:
            rest = {k: v for k, v in loc.value.items() if k != prop}
            if holds(node["if"], rest) != held:
                out.add(prop)
    return out


def candidates(name: str, doc: Any, only: str | None = None) -> list[Candidate]:
    """Every single-keyword mutation of ``doc`` (a valid instance of ``name``), plus the rule mutants
    (``only``: just those of one code)."""
    from .rulemutants import pan_candidates, rule_candidates
    if only is not None and only.startswith(("spp-", "spp3-", "pw-")):
        return [c for c in rule_candidates(name, doc) if c.code == only]
    locs = locations(name, doc)
    if only == "unmasked-pan":
        return pan_candidates(name, doc, locs)
    out: list[Candidate] = []
    for loc in locs:
        out.extend(_keyword_candidates(name, doc, loc))
    if only is not None:  # the cross-field checks a schema states (pattern, not) have rule-like mutants too
        return [c for c in out + rule_candidates(name, doc) if c.code == only]
    out.extend(rule_candidates(name, doc))
    out.extend(pan_candidates(name, doc, locs))
    return out


def _keyword_candidates(name: str, doc: Any, loc: Location) -> list[Candidate]:
    out: list[Candidate] = []
    v, t, where = loc.value, loc.tokens, loc.path
    nodes = loc.nodes

    def add(keyword: str, new: Any, why: str) -> None:
        if _coupled(keyword, name, t, doc):
            return
        out.append(Candidate(keyword, where, why, _set(t, new)))

    if isinstance(v, dict):
        gone = _discriminators(loc)
        required: list[str] = []
        for node, _ in nodes:
            for prop in node.get("required", []):
                if prop in v and prop not in required and prop not in gone:
                    required.append(prop)
        for prop in required:
            out.append(Candidate("required", paths.child(where, prop), f"required field {prop!r} removed",
                                 _set(t + (prop,), REMOVE)))
        all_required = {p for node, _ in nodes for p in node.get("required", [])}
        for node, _ in nodes:
            for trigger, deps in node.get("dependentRequired", {}).items():
                if trigger in v:
                    for dep in deps:
                        if dep in v and dep not in all_required:
                            out.append(Candidate("dependentRequired", paths.child(where, dep),
                                                 f"{dep!r} removed while {trigger!r} is present (needs it)",
                                                 _set(t + (dep,), REMOVE)))
        if v and _kw(nodes, "minProperties") and _only(nodes, {}, "minProperties") and t:
            add("minProperties", {}, "emptied below minProperties")
    if not t:
        return out                                   # the root: only required fields
    closed_enum = any("enum" in n and not n.get("x-open-enum") for n, _ in nodes) or any("const" in n for n, _ in nodes)
    if closed_enum:
        for new in _enum_values(v):
            if _only(nodes, new, "enum"):
                add("enum", new, f"{_show(v)} replaced by {_show(new)}, not a documented value")
                break
    if _kw(nodes, "type") is not None and not closed_enum and not loc.ifs:
        for new in _type_values(v):
            if _only(nodes, new, "type"):
                add("type", new, f"{_show(v)} replaced by {_show(new)} of the wrong JSON type")
                break
    if isinstance(v, str):
        if _kw(nodes, "pattern"):
            for new in _pattern_values(loc):
                if _only(nodes, new, "pattern"):
                    add("pattern", new, f"{_show(v)} replaced by {_show(new)}, which does not match the pattern")
                    break
        mx = _kw(nodes, "maxLength")
        if mx is not None and not _kw(nodes, "format"):
            new = v + "x" * (mx + 1 - len(v))
            if _only(nodes, new, "maxLength"):
                add("maxLength", new, f"lengthened to {mx + 1} characters (at most {mx})")
        mn = _kw(nodes, "minLength")
        if mn:
            new = v[: mn - 1]
            if _only(nodes, new, "minLength"):
                add("minLength", new, f"shortened to {mn - 1} characters (at least {mn})")
        fmt = _kw(nodes, "format")
        if fmt == "date-time":
            new = _date_format_break(v, earlier=t[-1] == "created")
            if new and _only(nodes, new, "format"):
                add("format", new, f"{_show(v)} replaced by {_show(new)}: no such date")
        elif fmt == "uri":
            new = v + "%zz"
            if _only(nodes, new, "format"):
                add("format", new, "a broken percent-escape appended: not a URI")
    if isinstance(v, int) and not isinstance(v, bool):
        lo, hi = _kw(nodes, "minimum"), _kw(nodes, "maximum")
        if lo is not None and _only(nodes, lo - 1, "minimum"):
            add("minimum", lo - 1, f"{v} replaced by {lo - 1}, below the minimum {lo}")
        if hi is not None and _only(nodes, hi + 1, "maximum"):
            add("maximum", hi + 1, f"{v} replaced by {hi + 1}, above the maximum {hi}")
    if isinstance(v, list) and not v and _kw(nodes, "maxItems") == 0 and _kw(nodes, "items") is None:
        # (with an items schema, 'x' would break it too: one error per mutant, so no such mutant there)
        if _only(nodes, ["x"], "maxItems"):
            add("maxItems", ["x"], "an element added to what must be empty")
    return out


def mutate(name: str, doc: Any, d: Draw | Any = None, *, code: str | None = None) -> Mutant:
    """One mutant of the valid ``doc`` (``code``: only of that kind). Raises LookupError if there is none."""
    d = as_draw(d)
    pool = candidates(name, doc, only=code)
    if not pool:
        raise LookupError(f"no {code or ''} mutation applies to this {name} payload".replace("  ", " "))
    codes = list(dict.fromkeys(c.code for c in pool))     # pick the kind first: rule mutants are as likely as type ones
    kind = codes[d.int(0, len(codes) - 1)]
    pool = [c for c in pool if c.code == kind]
    c = pool[d.int(0, len(pool) - 1)]
    return Mutant(c.apply(V.deep_copy(doc), d), c.code, c.path, f"{c.path}: {c.description}")


def mutate_kind(name: str, d: Draw | Any, code: str, *, tries: int = 400, **params: Any) -> Mutant:
    """A mutant of kind ``code`` (``enum``, ``unmasked-pan``, a rule id …). The base payload is valid; when a
    valid one lacks the part the mutation needs (no card whose bin to break), the edge cases are tried in turn
    with every optional field present. The base comes from one drawn seed (``RandomDraw``), the mutation from
    ``d``."""
    import random as _random

    from . import catalog, edge
    from .draw import RandomDraw
    d = as_draw(d)
    base = RandomDraw(_random.Random(f"{name}/{code}/{d.int(0, 2 ** 32 - 1)}"))
    targets = edge.targets(name)
    for attempt in range(min(tries, len(targets) + 1)):
        if attempt == 0:
            doc = catalog.build(name, base, **params)
        else:
            t = targets[attempt - 1]
            doc = edge.build_edge(name, base, edge.Target(t.description, t.constraints, True))
        if candidates(name, doc, only=code):
            return mutate(name, doc, d, code=code)
    raise LookupError(f"no {code!r} mutation applies to any {name} payload tried")
