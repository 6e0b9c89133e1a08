"""Pure value helpers: ids, test card numbers, timestamps, names, amounts — the rules every generated value
obeys, without Hypothesis.

Every helper that needs randomness takes a :class:`~checkout_contracts.strategies.draw.Draw`, a ``random.Random`` or a
seed (``values.new_checkout_id(random.Random(7))``), so the fake provider server, the ``generate`` CLI and the
Hypothesis strategies make their values the same way.

Card-data safety by construction: a full card number exists only inside :func:`test_pan` and is masked
(:func:`masked_pan`, first 6 + asterisks + last 4) before it goes anywhere; hex ids and GUIDs never hold a run
of 13 or more digits, so no id can pass for a card number.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone
from typing import Any, NamedTuple

from .draw import Draw, as_draw

# ---------------------------------------------------------------- people and shops (small, realistic lists)

FIRST_NAMES = ("Anna", "Erik", "Maria", "Lars", "Karin", "Johan", "Sofia", "Mikael", "Emma", "Andrea",
               "Nils", "Ingrid", "Ola", "Kari", "Mette", "Jens", "Aino", "Mikko", "Laura", "Tomas")
LAST_NAMES = ("Svensson", "Johansson", "Andersson", "Karlsson", "Nilsson", "Hansen", "Olsen", "Jensen",
              "Nielsen", "Virtanen", "Korhonen", "Berg", "Lind", "Masetti", "Lindqvist", "Dahl")
SHOPS = ("Example Shop", "Nordic Books", "Cafe Lilla", "Sport Example", "Example Outdoor")
ITEMS = ("Test Purchase", "Concert tickets", "Monthly subscription", "Gift card", "Running shoes",
         "Book order", "Coffee beans", "Bike service", "Winter jacket", "Museum entry")
USER_AGENTS = ("swedbankpay-sdk-dotnet/3.0.1", "swedbankpay-sdk-php/5.2.0", "swedbankpay-sdk-java/2.1.0",
               "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "okhttp/4.12.0")
ISSUING_BANKS = ("DNB", "Nordea", "SEB", "Swedbank", "Danske Bank", "Handelsbanken", "OP")

UNIX_2022 = 1640995200        # 2022-01-01T00:00:00Z
SPAN_SECONDS = 4 * 365 * 86400  # created times fall in 2022–2025


# ---------------------------------------------------------------- Luhn and test cards

def luhn_check_digit(payload: str) -> str:
    """The digit that makes ``payload + digit`` pass the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = ord(ch) - 48
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_complete(prefix: str) -> str:
    """``prefix`` plus its Luhn check digit: ``luhn_complete('492500000000000') == '4925000000000004'``."""
    if not prefix.isdigit():
        raise ValueError("luhn_complete takes digits only")
    return prefix + luhn_check_digit(prefix)


class TestCard(NamedTuple):
    __test__ = False    # not a pytest test class, whoever imports it into a test module
    brand: str          # Swedbank Pay cardBrand ("" when Swedbank Pay has no name for the scheme)
    paiwise_brand: str  # Paiwise brand, lower case ("" when Paiwise has none)
    bin: str            # first six digits
    length: int         # digits in the full number


#: BIN ranges of the schemes' published test cards (Swedbank Pay's 4925 00…, Stripe's 4242 42…, …)
TEST_CARDS = (
    TestCard("Visa", "visa", "492500", 16),
    TestCard("Visa", "visa", "424242", 16),
    TestCard("Visa", "visa", "411111", 16),
    TestCard("MasterCard", "mastercard", "522661", 16),
    TestCard("MasterCard", "mastercard", "555555", 16),
    TestCard("MasterCard", "mastercard", "222300", 16),
    TestCard("Amex", "amex", "378282", 15),
    TestCard("Diners", "diners", "362272", 14),
    TestCard("Discover", "discover", "601111", 16),
    TestCard("JCB", "jcb", "356999", 16),
    TestCard("Maestro", "maestro", "675964", 19),
    TestCard("Dankort", "", "501945", 16),
    TestCard("Forbrugsforeningen", "", "600722", 16),
    TestCard("", "unionpay", "620000", 16),
    TestCard("", "bancontact", "670344", 16),
    TestCard("", "carte_bancaire", "400002", 16),
)
SPP_BRANDS = ("Visa", "MasterCard", "Amex", "Dankort", "Diners", "Discover", "JCB", "Maestro", "Forbrugsforeningen")


