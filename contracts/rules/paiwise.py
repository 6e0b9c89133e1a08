"""Paiwise Checkout API cross-field rules.

Each rule reads a :class:`View` (the log, its timestamp keys and the refunds, found once per payload) and
returns ``[(path, message), …]`` — empty when the payload is consistent.
"""
from __future__ import annotations

import re
from typing import Any

from .. import paths
from ..findings import ERROR, WARNING
from ..redact import describe
from ..shape import PAIWISE_CHECKOUT
from . import PREPARE, Context, rule
from . import integer as _int

P = "paiwise"
C = (PAIWISE_CHECKOUT,)
TS = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$")
DOCUMENTED_REASONS = frozenset({"duplicate", "requested_by_customer", "fraudolent"})


class View:
    __slots__ = ("doc", "log", "keys", "refunds", "reasons")

    def __init__(self, doc: Any, schema: str):
        self.doc = doc if type(doc) is dict else {}
        log = self.doc.get("log")
        self.log = log if type(log) is dict else {}
        # the schema checks the keys' form (propertyNames); ordering needs only the well-shaped ones
        self.keys = [k for k in self.log if len(k) == 19 and k[10] == " " and k[4] == "-"]
        self.refunds: list[tuple[str, int]] = []
        self.reasons: list[tuple[str, str]] = []
        for key, entry in self.log.items():
            if type(entry) is dict and "details" in entry:
                details = entry["details"]
                if type(details) is dict:
                    amount, reason = details.get("amountRefund"), details.get("reason")
                    if _int(amount) is not None:
                        self.refunds.append((key, _int(amount)))
                    if type(reason) is str:
                        self.reasons.append((key, reason))


PREPARE[P] = View


@rule("pw-balance", P, C, "balance = amount − the sum of log[*].details.amountRefund",
      "Example: amount 1000, refunds 100 + 600 + 300, balance 0 (inferred; balance is undocumented)", WARNING)
def balance(v: View, ctx: Context):
    amount, bal = _int(v.doc.get("amount")), _int(v.doc.get("balance"))
    if amount is None or bal is None:
        return ()
    refunded = sum(a for _, a in v.refunds)
    if bal != amount - refunded:
        return [("$.balance", f"balance {bal} ≠ amount {amount} − refunds {refunded} (= {amount - refunded})")]
    return ()


@rule("pw-refunds-within-amount", P, C, "the refunds in the log never add up to more than amount",
      "Refund: 'If an amount to be refunded is not set the whole amount will be refunded' — the whole amount is the most "
      "that can be refunded.", ERROR)
def refunds_within_amount(v: View, ctx: Context):
    amount = _int(v.doc.get("amount"))
    if amount is None:
        return ()
    total = 0
    for key, value in v.refunds:
        total += value
        if total > amount:
            return [(paths.child("$.log", key) + ".details.amountRefund",
                     f"refunds add up to {total}, more than the checkout amount {amount}")]
    return ()


@rule("pw-status-fits-balance", P, C, "status refunded ⇒ balance 0; partialRefund ⇒ 0 < balance < amount",
      "Refund: a full refund results in 'refunded'; the example's partial refunds are logged as partialRefund (inferred)", WARNING)
def status_fits_balance(v: View, ctx: Context):
    status, amount, bal = v.doc.get("status"), _int(v.doc.get("amount")), _int(v.doc.get("balance"))
    if bal is None or amount is None:
        return ()
    if status == "refunded" and bal != 0:
        return [("$.balance", f"status is refunded but balance is {bal}, not 0")]
    if status == "partialRefund" and not 0 < bal < amount:
        return [("$.balance", f"status is partialRefund but balance {bal} is not between 0 and amount {amount}")]
    return ()


@rule("pw-log-order", P, C, "log keys are in ascending time order and the first action is created",
      "Example log: 09:03:30 created → … → 09:06:38, ascending (inferred)", WARNING)
def log_order(v: View, ctx: Context):
    keys, out = v.keys, []
    for prev, key in zip(keys, keys[1:]):
        if key < prev:
            out.append((paths.child("$.log", key), f"log entry {key} comes after the later entry {prev}"))
    if keys:
        entry = v.log[keys[0]]
        first = entry.get("action") if type(entry) is dict else None
        if type(first) is str and first != "created":
            out.append((paths.child("$.log", keys[0]) + ".action", f"the first log action is {describe(first)}, expected 'created'"))
    return out


@rule("pw-status-changed-is-latest-log", P, C, "statusChanged equals the newest log key",
      "Example: statusChanged 2023-04-14 09:06:38 = the last log key (inferred)", WARNING)
def status_changed_latest(v: View, ctx: Context):
    changed = v.doc.get("statusChanged")
    if type(changed) is str and v.keys:
        newest = max(v.keys)
        if changed != newest:
            return [("$.statusChanged", f"statusChanged {changed} is not the newest log entry {newest}")]
    return ()


def _saved_cards(holder: Any) -> list:
    cards = holder.get("savedCards") if type(holder) is dict else None
    return cards if type(cards) is list else []


@rule("pw-used-card-is-saved", P, C, "usedCard.card_id is among customer.savedCards[*].card_id when both are present",
      "Example: usedCard.card_id qNpdctqQpIsIkKu is the customer's saved card (inferred)", WARNING, safe=True)
def used_card_saved(v: View, ctx: Context):
    used = v.doc.get("usedCard")
    card_id = used.get("card_id") if type(used) is dict else None
    saved = _saved_cards(v.doc.get("customer"))
    if type(card_id) is str and saved and card_id not in {c.get("card_id") for c in saved if type(c) is dict}:
        return [("$.usedCard.card_id", "usedCard.card_id is not among customer.savedCards")]
    return ()


@rule("pw-refund-reason-case", P, C, "a refund reason uses the documented lower-case spelling",
      "Refund: 'Value admitted: \"duplicate\", \"requested_by_customer\" or \"fraudolent\"'; the example log writes "
      "'Duplicate' (QUIRKS: accepted with a warning)", WARNING, safe=True)
def refund_reason_case(v: View, ctx: Context):
    return [(paths.child("$.log", key) + ".details.reason", f"reason {reason!r} is documented as {reason.lower()!r}")
            for key, reason in v.reasons if reason not in DOCUMENTED_REASONS and reason.lower() in DOCUMENTED_REASONS]
