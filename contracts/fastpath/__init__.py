"""The compiled fast path of bulk validation: certify plain JSON Lines records in C, judge the rest in Python.

A *plain* record is well-formed JSON with no duplicate key, no card number, valid under its schema and quiet
under every cross-field rule: the verdict almost every captured payload gets. the C module (``src/``) certifies such
records in one pass over their bytes (no Python objects); anything it is not sure of — a finding, an
escape it does not decode, a pattern it does not compile — goes through the full pipeline, which writes
the findings. A gap in the fast path costs speed, never a verdict (tests/fastpath/).

A schema gets the fast path only when every keyword it uses compiles and the C certifiers (one a rule) cover
exactly the rules registered for it; a new rule in ``rules/`` switches its schemas back to the full pipeline
until a certifier is written. Every decision the C mirrors is held to its Python side by a recorded digest of
both (:mod:`.mirror`): one changed on one side only switches the fast path off for the schemas it touches.
``CHECKOUT_CONTRACTS_FASTPATH=0`` switches it off; without a C compiler at install time there is none (the same
verdicts, slower).
"""
from __future__ import annotations

import functools
import os

from .. import registry, rules, shape

__all__ = ["FastPath", "get", "status"]

# shape codes (S_* in src/fast.h), in order
_SHAPES = shape.RESPONSE_SCHEMAS
MAX_DEPTH = 128  # deeper documents go to the full pipeline


class FastPath:
    """The compiled program for every schema that can have one."""

    def __init__(self, module, cache: str | None = None) -> None:
        self._c = module
        tables = _load(cache, module)
        if tables is not None:
            try:
                self._build(tables)
                return
            except Exception:  # tables the module refuses: made anew below
                pass
        tables = _compile(module)
        self._build(tables)
        _store(cache, module, tables)

    def _build(self, tables: tuple) -> None:
        names, self.skipped, nodes, dfas, roots, rule_lists, self.dfa_index, detect = tables
        self.names: list[str] = list(names)
        self.index = {name: i for i, name in enumerate(self.names)}
        shapes = tuple(self.index.get(name, -1) if detect else -1 for name in _SHAPES)
        shapes = (shapes + (-1,) * 6)[:6]  # the C module knows six shape codes (S_* in src/fast.h)
        self.prog = self._c.build(nodes, dfas, roots, rule_lists, shapes, _constants())

    def certify(self, data: bytes, schema: str | None = None, *, rules_on: bool = True,
                max_depth: int = 256) -> str | int:
        """The schema name a record is certified plain under, or why it is not: -1 parse (or card-like text,
        duplicate key, size), -2 shape, -3 schema, -4 rules."""
        index = -1 if schema is None else self.index.get(schema)
        if index is None:
            return -3
        result = self._c.certify(self.prog, data, index, int(rules_on), min(max_depth, MAX_DEPTH))
        return self.names[result] if result >= 0 else result

    def certify_block(self, data: bytes, first: int, bom: bool, schema: str | None, rules_on: bool, max_depth: int):
        """``(numbers, schema_indexes, slow, newlines)`` for a block of JSON Lines (see ``src/module.c``), or ``None``
        when the named schema has no fast path."""
        index = -1 if schema is None else self.index.get(schema)
        if index is None:
            return None
        return self._c.certify_block(self.prog, data, first, int(bom), index, int(rules_on), min(max_depth, MAX_DEPTH))


def _compile(module) -> tuple:
    """``(names, skipped, nodes, dfas, roots, rule_lists, dfa_index, detect)``: what ``build`` needs, as plain
    data. A schema whose rules lack a certifier, or touched by a mirrored decision whose two sides are not the
    recorded pair (:func:`.mirror.stale`), is left out; ``detect`` is false when shape detection is such a one."""
    from . import mirror
    from .program import Program
    try:
        stale = mirror.stale(module.MIRROR)
    except Exception as exc:  # sources that cannot be read (a zipped install): nothing is known to agree
        stale = {d.name: f"its sources cannot be read ({type(exc).__name__})" for d in mirror.FIXED}
    prog = Program()
    names: list[str] = []
    skipped: dict[str, str] = {}  # schema → why it has no fast path
    rule_lists: list[tuple] = []
    certifier = {rule_id: i for i, rule_id in enumerate(module.RULES)}
    for name in registry.names():
        table = rules.for_schema(name)
        missing = sorted(r.id for r in table if r.id not in certifier)
        if missing:
            skipped[name] = f"rules without a certifier: {', '.join(missing)}"
            continue
        unsure = mirror.touching(stale, [r.id for r in table])
        if unsure:
            skipped[name] = "the C mirror is not the recorded one for: " + ", ".join(
                f"{d} ({stale[d]})" for d in unsure) + " — check the C side, then run tools/record_mirror.py"
            continue
        if not prog.add_schema(name):
            skipped[name] = prog.unsupported[name]
            continue
        names.append(name)
        # the View's schema, as far as a rule asks (spp-subresource-under-order: is it the paid resource?)
        rule_lists.append((int(name == shape.SPP_PAID), tuple(certifier[r.id] for r in table)))
    nodes, root_of = prog.tables()
    return (tuple(names), skipped, nodes, tuple(prog.dfas), tuple(root_of[name] for name in names), tuple(rule_lists),
            dict(prog._dfa_index), "shape detection" not in stale)


