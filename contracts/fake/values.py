"""The fake provider's values: the generators' value rules (:mod:`checkout_contracts.strategies.values`) applied to the
server's clock and its random source. Ids never hold a card-number-like digit run, card numbers exist only
masked (``492500******0004``), timestamps follow each API's format and never go back in time."""
from __future__ import annotations

import random
import threading
import time
from typing import Any

from ..strategies import values as v


class Source:
    """The server's random source (seedable: ``FakeApp(seed=7)`` makes the same ids in the same order) and its
    counters. Thread-safe."""

    def __init__(self, seed: int | None = None) -> None:
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._seq = 18900

    def _with(self, fn: Any, *args: Any) -> Any:
        with self._lock:
            return fn(self._rng, *args)

    def sequence(self) -> int:
        with self._lock:
            self._seq += 1
            return self._seq

    def checkout_id(self) -> str:
        return self._with(v.new_checkout_id)

    def customer_id(self) -> str:
        return self._with(v.new_customer_id)

    def hex(self, n: int) -> str:
        return self._with(v.hex_id, n)

    def guid(self) -> str:
        return self._with(v.new_guid)

    def paid_number(self) -> int:
        with self._lock:
            return self._rng.randint(10_000_000_000, 99_999_999_999)

    def paiwise_card(self, choice: dict | None = None) -> dict:
        """A Paiwise ``usedCard``: a test card of the chosen (or a random) brand, expiring in 1–4 years."""
        with self._lock:
            card, pan = v.test_pan(self._rng, (choice or {}).get("brand"), provider="paiwise")
            month, year = v.expiry(int(time.time()), self._rng.randint(12, 48))
            out = {"card_id": v.new_card_id(self._rng), "brand": card.paiwise_brand,
                   "country": "SE", "expires": f"{month}/{year}", "funding": self._rng.choice(PAIWISE_FUNDING[:2]),
                   "last4": pan[-4:]}
        out.update({k: val for k, val in (choice or {}).items() if k in ("country", "funding", "last4")})
        return out

    def spp_details(self, instrument: str) -> dict:
        """``paid.details`` for an instrument, with the keys the docs show for it."""
        with self._lock:
            rng = self._rng
            now = time.time()
            stamp = v.iso_millis(int(now), int(now % 1 * 1000))
            if instrument in ("CreditCard", "ApplePay", "MobilePay", "Vipps"):
                card, pan = v.test_pan(rng, rng.choice(("Visa", "MasterCard")))
                masked = v.masked_pan(pan)
                month, year = v.expiry(int(now), rng.randint(12, 48))
                d: dict[str, Any] = {"nonPaymentToken": v.new_guid(rng),
                                     "externalNonPaymentToken": v.safe_alnum(rng, 10),
                                     "cardBrand": card.brand, "acquirerTerminalId": "70101301389",
                                     "acquirerTransactionTime": stamp, "bin": v.bin_of(masked)}
                expiry = f"{month:02d}/{year}"
                stan = str(rng.randint(100, 999))
                if instrument == "CreditCard":
                    d.update(cardType="Credit", maskedPan=masked, expiryDate=expiry,
                             issuerAuthorizationApprovalCode="L00302", acquirerTransactionType="STANDARD",
                             acquirerStan=stan, transactionInitiator="CARDHOLDER")
                elif instrument == "ApplePay":
                    d.update(cardType="Credit", expiryDate=expiry, issuerAuthorizationApprovalCode="L00302",
                             acquirerTransactionType="WALLET", acquirerStan=stan, transactionInitiator="CARDHOLDER")
                elif instrument == "MobilePay":
                    d.update(maskedPan=masked, expiryDate=expiry, issuerAuthorizationApprovalCode="L00302",
                             acquirerStan=stan, acquirerTransactionType="MOBILEPAY")
                else:  # Vipps
                    d.update(acquirerTransactionType="WALLET", transactionInitiator="CARDHOLDER")
                return d
            if instrument == "Swish":
                return {"misidn": v.msisdn(rng)}
            if instrument == "Trustly":
                return {"trustlyOrderId": rng.randint(1_000_000_000, 9_999_999_999)}
            return {}


PAIWISE_BRANDS = ("visa", "mastercard", "amex", "maestro", "discover", "diners", "jcb", "unionpay", "bancontact",
                  "carte_bancaire")
PAIWISE_FUNDING = ("credit", "debit", "prepaid", "unknown")


def now_seconds(after: int | None = None) -> int:
    """Whole seconds now, or one past ``after`` when the clock has not moved on (Paiwise log keys are per
    second and must stay unique and ascending)."""
    t = int(time.time())
    return t if after is None or t > after else after + 1


def now_ticks(after: tuple[int, int] | None = None) -> tuple[int, int]:
    """(seconds, 100-ns ticks) now, never before ``after``."""
    t = time.time_ns()
    at = (t // 1_000_000_000, (t % 1_000_000_000) // 100)
    return at if after is None or at >= after else after


paiwise_time = v.paiwise_time
iso7 = v.iso7
