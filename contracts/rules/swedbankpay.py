"""Swedbank Pay Checkout v2 cross-field rules."""
from __future__ import annotations

import re
from typing import Any, Iterator

from ..findings import ERROR, WARNING
from ..redact import describe
from ..shape import SPP_ORDER, SPP_ORDER_STATE, SPP_PAID, SPP_PROBLEM
from . import Context, rule
from ._get import arr, num, obj, text

P = "swedbankpay"
ORDERS = (SPP_ORDER, SPP_ORDER_STATE)
WITH_PAID = (SPP_ORDER, SPP_PAID)


def _order(doc: Any) -> tuple[str, dict | None]:
    """(path, the payment order object) in a full response."""
    for key in ("paymentOrder", "paymentorder"):
        o = obj(doc, key)
        if o is not None:
            return f"$.{key}", o
    return "$", None


def _paid(doc: Any) -> tuple[str, dict | None]:
    """(path, the expanded paid resource) in a payment-order or paid response."""
    if obj(doc, "paid") is not None:
        return "$.paid", obj(doc, "paid")
    path, order = _order(doc)
    paid = obj(order, "paid")
    if paid is not None and "instrument" in paid:
        return f"{path}.paid", paid
    return path, None


@rule("spp-bin-prefix", P, WITH_PAID, "details.bin equals the first six digits of details.maskedPan",
      "Field table: bin — 'The first six digits of the maskedPan.'", ERROR)
