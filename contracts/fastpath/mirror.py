"""One truth for what the C fast path mirrors: each mirrored decision, its Python side and its C side, held
together by a digest of both recorded in ``src/mirror.h``.

The fast path repeats a few decisions in C (shape detection, each rule, the card-number filter, JSON Lines
framing, parsing, formats, pattern DFAs, keyword semantics). Each is listed here with its Python roots and its
C roots. A digest covers the normalised source of every root (``ast`` without docstrings or decorators; C
without comments or spacing) and, by construction, what the root uses: the functions, classes and constants of
its own module (or a package above it) that it names (a rule's helpers and constants), and on the C side every function, macro or table
of ``src/`` it names. ``tools/record_mirror.py`` writes both digests into ``src/mirror.h``, which is compiled
into the module.

When the live Python digest of a decision differs from the one the module was built with (a rule edited on
the Python side only), or the C sources differ from the record, the fast path steps aside for the schemas
that decision touches (:func:`stale`), and the suite fails (tests/fastpath/test_mirror.py) until someone checks
the C side and records again. The rules' constants are not restated in C: ``checkout_contracts.fastpath._constants``
hands them over when the program is built.
"""
from __future__ import annotations

import ast
import hashlib
import importlib
import inspect
import re
import textwrap
import types
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

PACKAGE = __name__.rsplit(".", 2)[0]  # "contracts"
SRC = Path(__file__).resolve().parent / "src"
RECORD = SRC / "mirror.h"


@dataclass(frozen=True)
class Decision:
    name: str
    python: tuple[Any, ...]     # dotted names under the package (a module, a function, a class, a constant) or objects
    c: tuple[str, ...]          # functions, macros or tables of src/
    scope: str                  # "all", "shape" (auto-detection), "rules" (every schema with a rule), "rule:<id>"
    c_stop: tuple[str, ...] = ()  # C names the closure does not follow (RULES: each rule is its own decision)


FIXED = (
    Decision("shape detection", ("shape.detect", "fastpath._SHAPES"), ("detect",), "shape"),
    Decision("card-number filter", ("cardscan", "redact.find_card_numbers", "redact.may_hold_pan"),
             ("card_like", "digit_run", "CARD_RUN", "parse_init"), "all"),
    Decision("JSON Lines framing", ("bulk.worker._lines", "bulk.worker._judge_lines", "bulk.worker._certified",
                                    "inputs.jsonl.frame", "inputs.jsonl.lines", "inputs.jsonl.jsonl_records",
                                    "inputs.sniff.strip_bom"), ("py_certify_block",), "all", ("certify",)),
    Decision("readability", ("inputs.jsonl.line_record", "inputs.jsonparse"), ("parse_doc",), "all"),
    Decision("one record's verdict", ("pipeline.check",), ("certify",), "all", ("certify_rules", "eval", "detect")),
    Decision("formats", ("engine.rust_validator", "engine.python_validator", "fastpath.program.FORMATS"),
             ("date_time_ok", "uri_ok", "email_ok"), "all"),
    Decision("pattern DFAs", ("fastpath.dfa", "engine._unguard", "engine.LINE_GUARD"), ("run_dfa", "py_build"), "all",
             ("node_from", "RULES")),
    Decision("keyword semantics", ("fastpath.program",), ("eval", "node_from"), "all", ("run_dfa",)),
    Decision("rule runner", ("rules.run", "rules.paiwise.View", "rules.swedbankpay.View", "fastpath._constants"),
             ("certify_rules", "spp_view"), "rules", ("RULES",)),
)


def decisions() -> list[Decision]:
    """The fixed decisions, then one per rule: the rule's function and its C certifier (``RULES`` in rules.c)."""
    from .. import rules
    table = c_rule_table()
    return list(FIXED) + [Decision(f"rule {r.id}", (r.fn,), (table.get(r.id, f"<no certifier for {r.id}>"),), f"rule:{r.id}")
                          for r in rules.all_rules()]


# ---------------------------------------------------------------- Python side

def _unwrap(obj: Any) -> Any:
    return inspect.unwrap(obj) if callable(obj) and hasattr(obj, "__wrapped__") else obj  # functools.lru_cache