def cards_of(brand: str | None = None, provider: str = "swedbankpay") -> list[TestCard]:
    """The test cards of a brand (Swedbank Pay's or Paiwise's spelling), or every card that provider names."""
    key = (lambda c: c.brand) if provider == "swedbankpay" else (lambda c: c.paiwise_brand)
    return [c for c in TEST_CARDS if key(c) and (brand is None or key(c) == brand)]


def test_pan(d: Draw | random.Random | int | None, brand: str | None = None,
             provider: str = "swedbankpay") -> tuple[TestCard, str]:
    """A Luhn-valid test card number (kept in memory only: mask it before it goes anywhere)."""
    d = as_draw(d)
    card = d.choice(cards_of(brand, provider) or cards_of(None, provider))
    middle_len = card.length - 6 - 1
    middle = str(d.int(0, 999)).zfill(middle_len)  # mostly zeros, like the schemes' test numbers
    return card, luhn_complete(card.bin + middle)


test_pan.__test__ = False  # type: ignore[attr-defined]  # a helper, not a pytest test


def masked_pan(pan: str) -> str:
    """The docs' masking: first six digits, asterisks, last four (``492500******0004``)."""
    if not pan.isdigit() or not 12 <= len(pan) <= 19:
        raise ValueError("masked_pan takes a card number of 12–19 digits")
    return pan[:6] + "*" * (len(pan) - 10) + pan[-4:]


def bin_of(masked: str) -> str:
    """``bin``: the first six digits of a masked PAN."""
    return masked[:6]


# ---------------------------------------------------------------- ids

_LETTERS = "abcdef"


def _no_long_digit_runs(text: str, limit: int = 12) -> str:
    """Replace the digit that would make a run of ``limit + 1`` digits with a hex letter: no id can then hold
    13+ consecutive digits, the shortest card number."""
    out, run = [], 0
    for ch in text:
        if ch.isdigit():
            run += 1
            if run > limit:
                ch, run = _LETTERS[int(ch) % 6], 0
        else:
            run = 0
        out.append(ch)
    return "".join(out)


def hex_id(d: Draw | random.Random | int | None, length: int) -> str:
    """``length`` lower-case hex characters, never 13 digits in a row (one draw: shrinks to zeros)."""
    d = as_draw(d)
    return _no_long_digit_runs(format(d.int(0, 16 ** length - 1), f"0{length}x"))


def new_checkout_id(d: Draw | random.Random | int | None) -> str:
    """A Paiwise checkout id: 30 lower-case hex characters, as in the docs' example."""
    return hex_id(d, 30)


def new_customer_id(d: Draw | random.Random | int | None) -> str:
    """A Paiwise customer id: 32 lower-case hex characters."""
    return hex_id(d, 32)


def new_card_id(d: Draw | random.Random | int | None) -> str:
    """A Paiwise saved-card id: 15 mixed-case letters like the example's ``qNpdctqQpIsIkKu``."""
    d = as_draw(d)
    n = d.int(0, 52 ** 15 - 1)
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
    out = []
    for _ in range(15):
        n, r = divmod(n, 52)
        out.append(alphabet[r])
    return "".join(out)


def new_guid(d: Draw | random.Random | int | None) -> str:
    """A version-4 GUID (variant nibble a or b: with a letter there, no GUID reads as a grouped card number)."""
    d = as_draw(d)
    n = d.int(0, 2 ** 121 - 1)
    h = format(n, "031x")
    variant = "ab"[n & 1]
    raw = h[:12] + "4" + h[12:15] + variant + h[15:30]
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:32]}"


def payment_order_id(guid: str) -> str:
    return f"/psp/paymentorders/{guid}"


# ---------------------------------------------------------------- time

def draw_instant(d: Draw | random.Random | int | None) -> int:
    """Seconds since the Unix epoch, somewhere in 2022–2025."""
    return UNIX_2022 + as_draw(d).int(0, SPAN_SECONDS)


