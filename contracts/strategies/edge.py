"""Edge cases: valid payloads pushed to every documented boundary.

The targets come from walking the schema (:func:`.walk.sites`): every enum value at its path, every optional
field both present and absent, amounts at 0 and 2**31-1, documented length limits met exactly, plus a few
whole-payload ones (everything optional left out, everything in, empty details, several tokens). Each target
is a set of :class:`~.draw.ForcingDraw` constraints, with the ``if`` conditions and optional parents that lead
to its path; the ordinary builder then draws the rest, so an edge case is as valid as any other payload.
Documented-but-warned spellings (``Creditcard``, ``Unscheduled``, refund reason ``Duplicate``) are produced
too: those payloads carry exactly the warning the rules table promises, and no error.
"""
from __future__ import annotations

import functools
import random
from dataclasses import dataclass, field
from typing import Any

from . import catalog
from .draw import MAX, MIN, Draw, Except, ForcingDraw, as_draw
from .walk import REFUSED, Condition, Site, sites

LENGTH_LIMITS = {"description": 40, "payeeReference": 30}
BOUNDED = ("amount", "vatAmount")   # drawn amounts (the others — remaining*, balance, refunds — follow from them)


@dataclass(frozen=True)
class Target:
    description: str
    constraints: dict = field(default_factory=dict)
    presence: bool | None = None


def _condition_constraints(conds: tuple[Condition, ...]) -> dict:
    out: dict[str, Any] = {}
    for c in conds:
        if c.op == "eq":
            out[c.path] = c.values if len(c.values) > 1 else c.values[0]
        elif c.op == "ne":
            out[c.path] = Except(c.values)
        elif c.op == "present":
            out[c.path + "?"] = True
        elif c.op == "absent":
            out[c.path + "?"] = False
        elif c.op == "type":
            out[c.path + "#type"] = c.values[0]
        elif c.op == "not-type":
            out[c.path + "#type"] = Except(c.values)
    return out


def _lead_to(site: Site, alternative: int = 0) -> dict:
    out: dict[str, Any] = {a + "?": True for a in site.ancestors}
    if site.conditions:
        out.update(_condition_constraints(site.conditions[alternative % len(site.conditions)]))
    return out


EXTRA: dict[str, list[Target]] = {
    "swedbankpay/checkout-v2/payment-order": [
        Target("expanded paid with empty details", {"$.paymentOrder.paid.instrument?": True,
                                                    "$.paymentOrder.paid.details#empty": True}),
        Target("several tokens", {"$.paymentOrder.paid.instrument?": True, "$.paymentOrder.paid.tokens?": True,
                                  "$.paymentOrder.paid.tokens#count": MAX, "$.paymentOrder.paid.instrument": "CreditCard"}),
        Target("payeeReference of exactly 30 characters", {"$.paymentOrder.paid.instrument?": True,
                                                           "$.paymentOrder.paid.payeeReference#len": MAX}),
        Target("fully captured: nothing left to capture or cancel", {
            "$.paymentOrder.status": "Paid", "#plan": "all", "$.paymentOrder.transactionType": "Authorization",
            "$.paymentOrder.remainingCaptureAmount?": True, "$.paymentOrder.remainingReversalAmount?": True}),
    ],
    "swedbankpay/checkout-v2/paid": [
        Target("empty details", {"$.paid.details#empty": True}),
        Target("several tokens", {"$.paid.tokens?": True, "$.paid.tokens#count": MAX, "$.paid.instrument": "CreditCard"}),
        Target("payeeReference of exactly 30 characters", {"$.paid.payeeReference#len": MAX}),
    ],
    "swedbankpay/checkout-v2/paid-resource": [
        Target("empty details", {"$.details#empty": True}),
        Target("several tokens", {"$.tokens?": True, "$.tokens#count": MAX, "$.instrument": "CreditCard"}),
        Target("payeeReference of exactly 30 characters", {"$.payeeReference#len": MAX}),
    ],
    "paiwise/checkout": [
        Target("several saved cards", {"$.customer?": True, "$.customer#type": "object",
                                       "$.customer.savedCards#count": MAX}),
        Target("zero-padded expiry month", {"$.usedCard?": True, "$.usedCard#type": "object", "$.usedCard.expires#padded": True}),
    ],
    "paiwise/customer": [
        Target("no saved cards", {"$.savedCards#count": MIN}),
        Target("several saved cards", {"$.savedCards#count": MAX}),
    ],
}


@functools.lru_cache(maxsize=None)
def targets(name: str) -> tuple[Target, ...]:
    """Every edge target of schema ``name``, in a fixed order."""
    catalog.builder(name)
    out: list[Target] = [Target("only the required fields", {}, False), Target("every optional field", {}, True)]
    for site in sites(name):
        if site.kind == "enum":
            for i, value in enumerate(site.values):
                out.append(Target(f"{site.path} = {value!r}", {site.path: value, **_lead_to(site, i)}))
        elif site.kind == "optional":
            out.append(Target(f"{site.path} present", {site.path + "?": True, **_lead_to(site)}))
            out.append(Target(f"{site.path} absent", {site.path + "?": False, **_lead_to(site)}))
        elif site.kind == "minimum" and site.values == (0,) and site.path.rsplit(".", 1)[-1] in BOUNDED:
            out.append(Target(f"{site.path} = 0", {site.path: MIN, **_lead_to(site)}))
            top = "2**31-1" if site.path.endswith(".amount") else "amount"
            out.append(Target(f"{site.path} = {top}", {site.path: MAX, **_lead_to(site)}))
        elif site.kind == "maxLength" and site.path.rsplit(".", 1)[-1] in LENGTH_LIMITS:
            out.append(Target(f"{site.path} exactly {site.values[0]} characters", {site.path + "#len": MAX, **_lead_to(site)}))
    out.extend(EXTRA.get(name, []))
    return tuple(t for t in out if _reachable(name, t))


def _reachable(name: str, target: Target) -> bool:
    """False for a target that forces a value the schema refuses at that place (a capture response is never
    Failed, so "the failed link of a Failed order" is no target of it)."""
    refused = REFUSED.get(name, {})
    for label, want in target.constraints.items():
        bad = refused.get(label)
        if bad is None:
            continue
        wanted = want if isinstance(want, tuple) else (want,)
        if not isinstance(want, Except) and all(isinstance(w, (str, int)) and w in bad for w in wanted):
            return False
    return True


def build_edge(name: str, d: Draw | random.Random | int | None, target: Target | int) -> Any:
    """An edge case of ``name`` for ``target`` (a :class:`Target` or an index into :func:`targets`)."""
    d = as_draw(d)
    if isinstance(target, int):
        all_targets = targets(name)
        target = all_targets[target % len(all_targets)]
    return catalog.build(name, ForcingDraw(d, target.constraints, target.presence))
