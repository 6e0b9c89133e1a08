"""Generated payloads for the Paiwise Checkout API and Swedbank Pay Checkout v2: valid, edge, broken in one
labelled way, and whole lifecycles — as Hypothesis strategies and, through the same builders, as fixture files
(``checkout-contracts generate``).

Hypothesis strategies (importing them imports Hypothesis)::

    from checkout_contracts.strategies import for_schema, paiwise_checkout, swedbankpay_payment_order, mutants

    @given(swedbankpay_payment_order(status="Paid", instrument="CreditCard"))
    def test_capture_button(order): ...

The pure parts import nothing heavy and are shared with the fake provider server:
:mod:`.values` (ids, test cards, timestamps), :mod:`checkout_contracts.lifecycles` (state machines, operations table),
:mod:`.swedbankpay` / :mod:`.paiwise` (snapshots of a profile in a state), :mod:`.lifecycle`, :mod:`.mutation`,
:mod:`.edge`, :mod:`.coverage`, :mod:`.draw` (``RandomDraw(seed)`` drives any builder deterministically).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers see: the real signatures (at run time, loaded on first use below)
    from .catalog import build
    from .coverage import Coverage, measure
    from .draw import RandomDraw
    from .hyp import (KINDS, HypothesisDraw, edge_cases, for_schema, mutants, paiwise_checkout, paiwise_customer,
                      paiwise_lifecycle, paiwise_request, swedbankpay_headers, swedbankpay_lifecycle,
                      swedbankpay_operation, swedbankpay_paid, swedbankpay_paid_resource,
                      swedbankpay_payment_order, swedbankpay_payment_order_state, swedbankpay_problem,
                      swedbankpay_token)
    from .lifecycle import Lifecycle, Step, lifecycle_for
    from ..lifecycles import PAIWISE_TRANSITIONS, SWEDBANKPAY_STATE_TRANSITIONS, SWEDBANKPAY_TRANSITIONS, legal_step
    from .mutation import Mutant, mutate, mutate_kind

_HYPOTHESIS = ("for_schema", "paiwise_checkout", "paiwise_customer", "paiwise_request", "swedbankpay_payment_order",
               "swedbankpay_payment_order_state", "swedbankpay_paid", "swedbankpay_paid_resource",
               "swedbankpay_problem", "swedbankpay_operation", "swedbankpay_token", "swedbankpay_headers",
               "edge_cases", "mutants", "paiwise_lifecycle", "swedbankpay_lifecycle", "HypothesisDraw", "KINDS")
_PURE = {
    "Mutant": ".mutation", "mutate": ".mutation", "mutate_kind": ".mutation",
    "Lifecycle": ".lifecycle", "Step": ".lifecycle", "lifecycle_for": ".lifecycle",
    "PAIWISE_TRANSITIONS": "..lifecycles", "SWEDBANKPAY_TRANSITIONS": "..lifecycles", "SWEDBANKPAY_STATE_TRANSITIONS": "..lifecycles",
    "legal_step": "..lifecycles", "build": ".catalog", "RandomDraw": ".draw", "Coverage": ".coverage", "measure": ".coverage",
}

__all__ = list(_HYPOTHESIS) + list(_PURE)


def __getattr__(name: str) -> Any:
    """Load Hypothesis only when a strategy is asked for: ``checkout_contracts.strategies.values`` stays light."""
    import importlib
    if name in _HYPOTHESIS:
        return getattr(importlib.import_module(".hyp", __name__), name)
    if name in _PURE:
        return getattr(importlib.import_module(_PURE[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
