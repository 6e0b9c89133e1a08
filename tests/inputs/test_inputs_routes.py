"""Route map: schema names from method + URL + response."""
from __future__ import annotations

import pytest
import yaml

from checkout_contracts.inputs import HttpContext
from checkout_contracts.routes import ROUTES_FILE, UNMATCHED, known_route, load_routes, parse_routes, route_for, schema_for

GUID = "5adc265f-f87f-4313-577e-08d3dca1a26c"


def http(method, url, status=200, content_type="application/json"):
    headers = {"content-type": content_type} if content_type else {}
    return HttpContext(method=method, url=url, status=status, headers=headers)


@pytest.mark.parametrize("host", ["api.paiwise.com", "api.neuro-admin.com", "API.Paiwise.com"])
@pytest.mark.parametrize("action", ["create", "retrieve", "capture", "refund", "update"])
def test_paiwise_checkout_actions(host, action):
    assert schema_for(http("POST", f"https://{host}/checkout/{action}")) == "paiwise/checkout"


@pytest.mark.parametrize("action", ["create-customer", "retrieve-customer"])
def test_paiwise_customer_actions(action):
    assert schema_for(http("POST", f"https://api.paiwise.com/checkout/{action}")) == "paiwise/customer"


@pytest.mark.parametrize("method, url", [
    ("POST", "https://api.paiwise.com/checkout/delete-customer"),   # response not documented
    ("POST", "https://api.neuro-admin.com/checkout/delete"),        # newer docs only, response not stored (QUIRKS P12)
    ("POST", "https://api.paiwise.com/checkout/unknown"),           # any other action
    ("POST", "https://api.paiwise.com/checkout/create/extra"),
    ("POST", "https://api.paiwise.com/checkout/create"),            # with an error status: undocumented body
    ("GET", f"https://api.payex.com/psp/paymentorders/{GUID}/payer"),          # other sub-resources
    ("GET", f"https://api.payex.com/psp/paymentorders/{GUID}/urls"),
    ("POST", f"https://api.payex.com/psp/paymentorders/{GUID}/captures"),      # transactions
    ("PATCH", "https://api.payex.com/psp/paymentorders/unscheduledtokens/5a17c24e-d459-4567-bbad-aa0f17a76119"),
    ("DELETE", f"https://api.payex.com/psp/paymentorders/{GUID}"),
    ("GET", "https://api.payex.com/psp/paymentorders/not-a-guid"),
])
def test_known_endpoints_without_a_schema(method, url):
    status = 400 if url.endswith("/checkout/create") else 200
    route = route_for(http(method, url, status=status))
    assert route is not None and route.schemas == () and route.schema is None
    assert schema_for(http(method, url, status=status)) is None


@pytest.mark.parametrize(
    "method, url",
    [
        ("GET", "https://api.paiwise.com/checkout/create"),  # Paiwise is POST only
        ("GET", "https://shop.example/index.html"),
        ("POST", "https://shop.example/api/checkout"),
        ("GET", None),
    ],
)
def test_unknown_routes(method, url):
    route = route_for(http(method, url))
    # no provider route: the catch-all (skipped after the card scan), or nothing for an exchange without a URL
    assert route is None if url is None else route is UNMATCHED
    assert known_route(http(method, url)) is None
    assert schema_for(http(method, url)) is None


@pytest.mark.parametrize("host", ["api.payex.com", "api.externalintegration.payex.com", "localhost:8080"])
def test_swedbankpay_payment_order(host):
    base = f"https://{host}/psp/paymentorders"
    for method in ("GET", "POST", "PATCH"):
        assert schema_for(http(method, f"{base}/{GUID}")) == "swedbankpay/checkout-v2/payment-order"
    assert schema_for(http("GET", f"{base}/{GUID}?$expand=paid,urls")) == "swedbankpay/checkout-v2/payment-order"
    assert schema_for(http("POST", base, status=201)) == "swedbankpay/checkout-v2/payment-order"
    assert schema_for(http("GET", f"{base}/{GUID}/paid")) == "swedbankpay/checkout-v2/paid"
    assert schema_for(http("GET", f"{base}/{GUID.upper()}/paid/")) == "swedbankpay/checkout-v2/paid"


STATUS_MODEL = {"paymentOrder": {"id": f"/psp/paymentorders/{GUID}", "status": "Paid"}, "operations": []}
STATE_MODEL = {"paymentorder": {"id": f"/psp/paymentorders/{GUID}", "state": "Ready"}, "operations": []}


