"""Swedbank Pay Checkout v3.1 cross-field rules: the money and the order of events, where JSON Schema cannot say it.

What the schema can say is in the schema (``schemas/swedbankpay/checkout-v3/``): the sub-resources a status needs,
the operations a status must not offer, the root key. Each rule reads a :class:`View` (the order or request body,
its expanded sub-resources and operations, found once per payload) and returns ``[(path, message), …]``. Values of
an unexpected type are skipped: the schema reports those.
"""
from __future__ import annotations

from typing import Any

from ..findings import ERROR, WARNING
from ..redact import describe
from ..shape import SPP3
from . import PREPARE, Context, rule
from .swedbankpay import instant

P = "swedbankpay-v3"
ORDERS = tuple(SPP3 + n for n in ("payment-order", "capture-response", "cancel-response", "reversal-response"))
WITH_AMOUNTS = ORDERS + tuple(SPP3 + n for n in ("requests/create", "requests/capture", "requests/reversal"))
PAID_LIKE = ("paid", "cancelled", "reversed")
ENVELOPES = tuple(SPP3 + n for n in PAID_LIKE) + (SPP3 + "history", SPP3 + "financial-transactions")
_ENVELOPE_KEYS = {SPP3 + "paid": "paid", SPP3 + "cancelled": "cancelled", SPP3 + "reversed": "reversed",
                  SPP3 + "history": "history", SPP3 + "financial-transactions": "financialTransactions"}


def _dict(v: Any) -> dict:
    return v if type(v) is dict else {}


def _int(v: Any) -> int | None:
    """An amount or count as the rules read it: a non-negative integer, else None (the schema reports the rest)."""
    return v if type(v) is int and v >= 0 else None


def _str(v: Any) -> str | None:
    return v if type(v) is str else None


class View:
    """The object the rules judge (``paymentOrder``/``paymentorder``/``transaction``, or a sub-resource envelope's
    resource), where it is, and its expanded sub-resources as ``{key: (resource, path)}``."""
    __slots__ = ("doc", "order", "path", "ops", "expanded", "parent")

    def __init__(self, doc: Any, schema: str):
        doc = _dict(doc)
        self.doc, self.order, self.path, self.expanded, self.parent = doc, {}, "$", {}, None
        for key in ("paymentOrder", "paymentorder", "transaction"):
            if type(doc.get(key)) is dict:
                self.order, self.path = doc[key], f"$.{key}"
                break
        for key in ("paymentOrder", "paymentorder", "payment"):
            if type(doc.get(key)) is str:
                self.parent = doc[key]
        inner = _ENVELOPE_KEYS.get(schema)
        if inner is not None and type(doc.get(inner)) is dict:
            self.expanded[inner] = (doc[inner], f"$.{inner}")
        for key, value in self.order.items():
            if type(value) is dict and any(k not in ("id", "paymentTokenGenerated") for k in value):
                self.expanded[key] = (value, f"{self.path}.{key}")
        ops = doc.get("operations")
        self.ops = {op.get("rel") for op in ops if type(op) is dict} if type(ops) is list else set()


PREPARE[P] = View

REMAINING = ("remainingCaptureAmount", "remainingCancellationAmount", "remainingReversalAmount")


@rule("spp3-vat-within-amount", P, WITH_AMOUNTS, "vatAmount ≤ amount (order, create, capture and reversal bodies)",
      "payment-request-3-1.md field table: vatAmount — 'the payment's VAT amount'; amount 'including VAT'.", ERROR, safe=True)
def vat_within_amount(v: View, ctx: Context):
    vat, amount = _int(v.order.get("vatAmount")), _int(v.order.get("amount"))
    if vat is not None and amount is not None and vat > amount:
        return [(f"{v.path}.vatAmount", f"vatAmount {vat} exceeds amount {amount}")]
    return ()


@rule("spp3-remaining-within-amount", P, ORDERS, "remainingCaptureAmount, remainingCancellationAmount and "
      "remainingReversalAmount are each at most amount",
      "status-models field table: 'the remaining authorized amount that is still possible to capture/cancel', "
      "'the captured amount still possible to reverse' — parts of amount.", ERROR, safe=True)
def remaining_within_amount(v: View, ctx: Context):
    amount = _int(v.order.get("amount"))
    if amount is None:
        return ()
    return [(f"{v.path}.{k}", f"{k} {_int(v.order.get(k))} exceeds amount {amount}")
            for k in REMAINING if _int(v.order.get(k)) is not None and v.order[k] > amount]


