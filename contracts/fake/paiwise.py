"""The fake Paiwise Checkout API: every documented endpoint (reference §2), the generators' state machine
(:mod:`checkout_contracts.lifecycles`: ``PaiwiseState`` / ``paiwise_apply``), and a test-only endpoint that plays
the payer.

Every endpoint is ``POST`` with a JSON body, returns the checkout (or customer) in its new state with HTTP 200,
and refuses what the state machine does not allow with a 4xx and a small JSON error object (Paiwise documents
none): 400 for a bad request, 401 without a Bearer token, 404 for an unknown id, 409 for an operation the
checkout's status does not allow.

Decisions where the docs are silent (see :data:`DECISIONS`).
"""
from __future__ import annotations

from typing import Any, Callable

from .. import lifecycles as machine
from .replies import Call, PaiwiseError, Reply, paiwise_reply
from .store import Store
from .values import PAIWISE_BRANDS, PAIWISE_FUNDING, Source, now_seconds, paiwise_time

REQUEST_SCHEMAS = {name: f"paiwise/requests/{name}" for name in (
    "create", "retrieve", "capture", "refund", "update", "delete", "create-customer", "retrieve-customer",
    "delete-customer")}
PAY_OUTCOMES = {"paid": None, "failed": "fail", "canceled": "cancel"}

DECISIONS = (
    "delete (POST /checkout/delete) is accepted only in status created and moves the checkout to revoked",
    "refund on a reserved checkout releases the whole reservation (a partial amount is refused with 400); the log "
    "entry 'reserve released' carries amountRefund = amount, so balance becomes 0",
    "refund without amount refunds the remaining balance; more than the balance is refused with 400",
    "update merges metaData in every status, removes keys sent with '' or null, and writes no log entry",
    "capture is accepted only in status reserved (capture twice: 409)",
    "an empty metaData is returned as [] (the PHP backend's serialisation of an empty map)",
    "delete-customer answers with the customer as it was; afterwards retrieve-customer is 404",
    "log timestamps are whole seconds; two events in the same second get consecutive seconds",
    "with customer_id the payer's card is saved (unless allowSaveCard is false: then the payer pays with an "
    "already saved card when there is one); with card_id the checkout is paid (or reserved) at once",
    "an amount must be written as a JSON integer from 0 to 2**63 - 1 (the PHP backend's int): 1000.0, 1e300 and "
    "2**64 - 1 are refused with 400 in the error shape, never stored as a float or a number the backend cannot hold",
)
#: PHP_INT_MAX: the largest amount the PHP backend holds as an int
MAX_AMOUNT = 2 ** 63 - 1


def _empty_to_php(meta: dict) -> dict | list:
    return meta if meta else []


