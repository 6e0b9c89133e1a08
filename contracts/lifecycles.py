"""The state machines of a Paiwise checkout and a Swedbank Pay payment order, as data — the one place the
generators, the lifecycle tests, the fake provider server and the live scenarios take them from.

* :data:`PAIWISE_TRANSITIONS`, :data:`SWEDBANKPAY_TRANSITIONS`, :data:`SWEDBANKPAY_STATE_TRANSITIONS` (the
  older ``state`` model): ``Transition(before, event, after, source)``; :func:`legal_step` asks the table.
* :data:`OPERATIONS` — what each Swedbank Pay operation ``rel`` is (method, href suffix, content type) and in
  which statuses it may be offered; :func:`offered_rels` applies the amount guards; :func:`rels_of` names the
  rels of a family (:data:`FINANCIAL`, :data:`PAYMENT_UI`).
* :class:`SppState` / :func:`spp_apply` and :class:`PaiwiseState` / :func:`paiwise_apply` — the amounts and
  logs the events produce (capture part, capture rest, cancel the rest, reverse, refund …).

Pure Python: no Hypothesis, no randomness.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from . import paymentorder


class Transition(NamedTuple):
    before: str
    event: str
    after: str
    source: str  # documented / example / inferred, with the reason


class IllegalStep(ValueError):
    """An event that the state machine does not allow in the current state."""


# ---------------------------------------------------------------- Paiwise

PAIWISE_STATUSES = ("created", "reserved", "reserve released", "paid", "refunded", "partialRefund", "revoked",
                    "failed", "canceled")
PAIWISE_INITIAL = "created"

PAIWISE_TRANSITIONS: tuple[Transition, ...] = (
    Transition("created", "pay", "paid", "documented: capture true (the default) charges the payer at once"),
    Transition("created", "reserve", "reserved", "documented: capture false only reserves the amount"),
    Transition("reserved", "reserve", "reserved", "example: the log holds two 'reserved' entries in a row"),
    Transition("reserved", "capture", "paid", "documented: capture a reserved checkout (example log: reserved → paid)"),
    Transition("reserved", "refund", "reserve released", "documented: refund releases a reservation"),
    Transition("paid", "refund", "refunded", "documented: refund of the whole amount"),
    Transition("paid", "refund", "partialRefund", "example: refund of part of the amount"),
    Transition("partialRefund", "refund", "partialRefund", "example: further partial refunds"),
    Transition("partialRefund", "refund", "refunded", "example: the last piece refunds the rest (logged as partialRefund)"),
    Transition("created", "cancel", "canceled", "inferred: the payer cancels on the checkout page"),
    Transition("created", "fail", "failed", "inferred: the payment fails"),
    Transition("created", "delete", "revoked", "guess: delete a checkout still in created status"),
)

#: the log action each (event, after) writes (a full refund made in pieces is logged as partialRefund)
PAIWISE_LOG_ACTION = {
    ("pay", "paid"): "paid", ("reserve", "reserved"): "reserved", ("capture", "paid"): "paid",
    ("refund", "reserve released"): "reserve released", ("refund", "refunded"): "refunded",
    ("refund", "partialRefund"): "partialRefund", ("cancel", "canceled"): "canceled", ("fail", "failed"): "failed",
    ("delete", "revoked"): "revoked",
}

#: statuses in which the payer has paid or reserved with a card (usedCard may be present)
PAIWISE_CARD_STATUSES = ("reserved", "reserve released", "paid", "refunded", "partialRefund")


@dataclass(frozen=True)
class LogEntry:
    at: int                                 # seconds since the Unix epoch (UTC)
    action: str
    details: dict | None = None             # refunds: amountRefund, reason?, refundDetails?


@dataclass(frozen=True)
class PaiwiseState:
    """What changes over a checkout's life: status and log (balance follows from them)."""
    amount: int
    capture: bool
    status: str = "created"
    log: tuple[LogEntry, ...] = ()

    @property
    def refunded(self) -> int:
        return sum((e.details or {}).get("amountRefund", 0) for e in self.log)

    @property
    def balance(self) -> int:
        return self.amount - self.refunded

    @property
    def status_changed(self) -> int:
        return self.log[-1].at


def paiwise_start(amount: int, capture: bool, at: int) -> PaiwiseState:
    return PaiwiseState(amount, capture, "created", (LogEntry(at, "created"),))


