"""The fake Swedbank Pay Checkout v2 API: statuses, amounts, operations, problems; every body passes check()."""
from __future__ import annotations

import uuid

import pytest

from fakeharness import tx


def _rels(doc):
    return [op["rel"] for op in doc["operations"]]


def _left(doc):
    po = doc["paymentOrder"]
    return po.get("remainingCaptureAmount"), po.get("remainingCancellationAmount"), po.get("remainingReversalAmount")


def test_create_is_201_initialized_with_the_documented_headers(fake):
    a = fake.call("POST", "/psp/paymentorders", {"paymentorder": {
        "operation": "Purchase", "currency": "NOK", "amount": 1500, "vatAmount": 375, "description": "Test Purchase",
        "userAgent": "Mozilla/5.0", "language": "nb-NO", "urls": {"completeUrl": "https://x.example/done"},
        "payeeInfo": {"payeeId": "p1", "payeeReference": "ref42"}}}, headers={"User-Agent": "shop-backend/1.2"})
    doc = fake.judge(a, "swedbankpay/checkout-v2/payment-order", status=(201,))
    assert a.headers["content-type"] == "application/json; charset=utf-8; version=2.0"
    assert a.headers["api-supported-versions"] == "2.0"
    po = doc["paymentOrder"]
    assert (po["status"], po["currency"], po["amount"], po["language"]) == ("Initialized", "NOK", 1500, "nb-NO")
    assert po["initiatingSystemUserAgent"] == "shop-backend/1.2" and po["integration"] == ""
    assert _rels(doc) == ["update-order", "abort", "redirect-checkout"]
    assert all(op["href"].startswith("http://localhost" + po["id"]) for op in doc["operations"])
    assert _left(doc) == (None, None, None)
    page = fake.call("GET", doc["operations"][2]["href"].replace("http://localhost", ""), auth=False)
    assert page.status == 200 and page.headers["content-type"].startswith("text/html")
    assert "payment menu" in page.data.lower()


@pytest.mark.parametrize("instrument, kind", [
    ("CreditCard", "Authorization"), ("ApplePay", "Authorization"), ("MobilePay", "Authorization"),
    ("Vipps", "Authorization"), ("Invoice", "Authorization"), ("CreditAccount", "Authorization"),
    ("Swish", "Sale"), ("Trustly", "Sale")])
def test_paying_with_each_instrument(fake, instrument, kind):
    doc = fake.spp_pay(fake.spp_create(1500, 375), instrument)
    po = doc["paymentOrder"]
    assert (po["status"], po["transactionType"], po["integration"]) == ("Paid", kind, "Redirect")
    if kind == "Sale":
        assert _left(doc) == (0, 0, 1500)
        assert _rels(doc) == ["redirect-checkout", "reversal", "paid-paymentorder"]
    else:
        assert _left(doc) == (1500, 1500, 0)
        assert _rels(doc) == ["redirect-checkout", "cancel", "capture", "paid-paymentorder"]
    paid = fake.spp_get(doc, "/paid")
    assert paid["paymentOrder"] == po["id"] and paid["paid"]["instrument"] == instrument
    assert paid["paid"]["amount"] == 1500 and paid["paid"]["transactionType"] == kind
    expanded = fake.spp_get(doc, "?$expand=paid")
    assert expanded["paymentOrder"]["paid"] == paid["paid"]


