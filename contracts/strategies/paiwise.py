"""Paiwise Checkout API payloads, valid by construction.

A checkout is drawn once as a :class:`PaiwiseProfile` (ids, amount, texts, urls, card, customer) and rendered
for a :class:`~checkout_contracts.lifecycles.PaiwiseState` (status and log) by :func:`paiwise_checkout_snapshot`: balance =
amount − the refunds in the log, the log's keys ascend and start with ``created``, statusChanged is the newest
key, usedCard is one of the customer's saved cards, expiry months are 1–12, e-mails are at example.com.

Builders take a :class:`~.draw.Draw` (or ``random.Random`` / a seed). Pure: no Hypothesis.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from .. import lifecycles as machine
from . import values as V
from .draw import MIN, Draw, as_draw
from ..lifecycles import PaiwiseState

BRANDS = ("visa", "mastercard", "amex", "maestro", "discover", "diners", "jcb", "unionpay", "bancontact",
          "carte_bancaire")
FUNDING = ("credit", "debit", "prepaid", "unknown")
INTEGRATIONS = ("stripe", "nuvei")
COUNTRIES = ("SE", "NO", "DK", "FI", "US", "DE", "GB", "NL")
CURRENCIES = ("SEK", "EUR", "NOK", "DKK", "USD")
REASONS = ("duplicate", "requested_by_customer", "fraudolent")
REASON_QUIRKS = ("Duplicate",)            # the example's spelling: accepted with a warning (edge cases only)
REFUND_TEXTS = ("Returned one item", "Customer changed their mind", "Damaged in transit", "Test More Details",
                "Order cancelled by the shop")
METHODS = ("card", "swish", "trustly", "paypal")
METADATA_KEYS = (("orderId", "order"), ("channel", ("web", "app", "pos")), ("kundnummer", "customer"),
                 ("campaign", ("spring", "summer", "black-friday")), ("storeId", "store"))
MISSING = object()


# ---------------------------------------------------------------- small parts

def meta_data(d: Draw, label: str, number: int) -> Any:
    """A metaData value: a realistic key/value object, or (edge) {} / [] as PHP serialises an empty map."""
    form = d.choice(("object",), label + "#form", quirks=("empty-object", "empty-array"))
    if form == "empty-array":
        return []
    if form == "empty-object":
        return {}
    return d.freeform("metaData", lambda dd: _realistic_meta(dd, number))


def _realistic_meta(d: Draw, number: int) -> dict:
    out: dict[str, Any] = {}
    for key, value in METADATA_KEYS:
        if not out or d.flag():
            if value == "order":
                out[key] = str(number)
            elif value == "customer":
                out[key] = str(10000 + d.int(0, 89999))
            elif value == "store":
                out[key] = d.int(1, 99)
            else:
                out[key] = d.choice(value)
    return out


def card(d: Draw, base: str, *, saved: bool, holder: tuple[str, str] | None = None, at_time: int | None = None) -> dict:
    """A used card (6 fields) or a saved card (+ integration, card_holder)."""
    brand = d.choice(BRANDS, f"{base}.brand")
    _, pan = V.test_pan(d, brand, provider="paiwise")
    month, year = V.expiry(at_time or V.UNIX_2022, d.int(1, 60))
    padded = d.forced(f"{base}.expires#padded")
    out: dict[str, Any] = {
        "card_id": V.new_card_id(d),
        "brand": brand,
        "country": d.choice(COUNTRIES),
        "expires": f"{month:02d}/{year}" if padded else f"{month}/{year}",
        "funding": d.choice(FUNDING, f"{base}.funding"),
        "last4": pan[-4:],
    }
    if saved:
        out["integration"] = d.choice(INTEGRATIONS, f"{base}.integration")
        if d.flag(f"{base}.card_holder?"):
            first, last = holder or V.person(d)
            out["card_holder"] = f"{first} {last}"
    return out


def as_used(saved_card: dict) -> dict:
    """The usedCard form of a saved card (the six card fields)."""
    return {k: saved_card[k] for k in ("card_id", "brand", "country", "expires", "funding", "last4")}


def customer_object(d: Draw | random.Random | int | None = None, base: str = "$", *, used: dict | None = None,
                    at_time: int | None = None) -> dict:
    """A customer; when ``used`` (a saved-card dict) is given it is among savedCards."""
    d = as_draw(d)
    first, last = V.person(d, base)
    out: dict[str, Any] = {
        "customer_id": V.new_customer_id(d),
        "first_name": first,
        "last_name": last,
        "email": V.email_for(first, last),
        "client_page": f"https://smartadmin.paiwise.com/checkout-client/edit?hash={V.hex_id(d, 32)}",
    }
    if d.flag(f"{base}.metaData?"):
        out["metaData"] = meta_data(d, f"{base}.metaData", 10000 + d.int(0, 89999))
    count = d.int(1 if d.wants(f"{base}.savedCards[*]") else 0, 3, f"{base}.savedCards#count")
    cards = [card(d, f"{base}.savedCards[*]", saved=True, holder=(first, last), at_time=at_time) for _ in range(count)]
    if used is not None:
        cards.insert(d.int(0, len(cards)), used)
    out["savedCards"] = cards
    return out


# ---------------------------------------------------------------- the checkout

@dataclass
class PaiwiseProfile:
    checkout_id: str
    rid: int                      # the hosted page's numeric id (redirectUrl, authCode)
    identifier: str
    mode: str
    amount: int
    currency: str
    message: str
    return_url: str
    return_url_cancel: str
    capture: bool
    auth_code: str | None = None
    metadata: Any = MISSING
    used_card: Any = None         # dict, [] (PHP empty) or None (absent)
    customer: Any = None          # dict, [] or None
    number: int = 0
    created_at: int = 0
    extra: dict = field(default_factory=dict)


def paiwise_checkout_snapshot(profile: PaiwiseProfile, state: PaiwiseState) -> dict:
    """The checkout object of ``profile`` in ``state`` (field order of the docs' example)."""
    out: dict[str, Any] = {"checkout_id": profile.checkout_id, "identifier": profile.identifier}
    if profile.auth_code is not None:
        out["authCode"] = profile.auth_code
    out["status"] = state.status
    out["statusChanged"] = V.paiwise_time(state.status_changed)
    out["mode"] = profile.mode
    out["amount"] = profile.amount
    out["currency"] = profile.currency
    out["message"] = profile.message
    out["returnUrl"] = profile.return_url
    out["returnUrlCancel"] = profile.return_url_cancel
    if profile.metadata is not MISSING:
        out["metaData"] = V.deep_copy(profile.metadata)
    out["capture"] = profile.capture
    out["redirectUrl"] = f"https://smartadmin.paiwise.com/checkout/checkout?id={profile.rid}&cid={profile.checkout_id}"
    out["balance"] = state.balance
    paid_with_card = any(e.action in ("paid", "reserved") for e in state.log)
    if profile.used_card is not None and paid_with_card:
        out["usedCard"] = V.deep_copy(profile.used_card)
    log: dict[str, Any] = {}
    for entry in state.log:
        item: dict[str, Any] = {"action": entry.action}
        if entry.details is not None:
            item["details"] = dict(entry.details)
        log[V.paiwise_time(entry.at)] = item
    out["log"] = log
    if profile.customer is not None:
        out["customer"] = V.deep_copy(profile.customer)
    return out


#: statuses a forced log action can only come from
_ACTION_STATUSES = {
    "reserved": ("reserved", "reserve released", "paid", "partialRefund", "refunded"),
    "reserve released": ("reserve released",), "paid": ("paid", "partialRefund", "refunded"),
    "refunded": ("refunded",), "partialRefund": ("partialRefund", "refunded"), "revoked": ("revoked",),
    "failed": ("failed",), "canceled": ("canceled",),
}
_REFUND_STATUSES = ("reserve released", "partialRefund", "refunded")


def _steer_status(d: Draw, status: str | None) -> str:
    if status is not None:
        return status
    options = list(machine.PAIWISE_STATUSES)
    action = d.forced("$.log.*.action")
    if action in _ACTION_STATUSES:
        options = list(_ACTION_STATUSES[action])
    if d.wants("$.log.*.details"):
        options = [s for s in options if s in _REFUND_STATUSES] or options
    if d.wants("$.usedCard"):
        options = [s for s in options if s in machine.PAIWISE_CARD_STATUSES] or options
    if d.forced("$.amount") == MIN:
        options = [s for s in options if s != "partialRefund"] or options
    return d.choice(options, "$.status")


def draw_checkout(d: Draw | random.Random | int | None = None, *, status: str | None = None,
                  capture: bool | None = None, with_customer: bool | None = None) -> tuple[PaiwiseProfile, list[tuple]]:
    """A checkout profile and the events (``(event, kwargs)``) that lead from created to ``status``."""
    d = as_draw(d)
    status = _steer_status(d, status)
    if status not in machine.PAIWISE_STATUSES:
        raise ValueError(f"unknown Paiwise status {status!r}; known: {', '.join(machine.PAIWISE_STATUSES)}")
    via_reserve = status in ("reserved", "reserve released") or d.forced("$.log.*.action") == "reserved"
    if capture is None:
        capture = False if via_reserve else d.choice((True, False), "$.capture")
    if via_reserve and capture:
        raise ValueError(f"a checkout with capture true never becomes {status!r}")
    low = 2 if status == "partialRefund" else 0
    amount = d.number("$.amount", low, V.MAX_AMOUNT, V.typical_amount)
    number = V.order_number(d)
    created_at = V.draw_instant(d)
    cid = V.new_checkout_id(d)
    rid = 10000 + d.int(0, 89999)
    mode = d.choice(("test", "live"), "$.mode")
    shop = d.choice(("https://shop.example.com", "https://www.example.com/store", "http://localhost:8080"))
    profile = PaiwiseProfile(
        checkout_id=cid, rid=rid,
        identifier=(cid if d.int(0, 3, "$.identifier#cid") == 3 else f"order-{number}"),  # no identifier sent: the cid
        mode=mode, amount=amount, currency=d.choice(CURRENCIES), number=number, created_at=created_at,
        message=d.choice((f"Order {number} at {d.choice(V.SHOPS)}", d.choice(V.ITEMS), f"Invoice {number}")),
        return_url=f"{shop}/checkout/return?order={number}",
        return_url_cancel=f"{shop}/checkout/cancel?order={number}",
        capture=capture,
        auth_code=((f"test{rid}" if mode == "test" else V.safe_alnum(d, 6)) if d.flag("$.authCode?") else None),
    )
    if d.flag("$.metaData?"):
        profile.metadata = meta_data(d, "$.metaData", number)
    events = plan_events(d, status, capture, amount)
    card_status = status in machine.PAIWISE_CARD_STATUSES
    used = None
    if card_status and d.flag("$.usedCard?"):
        if d.choice(("object",), "$.usedCard#type", quirks=("array",)) == "array":
            profile.used_card = []
        else:
            used = card(d, "$.usedCard", saved=True, at_time=created_at)
            profile.used_card = as_used(used)
    if with_customer is None:
        with_customer = d.flag("$.customer?")
    if with_customer:
        if d.choice(("object",), "$.customer#type", quirks=("array",)) == "array":
            profile.customer = []
        else:
            keep = used if (used is not None and d.flag("$.customer#saved-used-card")) else None
            cust = customer_object(d, "$.customer", used=keep, at_time=created_at)
            if used is not None and keep is None and cust["savedCards"]:
                cust["savedCards"].insert(0, used)   # a used card with saved cards is one of them
            profile.customer = cust
    return profile, events


def plan_events(d: Draw, status: str, capture: bool, amount: int) -> list[tuple[str, dict]]:
    """The events from created to ``status`` (refund amounts drawn so that every step is legal)."""
    paid_plan: list[tuple[str, dict]]
    if capture:
        paid_plan = [("pay", {})]
    else:
        paid_plan = [("reserve", {})] + ([("reserve", {})] if d.flag("#reserve-twice") else []) + [("capture", {})]
    if status == "created":
        return []
    if status in ("canceled", "failed", "revoked"):
        return [({"canceled": "cancel", "failed": "fail", "revoked": "delete"}[status], {})]
    if status == "reserved":
        return paid_plan[:-1]
    if status == "reserve released":
        return paid_plan[:-1] + [("refund", _reason(d, {}))]
    if status == "paid":
        return paid_plan
    events = list(paid_plan)
    balance = amount
    pieces = status == "partialRefund" or (
        amount >= 2 and d.forced("$.log.*.action") != "refunded" and
        (d.forced("$.log.*.action") == "partialRefund" or d.flag("#refund-in-pieces")))
    if pieces:
        for _ in range(d.int(1, 3)):
            if balance < 2:
                break
            piece = d.int(1, balance - 1)
            events.append(("refund", _reason(d, {"amount": piece})))
            balance -= piece
    if status == "refunded":
        events.append(("refund", _reason(d, {"amount": balance})))
    return events


def _reason(d: Draw, kwargs: dict) -> dict:
    if d.flag("$.log.*.details.reason?"):
        kwargs["reason"] = d.choice(REASONS, "$.log.*.details.reason", quirks=REASON_QUIRKS)
    if d.flag("$.log.*.details.refundDetails?"):
        kwargs["refund_details"] = d.choice(REFUND_TEXTS)
    return kwargs


def run_events(d: Draw, profile: PaiwiseProfile, events: list[tuple[str, dict]]) -> list[tuple[str, PaiwiseState]]:
    """Apply ``events`` one by one: ``[("create", state0), (event, state1), …]`` with log times that ascend."""
    state = machine.paiwise_start(profile.amount, profile.capture, profile.created_at)
    out = [("create", state)]
    t = profile.created_at
    for event, kwargs in events:
        t += d.int(20, 900) if event in ("pay", "reserve", "capture", "cancel", "fail", "delete") else d.int(3600, 86400 * 10)
        state = machine.paiwise_apply(state, event, t, **kwargs)
        out.append((event, state))
    return out


def checkout(d: Draw | random.Random | int | None = None, *, status: str | None = None, capture: bool | None = None,
             with_customer: bool | None = None) -> dict:
    """A valid checkout object."""
    d = as_draw(d)
    profile, events = draw_checkout(d, status=status, capture=capture, with_customer=with_customer)
    return paiwise_checkout_snapshot(profile, run_events(d, profile, events)[-1][1])


def customer(d: Draw | random.Random | int | None = None) -> dict:
    """A valid customer object (create-customer / retrieve-customer response)."""
    return customer_object(as_draw(d), "$", at_time=None)


# ---------------------------------------------------------------- request bodies

def create_request(d: Draw | random.Random | int | None = None, profile: PaiwiseProfile | None = None) -> dict:
    """POST /checkout/create (from a drawn checkout profile, so it matches the checkout it creates)."""
    d = as_draw(d)
    if profile is None:   # leaving capture out means true (the default)
        profile, _ = draw_checkout(d, status="created", capture=True if d.forced("$.capture?") is False else None)
    out: dict[str, Any] = {}
    if d.flag("$.identifier?"):
        out["identifier"] = profile.identifier if profile.identifier != profile.checkout_id else f"order-{profile.number}"
    out["amount"] = profile.amount
    out["currency"] = profile.currency
    out["message"] = profile.message
    if d.flag("$.capture?") or not profile.capture:
        out["capture"] = profile.capture
    if d.flag("$.allowSaveCard?"):
        out["allowSaveCard"] = d.flag()
    out["returnUrl"] = profile.return_url
    out["returnUrlCancel"] = profile.return_url_cancel
    cust = profile.customer if isinstance(profile.customer, dict) else None
    if d.forced("$.customer_id?") is not False and (cust is not None or d.flag("$.customer_id?") or d.forced("$.card_id?")):
        out["customer_id"] = cust["customer_id"] if cust else V.new_customer_id(d)
        saved = (cust or {}).get("savedCards") or []
        if d.flag("$.card_id?"):
            out["card_id"] = saved[0]["card_id"] if saved else V.new_card_id(d)
    if d.flag("$.template?"):
        out["template"] = "iframe"
    if profile.metadata is not MISSING:
        out["metaData"] = V.deep_copy(profile.metadata)
    elif d.flag("$.metaData?"):
        out["metaData"] = meta_data(d, "$.metaData", profile.number)
    if d.flag("$.paymentMethods?") or d.wants("$.paymentMethods[*]"):
        methods = d.subset(METHODS, "$.paymentMethods[*].method", min_size=1)
        if d.wants("$.paymentMethods[*].brands") and "card" not in methods:
            methods = ["card"] + methods
        pm = []
        for m in methods:
            item: dict[str, Any] = {"method": m}
            if m == "card" and (d.flag("$.paymentMethods[*].brands?") or d.wants("$.paymentMethods[*].brands[*]")):
                item["brands"] = d.subset(BRANDS, "$.paymentMethods[*].brands[*]", min_size=1)
            pm.append(item)
        out["paymentMethods"] = pm
    return out


def checkout_id_request(d: Draw | random.Random | int | None = None, checkout_id: str | None = None) -> dict:
    """retrieve / capture / delete: ``{"checkout_id": …}``."""
    return {"checkout_id": checkout_id or V.new_checkout_id(as_draw(d))}


def refund_request(d: Draw | random.Random | int | None = None, checkout_id: str | None = None,
                   amount: int | None = None, reason: str | None = None, refund_details: str | None = None) -> dict:
    d = as_draw(d)
    out: dict[str, Any] = {"checkout_id": checkout_id or V.new_checkout_id(d)}
    if amount is not None:
        out["amount"] = amount
    elif checkout_id is None and d.flag("$.amount?"):
        out["amount"] = d.number("$.amount", 0, V.MAX_AMOUNT, V.typical_amount)
    if reason is not None:
        out["reason"] = reason
    elif checkout_id is None and d.flag("$.reason?"):
        out["reason"] = d.choice(REASONS, "$.reason")
    if refund_details is not None:
        out["refundDetails"] = refund_details
    elif checkout_id is None and d.flag("$.refundDetails?"):
        out["refundDetails"] = d.choice(REFUND_TEXTS)
    return out


def update_request(d: Draw | random.Random | int | None = None, checkout_id: str | None = None) -> dict:
    d = as_draw(d)
    cid = checkout_id or V.new_checkout_id(d)
    return {"checkout_id": cid, "metaData": meta_data(d, "$.metaData", V.order_number(d))}


def create_customer_request(d: Draw | random.Random | int | None = None, customer: dict | None = None) -> dict:
    d = as_draw(d)
    if customer is None:
        first, last = V.person(d)
        customer = {"first_name": first, "last_name": last, "email": V.email_for(first, last)}
    out = {"first_name": customer["first_name"], "last_name": customer["last_name"], "email": customer["email"]}
    if "metaData" in customer:
        out["metaData"] = V.deep_copy(customer["metaData"])
    elif d.flag("$.metaData?"):
        out["metaData"] = meta_data(d, "$.metaData", V.order_number(d))
    return out


def customer_id_request(d: Draw | random.Random | int | None = None, customer_id: str | None = None) -> dict:
    """retrieve-customer / delete-customer: ``{"customer_id": …}``."""
    return {"customer_id": customer_id or V.new_customer_id(as_draw(d))}
