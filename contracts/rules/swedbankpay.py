"""Swedbank Pay Checkout v2 cross-field rules.

Each rule reads a :class:`View` (the order, the paid resource and the operations, found once per payload)
and returns ``[(path, message), …]`` — empty when the payload is consistent. Values of an unexpected type are
skipped: the schema reports those.
"""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from .. import registry
from ..findings import ERROR, WARNING
from ..redact import describe
from .. import paymentorder
from ..shape import SPP_ORDER, SPP_ORDER_STATE, SPP_PAID, SPP_PROBLEM
from . import PREPARE, Context, rule
from . import integer as _int

P = "swedbankpay"
ORDERS = (SPP_ORDER, SPP_ORDER_STATE)
WITH_PAID = (SPP_ORDER, SPP_PAID)


def _dict(v: Any) -> dict:
    return v if type(v) is dict else {}


def _str(v: Any) -> str | None:
    return v if type(v) is str else None


class View:
    __slots__ = ("doc", "order", "order_path", "paid", "paid_path", "ops", "schema", "details", "tokens")

    def __init__(self, doc: Any, schema: str):
        doc = _dict(doc)
        self.doc, self.schema = doc, schema
        key, order = paymentorder.find(doc)
        self.order, self.order_path = (order, f"$.{key}") if order is not None else ({}, "$")
        self.paid, self.paid_path = {}, ""
        if type(doc.get("paid")) is dict:
            self.paid, self.paid_path = doc["paid"], "$.paid"
        elif type(self.order.get("paid")) is dict and "instrument" in self.order["paid"]:
            self.paid, self.paid_path = self.order["paid"], f"{self.order_path}.paid"
        ops = doc.get("operations")
        self.ops = [(i, op.get("rel")) for i, op in enumerate(ops) if type(op) is dict] if type(ops) is list else []
        details, tokens = self.paid.get("details"), self.paid.get("tokens")
        self.details = details if type(details) is dict else {}
        self.tokens = tokens if type(tokens) is list else ()


PREPARE[P] = View


@rule("spp-bin-prefix", P, WITH_PAID, "details.bin equals the first six digits of details.maskedPan",
      "Field table: bin — 'The first six digits of the maskedPan.'", ERROR, safe=True)
def bin_prefix(v: View, ctx: Context):
    details = v.details
    if "maskedPan" not in details:
        return ()
    bin_, pan = details.get("bin"), details["maskedPan"]
    if type(bin_) is str and type(pan) is str and pan[:6].isdigit() and bin_ != pan[:6]:
        return [(f"{v.paid_path}.details.bin", f"bin {describe(bin_)} is not the first six digits of maskedPan ({describe(pan[:6])})")]
    return ()


@rule("spp-vat-within-amount", P, ORDERS, "vatAmount ≤ amount",
      "Field table: vatAmount — 'This field is used to specify how much of the total amount the VAT will be.'", ERROR)
def vat_within_amount(v: View, ctx: Context):
    vat, amount = _int(v.order.get("vatAmount")), _int(v.order.get("amount"))
    if vat is not None and amount is not None and vat > amount:
        return [(f"{v.order_path}.vatAmount", f"vatAmount {vat} exceeds amount {amount}")]
    return ()


@rule("spp-remaining-within-amount", P, ORDERS,
      "remainingCaptureAmount, remainingCancellationAmount and remainingReversalAmount are each ≤ amount",
      "Field table: 'The remaining authorized amount that is still possible to capture / cancel.'", ERROR)
def remaining_within_amount(v: View, ctx: Context):
    o = v.order
    amount = _int(o.get("amount"))
    if amount is None:
        return ()
    out = []
    for key in ("remainingCaptureAmount", "remainingCancellationAmount", "remainingReversalAmount"):
        value = _int(o.get(key))
        if value is not None and value > amount:
            out.append((f"{v.order_path}.{key}", f"{key} {value} exceeds amount {amount}"))
    return out


@rule("spp-paid-amount-matches-order", P, (SPP_ORDER,), "an expanded paid.amount equals the payment order's amount",
      "Status models, Paid example: paymentOrder.amount 1500 and paid.amount 1500 (inferred)", WARNING)
