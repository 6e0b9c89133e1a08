"""Swedbank Pay Checkout v2 payment-order lifecycle scenarios.

Operations are found by ``rel`` in the order's ``operations`` and called at their ``href``, as the docs tell
clients to; a refused operation (not offered in the status, or an amount over what is left) is called at the
documented path and must answer a 4xx RFC 7807 problem (validated against ``swedbankpay/checkout-v2/problem``).
"""
from __future__ import annotations

import uuid
from typing import Any

from ..lifecycles import FINANCIAL, PAYMENT_UI, legal_step
from ..paymentorder import REQUEST_KEY
from ..strategies.values import safe_alnum
from . import scenario
from .run import Run

ORDER, PAID = "swedbankpay/checkout-v2/payment-order", "swedbankpay/checkout-v2/paid"


def allowed(before: str, event: str, after: str) -> bool:
    return legal_step("swedbankpay", before, after, event)


def _ref() -> str:
    """A fresh payeeReference (letters and digits, never a run of digits a card scan could take for a PAN)."""
    return safe_alnum(None, 20)


def _create(run: Run, amount: int = 10000, vat: int = 2000) -> dict:
    body = {REQUEST_KEY: {
        "operation": "Purchase", "currency": "SEK", "amount": amount, "vatAmount": vat,
        "description": "checkout-contracts live scenario", "userAgent": "Mozilla/5.0 (checkout-contracts)",
        "language": "sv-SE",
        "urls": {"hostUrls": ["https://shop.example.com"], "completeUrl": "https://shop.example.com/complete",
                 "cancelUrl": "https://shop.example.com/cancel", "callbackUrl": "https://shop.example.com/callback"},
        "payeeInfo": {"payeeId": run.target.payee_id, "payeeReference": _ref(), "payeeName": "Contract Shop"}}}
    doc = run.ok("create", run.call("create", "POST", "/psp/paymentorders", body), ORDER, (201,))
    po = doc["paymentOrder"]
    run.expect("create", po["status"] == "Initialized", f"a new payment order is Initialized, not {po['status']}")
    run.expect("create", po["amount"] == amount and po["vatAmount"] == vat, "amount and vatAmount echo the request")
    got = run.ok("get", run.call("get", "GET", po["id"]), ORDER)
    run.expect("get", got["paymentOrder"]["id"] == po["id"], "GET returns the created payment order")
    return got


def _status(doc: dict) -> str:
    return doc["paymentOrder"]["status"]


def _href(run: Run, step: str, doc: dict, rel: str) -> str:
    for op in doc.get("operations", []):
        if op.get("rel") == rel:
            return op["href"]
    offered = ", ".join(op.get("rel", "?") for op in doc.get("operations", [])) or "none"
    run.fail(step, f"operation {rel!r} is not offered (offered: {offered})")
    raise AssertionError  # unreachable


def _rels(doc: dict) -> set[str]:
    return {op.get("rel") for op in doc.get("operations", [])}


def _tx(amount: int | None = None, vat: int = 0) -> dict:
    tx: dict[str, Any] = {"description": "checkout-contracts live scenario", "payeeReference": _ref()}
    if amount is not None:
        tx.update(amount=amount, vatAmount=vat)
    return {"transaction": tx}


def _pay(run: Run, doc: dict, instrument: str, outcome: str = "paid") -> dict:
    step = f"payer: {outcome} ({instrument})"
    guid = doc["paymentOrder"]["id"].rsplit("/", 1)[-1]
    ex = run.call(step, "POST", f"/_fake/swedbankpay/paymentorders/{guid}/pay",
                  {"instrument": instrument, "outcome": outcome}, auth=False)
    if ex.status in (404, 405) and "problem" not in ex.headers.get("content-type", ""):
        run.skip("the target has no payer test endpoint (/_fake/swedbankpay/...): the steps after payment need the "
                 "bundled fake (--contracts-live default)")
    after = run.ok(step, ex, ORDER)
    event = {"paid": "pay", "failed": "fail", "aborted": "abort"}[outcome]
    run.transition(step, allowed, _status(doc), event, _status(after))
    return run.ok(f"get after {outcome}", run.call(f"get after {outcome}", "GET", doc["paymentOrder"]["id"]), ORDER)


def _op(run: Run, step: str, doc: dict, rel: str, event: str, body: dict) -> dict:
    after = run.ok(step, run.call(step, "POST", _href(run, step, doc, rel), body), ORDER)
    run.transition(step, allowed, _status(doc), event, _status(after))
    return after


def _refused(run: Run, step: str, doc: dict, path: str, body: dict, method: str = "POST") -> None:
    url = doc["paymentOrder"]["id"] + path
    run.problem(step, run.call(step, method, url, body))


def _remaining(run: Run, step: str, doc: dict, capture: int, cancel: int, reversal: int) -> None:
    po = doc["paymentOrder"]
    got = (po.get("remainingCaptureAmount"), po.get("remainingCancellationAmount"), po.get("remainingReversalAmount"))
    run.expect(step, got == (capture, cancel, reversal),
               f"remaining capture/cancellation/reversal amounts are {got}, expected {(capture, cancel, reversal)}")


@scenario("swedbankpay", "card-capture-cancel-reverse",
          "create → GET → payer pays by card → GET paid → capture part → cancel the rest → capture again (refused) → "
          "reverse part → reverse more than captured (refused) → reverse the rest (Reversed)")
