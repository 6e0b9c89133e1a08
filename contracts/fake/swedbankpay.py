"""The fake Swedbank Pay payment-order API: Checkout v2 (status model, ``version=2.0``) and v3.1.

``POST /psp/paymentorders`` (201), ``GET /psp/paymentorders/{id}`` (``?$expand=paid`` expands the paid
resource), ``PATCH /psp/paymentorders/{id}`` (``Abort``, ``UpdateOrder``), ``GET …/paid``, ``POST …/captures``,
``…/cancellations``, ``…/reversals``. Captures, cancellations and reversals answer with the payment order in
its new state (as Checkout v3.1 does; the v2 pages show instrument-level transaction bodies that no schema
describes). Errors are RFC 7807 problems: 400 ``inputerror`` (bad body, amount over what is left), 401
``unauthorized``, 403 ``forbidden`` (operation not possible in the order's status or nothing left), 404
``notfound``.

Status and amounts follow the generators' state machine (:mod:`checkout_contracts.lifecycles`: ``SppState`` /
``spp_apply``), and the operations offered are ``offered_rels`` of it: the remaining amounts always add up.
A cancellation always cancels the whole remaining authorization (an ``amount`` other than that is refused).

The same records answer in v3.1 when the request asks for it (``Call.version``; views in :mod:`.v3`: v3.1 create
answers 200, ``$expand`` of any sub-resource, ``GET …/{segment}``; a v3.1 request body is checked against its
schema when the registry has it). Every state change leaves a history entry, a financial transaction when money
moved, a failed attempt when the payer failed or aborted, and (after a payment attempt) a callback.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from .. import lifecycles as machine
from ..paymentorder import REQUEST_KEY
from . import v3
from .replies import Call, Problem, Reply, input_error, not_allowed, not_found, spp_reply
from .store import Store
from .values import Source, iso7, now_ticks

ORDERS = "/psp/paymentorders/"
CURRENCIES = ("SEK", "NOK", "DKK", "EUR")
LANGUAGES = ("da-DK", "de-DE", "et-EE", "en-US", "es-ES", "fi-FI", "fr-FR", "lt-LT", "lv-LV", "nb-NO", "pl-PL",
             "ru-RU", "sv-SE")
SALE_INSTRUMENTS = frozenset({"Swish", "Trustly"})
_PAYEE_REF = re.compile(r"^[A-Za-z0-9]{1,30}$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_LINKS = ("orderItems", "urls", "payeeInfo", "payer", "history", "failed", "aborted", "paid", "cancelled",
          "financialTransactions", "failedAttempts", "metadata")
_LINK_PATH = {"orderItems": "orderitems", "payeeInfo": "payeeinfo", "payer": "payers",
              "financialTransactions": "financialtransactions", "failedAttempts": "failedattempts"}
# instrument the payer pays with -> how it shows in availableInstruments
AVAILABLE = {"CreditCard": "CreditCard", "Invoice": "Invoice-PayExFinancingSe", "Swish": "Swish",
             "CreditAccount": "CreditAccount", "Trustly": "Trustly", "ApplePay": "ApplePay", "MobilePay": "MobilePay",
             "Vipps": "Vipps"}
INSTRUMENTS = tuple(AVAILABLE)
PAY_OUTCOMES = {"paid": "pay", "failed": "fail", "aborted": "abort"}
# the operations the fake serves, in the order it lists them (offered when the state machine allows)
RELS = ("update-order", "abort", "redirect-checkout", "cancel", "capture", "reversal", "paid-paymentorder")
_REL_EVENT = {"abort": "abort", "cancel": "cancel", "capture": "capture", "reversal": "reversal"}


class SwedbankPayFake:
    def __init__(self, source: Source | None = None, callbacks: Any = None) -> None:
        self.source = source or Source()
        self.orders = Store()
        self.callbacks = callbacks  # a CallbackSender (checkout_contracts.fake.callbacks), or None: no callbacks

    def render(self, o: dict, call: Call, status: int = 200) -> Reply:
        """The order as the request's API version shows it (v3.1 honours ``$expand`` fully)."""
        expand = call.args.get("$expand", "")
        if call.version == "3.1":
            return spp_reply(v3.order_view(o, call.base_url, v3.expand_names(expand)), status, "3.1")
        return spp_reply(self.view(o, call.base_url, expand_paid="paid" in expand.lower().split(",")), status)

    # ---- views ---------------------------------------------------------------------------------------
    @staticmethod
    def amounts(state: machine.SppState) -> dict[str, int]:
        return {"remainingCaptureAmount": state.remaining_capture,
                "remainingCancellationAmount": state.remaining_cancellation,
                "remainingReversalAmount": state.remaining_reversal}

    def view(self, o: dict, base: str, *, expand_paid: bool = False) -> dict:
        state: machine.SppState = o["state"]
        oid = o["id"]
        po: dict[str, Any] = {"id": oid, "created": o["created"], "updated": iso7(*state.updated),
                              "operation": "Purchase", "status": state.status, "currency": o["currency"]}
        if state.paid:
            po["transactionType"] = state.transaction_type
        po["amount"] = state.amount
        if state.paid:
            po.update(submittedAmount=state.amount, feeAmount=0, discountAmount=0)
        po["vatAmount"] = o["vatAmount"]
        if state.paid:
            po.update(self.amounts(state))
        po["description"] = o["description"]
        if o["userAgent"]:
            po["initiatingSystemUserAgent"] = o["userAgent"]
        po.update(language=o["language"], availableInstruments=list(o["availableInstruments"]),
                  integration=o["integration"], implementation="PaymentsOnly", instrumentMode=o["instrumentMode"],
                  guestMode=False)
        for key in _LINKS:
            po[key] = {"id": f"{oid}/{_LINK_PATH.get(key, key.lower())}"}
        if state.status == "Reversed":
            po["reversed"] = {"id": f"{oid}/reversed"}
        if expand_paid and state.paid:
            po["paid"] = self._paid(o)
        return {"paymentOrder": po, "operations": self._operations(o, base)}

    @staticmethod
    def _operations(o: dict, base: str) -> list[dict]:
        state: machine.SppState = o["state"]
        events = machine.next_events("swedbankpay", state.status)
        out = []
        for rel in machine.offered_rels(state, RELS):
            if rel in _REL_EVENT and _REL_EVENT[rel] not in events:
                continue  # offered by the operations table, but no transition takes it from this status
            op = machine.OPERATIONS[rel]
            out.append({"method": op.method, "href": f"{base}{o['id']}{op.suffix}", "rel": rel,
                        "contentType": op.content_type})
        return out

    @staticmethod
    def _paid(o: dict) -> dict:
        state: machine.SppState = o["state"]
        out: dict[str, Any] = {"id": f"{o['id']}/paid", "instrument": o["instrument"], "number": o["number"],
                               "payeeReference": o["payeeReference"]}
        if o.get("orderReference"):
            out["orderReference"] = o["orderReference"]
        out.update(transactionType=state.transaction_type, amount=state.amount, submittedAmount=state.amount,
                   feeAmount=0, discountAmount=0, details=dict(o["details"]))
        return out

    # ---- endpoints -----------------------------------------------------------------------------------
    def create(self, call: Call) -> Reply:
        _v3_request(call, "create")
        po = _order_request(call.body)
        at = now_ticks()
        only = po.get("instrument")
        while True:  # until the new id is free (a clash is astronomically rare)
            guid = self.source.guid()
            o = {"guid": guid, "id": ORDERS + guid, "created": iso7(*at), "currency": po["currency"],
                 "vatAmount": po["vatAmount"], "description": po["description"],
                 "userAgent": (call.user_agent or "")[:500] or None, "language": po["language"], "integration": "",
                 "instrumentMode": only is not None,
                 "availableInstruments": [AVAILABLE[only]] if only else list(AVAILABLE.values()),
                 "payeeReference": po["payeeInfo"]["payeeReference"],
                 "orderReference": po["payeeInfo"].get("orderReference"),
                 "instrument": None, "number": None, "details": None,
                 "state": machine.SppState(amount=po["amount"], updated=at),
                 # v3.1 sub-resources and callbacks
                 "version": call.version, "urls": _strings(po["urls"], v3.URL_KEYS),
                 "payeeInfo": _strings(po["payeeInfo"], v3.PAYEE_KEYS),
                 "orderItems": _order_items(po.get("orderItems")) if call.version == "3.1" else [],
                 "metadata": _scalars(po.get("metadata")) if call.version == "3.1" else {},
                 "history": [{"created": iso7(*at), "name": "PaymentCreated", "initiatedBy": "Payee"}],
                 "transactions": [], "failedAttempts": []}
            # the answer is built before the order is visible to other requests; v3.1 answers 200, v2 201
            reply = self.render(o, call, 200 if call.version == "3.1" else 201)
            if self.orders.add(guid, o):
                return reply

    def get(self, guid: str, call: Call) -> Reply:
        with self.orders.locked(guid) as o:
            _exists(o)
            return self.render(o, call)

    def get_sub(self, guid: str, segment: str, call: Call) -> Reply:
        """``GET /psp/paymentorders/{id}/{segment}`` in v3.1 (any request version: only v3.1 documents them)."""
        key = v3.EXPAND.get(segment.lower())
        with self.orders.locked(guid) as o:
            _exists(o)
            body = v3.sub_resource(o, key) if key else None
            if body is None:
                raise not_found(f"The payment order is {o['state'].status}: it has no {segment} resource.")
            return spp_reply(body, 200, "3.1")

    def get_paid(self, guid: str, call: Call) -> Reply:
        if call.version == "3.1":
            return self.get_sub(guid, "paid", call)
        with self.orders.locked(guid) as o:
            _exists(o)
            if not o["state"].paid:
                raise not_found(f"The payment order is {o['state'].status}: it has no paid resource yet.")
            return spp_reply({"paymentOrder": o["id"], "paid": self._paid(o)})

    def patch(self, guid: str, call: Call) -> Reply:
        _v3_request(call, "update")
        po = call.body.get(REQUEST_KEY) if isinstance(call.body, dict) else None
        if not isinstance(po, dict):
            raise input_error(("PaymentOrder", f"The {REQUEST_KEY} object is required."))
        operation = po.get("operation")
        with self.orders.locked(guid) as o:
            _exists(o)
            state: machine.SppState = o["state"]
            if operation == "Abort":
                self._apply(o, "abort")
                reason = po.get("abortReason")
                o["abortReason"] = reason if isinstance(reason, str) and reason.isalnum() else "CancelledByConsumer"
            elif operation == "UpdateOrder":
                if state.status != "Initialized":
                    raise not_allowed(f"The order can only be updated while Initialized; it is {state.status}.")
                amount, vat = po.get("amount"), po.get("vatAmount")
                problems = _amount_problems("PaymentOrder", amount, vat)
                if problems:
                    raise input_error(*problems)
                o["state"] = replace(state, amount=amount, updated=now_ticks(state.updated))
                o["vatAmount"] = vat
                if call.version == "3.1" and isinstance(po.get("orderItems"), list):
                    o["orderItems"] = _order_items(po["orderItems"])
            else:
                raise input_error(("PaymentOrder.Operation", "The operation must be Abort or UpdateOrder."))
            return self.render(o, call)

    def capture(self, guid: str, call: Call) -> Reply:
        return self._take_amount(guid, call, "capture", "remaining_capture", "capture")

    def cancel(self, guid: str, call: Call) -> Reply:
        _v3_request(call, "cancel")
        tx = _transaction(call.body, amount_required=False)
        with self.orders.locked(guid) as o:
            _exists(o)
            left = o["state"].remaining_cancellation
            self._allowed(o, "cancel", left, "cancel")
            if "amount" in tx and tx["amount"] != left:
                raise input_error(("Transaction.Amount", f"A cancellation cancels the whole remaining amount {left}."))
            self._apply(o, "cancel", tx=tx)
            return self.render(o, call)

    def reversal(self, guid: str, call: Call) -> Reply:
        return self._take_amount(guid, call, "reversal", "remaining_reversal", "reverse")

    def _take_amount(self, guid: str, call: Call, event: str, remaining: str, verb: str) -> Reply:
        """A capture or a reversal: an amount taken from what remains, under the order's lock."""
        _v3_request(call, "capture" if event == "capture" else "reversal")
        tx = _transaction(call.body, amount_required=True)
        with self.orders.locked(guid) as o:
            _exists(o)
            left = getattr(o["state"], remaining)
            self._allowed(o, event, left, verb)
            self._over(tx["amount"], left, event)
            self._apply(o, event, tx["amount"], tx=tx)
            return self.render(o, call)

    @staticmethod
    def _allowed(o: dict, event: str, left: int, verb: str) -> None:
        status = o["state"].status
        if event not in machine.next_events("swedbankpay", status):
            raise not_allowed(f"The operation {event} is not allowed on a payment order with status {status}.")
        if left <= 0:
            raise not_allowed(f"Nothing is left to {verb} on this payment order.")

    @staticmethod
    def _over(amount: int, left: int, what: str) -> None:
        if amount > left:
            raise input_error(("Transaction.Amount", f"The amount {amount} exceeds the remaining {what} amount {left}."))

    def _apply(self, o: dict, event: str, amount: int | None = None, *, tx: dict | None = None,
               by: str = "Payee") -> None:
        """The state machine's step, then what it leaves behind: a history entry, a financial transaction (money
        moved), a failed attempt, and the callback to the order's callbackUrl."""
        state: machine.SppState = o["state"]
        try:
            o["state"] = after = machine.spp_apply(state, event, now_ticks(state.updated), amount)
        except machine.IllegalStep as exc:
            raise not_allowed(f"The operation {event} is not allowed on a payment order with status "
                              f"{state.status}: {exc}.") from None
        at = iso7(*after.updated)
        moved = {"capture": after.captured - state.captured, "cancel": after.cancelled - state.cancelled,
                 "reversal": after.reversed - state.reversed,
                 "pay": after.amount if event == "pay" else 0}.get(event, 0)
        entry: dict[str, Any] = {"created": at, "name": _history_name(event, after, moved), "initiatedBy": by}
        if o["instrument"] and event != "abort":
            entry.update(instrument=o["instrument"], number=o["number"])
        if moved:
            entry["amount"] = moved
        o["history"].append(entry)
        if moved:
            kind = {"capture": "Capture", "cancel": "Cancellation", "reversal": "Reversal"}.get(
                event, "Sale" if after.transaction_type == "Sale" else "Authorization")
            vat = (tx or {}).get("vatAmount")
            o["transactions"].append({
                "id": f"{o['id']}/financialtransactions/{self.source.guid()}", "created": at, "updated": at,
                "type": kind, "number": self.source.paid_number(), "amount": moved,
                "vatAmount": vat if isinstance(vat, int) and 0 <= vat <= moved else min(o["vatAmount"], moved),
                "description": (tx or {}).get("description") or o["description"],
                "payeeReference": (tx or {}).get("payeeReference") or o["payeeReference"]})
        if event in ("fail", "abort") and by == "Payer":
            attempt: dict[str, Any] = {"created": at, "instrument": o["instrument"], "number": o["number"],
                                       "status": "Failed" if event == "fail" else "Aborted"}
            if event == "fail":
                attempt["problem"] = dict(v3.ACQUIRER_ERROR)
            o["failedAttempts"].append(attempt)
        if self.callbacks is not None and o["instrument"]:
            self.callbacks.notify(o)  # only after a payment attempt: the callback names instrument and number

    # ---- test endpoint: the payer --------------------------------------------------------------------
    def pay(self, guid: str, call: Call) -> Reply:
        """``POST /_fake/swedbankpay/paymentorders/{id}/pay`` ``{"instrument": "CreditCard", "outcome":
        "paid"|"failed"|"aborted"}``: the payer completes (or fails, or cancels) the payment menu."""
        body = call.body if isinstance(call.body, dict) else {}
        outcome = body.get("outcome", "paid")
        if not isinstance(outcome, str) or outcome not in PAY_OUTCOMES:
            raise input_error(("outcome", f"outcome must be one of {', '.join(PAY_OUTCOMES)}."))
        with self.orders.locked(guid) as o:
            _exists(o)
            offered = [k for k, val in AVAILABLE.items() if val in o["availableInstruments"]]
            instrument = body.get("instrument") or offered[0]
            if instrument not in offered:
                raise input_error(("instrument", "instrument must be one this payment order offers: "
                                   + ", ".join(offered)))
            state: machine.SppState = o["state"]
            if PAY_OUTCOMES[outcome] not in machine.next_events("swedbankpay", state.status):
                raise not_allowed(f"The payer cannot act on a payment order with status {state.status}.")
            o.update(instrument=instrument, number=self.source.paid_number())
            if outcome == "paid":
                kind = "Sale" if instrument in SALE_INSTRUMENTS else "Authorization"
                o["state"] = replace(state, transaction_type=kind)
                o["details"] = self.source.spp_details(instrument)
            o["integration"] = "Redirect"
            self._apply(o, PAY_OUTCOMES[outcome], by="Payer")
            return self.render(o, call)

    def checkout_page(self, guid: str) -> str | None:
        with self.orders.locked(guid) as o:
            if o is None:
                return None
            return (f"<!doctype html><title>Fake payment menu</title><p>Payment order {o['id']} "
                    f"({o['state'].status}). The payer pays with POST /_fake/swedbankpay/paymentorders/{guid}/pay "
                    '{"instrument": "CreditCard"}.</p>')

    # ---- for tests -----------------------------------------------------------------------------------
    def ledger(self, guid: str) -> machine.SppState | None:
        with self.orders.locked(guid) as o:
            return None if o is None else o["state"]


