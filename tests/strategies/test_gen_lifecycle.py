"""Lifecycles: every snapshot valid with no finding, every step a transition of the table, amounts and logs
that only move the way the state machine says."""
from __future__ import annotations

import random

import pytest
from hypothesis import given, settings

from checkout_contracts import check, registry
from checkout_contracts.strategies import (PAIWISE_TRANSITIONS, SWEDBANKPAY_TRANSITIONS, for_schema, legal_step,
                                  paiwise_lifecycle, swedbankpay_lifecycle)
from checkout_contracts.strategies.draw import RandomDraw
from checkout_contracts.strategies.lifecycle import PAIWISE_PATHS, SPP_PATHS, lifecycle_for
from checkout_contracts import lifecycles as machine
from checkout_contracts.lifecycles import IllegalStep, PaiwiseState, SppState

LIFE = settings(max_examples=40, database=None, derandomize=True, deadline=None)


def _clean(doc, name):
    result = check(doc, name)
    assert not result.findings, result.explain()


def _steps_legal(provider, life):
    assert life.steps[0].event == "create"
    for before, after in zip(life.steps, life.steps[1:]):
        assert legal_step(provider, before.status, after.status, after.event), (before.status, after.event, after.status)


@LIFE
@given(paiwise_lifecycle())
def test_paiwise_lifecycle(life):
    assert life.steps[0].status == "created"
    _steps_legal("paiwise", life)
    previous = None
    for doc in life:
        _clean(doc, "paiwise/checkout")
        if previous is not None:
            assert doc["checkout_id"] == previous["checkout_id"] and doc["amount"] == previous["amount"]
            old, new = list(previous["log"].items()), list(doc["log"].items())
            assert new[:len(old)] == old and len(new) == len(old) + 1      # the log only grows, by one entry
            assert doc["balance"] <= previous["balance"]
            assert doc["statusChanged"] > previous["statusChanged"]
        previous = doc


@LIFE
@given(swedbankpay_lifecycle())
def test_swedbankpay_lifecycle(life):
    assert life.steps[0].status == "Initialized"
    _steps_legal("swedbankpay", life)
    previous = None
    for doc in life:
        _clean(doc, "swedbankpay/checkout-v2/payment-order")
        order = doc["paymentOrder"]
        if previous is not None:
            before = previous["paymentOrder"]
            assert order["id"] == before["id"] and order["created"] == before["created"]
            assert order["updated"] >= before["updated"]
            for key in ("remainingCaptureAmount", "remainingCancellationAmount", "remainingReversalAmount"):
                if key in before and key in order and key != "remainingReversalAmount":
                    assert order[key] <= before[key], key       # what is left to capture / cancel only shrinks
            for op in doc["operations"]:
                assert op["href"].split("/psp/paymentorders/")[1].startswith(order["id"].rsplit("/", 1)[1])
        previous = doc


@pytest.mark.parametrize("path", sorted(PAIWISE_PATHS))
def test_every_paiwise_route(path):
    final, _ = PAIWISE_PATHS[path]
    for seed in range(3):
        life = paiwise_lifecycle_plain(path, seed)
        assert life.steps[-1].status == final
        _steps_legal("paiwise", life)
        for doc in life:
            _clean(doc, "paiwise/checkout")
    if path == "refund-in-pieces":
        actions = [e["action"] for e in life[-1]["log"].values()]
        assert actions[-2:] == ["partialRefund", "partialRefund"] and life[-1]["balance"] == 0


def paiwise_lifecycle_plain(path, seed):
    from checkout_contracts.strategies.lifecycle import paiwise_lifecycle as plain
    return plain(RandomDraw(random.Random(seed)), path=path)[0]


