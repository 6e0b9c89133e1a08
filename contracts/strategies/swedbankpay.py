"""Swedbank Pay Checkout v2 payloads, valid by construction.

A payment order is drawn once as a :class:`SppProfile` (everything that does not change: ids, amounts,
description, instrument, card, which optional fields it shows) and rendered for a :class:`~checkout_contracts.lifecycles.SppState`
(status, captured / cancelled / reversed amounts) by :func:`spp_order_snapshot` — so every snapshot of one
lifecycle is the same order. Amounts add up (paid.amount = order amount = submitted + fee − discount,
vatAmount ≤ amount, remaining* from the state), operations fit the status and the remaining amounts, every
sub-resource and href lives under the order id, bin is the first six digits of maskedPan.

Builders take a :class:`~.draw.Draw` (or ``random.Random`` / a seed). Pure: no Hypothesis.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from typing import Any

from .. import lifecycles as machine
from . import values as V
from .draw import MAX, MIN, Draw, as_draw
from ..lifecycles import SppState
from .spp_paid import (AUTH_ONLY, CARDLIKE, INSTRUMENT_QUIRKS, INSTRUMENTS, OPERATION_RARE, OPERATIONS, SALE_ONLY,  # noqa: F401
                       TOKEN_QUIRKS, TOKEN_TYPES, PaidProfile, at, draw_paid, group_flag, paid_resource,
                       paid_resource_alone, paid_response, pick_instrument)
from .spp_parts import PROBLEM_STATUSES, PROBLEMS, headers, operation_object, problem, token_object  # noqa: F401

P = "$.paymentOrder"
AVAILABLE = ("CreditCard", "Invoice-PayExFinancingSe", "Invoice-PayMonthlyInvoiceSe", "Invoice-PayExFinancingNo",
             "Invoice-PayExFinancingFi", "Swish", "CreditAccount", "CreditAccount-CreditAccountSe", "Trustly",
             "ApplePay", "GooglePay", "ClickToPay", "MobilePay", "Vipps", "CarPay")
LANGUAGES = ("da-DK", "de-DE", "et-EE", "en-US", "es-ES", "fi-FI", "fr-FR", "lt-LT", "lv-LV", "nb-NO", "pl-PL",
             "ru-RU", "sv-SE")
CURRENCIES = ("SEK", "NOK", "DKK", "EUR")
#: optional sub-resource links, in the docs' field order, with the path segment of their id
LINKS = (("orderItems", "orderitems"), ("urls", "urls"), ("payeeInfo", "payeeinfo"), ("payer", "payers"),
         ("history", "history"), ("failed", "failed"), ("aborted", "aborted"), ("paid", "paid"),
         ("cancelled", "cancelled"), ("reversed", "reversed"), ("financialTransactions", "financialtransactions"),
         ("failedAttempts", "failedattempts"), ("metadata", "metadata"), ("prices", "prices"))
REQUIRED_LINKS = {"Paid": ("paid",), "Failed": ("failed",), "Cancelled": ("cancelled", "paid"),
                  "Aborted": ("aborted",), "Reversed": ("paid",), "Initialized": ()}
PAID_STATUSES = ("Paid", "Cancelled", "Reversed")


# ---------------------------------------------------------------- the payment order

@dataclass
class SppProfile:
    guid: str
    created: tuple[int, int]
    operation: str
    currency: str
    amount: int
    vat: int
    description: str
    language: str
    transaction_type: str
    instrument: str
    fees: tuple[int, int, int]          # submitted, fee, discount (amount = submitted + fee − discount)
    paid: PaidProfile
    show: dict[str, bool] = field(default_factory=dict)   # optional order fields shown
    user_agent: str = ""
    available: list[str] = field(default_factory=list)
    integration: str = ""
    instrument_mode: bool = False
    guest_mode: bool = False
    implementation: str = "PaymentsOnly"
    links: tuple[str, ...] = ()
    link_flags: dict[str, bool] = field(default_factory=dict)
    expand_paid: bool = False
    vocabulary: str = "v3"
    rels: tuple[str, ...] = ()          # rels this integration offers when the state allows them
    content_type: bool = True

    @property
    def id(self) -> str:
        return V.payment_order_id(self.guid)


def _statuses_for(rel: str) -> tuple[str, ...]:
    """Statuses in which this builder can show ``rel`` (reversal needs a capture, which Cancelled never has here)."""
    op = machine.OPERATIONS[rel]
    return ("Paid",) if op.family == "reversal" else op.statuses


#: an operation to show when an edge case asks for a content type or a method rather than a rel
_REL_FOR = {"contentType": {"application/json": "paid-paymentorder", "text/html": "redirect-checkout",
                            "application/javascript": "view-checkout", "application/problem+json": "failed-paymentorder"},
            "method": {"GET": "redirect-checkout", "POST": "capture", "PATCH": "update-order"}}


def wanted_rels(d: Draw) -> tuple[str, ...]:
    """The rels an edge case needs on the operations list (none for ordinary draws)."""
    out: list[str] = []
    forced = d.forced("$.operations[*].rel")
    for r in (forced if isinstance(forced, tuple) else (forced,)) if forced else ():
        if r in machine.OPERATIONS:
            out.append(r)
    for key in ("contentType", "method"):
        value = d.forced(f"$.operations[*].{key}")
        if isinstance(value, str) and value in _REL_FOR[key]:
            out.append(_REL_FOR[key][value])
    if d.forced("$.operations[*].contentType?") is not None and not out:
        out.append("redirect-checkout")
    return tuple(dict.fromkeys(out))


def _steer_status(d: Draw, status: str | None) -> str:
    if status is not None:
        return status
    options = list(machine.SPP_STATUSES)
    if d.wants(f"{P}.paid.instrument") or d.wants(f"{P}.paid.details") or d.wants(f"{P}.paid.tokens") \
            or d.forced(f"{P}.paid.instrument?"):
        options = list(PAID_STATUSES)
    want = wanted_rels(d)
    if want:
        fit = [s for s in options if all(s in _statuses_for(r) for r in want)]
        options = fit or options
    for key in ("remainingCaptureAmount", "remainingCancellationAmount", "remainingReversalAmount", "transactionType",
                "submittedAmount", "feeAmount", "discountAmount"):
        if d.forced(f"{P}.{key}?"):
            options = [s for s in options if s in PAID_STATUSES] or options
    if MIN in (d.forced(f"{P}.amount"), d.forced(f"{P}.paid.amount")):
        options = [s for s in options if s not in ("Reversed", "Cancelled")] or options   # those need an amount
    absent = [name for name, _ in LINKS if d.forced(f"{P}.{name}?") is False]
    if absent:   # a link the status requires cannot be left out
        options = [s for s in options if not set(REQUIRED_LINKS.get(s, ())) & set(absent)] or options
    instrument = d.forced(f"{P}.paid.instrument")
    if (isinstance(instrument, str) and instrument in SALE_ONLY) or "Sale" in (
            d.forced(f"{P}.transactionType"), d.forced(f"{P}.paid.transactionType")):
        options = [s for s in options if s != "Cancelled"] or options   # nothing authorized, nothing to cancel
    return d.choice(options, f"{P}.status")


def draw_order(d: Draw | random.Random | int | None = None, *, status: str | None = None,
               instrument: str | None = None) -> tuple[SppProfile, SppState]:
    """A payment order in ``status`` (drawn when None) paid (or to be paid) with ``instrument``."""
    d = as_draw(d)
    status = _steer_status(d, status)
    guid = V.new_guid(d)
    created_s = V.draw_instant(d)
    created = (created_s, d.int(0, 9999999))
    forced_rels = wanted_rels(d)
    wants_capture = any(machine.OPERATIONS[r].family in ("capture", "cancel") for r in forced_rels)
    instrument, ttype = pick_instrument(d, f"{P}.paid", instrument, order_base=P,
                                        no_sale=wants_capture or status == "Cancelled")
    if status == "Cancelled" and ttype == "Sale":
        raise ValueError(f"a {instrument} payment (Sale) cannot be Cancelled: nothing was authorized")
    low = 1 if status in ("Reversed", "Cancelled") else 0
    amount_label = f"{P}.paid.amount" if d.forced(f"{P}.paid.amount") else f"{P}.amount"   # the same amount
    amount = d.number(amount_label, low, V.MAX_AMOUNT, V.typical_amount)
    rate = d.choice((25, 12, 6, 0))
    vat = d.number(f"{P}.vatAmount", 0, amount, lambda _d: amount * rate // (100 + rate))
    fee = d.choice((0, 0, 0, 1900, 2900)) if instrument in ("Invoice", "CreditAccount") else 0
    fee = min(fee, amount)
    discount = d.choice((0, 0, 0, 500, 1000))
    fees = (amount - fee + discount, fee, discount)
    operation = d.choice(OPERATIONS, f"{P}.operation", quirks=OPERATION_RARE)
    paid_s = created_s + d.int(30, 1800)
    base_paid = f"{P}.paid"
    paid = draw_paid(d, base_paid, instrument, amount, paid_s, operation, ttype, fees)
    show = {k: d.flag(f"{P}.{k}?") for k in ("remainingReversalAmount", "transactionType",
                                             "initiatingSystemUserAgent", "availableInstruments", "integration",
                                             "instrumentMode", "guestMode", "implementation", "number")}
    # these come in groups, like in every example
    show["remainingCaptureAmount"] = group_flag(d, P, ("remainingCaptureAmount", "remainingCancellationAmount"))
    show["submittedAmount"] = group_flag(d, P, ("submittedAmount", "feeAmount", "discountAmount"))
    desc = d.choice(V.ITEMS, f"{P}.description")
    if d.forced(f"{P}.description#len") == MAX:
        desc = V.fit(desc, 40)
    links = tuple(name for name, _ in LINKS if d.flag(f"{P}.{name}?"))
    link_flags = {name: d.flag() for name, _ in LINKS if d.flag(f"{P}.{name}.paymentTokenGenerated?")}
    expand = d.flag(f"{P}.paid.instrument?")
    vocabulary = d.choice(("v3", "v2"), "$.operations#vocabulary")
    rels = tuple(d.subset(machine.USUAL_RELS[vocabulary], "$.operations[*].rel#usual"))
    if d.int(0, 3) == 0:   # now and then one of the rarer documented operations too
        rels = rels + tuple(r for r in (d.choice(tuple(machine.OPERATIONS)),) if r not in rels)
    rels = rels + tuple(r for r in forced_rels if r not in rels)
    profile = SppProfile(
        guid=guid, created=created, operation=operation, currency=d.choice(CURRENCIES, f"{P}.currency"),
        amount=amount, vat=vat, description=desc, language=d.choice(LANGUAGES, f"{P}.language"),
        transaction_type=ttype, instrument=instrument, fees=fees, paid=paid, show=show,
        user_agent=d.choice(V.USER_AGENTS), available=d.subset(AVAILABLE, f"{P}.availableInstruments[*]", min_size=1),
        integration=d.choice(("HostedView", "Redirect", ""), f"{P}.integration"),
        instrument_mode=d.flag(), guest_mode=d.flag(),
        implementation=d.choice(("Enterprise", "PaymentsOnly"), f"{P}.implementation"),
        links=links, link_flags=link_flags, expand_paid=expand, vocabulary=vocabulary, rels=rels,
        content_type=d.forced("$.operations[*].contentType?") is not False,
    )
    state = draw_state(d, profile, status, paid_s)
    return profile, state


def draw_state(d: Draw, profile: SppProfile, status: str, paid_s: int) -> SppState:
    """A state in ``status`` that the machine can reach, with amounts drawn (part captures, reversals …)."""
    t0 = (paid_s, d.int(0, 9999999))
    state = SppState(profile.amount, profile.transaction_type, "Initialized", updated=profile.created)
    if status == "Initialized":
        return replace(state, updated=max((profile.created[0] + d.int(0, 900), d.int(0, 9999999)), profile.created))
    if status in ("Failed", "Aborted"):
        return machine.spp_apply(state, "fail" if status == "Failed" else "abort", t0)
    state = machine.spp_apply(state, "pay", t0)
    later = [t0[0]]

    def tick() -> tuple[int, int]:
        later[0] += d.int(60, 86400 * 3)
        return (later[0], d.int(0, 9999999))
    amount = profile.amount
    if status == "Cancelled":
        return machine.spp_apply(state, "cancel", tick())
    if state.transaction_type == "Authorization" and amount > 0:
        plan = d.choice(("authorized", "part", "all", "part+cancel") if status == "Paid" else ("all", "part+cancel"),
                        "#plan")
        if wanted_rels(d) and status == "Paid":
            plan = "part" if amount >= 2 else "authorized"   # capture, cancel and reversal all on offer
        if plan in ("part", "part+cancel") and amount >= 2:
            state = machine.spp_apply(state, "capture", tick(), d.int(1, amount - 1))
        elif plan in ("all", "part", "part+cancel"):
            state = machine.spp_apply(state, "capture", tick())
        if plan == "part+cancel" and state.remaining_cancellation > 0:
            state = machine.spp_apply(state, "cancel", tick())
    if status == "Reversed":
        if state.remaining_capture > 0:
            state = machine.spp_apply(state, "capture", tick())
        return machine.spp_apply(state, "reversal", tick())
    if state.captured >= 2 and d.flag("#reversed-part"):
        state = machine.spp_apply(state, "reversal", tick(), d.int(1, state.captured - 1))
    return state


def spp_order_snapshot(profile: SppProfile, state: SppState) -> dict:
    """The payment-order response (``GET /psp/paymentorders/{id}``) of ``profile`` in ``state``."""
    oid = profile.id
    show = profile.show
    paid_like = state.paid
    o: dict[str, Any] = {"id": oid, "created": V.iso7(*profile.created), "updated": V.iso7(*state.updated),
                         "operation": profile.operation, "status": state.status, "currency": profile.currency}
    if paid_like and show.get("transactionType"):
        o["transactionType"] = state.transaction_type
    o["amount"] = profile.amount
    if paid_like and show.get("submittedAmount"):
        o["submittedAmount"], o["feeAmount"], o["discountAmount"] = profile.fees
    o["vatAmount"] = profile.vat
    if paid_like and show.get("remainingCaptureAmount"):
        o["remainingCaptureAmount"] = state.remaining_capture
        o["remainingCancellationAmount"] = state.remaining_cancellation
    if paid_like and show.get("remainingReversalAmount"):
        o["remainingReversalAmount"] = state.remaining_reversal
    o["description"] = profile.description
    if show.get("number"):  # the order's human-readable number (update-order table), derived from its id
        o["number"] = int(profile.guid.replace("-", "")[:12], 16) % 10**11
    if show.get("initiatingSystemUserAgent"):
        o["initiatingSystemUserAgent"] = profile.user_agent
    o["language"] = profile.language
    if show.get("availableInstruments"):
        o["availableInstruments"] = list(profile.available)
    if show.get("implementation"):
        o["implementation"] = profile.implementation
    if show.get("integration"):
        o["integration"] = profile.integration
    if show.get("instrumentMode"):
        o["instrumentMode"] = profile.instrument_mode
    if show.get("guestMode"):
        o["guestMode"] = profile.guest_mode
    need = REQUIRED_LINKS.get(state.status, ())
    for name, segment in LINKS:
        if name in profile.links or name in need:
            if name == "paid" and paid_like and profile.expand_paid:
                o["paid"] = paid_resource(oid, profile.paid)
                continue
            link: dict[str, Any] = {"id": f"{oid}/{segment}"}
            if name in profile.link_flags:
                link["paymentTokenGenerated"] = profile.link_flags[name]
            o[name] = link
    return {"paymentOrder": o, "operations": operations_for(profile, state)}


def operations_for(profile: SppProfile, state: SppState) -> list[dict]:
    rels = machine.offered_rels(state, profile.rels) if profile.rels else []
    return [machine.operation(profile.id, rel, profile.content_type) for rel in rels]


# ---------------------------------------------------------------- the other Swedbank Pay schemas

def payment_order(d: Draw | random.Random | int | None = None, *, status: str | None = None,
                  instrument: str | None = None) -> dict:
    """A valid payment-order response."""
    profile, state = draw_order(d, status=status, instrument=instrument)
    return spp_order_snapshot(profile, state)