def bin_prefix(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    path, paid = _paid(doc)
    details = obj(paid, "details")
    bin_, pan = text(details, "bin"), text(details, "maskedPan")
    if bin_ is not None and pan is not None and pan[:6].isdigit() and bin_ != pan[:6]:
        yield f"{path}.details.bin", f"bin {describe(bin_)} is not the first six digits of maskedPan ({describe(pan[:6])})"


@rule("spp-vat-within-amount", P, ORDERS, "vatAmount ≤ amount",
      "Field table: vatAmount — 'This field is used to specify how much of the total amount the VAT will be.'", ERROR)
def vat_within_amount(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    path, order = _order(doc)
    vat, amount = num(order, "vatAmount"), num(order, "amount")
    if vat is not None and amount is not None and vat > amount:
        yield f"{path}.vatAmount", f"vatAmount {vat} exceeds amount {amount}"


@rule("spp-remaining-within-amount", P, ORDERS,
      "remainingCaptureAmount, remainingCancellationAmount and remainingReversalAmount are each ≤ amount",
      "Field table: 'The remaining authorized amount that is still possible to capture / cancel.'", ERROR)
def remaining_within_amount(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    path, order = _order(doc)
    amount = num(order, "amount")
    if amount is None:
        return
    for key in ("remainingCaptureAmount", "remainingCancellationAmount", "remainingReversalAmount"):
        value = num(order, key)
        if value is not None and value > amount:
            yield f"{path}.{key}", f"{key} {value} exceeds amount {amount}"


@rule("spp-paid-amount-matches-order", P, (SPP_ORDER,), "an expanded paid.amount equals the payment order's amount",
      "Status models, Paid example: paymentOrder.amount 1500 and paid.amount 1500 (inferred)", WARNING)
def paid_amount_matches(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    path, order = _order(doc)
    paid = obj(order, "paid")
    a, b = num(order, "amount"), num(paid, "amount")
    if a is not None and b is not None and a != b:
        yield f"{path}.paid.amount", f"paid.amount {b} differs from the payment order's amount {a}"


@rule("spp-paid-amount-adds-up", P, WITH_PAID, "paid.amount = submittedAmount + feeAmount − discountAmount when all are present",
      "Field table: submittedAmount is 'the initial payment order amount, not including any discounts or fees'; "
      "'The final payment order amount will be displayed in the amount field.' (inferred)", WARNING)
def paid_amount_adds_up(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    path, paid = _paid(doc)
    amount, sub, fee, disc = (num(paid, k) for k in ("amount", "submittedAmount", "feeAmount", "discountAmount"))
    if None not in (amount, sub, fee, disc) and amount != sub + fee - disc:
        yield f"{path}.amount", f"amount {amount} ≠ submittedAmount {sub} + feeAmount {fee} − discountAmount {disc}"


_SUBS = ("orderItems", "urls", "payeeInfo", "payer", "payers", "history", "failed", "aborted", "paid", "cancelled",
         "reversed", "financialTransactions", "failedAttempts", "metadata", "payments", "currentPayment", "settings")


@rule("spp-subresource-under-order", P, ORDERS + (SPP_PAID,), "every sub-resource id lives under the payment order's id",
      "Field table: id is 'the relative URL and unique identifier of the paymentorder resource'; sub-resources are "
      "its children. The vendor's own abbreviated examples break this with placeholder GUIDs (QUIRKS), so: warning.", WARNING)
def subresource_under_order(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    if ctx.schema == SPP_PAID:
        order_id, paid = text(doc, "paymentOrder"), obj(doc, "paid")
        pid = text(paid, "id")
        if order_id and pid and not pid.startswith(order_id + "/"):
            yield "$.paid.id", f"paid.id {describe(pid)} is not under the payment order {describe(order_id)}"
        return
    path, order = _order(doc)
    order_id = text(order, "id")
    if not order_id:
        return
    for key in _SUBS:
        sid = text(obj(order, key), "id")
        if sid and not sid.startswith(order_id + "/"):
            yield f"{path}.{key}.id", f"{key}.id {describe(sid)} is not under the payment order {describe(order_id)}"


_FINANCIAL = {"capture", "cancel", "reversal", "create-paymentorder-capture", "create-paymentorder-cancel",
              "create-paymentorder-reversal", "create-capture", "create-cancel", "create-reversal", "create-cancellation"}
_CAPTURE = {"capture", "create-paymentorder-capture", "create-capture"}
_CANCEL = {"cancel", "create-paymentorder-cancel", "create-cancel", "create-cancellation"}
_PAYMENT_UI = {"update-order", "abort", "abort-paymentattempt", "set-instrument", "update-paymentorder-abort",
               "update-paymentorder-updateorder", "update-paymentorder-setinstrument", "update-paymentorder-expandinstrument"}
_NOT_OFFERED = {
    "Initialized": _FINANCIAL,
    "Aborted": _FINANCIAL | _PAYMENT_UI,
    "Cancelled": _FINANCIAL - {"reversal", "create-paymentorder-reversal", "create-reversal"} | _PAYMENT_UI,
    "Failed": _FINANCIAL | {"update-order", "update-paymentorder-updateorder"},
    "Paid": _PAYMENT_UI,
    "Reversed": _CAPTURE | _CANCEL | _PAYMENT_UI,
}


@rule("spp-operations-fit-status", P, (SPP_ORDER,), "the operations offered fit the status: nothing to capture, cancel or "
      "reverse before payment or after abort/cancel/failure, no payment-UI operations after payment",
      "Field table: operations are 'the operations that are possible to perform on the payment order in its current "
      "state'; 'As this is a paid payment, the available operations are capture, cancel and redirect-checkout or "
      "view-checkout'.", ERROR)
def operations_fit_status(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    _, order = _order(doc)
    status = text(order, "status")
    banned = _NOT_OFFERED.get(status or "", set())
    for i, op in enumerate(arr(doc, "operations") or []):
        rel = text(op, "rel")
        if rel in banned:
            yield f"$.operations[{i}].rel", f"operation {rel!r} is not possible on a payment order with status {status}"


@rule("spp-operations-fit-remaining", P, (SPP_ORDER,), "capture is offered only while remainingCaptureAmount > 0, cancel only "
      "while remainingCancellationAmount > 0 (when those amounts are present)",
      "Field table: remainingCaptureAmount is 'the remaining authorized amount that is still possible to capture' "
      "(and likewise for cancel).", ERROR)
def operations_fit_remaining(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    _, order = _order(doc)
    cap, can = num(order, "remainingCaptureAmount"), num(order, "remainingCancellationAmount")
    for i, op in enumerate(arr(doc, "operations") or []):
        rel = text(op, "rel")
        if rel in _CAPTURE and cap == 0:
            yield f"$.operations[{i}].rel", f"operation {rel!r} is offered but remainingCaptureAmount is 0"
        if rel in _CANCEL and can == 0:
            yield f"$.operations[{i}].rel", f"operation {rel!r} is offered but remainingCancellationAmount is 0"


@rule("spp-sale-nothing-to-capture", P, (SPP_ORDER,), "transactionType Sale ⇒ no capture operation and nothing left to capture",
      "Field table: transactionType 'Can be used to understand if there is a need for doing a capture'; Swish and "
      "Trustly (Sale) examples show no capture (inferred)", WARNING)
def sale_nothing_to_capture(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    path, order = _order(doc)
    kinds = {text(order, "transactionType"), text(obj(order, "paid"), "transactionType")}
    if "Sale" not in kinds:
        return
    remaining = num(order, "remainingCaptureAmount")
    if remaining:
        yield f"{path}.remainingCaptureAmount", f"transactionType is Sale, but remainingCaptureAmount is {remaining}"
    for i, op in enumerate(arr(doc, "operations") or []):
        if text(op, "rel") in _CAPTURE:
            yield f"$.operations[{i}].rel", "transactionType is Sale, but a capture operation is offered"


@rule("spp-updated-after-created", P, ORDERS, "updated ≥ created",
      "Field table: created is 'when the payment order was created', updated 'when [it] was updated'.", ERROR)
def updated_after_created(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    path, order = _order(doc)
    c, u = text(order, "created"), text(order, "updated")
    if c and u and _instant(u) is not None and _instant(c) is not None and _instant(u) < _instant(c):
        yield f"{path}.updated", f"updated {u} is before created {c}"


def _instant(ts: str) -> tuple | None:
    """A sortable UTC instant with the full 7-digit precision the API writes (datetime stops at µs)."""
    from datetime import datetime
    m = re.match(r"^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})$", ts)
    if not m:
        return None
    zone = "+00:00" if m.group(3) == "Z" else m.group(3)
    try:
        seconds = datetime.fromisoformat(m.group(1) + zone).timestamp()
    except ValueError:
        return None
    return int(seconds), (m.group(2) or ".")[1:].ljust(9, "0")


@rule("spp-token-type-spelling", P, WITH_PAID, "token types use the table's spelling (unscheduled, transactionOnFile)",
      "Token table: 'payment, recurrence, transactionOnFile or unscheduled'; examples write Unscheduled and "
      "transactionsOnFile (QUIRKS: accepted with a warning)", WARNING)
def token_type_spelling(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    path, paid = _paid(doc)
    canon = {"Unscheduled": "unscheduled", "transactionsOnFile": "transactionOnFile"}
    for i, tok in enumerate(arr(paid, "tokens") or []):
        t = text(tok, "type")
        if t in canon:
            yield f"{path}.tokens[{i}].type", f"token type {t!r} is documented as {canon[t]!r}"


@rule("spp-instrument-spelling", P, WITH_PAID, "the card instrument is spelt CreditCard",
      "Every table and most examples write CreditCard; the resource-models card example writes Creditcard "
      "(QUIRKS: accepted with a warning)", WARNING)
def instrument_spelling(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    path, paid = _paid(doc)
    if text(paid, "instrument") == "Creditcard":
        yield f"{path}.instrument", "instrument 'Creditcard' is documented as 'CreditCard'"


_MASKED_FORMS = (re.compile(r"^[0-9]{6}[*]{2,9}[0-9]{4}$"), re.compile(r"^[0-9]{4}[xX*]{2,9}[0-9]{4,6}$"))
_CARDISH = re.compile(r"^[0-9*xX ]{12,23}$")


@rule("spp-token-name-masked", P, WITH_PAID, "a token name that is a card number is masked as the docs mask it "
      "(492500******0004 or 4925xxxxxx000004)",
      "Token table: name — 'In the example, a masked version of a card number.'", ERROR)
def token_name_masked(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    path, paid = _paid(doc)
    for i, tok in enumerate(arr(paid, "tokens") or []):
        name = text(tok, "name")
        if name and _CARDISH.match(name) and any(c.isdigit() for c in name) and not any(f.match(name) for f in _MASKED_FORMS):
            yield f"{path}.tokens[{i}].name", ("token name looks like a card number but is not masked like "
                                               "492500******0004 or 4925xxxxxx000004")


@rule("spp-problem-status-matches-http", P, (SPP_PROBLEM,), "problem.status equals the HTTP status it was served with",
      "Problems: status — 'The HTTP status code that the problem was served with.'", ERROR)
def problem_status(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    http_status = getattr(ctx.http, "status", None)
    status = num(doc, "status")
    if http_status is not None and status is not None and status != http_status:
        yield "$.status", f"status {status} differs from the HTTP status {http_status}"
