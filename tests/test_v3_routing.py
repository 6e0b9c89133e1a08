"""Swedbank Pay Checkout v3.1 next to v2: the Content-Type version picks the route, else the payload's shape; the
C fast path's shape detection steps aside for every v3.1 shape instead of calling it v2."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from checkout_contracts import shape
from checkout_contracts.inputs.model import HttpContext
from checkout_contracts.routes import api_version, request_schema_for, schema_for

REPO = Path(__file__).resolve().parent.parent
V3 = REPO / "examples" / "swedbankpay" / "checkout-v3"
ORDER = "/psp/paymentorders/ca59fa8a-3423-40e5-0f77-08d9d133750b"
API = "https://api.externalintegration.payex.com"


def _load(name):
    return json.loads((V3 / f"{name}.json").read_text(encoding="utf-8"))


def _http(method, path, ctype, status=200, body=None):
    return HttpContext(method, API + path, status, {"content-type": ctype}, request_body=body)


@pytest.mark.parametrize("value,major", [
    ("application/json; charset=utf-8; version=3.1", "3"), ("application/json;version=3.x", "3"),
    ("application/json; version=2.0", "2"), ("application/json; charset=utf-8; version=3.x/2.0", None),
    ("application/json; version=3.1,3.0", "3"), ("application/json", None), ("application/problem+json", None)])
def test_the_version_parameter_names_one_major_or_none(value, major):
    assert api_version({"content-type": value}) == major


@pytest.mark.parametrize("method,segment,schema", [
    ("GET", "", "payment-order"), ("PATCH", "", "payment-order"), ("GET", "/paid", "paid"),
    ("GET", "/cancelled", "cancelled"), ("GET", "/reversed", "reversed"), ("GET", "/failed", "failed"),
    ("GET", "/aborted", "aborted"), ("GET", "/history", "history"),
    ("GET", "/financialtransactions", "financial-transactions"), ("GET", "/failedattempts", "failed-attempts"),
    ("GET", "/postpurchasefailedattempts", "post-purchase-failed-attempts"),
    ("GET", "/failedpostpurchaseattempts", "post-purchase-failed-attempts"), ("GET", "/orderitems", "order-items"),
    ("GET", "/orderItems", "order-items"), ("GET", "/urls", "urls"), ("GET", "/payeeinfo", "payee-info"),
    ("GET", "/payeeInfo", "payee-info"), ("GET", "/payers", "payer"), ("GET", "/metadata", "metadata"),
    ("POST", "/captures", "capture-response"), ("POST", "/cancellations", "cancel-response"),
    ("POST", "/reversals", "reversal-response")])
def test_version_3_routes_every_v3_endpoint(method, segment, schema):
    http = _http(method, ORDER + segment, "application/json; charset=utf-8; version=3.1")
    assert schema_for(http) == f"swedbankpay/checkout-v3/{schema}"


def test_version_3_create_problem_and_token_endpoints():
    assert schema_for(_http("POST", "/psp/paymentorders", "application/json;version=3.1")) == "swedbankpay/checkout-v3/payment-order"
    assert schema_for(_http("POST", "/psp/paymentorders", "application/json;version=3.1", 400)) == "swedbankpay/checkout-v3/problem"
    assert schema_for(_http("GET", "/psp/paymentorders/payerownedtokens/abc", "application/json;version=3.1")) is None


def test_without_a_single_version_the_shape_decides():
    v3_order, v2_order = _load("payment-order"), json.loads((REPO / "examples/swedbankpay/payment-order-paid-card.json").read_text())
    for ctype in ("application/json; charset=utf-8", "application/json; version=3.x/2.0"):
        http = _http("GET", ORDER, ctype)
        assert schema_for(http, data=v3_order) == "swedbankpay/checkout-v3/payment-order"
        assert schema_for(http, data=v2_order) == "swedbankpay/checkout-v2/payment-order"
    assert schema_for(_http("POST", "/psp/paymentorders", "application/json"), data=_load("payment-order-create-initialized")
                      if (V3 / "payment-order-create-initialized.json").exists() else {"paymentorder": {"status": "Initialized"}}) \
        == "swedbankpay/checkout-v3/payment-order"


@pytest.mark.parametrize("method,segment,schema", [
    ("POST", "", "create"), ("PATCH", "/X", "update"), ("POST", "/X/captures", "capture"),
    ("POST", "/X/cancellations", "cancel"), ("POST", "/X/reversals", "reversal")])
def test_request_bodies_are_routed_for_version_3_only(method, segment, schema):
    path = "/psp/paymentorders" + segment.replace("/X", ORDER[len("/psp/paymentorders"):])
    assert request_schema_for(_http(method, path, "application/json; version=3.1")) == f"swedbankpay/checkout-v3/requests/{schema}"
    assert request_schema_for(_http(method, path, "application/json; version=2.0")) is None
    assert request_schema_for(_http(method, path, "application/json")) is None


@pytest.mark.parametrize("example,schema", [
    ("payment-order", "payment-order"), ("capture-response", "payment-order"), ("callback", "callback"),
    ("cancelled", "cancelled"), ("reversed", "reversed"), ("failed", "failed"), ("aborted", "aborted"),
    ("history", "history"), ("financial-transactions", "financial-transactions"), ("failed-attempts", "failed-attempts"),
    ("post-purchase-failed-attempts", "post-purchase-failed-attempts"), ("order-items", "order-items"),
    ("urls", "urls"), ("payee-info", "payee-info"), ("payer", "payer"), ("metadata", "metadata")])
def test_shape_detection_knows_v3(example, schema):
    assert shape.detect(_load(example)) == f"swedbankpay/checkout-v3/{schema}"


def test_shapes_v2_shares_stay_v2():
    """{paymentOrder, paid} is the same shape in both versions: v2's paid (the route's version tells them apart);
    a v2 status-model order without the v3.1-only fields stays v2; a problem without modification is v2's."""
    assert shape.detect(_load("paid")) == "swedbankpay/checkout-v2/paid"
    assert shape.detect(_load("problem")) == "swedbankpay/checkout-v2/problem"
    assert shape.detect({"type": "x", "title": "y", "status": 403, "modification": {}}) == "swedbankpay/checkout-v3/problem"
    v2 = json.loads((REPO / "examples/swedbankpay/payment-order-paid-card.json").read_text())
    assert shape.detect(v2) == "swedbankpay/checkout-v2/payment-order"


def test_the_c_shape_detection_steps_aside_for_v3_shapes():
    from checkout_contracts import fastpath
    fast = fastpath.get()
    if fast is None:
        pytest.skip("no C fast path here")
    for name in ("payment-order", "callback", "history", "urls", "payer", "metadata", "cancelled"):
        raw = json.dumps(_load(name), separators=(",", ":")).encode()
        assert not isinstance(fast.certify(raw, None), str), name   # never certified (as v2 or anything)
    for doc in ({"paymentorder": {"id": ORDER, "status": "Initialized"}, "operations": []},
                {"paymentOrder": {"id": ORDER, "status": "Paid", "viewableInstruments": []}, "operations": []},
                {"paymentOrder": {"id": ORDER, "status": "Paid", "postPurchaseFailedAttempts": {"id": ORDER}}, "operations": []},
                {"paymentOrder": {"id": ORDER, "instrument": "Swish", "number": 1}},
                {"paymentorder": ORDER, "history": {"id": ORDER + "/history", "historyList": []}},
                {"type": "x", "title": "y", "status": 403, "modification": {}}):
        assert fast.certify(json.dumps(doc).encode(), None) == -2, doc   # -2: a shape C leaves to the pipeline