def test_capture_part_cancel_rest_reverse_everything(fake):
    doc = fake.spp_pay(fake.spp_create(10000, 2000))
    oid = doc["paymentOrder"]["id"]
    doc = fake.judge(fake.call("POST", f"{oid}/captures", tx(6000, 1200)), "swedbankpay/checkout-v2/payment-order")
    assert _left(doc) == (4000, 4000, 6000) and doc["paymentOrder"]["status"] == "Paid"
    fake.spp_problem(fake.call("POST", f"{oid}/captures", tx(4001)), 400, "inputerror")
    doc = fake.judge(fake.call("POST", f"{oid}/cancellations", tx()), "swedbankpay/checkout-v2/payment-order")
    assert _left(doc) == (0, 0, 6000) and doc["paymentOrder"]["status"] == "Paid"
    assert _rels(doc) == ["redirect-checkout", "reversal", "paid-paymentorder"]
    problem = fake.spp_problem(fake.call("POST", f"{oid}/captures", tx(1)), 403, "forbidden")
    assert "Nothing is left to capture" in problem["detail"]
    fake.spp_problem(fake.call("POST", f"{oid}/cancellations", tx()), 403, "forbidden")
    doc = fake.judge(fake.call("POST", f"{oid}/reversals", tx(2000)), "swedbankpay/checkout-v2/payment-order")
    assert _left(doc) == (0, 0, 4000)
    problem = fake.spp_problem(fake.call("POST", f"{oid}/reversals", tx(4001)), 400, "inputerror")
    assert problem["problems"][0]["name"] == "Transaction.Amount"
    doc = fake.judge(fake.call("POST", f"{oid}/reversals", tx(4000)), "swedbankpay/checkout-v2/payment-order")
    assert doc["paymentOrder"]["status"] == "Reversed" and _left(doc) == (0, 0, 0)
    assert _rels(doc) == ["paid-paymentorder"]
    assert doc["paymentOrder"]["reversed"] == {"id": f"{oid}/reversed"}
    fake.spp_problem(fake.call("POST", f"{oid}/reversals", tx(1)), 403, "forbidden")


def test_partial_reversal_with_capture_left_stays_paid(fake):
    doc = fake.spp_pay(fake.spp_create(1000, 0))
    oid = doc["paymentOrder"]["id"]
    fake.judge(fake.call("POST", f"{oid}/captures", tx(400)), "swedbankpay/checkout-v2/payment-order")
    doc = fake.judge(fake.call("POST", f"{oid}/reversals", tx(400)), "swedbankpay/checkout-v2/payment-order")
    assert doc["paymentOrder"]["status"] == "Paid" and _left(doc) == (600, 600, 0)
    assert _rels(doc) == ["redirect-checkout", "cancel", "capture", "paid-paymentorder"]


def test_cancel_everything_uncaptured_is_cancelled(fake):
    doc = fake.spp_pay(fake.spp_create(5000, 1000))
    oid = doc["paymentOrder"]["id"]
    # a cancellation cancels the whole remaining authorization: a part amount is refused
    fake.spp_problem(fake.call("POST", f"{oid}/cancellations", tx(2000)), 400, "inputerror")
    doc = fake.judge(fake.call("POST", f"{oid}/cancellations", tx(5000)), "swedbankpay/checkout-v2/payment-order")
    assert doc["paymentOrder"]["status"] == "Cancelled" and _left(doc) == (0, 0, 0)
    assert _rels(doc) == ["paid-paymentorder"]
    fake.spp_get(doc, "/paid")  # a cancelled order keeps its paid resource
    fake.spp_problem(fake.call("POST", f"{oid}/reversals", tx(1)), 403, "forbidden")


def test_abort_and_payer_outcomes(fake):
    doc = fake.spp_create()
    oid = doc["paymentOrder"]["id"]
    fake.spp_problem(fake.call("POST", f"{oid}/captures", tx(100)), 403, "forbidden")
    fake.spp_problem(fake.call("GET", f"{oid}/paid"), 404, "notfound")
    abort = {"paymentorder": {"operation": "Abort", "abortReason": "CancelledByConsumer"}}
    doc = fake.judge(fake.call("PATCH", oid, abort), "swedbankpay/checkout-v2/payment-order")
    assert doc["paymentOrder"]["status"] == "Aborted" and _rels(doc) == ["redirect-checkout"]
    fake.spp_problem(fake.call("PATCH", oid, abort), 403, "forbidden")
    failed = fake.spp_pay(fake.spp_create(), outcome="failed")
    assert failed["paymentOrder"]["status"] == "Failed" and _rels(failed) == ["redirect-checkout"]
    gone = fake.spp_pay(fake.spp_create(), outcome="aborted")
    assert gone["paymentOrder"]["status"] == "Aborted"
    guid = gone["paymentOrder"]["id"].rsplit("/", 1)[1]
    fake.spp_problem(fake.call("POST", f"/_fake/swedbankpay/paymentorders/{guid}/pay", {}, auth=False), 403, "forbidden")


