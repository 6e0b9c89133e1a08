"""The schemas as flat node tables for the compiled fast path.

Each schema object becomes one node tuple (see ``NODE_FIELDS``); ``$ref`` targets are compiled once and shared,
so a table holds every schema reachable from the response schemas. The compiled copy is exactly the one
jsonschema-rs runs (``engine._unguard``: the single-line guards left out, which ECMA-262 does not need).

Only the keywords our schemas use are compiled. Any other assertion keyword, a non-scalar ``enum`` value or
a pattern outside the DFA subset raises :class:`dfa.Unsupported` for the schema that holds it: that schema
gets no fast path, never a wrong one.
"""
from __future__ import annotations

from typing import Any

from .. import registry
from ..engine import _unguard
from .dfa import Unsupported, compact, compile_pattern

# type bits, as the C module numbers them
T_NULL, T_BOOL, T_INT, T_FLOAT, T_STRING, T_ARRAY, T_OBJECT = (1 << i for i in range(7))
TYPE_BITS = {"null": T_NULL, "boolean": T_BOOL, "integer": T_INT, "number": T_INT | T_FLOAT,
             "string": T_STRING, "array": T_ARRAY, "object": T_OBJECT}
ANY = 0x7F
FORMATS = {"date-time": 1, "uri": 2, "email": 3}

NODE_FIELDS = ("types", "ref", "props", "required", "addl", "propnames", "minprops", "depreq", "minlen", "maxlen",
               "dfa", "format", "enum", "minimum", "maximum", "items", "minitems", "maxitems", "not_", "if_",
               "then", "else_", "allof", "anyof")
ADDL_ANY, ADDL_FALSE = -1, -2

_DEFAULT: dict[str, Any] = dict(types=ANY, ref=-1, props=(), required=(), addl=ADDL_ANY, propnames=-1, minprops=0,
                                depreq=(), minlen=0, maxlen=-1, dfa=-1, format=0, enum=None, minimum=None, maximum=None,
                                items=-1, minitems=0, maxitems=-1, not_=-1, if_=-1, then=-1, else_=-1, allof=(), anyof=())
_PURE_REF = tuple(_DEFAULT[k] for k in NODE_FIELDS if k != "ref")  # a node that is a $ref and nothing else

_ANNOTATIONS = {"title", "description", "examples", "default", "$id", "$schema", "$defs", "$comment",
                "deprecated", "readOnly", "writeOnly", "contentMediaType"}


