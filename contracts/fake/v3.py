"""Checkout v3.1 views of the fake's payment orders (the same records the v2 views read: "v2 orders can be read
as v3.1", reference v3 §1), built after the reference's examples (§2, §3.1, §4).

* :func:`order_view`: ``{"paymentOrder": …, "operations": […]}``; every sub-resource an ``{id}`` link unless
  ``$expand`` names it (:data:`EXPAND` maps the names, case-insensitively, as the .NET SDK emits them).
* :func:`sub_resource`: ``GET /psp/paymentorders/{id}/{segment}``: ``{"paymentOrder": <id>, "<name>": {…}}``.
* v3.1 rels (update-order, abort, redirect-checkout, view-checkout, capture, cancel, reversal) offered as the
  state machine (:mod:`checkout_contracts.lifecycles`) allows.
"""
from __future__ import annotations

from typing import Any

from .. import lifecycles as machine
from .values import iso7

# link key in the order -> path segment (reference v3 §4.15: lower case, payer is "payers")
SEGMENTS = {"orderItems": "orderitems", "urls": "urls", "payeeInfo": "payeeinfo", "payer": "payers",
            "history": "history", "failed": "failed", "aborted": "aborted", "paid": "paid", "cancelled": "cancelled",
            "reversed": "reversed", "financialTransactions": "financialtransactions",
            "failedAttempts": "failedattempts", "postPurchaseFailedAttempts": "postpurchasefailedattempts",
            "metadata": "metadata"}
#: $expand name (lower case) and path segment -> link key
EXPAND = {**{k.lower(): k for k in SEGMENTS}, **{v: k for k, v in SEGMENTS.items()}}
RELS = ("update-order", "abort", "redirect-checkout", "view-checkout", "cancel", "capture", "reversal")
_REL_EVENT = {"abort": "abort", "cancel": "cancel", "capture": "capture", "reversal": "reversal"}
ACQUIRER_ERROR = {"type": "https://api.payex.com/psp/errordetail/creditcard/acquirererror",
                  "title": "Operation failed", "status": 403, "detail": "Unable to complete Authorization transaction, "
                  "look at problem node!", "problems": [{"name": "ExternalResponse", "description": "REJECTED_BY_ACQUIRER"}]}


def expand_names(value: str) -> set[str]:
    """The link keys a ``$expand`` query names (unknown names are ignored, as the vendor does)."""
    return {EXPAND[n.strip().lower()] for n in value.split(",") if n.strip().lower() in EXPAND}


def order_view(o: dict, base: str, expand: set[str] = frozenset()) -> dict:
    state: machine.SppState = o["state"]
    oid = o["id"]
    po: dict[str, Any] = {"id": oid, "created": o["created"], "updated": iso7(*state.updated),
                          "operation": "Purchase", "status": state.status, "currency": o["currency"],
                          "amount": state.amount, "vatAmount": o["vatAmount"]}
    if state.paid:
        po.update(remainingCaptureAmount=state.remaining_capture,
                  remainingCancellationAmount=state.remaining_cancellation,
                  remainingReversalAmount=state.remaining_reversal)
    po["description"] = o["description"]
    if o["userAgent"]:
        po["initiatingSystemUserAgent"] = o["userAgent"]
    po.update(language=o["language"], availableInstruments=list(o["availableInstruments"]),
              implementation="PaymentsOnly", integration=o["integration"], instrumentMode=o["instrumentMode"],
              guestMode=False)
    for key, segment in SEGMENTS.items():
        po[key] = resource(o, key) if key in expand and _has(o, key) else {"id": f"{oid}/{segment}"}
    return {"paymentOrder": po, "operations": _operations(o, base)}


def _operations(o: dict, base: str) -> list[dict]:
    state: machine.SppState = o["state"]
    events = machine.next_events("swedbankpay", state.status)
    out = []
    for rel in machine.offered_rels(state, RELS):
        if rel in _REL_EVENT and _REL_EVENT[rel] not in events:
            continue
        op = machine.OPERATIONS[rel]
        out.append({"method": op.method, "href": f"{base}{o['id']}{op.suffix}", "rel": rel,
                    "contentType": op.content_type})
    return out


