"""Paiwise Checkout API lifecycle scenarios.

Paiwise documents no error body, so a refused operation must answer a 4xx with a JSON object. Steps that
need the payer (paying on the hosted page) use the fake's test endpoint; on a target without it the scenario
is skipped from that step on, after validating every step before.
"""
from __future__ import annotations

from typing import Any

from ..lifecycles import legal_step
from . import scenario
from .run import Run

CHECKOUT, CUSTOMER = "paiwise/checkout", "paiwise/customer"


def allowed(before: str, event: str, after: str) -> bool:
    return legal_step("paiwise", before, after, event)


def _create_body(amount: int, **extra: Any) -> dict:
    body = {"amount": amount, "currency": "SEK", "message": "checkout-contracts live scenario",
            "returnUrl": "https://shop.example.com/checkout/return",
            "returnUrlCancel": "https://shop.example.com/checkout/cancel", "metaData": {"orderId": "contract-1"}}
    body.update(extra)
    return body


def _create(run: Run, amount: int, **extra: Any) -> dict:
    ex = run.call("create", "POST", "/checkout/create", _create_body(amount, **extra))
    c = run.ok("create", ex, CHECKOUT)
    run.expect("create", c["status"] == "created", f"a new checkout has status 'created', not {c['status']!r}")
    run.expect("create", c["amount"] == amount and c["balance"] == amount,
               f"amount/balance should both be {amount}, got {c['amount']}/{c['balance']}")
    return c


def _step(run: Run, step: str, action: str, body: dict, before: str, event: str | None) -> dict:
    c = run.ok(step, run.call(step, "POST", f"/checkout/{action}", body), CHECKOUT)
    if event is not None:
        run.transition(step, allowed, before, event, c["status"])
    return c


def _pay(run: Run, checkout: dict, step: str = "payer pays") -> dict:
    ex = run.call(step, "POST", f"/_fake/paiwise/checkout/{checkout['checkout_id']}/pay", {"outcome": "paid"}, auth=False)
    if ex.status in (404, 405):
        run.skip("the target has no payer test endpoint (/_fake/paiwise/...): the steps after payment need the "
                 "bundled fake (--contracts-live default)")
    c = run.ok(step, ex, CHECKOUT)
    run.transition(step, allowed, checkout["status"], "pay" if checkout["capture"] else "reserve", c["status"])
    return c


@scenario("paiwise", "reserve-capture-refund",
          "create (capture=false) → retrieve → payer pays → capture → capture again (refused) → partial refund → "
          "refund more than the balance (refused) → refund the rest → retrieve")
def reserve_capture_refund(run: Run) -> None:
    c = _create(run, 10000, capture=False)
    cid = c["checkout_id"]
    got = run.ok("retrieve", run.call("retrieve", "POST", "/checkout/retrieve", {"checkout_id": cid}), CHECKOUT)
    run.expect("retrieve", got["checkout_id"] == cid and got["status"] == "created", "retrieve returns the created checkout")
    c = _pay(run, c)
    run.expect("payer pays", c["status"] == "reserved", f"capture=false reserves the amount; status is {c['status']!r}")
    c = _step(run, "capture", "capture", {"checkout_id": cid}, c["status"], "capture")
    run.error_object("capture twice", run.call("capture twice", "POST", "/checkout/capture", {"checkout_id": cid}))
    c = _step(run, "refund 3000", "refund", {"checkout_id": cid, "amount": 3000, "reason": "requested_by_customer"},
              c["status"], "refund")
    run.expect("refund 3000", c["balance"] == 7000, f"balance after refunding 3000 of 10000 is {c['balance']}, not 7000")
    run.error_object("refund more than paid",
                     run.call("refund more than paid", "POST", "/checkout/refund", {"checkout_id": cid, "amount": 7001}))
    c = _step(run, "refund the rest", "refund", {"checkout_id": cid}, c["status"], "refund")
    run.expect("refund the rest", c["balance"] == 0, f"balance after refunding everything is {c['balance']}, not 0")
    step = "retrieve refunded"
    got = run.ok(step, run.call(step, "POST", "/checkout/retrieve", {"checkout_id": cid}), CHECKOUT)
    run.expect("retrieve refunded", got["status"] == "refunded" and got["balance"] == 0,
               f"the refunded checkout reads back as {got['status']!r} with balance {got['balance']}")


@scenario("paiwise", "release-reserve", "create (capture=false) → payer pays → refund releases the reserve")
def release_reserve(run: Run) -> None:
    c = _pay(run, _create(run, 2500, capture=False))
    _step(run, "release", "refund", {"checkout_id": c["checkout_id"]}, c["status"], "refund")


@scenario("paiwise", "update-metadata",
          "create → update metaData (add a key, remove one with an empty value) → retrieve shows the merge")
def update_metadata(run: Run) -> None:
    c = _create(run, 1500, metaData={"orderId": "contract-2", "channel": "web"})
    cid = c["checkout_id"]
    c = _step(run, "update", "update", {"checkout_id": cid, "metaData": {"channel": "", "note": "gift"}}, c["status"], None)
    want = {"orderId": "contract-2", "note": "gift"}
    run.expect("update", c.get("metaData") == want, f"metaData after the update should be {want}")
    got = run.ok("retrieve", run.call("retrieve", "POST", "/checkout/retrieve", {"checkout_id": cid}), CHECKOUT)
    run.expect("retrieve", got.get("metaData") == want and got["status"] == "created",
               "retrieve shows the merged metaData and an unchanged status")


@scenario("paiwise", "delete-created", "create → delete (revoked) → capture the revoked checkout (refused)")
def delete_created(run: Run) -> None:
    c = _create(run, 990)
    c = _step(run, "delete", "delete", {"checkout_id": c["checkout_id"]}, c["status"], "delete")
    run.error_object("capture revoked", run.call("capture revoked", "POST", "/checkout/capture",
                                                 {"checkout_id": c["checkout_id"]}))


@scenario("paiwise", "customer", "create-customer → retrieve-customer → delete-customer → retrieve-customer (refused)")
def customer(run: Run) -> None:
    body = {"first_name": "Contract", "last_name": "Tester", "email": "contract.tester@example.com",
            "metaData": {"kundnummer": "00000001"}}
    cust = run.ok("create-customer", run.call("create-customer", "POST", "/checkout/create-customer", body), CUSTOMER)
    ref = {"customer_id": cust["customer_id"]}
    got = run.ok("retrieve-customer", run.call("retrieve-customer", "POST", "/checkout/retrieve-customer", ref), CUSTOMER)
    run.expect("retrieve-customer", got["customer_id"] == cust["customer_id"] and got["savedCards"] == [],
               "retrieve-customer returns the new customer with no saved cards")
    run.ok("delete-customer", run.call("delete-customer", "POST", "/checkout/delete-customer", ref), CUSTOMER)
    run.error_object("retrieve deleted customer",
                     run.call("retrieve deleted customer", "POST", "/checkout/retrieve-customer", ref))


@scenario("paiwise", "unauthenticated", "create without the Bearer token (refused with 401 or 403)")
def unauthenticated(run: Run) -> None:
    ex = run.call("create without token", "POST", "/checkout/create", _create_body(100), auth=False)
    run.error_object("create without token", ex, (401, 403))