def test_update_order_changes_the_amount_while_initialized(fake):
    doc = fake.spp_create(1000, 200)
    oid = doc["paymentOrder"]["id"]
    body = {"paymentorder": {"operation": "UpdateOrder", "amount": 1500, "vatAmount": 300}}
    doc = fake.judge(fake.call("PATCH", oid, body), "swedbankpay/checkout-v2/payment-order")
    assert (doc["paymentOrder"]["amount"], doc["paymentOrder"]["vatAmount"]) == (1500, 300)
    bad = {"paymentorder": {"operation": "UpdateOrder", "amount": 100, "vatAmount": 300}}
    fake.spp_problem(fake.call("PATCH", oid, bad), 400, "inputerror")
    fake.spp_pay(doc)
    fake.spp_problem(fake.call("PATCH", oid, body), 403, "forbidden")


def test_instrument_mode_offers_one_instrument(fake):
    doc = fake.spp_create(instrument="Swish")
    assert doc["paymentOrder"]["instrumentMode"] is True and doc["paymentOrder"]["availableInstruments"] == ["Swish"]
    guid = doc["paymentOrder"]["id"].rsplit("/", 1)[1]
    a = fake.call("POST", f"/_fake/swedbankpay/paymentorders/{guid}/pay", {"instrument": "CreditCard"}, auth=False)
    fake.spp_problem(a, 400, "inputerror")
    assert fake.spp_pay(doc, "Swish")["paymentOrder"]["transactionType"] == "Sale"


@pytest.mark.parametrize("change, field", [
    ({"amount": 0}, "PaymentOrder.Amount"),
    ({"vatAmount": 99999}, "PaymentOrder.VatAmount"),
    ({"currency": "USD"}, "PaymentOrder.Currency"),
    ({"language": "xx-XX"}, "PaymentOrder.Language"),
    ({"description": "x" * 41}, "PaymentOrder.Description"),
    ({"operation": "Verify"}, "PaymentOrder.Operation"),
    ({"payeeInfo": {"payeeId": "p", "payeeReference": "has space"}}, "PaymentOrder.PayeeInfo.PayeeReference"),
])
def test_invalid_create_is_an_inputerror_naming_the_field(fake, change, field):
    po = {"operation": "Purchase", "currency": "SEK", "amount": 100, "vatAmount": 0, "description": "d",
          "userAgent": "ua", "language": "sv-SE", "urls": {"completeUrl": "https://x/y"},
          "payeeInfo": {"payeeId": "p", "payeeReference": "r"}}
    po.update(change)
    problem = fake.spp_problem(fake.call("POST", "/psp/paymentorders", {"paymentorder": po}), 400, "inputerror")
    assert [p["name"] for p in problem["problems"]] == [field]


def test_unauthenticated_unknown_and_malformed(fake):
    oid = f"/psp/paymentorders/{uuid.uuid4()}"
    fake.spp_problem(fake.call("GET", oid, auth=False), 401, "unauthorized")
    fake.spp_problem(fake.call("GET", oid), 404, "notfound")
    fake.spp_problem(fake.call("GET", "/psp/paymentorders/not-a-guid"), 404, "notfound")
    fake.spp_problem(fake.call("DELETE", oid), 405, "methodnotallowed")
    r = fake.client.post("/psp/paymentorders", data=b"[1,", headers={"Authorization": "Bearer t"})
    assert r.status_code == 400 and r.mimetype == "application/problem+json"
    doc = fake.spp_pay(fake.spp_create())
    fake.spp_problem(fake.call("POST", doc["paymentOrder"]["id"] + "/captures", {"transaction": {"amount": 5}}),
                     400, "inputerror")