def paid_amount_matches(v: View, ctx: Context):
    a, b = _int(v.order.get("amount")), _int(_dict(v.order.get("paid")).get("amount"))
    if a is not None and b is not None and a != b:
        return [(f"{v.order_path}.paid.amount", f"paid.amount {b} differs from the payment order's amount {a}")]
    return ()


@rule("spp-paid-amount-adds-up", P, WITH_PAID, "paid.amount = submittedAmount + feeAmount − discountAmount when all are present",
      "Field table: submittedAmount is 'the initial payment order amount, not including any discounts or fees'; "
      "'The final payment order amount will be displayed in the amount field.' (inferred)", WARNING)
def paid_amount_adds_up(v: View, ctx: Context):
    p = v.paid
    if "submittedAmount" not in p:
        return ()
    amount, sub, fee, disc = (_int(p.get(k)) for k in ("amount", "submittedAmount", "feeAmount", "discountAmount"))
    if amount is not None and sub is not None and fee is not None and disc is not None and amount != sub + fee - disc:
        return [(f"{v.paid_path}.amount", f"amount {amount} ≠ submittedAmount {sub} + feeAmount {fee} − discountAmount {disc}")]
    return ()


_ID_FORM = re.compile(r"^/psp/[a-z]+/[0-9a-fA-F-]{36}(/[a-z]+)?$")


def _show_id(value: str) -> str:
    """An id in a message: as is when it has the documented form (it can hold nothing sensitive), else redacted."""
    return f"'{value}'" if _ID_FORM.match(value) else describe(value)


def _guid_of(resource_id: str) -> str:
    """The GUID segment of a resource id, for messages ('…' when the id has no GUID where one belongs)."""
    part = resource_id[19:55] if resource_id.startswith("/psp/paymentorders/") else ""
    return part[:8] + "…" if len(part) == 36 and part.count("-") == 4 and part.replace("-", "").isalnum() else "…"


def _subresources() -> tuple[str, ...]:
    """The payment order's sub-resources, as both models' schemas list them: each field that is (or, like paid,
    may be) a ``subResourceLink``. Public: the fast path hands it to its C certifier."""
    out: list[str] = []
    for name in ORDERS:
        for key, sub in registry.get(name)["$defs"]["paymentOrder"]["properties"].items():
            refs = [sub.get("$ref")] + [sub[k].get("$ref") for k in ("then", "else") if isinstance(sub.get(k), dict)]
            if any(str(r).endswith("/subResourceLink") for r in refs) and key not in out:
                out.append(key)
    return tuple(out)


SUBRESOURCES = _subresources()


@rule("spp-subresource-under-order", P, ORDERS + (SPP_PAID,), "every sub-resource id lives under the payment order's id",
      "Field table: id is 'the relative URL and unique identifier of the paymentorder resource'; sub-resources are "
      "its children. The vendor's own abbreviated examples break this with placeholder GUIDs (QUIRKS), so: warning.", WARNING, safe=True)
def subresource_under_order(v: View, ctx: Context):
    if v.schema == SPP_PAID:
        order_id, pid = _str(v.doc.get("paymentOrder")), _str(v.paid.get("id"))
        if order_id and pid and not pid.startswith(order_id + "/"):
            return [("$.paid.id", f"paid.id is not under the payment order's id ({_guid_of(pid)} ≠ {_guid_of(order_id)})")]
        return ()
    o = v.order
    order_id = o.get("id")
    if type(order_id) is not str:
        return ()
    prefix, get, out = order_id + "/", o.get, []
    for k in SUBRESOURCES:
        sub = get(k)
        if type(sub) is dict:
            sid = sub.get("id")
            if type(sid) is str and not sid.startswith(prefix):
                out.append((f"{v.order_path}.{k}.id", f"{k}.id is not under the payment order's id ({_guid_of(sid)} ≠ {_guid_of(order_id)})"))
    return out


def _rels(group: str) -> frozenset[str]:
    """A group of operation rels, as the schema writes it once (operation.json ``$defs``)."""
    return frozenset(registry.get("swedbankpay/checkout-v2/operation")["$defs"][group]["enum"])