# ---------------------------------------------------------------- the compiled tables, cached between runs
# Compiling the patterns takes ~40 ms, a good part of a short run's start-up; the tables are kept in the user's
# cache folder (marshal: plain data only) under a key made of everything they are made from, behind a SHA-256
# of their bytes: a damaged file is compiled anew, never read.

def _cache_path(cache: str | None, module) -> str | None:
    import hashlib
    from pathlib import Path
    folder = cache or os.environ.get("CHECKOUT_CONTRACTS_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "checkout-contracts")
    if folder == "0":
        return None
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    # every schema, and every source the tables or the mirror check depend on (the whole package: a rule's
    # helper may live anywhere in it)
    sources = sorted(registry.schema_dir().rglob("*.json")) + sorted(here.parent.rglob("*.py")) + sorted((here / "src").glob("*.[ch]"))
    for part in sources:
        digest.update(os.path.relpath(part, here.parent.parent).encode() + b"\0" + part.read_bytes())
    digest.update(repr((module.RULES, module.MIRROR, _constants(),
                        [(n, sorted(r.id for r in rules.for_schema(n))) for n in registry.names()])).encode())
    return os.path.join(folder, f"fastpath-{digest.hexdigest()[:32]}.marshal")


def _load(cache: str | None, module) -> tuple | None:
    import marshal
    try:
        path = _cache_path(cache, module)
        if path is None or not os.path.exists(path):
            return None
        import hashlib
        with open(path, "rb") as fh:
            digest, payload = fh.read(32), fh.read()
        if hashlib.sha256(payload).digest() != digest:
            return None
        tables = marshal.loads(payload)
        return tables if type(tables) is tuple and len(tables) == 8 else None
    except Exception:  # unreadable, truncated, from another Python: compile instead
        return None


def _store(cache: str | None, module, tables: tuple) -> None:
    import marshal
    import tempfile
    try:
        path = _cache_path(cache, module)
        if path is None:
            return
        os.makedirs(os.path.dirname(path), exist_ok=True)
        import hashlib
        payload = marshal.dumps(tables)
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".fastpath-")
        with os.fdopen(fd, "wb") as fh:
            fh.write(hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, path)
    except Exception:  # a read-only home: no cache, same speed as before
        pass


def _constants() -> tuple:
    """The rules' constants, handed to the C certifiers from the one place each is written (the rule modules'
    public names; the capture rels come from the schema, operation.json ``$defs/captureRel``)."""
    from ..rules import paiwise, swedbankpay as spp

    def b(items) -> tuple[bytes, ...]:
        return tuple(sorted(s.encode() for s in items))
    return (b(spp.CAPTURE_RELS), tuple(s.encode() for s in spp.SUBRESOURCES), b(spp.TOKEN_TYPE_SPELLINGS),
            b(paiwise.DOCUMENTED_REASONS))


def status() -> str:
    """One line for ``checkout-contracts --version``: is the C module built, and is it on? (Finds the module without
    loading it or compiling the tables.)"""
    import importlib.util
    if importlib.util.find_spec("._fast", __name__) is None:
        return ("C fast path: not built (no C compiler at install time?) - the same verdicts, bulk validation "
                "about 5x slower; reinstall with a C compiler")
    if os.environ.get("CHECKOUT_CONTRACTS_FASTPATH", "1") == "0":
        return "C fast path: built, switched off by CHECKOUT_CONTRACTS_FASTPATH=0"
    return "C fast path: built"


@functools.lru_cache(maxsize=1)
def get() -> FastPath | None:
    """The fast path, or ``None`` when it is switched off or was not compiled."""
    if os.environ.get("CHECKOUT_CONTRACTS_FASTPATH", "1") == "0":
        return None
    try:
        from . import _fast
    except ImportError:
        return None
    return FastPath(_fast)
