"""The fake Paiwise API: every endpoint, every status, every refusal; every body passes check() with no finding."""
from __future__ import annotations

import pytest

from fakeharness import pw_create_body


def test_create_then_retrieve(fake):
    c = fake.pw_ok("create", pw_create_body(12900, identifier="order-1", metaData={"orderId": "1"}))
    assert c["status"] == "created" and c["amount"] == c["balance"] == 12900
    assert c["identifier"] == "order-1" and c["metaData"] == {"orderId": "1"} and c["capture"] is True
    assert f"cid={c['checkout_id']}" in c["redirectUrl"] and list(c["log"].values()) == [{"action": "created"}]
    assert "usedCard" not in c and "customer" not in c
    assert fake.pw_ok("retrieve", {"checkout_id": c["checkout_id"]}) == c


def test_identifier_defaults_to_the_checkout_id_and_empty_metadata_is_php_array(fake):
    c = fake.pw_ok("create", pw_create_body())
    assert c["identifier"] == c["checkout_id"]
    assert c["metaData"] == []


def test_reserve_capture_refund_in_pieces(fake):
    c = fake.pw_ok("create", pw_create_body(1000, capture=False))
    cid = c["checkout_id"]
    c = fake.pw_pay(cid)
    assert c["status"] == "reserved" and c["usedCard"]["last4"].isdigit()
    c = fake.pw_ok("capture", {"checkout_id": cid})
    assert c["status"] == "paid"
    fake.pw_error("capture", {"checkout_id": cid}, 409)
    c = fake.pw_ok("refund", {"checkout_id": cid, "amount": 100, "reason": "requested_by_customer"})
    assert (c["status"], c["balance"]) == ("partialRefund", 900)
    c = fake.pw_ok("refund", {"checkout_id": cid, "amount": 600, "reason": "duplicate", "refundDetails": "x"})
    assert (c["status"], c["balance"]) == ("partialRefund", 300)
    fake.pw_error("refund", {"checkout_id": cid, "amount": 301}, 400)
    c = fake.pw_ok("refund", {"checkout_id": cid})
    assert (c["status"], c["balance"], c["amount"]) == ("refunded", 0, 1000)
    actions = [e["action"] for e in c["log"].values()]
    # as in the documented example: a full refund made in pieces is logged as partialRefund
    assert actions == ["created", "reserved", "paid", "partialRefund", "partialRefund", "partialRefund"]
    assert [e["details"]["amountRefund"] for e in c["log"].values() if "details" in e] == [100, 600, 300]
    assert c["statusChanged"] == max(c["log"])
    fake.pw_error("refund", {"checkout_id": cid}, 409)


def test_whole_refund_at_once_is_logged_as_refunded(fake):
    c = fake.pw_ok("create", pw_create_body(500))
    fake.pw_pay(c["checkout_id"])
    c = fake.pw_ok("refund", {"checkout_id": c["checkout_id"]})
    assert c["status"] == "refunded" and list(c["log"].values())[-1] == {"action": "refunded",
                                                                         "details": {"amountRefund": 500}}


def test_refund_of_a_reservation_releases_it_whole(fake):
    c = fake.pw_ok("create", pw_create_body(700, capture=False))
    fake.pw_pay(c["checkout_id"])
    fake.pw_error("refund", {"checkout_id": c["checkout_id"], "amount": 100}, 400)
    c = fake.pw_ok("refund", {"checkout_id": c["checkout_id"]})
    assert (c["status"], c["balance"]) == ("reserve released", 0)
    fake.pw_error("capture", {"checkout_id": c["checkout_id"]}, 409)


@pytest.mark.parametrize("outcome, status", [("failed", "failed"), ("canceled", "canceled")])
def test_payer_fails_or_cancels(fake, outcome, status):
    c = fake.pw_ok("create", pw_create_body())
    c = fake.pw_pay(c["checkout_id"], outcome=outcome)
    assert c["status"] == status and "usedCard" not in c
    fake.pw_error("refund", {"checkout_id": c["checkout_id"]}, 409)
    assert fake.call("POST", f"/_fake/paiwise/checkout/{c['checkout_id']}/pay", {}, auth=False).status == 409


def test_delete_only_in_created(fake):
    c = fake.pw_ok("create", pw_create_body())
    c = fake.pw_ok("delete", {"checkout_id": c["checkout_id"]})
    assert c["status"] == "revoked" and list(c["log"].values())[-1] == {"action": "revoked"}
    fake.pw_error("delete", {"checkout_id": c["checkout_id"]}, 409)


def test_update_merges_metadata_in_every_status_without_a_log_entry(fake):
    c = fake.pw_ok("create", pw_create_body(metaData={"a": "1", "b": "2"}))
    fake.pw_pay(c["checkout_id"])
    before = fake.pw_ok("retrieve", {"checkout_id": c["checkout_id"]})
    after = fake.pw_ok("update", {"checkout_id": c["checkout_id"], "metaData": {"a": "", "b": None, "c": 3}})
    assert after["metaData"] == {"c": 3}
    assert after["log"] == before["log"] and after["status"] == "paid"


