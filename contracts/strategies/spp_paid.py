"""The Swedbank Pay paid resource: how an order was paid — instrument, card details (bin = the first six
digits of maskedPan), tokens, amounts that add up (amount = submittedAmount + feeAmount − discountAmount).
Pure: no Hypothesis."""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from . import values as V
from .draw import MAX, Draw, as_draw

INSTRUMENTS = ("CreditCard", "ApplePay", "GooglePay", "ClickToPay", "MobilePay", "Vipps", "Swish", "Invoice",
               "CreditAccount", "Trustly")
INSTRUMENT_QUIRKS = ("Creditcard",)   # accepted with a warning (QUIRKS): only when an edge case asks for it
CARDLIKE = ("CreditCard", "Creditcard", "ApplePay", "GooglePay", "ClickToPay", "MobilePay", "Vipps")
SALE_ONLY = ("Swish", "Trustly")
AUTH_ONLY = ("Invoice", "CreditAccount", "MobilePay", "Vipps")
OPERATIONS = ("Purchase", "Purchase", "Purchase", "UnscheduledPurchase", "Recur", "Verify", "Payout")
OPERATION_RARE = ("Abort",)   # documented as an initial operation, but no real order starts with it
TOKEN_TYPES = ("payment", "recurrence", "transactionOnFile", "unscheduled")
TOKEN_QUIRKS = ("Unscheduled", "transactionsOnFile")


def at(base: str, *parts: str) -> str:
    return base + "".join(p if p.startswith("[") else "." + p for p in parts)


def group_flag(d: Draw, base: str, keys: tuple[str, ...]) -> bool:
    """One presence flag for fields that come together (a forced one decides for the group)."""
    for key in keys:
        want = d.forced(at(base, key) + "?")
        if want is not None:
            return bool(want)
    return d.flag(at(base, keys[0]) + "?")


def pick_instrument(d: Draw, base: str, instrument: str | None, *, order_base: str | None = None,
                    no_sale: bool = False) -> tuple[str, str]:
    """(instrument, transactionType) that go together: Swish and Trustly are Sales, Invoice, CreditAccount,
    MobilePay and Vipps authorizations; cards and wallets either."""
    labels = [at(base, "transactionType")] + ([f"{order_base}.transactionType"] if order_base else [])
    want = next((d.forced(x) for x in labels if isinstance(d.forced(x), str)), None)
    if instrument is None:
        options = INSTRUMENTS
        if no_sale or want == "Authorization":
            options = tuple(i for i in options if i not in SALE_ONLY)
        if want == "Sale":
            options = tuple(i for i in options if i not in AUTH_ONLY)
        if d.wants(at(base, "tokens")):
            options = tuple(i for i in options if i in CARDLIKE)
        instrument = d.choice(options, at(base, "instrument"), quirks=INSTRUMENT_QUIRKS)
    if instrument in SALE_ONLY:
        return instrument, "Sale"
    if instrument in AUTH_ONLY or no_sale:
        return instrument, "Authorization"
    if want in ("Authorization", "Sale"):
        return instrument, want
    return instrument, d.choice(("Authorization", "Sale"), labels[-1])


@dataclass
class PaidProfile:
    """The paid resource of one order (fixed once the payer has paid)."""
    instrument: str
    number: int
    payee_reference: str
    amount: int
    order_reference: str | None = None
    transaction_type: str | None = None        # shown when not None
    submitted: tuple[int, int, int] | None = None  # (submittedAmount, feeAmount, discountAmount)
    token_generated: bool | None = None
    tokens: list[dict] | None = None
    details: dict = field(default_factory=dict)