@rule("spp3-remaining-fits-status", P, ORDERS, "an Initialized order has no remaining amounts; a Cancelled order "
      "has nothing left to capture or cancel; a Reversed order nothing left to capture or reverse",
      "reference §3.1: remaining* appear once money has moved; the Reversed example (post-purchase-3-1.md L1483) "
      "shows remainingCaptureAmount and remainingReversalAmount 0; Cancelled = the full authorisation cancelled.",
      WARNING, safe=True)
def remaining_fits_status(v: View, ctx: Context):
    status, o = v.order.get("status"), v.order
    if status == "Initialized":
        return [(f"{v.path}.{k}", f"an Initialized order shows {k} (no money has moved yet)") for k in REMAINING if k in o]
    zero = {"Cancelled": ("remainingCaptureAmount", "remainingCancellationAmount"),
            "Reversed": ("remainingCaptureAmount", "remainingCancellationAmount", "remainingReversalAmount")}.get(status, ())
    return [(f"{v.path}.{k}", f"a {status} order has {k} {o[k]}, expected 0") for k in zero if _int(o.get(k))]  # 0/None: quiet


@rule("spp3-operations-fit-remaining", P, ORDERS, "capture is offered only while remainingCaptureAmount > 0, cancel "
      "only while remainingCancellationAmount > 0, reversal only while remainingReversalAmount > 0 (when shown)",
      "payment-order-operations.md: an operation is listed when it can be performed; reference §3.1 Paid: uncaptured "
      "→ cancel, capture; captured → reversal.", WARNING, safe=True)
def operations_fit_remaining(v: View, ctx: Context):
    out = []
    for rel, key in (("capture", "remainingCaptureAmount"), ("cancel", "remainingCancellationAmount"),
                     ("reversal", "remainingReversalAmount")):
        left = _int(v.order.get(key))
        if rel in v.ops and left == 0:
            out.append(("$.operations", f"operation {rel} is offered but {key} is 0"))
    return out


def _sums(transactions: list) -> dict[str, int] | None:
    """Amounts by transaction type, or None when any transaction is malformed (the schema reports it)."""
    sums: dict[str, int] = {}
    for t in transactions:
        if type(t) is not dict or type(t.get("type")) is not str or _int(t.get("amount")) is None:
            return None
        sums[t["type"]] = sums.get(t["type"], 0) + t["amount"]
    return sums


@rule("spp3-financial-transactions-add-up", P, ORDERS + (SPP3 + "financial-transactions",),
      "with financialTransactions expanded: reversals ≤ captures + sales; remainingReversalAmount = captured − "
      "reversed; remainingCaptureAmount = amount − captured − cancelled (when captures or cancellations exist); a "
      "Reversed order has reversed everything captured",
      "migration-guide-v2.md 'Post-Purchase Changes' (use ?$expand=financialtransactions to see the captures and "
      "reversals behind the remaining amounts); fields/status.md: Reversed = the whole captured amount reversed.",
      ERROR, safe=True)
def financial_transactions_add_up(v: View, ctx: Context):
    found = v.expanded.get("financialTransactions")
    if found is None:
        return ()
    ft, where = found
    items = ft.get("financialTransactionsList")
    if type(items) is not list:
        return ()
    s = _sums(items)
    if s is None:
        return ()
    captured = s.get("Capture", 0) + s.get("Sale", 0)
    reversed_, cancelled = s.get("Reversal", 0), s.get("Cancellation", 0)
    out = []
    if reversed_ > captured:
        out.append((f"{where}.financialTransactionsList", f"reversals add up to {reversed_}, more than the {captured} captured"))
    o = v.order
    left = _int(o.get("remainingReversalAmount"))
    if left is not None and left != captured - reversed_:
        out.append((f"{v.path}.remainingReversalAmount",
                    f"remainingReversalAmount {left}, but the transactions leave {captured - reversed_} (captured {captured} − reversed {reversed_})"))
    left, amount = _int(o.get("remainingCaptureAmount")), _int(o.get("amount"))
    if left is not None and amount is not None and (s.get("Capture") or cancelled) and left != amount - s.get("Capture", 0) - cancelled:
        out.append((f"{v.path}.remainingCaptureAmount",
                    f"remainingCaptureAmount {left}, but the transactions leave {amount - s.get('Capture', 0) - cancelled} "
                    f"(amount {amount} − captured {s.get('Capture', 0)} − cancelled {cancelled})"))
    if o.get("status") == "Reversed" and (captured == 0 or reversed_ != captured):
        out.append((f"{v.path}.status", f"status Reversed, but the transactions reverse {reversed_} of {captured} captured"))
    return out


def _before(a: str, b: str) -> bool | None:
    """Whether instant ``b`` is before ``a`` (None when either does not parse)."""
    ia, ib = instant(a), instant(b)
    return None if ia is None or ib is None else ib < ia