def test_customer_saves_the_card_and_pays_automatically_with_it(fake):
    cust = fake.pw_ok("create-customer", {"first_name": "Anna", "last_name": "Svensson", "email": "anna@example.com",
                                          "metaData": {"kundnummer": "10042"}})
    assert cust["savedCards"] == [] and len(cust["customer_id"]) == 32
    c = fake.pw_ok("create", pw_create_body(customer_id=cust["customer_id"]))
    c = fake.pw_pay(c["checkout_id"], card={"brand": "mastercard", "last4": "4444"})
    saved = c["customer"]["savedCards"]
    assert [s["card_id"] for s in saved] == [c["usedCard"]["card_id"]] and saved[0]["card_holder"] == "Anna Svensson"
    assert c["usedCard"]["brand"] == "mastercard"
    again = fake.pw_ok("create", pw_create_body(customer_id=cust["customer_id"], card_id=saved[0]["card_id"],
                                                capture=False))
    assert again["status"] == "reserved" and again["usedCard"]["card_id"] == saved[0]["card_id"]
    fake.pw_error("create", pw_create_body(customer_id=cust["customer_id"], card_id="NoSuchCardAtAll"), 404)


def test_not_saving_the_card_reuses_a_saved_one(fake):
    cust = fake.pw_ok("create-customer", {"first_name": "A", "last_name": "B", "email": "ab@example.com"})
    first = fake.pw_ok("create", pw_create_body(customer_id=cust["customer_id"]))
    first = fake.pw_pay(first["checkout_id"])
    c = fake.pw_ok("create", pw_create_body(customer_id=cust["customer_id"], allowSaveCard=False))
    c = fake.pw_pay(c["checkout_id"])
    assert c["usedCard"]["card_id"] == first["usedCard"]["card_id"] and len(c["customer"]["savedCards"]) == 1


def test_customer_delete_then_retrieve_is_404(fake):
    cust = fake.pw_ok("create-customer", {"first_name": "A", "last_name": "B", "email": "ab@example.com"})
    ref = {"customer_id": cust["customer_id"]}
    assert fake.pw_ok("retrieve-customer", ref) == cust
    assert fake.pw_ok("delete-customer", ref)["customer_id"] == cust["customer_id"]
    fake.pw_error("retrieve-customer", ref, 404)
    fake.pw_error("delete-customer", ref, 404)
    fake.pw_error("create", pw_create_body(customer_id=cust["customer_id"]), 404)


@pytest.mark.parametrize("action, body", [
    ("create", {"currency": "SEK"}),
    ("create", pw_create_body(amount=-1)),
    ("create", pw_create_body(returnUrl="not a url")),
    ("refund", {"checkout_id": "0" * 30, "amount": "10"}),
    ("retrieve", {}),
    ("update", {"checkout_id": "0" * 30}),
    ("create-customer", {"first_name": "A", "last_name": "B", "email": "not-an-email"}),
])
def test_invalid_requests_are_400_with_the_field(fake, action, body):
    err = fake.pw_error(action, body, 400)
    assert err["message"].startswith("Invalid parameters: $")


def test_unknown_checkout_is_404_and_bad_json_is_400(fake):
    fake.pw_error("retrieve", {"checkout_id": "a" * 30}, 404)
    a = fake.call("POST", "/checkout/retrieve", headers={"Content-Type": "application/json"})
    assert a.status == 400 and "body is required" in a.data["message"]
    r = fake.client.post("/checkout/retrieve", data=b"{nope", headers={"Authorization": "Bearer t"})
    assert r.status_code == 400 and "not valid JSON" in r.get_json()["message"]


@pytest.mark.parametrize("header", [None, "Bearer ", "Basic dXNlcjpwYXNz", "bearer"])
def test_bearer_token_is_required(fake, header):
    a = fake.call("POST", "/checkout/create", pw_create_body(), auth=False,
                  headers={"Authorization": header} if header else None)
    assert a.status == 401 and a.data["status"] == 401 and a.data["name"] == "Unauthorized"


def test_a_configured_token_must_match():
    from fakeharness import Fake
    from checkout_contracts.fake.app import FakeApp
    f = Fake(FakeApp(token="s3cret"))
    assert f.call("POST", "/checkout/create", pw_create_body()).status == 401
    ok = f.call("POST", "/checkout/create", pw_create_body(), auth=False, headers={"Authorization": "Bearer s3cret"})
    assert ok.status == 200


def test_wrong_method_and_unknown_path(fake):
    a = fake.call("GET", "/checkout/create")
    assert a.status == 405 and a.data["status"] == 405
    assert fake.call("POST", "/checkout/nope", {}).status == 404


def test_a_seed_makes_the_ids_repeatable():
    from checkout_contracts.fake.app import FakeApp
    from fakeharness import Fake
    ids = [Fake(FakeApp(seed=7)).pw_ok("create", pw_create_body())["checkout_id"] for _ in range(2)]
    other = Fake(FakeApp(seed=8)).pw_ok("create", pw_create_body())["checkout_id"]
    assert ids[0] == ids[1] != other