def paiwise_apply(state: PaiwiseState, event: str, at: int, *, amount: int | None = None,
                  reason: str | None = None, refund_details: str | None = None, whole_action: bool = True) -> PaiwiseState:
    """The state after ``event`` at time ``at`` (seconds, later than the last log entry).

    ``refund``: ``amount`` None = the whole balance. From ``paid`` a whole refund logs ``refunded``; from
    ``partialRefund`` the last piece logs ``partialRefund`` (as the docs' example does) unless ``whole_action``
    is False on a paid checkout too. From ``reserved``, refund releases the reservation.
    """
    if at <= state.log[-1].at:
        raise IllegalStep(f"log time {at} is not after the last entry {state.log[-1].at}")
    s = state.status
    if event == "pay" and s == "created" and state.capture:
        after = "paid"
    elif event == "reserve" and (s == "created" or s == "reserved") and not state.capture:
        after = "reserved"
    elif event == "capture" and s == "reserved":
        after = "paid"
    elif event in ("cancel", "fail", "delete") and s == "created":
        after = {"cancel": "canceled", "fail": "failed", "delete": "revoked"}[event]
    elif event == "refund" and s == "reserved":
        details = _refund_details(state.balance, reason, refund_details)
        return replace(state, status="reserve released",
                       log=state.log + (LogEntry(at, "reserve released", details),))
    elif event == "refund" and s in ("paid", "partialRefund"):
        piece = state.balance if amount is None else amount
        if not 0 <= piece <= state.balance or (piece == 0 and state.balance > 0):
            raise IllegalStep(f"cannot refund {piece} of a balance of {state.balance}")
        after = "refunded" if piece == state.balance else "partialRefund"
        if after == "partialRefund" and not 0 < state.balance - piece < state.amount:
            raise IllegalStep("a partial refund must leave a balance between 0 and the amount")
        action = "refunded" if (after == "refunded" and s == "paid" and whole_action) else "partialRefund"
        details = _refund_details(piece, reason, refund_details)
        return replace(state, status=after, log=state.log + (LogEntry(at, action, details),))
    else:
        raise IllegalStep(f"event {event!r} is not possible on a checkout with status {s!r}"
                          f"{' (capture ' + str(state.capture).lower() + ')' if event in ('pay', 'reserve') else ''}")
    action = PAIWISE_LOG_ACTION[(event, after)]
    return replace(state, status=after, log=state.log + (LogEntry(at, action),))


def _refund_details(amount: int, reason: str | None, text: str | None) -> dict:
    out: dict[str, Any] = {"amountRefund": amount}
    if reason is not None:
        out["reason"] = reason
    if text is not None:
        out["refundDetails"] = text
    return out


# ---------------------------------------------------------------- Swedbank Pay (status model)

SPP_STATUSES = ("Initialized", "Paid", "Failed", "Cancelled", "Aborted", "Reversed")
SPP_INITIAL = "Initialized"

SWEDBANKPAY_TRANSITIONS: tuple[Transition, ...] = (
    Transition("Initialized", "pay", "Paid", "documented: Paid when the payer completed the payment"),
    Transition("Initialized", "fail", "Failed", "documented: Failed when a payment has failed"),
    Transition("Initialized", "abort", "Aborted", "documented: the merchant aborted, or the payer cancelled on the redirect page"),
    Transition("Paid", "capture", "Paid", "documented: capture part of the authorized amount, or the rest"),
    Transition("Paid", "cancel", "Cancelled", "documented: Cancelled when an authorized amount has been fully cancelled"),
    Transition("Paid", "cancel", "Paid", "inferred: cancelling the rest after a part capture leaves a paid order"),
    Transition("Paid", "reversal", "Paid", "documented: reverse part of the captured amount"),
    Transition("Paid", "reversal", "Reversed", "v3 status field: Reversed once everything captured is reversed"),
)

API = "https://api.internaltest.payex.com"
ECOM = "https://ecom.internaltest.payex.com"


class Operation(NamedTuple):
    method: str
    suffix: str          # appended to the payment order id
    content_type: str
    host: str
    statuses: tuple[str, ...]   # status-model statuses it may be offered in (before the amount guards)
    family: str          # capture / cancel / reversal / ui / view / info