def _has(o: dict, key: str) -> bool:
    """Whether the order has this sub-resource's content yet (an unpaid order has no paid resource)."""
    state: machine.SppState = o["state"]
    if key == "paid":
        return state.paid
    if key == "cancelled":
        return state.status == "Cancelled"
    if key == "reversed":
        return state.reversed > 0
    if key == "failed":
        return state.status == "Failed"
    if key == "aborted":
        return state.status == "Aborted"
    return True


def sub_resource(o: dict, key: str) -> dict | None:
    """The ``GET …/{segment}`` envelope, or None when the order has no such resource yet."""
    if not _has(o, key):
        return None
    return {"paymentOrder": o["id"], key: resource(o, key)}


def resource(o: dict, key: str) -> dict:
    state: machine.SppState = o["state"]
    rid = f"{o['id']}/{SEGMENTS[key]}"
    if key in ("paid", "cancelled", "reversed"):
        out: dict[str, Any] = {"id": rid, "instrument": o["instrument"], "number": o["number"],
                               "payeeReference": o["payeeReference"]}
        if o.get("orderReference"):
            out["orderReference"] = o["orderReference"]
        amount = {"paid": state.amount, "cancelled": state.cancelled, "reversed": state.reversed}[key]
        out.update(transactionType=state.transaction_type, amount=amount, submittedAmount=amount, feeAmount=0,
                   discountAmount=0)
        if key == "paid":
            out["paymentTokenGenerated"] = False
        out["details"] = dict(o["details"] or {})
        if key == "cancelled":
            out["cancelReason"] = o.get("cancelReason") or "Cancelled by the merchant"
        return out
    if key == "failed":
        return {"id": rid, "problem": dict(ACQUIRER_ERROR)}
    if key == "aborted":
        return {"id": rid, "abortReason": o.get("abortReason") or "CancelledByConsumer"}
    if key == "history":
        return {"id": rid, "historyList": [dict(h) for h in o["history"]]}
    if key == "financialTransactions":
        return {"id": rid, "financialTransactionsList": [dict(t) for t in o["transactions"]]}
    if key == "failedAttempts":
        return {"id": rid, "failedAttemptList": [dict(a) for a in o["failedAttempts"]]}
    if key == "postPurchaseFailedAttempts":
        return {"id": rid, "postpurchaseFailedAttemptList": []}
    if key == "orderItems":
        return {"id": rid, "orderItemList": [dict(i) for i in o["orderItems"]]}
    if key == "urls":
        return {"id": rid, **{k: v for k, v in o["urls"].items() if k in URL_KEYS}}
    if key == "payeeInfo":
        return {"id": rid, **{k: v for k, v in o["payeeInfo"].items() if k in PAYEE_KEYS}}
    if key == "payer":
        return {"id": rid}
    if key == "metadata":
        return {"id": rid, **o["metadata"]}
    raise KeyError(key)


URL_KEYS = ("hostUrls", "completeUrl", "cancelUrl", "paymentUrl", "callbackUrl", "logoUrl", "termsOfServiceUrl")
PAYEE_KEYS = ("payeeId", "payeeReference", "payeeName", "productCategory", "orderReference", "subsite", "siteId")


def order_item_keys() -> frozenset[str] | None:
    """The members of a v3.1 order item (from the create request's schema), or None before that schema exists."""
    from .. import registry
    name = "swedbankpay/checkout-v3/requests/create"
    if name not in registry.names():
        return None
    return frozenset(registry.get(name).get("$defs", {}).get("orderItem", {}).get("properties", {})) or None

__all__ = ["EXPAND", "RELS", "SEGMENTS", "expand_names", "order_view", "resource", "sub_resource"]
