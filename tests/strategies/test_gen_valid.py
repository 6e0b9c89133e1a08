"""Valid payloads: no finding at all from ``check`` with either engine, realistic values, no card number."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings

from checkout_contracts import check, registry
from checkout_contracts.redact import find_pans, luhn_ok
from checkout_contracts.strategies import (for_schema, paiwise_checkout, paiwise_customer, paiwise_request,
                                  swedbankpay_operation, swedbankpay_paid, swedbankpay_payment_order,
                                  swedbankpay_payment_order_state, swedbankpay_problem)
from checkout_contracts import lifecycles as machine
from checkout_contracts.strategies import swedbankpay as SP

FAST = settings(max_examples=25, database=None, derandomize=True, deadline=None)
ISO7 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$")
MASKED = re.compile(r"^(\d{6})(\*+)(\d{4})$")


def _clean(doc, name):
    for eng in ("rust", "python"):
        result = check(doc, name, engine_name=eng)
        assert not result.findings, f"{eng}: {result.explain()}"


@pytest.mark.parametrize("name", registry.names())
def test_every_schema_valid_with_no_finding_in_both_engines(name, strings):
    @FAST
    @given(for_schema(name))
    def prop(doc):
        _clean(doc, name)
        assert not [s for s in strings(doc) if find_pans(s)], "a full card number in a generated payload"
    prop()


@pytest.mark.parametrize("status", machine.PAIWISE_STATUSES)
def test_paiwise_checkout_in_each_status(status):
    @settings(max_examples=8, database=None, derandomize=True, deadline=None)
    @given(paiwise_checkout(status=status))
    def prop(doc):
        assert doc["status"] == status
        _clean(doc, "paiwise/checkout")
        keys = list(doc["log"])
        assert keys == sorted(keys) and len(set(keys)) == len(keys)
        assert doc["log"][keys[0]]["action"] == "created" and doc["statusChanged"] == keys[-1]
        refunds = sum(e.get("details", {}).get("amountRefund", 0) for e in doc["log"].values())
        assert doc["balance"] == doc["amount"] - refunds
        if status == "refunded":
            assert doc["balance"] == 0
        if status == "partialRefund":
            assert 0 < doc["balance"] < doc["amount"]
        assert re.fullmatch(r"[0-9a-f]{30}", doc["checkout_id"])
    prop()


@settings(max_examples=30, database=None, derandomize=True, deadline=None)
@given(paiwise_checkout(with_customer=True), paiwise_customer())
def test_paiwise_customer_values(checkout, customer):
    for cust in (checkout["customer"], customer):
        if isinstance(cust, list):
            continue
        assert re.fullmatch(r"[0-9a-f]{32}", cust["customer_id"])
        assert cust["email"].endswith("@example.com")
        for card in cust["savedCards"]:
            month = int(card["expires"].split("/")[0])
            assert 1 <= month <= 12
    used = checkout.get("usedCard")
    saved = checkout["customer"].get("savedCards") if isinstance(checkout["customer"], dict) else None
    if isinstance(used, dict) and saved:
        assert used["card_id"] in {c["card_id"] for c in saved}


@pytest.mark.parametrize("status", machine.SPP_STATUSES)
def test_payment_order_in_each_status(status):
    @settings(max_examples=10, database=None, derandomize=True, deadline=None)
    @given(swedbankpay_payment_order(status=status))
    def prop(doc):
        order = doc["paymentOrder"]
        assert order["status"] == status
        _clean(doc, "swedbankpay/checkout-v2/payment-order")
        assert ISO7.match(order["created"]) and ISO7.match(order["updated"]) and order["updated"] >= order["created"]
        for key, value in order.items():
            if isinstance(value, dict) and "id" in value:
                assert value["id"].startswith(order["id"] + "/"), key
        for op in doc["operations"]:
            assert order["id"] in op["href"]
            assert op["rel"] not in _banned(status)
        for key in ("vatAmount", "remainingCaptureAmount", "remainingCancellationAmount", "remainingReversalAmount"):
            assert order.get(key, 0) <= order["amount"]
    prop()


def _banned(status):
    """The rels the payment-order schema refuses in a status (its root allOf: if status … then not rel …)."""
    from checkout_contracts import registry
    root = registry.get("swedbankpay/checkout-v2/payment-order")
    out = set()
    for branch in root.get("allOf", []):
        cond = branch["if"]["properties"]["paymentOrder"]["properties"]
        if cond.get("status", {}).get("const") == status:
            rel = branch["then"]["properties"]["operations"]["items"]["properties"]["rel"]
            for ref in rel["not"]["anyOf"]:
                out |= set(registry.locate(registry.schema_id("swedbankpay/checkout-v2/operation") + ref["$ref"][len("operation.json"):])["enum"])
    return out


@pytest.mark.parametrize("instrument", SP.INSTRUMENTS)
def test_paid_for_each_instrument(instrument):
    @settings(max_examples=8, database=None, derandomize=True, deadline=None)
    @given(swedbankpay_paid(instrument=instrument))
    def prop(doc):
        paid = doc["paid"]
        assert paid["instrument"] == instrument and paid["id"] == doc["paymentOrder"] + "/paid"
        _clean(doc, "swedbankpay/checkout-v2/paid")
        details = paid["details"]
        if "maskedPan" in details:
            m = MASKED.match(details["maskedPan"])
            assert m and len(m.group(2)) >= 2
            if "bin" in details:
                assert details["bin"] == m.group(1)
        if {"submittedAmount", "feeAmount", "discountAmount"} <= set(paid):
            assert paid["amount"] == paid["submittedAmount"] + paid["feeAmount"] - paid["discountAmount"]
        if instrument in ("Swish", "Trustly"):
            assert paid.get("transactionType", "Sale") == "Sale"
    prop()


@settings(max_examples=20, database=None, derandomize=True, deadline=None)
@given(swedbankpay_payment_order(status="Paid"))
def test_sale_has_nothing_to_capture(doc):
    order = doc["paymentOrder"]
    kinds = {order.get("transactionType"), order.get("paid", {}).get("transactionType")}
    if "Sale" in kinds:
        assert not order.get("remainingCaptureAmount")
        assert not {op["rel"] for op in doc["operations"]} & {"capture", "create-paymentorder-capture", "create-capture"}


@pytest.mark.parametrize("status", SP.PROBLEM_STATUSES)
def test_problem_status(status):
    @settings(max_examples=5, database=None, derandomize=True, deadline=None)
    @given(swedbankpay_problem(status=status))
    def prop(doc):
        assert doc["status"] == status
        _clean(doc, "swedbankpay/checkout-v2/problem")
    prop()


@settings(max_examples=10, database=None, derandomize=True, deadline=None)
@given(swedbankpay_operation(rel="capture"), swedbankpay_payment_order_state(state="Pending"), paiwise_request("refund"))
def test_other_named_strategies(op, state_doc, refund):
    assert op["rel"] == "capture" and op["method"] == "POST"
    key = "paymentorder" if "paymentorder" in state_doc else "paymentOrder"
    assert state_doc[key]["state"] == "Pending"
    _clean(state_doc, "swedbankpay/checkout-v2/payment-order-state")
    _clean(refund, "paiwise/requests/refund")


def test_masked_test_cards_are_luhn_valid_numbers():
    from checkout_contracts.strategies import values as V
    for seed in range(200):
        card, pan = V.test_pan(seed)
        assert luhn_ok(pan) and pan.startswith(card.bin) and len(pan) == card.length
        masked = V.masked_pan(pan)
        assert masked[:6] == pan[:6] and masked[-4:] == pan[-4:] and set(masked[6:-4]) == {"*"}
        assert not find_pans(masked)


def test_unknown_parameters_and_names_fail_early():
    with pytest.raises(TypeError):
        for_schema("swedbankpay/checkout-v2/token", colour="red")
    with pytest.raises(registry.UnknownSchema):
        for_schema("swedbankpay/nope")
    with pytest.raises(ValueError):
        for_schema("swedbankpay/checkout-v2/token", "weird")
    with pytest.raises(ValueError):
        swedbankpay_payment_order(status="Cancelled", instrument="Swish")   # a Sale is never cancelled
