"""Paiwise Checkout API cross-field rules."""
from __future__ import annotations

import re
from typing import Any, Iterator

from .. import paths
from ..findings import ERROR, WARNING
from ..redact import describe
from ..shape import PAIWISE_CHECKOUT, PAIWISE_CUSTOMER
from . import Context, rule
from ._get import arr, num, obj, text

P = "paiwise"
C = (PAIWISE_CHECKOUT,)
TS = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$")


def _log(doc: Any) -> dict:
    return obj(doc, "log") or {}


def _refunds(doc: Any) -> list[tuple[str, int]]:
    out = []
    for key, entry in _log(doc).items():
        amount = num(obj(entry, "details"), "amountRefund")
        if amount is not None:
            out.append((key, amount))
    return out


@rule("pw-balance", P, C, "balance = amount − the sum of log[*].details.amountRefund",
      "Example: amount 1000, refunds 100 + 600 + 300, balance 0 (inferred; balance is undocumented)", WARNING)
def balance(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    amount, bal = num(doc, "amount"), num(doc, "balance")
    if amount is None or bal is None:
        return
    refunded = sum(a for _, a in _refunds(doc))
    if bal != amount - refunded:
        yield "$.balance", f"balance {bal} ≠ amount {amount} − refunds {refunded} (= {amount - refunded})"


@rule("pw-refunds-within-amount", P, C, "the refunds in the log never add up to more than amount",
      "Refund: 'If an amount to be refunded is not set the whole amount will be refunded' — the whole amount is the most "
      "that can be refunded.", ERROR)
def refunds_within_amount(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    amount = num(doc, "amount")
    if amount is None:
        return
    total = 0
    for key, value in _refunds(doc):
        total += value
        if total > amount:
            yield paths.child("$.log", key) + ".details.amountRefund", (
                f"refunds add up to {total}, more than the checkout amount {amount}")
            return


@rule("pw-status-fits-balance", P, C, "status refunded ⇒ balance 0; partialRefund ⇒ 0 < balance < amount",
      "Refund: a full refund results in 'refunded'; the example's partial refunds are logged as partialRefund (inferred)", WARNING)
def status_fits_balance(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    status, amount, bal = text(doc, "status"), num(doc, "amount"), num(doc, "balance")
    if bal is None or amount is None:
        return
    if status == "refunded" and bal != 0:
        yield "$.balance", f"status is refunded but balance is {bal}, not 0"
    if status == "partialRefund" and not 0 < bal < amount:
        yield "$.balance", f"status is partialRefund but balance {bal} is not between 0 and amount {amount}"


@rule("pw-log-order", P, C, "log keys are in ascending time order and the first action is created",
      "Example log: 09:03:30 created → … → 09:06:38, ascending (inferred)", WARNING)
def log_order(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    log = _log(doc)
    keys = [k for k in log if TS.match(k)]
    for prev, key in zip(keys, keys[1:]):
        if key < prev:
            yield paths.child("$.log", key), f"log entry {key} comes after the later entry {prev}"
    if keys:
        first = text(log[keys[0]], "action")
        if first is not None and first != "created":
            yield paths.child("$.log", keys[0]) + ".action", f"the first log action is {describe(first)}, expected 'created'"


@rule("pw-status-changed-is-latest-log", P, C, "statusChanged equals the newest log key",
      "Example: statusChanged 2023-04-14 09:06:38 = the last log key (inferred)", WARNING)
def status_changed_latest(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    changed = text(doc, "statusChanged")
    keys = [k for k in _log(doc) if TS.match(k)]
    if changed and keys and changed != max(keys):
        yield "$.statusChanged", f"statusChanged {changed} is not the newest log entry {max(keys)}"


@rule("pw-used-card-is-saved", P, C, "usedCard.card_id is among customer.savedCards[*].card_id when both are present",
      "Example: usedCard.card_id qNpdctqQpIsIkKu is the customer's saved card (inferred)", WARNING)
def used_card_saved(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    card_id = text(obj(doc, "usedCard"), "card_id")
    saved = arr(obj(doc, "customer"), "savedCards")
    if card_id and saved:
        ids = {text(c, "card_id") for c in saved}
        if card_id not in ids:
            yield "$.usedCard.card_id", "usedCard.card_id is not among customer.savedCards"


_EXPIRES = re.compile(r"^([0-9]{1,2})/[0-9]{4}$")


def _cards(doc: Any, base: str) -> Iterator[tuple[str, dict]]:
    used = obj(doc, "usedCard")
    if used is not None:
        yield f"{base}.usedCard", used
    customer = obj(doc, "customer")
    cust_base = f"{base}.customer" if customer is not None else base
    holder = customer if customer is not None else doc
    for i, card in enumerate(arr(holder, "savedCards") or []):
        if isinstance(card, dict):
            yield f"{cust_base}.savedCards[{i}]", card


@rule("pw-expiry-month", P, (PAIWISE_CHECKOUT, PAIWISE_CUSTOMER), "card expiry month (expires M/YYYY) is 1–12",
      "Example: expires '4/2024' — a month and a year", ERROR)
def expiry_month(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    for path, card in _cards(doc, "$"):
        m = _EXPIRES.match(text(card, "expires") or "")
        if m and not 1 <= int(m.group(1)) <= 12:
            yield f"{path}.expires", f"expiry month {int(m.group(1))} is not 1–12"


@rule("pw-refund-reason-case", P, C, "a refund reason uses the documented lower-case spelling",
      "Refund: 'Value admitted: \"duplicate\", \"requested_by_customer\" or \"fraudolent\"'; the example log writes "
      "'Duplicate' (QUIRKS: accepted with a warning)", WARNING)
def refund_reason_case(doc: Any, ctx: Context) -> Iterator[tuple[str, str]]:
    documented = {"duplicate", "requested_by_customer", "fraudolent"}
    for key, entry in _log(doc).items():
        reason = text(obj(entry, "details"), "reason")
        if reason and reason not in documented and reason.lower() in documented:
            yield paths.child("$.log", key) + ".details.reason", f"reason {reason!r} is documented as {reason.lower()!r}"