CAPTURE_RELS = _rels("captureRel")  # public: the fast path hands it to its C certifier


@rule("spp-sale-nothing-to-capture", P, (SPP_ORDER,), "transactionType Sale ⇒ no capture operation and nothing left to capture",
      "Field table: transactionType 'Can be used to understand if there is a need for doing a capture'; Swish and "
      "Trustly (Sale) examples show no capture (inferred)", WARNING)
def sale_nothing_to_capture(v: View, ctx: Context):
    o = v.order
    if o.get("transactionType") != "Sale" and _dict(o.get("paid")).get("transactionType") != "Sale":
        return ()
    out = []
    remaining = _int(o.get("remainingCaptureAmount"))
    if remaining:
        out.append((f"{v.order_path}.remainingCaptureAmount", f"transactionType is Sale, but remainingCaptureAmount is {remaining}"))
    out += [(f"$.operations[{i}].rel", "transactionType is Sale, but a capture operation is offered") for i, rel in v.ops if rel in CAPTURE_RELS]
    return out


_TS = re.compile(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def instant(ts: str) -> tuple | None:
    """A sortable UTC instant with the full 7-digit precision the API writes (datetime stops at µs)."""
    m = _TS.match(ts)
    if not m:
        return None
    zone = "+00:00" if m.group(3) == "Z" else m.group(3)
    try:
        seconds = datetime.fromisoformat(m.group(1) + zone).timestamp()
    except ValueError:
        return None
    return int(seconds), (m.group(2) or ".")[1:].ljust(9, "0")


@rule("spp-updated-after-created", P, ORDERS, "updated ≥ created",
      "Field table: created is 'when the payment order was created', updated 'when [it] was updated'.", ERROR)
def updated_after_created(v: View, ctx: Context):
    c, u = _str(v.order.get("created")), _str(v.order.get("updated"))
    if not c or not u or c == u:
        return ()
    if len(c) == len(u) and c[-1] == u[-1] == "Z" and c[10:11] == u[10:11] == "T":
        ci, ui = c, u  # same zone, same precision: ISO-8601 strings order like the instants
    else:
        ci, ui = instant(c), instant(u)
    if ci is not None and ui is not None and ui < ci:
        return [(f"{v.order_path}.updated", f"updated {u} is before created {c}")]
    return ()


TOKEN_TYPE_SPELLINGS = {"Unscheduled": "unscheduled", "transactionsOnFile": "transactionOnFile"}  # public: see CAPTURE_RELS


@rule("spp-token-type-spelling", P, WITH_PAID, "token types use the table's spelling (unscheduled, transactionOnFile)",
      "Token table: 'payment, recurrence, transactionOnFile or unscheduled'; examples write Unscheduled and "
      "transactionsOnFile (QUIRKS: accepted with a warning)", WARNING, safe=True)
def token_type_spelling(v: View, ctx: Context):
    if not v.tokens:
        return ()
    return [(f"{v.paid_path}.tokens[{i}].type", f"token type {tok['type']!r} is documented as {TOKEN_TYPE_SPELLINGS[tok['type']]!r}")
            for i, tok in enumerate(v.tokens) if type(tok) is dict and tok.get("type") in TOKEN_TYPE_SPELLINGS]


@rule("spp-instrument-spelling", P, WITH_PAID, "the card instrument is spelt CreditCard",
      "Every table and most examples write CreditCard; the resource-models card example writes Creditcard "
      "(QUIRKS: accepted with a warning)", WARNING, safe=True)
def instrument_spelling(v: View, ctx: Context):
    if v.paid.get("instrument") == "Creditcard":
        return [(f"{v.paid_path}.instrument", "instrument 'Creditcard' is documented as 'CreditCard'")]
    return ()


@rule("spp-problem-status-matches-http", P, (SPP_PROBLEM,), "problem.status equals the HTTP status it was served with",
      "Problems: status — 'The HTTP status code that the problem was served with.'", ERROR)
def problem_status(v: View, ctx: Context):
    http_status = getattr(ctx.http, "status", None)
    status = _int(v.doc.get("status"))
    if http_status is not None and status is not None and status != http_status:
        return [("$.status", f"status {status} differs from the HTTP status {http_status}")]
    return ()
