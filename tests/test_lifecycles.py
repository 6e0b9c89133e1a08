"""The lifecycle tables (checkout_contracts.lifecycles): one home for the state machines and the operation families that
the generators, the fake provider and the live scenarios share."""
from __future__ import annotations

from checkout_contracts import lifecycles
from checkout_contracts.live import swedbankpay as live_spp


def test_families_are_read_from_the_operations_table():
    for rel in ("capture", "create-paymentorder-capture", "create-capture", "cancel", "create-cancellation",
                "reversal", "create-paymentorder-reversal"):
        assert rel in lifecycles.FINANCIAL, rel
    for rel in ("abort", "update-order", "update-paymentorder-abort", "update-paymentorder-updateorder"):
        assert rel in lifecycles.PAYMENT_UI, rel
    assert not lifecycles.FINANCIAL & lifecycles.PAYMENT_UI
    assert lifecycles.rels_of("capture") == {r for r, op in lifecycles.OPERATIONS.items() if op.suffix == "/captures"}


def test_live_scenarios_judge_with_the_same_families():
    assert live_spp.FINANCIAL is lifecycles.FINANCIAL and live_spp.PAYMENT_UI is lifecycles.PAYMENT_UI


def test_nothing_financial_is_offered_once_cancelled_or_aborted():
    state = lifecycles.spp_apply(lifecycles.SppState(1000, updated=(0, 0)), "pay", (1, 0))
    cancelled = lifecycles.spp_apply(state, "cancel", (2, 0))
    assert not set(lifecycles.offered_rels(cancelled)) & (lifecycles.FINANCIAL | lifecycles.PAYMENT_UI)
    aborted = lifecycles.spp_apply(lifecycles.SppState(1000, updated=(0, 0)), "abort", (1, 0))
    assert not set(lifecycles.offered_rels(aborted)) & (lifecycles.FINANCIAL | lifecycles.PAYMENT_UI)