def _resolve(dotted: Any) -> Any:
    if not isinstance(dotted, str):
        return _unwrap(dotted)
    parts = dotted.split(".")
    for i in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join([PACKAGE, *parts[:i]]))
        except ImportError:
            continue
        for attr in parts[i:]:
            obj = getattr(obj, attr)
        return _unwrap(obj)
    raise LookupError(dotted)


def _normalised(source: str) -> str:
    """Source text without what decides nothing the C mirrors — comments, docstrings, decorators (a rule's
    metadata), blank lines, trailing spaces — and with the package's name as ``<pkg>`` (it is to be renamed).
    Plain text, not ``ast.dump``, so that the digest is the same under every Python version."""
    import io
    import tokenize
    source = textwrap.dedent(source)
    lines = source.splitlines()
    drop: set[int] = set()  # 0-based line numbers
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            for d in node.decorator_list:
                drop.update(range(d.lineno - 1, d.end_lineno or d.lineno))
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str) \
                    and len(node.body) > 1:
                drop.update(range(first.lineno - 1, first.end_lineno or first.lineno))
    cut: dict[int, int] = {}  # line → the column its comment starts at
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.COMMENT:
            cut[tok.start[0] - 1] = tok.start[1]
    out = []
    for i, line in enumerate(lines):
        if i in drop:
            continue
        line = line[:cut[i]] if i in cut else line
        if line.strip():
            out.append(line.rstrip())
    return "\n".join(out).replace(PACKAGE, "<pkg>")


def _source(obj: Any) -> str:
    return _normalised(inspect.getsource(obj))


def _plain(value: Any) -> bool:
    """A constant made of plain data only (a cache or a table of objects is not a decision's constant)."""
    if value is None or isinstance(value, (str, bytes, int, float, bool, re.Pattern)):
        return True
    if isinstance(value, (set, frozenset, list, tuple)):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(_plain(k) and _plain(v) for k, v in value.items())
    return False


def _constant(name: str, value: Any) -> str:
    """A module constant as text. A mutable container with a private name (``_PLAN``, ``_KNOWN``) is a cache,
    filled as the program runs: only its type counts. A constant a mirrored rule reads is immutable (a tuple, a
    frozenset, a string) or public (``TOKEN_TYPE_SPELLINGS``)."""
    if isinstance(value, (dict, list, set)) and name.startswith("_"):
        return type(value).__qualname__
    return _canon(value)


def _canon(value: Any) -> str:
    """A constant as text that does not depend on set order."""
    if not _plain(value):
        return type(value).__qualname__
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(_canon(v) for v in value)) + "}"
    if isinstance(value, dict):
        return "{" + ", ".join(sorted(f"{_canon(k)}: {_canon(v)}" for k, v in value.items())) + "}"
    if isinstance(value, (list, tuple)):
        return type(value).__name__ + "(" + ", ".join(_canon(v) for v in value) + ")"
    if isinstance(value, re.Pattern):
        return f"re({value.pattern!r}, {value.flags})"
    if value is None or isinstance(value, (str, bytes, int, float, bool)):
        return repr(value)
    return type(value).__qualname__


def _names(code: types.CodeType) -> set[str]:
    out = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            out |= _names(const)
    return out


def _ours(obj: Any) -> bool:
    module = getattr(obj, "__module__", None) or ""
    return module == PACKAGE or module.startswith(PACKAGE + ".")


def _kin(helper: str, user: str) -> bool:
    """Whether a helper's module is the user's own or a package above it (``rules.integer`` used by
    ``rules.swedbankpay`` as ``_int``): such a helper is part of the decision, followed like a local one."""
    return helper == user or user.startswith(helper + ".")


