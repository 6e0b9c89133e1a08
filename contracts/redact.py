"""Keeping payment data out of every message.

Two layers: values of sensitive fields are never shown (only their kind and length), and any text that
does get shown passes through :func:`scrub`, which masks card numbers (13–19 digits passing Luhn, plain or
grouped by 4) and e-mail addresses wherever they appear.
"""
from __future__ import annotations

import re
from typing import Any

SENSITIVE_KEYS = frozenset(k.lower() for k in (
    "maskedPan", "maskedDPan", "pan", "cardNumber", "token", "nonPaymentToken", "externalNonPaymentToken",
    "paymentToken", "recurrenceToken", "unscheduledToken", "transactionsOnFileToken", "transactionOnFileToken",
    "paymentAccountReference", "email", "msisdn", "misidn", "first_name", "last_name", "card_holder",
    "cardholderName", "name", "nationalIdentifier", "socialSecurityNumber", "ssn", "payerReference", "card_id",
    "authorization", "password", "apiKey", "api_key", "cvc", "cvv", "tokens",
))

# "standalone": not glued to other letters or digits (a hex token such as 4880652464224db7… is no card number)
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9]{13,19}(?![0-9A-Za-z])")
# grouped by 4 (4-4-4-1…7, or 4-4-4-4-1…3 for 17–19 digits); only a digit and a dash before it rule a group out
# (the digit-only groups of a GUID such as 12345678-1234-1234-1234-…), so "amount 100 4111 1111 1111 1111" and
# the second of two numbers in a row are still found
_GROUPED = re.compile(r"(?<![0-9A-Za-z])(?<![0-9]-)[0-9]{4}([ -])[0-9]{4}\1[0-9]{4}\1(?:[0-9]{4}\1[0-9]{1,3}|[0-9]{1,7})"
                      r"(?![0-9A-Za-z])")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def find_pans(text: str) -> list[tuple[int, int]]:
    """Spans of card numbers in ``text``: standalone runs of 13–19 digits (or 4-digit groups separated
    by one space or dash) that pass the Luhn check."""
    spans = []
    for rx in (_DIGIT_RUN, _GROUPED):
        for m in rx.finditer(text):
            digits = re.sub(r"[ -]", "", m.group(0))
            if 13 <= len(digits) <= 19 and luhn_ok(digits):
                spans.append(m.span())
    return spans


#: The card schemes' issuer ranges (IIN prefixes, inclusive) and the lengths their card numbers have: a Luhn-valid
#: run of digits is reported as a card number only inside one of them. A merchant reference or a Swedish OCR
#: number has a valid check digit one time in ten (OCR numbers always), and "2024051411050009" is no card number.
#: Redaction (``scrub``) stays broad: it masks every Luhn-valid run, where masking too much costs nothing.
CARD_RANGES: tuple[tuple[str, str, frozenset[int]], ...] = (
    ("4", "4", frozenset((13, 16, 19))),                 # Visa (incl. Electron, Dankort co-badged)
    ("51", "55", frozenset((16,))),                      # Mastercard
    ("2221", "2720", frozenset((16,))),                  # Mastercard 2-series
    ("2200", "2204", frozenset(range(16, 20))),          # Mir
    ("34", "34", frozenset((15,))),                      # American Express
    ("37", "37", frozenset((15,))),
    ("300", "305", frozenset(range(14, 20))),            # Diners Club
    ("36", "36", frozenset(range(14, 20))),
    ("38", "39", frozenset(range(14, 20))),
    ("3528", "3589", frozenset(range(16, 20))),          # JCB
    ("50", "50", frozenset(range(13, 20))),              # Maestro, Dankort (5019)
    ("56", "58", frozenset(range(13, 20))),              # Maestro
    ("6", "6", frozenset(range(13, 20))),                # Discover, UnionPay, Maestro, Forbrugsforeningen, RuPay, …
)


def in_card_range(digits: str) -> bool:
    """True when ``digits`` has the prefix and length of a card scheme's card numbers (Luhn not checked)."""
    n = len(digits)
    for low, high, lengths in CARD_RANGES:
        if n in lengths and low <= digits[:len(low)] <= high:
            return True
    return False


def find_card_numbers(text: str) -> list[tuple[int, int]]:
    """Spans of what is reported as a card number (``unmasked-pan``): the spans of :func:`find_pans` whose
    digits also lie in a card scheme's issuer range with that scheme's length."""
    return [(a, b) for a, b in find_pans(text) if in_card_range(text[a:b].replace(" ", "").replace("-", ""))]


# digits → '0', space and dash → '-', anything else → '.'
_CLASSES = bytes((0x30 if 0x30 <= b <= 0x39 else 0x2D if b in (0x20, 0x2D) else 0x2E) for b in range(256))
_GROUP = b"0000-0000-0000-0"


def may_hold_pan(raw: bytes) -> bool:
    """False when ``raw`` certainly holds no candidate card number: no run of 13 digits and no 4-4-4-digit
    groups joined by spaces or dashes. C-speed: a translate and two substring searches."""
    t = raw.translate(_CLASSES)
    return b"0000000000000" in t or _GROUP in t


def scrub(text: str) -> str:
    """``text`` with card numbers and e-mail addresses masked, and any lone surrogate (a file name that is not
    UTF-8) shown as an escape, so the text can be written anywhere."""
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    if len(text) >= 13 and may_hold_pan(text.encode("utf-8")):
        for start, end in sorted(find_pans(text), reverse=True):
            text = text[:start] + "[card number redacted]" + text[end:]
    return _EMAIL.sub("[e-mail redacted]", text) if "@" in text else text


def public_url(url: str) -> str:
    """``url`` safe to print: no user info, query, fragment or ``;`` parameters (tokens ride there), the path
    percent-decoded (``alice%40example.com`` is an e-mail too) and scrubbed."""
    from urllib.parse import unquote, urlsplit, urlunsplit
    try:
        parts = urlsplit(url)
        path = unquote(parts.path.split(";", 1)[0], errors="replace")
        return scrub(urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], path, "", "")))
    except ValueError:
        return "<unparsable URL>"


def is_sensitive(key: str | int | None) -> bool:
    return isinstance(key, str) and key.lower() in SENSITIVE_KEYS


def describe(value: Any, key: str | int | None = None, limit: int = 60) -> str:
    """How a found value is shown in a message: JSON-ish, shortened, never sensitive."""
    if is_sensitive(key) and value is not None and not isinstance(value, bool):
        kind = type_name(value)
        size = f" of {len(value)} characters" if isinstance(value, str) else ""
        return f"<redacted {kind}{size}>"
    if isinstance(value, str):
        value = scrub(value)  # mask first: a shortened value must not keep 15 of 16 digits
        shown = value if len(value) <= limit else value[:limit] + "…"
        return _quote(shown)
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, (int, float)):
        return scrub(repr(value))
    if isinstance(value, dict):
        return f"an object with {len(value)} field{'s' if len(value) != 1 else ''}"
    if isinstance(value, list):
        return f"an array of {len(value)} item{'s' if len(value) != 1 else ''}"
    return type(value).__name__


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _quote(s: str) -> str:
    s = s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t").replace("'", "\\'")
    if _CONTROL.search(s):  # no raw escape sequences reach a terminal
        s = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", s)
    return "'" + s + "'"


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__