def _card_details(d: Draw, base: str, instrument: str, paid_at: int, recurring: bool) -> tuple[dict, str | None, str]:
    """Details for card-like instruments (+ the masked PAN and expiry for tokens)."""
    card, pan = V.test_pan(d, d.choice(V.SPP_BRANDS, at(base, "cardBrand")))
    masked = V.masked_pan(pan)
    month, year = V.expiry(paid_at, d.int(3, 60))
    exp = f"{month:02d}/{year}"
    full: dict[str, Any] = {
        "nonPaymentToken": V.new_guid(d),
        "externalNonPaymentToken": str(d.int(1000000000, 9999999999)),
        "cardBrand": card.brand,
        "cardType": d.choice(("Credit", "Debit"), at(base, "cardType")),
        "maskedPan": masked,
        "expiryDate": exp,
        "issuerAuthorizationApprovalCode": d.choice("LSTABX") + str(d.int(0, 99999)).zfill(5),
        "acquirerTransactionType": None,
        "acquirerStan": str(d.int(1, 999999)),
        "acquirerTerminalId": str(70101300000 + d.int(0, 99999)),
        "acquirerTransactionTime": V.iso_millis(paid_at, d.int(0, 999)),
        "transactionInitiator": d.choice(("MERCHANT",) if recurring else ("CARDHOLDER", "MERCHANT"),
                                         at(base, "transactionInitiator"), quirks=("CARDHOLDER", "MERCHANT")),
        "bin": V.bin_of(masked),
        "paymentAccountReference": V.safe_alnum(d, 29, "5001"),
        "issuingBank": d.choice(V.ISSUING_BANKS),
        "maskedDPan": None,
    }
    kinds = {"CreditCard": ("3DSECURE", "STANDARD"), "Creditcard": ("3DSECURE", "STANDARD"), "ApplePay": ("WALLET",),
             "MobilePay": ("MOBILEPAY",), "Vipps": ("3DSECURE", "STANDARD", "WALLET")}
    full["acquirerTransactionType"] = d.choice(kinds.get(instrument, ("WALLET",)), at(base, "acquirerTransactionType"),
                                               quirks=("3DSECURE", "STANDARD", "WALLET", "MOBILEPAY"))
    if instrument in ("ApplePay", "CreditCard", "Creditcard"):
        _, dpan = V.test_pan(d, card.brand)
        full["maskedDPan"] = V.masked_pan(dpan)
    fields = {
        "CreditCard": ("nonPaymentToken", "externalNonPaymentToken", "cardBrand", "cardType", "maskedPan", "expiryDate",
                       "issuerAuthorizationApprovalCode", "acquirerTransactionType", "acquirerStan", "acquirerTerminalId",
                       "acquirerTransactionTime", "transactionInitiator", "bin", "paymentAccountReference", "issuingBank",
                       "maskedDPan"),
        "ApplePay": ("nonPaymentToken", "externalNonPaymentToken", "cardBrand", "cardType", "expiryDate",
                     "issuerAuthorizationApprovalCode", "acquirerTransactionType", "acquirerStan", "acquirerTerminalId",
                     "acquirerTransactionTime", "transactionInitiator", "bin", "paymentAccountReference", "issuingBank",
                     "maskedDPan"),
        "MobilePay": ("nonPaymentToken", "externalNonPaymentToken", "cardBrand", "maskedPan", "expiryDate",
                      "issuerAuthorizationApprovalCode", "acquirerTransactionType", "acquirerStan", "acquirerTerminalId",
                      "acquirerTransactionTime", "bin", "paymentAccountReference"),
        "Vipps": ("nonPaymentToken", "externalNonPaymentToken", "cardBrand", "issuingBank", "acquirerTransactionType",
                  "acquirerTerminalId", "acquirerTransactionTime", "transactionInitiator", "bin",
                  "paymentAccountReference"),
    }
    names = fields.get(instrument, fields["CreditCard"])
    if instrument == "ApplePay":  # bin is the first six of the device PAN here (no maskedPan)
        full["bin"] = V.bin_of(full["maskedDPan"])
    details = {k: full[k] for k in names if d.flag(at(base, k) + "?")}
    return details, masked, exp


def _generic_details(d: Draw) -> dict:
    """Wallets this schema has no table for (GooglePay, ClickToPay): a realistic card-like object."""
    card, pan = V.test_pan(d)
    out: dict[str, Any] = {"cardBrand": card.brand}
    if d.flag():
        out["cardType"] = d.choice(("Credit", "Debit"))
    if d.flag():
        out["maskedDPan"] = V.masked_pan(pan)
    out["acquirerTransactionType"] = "WALLET"
    return out