def python_parts(roots: Iterable[Any], cache: dict | None = None) -> dict[str, str]:
    """Normalised text of each root and of what it uses from its own module, by qualified name."""
    out: dict[str, str] = {}
    cache = {} if cache is None else cache

    def source(obj: Any) -> str:
        if id(obj) not in cache:
            cache[id(obj)] = (obj, _source(obj))  # the object is kept: its id stays its own
        return cache[id(obj)][1]
    stack = [(r if isinstance(r, str) else None, _resolve(r)) for r in roots]
    while stack:
        label, obj = stack.pop()
        if isinstance(obj, types.ModuleType):
            key = obj.__name__
            if key not in out:
                out[key] = source(obj)
            continue
        if isinstance(obj, (types.FunctionType, type)):
            key = f"{obj.__module__}.{obj.__qualname__}"
            if key in out:
                continue
            out[key] = source(obj)
            functions = [obj] if isinstance(obj, types.FunctionType) else [
                v for v in vars(obj).values() if isinstance(v, types.FunctionType)]
            for fn in functions:
                home = fn.__globals__
                for name in _names(fn.__code__):
                    if name not in home:
                        continue
                    value = _unwrap(home[name])
                    if isinstance(value, types.ModuleType) or name.startswith("__"):
                        continue  # another module's functions are roots of their own where mirrored
                    if isinstance(value, (types.FunctionType, type)):
                        if _ours(value) and _kin(value.__module__, fn.__module__):
                            stack.append((name, value))
                    elif not callable(value):
                        out.setdefault(f"{fn.__module__}.{name}", _constant(name, value))
            continue
        out.setdefault(f"{PACKAGE}.{label}" if label else f"constant {type(obj).__qualname__}", _constant(label or "", obj))
    return out


def _digest(parts: dict[str, str]) -> str:
    h = hashlib.sha256()
    for key in sorted(parts):
        h.update(key.replace(PACKAGE, "<pkg>").encode() + b"\0" + parts[key].replace(PACKAGE, "<pkg>").encode() + b"\0")
    return h.hexdigest()[:24]


def python_digests() -> dict[str, str]:
    cache: dict[int, tuple[Any, str]] = {}  # a helper shared by several decisions is read once
    return {d.name: _digest(python_parts(d.python, cache)) for d in decisions()}


# ---------------------------------------------------------------- C side

_TOKENS = re.compile(r'"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|/\*.*?\*/|//[^\n]*', re.S)
_IDENT = re.compile(r"[A-Za-z_]\w*")


def _uncomment(text: str) -> str:
    return _TOKENS.sub(lambda m: " " if m.group(0)[0] == "/" else m.group(0), text)


def c_items(src: Path = SRC) -> dict[str, str]:
    """Every macro, function, table and type of ``src/`` (but the generated record), as normalised text."""
    items: dict[str, str] = {}

    def add(name: str, text: str) -> None:
        text = " ".join(text.split())
        items[name] = items[name] + "\n" + text if name in items and items[name] != text else text

    for path in sorted(p for p in src.iterdir() if p.suffix in (".c", ".h") and p != src / RECORD.name):
        text = _uncomment(path.read_text(encoding="utf-8"))
        text = re.sub(r"\\\n", " ", text)
        body_lines = []
        for line in text.split("\n"):
            m = re.match(r"\s*#\s*define\s+([A-Za-z_]\w*)", line)
            if m:
                add(m.group(1), line)
            if not line.lstrip().startswith("#"):
                body_lines.append(line)
        _top_level("\n".join(body_lines), add)
    return items


def _top_level(text: str, add) -> None:
    depth, start, i, n = 0, 0, 0, len(text)
    while i < n:
        ch = text[i]
        if ch in "\"'":
            m = _TOKENS.match(text, i)
            i = m.end() if m else i + 1
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                head = text[start:text.index("{", start)]
                if "(" in head and "=" not in head.split("(")[0] and not head.lstrip().startswith(("typedef", "struct", "enum")):
                    name = _IDENT.findall(head.split("(")[0])[-1]
                    add(name, text[start:i + 1])
                    start = i + 1
        elif ch == ";" and depth == 0:
            item = text[start:i + 1]
            start = i + 1
            _declaration(item, add)
        i += 1


