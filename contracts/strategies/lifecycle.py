"""Lifecycles: the snapshots one checkout or payment order goes through, step by step along the state
machines of :mod:`checkout_contracts.lifecycles` (the transition tables live there, as data, and are re-exported here).

* Paiwise: created → reserved → paid → partialRefund … → refunded, and the branches reserve released,
  canceled, failed, revoked.
* Swedbank Pay: Initialized → Paid → capture part / capture the rest / cancel the rest / reversal …, and
  Failed, Aborted, Cancelled, Reversed.

A lifecycle of any other schema is the same walk seen through that schema: the requests a client sends
along a checkout's life (``paiwise/requests/refund``: the refunds), the paid resource once paid, the
operations offered at each step, the response headers, the problem returned for an operation that is no
longer possible. Pure: no Hypothesis.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, replace
from typing import Any

from .. import lifecycles as machine
from . import paiwise as PW, spp_state_model, spp_v3, swedbankpay as SP, values as V
from .draw import Draw, as_draw
from ..lifecycles import (PAIWISE_TRANSITIONS, SWEDBANKPAY_STATE_TRANSITIONS, SWEDBANKPAY_TRANSITIONS, SppState,
                      legal_step)

__all__ = ["Step", "Lifecycle", "PAIWISE_TRANSITIONS", "SWEDBANKPAY_TRANSITIONS", "SWEDBANKPAY_STATE_TRANSITIONS",
           "legal_step", "paiwise_lifecycle", "swedbankpay_lifecycle", "lifecycle_for", "PAIWISE_PATHS", "SPP_PATHS"]


@dataclass(frozen=True)
class Step:
    event: str          # what happened before this snapshot ("create" for the first)
    status: str         # the resource's status after it
    snapshot: Any       # the payload (for projections: an instance of the projected schema)


@dataclass(frozen=True)
class Lifecycle:
    provider: str
    path: str           # which documented route it took
    steps: tuple[Step, ...]

    @property
    def snapshots(self) -> list[Any]:
        return [s.snapshot for s in self.steps]

    # a lifecycle reads as the list of its snapshots
    def __iter__(self):
        return iter(self.snapshots)

    def __len__(self) -> int:
        return len(self.steps)

    def __getitem__(self, i):
        return self.snapshots[i]


# ---------------------------------------------------------------- Paiwise

#: the routes through the Paiwise machine: name → final status (capture flag where it matters)
PAIWISE_PATHS = {
    "paid": ("paid", True), "reserve-capture": ("paid", False), "refund-whole": ("refunded", True),
    "refund-in-pieces": ("refunded", None), "partial-refund": ("partialRefund", None),
    "reserve-release": ("reserve released", False), "canceled": ("canceled", None), "failed": ("failed", None),
    "revoked": ("revoked", None), "reserved": ("reserved", False),
}


def paiwise_lifecycle(d: Draw | random.Random | int | None = None, *, path: str | None = None,
                      with_customer: bool | None = None) -> tuple[Lifecycle, PW.PaiwiseProfile, list]:
    """A checkout's life: (lifecycle of checkout snapshots, its profile, [(event, kwargs, state)])."""
    d = as_draw(d)
    path = path or d.choice(tuple(PAIWISE_PATHS), "#path")
    status, capture = PAIWISE_PATHS[path]
    profile, events = PW.draw_checkout(d, status=status, capture=capture, with_customer=with_customer)
    if path == "refund-in-pieces" and profile.amount >= 2 and len(events) and events[-1][1].get("amount") == profile.amount:
        # make sure the whole amount goes back in more than one piece
        first = d.int(1, profile.amount - 1)
        events = events[:-1] + [("refund", {"amount": first}), ("refund", {"amount": profile.amount - first})]
    states = PW.run_events(d, profile, events)
    steps = tuple(Step(ev, st.status, PW.paiwise_checkout_snapshot(profile, st)) for ev, st in states)
    kwargs = [{}] + [kw for _, kw in events]
    return Lifecycle("paiwise", path, steps), profile, list(zip([e for e, _ in states], kwargs, [s for _, s in states]))


def _paiwise_requests(profile: PW.PaiwiseProfile, trail: list, d: Draw) -> dict[str, list]:
    """The request bodies a client sends along a checkout's life, by schema name."""
    cid = profile.checkout_id
    out: dict[str, list] = {}

    def add(name: str, body: dict, status: str) -> None:
        out.setdefault(f"paiwise/requests/{name}", []).append((status, body))
    for event, kwargs, state in trail:
        if event == "create":
            add("create", PW.create_request(d, profile), state.status)
        elif event == "capture":
            add("capture", {"checkout_id": cid}, state.status)
        elif event == "refund":
            add("refund", PW.refund_request(d, cid, kwargs.get("amount"), kwargs.get("reason"),
                                            kwargs.get("refund_details")), state.status)
        elif event == "delete":
            add("delete", {"checkout_id": cid}, state.status)
        add("retrieve", {"checkout_id": cid}, state.status)   # the client looks after every step
    add("update", PW.update_request(d, cid), trail[-1][2].status)
    return out