@rule("spp3-history-in-order", P, ORDERS + (SPP3 + "history",), "history events are listed oldest first",
      "resource-models history dictionary (L1454-L1623): the history list records the payment order's events as "
      "they happen.", ERROR, safe=True)
def history_in_order(v: View, ctx: Context):
    found = v.expanded.get("history")
    if found is None:
        return ()
    items = found[0].get("historyList")
    if type(items) is not list:
        return ()
    out, last = [], None
    for i, item in enumerate(items):
        created = _str(_dict(item).get("created"))
        if created is None:
            continue
        if last is not None and _before(last, created):
            out.append((f"{found[1]}.historyList[{i}].created", f"event at {created} is listed after one at {last}"))
        last = created
    return out


@rule("spp3-updated-after-created", P, ORDERS + (SPP3 + "financial-transactions",),
      "updated ≥ created (the order, each financial transaction)",
      "Field tables: created is when the resource was created, updated when it was last updated.", ERROR, safe=True)
def updated_after_created(v: View, ctx: Context):
    pairs = [(v.order, v.path)]
    found = v.expanded.get("financialTransactions")
    if found is not None and type(found[0].get("financialTransactionsList")) is list:
        pairs += [(t, f"{found[1]}.financialTransactionsList[{i}]") for i, t in enumerate(found[0]["financialTransactionsList"])
                  if type(t) is dict]
    out = []
    for obj, path in pairs:
        c, u = _str(obj.get("created")), _str(obj.get("updated"))
        if c and u and _before(c, u):
            out.append((f"{path}.updated", f"updated {u} is before created {c}"))
    return out


@rule("spp3-subresource-under-order", P, ORDERS + ENVELOPES, "every sub-resource id lives under the payment order's id",
      "reference §4: GET /psp/paymentorders/{id}/{segment}; the vendor's abbreviated examples use differing "
      "placeholder GUIDs (§8 #31), hence a warning.", WARNING, safe=True)
def subresource_under_order(v: View, ctx: Context):
    base = _str(v.order.get("id")) or v.parent
    if not base:
        return ()
    out = []
    holders = [(val, f"{v.path}.{key}") for key, val in v.order.items() if type(val) is dict] if v.order else []
    holders += [(res, path) for key, (res, path) in v.expanded.items() if not path.startswith(v.path + ".") or v.path == "$"]
    for res, path in holders:
        rid = _str(res.get("id"))
        if rid is not None and rid.startswith("/psp/paymentorders/") and not rid.startswith(base + "/"):
            out.append((f"{path}.id", f"{path[2:]}.id is not under the payment order {describe(base)}"))
    return out


@rule("spp3-bin-prefix", P, ORDERS + tuple(SPP3 + n for n in PAID_LIKE),
      "details.bin equals the first six digits of details.maskedPan", "Details table: bin — 'The first six digits of the maskedPan.'",
      ERROR, safe=True)
def bin_prefix(v: View, ctx: Context):
    out = []
    for key in PAID_LIKE:
        found = v.expanded.get(key)
        if found is None:
            continue
        details = _dict(found[0].get("details"))
        b, pan = details.get("bin"), details.get("maskedPan")
        if type(b) is str and type(pan) is str and pan[:6].isdigit() and b != pan[:6]:
            out.append((f"{found[1]}.details.bin", f"bin {describe(b)} is not the first six digits of maskedPan ({describe(pan[:6])})"))
    return out


@rule("spp3-paid-amount-adds-up", P, ORDERS + tuple(SPP3 + n for n in PAID_LIKE),
      "paid/cancelled/reversed amount = submittedAmount + feeAmount − discountAmount when all are present",
      "paid table: submittedAmount is the amount before the method's fee or discount; amount includes them.", WARNING, safe=True)
def paid_amount_adds_up(v: View, ctx: Context):
    out = []
    for key in PAID_LIKE:
        found = v.expanded.get(key)
        if found is None:
            continue
        p = found[0]
        a, s, f, d = (_int(p.get(k)) for k in ("amount", "submittedAmount", "feeAmount", "discountAmount"))
        if None not in (a, s, f, d) and a != s + f - d:
            out.append((f"{found[1]}.amount", f"amount {a} is not submittedAmount {s} + feeAmount {f} − discountAmount {d}"))
    return out


@rule("spp3-problem-status-matches-http", P, (SPP3 + "problem",), "problem.status equals the HTTP status it was served with",
      "problems/checkout.md: status — 'The HTTP status code that the problem was served with.'", ERROR, safe=True)
def problem_status(v: View, ctx: Context):
    http_status = getattr(ctx.http, "status", None)
    status = _int(v.doc.get("status"))
    if http_status is not None and status is not None and status != http_status:
        return [("$.status", f"status {status} differs from the HTTP status {http_status}")]
    return ()