def _declaration(item: str, add) -> None:
    stripped = item.strip()
    if "{" not in stripped and "=" not in stripped:
        return  # a prototype or an extern declaration
    if stripped.startswith("typedef") or stripped.startswith(("struct", "enum")) and "=" not in stripped:
        names = _IDENT.findall(stripped.rsplit("}", 1)[-1]) or _IDENT.findall(stripped.split("{")[0])[1:2]
        for name in names or ["<anonymous>"]:
            add(name, stripped)
        if stripped.startswith("enum") or stripped.startswith("typedef enum"):
            for name in _IDENT.findall(stripped.split("{", 1)[-1].rsplit("}", 1)[0]):
                add(name, stripped)
        return
    before = stripped.split("=")[0]
    names = _IDENT.findall(before.split("[")[0])
    if names:
        add(names[-1], stripped)


def c_parts(roots: Iterable[str], items: dict[str, str], stop: Iterable[str] = ()) -> dict[str, str]:
    out: dict[str, str] = {}
    stop = set(stop)
    stack = list(roots)
    while stack:
        name = stack.pop()
        if name in out:
            continue
        text = items.get(name)
        if text is None:
            out[name] = "<missing>"
            continue
        out[name] = text
        stack.extend(x for x in set(_IDENT.findall(text)) if x in items and x != name and x not in stop)
    return out


def c_rule_table(src: Path = SRC) -> dict[str, str]:
    """The rule id → certifier function pairs of ``RULES`` in rules.c."""
    try:
        text = _uncomment((src / "rules.c").read_text(encoding="utf-8"))
    except OSError:
        return {}
    m = re.search(r"RULES\[\]\s*=\s*\{(.*?)\};", text, re.S)
    return dict(re.findall(r'\{\s*"([^"]+)"\s*,\s*([A-Za-z_]\w*)\s*\}', m.group(1))) if m else {}


def c_digests(src: Path = SRC) -> dict[str, str] | None:
    """The C digest of every decision, or ``None`` where the sources are not installed."""
    if not (src / "rules.c").exists():
        return None
    items = c_items(src)
    from .. import rules
    table = c_rule_table(src)
    out = {d.name: _digest(c_parts(d.c, items, d.c_stop)) for d in FIXED}
    for r in rules.all_rules():
        out[f"rule {r.id}"] = _digest(c_parts((table.get(r.id, f"<no certifier for {r.id}>"),), items))
    return out


# ---------------------------------------------------------------- the check

def stale(record: Iterable[tuple[str, str, str]], src: Path | None = SRC) -> dict[str, str]:
    """Decision name → why its C mirror cannot be trusted now: its Python side is not the one recorded with the
    module's C (or the C sources are not the recorded ones). ``record`` is the module's ``MIRROR``."""
    recorded = {name: (py, c) for name, py, c in record}
    out = {}
    live_c = c_digests(src) if src is not None else None
    for name, digest in python_digests().items():
        if name not in recorded:
            out[name] = "not recorded"
        elif recorded[name][0] != digest:
            out[name] = "its Python side changed since the C mirror was recorded"
        elif live_c is not None and live_c.get(name) != recorded[name][1]:
            out[name] = "its C side changed since it was recorded"
    return out


def touching(stale: dict[str, str], rule_ids: Iterable[str]) -> list[str]:
    """The stale decisions that touch a schema with these rules (shape detection touches none: without it,
    only detection stops)."""
    ids = set(rule_ids)
    scope = {d.name: d.scope for d in FIXED}
    return [name for name in stale if scope.get(name) == "all" or (scope.get(name) == "rules" and ids)
            or (name.startswith("rule ") and name[5:] in ids)]


def render(py: dict[str, str], c: dict[str, str]) -> str:
    """The text of ``src/mirror.h``."""
    rows = "\n".join(f'    {{"{name}", "{py[name]}", "{c[name]}"}},' for name in py)
    return ("/* Generated by tools/record_mirror.py: do not edit. For each decision the C fast path mirrors, the digest\n"
            " * of its Python side and of its C side (contracts/fastpath/mirror.py) when both were last checked to agree.\n"
            " * The loader steps the fast path aside for a decision whose live Python digest is not the one here; the\n"
            " * tests fail until this file is recorded again (after checking the C side). */\n"
            "#ifndef CONTRACTS_MIRROR_H\n#define CONTRACTS_MIRROR_H\n"
            "static const char *const MIRROR[][3] = {\n" + rows + "\n};\n#endif\n")
