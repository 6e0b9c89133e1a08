"""checkout-contracts: JSON Schema contracts for the Paiwise Checkout API and Swedbank Pay Checkout v2.

    >>> from checkout_contracts import check
    >>> check(payload).verdict            # schema picked from the payload's shape
    >>> check(payload, "paiwise/checkout", strict=True).errors

Imports are lazy: the pytest plugin loads this package in every test run of every team, so nothing heavy
(the compiled validators, referencing) is imported until it is used.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_LAZY = {
    "check": (".pipeline", "check"),
    "Result": (".findings", "Result"),
    "Finding": (".findings", "Finding"),
    "ERROR": (".findings", "ERROR"),
    "WARNING": (".findings", "WARNING"),
    "UnknownSchema": (".registry", "UnknownSchema"),
    "get_schema": (".registry", "get"),
    "schema_names": (".registry", "names"),
}

if TYPE_CHECKING:  # pragma: no cover
    from .pipeline import check
    from .findings import ERROR, WARNING, Finding, Result
    from .registry import UnknownSchema
    from .registry import get as get_schema
    from .registry import names as schema_names


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib
        module, attr = _LAZY[name]
        value = getattr(importlib.import_module(module, __name__), attr)
        globals()[name] = value
        return value
    if name == "registry":
        import importlib
        return importlib.import_module(".registry", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def validate(instance: Any, schema: str, *, strict: bool = False):
    """Validate an instance against a schema by name (schema only, no cross-field rules)."""
    from .pipeline import check as _check
    return _check(instance, schema, strict=strict, rules_on=False)


__all__ = ["check", "validate", "schema_names", "get_schema", "Result", "Finding", "UnknownSchema", "ERROR",
           "WARNING", "registry", "__version__"]
