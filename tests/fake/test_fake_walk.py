"""Random walks over both APIs, against a small independent model of the amounts: every answer is either a
documented response that passes check() with no finding, or the provider's error shape; the status moves only
along the generators' state-machine table; the amounts always equal the model's."""
from __future__ import annotations

import random

import pytest

from checkout_contracts.fake.swedbankpay import INSTRUMENTS, SALE_INSTRUMENTS
from checkout_contracts.lifecycles import legal_step
from fakeharness import CHECKOUT, ORDER, pw_create_body, tx

STEPS = 300


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_swedbankpay_walk(fake, seed):
    rng = random.Random(seed)
    orders: list[dict] = []  # model: id, status, amount, sale, captured, cancelled, reversed
    for _ in range(STEPS):
        if not orders or rng.random() < 0.15:
            amount = rng.randint(1, 5000)
            doc = fake.spp_create(amount, rng.randint(0, amount))
            orders.append({"id": doc["paymentOrder"]["id"], "status": "Initialized", "amount": amount, "sale": False,
                           "captured": 0, "cancelled": 0, "reversed": 0})
            continue
        m = rng.choice(orders)
        auth_left = 0 if m["sale"] else m["amount"] - m["captured"] - m["cancelled"]
        rev_left = m["captured"] - m["reversed"]
        op = rng.choice(["pay", "fail", "abort", "capture", "cancel", "reversal", "get"])
        amount = rng.randint(1, max(1, m["amount"] // 2 + 10))
        before = m["status"]
        if op == "get":
            fake.judge(fake.call("GET", m["id"]), ORDER)
            continue
        if op in ("pay", "fail"):
            instrument = rng.choice(INSTRUMENTS)
            guid = m["id"].rsplit("/", 1)[1]
            a = fake.call("POST", f"/_fake/swedbankpay/paymentorders/{guid}/pay",
                          {"instrument": instrument, "outcome": "paid" if op == "pay" else "failed"}, auth=False)
            event, accepted = ("pay" if op == "pay" else "fail"), before == "Initialized"
        elif op == "abort":
            a = fake.call("PATCH", m["id"], {"paymentorder": {"operation": "Abort", "abortReason": "x"}})
            event, accepted = "abort", before == "Initialized"
        elif op == "capture":
            a = fake.call("POST", m["id"] + "/captures", tx(amount))
            event, accepted = "capture", before == "Paid" and 0 < amount <= auth_left
        elif op == "cancel":  # cancels the whole rest: an amount, when sent, must be exactly that
            amount = rng.choice([None, auth_left, amount])
            a = fake.call("POST", m["id"] + "/cancellations", tx(amount))
            event, accepted = "cancel", before == "Paid" and auth_left > 0 and amount in (None, auth_left)
            amount = auth_left
        else:
            a = fake.call("POST", m["id"] + "/reversals", tx(amount))
            event, accepted = "reversal", before == "Paid" and 0 < amount <= rev_left
        if not accepted:
            assert 400 <= a.status < 500, (op, before, a.status, a.data)
            fake.spp_problem(a, a.status, a.data["type"].rsplit("/", 1)[1])
            continue
        doc = fake.judge(a, ORDER)
        after = doc["paymentOrder"]["status"]
        assert legal_step("swedbankpay", before, after, event), (before, event, after)
        if op == "pay":
            m["sale"] = instrument in SALE_INSTRUMENTS
            m["captured"] = m["amount"] if m["sale"] else 0
        elif op == "capture":
            m["captured"] += amount
        elif op == "cancel":
            m["cancelled"] += amount
        elif op == "reversal":
            m["reversed"] += amount
        m["status"] = after
        if after in ("Paid", "Cancelled", "Reversed"):
            cap = 0 if m["sale"] else m["amount"] - m["captured"] - m["cancelled"]
            po = doc["paymentOrder"]
            assert (po["remainingCaptureAmount"], po["remainingCancellationAmount"], po["remainingReversalAmount"]) == \
                   (cap, cap, m["captured"] - m["reversed"])
    assert {m["status"] for m in orders} >= {"Initialized", "Paid"}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_paiwise_walk(fake, seed):
    rng = random.Random(seed)
    checkouts: list[dict] = []
    for _ in range(STEPS):
        if not checkouts or rng.random() < 0.15:
            amount = rng.randint(1, 5000)
            c = fake.pw_ok("create", pw_create_body(amount, capture=rng.random() < 0.6))
            checkouts.append({"id": c["checkout_id"], "status": "created", "amount": amount, "balance": amount,
                              "capture": c["capture"]})
            continue
        m = rng.choice(checkouts)
        ref = {"checkout_id": m["id"]}
        before = m["status"]
        op = rng.choice(["pay", "fail", "cancel", "capture", "refund", "refund-rest", "delete", "update", "retrieve"])
        if op in ("retrieve", "update"):
            body = dict(ref, metaData={"k": str(rng.randint(0, 9))}) if op == "update" else ref
            c = fake.pw_ok(op, body)
            assert c["status"] == before and c["balance"] == m["balance"]
            continue
        amount = None
        if op in ("pay", "fail", "cancel"):
            a = fake.call("POST", f"/_fake/paiwise/checkout/{m['id']}/pay",
                          {"outcome": {"pay": "paid", "fail": "failed", "cancel": "canceled"}[op]}, auth=False)
            event = ("pay" if m["capture"] else "reserve") if op == "pay" else op
            # the payer may authorise a reserved checkout again (the example logs 'reserved' twice)
            accepted = before == "created" or (event == "reserve" and before == "reserved")
        elif op in ("capture", "delete"):
            a = fake.pw(op, ref)
            event, accepted = op, before == ("reserved" if op == "capture" else "created")
        else:
            amount = rng.randint(1, m["amount"]) if op == "refund" else None
            a = fake.pw("refund", dict(ref, amount=amount) if amount else ref)
            event = "refund"
            if before == "reserved":
                accepted = amount is None or amount == m["amount"]
            else:
                accepted = before in ("paid", "partialRefund") and (amount or m["balance"]) <= m["balance"]
        if not accepted:
            assert 400 <= a.status < 500 and set(a.data) == {"name", "message", "code", "status"}, (op, before, a.data)
            continue
        c = fake.judge(a, CHECKOUT)
        assert legal_step("paiwise", before, c["status"], event), (before, event, c["status"])
        if event == "refund":
            m["balance"] -= m["balance"] if amount is None or before == "reserved" else amount
        m["status"] = c["status"]
        assert c["balance"] == m["balance"]
    assert len({m["status"] for m in checkouts}) >= 4