def _paiwise_customer_life(d: Draw) -> Lifecycle:
    """A customer: created without cards, a card saved after a payment, another one later."""
    cust = PW.customer_object(d, "$")
    cust["savedCards"] = []
    steps = [Step("create-customer", "created", V.deep_copy(cust))]
    first, last = cust["first_name"], cust["last_name"]
    for _ in range(d.int(1, 2)):
        cust["savedCards"].append(PW.card(d, "$.savedCards[*]", saved=True, holder=(first, last)))
        steps.append(Step("card-saved", "created", V.deep_copy(cust)))
    return Lifecycle("paiwise", "customer-saves-cards", tuple(steps))


# ---------------------------------------------------------------- Swedbank Pay

#: routes through the Swedbank Pay machine: name → (final status, events) ("part" = a drawn part amount)
SPP_PATHS = {
    "capture-whole": ("Paid", ("pay", "capture")),
    "capture-in-parts": ("Paid", ("pay", "capture-part", "capture")),
    "capture-part-cancel-rest": ("Paid", ("pay", "capture-part", "cancel")),
    "cancel": ("Cancelled", ("pay", "cancel")),
    "capture-then-reverse": ("Reversed", ("pay", "capture", "reversal-part", "reversal")),
    "sale-reverse": ("Reversed", ("pay", "reversal")),
    "failed": ("Failed", ("fail",)),
    "aborted": ("Aborted", ("abort",)),
    "authorized": ("Paid", ("pay",)),
}


def swedbankpay_lifecycle(d: Draw | random.Random | int | None = None, *, path: str | None = None,
                          instrument: str | None = None) -> tuple[Lifecycle, SP.SppProfile, list[SppState]]:
    """A payment order's life: (lifecycle of payment-order snapshots, its profile, the states)."""
    d = as_draw(d)
    path = path or d.choice(tuple(SPP_PATHS), "#path")
    final, events = SPP_PATHS[path]
    needs_auth = any(e.startswith(("capture", "cancel")) for e in events)
    if instrument is None:
        pool = [i for i in SP.INSTRUMENTS if not (needs_auth and i in SP.SALE_ONLY)]
        if path == "sale-reverse":
            pool = list(SP.SALE_ONLY) + ["CreditCard", "ApplePay", "GooglePay", "ClickToPay"]
        instrument = d.choice(pool, "$.paymentOrder.paid.instrument")
    profile, _ = SP.draw_order(d, status="Paid" if final in ("Failed", "Aborted") else final, instrument=instrument)
    if needs_auth and profile.transaction_type == "Sale":
        profile.transaction_type = "Authorization"
        profile.paid.transaction_type = profile.paid.transaction_type and "Authorization"
    if path == "sale-reverse" and profile.transaction_type != "Sale":
        profile.transaction_type = "Sale"
        profile.paid.transaction_type = profile.paid.transaction_type and "Sale"
    if profile.amount < 2 and any(e.endswith("-part") for e in events):
        profile = _with_amount(profile, 2 + d.int(0, 1000) * 100)
    state = SppState(profile.amount, profile.transaction_type, "Initialized", updated=profile.created)
    states = [state]
    t = profile.created[0]
    for event in events:
        t += d.int(30, 900) if event in ("pay", "fail", "abort") else d.int(3600, 86400 * 5)
        now = (t, d.int(0, 9999999))
        if event.endswith("-part"):
            base = event[:-5]
            rest = state.remaining_capture if base == "capture" else state.remaining_reversal
            state = machine.spp_apply(state, base, now, d.int(1, rest - 1) if rest >= 2 else None)
        else:
            state = machine.spp_apply(state, event, now)
        states.append(state)
    names = ("create",) + tuple(e.removesuffix("-part") for e in events)   # the table's event names
    steps = tuple(Step(ev, st.status, SP.spp_order_snapshot(profile, st)) for ev, st in zip(names, states))
    return Lifecycle("swedbankpay", path, steps), profile, states


def _with_amount(profile: SP.SppProfile, amount: int) -> SP.SppProfile:
    """The same order with another amount (VAT, fees and the paid resource follow)."""
    sub, fee, disc = profile.fees
    fee = min(fee, amount)
    vat = min(profile.vat, amount) if profile.amount else amount // 5
    paid = replace(profile.paid, amount=amount,
                   submitted=(amount - fee + disc, fee, disc) if profile.paid.submitted is not None else None)
    return replace(profile, amount=amount, vat=vat, fees=(amount - fee + disc, fee, disc), paid=paid)