def draw_paid(d: Draw, base: str, instrument: str, amount: int, paid_at: int, operation: str,
              transaction_type: str, order_fees: tuple[int, int, int] | None) -> PaidProfile:
    """The paid resource of an order of ``amount`` paid with ``instrument`` at ``paid_at``."""
    recurring = operation in ("Recur", "UnscheduledPurchase")
    details: dict[str, Any]
    masked = exp = None
    if instrument in ("CreditCard", "Creditcard", "ApplePay", "MobilePay", "Vipps"):
        details, masked, exp = _card_details(d, at(base, "details"), instrument, paid_at, recurring)
    elif instrument == "Swish":
        if d.forced(at(base, "details.msisdn?")):
            key = "msisdn"
        elif d.forced(at(base, "details.misidn?")):
            key = "misidn"
        else:
            key = d.choice(("misidn", "msisdn"))   # both spellings occur in the docs; no warning for either
        details = {key: V.msisdn(d)} if d.flag(at(base, "details", key) + "?") else {}
    elif instrument == "Trustly":
        details = {"trustlyOrderId": d.int(1000000000, 9999999999)} if d.flag(at(base, "details.trustlyOrderId?")) else {}
    elif instrument in ("Invoice", "CreditAccount"):
        details = {}
    else:
        details = d.freeform("genericDetails", _generic_details)
    if d.forced(at(base, "details#empty")):
        details = {}
    submitted = order_fees if group_flag(d, base, ("submittedAmount", "feeAmount", "discountAmount")) else None
    tokens = None
    if instrument in CARDLIKE and d.flag(at(base, "tokens?")):
        n = d.int(1 if d.wants(at(base, "tokens[*]")) else 0, 3, at(base, "tokens#count"))
        if masked is None:
            _, pan = V.test_pan(d)
            masked = V.masked_pan(pan)
            month, year = V.expiry(paid_at, d.int(3, 60))
            exp = f"{month:02d}/{year}"
        tokens = []
        types = list(TOKEN_TYPES)
        for i in range(n):
            t: dict[str, Any] = {
                "type": d.choice(types, at(base, "tokens[*].type"), quirks=TOKEN_QUIRKS),
                "token": V.new_guid(d),
            }
            if d.flag(at(base, "tokens[*].name?")):
                t["name"] = masked
            if d.flag(at(base, "tokens[*].expiryDate?")):
                t["expiryDate"] = exp
            tokens.append(t)
    return PaidProfile(
        instrument=instrument,
        number=d.int(10 ** 10, 99999999999),
        payee_reference=_payee_reference(d, at(base, "payeeReference")),
        amount=amount,
        order_reference=(f"order-{V.order_number(d)}" if d.flag(at(base, "orderReference?")) else None),
        transaction_type=transaction_type if d.flag(at(base, "transactionType?")) else None,
        submitted=submitted,
        token_generated=(bool(tokens) if d.flag(at(base, "paymentTokenGenerated?")) else None),
        tokens=tokens,
        details=details,
    )


def _payee_reference(d: Draw, label: str) -> str:
    if d.forced(label + "#len") == MAX:
        return V.safe_alnum(d, 30, "PO")           # the documented limit, exactly
    if d.flag():
        return V.safe_alnum(d, 10, "PO")
    return str(1600000000 + d.int(0, 99999999))   # a Unix time, like the docs' 1641542301


def paid_resource(order_id: str, paid: PaidProfile) -> dict:
    """The paid resource as JSON, fields in the docs' order."""
    out: dict[str, Any] = {"id": f"{order_id}/paid", "instrument": paid.instrument, "number": paid.number,
                           "payeeReference": paid.payee_reference}
    if paid.order_reference is not None:
        out["orderReference"] = paid.order_reference
    if paid.transaction_type is not None:
        out["transactionType"] = paid.transaction_type
    out["amount"] = paid.amount
    if paid.submitted is not None:
        out["submittedAmount"], out["feeAmount"], out["discountAmount"] = paid.submitted
    if paid.token_generated is not None:
        out["paymentTokenGenerated"] = paid.token_generated
    if paid.tokens is not None:
        out["tokens"] = [dict(t) for t in paid.tokens]
    out["details"] = V.deep_copy(paid.details)
    return out


def paid_response(d: Draw | random.Random | int | None = None, *, instrument: str | None = None) -> dict:
    """A valid ``GET {paymentOrder.id}/paid`` response: ``{paymentOrder, paid}``."""
    d = as_draw(d)
    profile = _paid_only(d, "$.paid", instrument)
    return {"paymentOrder": profile[0], "paid": paid_resource(profile[0], profile[1])}


def paid_resource_alone(d: Draw | random.Random | int | None = None, *, instrument: str | None = None) -> dict:
    d = as_draw(d)
    oid, paid = _paid_only(d, "$", instrument)
    return paid_resource(oid, paid)


def _paid_only(d: Draw, base: str, instrument: str | None) -> tuple[str, PaidProfile]:
    oid = V.payment_order_id(V.new_guid(d))
    instrument, ttype = pick_instrument(d, base, instrument)
    amount = d.number(at(base, "amount"), 0, V.MAX_AMOUNT, V.typical_amount)
    fee = min(d.choice((0, 0, 1900)) if instrument in ("Invoice", "CreditAccount") else 0, amount)
    discount = d.choice((0, 0, 0, 500))
    paid_s = V.draw_instant(d)
    operation = d.choice(OPERATIONS)
    return oid, draw_paid(d, base, instrument, amount, paid_s, operation, ttype, (amount - fee + discount, fee, discount))
