"""Recorded exchanges and the route map, end to end: which schema a HAR entry is judged against, and what happens
to responses of endpoints without a schema."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PAN = "4925000000000004"
GUID = "5adc265f-f87f-4313-577e-08d3dca1a26c"
API = "https://api.externalintegration.payex.com"


def entry(method: str, url: str, body: dict, status: int = 200) -> dict:
    return {"request": {"method": method, "url": url},
            "response": {"status": status,
                         "headers": [{"name": "Content-Type", "value": "application/json; version=2.0"},
                                     {"name": "api-supported-versions", "value": "2.0"}],
                         "content": {"mimeType": "application/json", "text": json.dumps(body)}}}


def har(tmp_path: Path, *entries: dict) -> Path:
    path = tmp_path / "session.har"
    path.write_text(json.dumps({"log": {"entries": list(entries)}}))
    return path


def example(name: str) -> dict:
    return json.loads((ROOT / "examples" / "swedbankpay" / f"{name}.json").read_text())


def test_a_state_model_order_is_judged_as_one_on_every_order_route(tmp_path, validate):
    """QUIRKS SPP-TWO-MODELS: the shape picks between the two order models on the payment-order routes."""
    state = example("payment-order-state-ready")
    order_id = state["paymentorder"]["id"]
    path = har(tmp_path, entry("GET", API + order_id, state), entry("PATCH", API + order_id, state),
               entry("POST", API + "/psp/paymentorders", state, status=201),
               entry("GET", API + example("payment-order-paid-card")["paymentOrder"]["id"],
                     example("payment-order-paid-card")))
    ran = validate(path, "--format", "json")
    report = ran.json()
    assert [r["schema"] for r in report["results"]] == ["swedbankpay/checkout-v2/payment-order-state"] * 3 + [
        "swedbankpay/checkout-v2/payment-order"]
    assert [r["verdict"] for r in report["results"]] == ["valid"] * 4, ran.out
    assert ran.rc == 0


def test_responses_of_endpoints_without_a_schema_are_counted_not_judged(tmp_path, validate):
    urls = {"paymentorder": f"/psp/paymentorders/{GUID}", "urls": {"id": f"/psp/paymentorders/{GUID}/urls"}}
    path = har(tmp_path,
               entry("GET", f"{API}/psp/paymentorders/{GUID}/urls", urls),
               entry("POST", f"{API}/psp/paymentorders/{GUID}/captures", {"payment": "x", "capture": {}}),
               entry("POST", "https://api.paiwise.com/checkout/delete-customer", {"ok": True}),
               entry("POST", "https://api.paiwise.com/checkout/create", {"error": "bad"}, status=400))
    ran = validate(path, "--format", "json")
    report = ran.json()
    assert report["results"] == []
    assert report["summary"]["total"] == 0 and report["summary"]["skipped_no_schema"] == 4
    text = validate(path)
    assert "4 responses of endpoints without a schema or of no provider route skipped (no card data in them)" in text.out
    assert text.rc == 1  # nothing was judged: "no payloads found" gates like the empty run it is


def test_a_card_number_in_a_response_without_a_schema_is_still_an_error(tmp_path, validate):
    body = {"paymentorder": f"/psp/paymentorders/{GUID}", "payers": {"cardNumber": PAN}}
    path = har(tmp_path, entry("GET", f"{API}/psp/paymentorders/{GUID}/payers", body),
               entry("GET", f"{API}/psp/paymentorders/{GUID}/urls", {"urls": {}}))
    ran = validate(path, "--format", "json")
    report = ran.json()
    [result] = report["results"]
    assert result["record"] == 1 and result["schema"] is None and result["verdict"] == "invalid"
    assert [(e["path"], e["code"]) for e in result["errors"]] == [("$.payers.cardNumber", "unmasked-pan")]
    assert report["summary"]["skipped_no_schema"] == 1
    assert PAN not in ran.out and ran.rc == 1



def with_request(e: dict, body: dict) -> dict:
    e["request"]["postData"] = {"mimeType": "application/json", "text": json.dumps(body)}
    return e


CHECKOUT = json.loads((ROOT / "examples" / "paiwise" / "checkout-created.json").read_text())
CREATE = {"amount": 3000, "currency": "SEK", "message": "Test", "returnUrl": "http://google.com",
          "returnUrlCancel": "http://facebook.com/testing"}


def test_recorded_request_bodies_are_checked_against_their_schema(tmp_path, validate):
    bad = dict(CREATE, amount="lots", currency="XXXX")
    path = har(tmp_path, with_request(entry("POST", "https://api.paiwise.com/checkout/create", CHECKOUT), CREATE),
               with_request(entry("POST", "https://api.paiwise.com/checkout/create", CHECKOUT), bad))
    report = validate(path, "--format", "json").json()
    first, second = report["results"]
    assert first["verdict"] == "valid" and first["schema"] == "paiwise/checkout"
    assert second["verdict"] == "invalid"
    assert [(e["path"], e["code"]) for e in second["errors"]] == [("http.request.amount", "type"),
                                                                  ("http.request.currency", "maxLength")]


def test_a_card_number_in_any_recorded_request_body_is_an_error(tmp_path, validate):
    order = example("payment-order-paid-card")
    path = har(tmp_path,
               with_request(entry("POST", "https://api.paiwise.com/checkout/create", CHECKOUT),
                            dict(CREATE, metaData={"note": f"card {PAN}"})),
               with_request(entry("GET", API + order["paymentOrder"]["id"], order),    # no request schema
                            {"paymentorder": {"payer": {"cardNumber": PAN}}}),
               with_request(entry("POST", "https://api.paiwise.com/checkout/delete-customer", {"ok": True}),
                            {"customer_id": PAN}))                                         # no response schema
    ran = validate(path, "--format", "json")
    results = ran.json()["results"]
    assert [[(e["path"], e["code"]) for e in r["errors"] if e["code"] == "unmasked-pan"] for r in results] == [
        [("http.request.metaData.note", "unmasked-pan")],
        [("http.request.paymentorder.payer.cardNumber", "unmasked-pan")],
        [("http.request.customer_id", "unmasked-pan")]]
    assert results[2]["schema"] is None and results[2]["verdict"] == "invalid"
    assert PAN not in ran.out and ran.rc == 1


def test_a_valid_request_to_an_endpoint_without_a_response_schema_is_still_skipped(tmp_path, validate):
    path = har(tmp_path, with_request(entry("POST", "https://api.paiwise.com/checkout/delete-customer", {"ok": 1}),
                                      {"customer_id": "0123456789abcdef0123456789abcdef"}))
    report = validate(path, "--format", "json").json()
    assert report["results"] == [] and report["summary"]["skipped_no_schema"] == 1


def html(method: str, url: str, status: int = 302) -> dict:
    return {"request": {"method": method, "url": url},
            "response": {"status": status, "content": {"mimeType": "text/html", "text": "<html>redirect</html>"}}}


def test_a_json_request_is_checked_even_when_its_response_is_not_json(tmp_path, validate):
    """A card number posted as JSON and answered by an HTML page or a redirect (a 3-D Secure hop) still counts."""
    path = har(tmp_path,
               with_request(html("POST", "https://shop.example/pay"), {"card": {"number": PAN}}),
               with_request(html("POST", "https://shop.example/pay"), {"card": {"number": "492500******0004"}}),
               html("GET", "https://shop.example/"))
    ran = validate(path, "--format", "json")
    report = ran.json()
    [result] = report["results"]
    assert (result["record"], result["schema"], result["verdict"]) == (1, None, "invalid")
    assert [(e["path"], e["code"]) for e in result["errors"]] == [("http.request.card.number", "unmasked-pan")]
    assert report["summary"]["skipped_non_json"] == 2 and report["summary"]["total"] == 1
    assert PAN not in ran.out
    ran2 = validate(path, "--format", "json", "--jobs", "2")
    assert ran2.json()["summary"] == report["summary"]


@pytest.mark.parametrize("form", [f"card_number={PAN}&cvc=123", "card%5Bnumber%5D=4925+0000+0000+0004"])
def test_a_form_encoded_request_body_is_scanned_for_card_numbers(tmp_path, validate, form):
    e = html("POST", "https://shop.example/pay")
    e["request"]["postData"] = {"mimeType": "application/x-www-form-urlencoded", "text": form}
    clean = html("POST", "https://shop.example/pay")
    clean["request"]["postData"] = {"mimeType": "application/x-www-form-urlencoded", "text": "card=492500******0004"}
    ran = validate(har(tmp_path, e, clean), "--format", "json")
    report = ran.json()
    [result] = report["results"]
    assert [(x["path"], x["code"]) for x in result["errors"]] == [("http.request", "unmasked-pan")]
    assert report["summary"]["skipped_non_json"] == 1 and PAN not in ran.out and "4925 0000" not in ran.out


def test_request_bodies_from_har_params_and_cassette_mappings_are_scanned(tmp_path, validate):
    e = html("POST", "https://shop.example/pay")
    e["request"]["postData"] = {"mimeType": "application/x-www-form-urlencoded",
                                "params": [{"name": "card", "value": PAN}, {"name": "cvc", "value": "123"}]}
    warn_only = with_request(html("POST", "https://api.paiwise.com/checkout/create"), dict(CREATE, extra=1))
    cassette = tmp_path / "c.yaml"
    cassette.write_text(
        "interactions:\n"
        "- request: {method: POST, uri: 'https://shop.example/pay', body: {card: '" + PAN + "'}}\n"
        "  response: {status: {code: 302}, headers: {Content-Type: [text/html]}, body: {string: '<html/>'}}\n")
    report = validate(har(tmp_path, e, warn_only), cassette, "--format", "json").json()
    assert [(r["source"].rsplit("/", 1)[1], [(x["path"], x["code"]) for x in r["errors"]]) for r in report["results"]] \
        == [("session.har", [("http.request", "unmasked-pan")]), ("c.yaml", [("http.request.card", "unmasked-pan")])]
    assert report["summary"]["skipped_non_json"] == 1  # the create with only a drift warning on its request