@pytest.mark.parametrize("method, url", [("GET", f"https://api.payex.com/psp/paymentorders/{GUID}"),
                                         ("PATCH", f"https://api.payex.com/psp/paymentorders/{GUID}"),
                                         ("POST", "https://api.payex.com/psp/paymentorders")])
def test_payment_order_routes_let_the_shape_pick_the_model(method, url):
    """QUIRKS SPP-TWO-MODELS: the same endpoint answers in the status model or the older state model."""
    exchange = http(method, url, status=201 if method == "POST" else 200)
    assert schema_for(exchange, data=STATUS_MODEL) == "swedbankpay/checkout-v2/payment-order"
    assert schema_for(exchange, data=STATE_MODEL) == "swedbankpay/checkout-v2/payment-order-state"
    # a body of neither model is judged against the first (its findings say what is missing)
    assert schema_for(exchange, data={"unrelated": True}) == "swedbankpay/checkout-v2/payment-order"
    assert schema_for(exchange) == "swedbankpay/checkout-v2/payment-order"


def test_a_schema_entry_is_a_name_a_list_or_null():
    ok = parse_routes({"routes": [{"path": "^/a", "schema": "x"}, {"path": "^/b", "schema": ["x", "y"]},
                                  {"path": "^/c", "schema": None}]})
    assert [r.schemas for r in ok] == [("x",), ("x", "y"), ()]
    for bad in ([], [""], 3, [1]):
        with pytest.raises(ValueError, match="route 1: 'schema' must be"):
            parse_routes({"routes": [{"path": "^/a", "schema": bad}]})


def test_swedbankpay_problems():
    base = f"https://api.payex.com/psp/paymentorders/{GUID}"
    assert schema_for(http("GET", base, content_type="application/problem+json; charset=utf-8")) == (
        "swedbankpay/checkout-v2/problem"
    )
    assert schema_for(http("POST", "https://api.payex.com/psp/paymentorders", status=400)) == (
        "swedbankpay/checkout-v2/problem"
    )
    assert schema_for(http("GET", f"{base}/paid", status=404, content_type="application/json")) == (
        "swedbankpay/checkout-v2/problem"
    )
    # problem+json outside /psp/ is somebody else's API
    assert schema_for(http("GET", "https://shop.example/api/cart", content_type="application/problem+json")) is None


def test_route_file_is_plain_yaml_data():
    document = yaml.safe_load(ROUTES_FILE.read_text(encoding="utf-8"))
    assert {r["provider"] for r in document["routes"]} == {"paiwise", "swedbankpay"}
    assert len(load_routes()) == len(document["routes"]) + 1 and load_routes()[-1] is UNMATCHED


def test_custom_route_tables():
    routes = parse_routes({"patterns": {"id": "[0-9]+"},
                           "routes": [{"provider": "x", "methods": ["get"], "path": "^/orders/{id}$", "schema": "x/order"}]})
    assert schema_for(http("GET", "https://h/orders/12"), routes) == "x/order"
    assert schema_for(http("GET", "https://h/orders/ab"), routes) is None
    with pytest.raises(ValueError, match="unknown pattern"):
        parse_routes({"routes": [{"path": "^/{nope}$", "schema": None}]})
    with pytest.raises(ValueError, match="needs 'path' and 'schema'"):
        parse_routes({"routes": [{"path": "^/$"}]})


def test_records_from_a_har_carry_what_routing_needs(write, read):
    import json
    har = {"log": {"entries": [{
        "request": {"method": "GET", "url": f"https://api.payex.com/psp/paymentorders/{GUID}/paid"},
        "response": {"status": 200, "headers": [{"name": "Content-Type", "value": "application/json"}],
                     "content": {"mimeType": "application/json", "text": '{"paid": {}}'}}}]}}
    [rec] = read(write("x.har", json.dumps(har)))
    assert schema_for(rec.http) == "swedbankpay/checkout-v2/paid"


@pytest.mark.parametrize("host", ["api.paiwise.com", "api.neuro-admin.com", "staging.example", "127.0.0.1:8000"])
def test_paiwise_routes_match_on_any_host(host):
    """Staging hosts and local fakes are routed like production: the path decides."""
    assert schema_for(http("POST", f"https://{host}/checkout/create")) == "paiwise/checkout"
    assert schema_for(http("POST", f"http://{host}/checkout/retrieve-customer")) == "paiwise/customer"


def test_paiwise_error_answers_have_no_schema():
    """Paiwise error bodies are undocumented: a 4xx answer is not judged as a checkout object."""
    assert route_for(http("POST", "https://api.paiwise.com/checkout/refund", status=400)) is not None
    assert schema_for(http("POST", "https://api.paiwise.com/checkout/refund", status=400)) is None
