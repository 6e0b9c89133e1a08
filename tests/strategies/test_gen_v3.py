"""Swedbank Pay Checkout v3.1 generators: every route of the v3.1 lifecycle is legal and consistent, every status
and instrument can be asked for, and the named strategy works through for_schema."""
from __future__ import annotations

import pytest
from hypothesis import given, settings

from checkout_contracts import check
from checkout_contracts import lifecycles as machine
from checkout_contracts.strategies import for_schema, spp_v3
from checkout_contracts.strategies.catalog import build
from checkout_contracts.strategies.draw import RandomDraw

ORDER = "swedbankpay/checkout-v3/payment-order"


def _order(doc):
    return doc.get("paymentOrder") or doc.get("paymentorder")


@pytest.mark.parametrize("path", sorted(spp_v3.PATHS))
def test_every_v3_route(path):
    for seed in range(5):
        _, steps = spp_v3.order_lifecycle(RandomDraw(f"{path}/{seed}"), path)
        statuses = [status for _, status, _ in steps]
        assert statuses[0] == "Initialized" and statuses[-1] == spp_v3.PATHS[path][-1][1]
        assert all(machine.legal_step("swedbankpay", a, b) for a, b in zip(statuses, statuses[1:]))
        assert len({_order(doc)["id"] for _, _, doc in steps}) == 1   # one order throughout
        for event, status, doc in steps:
            result = check(doc, ORDER)
            assert not result.findings, f"{path} {event}: {result.explain()}"
            assert _order(doc)["status"] == status
        last = _order(steps[-1][2])
        if statuses[-1] == "Reversed":
            assert last["remainingReversalAmount"] == 0 and doc["operations"] == []
        if path == "capture-in-parts":
            assert last["remainingCaptureAmount"] == 0 and "capture" not in {op["rel"] for op in doc["operations"]}


@pytest.mark.parametrize("status", spp_v3.STATUSES)
def test_payment_order_in_each_status(status):
    for seed in range(10):
        doc = build(ORDER, RandomDraw(seed), status=status)
        assert _order(doc)["status"] == status
        assert not check(doc, ORDER).findings


@pytest.mark.parametrize("instrument", spp_v3.INSTRUMENTS)
def test_paid_for_each_instrument(instrument):
    for name in ("swedbankpay/checkout-v3/paid", "swedbankpay/checkout-v3/reversed"):
        doc = build(name, RandomDraw(instrument), instrument=instrument)
        key = name.rsplit("/", 1)[1]
        assert doc[key]["instrument"] == instrument
        assert not check(doc, name).findings


def test_post_purchase_responses_keep_their_statuses():
    for name, allowed in spp_v3.STATUS_OF.items():
        seen = {_order(build(name, RandomDraw(i)))["status"] for i in range(40)}
        assert seen <= set(allowed) and seen, name


@settings(max_examples=15, database=None, derandomize=True, deadline=None)
@given(for_schema(ORDER, "lifecycle"))
def test_lifecycle_strategy(life):
    assert len(life) >= 2
    for doc in life:
        assert check(doc, ORDER).valid
