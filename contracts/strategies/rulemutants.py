"""Mutants that break one error-level cross-field check (a rule in contracts/rules, or a cross-field check the schema
states: code ``pattern`` / ``not``) or leak one card number."""
from __future__ import annotations

from typing import Any, Callable

from .. import paths
from ..shape import PAIWISE_CHECKOUT, PAIWISE_CUSTOMER, SPP_ORDER, SPP_ORDER_STATE, SPP_PAID
from .. import lifecycles as machine, paymentorder
from . import values as V
from .draw import Draw
from .mutation import Candidate
from .walk import Location

_RULE_READS = {("tokens", "name")}   # strings an error rule judges: a card number there breaks it too


def _at(doc: Any, tokens: tuple) -> Any:
    for t in tokens:
        doc = doc[t]
    return doc


def _set(tokens: tuple, fn: Callable[[Any], Any]) -> Callable[[Any, Draw], Any]:
    def apply(doc: Any, d: Draw) -> Any:
        parent = _at(doc, tokens[:-1])
        parent[tokens[-1]] = fn(parent[tokens[-1]])
        return doc
    return apply


def _order(doc: Any) -> tuple[tuple, dict | None]:
    key, order = paymentorder.find(doc)
    return ((key,), order) if order is not None else ((), None)


def _paid(name: str, doc: Any) -> tuple[tuple, dict | None]:
    if name == SPP_PAID:
        return ("paid",), doc.get("paid")
    t, order = _order(doc)
    paid = order.get("paid") if order else None
    if isinstance(paid, dict) and "instrument" in paid:
        return t + ("paid",), paid
    return (), None


def _int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def rule_candidates(name: str, doc: Any) -> list[Candidate]:
    out: list[Candidate] = _spp3_candidates(name, doc) if name.startswith("swedbankpay/checkout-v3/") else []
    add = out.append
    if name in (SPP_ORDER, SPP_PAID):
        pt, paid = _paid(name, doc)
        details = paid.get("details") if paid else None
        if isinstance(details, dict) and isinstance(details.get("bin"), str) and isinstance(details.get("maskedPan"), str):
            tok = pt + ("details", "bin")
            add(Candidate("spp-bin-prefix", paths.render(tok), "bin no longer the first six digits of maskedPan",
                          _set(tok, lambda b: b[:5] + str((int(b[5]) + 1) % 10))))
        for i, token in enumerate((paid or {}).get("tokens") or []):
            if isinstance(token, dict) and isinstance(token.get("name"), str):
                tok = pt + ("tokens", i, "name")
                add(Candidate("pattern", paths.render(tok),
                              "token name a card number masked the wrong way (8 digits, 4 stars, 4 digits)",
                              _set(tok, lambda n: n[:6] + "00****" + n[-4:])))
    if name in (SPP_ORDER, SPP_ORDER_STATE):
        ot, order = _order(doc)
        if order is not None and _int(order.get("amount")):
            if _int(order.get("vatAmount")):
                add(Candidate("spp-vat-within-amount", paths.render(ot + ("vatAmount",)), "vatAmount above amount",
                              _set(ot + ("vatAmount",), lambda _v, a=order["amount"]: a + 1)))
            for key in ("remainingCaptureAmount", "remainingCancellationAmount", "remainingReversalAmount"):
                if _int(order.get(key)):
                    add(Candidate("spp-remaining-within-amount", paths.render(ot + (key,)), f"{key} above amount",
                                  _set(ot + (key,), lambda _v, a=order["amount"]: a + 1)))
        if order is not None and isinstance(order.get("updated"), str) and isinstance(order.get("created"), str):
            try:
                secs, ticks = V.parse_iso(order["created"])
            except ValueError:
                secs = None
            if secs is not None:
                add(Candidate("spp-updated-after-created", paths.render(ot + ("updated",)),
                              "updated a second before created", _set(ot + ("updated",), lambda _u: V.iso7(secs - 1, ticks))))
    if name == SPP_ORDER:
        _, order = _order(doc)
        ops = doc.get("operations")
        if order is not None and isinstance(ops, list) and isinstance(order.get("id"), str):
            status = order.get("status")
            banned = "capture" if status == "Initialized" else "update-order"
            if status in ("Initialized", "Paid", "Failed", "Aborted", "Cancelled", "Reversed"):
                add(Candidate("not", f"$.operations[{len(ops)}].rel",
                              f"operation {banned!r} offered on a payment order with status {status}",
                              _append_op(order["id"], banned)))
            if status == "Paid":
                for key, rel in (("remainingCaptureAmount", "capture"), ("remainingCancellationAmount", "cancel")):
                    if order.get(key) == 0 and not any(isinstance(o, dict) and o.get("rel") == rel for o in ops):
                        add(Candidate("not", f"$.operations[{len(ops)}].rel",
                                      f"operation {rel!r} offered while {key} is 0", _append_op(order["id"], rel)))
    if name == PAIWISE_CHECKOUT and isinstance(doc.get("log"), dict) and _int(doc.get("amount")):
        refunds = [(k, e["details"]["amountRefund"]) for k, e in doc["log"].items()
                   if isinstance(e, dict) and isinstance(e.get("details"), dict) and _int(e["details"].get("amountRefund"))]
        if refunds:
            key, last = refunds[-1]
            over = doc["amount"] - sum(a for _, a in refunds) + 1
            tok = ("log", key, "details", "amountRefund")
            add(Candidate("pw-refunds-within-amount", paths.render(tok), "refunds add up to more than the amount",
                          _set(tok, lambda a, o=over: a + o)))
    if name in (PAIWISE_CHECKOUT, PAIWISE_CUSTOMER):
        cards: list[tuple] = []
        if name == PAIWISE_CHECKOUT and isinstance(doc.get("usedCard"), dict):
            cards.append(("usedCard",))
        holder, base = (doc.get("customer"), ("customer",)) if name == PAIWISE_CHECKOUT else (doc, ())
        if isinstance(holder, dict):
            cards.extend(base + ("savedCards", i) for i, c in enumerate(holder.get("savedCards") or []) if isinstance(c, dict))
        for ct in cards:
            tok = ct + ("expires",)
            add(Candidate("pattern", paths.render(tok), "expiry month 13",
                          _set(tok, lambda e: "13/" + e.split("/")[-1])))
    return out