def _v3_request(call: Call, kind: str) -> None:
    """A v3.1 request body is checked against its schema (``swedbankpay/checkout-v3/requests/<kind>``) when the
    registry has it: errors are a 400 ``inputerror`` naming each (drift is let through, as the vendor ignores
    unknown fields)."""
    if call.version != "3.1":
        return
    from .. import registry
    name = f"swedbankpay/checkout-v3/requests/{kind}"
    if name not in registry.names():
        return
    from ..pipeline import check
    errors = check(call.body, name).errors
    if errors:
        raise input_error(*[(str(f.path), str(f.message)) for f in errors[:20]])


def _strings(value: Any, keys: tuple[str, ...]) -> dict:
    """The members of ``keys`` that hold a string (``hostUrls``: a list of strings): what the fake echoes."""
    out = {}
    for k in keys:
        v = value.get(k) if isinstance(value, dict) else None
        if (k == "hostUrls" and isinstance(v, list) and all(isinstance(x, str) for x in v)) or (
                k != "hostUrls" and isinstance(v, str)):
            out[k] = v
    return out


def _scalars(value: Any) -> dict:
    if not isinstance(value, dict):
        return {}
    return {k: v for k, v in value.items() if isinstance(k, str) and k != "id" and isinstance(v, (str, int, float))
            and not (isinstance(v, str) and len(v) > 2000)}