class Program:
    """Node tuples, pattern DFAs and each schema name's root node."""

    def __init__(self) -> None:
        self.nodes: list[tuple | None] = []
        self.dfas: list[tuple] = []  # dfa.compact forms
        self.roots: dict[str, int] = {}
        self.unsupported: dict[str, str] = {}
        self._by_key: dict[tuple[str, str], int] = {}
        self._dfa_index: dict[str, int] = {}
        self._resources = {uri: _unguard(schema) for uri, schema in registry.resources()}

    def add_schema(self, name: str) -> bool:
        saved = (len(self.nodes), len(self.dfas), dict(self._by_key), dict(self._dfa_index))
        uri = registry.schema_id(name)
        try:
            self.roots[name] = self._node(uri, "")
            return True
        except Unsupported as exc:
            n_nodes, n_dfas, by_key, dfa_index = saved
            del self.nodes[n_nodes:], self.dfas[n_dfas:]
            self._by_key, self._dfa_index = by_key, dfa_index
            self.unsupported[name] = str(exc)
            return False

    def tables(self) -> tuple[tuple[tuple, ...], dict[str, int]]:
        """The node tuples and roots with every reference to a node that is only a ``$ref`` (the usual
        ``{"$ref": "common.json#/$defs/amount"}``) pointed at its target: one evaluation step less each."""
        pure = {i: n[1] for i, n in enumerate(self.nodes) if n is not None and n[1] >= 0 and n[:1] + n[2:] == _PURE_REF}

        def to(i: int) -> int:
            seen = set()
            while i in pure and i not in seen:
                seen.add(i)
                i = pure[i]
            return i
        out = []
        for n in self.nodes:
            f = dict(zip(NODE_FIELDS, n))
            for k in ("ref", "addl", "propnames", "items", "not_", "if_", "then", "else_"):
                if f[k] >= 0:
                    f[k] = to(f[k])
            f["props"] = tuple((key, to(i)) for key, i in f["props"])
            f["allof"] = tuple(to(i) for i in f["allof"])
            f["anyof"] = tuple(to(i) for i in f["anyof"])
            out.append(tuple(f[k] for k in NODE_FIELDS))
        return tuple(out), {name: to(i) for name, i in self.roots.items()}

    # -------------------------------------------------------------- nodes

    def _resolve(self, base: str, ref: str) -> tuple[str, str]:
        try:
            return registry.ref_target(base, ref)
        except LookupError as exc:
            raise Unsupported(str(exc)) from None

    def _node(self, uri: str, pointer: str) -> int:
        key = (uri, pointer)
        if key in self._by_key:
            return self._by_key[key]
        index = len(self.nodes)
        self._by_key[key] = index
        self.nodes.append(None)  # reserved: a $ref cycle comes back to this index
        self.nodes[index] = self._compile(uri, pointer, registry.pointer_get(self._resources[uri], pointer))
        return index

    def _compile(self, uri: str, pointer: str, schema: Any) -> tuple:
        if schema is True:
            schema = {}
        if schema is False:  # "not {}": the {} compiled once, at a key no pointer can reach
            f = dict(_DEFAULT)
            key = ("", "#false")
            if key not in self._by_key:
                self._by_key[key] = len(self.nodes)
                self.nodes.append(self._compile("", "", {}))
            f["not_"] = self._by_key[key]
            return tuple(f[k] for k in NODE_FIELDS)
        if not isinstance(schema, dict):
            raise Unsupported(f"schema at {pointer or '/'} is not an object")
        sub = lambda key: self._node(uri, f"{pointer}/{key}")  # noqa: E731
        f: dict[str, Any] = dict(_DEFAULT)
        for kw, value in schema.items():
            if kw in _ANNOTATIONS or kw.startswith("x-"):
                continue
            if kw == "type":
                names = value if isinstance(value, list) else [value]
                f["types"] = 0
                for t in names:
                    f["types"] |= TYPE_BITS[t]
            elif kw == "$ref":
                f["ref"] = self._node(*self._resolve(uri, value))
            elif kw == "properties":
                f["props"] = tuple((_key(k), sub(f"properties/{_escape(k)}")) for k in value)
            elif kw == "required":
                f["required"] = tuple(_key(k) for k in value)
            elif kw == "additionalProperties":
                f["addl"] = ADDL_FALSE if value is False else ADDL_ANY if value is True else sub(kw)
            elif kw == "propertyNames":
                f["propnames"] = sub(kw)
            elif kw == "minProperties":
                f["minprops"] = _count(value)
            elif kw == "dependentRequired":
                f["depreq"] = tuple((_key(k), tuple(_key(x) for x in v)) for k, v in value.items())
            elif kw == "minLength":
                f["minlen"] = _count(value)
            elif kw == "maxLength":
                f["maxlen"] = _count(value)
            elif kw == "pattern":
                f["dfa"] = self._dfa(value)
            elif kw == "format":
                if value not in FORMATS:
                    raise Unsupported(f"format {value}")
                f["format"] = FORMATS[value]
            elif kw in ("enum", "const"):
                if "enum" in schema and "const" in schema:
                    raise Unsupported("enum and const in one schema")
                f["enum"] = tuple(_scalar(v) for v in (value if kw == "enum" else [value]))
            elif kw == "minimum":
                f["minimum"] = _bound(value)
            elif kw == "maximum":
                f["maximum"] = _bound(value)
            elif kw == "items":
                f["items"] = sub(kw)
            elif kw == "minItems":
                f["minitems"] = _count(value)
            elif kw == "maxItems":
                f["maxitems"] = _count(value)
            elif kw in ("not", "if", "then", "else"):
                f[kw + "_" if kw != "then" else kw] = sub(kw)
            elif kw in ("allOf", "anyOf"):
                f[kw.lower()] = tuple(sub(f"{kw}/{i}") for i in range(len(value)))
            else:
                raise Unsupported(f"keyword {kw}")
        if f["if_"] < 0:  # then/else without if do nothing
            f["then"] = f["else_"] = -1
        return tuple(f[k] for k in NODE_FIELDS)

    def _dfa(self, pattern: str) -> int:
        if pattern not in self._dfa_index:
            self._dfa_index[pattern] = len(self.dfas)
            self.dfas.append(compact(compile_pattern(pattern)))
        return self._dfa_index[pattern]


def _escape(key: str) -> str:
    return key.replace("~", "~0").replace("/", "~1")


def _key(key: Any) -> bytes:
    return str(key).encode("utf-8")


def _count(value: Any) -> int:
    if type(value) is not int or value < 0 or value > 2**31 - 1:
        raise Unsupported("count out of range")
    return value


def _bound(value: Any) -> float:
    if type(value) not in (int, float) or abs(value) > 2**53:
        raise Unsupported("bound out of range")
    return float(value)


def _scalar(value: Any) -> tuple[int, Any]:
    """An enum member as ``(kind, payload)``: 0 null, 1 boolean, 2 integer, 4 string."""
    if value is None:
        return (0, 0)
    if type(value) is bool:
        return (1, int(value))
    if type(value) is int and -2**63 <= value < 2**63:
        return (2, value)
    if type(value) is str:
        return (4, value.encode("utf-8"))
    raise Unsupported("enum member that is not a string, integer, boolean or null")