_UI = ("Initialized",)
OPERATIONS: dict[str, Operation] = {
    # v3-style vocabulary (status models)
    "update-order": Operation("PATCH", "", "application/json", API, _UI, "ui"),
    "abort": Operation("PATCH", "", "application/json", API, _UI + ("Failed",), "ui"),
    "abort-paymentattempt": Operation("PATCH", "/paymentattempts", "application/json", API, _UI + ("Failed",), "ui"),
    "set-instrument": Operation("PATCH", "", "application/json", API, _UI, "ui"),
    "redirect-checkout": Operation("GET", "/checkout", "text/html", ECOM, ("Initialized", "Paid", "Failed", "Aborted"), "view"),
    "view-checkout": Operation("GET", "/checkout/script", "application/javascript", ECOM,
                               ("Initialized", "Paid", "Failed", "Aborted"), "view"),
    "view-paymentsession": Operation("GET", "/paymentsession", "application/javascript", ECOM, _UI, "view"),
    "capture": Operation("POST", "/captures", "application/json", API, ("Paid",), "capture"),
    "cancel": Operation("POST", "/cancellations", "application/json", API, ("Paid",), "cancel"),
    "reversal": Operation("POST", "/reversals", "application/json", API, ("Paid", "Cancelled"), "reversal"),
    "verify-trustly": Operation("POST", "/trustly/verify", "application/json", API, _UI, "ui"),
    "redirect-consumer-identification": Operation("GET", "/consumeridentification", "text/html", ECOM, _UI, "view"),
    "view-consumer-identification": Operation("GET", "/consumeridentification/script", "application/javascript",
                                              ECOM, _UI, "view"),
    # v2 vocabulary (operations reference)
    "update-paymentorder-abort": Operation("PATCH", "", "application/json", API, _UI, "ui"),
    "update-paymentorder-updateorder": Operation("PATCH", "", "application/json", API, _UI, "ui"),
    "update-paymentorder-expandinstrument": Operation("PATCH", "", "application/json", API, _UI, "ui"),
    "update-paymentorder-setinstrument": Operation("PATCH", "", "application/json", API, _UI, "ui"),
    "redirect-paymentorder": Operation("GET", "/menu", "text/html", ECOM, _UI, "view"),
    "view-paymentorder": Operation("GET", "/menu/script", "application/javascript", ECOM, _UI, "view"),
    "create-paymentorder-capture": Operation("POST", "/captures", "application/json", API, ("Paid",), "capture"),
    "create-paymentorder-cancel": Operation("POST", "/cancellations", "application/json", API, ("Paid",), "cancel"),
    "create-paymentorder-reversal": Operation("POST", "/reversals", "application/json", API, ("Paid", "Cancelled"), "reversal"),
    "paid-paymentorder": Operation("GET", "/paid", "application/json", API, ("Paid", "Cancelled", "Reversed"), "info"),
    "failed-paymentorder": Operation("GET", "/failed", "application/problem+json", API, ("Failed",), "info"),
    "create-capture": Operation("POST", "/captures", "application/json", API, ("Paid",), "capture"),
    "create-cancel": Operation("POST", "/cancellations", "application/json", API, ("Paid",), "cancel"),
    "create-cancellation": Operation("POST", "/cancellations", "application/json", API, ("Paid",), "cancel"),
    "create-reversal": Operation("POST", "/reversals", "application/json", API, ("Paid", "Cancelled"), "reversal"),
    "update-paymentorder-overchargedamount": Operation("PATCH", "/overchargedamount", "application/json", API, ("Paid",), "info"),
    "update-authorization-overchargedamount": Operation("PATCH", "/authorizations/overchargedamount", "application/json",
                                                        API, ("Paid",), "info"),
    # rels of transactions, instrument payments and tokens that v2 pages show: valid operation objects, offered
    # on a paid order only now and then (they belong to its transactions, payments and tokens)
    "edit-authorization": Operation("PATCH", "/authorizations", "application/json", API, ("Paid",), "info"),
    "edit-cancel": Operation("PATCH", "/cancellations", "application/json", API, ("Paid",), "info"),
    "redirect-authorization": Operation("GET", "/authorization", "text/html", ECOM, ("Paid",), "view"),
    "view-authorization": Operation("GET", "/authorization/script", "application/javascript", ECOM, ("Paid",), "view"),
    "view-payment": Operation("GET", "/payment/script", "application/javascript", ECOM, ("Paid",), "view"),
    "update-payment-abort": Operation("PATCH", "", "application/json", API, ("Paid",), "info"),
    "redirect-verification": Operation("GET", "/verification", "text/html", ECOM, ("Paid",), "view"),
    "view-verification": Operation("GET", "/verification/script", "application/javascript", ECOM, ("Paid",), "view"),
    "direct-verification": Operation("POST", "/verifications", "application/json", API, ("Paid",), "info"),
    "delete-payerownedtokens": Operation("PATCH", "/payerownedtokens", "application/json", API, ("Paid",), "info"),
    "delete-paymenttokens": Operation("PATCH", "/paymenttokens", "application/json", API, ("Paid",), "info"),
    "delete-unscheduledtokens": Operation("PATCH", "/unscheduledtokens", "application/json", API, ("Paid",), "info"),
    "get-token": Operation("GET", "/tokens", "application/json", API, ("Paid",), "info"),
    "archive-token": Operation("PATCH", "/tokens", "application/json", API, ("Paid",), "info"),
    "update-displayname": Operation("PATCH", "/tokens/displayname", "application/json", API, ("Paid",), "info"),
    "get-payer-tokens": Operation("GET", "/payertokens", "application/json", API, ("Paid",), "info"),
    "archive-payer-tokens": Operation("PATCH", "/payertokens", "application/json", API, ("Paid",), "info"),
    "get-archived-payer-tokens": Operation("GET", "/payertokens/archived", "application/json", API, ("Paid",), "info"),
}


