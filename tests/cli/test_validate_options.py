"""--strict, --no-rules, --schema and how the schema is chosen (route, file name, shape)."""
from __future__ import annotations

import json

from validate_helpers import EXAMPLES, card_order, compact, run_subprocess


def _write(tmp_path, name, doc):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(compact(doc) if isinstance(doc, dict) else doc)
    return path


def test_strict_turns_drift_into_errors(tmp_path, validate):
    doc = card_order()
    doc["paymentOrder"]["paid"]["details"]["cardBrand"] = "UnionPay"  # outside an open enum
    doc["paymentOrder"]["newField"] = 1                              # not documented
    path = _write(tmp_path, "order.json", doc)
    relaxed = validate(path, "--format", "json")
    assert relaxed.rc == 0
    [r] = relaxed.json()["results"]
    assert r["verdict"] == "valid" and r["errors"] == []
    assert {(w["path"], w["code"]) for w in r["warnings"]} == {
        ("$.paymentOrder.paid.details.cardBrand", "enum"), ("$.paymentOrder.newField", "unknown-field")}
    strict = validate(path, "--format", "json", "--strict")
    assert strict.rc == 1
    [r] = strict.json()["results"]
    assert r["verdict"] == "invalid" and r["warnings"] == []
    assert {(e["path"], e["code"]) for e in r["errors"]} == {
        ("$.paymentOrder.paid.details.cardBrand", "enum"), ("$.paymentOrder.newField", "unknown-field")}


def test_no_rules_skips_the_cross_field_rules(tmp_path, validate):
    doc = card_order()
    doc["paymentOrder"]["vatAmount"] = doc["paymentOrder"]["amount"] + 1  # schema-valid, breaks a rule
    path = _write(tmp_path, "order.json", doc)
    with_rules = validate(path, "--format", "json")
    assert with_rules.rc == 1
    [r] = with_rules.json()["results"]
    assert [e["code"] for e in r["errors"]] == ["spp-vat-within-amount"]
    without = validate(path, "--format", "json", "--no-rules")
    assert without.rc == 0
    assert without.json()["results"][0]["errors"] == []


def test_schema_option_overrides_everything(tmp_path, validate):
    path = _write(tmp_path, "paiwise/requests/create.json", (EXAMPLES / "paiwise" / "checkout-paid.json").read_text())
    forced = validate(path, "--schema", "paiwise/checkout", "--format", "json").json()["results"][0]
    assert (forced["schema"], forced["verdict"]) == ("paiwise/checkout", "valid")
    by_name = validate(path, "--format", "json").json()["results"][0]  # the file name says: a create request
    assert by_name["schema"] == "paiwise/requests/create"


def test_file_named_after_a_schema_is_checked_against_it(validate):
    capture = EXAMPLES / "paiwise" / "requests" / "capture.json"  # its shape alone looks like a checkout
    [r] = validate(capture, "--format", "json").json()["results"]
    assert (r["schema"], r["verdict"]) == ("paiwise/requests/capture", "valid")


def test_shape_when_nothing_else_says(tmp_path, validate):
    path = _write(tmp_path, "whatever.json", card_order())
    [r] = validate(path, "--format", "json").json()["results"]
    assert r["schema"] == "swedbankpay/checkout-v2/payment-order"
    path = _write(tmp_path, "other.json", {"hello": "world"})
    [r] = validate(path, "--format", "json").json()["results"]
    assert (r["schema"], r["verdict"], r["errors"][0]["code"]) == (None, "invalid", "unknown-shape")


def test_recorded_exchange_uses_the_route_and_checks_http(tmp_path, validate):
    """A cassette: the route picks the schema; the HTTP status is checked against it."""
    body = json.dumps(card_order()).replace("'", "''")
    cassette = f"""interactions:
- request:
    method: GET
    uri: https://api.payex.com/psp/paymentorders/ca59fa8a-3423-40e5-0f77-08d9d133750b
    body: null
    headers: {{}}
  response:
    status: {{code: 202, message: Accepted}}
    headers:
      Content-Type: ['application/json; charset=utf-8; version=3.x/2.0']
      api-supported-versions: ['3.x/2.0']
    body: {{string: '{body}'}}
version: 1
"""
    path = _write(tmp_path, "cassette.yaml", cassette)
    [r] = validate(path, "--format", "json").json()["results"]
    assert r["schema"] == "swedbankpay/checkout-v2/payment-order"
    assert r["http"] == {"method": "GET", "status": 202,
                         "url": "https://api.payex.com/psp/paymentorders/ca59fa8a-3423-40e5-0f77-08d9d133750b"}
    assert [(e["path"], e["code"]) for e in r["errors"]] == [("http.status", "http-status")]


def test_max_depth(tmp_path, validate):
    path = _write(tmp_path, "order.json", card_order())  # paymentOrder.paid.details: 4 levels
    [r] = validate(path, "--max-depth", "3", "--format", "json").json()["results"]
    assert (r["verdict"], r["reason"]) == ("unreadable", "nesting deeper than 3 levels")
    assert validate(path, "--max-depth", "4", "--format", "json").json()["results"][0]["verdict"] == "valid"


def test_max_depth_beyond_the_parsers_bound_is_a_usage_error(tmp_path, validate):
    path = tmp_path / "a.json"
    path.write_text("{}")
    ran = run_subprocess(path, "--max-depth", "100000")
    assert ran.rc == 2 and "at most 1024 (the JSON parser refuses deeper documents), got 100000" in ran.err
    assert validate(path, "--max-depth", "1024").rc == 1  # {} matches no shape: read, judged, invalid