def _order_items(value: Any) -> list:
    """Order items as the fake keeps them: objects only, with the members the v3.1 order item schema knows."""
    if not isinstance(value, list):
        return []
    known = v3.order_item_keys()
    return [{k: v for k, v in item.items() if known is None or k in known} for item in value if isinstance(item, dict)]


def _history_name(event: str, after: machine.SppState, moved: int) -> str:
    if event == "capture":
        return "PaymentCaptured" if after.remaining_capture == 0 else "PaymentPartiallyCaptured"
    if event == "cancel":
        return "PaymentCancelled"
    if event == "reversal":
        return "PaymentReversed" if after.status == "Reversed" else "PaymentPartiallyReversed"
    return {"pay": "PaymentPaid", "fail": "PaymentAttemptFailed", "abort": "PaymentAttemptAborted"}[event]


def _op(method: str, href: str, rel: str, content_type: str = "application/json") -> dict:
    return {"method": method, "href": href, "rel": rel, "contentType": content_type}


def _exists(o: dict | None) -> None:
    if o is None:
        raise not_found("No payment order with this id.")


def valid_guid(text: str) -> bool:
    return bool(_GUID.match(text))


def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _amount_problems(prefix: str, amount: Any, vat: Any) -> list[tuple[str, str]]:
    problems = []
    if not _is_int(amount) or not 1 <= amount <= 2147483647:
        problems.append((f"{prefix}.Amount", "The field Amount must be between 1 and 2147483647."))
    if not _is_int(vat) or vat < 0:
        problems.append((f"{prefix}.VatAmount", "The field VatAmount must be an integer of 0 or more."))
    elif _is_int(amount) and vat > amount:
        problems.append((f"{prefix}.VatAmount", "The field VatAmount must not exceed Amount."))
    return problems


