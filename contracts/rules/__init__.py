"""Cross-field rules: what a JSON Schema cannot say, as a table of named rules.

A check stays a rule only where the schema language cannot state it: a comparison of two values (vatAmount ≤
amount, updated ≥ created, bin = maskedPan[:6]), a sum (the refunds), the HTTP status, or a warning (a schema
violation is always an error). What JSON Schema can state lives in the schema files (the expiry month, a
card-like token name masked, the operations that fit the status and the remaining amounts).

Each rule has an id, the schemas it applies to, what it checks, the doc sentence or example it rests on
and a severity: ``error`` where the docs state it, ``warning`` where it is inferred from examples. The
table is the single source: the README's rule list is rendered from it (``tools/render_docs.py``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterable, NamedTuple

from ..findings import ERROR, WARNING, Finding
from ..redact import scrub

Check = Callable[[Any, "Context"], Iterable[tuple[str, str]]]
Prepare = Callable[[Any, str], Any]


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    provider: str
    schemas: tuple[str, ...]
    checks: str
    source: str
    severity: str
    fn: Check
    safe: bool = False  # its messages quote only constants or redacted values: no scrubbing needed


class Context(NamedTuple):
    schema: str
    strict: bool = False
    http: Any = None  # checkout_contracts.inputs.HttpContext or anything with status / headers


TABLE: list[Rule] = []


def rule(id: str, provider: str, schemas: Iterable[str], checks: str, source: str, severity: str, *,
         safe: bool = False):
    """Register the decorated ``fn(view, ctx) -> list of (path, message)`` as a rule. ``view`` is what the
    provider's ``prepare(doc, schema)`` computed once per payload (the order, the paid resource, …)."""
    assert severity in (ERROR, WARNING)

    def register(fn: Check) -> Check:
        TABLE.append(Rule(id, provider, tuple(schemas), checks, source, severity, fn, safe))
        return fn
    return register


PREPARE: dict[str, Prepare] = {}


def integer(v: Any) -> int | None:
    """``v`` as the integer the schemas take it for, else ``None``: an int (not a bool), or an integer-valued float
    (``2789500.0``: JSON Schema 2020-12 counts it as an integer, so every rule must judge it like ``2789500``)."""
    if type(v) is int:
        return v
    if type(v) is float and v.is_integer():
        return int(v)
    return None


_LOADED: list[bool] = []


def _load() -> None:
    """Register every provider's rules once. (Not "when TABLE is empty": importing one provider's module directly,
    as the fast path does for its constants, fills TABLE with that provider's rules only.)"""
    if not _LOADED:
        from . import paiwise, swedbankpay, swedbankpay_v3  # noqa: F401  (registers the rules)
        _LOADED.append(True)


_BY_SCHEMA: dict[str, tuple[Rule, ...]] = {}


def for_schema(name: str) -> tuple[Rule, ...]:
    _load()
    if name not in _BY_SCHEMA:
        _BY_SCHEMA[name] = tuple(r for r in TABLE if name in r.schemas)
    return _BY_SCHEMA[name]


def all_rules() -> list[Rule]:
    _load()
    return list(TABLE)


_PLAN: dict[str, tuple[Prepare | None, tuple[Rule, ...]]] = {}


def run(name: str, instance: Any, ctx: Context, *, had_errors: bool) -> list[Finding]:
    plan = _PLAN.get(name)
    if plan is None:
        table = for_schema(name)
        plan = _PLAN[name] = (PREPARE[table[0].provider] if table else None, table)
    prepare, table = plan
    if prepare is None:
        return []
    out: list[Finding] = []
    try:
        view = prepare(instance, name)
    except Exception:
        return out  # nothing a rule could judge (the schema reports the shape)
    for r in table:
        try:
            hits = r.fn(view, ctx)
        except Exception as exc:  # a rule must never crash a check
            if not had_errors:  # on a schema-valid payload a crash is our bug: say so, don't hide it
                out.append(Finding("$", "internal-error", ERROR, f"rule {r.id} failed: {type(exc).__name__}"))
            continue
        if hits:
            for path, message in hits:  # a message quoting a payload value never carries a card number or e-mail
                out.append(Finding(path, r.id, r.severity, message if r.safe else scrub(message)))
    return out