def _spp3_candidates(name: str, doc: Any) -> list[Candidate]:
    """Swedbank Pay v3.1: one mutant per error-level spp3-* rule the payload can break alone."""
    from .spp_v3 import ORDERS, SPP3
    out: list[Candidate] = []
    if not isinstance(doc, dict):
        return out
    key = next((k for k in ("paymentOrder", "paymentorder", "transaction") if isinstance(doc.get(k), dict)), None)
    body = doc.get(key) if key else None
    if isinstance(body, dict) and _int(body.get("amount")) and _int(body.get("vatAmount")) and body["amount"] >= 0:
        if name in ORDERS or name in (SPP3 + "requests/create", SPP3 + "requests/capture", SPP3 + "requests/reversal"):
            out.append(Candidate("spp3-vat-within-amount", paths.render((key, "vatAmount")), "vatAmount above amount",
                                 _set((key, "vatAmount"), lambda v, a=body["amount"]: a + 1)))
    if name not in ORDERS or not isinstance(body, dict):
        return out
    ft = body.get("financialTransactions")
    expanded_ft = isinstance(ft, dict) and "financialTransactionsList" in ft
    if _int(body.get("amount")) and _int(body.get("remainingCaptureAmount")) and not expanded_ft:
        out.append(Candidate("spp3-remaining-within-amount", paths.render((key, "remainingCaptureAmount")),
                             "remainingCaptureAmount above amount",
                             _set((key, "remainingCaptureAmount"), lambda v, a=body["amount"]: a + 1)))
    if isinstance(body.get("created"), str) and isinstance(body.get("updated"), str):
        out.append(Candidate("spp3-updated-after-created", paths.render((key, "updated")), "updated before created",
                             _set((key, "updated"), lambda v: "2000-01-01T00:00:00Z")))
    paid = body.get("paid")
    details = paid.get("details") if isinstance(paid, dict) else None
    if isinstance(details, dict) and isinstance(details.get("bin"), str) and isinstance(details.get("maskedPan"), str):
        tok = (key, "paid", "details", "bin")
        out.append(Candidate("spp3-bin-prefix", paths.render(tok), "bin no longer the first six digits of maskedPan",
                             _set(tok, lambda b: b[:5] + str((int(b[5]) + 1) % 10))))
    history = body.get("history")
    items = history.get("historyList") if isinstance(history, dict) else None
    if isinstance(items, list) and len(items) >= 2 and all(isinstance(i, dict) and isinstance(i.get("created"), str) for i in items):
        tok = (key, "history", "historyList", 1, "created")
        out.append(Candidate("spp3-history-in-order", paths.render(tok), "an event listed after a later one",
                             _set(tok, lambda c: "2000-01-01T00:00:00Z")))
    left = body.get("remainingReversalAmount")
    if expanded_ft and _int(left) and _int(body.get("amount")) and left < body["amount"] \
            and all(isinstance(t, dict) and _int(t.get("amount")) for t in ft["financialTransactionsList"]):
        tok = (key, "remainingReversalAmount")
        out.append(Candidate("spp3-financial-transactions-add-up", paths.render(tok),
                             "remainingReversalAmount no longer what the transactions leave", _set(tok, lambda v: v + 1)))
    return out


def _append_op(order_id: str, rel: str) -> Callable[[Any, Draw], Any]:
    def apply(doc: Any, d: Draw) -> Any:
        doc["operations"].append(machine.operation(order_id, rel))
        return doc
    return apply


def pan_candidates(name: str, doc: Any, locs: list[Location]) -> list[Candidate]:
    """A Luhn-valid test card number written into a free-text string field."""
    out = []
    for loc in locs:
        if not isinstance(loc.value, str) or not loc.tokens or not loc.nodes:
            continue
        if any(k in n for n, _ in loc.nodes for k in ("pattern", "format", "enum", "const")):
            continue
        if any(n.get("type") not in ("string", None) for n, _ in loc.nodes):
            continue
        if tuple(t for t in loc.tokens if isinstance(t, str))[-2:] in _RULE_READS:
            continue
        limit = min((n["maxLength"] for n, _ in loc.nodes if "maxLength" in n), default=None)
        if limit is not None and limit < 19:
            continue
        out.append(Candidate("unmasked-pan", loc.path, "a full card number (a Luhn-valid test number) in free text",
                             _put_pan(loc.tokens, limit)))
    return out


def _put_pan(tokens: tuple, limit: int | None) -> Callable[[Any, Draw], Any]:
    def apply(doc: Any, d: Draw) -> Any:
        _, pan = V.test_pan(d)
        text = f"Card {pan}"
        parent = _at(doc, tokens[:-1])
        parent[tokens[-1]] = text if limit is None or len(text) <= limit else pan
        return doc
    return apply
