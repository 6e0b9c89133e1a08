"""Helpers of the fast-path tests."""
from __future__ import annotations

from checkout_contracts import check


def findings(instance, schema, *, rules_on=True) -> list[tuple[str, str]]:
    """What the full pipeline says of a payload: every finding, errors and warnings alike."""
    return [(f.path, f.code) for f in check(instance, schema, rules_on=rules_on).findings]