def _order_request(body: Any) -> dict:
    po = body.get(REQUEST_KEY) if isinstance(body, dict) else None
    if not isinstance(po, dict):
        raise input_error(("PaymentOrder", f"The {REQUEST_KEY} object is required."))
    problems: list[tuple[str, str]] = []
    if po.get("operation") != "Purchase":
        problems.append(("PaymentOrder.Operation", "The fake supports the operation Purchase."))
    if po.get("currency") not in CURRENCIES:
        problems.append(("PaymentOrder.Currency", f"The currency must be one of {', '.join(CURRENCIES)}."))
    problems += _amount_problems("PaymentOrder", po.get("amount"), po.get("vatAmount"))
    desc = po.get("description")
    if not isinstance(desc, str) or not 1 <= len(desc) <= 40:
        problems.append(("PaymentOrder.Description", "The field Description is required, at most 40 characters."))
    if not isinstance(po.get("userAgent"), str) or not po["userAgent"]:
        problems.append(("PaymentOrder.UserAgent", "The field UserAgent is required."))
    if po.get("language") not in LANGUAGES:
        problems.append(("PaymentOrder.Language", "The field Language must be a supported locale (e.g. sv-SE)."))
    if po.get("instrument") is not None and (not isinstance(po["instrument"], str) or po["instrument"] not in AVAILABLE):
        problems.append(("PaymentOrder.Instrument", "Unknown instrument."))
    urls = po.get("urls")
    if not isinstance(urls, dict) or not isinstance(urls.get("completeUrl"), str):
        problems.append(("PaymentOrder.Urls.CompleteUrl", "The field CompleteUrl is required."))
    payee = po.get("payeeInfo")
    if not isinstance(payee, dict):
        problems.append(("PaymentOrder.PayeeInfo", "The payeeInfo object is required."))
    else:
        if not isinstance(payee.get("payeeId"), str) or not payee["payeeId"]:
            problems.append(("PaymentOrder.PayeeInfo.PayeeId", "The field PayeeId is required."))
        if not isinstance(payee.get("payeeReference"), str) or not _PAYEE_REF.match(payee["payeeReference"]):
            problems.append(("PaymentOrder.PayeeInfo.PayeeReference",
                             "The field PayeeReference is required: 1 to 30 letters or digits."))
        ref = payee.get("orderReference")
        if ref is not None and (not isinstance(ref, str) or not 1 <= len(ref) <= 50):
            problems.append(("PaymentOrder.PayeeInfo.OrderReference", "The field OrderReference is at most 50 characters."))
    if problems:
        raise input_error(*problems)
    return po


def _transaction(body: Any, *, amount_required: bool) -> dict:
    tx = body.get("transaction") if isinstance(body, dict) else None
    if not isinstance(tx, dict):
        raise input_error(("Transaction", "The transaction object is required."))
    problems: list[tuple[str, str]] = []
    if amount_required or "amount" in tx:
        problems += _amount_problems("Transaction", tx.get("amount"), tx.get("vatAmount", 0))
    if not isinstance(tx.get("description"), str) or not tx["description"]:
        problems.append(("Transaction.Description", "The field Description is required."))
    if not isinstance(tx.get("payeeReference"), str) or not _PAYEE_REF.match(tx["payeeReference"]):
        problems.append(("Transaction.PayeeReference", "The field PayeeReference is required: 1 to 30 letters or digits."))
    if problems:
        raise input_error(*problems)
    return tx


__all__ = ["SwedbankPayFake", "Problem", "valid_guid"]
