"""checkout-contracts: JSON Schema contracts for the Paiwise Checkout API and Swedbank Pay Checkout v2.

    >>> from contracts import check
    >>> check(payload).verdict            # schema picked from the payload's shape
    >>> check(payload, "paiwise/checkout", strict=True).errors
"""
from __future__ import annotations

from . import registry
from .check import check
from .findings import ERROR, WARNING, Finding, Result
from .registry import UnknownSchema, get as get_schema, names as schema_names

__version__ = "0.1.0"


def validate(instance, schema: str, *, strict: bool = False) -> Result:
    """Validate an instance against a schema by name (schema only, no cross-field rules)."""
    return check(instance, schema, strict=strict, rules_on=False)


__all__ = ["check", "validate", "schema_names", "get_schema", "Result", "Finding", "UnknownSchema", "ERROR",
           "WARNING", "registry", "__version__"]