def rels_of(*families: str) -> frozenset[str]:
    """Every rel of :data:`OPERATIONS` in one of ``families`` (capture / cancel / reversal / ui / view / info)."""
    return frozenset(rel for rel, op in OPERATIONS.items() if op.family in families)


#: the rels that move money (capture, cancel, reversal in every vocabulary), and the payment-UI rels
FINANCIAL = rels_of("capture", "cancel", "reversal")
PAYMENT_UI = rels_of("ui")

#: what a real response offers, per vocabulary (the rest of OPERATIONS only appears when asked for)
USUAL_RELS = {
    "v3": ("update-order", "abort", "abort-paymentattempt", "redirect-checkout", "view-checkout", "cancel", "capture",
           "reversal", "paid-paymentorder", "failed-paymentorder"),
    "v2": ("update-paymentorder-abort", "update-paymentorder-updateorder", "redirect-paymentorder", "view-paymentorder",
           "create-paymentorder-cancel", "create-paymentorder-capture", "create-paymentorder-reversal",
           "paid-paymentorder", "failed-paymentorder"),
}


@dataclass(frozen=True)
class SppState:
    """What changes over a payment order's life. Times are (seconds, ticks of 100 ns)."""
    amount: int
    transaction_type: str = "Authorization"  # or Sale (captured at once)
    status: str = "Initialized"
    captured: int = 0
    cancelled: int = 0
    reversed: int = 0
    updated: tuple[int, int] = (0, 0)

    @property
    def remaining_capture(self) -> int:
        if self.status not in ("Paid", "Cancelled", "Reversed") or self.transaction_type == "Sale":
            return 0
        return self.amount - self.captured - self.cancelled

    @property
    def remaining_cancellation(self) -> int:
        return self.remaining_capture

    @property
    def remaining_reversal(self) -> int:
        return self.captured - self.reversed

    @property
    def paid(self) -> bool:
        return self.status in ("Paid", "Cancelled", "Reversed")


def spp_apply(state: SppState, event: str, at: tuple[int, int], amount: int | None = None) -> SppState:
    """The state after ``event`` at time ``at`` (not before ``state.updated``). ``amount`` for capture and
    reversal (None: all that remains); cancel always cancels the rest."""
    if at < state.updated:
        raise IllegalStep("updated would go back in time")
    s = state.status
    if s == "Initialized" and event == "pay":
        captured = state.amount if state.transaction_type == "Sale" else 0
        return replace(state, status="Paid", captured=captured, updated=at)
    if s == "Initialized" and event in ("fail", "abort"):
        return replace(state, status="Failed" if event == "fail" else "Aborted", updated=at)
    if s == "Paid" and event == "capture":
        rest = state.remaining_capture
        piece = rest if amount is None else amount
        if not 0 < piece <= rest:
            raise IllegalStep(f"cannot capture {piece}: {rest} remains to capture")
        return replace(state, captured=state.captured + piece, updated=at)
    if s == "Paid" and event == "cancel":
        rest = state.remaining_cancellation
        if rest <= 0:
            raise IllegalStep("nothing remains to cancel")
        after = "Cancelled" if state.captured == 0 else "Paid"
        return replace(state, status=after, cancelled=state.cancelled + rest, updated=at)
    if s == "Paid" and event == "reversal":
        rest = state.remaining_reversal
        piece = rest if amount is None else amount
        if not 0 < piece <= rest:
            raise IllegalStep(f"cannot reverse {piece}: {rest} remains to reverse")
        new = replace(state, reversed=state.reversed + piece, updated=at)
        if new.remaining_reversal == 0 and new.remaining_capture == 0:
            new = replace(new, status="Reversed")
        return new
    raise IllegalStep(f"event {event!r} is not possible on a payment order with status {s!r}")