def iso7(seconds: int, ticks: int = 0) -> str:
    """Swedbank Pay's timestamp: ISO-8601 UTC with 7 fractional digits and Z (``2022-01-07T07:58:26.1300282Z``).
    ``ticks`` are the 100-ns units within the second (0–9 999 999)."""
    dt = datetime.fromtimestamp(seconds, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + f".{ticks:07d}Z"


def iso_millis(seconds: int, millis: int = 0) -> str:
    """ISO-8601 UTC with 3 fractional digits (acquirerTransactionTime in the docs: ``2022-06-15T14:12:55.029Z``)."""
    dt = datetime.fromtimestamp(seconds, tz=timezone.utc)
    return dt.strftime("%Y-%m-%dT%H:%M:%S") + f".{millis:03d}Z"


def paiwise_time(seconds: int) -> str:
    """Paiwise's timestamp: ``YYYY-MM-DD HH:MM:SS`` in UTC."""
    return datetime.fromtimestamp(seconds, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S")


def parse_iso(ts: str) -> tuple[int, int]:
    """(seconds, ticks) back from :func:`iso7` output (or any ISO-8601 UTC 'Z' time with ≤ 7 fractional digits)."""
    main, _, frac = ts.rstrip("Z").partition(".")
    dt = datetime.strptime(main, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    return int(dt.timestamp()), int((frac or "0").ljust(7, "0")[:7])


def expiry(seconds: int, months_ahead: int) -> tuple[int, int]:
    """(month, year) ``months_ahead`` months after the given time."""
    dt = datetime.fromtimestamp(seconds, tz=timezone.utc)
    m = dt.month - 1 + months_ahead
    return m % 12 + 1, dt.year + m // 12


def add_days(seconds: int, days: int) -> int:
    return int((datetime.fromtimestamp(seconds, tz=timezone.utc) + timedelta(days=days)).timestamp())


# ---------------------------------------------------------------- people, text, money

_FOLD = str.maketrans({"å": "a", "ä": "a", "ö": "o", "ø": "o", "æ": "ae", "é": "e", "ü": "u"})


def email_for(first: str, last: str, tag: str = "") -> str:
    """``first.last@example.com`` (folded to ASCII; never a real domain)."""
    local = f"{first}.{last}".lower().translate(_FOLD)
    return f"{local}{tag}@example.com"


def person(d: Draw | random.Random | int | None, base: str = "$") -> tuple[str, str]:
    d = as_draw(d)
    return d.choice(FIRST_NAMES, f"{base}.first_name"), d.choice(LAST_NAMES, f"{base}.last_name")


def fit(text: str, length: int, filler: str = " - Example Shop AB order") -> str:
    """``text`` padded (with readable filler) or cut to exactly ``length`` characters (no trailing space)."""
    while len(text) < length:
        text += filler
    text = text[:length]
    return text[:-1] + "x" if text.endswith(" ") else text


def order_number(d: Draw | random.Random | int | None) -> int:
    return 10000 + as_draw(d).int(0, 89999)


def typical_amount(d: Draw) -> int:
    """A price in minor units: whole crowns/euros mostly, sometimes with öre/cents."""
    whole = d.int(1, 4999) * 100
    return whole + (d.choice((0, 0, 50, 95)) if whole else 0)


MAX_AMOUNT = 2 ** 31 - 1


def msisdn(d: Draw | random.Random | int | None) -> str:
    """A Swedish mobile number in E.164, like the docs' ``+46739000001``."""
    d = as_draw(d)
    return "+467" + d.choice(("0", "2", "3", "6")) + str(d.int(0, 9999999)).zfill(7)


def safe_alnum(d: Draw | random.Random | int | None, length: int, prefix: str = "") -> str:
    """Upper-case letters and digits, a letter at least every 8 characters (never a card-number run)."""
    d = as_draw(d)
    n = d.int(0, 36 ** (length - len(prefix)) - 1)
    chars = []
    for i in range(length - len(prefix)):
        n, r = divmod(n, 36)
        chars.append("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"[r])
        if i % 8 == 7 and chars[-1].isdigit():
            chars[-1] = "ABCDEFGHIJ"[int(chars[-1])]
    return prefix + "".join(chars)


def deep_copy(doc: Any) -> Any:
    """A JSON-only deep copy (faster than ``copy.deepcopy`` for payloads)."""
    if isinstance(doc, dict):
        return {k: deep_copy(v) for k, v in doc.items()}
    if isinstance(doc, list):
        return [deep_copy(v) for v in doc]
    return doc
