"""The small Swedbank Pay schemas: one operation, one token, response headers, a problem body. Pure."""
from __future__ import annotations

import random
from typing import Any

from .. import lifecycles as machine
from . import values as V
from .draw import Draw, as_draw
from .spp_paid import TOKEN_QUIRKS, TOKEN_TYPES


def operation_object(d: Draw | random.Random | int | None = None, *, rel: str | None = None) -> dict:
    """One operation (the ``operation`` sub-schema): a rel with its method and an href under an order id."""
    d = as_draw(d)
    oid = V.payment_order_id(V.new_guid(d))
    rel = rel or d.choice(tuple(machine.OPERATIONS), "$.rel")
    op = machine.operation(oid, rel, d.flag("$.contentType?"))
    if "contentType" in op:
        op["contentType"] = d.choice((machine.OPERATIONS[rel].content_type,), "$.contentType",
                                     quirks=("application/json", "text/html", "application/javascript",
                                             "application/problem+json"))
    if d.forced("$.method"):
        op["method"] = d.choice(("GET", "POST", "PATCH"), "$.method")
    return op


def token_object(d: Draw | random.Random | int | None = None) -> dict:
    d = as_draw(d)
    _, pan = V.test_pan(d)
    month, year = V.expiry(V.draw_instant(d), d.int(3, 60))
    t: dict[str, Any] = {"type": d.choice(TOKEN_TYPES, "$.type", quirks=TOKEN_QUIRKS), "token": V.new_guid(d)}
    if d.flag("$.name?"):
        t["name"] = V.masked_pan(pan)
    if d.flag("$.expiryDate?"):
        t["expiryDate"] = f"{month:02d}/{year}"
    return t


def headers(d: Draw | random.Random | int | None = None) -> dict:
    """Response headers (lower-cased names) as the docs show them."""
    d = as_draw(d)
    version = d.choice(("2.0", "3.0/2.0", "3.x/2.0"))
    kind = d.choice(("json", "json", "problem+json"))
    ct = d.choice((f"application/{kind}; charset=utf-8; version={version}", f"application/{kind}; charset=utf-8",
                   f"application/{kind}", f"application/{kind};version={version}"))
    out = {"content-type": ct}
    if d.flag("$['api-supported-versions']?"):
        out["api-supported-versions"] = d.choice(("2.0", "3.0/2.0", "3.x/2.0", "3.x"))
    return out


PROBLEMS = (
    (400, "inputerror", "Error in input data", "Input validation failed, error description in problems node!",
     [{"name": "Payment.Amount", "description": "The field Amount must be greater than 0."}], "RetryNewData"),
    (400, "badrequest", "Bad request", "The request could not be understood.", [], "RetryNewData"),
    (401, "unauthorized", "Unauthorized", "The access token is missing or invalid.", [], "Abort"),
    (403, "forbidden", "Forbidden", "The operation is not allowed in the payment order's current state.",
     [{"name": "PaymentOrder.State", "description": "The payment order has already been captured."}], "Abort"),
    (404, "notfound", "Not found", "The payment order was not found.", [], "Abort"),
    (409, "conflict", "Conflict", "A transaction with the same payeeReference already exists.",
     [{"name": "PayeeReference", "description": "The payeeReference must be unique."}], "RetryNewData"),
    (422, "acquirerinsufficientfunds", "Insufficient funds", "The card has insufficient funds.", [],
     "RetryOtherInstrument"),
    (500, "systemerror", "Internal server error", "An unexpected error occurred. Please try again later.", [], "Retry"),
    (502, "badgateway", "Bad gateway", "The acquirer did not respond.", [], "Retry"),
    (503, "serviceunavailable", "Service unavailable", "The service is temporarily unavailable.", [], "ContactSwedbankPay"),
)
PROBLEM_STATUSES = tuple(sorted({p[0] for p in PROBLEMS}))


def problem(d: Draw | random.Random | int | None = None, *, status: int | None = None) -> dict:
    """A problem (error) body; ``status`` picks one of the documented kinds served with that HTTP status."""
    d = as_draw(d)
    pool = [p for p in PROBLEMS if status is None or p[0] == status]
    if not pool:
        raise ValueError(f"no documented problem with status {status}; known: {', '.join(map(str, PROBLEM_STATUSES))}")
    http, kind, title, detail, problems, action = d.choice(pool, "$#kind")
    resource = d.choice(("paymentorders", "creditcard", "swish", "invoice"))
    out: dict[str, Any] = {"type": f"https://api.payex.com/psp/errordetail/{resource}/{kind}", "title": title,
                           "status": http}
    if d.flag("$.instance?"):
        out["instance"] = f"http://api.payex.com/psp/errordetail/{resource}/{V.new_guid(d)}"
    if d.flag("$.detail?"):
        out["detail"] = detail
    if d.flag("$.action?"):
        out["action"] = d.choice((action,), "$.action",
                                 quirks=("RetryNewData", "Retry", "RetryOtherInstrument", "Abort", "ContactSwedbankPay"))
    if d.flag("$.problems?"):
        out["problems"] = [dict(p) for p in problems]
    if d.flag("$.sessionId?"):
        out["sessionId"] = V.new_guid(d)
    if d.flag("$.suspension?"):
        attempts = d.int(1, 5)
        sus = {"attempts": attempts, "remaining": d.int(0, 5 - attempts) if attempts < 5 else 0,
               "product": d.choice(("CreditCard", "Swish")), "acquirerCode": d.choice(("51", "05", "61")),
               "acquirerDetail": d.choice(("Insufficient funds", "Do not honour", "Exceeds withdrawal limit")),
               "state": d.choice(("Suspended", "Active"))}
        out["suspension"] = {k: v for k, v in sus.items() if d.flag(f"$.suspension.{k}?")}
    if d.flag("$.modification?"):  # a decline that may pass after modifications (QUIRKS SPP-PROBLEM-MODIFICATION)
        mod = {"required": "YES", "reason": d.choice(("Strong customer authentication required", "Amount too high")),
               "acquirerCode": d.choice(("1A", "65")),
               "acquirerDetail": d.choice(("Additional customer authentication required", "Exceeds frequency limit"))}
        out["modification"] = {k: v for k, v in mod.items() if d.flag(f"$.modification.{k}?")}
    return out