class PaiwiseFake:
    def __init__(self, source: Source | None = None) -> None:
        self.source = source or Source()
        self.checkouts = Store()
        self.customers = Store()
        self.routes: dict[str, Callable[[Call], Reply]] = {
            "create": self.create, "retrieve": self.retrieve, "capture": self.capture, "refund": self.refund,
            "update": self.update, "delete": self.delete, "create-customer": self.create_customer,
            "retrieve-customer": self.retrieve_customer, "delete-customer": self.delete_customer,
        }

    # ---- plumbing ------------------------------------------------------------------------------------
    def handle(self, action: str, call: Call) -> Reply:
        _validate(action, call.body)
        return self.routes[action](call)

    def _view(self, c: dict) -> dict:
        state: machine.PaiwiseState = c["state"]
        out = {"checkout_id": c["checkout_id"], "identifier": c["identifier"], "authCode": c["authCode"],
               "status": state.status, "statusChanged": paiwise_time(state.status_changed), "mode": "test"}
        out.update({k: c[k] for k in ("amount", "currency", "message", "returnUrl", "returnUrlCancel")})
        out["metaData"] = _empty_to_php(c["metaData"])
        out["capture"] = state.capture
        out["redirectUrl"] = c["redirectUrl"]
        out["balance"] = state.balance
        if c.get("usedCard"):
            out["usedCard"] = dict(c["usedCard"])
        out["log"] = {paiwise_time(e.at): _entry(e) for e in state.log}
        if c.get("customer_id"):
            out["customer"] = self._customer_snapshot(c)
        return out

    def _customer_snapshot(self, c: dict) -> dict:
        with self.customers.locked(c["customer_id"]) as cust:
            if cust is not None and not cust["deleted"]:
                c["customer_last"] = _customer_view(cust)
        return c["customer_last"]

    def _apply(self, c: dict, event: str, **kw: Any) -> None:
        state: machine.PaiwiseState = c["state"]
        try:
            c["state"] = machine.paiwise_apply(state, event, now_seconds(state.log[-1].at), **kw)
        except machine.IllegalStep:
            raise PaiwiseError(409, f"Checkout in status {state.status!r} does not allow {event}") from None

    # ---- checkout endpoints --------------------------------------------------------------------------
    def create(self, call: Call) -> Reply:
        body = call.body
        customer_id, card_id = body.get("customer_id"), body.get("card_id")
        saved_card = None
        if customer_id:
            with self.customers.locked(customer_id) as cust:
                if cust is None or cust["deleted"]:
                    raise PaiwiseError(404, "Customer not found")
                if card_id:
                    saved_card = next((s for s in cust["savedCards"] if s["card_id"] == card_id), None)
                    if saved_card is None:
                        raise PaiwiseError(404, "Card not found for this customer")
        capture = body.get("capture", True)
        while True:  # until the new id is free (a clash is astronomically rare)
            cid, n = self.source.checkout_id(), self.source.sequence()
            c: dict[str, Any] = {
                "checkout_id": cid, "identifier": body.get("identifier") or cid, "authCode": f"test{n}",
                "amount": body["amount"], "currency": body["currency"], "message": body["message"],
                "returnUrl": body["returnUrl"], "returnUrlCancel": body["returnUrlCancel"],
                "metaData": _merge({}, body.get("metaData")), "allowSaveCard": body.get("allowSaveCard", True),
                "redirectUrl": f"{call.base_url}/checkout/checkout?id={n}&cid={cid}", "customer_id": customer_id,
                "state": machine.paiwise_start(body["amount"], capture, now_seconds()),
            }
            if saved_card is not None:  # automatic payment with the saved card
                c["usedCard"] = _used(saved_card)
                self._apply(c, "pay" if capture else "reserve")
            view = self._view(c)  # before the checkout is visible to other requests
            if self.checkouts.add(cid, c):
                return paiwise_reply(view)

    def retrieve(self, call: Call) -> Reply:
        with self.checkouts.locked(call.body["checkout_id"]) as c:
            _exists(c)
            return paiwise_reply(self._view(c))

    def capture(self, call: Call) -> Reply:
        with self.checkouts.locked(call.body["checkout_id"]) as c:
            _exists(c)
            self._apply(c, "capture")
            return paiwise_reply(self._view(c))

    def refund(self, call: Call) -> Reply:
        body = call.body
        with self.checkouts.locked(body["checkout_id"]) as c:
            _exists(c)
            state: machine.PaiwiseState = c["state"]
            amount = body.get("amount")
            if state.status == "reserved" and amount is not None and amount != state.amount:
                raise PaiwiseError(400, "A reservation is released as a whole: omit amount or send the full amount")
            if state.status in ("paid", "partialRefund") and amount is not None:
                if amount <= 0:
                    raise PaiwiseError(400, "Refund amount must be greater than 0")
                if amount > state.balance:
                    raise PaiwiseError(400, f"Refund amount {amount} exceeds the balance {state.balance}")
            self._apply(c, "refund", amount=amount if state.status != "reserved" else None,
                        reason=body.get("reason"), refund_details=body.get("refundDetails"))
            return paiwise_reply(self._view(c))

    def update(self, call: Call) -> Reply:
        with self.checkouts.locked(call.body["checkout_id"]) as c:
            _exists(c)
            c["metaData"] = _merge(c["metaData"], call.body.get("metaData"))
            return paiwise_reply(self._view(c))

    def delete(self, call: Call) -> Reply:
        with self.checkouts.locked(call.body["checkout_id"]) as c:
            _exists(c)
            self._apply(c, "delete")
            return paiwise_reply(self._view(c))

    # ---- customers -----------------------------------------------------------------------------------
    def create_customer(self, call: Call) -> Reply:
        body = call.body
        cust = {"customer_id": self.source.customer_id(), "first_name": body["first_name"],
                "last_name": body["last_name"], "email": body["email"],
                "client_page": f"{call.base_url}/checkout-client/edit?hash={self.source.hex(32)}",
                "metaData": _merge({}, body.get("metaData")), "savedCards": [], "deleted": False}
        while not self.customers.add(cust["customer_id"], cust):
            cust["customer_id"] = self.source.customer_id()
        return paiwise_reply(_customer_view(cust))

    def retrieve_customer(self, call: Call) -> Reply:
        with self.customers.locked(call.body["customer_id"]) as cust:
            if cust is None or cust["deleted"]:
                raise PaiwiseError(404, "Customer not found")
            return paiwise_reply(_customer_view(cust))

    def delete_customer(self, call: Call) -> Reply:
        with self.customers.locked(call.body["customer_id"]) as cust:
            if cust is None or cust["deleted"]:
                raise PaiwiseError(404, "Customer not found")
            cust["deleted"] = True
            return paiwise_reply(_customer_view(cust))

    # ---- test endpoint: the payer --------------------------------------------------------------------
    def pay(self, checkout_id: str, call: Call) -> Reply:
        """``POST /_fake/paiwise/checkout/{id}/pay`` ``{"outcome": "paid"|"failed"|"canceled", "saveCard": bool,
        "card": {"brand", "country", "funding", "last4"}}``: what the payer does on the hosted page."""
        body = call.body if isinstance(call.body, dict) else {}
        outcome = body.get("outcome", "paid")
        if not isinstance(outcome, str) or outcome not in PAY_OUTCOMES:
            raise PaiwiseError(400, f"outcome must be one of {', '.join(PAY_OUTCOMES)}")
        choice = body.get("card")
        if choice is not None and not _card_choice_ok(choice):
            raise PaiwiseError(400, "card must be an object with some of brand, country, funding and last4, spelt as "
                                    "the checkout schema spells them")
        with self.checkouts.locked(checkout_id) as c:
            _exists(c)
            state: machine.PaiwiseState = c["state"]
            if outcome != "paid":
                self._apply(c, PAY_OUTCOMES[outcome])
            else:
                self._apply(c, "pay" if state.capture else "reserve")  # refused before the card is made
                c["usedCard"] = c.get("usedCard") or self._payer_card(c, choice, body.get("saveCard", True) is not False)
            return paiwise_reply(self._view(c))

    def _payer_card(self, c: dict, choice: dict | None, save: bool) -> dict:
        card = self.source.paiwise_card(choice)
        if not c.get("customer_id"):
            return card
        with self.customers.locked(c["customer_id"]) as cust:
            if cust is None or cust["deleted"]:
                return card
            if c["allowSaveCard"] and save:
                cust["savedCards"].append({**card, "integration": "stripe",
                                           "card_holder": f"{cust['first_name']} {cust['last_name']}"})
            elif cust["savedCards"]:
                # not saving: the payer picks a saved card, so usedCard stays one of savedCards
                return _used(cust["savedCards"][0])
        return card

    # ---- for tests -----------------------------------------------------------------------------------
    def snapshot(self, checkout_id: str) -> dict | None:
        with self.checkouts.locked(checkout_id) as c:
            return None if c is None else self._view(c)


