"""The older Swedbank Pay ``state`` model (Ready / Pending / Failed / Aborted; payments/currentPayment links,
the lower-case ``paymentorder`` key, *-paymentorder-* rels; after a payment the key may hold only the id). Pure."""
from __future__ import annotations

import random
from typing import Any

from .. import lifecycles as machine, paymentorder
from . import values as V
from .draw import Draw, Relabel, as_draw
from .spp_paid import INSTRUMENT_QUIRKS, INSTRUMENTS, OPERATION_RARE, OPERATIONS, group_flag
from .swedbankpay import P, SppProfile, draw_order, wanted_rels


def _state_items(d: Draw) -> list:
    brands = d.subset(("Visa", "MasterCard", "Amex"), min_size=1)
    return [{"creditCard": {"cardBrands": brands}}] if d.flag() else [{"creditCard": {"no3DSecure": d.flag()}}]


def payment_order_state(d: Draw | random.Random | int | None = None, *, state: str | None = None,
                        authorized: bool | None = None) -> dict:
    """A response in the older ``state`` model (Ready / Pending / Failed / Aborted)."""
    d = as_draw(d)
    camel, lower = paymentorder.STATUS_MODEL_KEY, paymentorder.STATE_MODEL_KEY
    if d.wants(f"$.{camel}") or d.forced(f"$.{lower}?") is False:
        key = camel
    elif d.wants(f"$.{lower}") or d.forced(f"$.{camel}?") is False:
        key = lower
    else:
        key = d.choice((lower, camel), "$#key")
    base = f"$.{key}"
    profile, _ = draw_order(Relabel(d, P, base), status="Initialized")
    wants_paid = any(d.wants(f"{base}.{k}") for k in _AFTER_PAYMENT)
    if state is None:
        state = "Ready" if wants_paid else d.choice(machine.SPP_STATE_MODEL_STATES, f"{base}.state")
    if authorized is None:
        authorized = state == "Ready" and (wants_paid or d.flag("$#authorized"))
    return state_model_snapshot(d, profile, state, authorized, key)


_AFTER_PAYMENT = ("instrument", "remainingCaptureAmount", "remainingCancellationAmount", "remainingReversalAmount",
                  "paymentToken", "recurrenceToken", "unscheduledToken", "transactionsOnFileToken", "nonPaymentToken",
                  "externalNonPaymentToken")


def state_model_snapshot(d: Draw, profile: SppProfile, state: str, authorized: bool,
                         key: str = paymentorder.STATE_MODEL_KEY) -> dict:
    oid = profile.id
    base = f"$.{key}"
    rels = machine.STATE_MODEL_RELS["authorized" if authorized else state]
    # the state model has no rules on its operations: any rel may be shown when an edge case asks for it
    rels = rels + tuple(r for r in wanted_rels(d) if r not in rels)
    ops = [machine.operation(oid, r, profile.content_type) for r in rels]
    if authorized and d.choice(("object", "string"), f"{base}#type") == "string":
        return {key: oid, "operations": ops}   # after a payment the key may hold only the order id
    o: dict[str, Any] = {"id": oid, "created": V.iso7(*profile.created)}
    if d.flag(f"{base}.updated?"):
        o["updated"] = V.iso7(profile.created[0] + d.int(0, 900), profile.created[1])
    o["operation"] = d.choice((profile.operation,), f"{base}.operation", quirks=OPERATIONS + OPERATION_RARE)
    o["state"] = state
    o["currency"] = profile.currency
    o["amount"] = profile.amount
    if d.flag(f"{base}.vatAmount?"):
        o["vatAmount"] = profile.vat
    if authorized and (group_flag(d, base, ("remainingCaptureAmount", "remainingCancellationAmount"))
                       or d.forced(f"{base}.remainingReversalAmount?")):
        o["remainingCaptureAmount"] = profile.amount
        o["remainingCancellationAmount"] = profile.amount
        if d.flag(f"{base}.remainingReversalAmount?"):
            o["remainingReversalAmount"] = 0
    if d.flag(f"{base}.description?"):
        o["description"] = profile.description
    if d.flag(f"{base}.number?"):  # update-order table (QUIRKS X-UPDATE-TABLE-FIELDS), derived from the id
        o["number"] = int(profile.guid.replace("-", "")[:12], 16) % 10**11
    if d.flag(f"{base}.initiatingSystemUserAgent?"):
        o["initiatingSystemUserAgent"] = profile.user_agent
    if d.flag(f"{base}.userAgent?"):
        o["userAgent"] = "Mozilla/5.0 (Windows NT 10.0; Win64; x64)"
    if d.flag(f"{base}.language?"):
        o["language"] = profile.language
    if d.flag(f"{base}.availableInstruments?"):
        o["availableInstruments"] = list(profile.available)
    if d.flag(f"{base}.integration?"):
        o["integration"] = profile.integration
    if d.flag(f"{base}.instrumentMode?"):
        o["instrumentMode"] = profile.instrument_mode
    if d.flag(f"{base}.guestMode?"):
        o["guestMode"] = profile.guest_mode
    if authorized and d.flag(f"{base}.instrument?"):
        o["instrument"] = d.choice(INSTRUMENTS, f"{base}.instrument", quirks=INSTRUMENT_QUIRKS)
    for tok in ("paymentToken", "recurrenceToken", "unscheduledToken", "transactionsOnFileToken", "nonPaymentToken"):
        if authorized and d.flag(f"{base}.{tok}?"):
            o[tok] = V.new_guid(d)
    if authorized and d.flag(f"{base}.externalNonPaymentToken?"):
        o["externalNonPaymentToken"] = str(d.int(1000000000, 9999999999))
    for name, segment in (("orderItems", "orderitems"), ("urls", "urls"), ("payeeInfo", "payeeinfo"),
                          ("metadata", "metadata"), ("payers", "payers"), ("payer", "payers"), ("payments", "payments"),
                          ("currentPayment", "currentpayment"), ("settings", "settings"), ("prices", "prices"),
                          # the payer-aware payment menu page's links (QUIRKS SPP-STATE-LINKS)
                          ("history", "history"), ("failed", "failed"), ("aborted", "aborted"), ("paid", "paid"),
                          ("cancelled", "cancelled"), ("financialTransactions", "financialtransactions"),
                          ("failedAttempts", "failedattempts")):
        if d.flag(f"{base}.{name}?"):
            if name in ("orderItems", "payeeInfo") and d.flag():  # both casings the vendor writes (SPP-SUBRESOURCE-CASING)
                segment = name
            link: dict[str, Any] = {"id": f"{oid}/{segment}"}
            if d.flag(f"{base}.{name}.paymentTokenGenerated?"):
                link["paymentTokenGenerated"] = False
            o[name] = link
    if d.flag(f"{base}.items?"):
        o["items"] = d.freeform("items", _state_items)
    return {key: o, "operations": ops}