def card_capture_cancel_reverse(run: Run) -> None:
    doc = _create(run, 10000, 2000)
    _refused(run, "capture before payment", doc, "/captures", _tx(1000))
    doc = _pay(run, doc, "CreditCard")
    po = doc["paymentOrder"]
    run.expect("get after paid", po["status"] == "Paid" and po.get("transactionType") == "Authorization",
               "a card payment is Paid with transactionType Authorization")
    _remaining(run, "get after paid", doc, 10000, 10000, 0)
    paid = run.ok("get paid", run.call("get paid", "GET", po["paid"]["id"]), PAID)
    run.expect("get paid", paid["paid"]["amount"] == 10000 and paid["paymentOrder"] == po["id"],
               "the paid resource belongs to the order and carries its amount")
    doc = _op(run, "capture 6000", doc, "capture", "capture", _tx(6000, 1200))
    _remaining(run, "capture 6000", doc, 4000, 4000, 6000)
    step = "capture more than authorized"
    run.problem(step, run.call(step, "POST", _href(run, step, doc, "capture"), _tx(4001)))
    doc = _op(run, "cancel the rest", doc, "cancel", "cancel", _tx())
    run.expect("cancel the rest", _status(doc) == "Paid",
               "after a partial capture, cancelling the rest leaves the order Paid")
    _remaining(run, "cancel the rest", doc, 0, 0, 6000)
    run.expect("cancel the rest", not _rels(doc) & {"capture", "cancel"}, "nothing left to capture or cancel is offered")
    _refused(run, "capture again", doc, "/captures", _tx(100))
    doc = _op(run, "reverse 2000", doc, "reversal", "reversal", _tx(2000, 400))
    _remaining(run, "reverse 2000", doc, 0, 0, 4000)
    _refused(run, "reverse more than captured", doc, "/reversals", _tx(4001))
    doc = _op(run, "reverse the rest", doc, "reversal", "reversal", _tx(4000, 800))
    run.expect("reverse the rest", _status(doc) == "Reversed", f"everything captured is reversed: status is {_status(doc)}")
    final = run.ok("get reversed", run.call("get reversed", "GET", doc["paymentOrder"]["id"]), ORDER)
    _remaining(run, "get reversed", final, 0, 0, 0)


@scenario("swedbankpay", "card-cancel", "create → payer pays by card → cancel everything (Cancelled) → reversal (refused)")
def card_cancel(run: Run) -> None:
    doc = _pay(run, _create(run, 5000, 1000), "CreditCard")
    doc = _op(run, "cancel", doc, "cancel", "cancel", _tx())
    run.expect("cancel", _status(doc) == "Cancelled" and not _rels(doc) & (FINANCIAL | PAYMENT_UI),
               "cancelling an uncaptured order makes it Cancelled, with nothing left to capture, cancel or reverse")
    _refused(run, "reversal of a cancelled order", doc, "/reversals", _tx(100))


@scenario("swedbankpay", "swish-sale-reversal",
          "create → payer pays with Swish (Sale) → capture (refused) → reverse everything (Reversed)")
def swish_sale(run: Run) -> None:
    doc = _pay(run, _create(run, 3000, 600), "Swish")
    run.expect("get after paid", doc["paymentOrder"].get("transactionType") == "Sale", "a Swish payment is a Sale")
    _remaining(run, "get after paid", doc, 0, 0, 3000)
    run.expect("get after paid", "capture" not in _rels(doc), "a Sale offers no capture")
    _refused(run, "capture a sale", doc, "/captures", _tx(3000))
    doc = _op(run, "reverse all", doc, "reversal", "reversal", _tx(3000, 600))
    run.expect("reverse all", _status(doc) == "Reversed", f"status after reversing everything is {_status(doc)}")


@scenario("swedbankpay", "abort", "create → abort (Aborted) → abort again (refused) → capture (refused)")
def abort(run: Run) -> None:
    doc = _create(run, 1500, 300)
    body = {REQUEST_KEY: {"operation": "Abort", "abortReason": "CancelledByConsumer"}}
    step = "abort"
    after = run.ok(step, run.call(step, "PATCH", _href(run, step, doc, "abort"), body), ORDER)
    run.transition(step, allowed, _status(doc), "abort", _status(after))
    run.expect(step, _status(after) == "Aborted" and not _rels(after) & (FINANCIAL | PAYMENT_UI),
               "an aborted order offers no financial or payment operations")
    _refused(run, "abort again", after, "", body, method="PATCH")
    _refused(run, "capture aborted", after, "/captures", _tx(100))


@scenario("swedbankpay", "payment-fails", "create → the payment fails (Failed)")
def payment_fails(run: Run) -> None:
    doc = _pay(run, _create(run, 1200, 240), "CreditCard", outcome="failed")
    run.expect("get after failed", _status(doc) == "Failed" and not _rels(doc) & FINANCIAL,
               "a failed order offers no capture, cancel or reversal")


@scenario("swedbankpay", "unauthenticated", "GET a payment order without the Bearer token (401 problem)")
def unauthenticated(run: Run) -> None:
    ex = run.call("get without token", "GET", "/psp/paymentorders/" + str(uuid.uuid4()), auth=False)
    run.problem("get without token", ex, (401,))