def offered_rels(state: SppState, rels: tuple[str, ...] | None = None) -> list[str]:
    """The rels (of ``rels``, default all of :data:`OPERATIONS`) that may be offered in ``state``: the status
    allows them and there is an amount left to capture / cancel / reverse (nothing to capture on a Sale)."""
    out = []
    for rel in rels or tuple(OPERATIONS):
        op = OPERATIONS[rel]
        if state.status not in op.statuses:
            continue
        if op.family == "capture" and (state.remaining_capture <= 0 or state.transaction_type == "Sale"):
            continue
        if op.family == "cancel" and state.remaining_cancellation <= 0:
            continue
        if op.family == "reversal" and state.remaining_reversal <= 0:
            continue
        out.append(rel)
    return out


def operation(order_id: str, rel: str, with_content_type: bool = True) -> dict:
    """The operation object for ``rel`` on a payment order (href under the order's id)."""
    op = OPERATIONS[rel]
    out = {"method": op.method, "href": f"{op.host}{order_id}{op.suffix}", "rel": rel}
    if with_content_type:
        out["contentType"] = op.content_type
    return out


# ---------------------------------------------------------------- Swedbank Pay (older state model)

SPP_STATE_MODEL_STATES = ("Ready", "Pending", "Failed", "Aborted")
SWEDBANKPAY_STATE_TRANSITIONS: tuple[Transition, ...] = (
    Transition("Ready", "open", "Pending", "state model: the payer opened the payment menu"),
    Transition("Ready", "abort", "Aborted", "documented: update-paymentorder-abort before any financial transaction"),
    Transition("Pending", "abort", "Aborted", "documented: abort before any financial transaction"),
    Transition("Pending", "fail", "Failed", "state model: the payment failed"),
    Transition("Pending", "authorize", "Ready", ".NET SDK: state Ready after authorization, with capture/cancel operations"),
)

STATE_MODEL_RELS = {
    "Ready": ("update-paymentorder-abort", "update-paymentorder-updateorder", "update-paymentorder-expandinstrument",
              "redirect-paymentorder", "view-paymentorder"),
    "Pending": ("update-paymentorder-abort", "redirect-paymentorder", "view-paymentorder"),
    "Failed": ("failed-paymentorder",),
    "Aborted": (),
    "authorized": ("create-paymentorder-capture", "create-paymentorder-cancel", "paid-paymentorder",
                   "update-paymentorder-updateorder"),
}


# ---------------------------------------------------------------- asking the tables

TABLES = {"paiwise": PAIWISE_TRANSITIONS, "swedbankpay": SWEDBANKPAY_TRANSITIONS,
          "swedbankpay-state": SWEDBANKPAY_STATE_TRANSITIONS}


def _status(x: Any) -> str | None:
    if isinstance(x, str):
        return x
    if isinstance(x, dict):
        if "status" in x and isinstance(x["status"], str):
            return x["status"]
        _, order = paymentorder.find(x)
        if order is not None:
            return order.get("status") or order.get("state")
    return getattr(x, "status", None)


def legal_step(provider: str, before: Any, after: Any, event: str | None = None) -> bool:
    """Is there a transition from ``before`` to ``after`` (statuses, snapshots or states), by ``event`` if given?"""
    table = TABLES[provider]
    b, a = _status(before), _status(after)
    return any(t.before == b and t.after == a and (event is None or t.event == event) for t in table)


def next_events(provider: str, status: str) -> list[str]:
    seen: list[str] = []
    for t in TABLES[provider]:
        if t.before == status and t.event not in seen:
            seen.append(t.event)
    return seen


def reachable(provider: str, start: str | None = None) -> set[str]:
    table = TABLES[provider]
    todo = [start or table[0].before]
    seen = set(todo)
    while todo:
        s = todo.pop()
        for t in table:
            if t.before == s and t.after not in seen:
                seen.add(t.after)
                todo.append(t.after)
    return seen