def _validate(action: str, body: Any) -> None:
    from ..pipeline import check
    if not isinstance(body, dict):
        raise PaiwiseError(400, "The request body must be a JSON object")
    amount = body.get("amount")
    if "amount" in body and amount is not None and not isinstance(amount, bool) and isinstance(amount, (int, float)) \
            and (type(amount) is not int or not 0 <= amount <= MAX_AMOUNT):
        shown = "a number written with a fraction or an exponent" if type(amount) is not int else "a value out of range"
        raise PaiwiseError(400, f"Invalid parameters: $.amount: amount must be a whole number of minor units from 0 "
                                f"to {MAX_AMOUNT}, written as a JSON integer; found {shown}")
    result = check(body, REQUEST_SCHEMAS[action])
    if result.errors:
        first = result.errors[0]
        more = f" (and {len(result.errors) - 1} more)" if len(result.errors) > 1 else ""
        raise PaiwiseError(400, f"Invalid parameters: {first.path}: {first.message}{more}")


def _exists(c: dict | None) -> None:
    if c is None:
        raise PaiwiseError(404, "Checkout not found")


def _merge(meta: dict, update: Any) -> dict:
    """metaData merge as documented for update: a key sent with an empty value is removed."""
    out = dict(meta)
    if isinstance(update, dict):
        for k, val in update.items():
            if val is None or val == "":
                out.pop(k, None)
            else:
                out[k] = val
    return out


def _entry(e: machine.LogEntry) -> dict:
    out: dict[str, Any] = {"action": e.action}
    if e.details:
        out["details"] = dict(e.details)
    return out


def _used(saved: dict) -> dict:
    return {k: saved[k] for k in ("card_id", "brand", "country", "expires", "funding", "last4")}


def _customer_view(cust: dict) -> dict:
    out = {k: cust[k] for k in ("customer_id", "first_name", "last_name", "email", "client_page")}
    out["metaData"] = _empty_to_php(cust["metaData"])
    out["savedCards"] = [dict(s) for s in cust["savedCards"]]
    return out


def _card_choice_ok(choice: Any) -> bool:
    import re
    rules = {"brand": lambda x: x in PAIWISE_BRANDS, "funding": lambda x: x in PAIWISE_FUNDING,
             "country": lambda x: re.fullmatch(r"[A-Z]{2}", x), "last4": lambda x: re.fullmatch(r"[0-9]{4}", x)}
    return isinstance(choice, dict) and all(
        k in rules and isinstance(x, str) and rules[k](x) for k, x in choice.items())