def _spp_state_model_life(d: Draw) -> Lifecycle:
    profile, _ = SP.draw_order(d, status="Initialized")
    route = d.choice((("open", "authorize"), ("abort",), ("open", "abort"), ("open", "fail")), "#path")
    state = "Ready"
    steps = [Step("create", state, spp_state_model.state_model_snapshot(d, profile, state, False))]
    for event in route:
        nxt = next(t.after for t in SWEDBANKPAY_STATE_TRANSITIONS if t.before == state and t.event == event)
        authorized = event == "authorize"
        steps.append(Step(event, nxt, spp_state_model.state_model_snapshot(d, profile, nxt, authorized)))
        state = nxt
    return Lifecycle("swedbankpay-state", "+".join(route), tuple(steps))


# ---------------------------------------------------------------- any schema

def _dedupe(items: list[tuple[str, str, Any]]) -> list[Step]:
    out: list[Step] = []
    for event, status, doc in items:
        if out and out[-1].snapshot == doc:
            continue
        out.append(Step(event, status, doc))
    return out


def lifecycle_for(name: str, d: Draw | random.Random | int | None = None) -> Lifecycle:
    """The lifecycle of schema ``name``: for the checkout / payment order their own snapshots, for every
    other schema the instances of that schema seen along one lifecycle (never empty)."""
    d = as_draw(d)
    if name == "paiwise/checkout":
        return paiwise_lifecycle(d)[0]
    if name == "paiwise/customer":
        return _paiwise_customer_life(d)
    if name.startswith("paiwise/requests/"):
        if name.endswith("customer"):
            cust = PW.customer_object(d, "$")
            bodies = {"paiwise/requests/create-customer": PW.create_customer_request(d, cust),
                      "paiwise/requests/retrieve-customer": {"customer_id": cust["customer_id"]},
                      "paiwise/requests/delete-customer": {"customer_id": cust["customer_id"]}}
            return Lifecycle("paiwise", "customer", (Step(name.rsplit("/", 1)[1], "created", bodies[name]),))
        path = {"paiwise/requests/capture": "reserve-capture", "paiwise/requests/refund": "refund-in-pieces",
                "paiwise/requests/delete": "revoked"}.get(name)
        life, profile, trail = paiwise_lifecycle(d, path=path)
        bodies = _paiwise_requests(profile, trail, d).get(name, [])
        return Lifecycle("paiwise", life.path, tuple(Step(name.rsplit("/", 1)[1], st, b) for st, b in bodies))
    if name.startswith(spp_v3.SPP3):
        path, steps = spp_v3.lifecycle(name, d)
        return Lifecycle("swedbankpay-v3", path, tuple(_dedupe(steps)))
    if name == "swedbankpay/checkout-v2/payment-order":
        return swedbankpay_lifecycle(d)[0]
    if name == "swedbankpay/checkout-v2/payment-order-state":
        return _spp_state_model_life(d)
    life, profile, states = swedbankpay_lifecycle(d, path=d.choice(("capture-in-parts", "capture-then-reverse",
                                                                      "capture-part-cancel-rest", "cancel")))
    items: list[tuple[str, str, Any]] = []
    for step, state in zip(life.steps, states):
        order = step.snapshot
        if name.endswith("/paid") and state.paid:
            items.append((step.event, step.status, {"paymentOrder": profile.id, "paid": SP.paid_resource(profile.id, profile.paid)}))
        elif name.endswith("/paid-resource") and state.paid:
            items.append((step.event, step.status, SP.paid_resource(profile.id, profile.paid)))
        elif name.endswith("/operation"):
            items.extend((step.event, step.status, op) for op in order["operations"])
        elif name.endswith("/token") and state.paid:
            items.extend((step.event, step.status, dict(t)) for t in profile.paid.tokens or [])
        elif name.endswith("/headers"):
            items.append((step.event, step.status, {"content-type": "application/json; charset=utf-8; version=2.0",
                                                    "api-supported-versions": "2.0"}))
    if name.endswith("/token") and not items:
        items.append(("pay", "Paid", SP.token_object(d)))
    if name.endswith("/problem"):
        last = life.steps[-1]
        rel = "capture" if last.status != "Paid" or life.path != "capture-in-parts" else "cancel"
        items.append((f"{rel}-after-{last.status.lower()}", last.status, {
            "type": "https://api.payex.com/psp/errordetail/paymentorders/forbidden", "title": "Forbidden",
            "status": 403, "instance": f"http://api.payex.com/psp/errordetail/paymentorders/{V.new_guid(d)}",
            "detail": f"The operation {rel} is not possible on a payment order with status {last.status}.",
            "action": "Abort"}))
    if not items:
        raise ValueError(f"no lifecycle view for schema {name!r}")
    return Lifecycle(life.provider, life.path, tuple(_dedupe(items)))