@pytest.mark.parametrize("path", sorted(SPP_PATHS))
def test_every_swedbankpay_route(path):
    from checkout_contracts.strategies.lifecycle import swedbankpay_lifecycle as plain
    final, events = SPP_PATHS[path]
    for seed in range(3):
        life = plain(RandomDraw(random.Random(seed)), path=path)[0]
        assert life.steps[-1].status == final and len(life) == len(events) + 1
        _steps_legal("swedbankpay", life)
        for doc in life:
            _clean(doc, "swedbankpay/checkout-v2/payment-order")
        last = life[-1]["paymentOrder"]
        if final == "Reversed" and "remainingReversalAmount" in last:
            assert last["remainingReversalAmount"] == 0


@pytest.mark.parametrize("name", registry.names())
def test_lifecycle_of_every_schema(name):
    @settings(max_examples=6, database=None, derandomize=True, deadline=None)
    @given(for_schema(name, "lifecycle"))
    def prop(life):
        assert len(life) >= 1
        for doc in life:
            _clean(doc, name)
    prop()


def test_tables_are_data_and_reach_every_status():
    assert machine.reachable("paiwise") == set(machine.PAIWISE_STATUSES)
    assert machine.reachable("swedbankpay") == set(machine.SPP_STATUSES)
    assert all(len(t) == 4 and t.source for t in PAIWISE_TRANSITIONS + SWEDBANKPAY_TRANSITIONS)
    assert legal_step("paiwise", "created", "paid") and legal_step("paiwise", "reserved", "reserve released")
    assert not legal_step("paiwise", "refunded", "paid") and not legal_step("paiwise", "created", "refunded")
    assert legal_step("swedbankpay", {"paymentOrder": {"status": "Paid"}}, {"paymentOrder": {"status": "Reversed"}})
    assert not legal_step("swedbankpay", "Cancelled", "Paid") and not legal_step("swedbankpay", "Paid", "Initialized")


def test_machines_refuse_illegal_events():
    s = machine.paiwise_start(1000, True, 100)
    with pytest.raises(IllegalStep):
        machine.paiwise_apply(s, "capture", 200)                 # nothing reserved
    with pytest.raises(IllegalStep):
        machine.paiwise_apply(s, "reserve", 200)                 # capture true pays at once
    paid = machine.paiwise_apply(s, "pay", 200)
    with pytest.raises(IllegalStep):
        machine.paiwise_apply(paid, "refund", 300, amount=1001)  # more than the balance
    with pytest.raises(IllegalStep):
        machine.paiwise_apply(paid, "refund", 150)               # log time goes back
    part = machine.paiwise_apply(paid, "refund", 300, amount=400)
    assert (part.status, part.balance) == ("partialRefund", 600)
    done = machine.paiwise_apply(part, "refund", 400)
    assert (done.status, done.balance, done.log[-1].action) == ("refunded", 0, "partialRefund")

    o = SppState(1500, "Authorization", updated=(0, 0))
    with pytest.raises(IllegalStep):
        machine.spp_apply(o, "capture", (1, 0))                   # not paid yet
    o = machine.spp_apply(o, "pay", (1, 0))
    with pytest.raises(IllegalStep):
        machine.spp_apply(o, "capture", (2, 0), 1501)
    o = machine.spp_apply(o, "capture", (2, 0), 1000)
    o = machine.spp_apply(o, "cancel", (3, 0))
    assert (o.status, o.remaining_capture, o.remaining_cancellation, o.remaining_reversal) == ("Paid", 0, 0, 1000)
    assert machine.offered_rels(o, ("capture", "cancel", "reversal")) == ["reversal"]
    o = machine.spp_apply(o, "reversal", (4, 0))
    assert o.status == "Reversed"
    sale = machine.spp_apply(SppState(500, "Sale", updated=(0, 0)), "pay", (1, 0))
    assert sale.remaining_capture == 0 and machine.offered_rels(sale, ("capture", "reversal")) == ["reversal"]
    assert isinstance(PaiwiseState(1, True).balance, int)


def test_projections_follow_one_order():
    life = lifecycle_for("paiwise/requests/refund", RandomDraw(random.Random(5)))
    amounts = [doc.get("amount") for doc in life]
    assert len({doc["checkout_id"] for doc in life}) == 1 and len(amounts) >= 2
