"""Keeping payment data out of every message.

Two layers: values of sensitive fields are never shown (only their kind and length), and any text that
does get shown passes through :func:`scrub`, which masks card numbers (13–19 digits passing Luhn, plain or
grouped by 4) and e-mail addresses wherever they appear.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Iterator

SENSITIVE_KEYS = frozenset(k.lower() for k in (
    "maskedPan", "maskedDPan", "pan", "cardNumber", "token", "nonPaymentToken", "externalNonPaymentToken",
    "paymentToken", "recurrenceToken", "unscheduledToken", "transactionsOnFileToken", "transactionOnFileToken",
    "paymentAccountReference", "email", "msisdn", "misidn", "first_name", "last_name", "card_holder",
    "cardholderName", "name", "nationalIdentifier", "socialSecurityNumber", "ssn", "payerReference", "card_id",
    "authorization", "password", "apiKey", "api_key", "cvc", "cvv", "tokens",
))

# "standalone": not glued to other letters or digits (a hex token such as 4880652464224db7… is no card number).
# Two sets of patterns: masking (scrub, find_pans) is broad, reporting (unmasked-pan, find_card_numbers) strict.
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z])[0-9]{13,19}(?![0-9A-Za-z])")
# reporting: not the integer or fractional part of a decimal number ("44.675000000000004"; a comma separates)
_DIGIT_RUN_ALONE = re.compile(r"(?<![0-9A-Za-z])(?<![0-9][.])[0-9]{13,19}(?![0-9A-Za-z])(?![.][0-9])")
# the groupings card numbers are written in: 4-4-4-1…7, 4-4-4-4-1…3 (17–19 digits), and Amex / Diners 4-6-5,
# 4-6-4 and 4-6-6; one separator between groups, the same throughout: a space (or two), a dash, a dot, an
# underscore, a slash, or a Unicode space or dash (no-break, figure, thin, ideographic; hyphen, en dash, minus)
_SEP_CHARS = " ._/\u00a0\u2007\u2009\u202f\u3000\u2010-\u2013\u2212\uff0d-"
_SEP = "[" + _SEP_CHARS + "]"
_GROUPS = (r"[0-9]{4}(  |" + _SEP + r")(?:[0-9]{4}\1[0-9]{4}\1(?:[0-9]{4}\1[0-9]{1,3}|[0-9]{1,7})"
           r"|[0-9]{6}\1[0-9]{4,6})")
# masking: only a digit and a dash before a group rule it out (the digit-only groups of a GUID such as
# 12345678-1234-1234-1234-…)
_GROUPED = re.compile(r"(?<![0-9A-Za-z])(?<![0-9]-)" + _GROUPS + r"(?![0-9A-Za-z])")
# reporting: the grouped number stands alone, not inside a longer run of digit groups — not after a group of four
# digits or an IBAN's head ("SE47 3862 5355 0299 2148 9227"), not before another group of four digits (a 20-digit
# grouped reference); "2024-05-14 4111-1111-1111-1111 12/26" and "amount 100 4111 1111 1111 1111" are reported
_GROUPED_ALONE = re.compile(r"(?<![0-9A-Za-z])(?<![0-9]-)(?<![0-9]{4}" + _SEP + r")(?<![0-9]{4}  )(?<![A-Z]{2}[0-9]{2}"
                            + _SEP + r")(?<![A-Z]{2}[0-9]{2}  )" + _GROUPS + r"(?![0-9A-Za-z])(?!" + _SEP
                            + r"[0-9]{4})(?!  [0-9]{4})")
# several 4-4-4-4 numbers in a row ("4111-1111-1111-1111 5555-5555-5555-4444"): each is a card number
_GROUP_RUN = re.compile(r"(?<![0-9A-Za-z])(?<![0-9]-)[0-9]{4}(?:(?:  |" + _SEP + r")[0-9]{4}){7,}(?![0-9A-Za-z])")
_QUAD = re.compile(r"[0-9]{4}")
_NOT_DIGIT = re.compile(r"[^0-9]+")
# an e-mail address as RFC 5321 allows it: a dot-atom or "quoted" local part (Unicode letters too; not '/', '=',
# '?', '&', which end a URL's or a form's part before it), then a domain of one or more labels (localhost,
# exämple.se) or an address literal ([10.0.0.1], [IPv6:…])
_EMAIL = re.compile(r"(?:\"[^\"\n]{1,64}\"|[\w.%+!#$'*^`{|}~-]+)@(?:\[[0-9A-Za-z.:]+\]|[\w-]+(?:\.[\w-]+)*)")


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


def _candidates(text: str, digit_run: re.Pattern, grouped: re.Pattern) -> Iterator[tuple[int, int, str]]:
    """(start, end, digits) of every run that may be a card number: plain, grouped, the 4-4-4-4 head of a grouped
    run that goes on (a card number followed by its expiry or CVC: "4111 1111 1111 1111 12/26"), and each 4-4-4-4
    number of several in a row. ``text`` holds ASCII digits only (see :func:`ascii_digits`)."""
    for m in digit_run.finditer(text):
        yield m.start(), m.end(), m.group(0)
    for m in grouped.finditer(text):
        shown = m.group(0)
        digits = _NOT_DIGIT.sub("", shown)
        yield m.start(), m.end(), digits
        if len(digits) > 16:  # 4-4-4-4 and more: its first four groups
            quads = list(_QUAD.finditer(shown))
            if len(quads) >= 4 and all(quads[k + 1].start() > quads[k].end() for k in range(3)):
                yield m.start(), m.start() + quads[3].end(), digits[:16]
    for m in _GROUP_RUN.finditer(text):
        quads = list(_QUAD.finditer(m.group(0)))
        if len(quads) % 4 == 0:  # 16 digits per number
            for k in range(0, len(quads), 4):
                yield m.start() + quads[k].start(), m.start() + quads[k + 3].end(), "".join(q.group() for q in quads[k:k + 4])


# masking also tries every 4-4-4-4 window inside a longer run of groups ("1000 4111 1111 1111 1111")
_QUAD_WINDOW = re.compile(r"(?<![0-9A-Za-z])(?<![0-9]-)(?=([0-9]{4}(?:  |" + _SEP + r")[0-9]{4}(?:  |" + _SEP
                          + r")[0-9]{4}(?:  |" + _SEP + r")[0-9]{4})(?![0-9]))")

@functools.lru_cache(maxsize=1)
def _unicode_digits() -> dict[int, int]:
    """Every non-ASCII Unicode decimal digit → its ASCII digit (built on first use: a non-ASCII text)."""
    import unicodedata
    return {c: 0x30 + unicodedata.digit(chr(c)) for c in range(0x80, 0x1FC00) if unicodedata.category(chr(c)) == "Nd"}


def ascii_digits(text: str) -> str:
    """``text`` with every Unicode decimal digit (full-width ４, Arabic-Indic ٤, …) written as its ASCII digit, one
    character for one, so spans found in the result are spans of ``text``."""
    if text.isascii():
        return text
    return text.translate(_unicode_digits())


def find_pans(text: str) -> list[tuple[int, int]]:
    """Spans of card numbers in ``text``: standalone runs of 13–19 digits (or grouped as card numbers are
    written, see ``_GROUPS``, or any 4-4-4-4 window of a longer run of groups) that pass the Luhn check; any
    Unicode decimal digit counts as its digit. Broad: what :func:`scrub` masks."""
    text = ascii_digits(text)
    spans: list[tuple[int, int]] = []
    for start, end, digits in _candidates(text, _DIGIT_RUN, _GROUPED):
        if 13 <= len(digits) <= 19 and luhn_ok(digits) and (start, end) not in spans:
            spans.append((start, end))
    for m in _QUAD_WINDOW.finditer(text):
        span = (m.start(), m.start() + len(m.group(1)))
        if span not in spans and luhn_ok(_NOT_DIGIT.sub("", m.group(1))):
            spans.append(span)
    return spans


#: The card schemes' issuer ranges (IIN prefixes, inclusive) and the lengths their card numbers have: a Luhn-valid
#: run of digits is reported as a card number only inside one of them. A merchant reference or a Swedish OCR
#: number has a valid check digit one time in ten (OCR numbers always), and "2024051411050009" is no card number.
#: Redaction (``scrub``) stays broad: it masks every Luhn-valid run, where masking too much costs nothing.
CARD_RANGES: tuple[tuple[str, str, frozenset[int]], ...] = (
    ("4", "4", frozenset(range(16, 20))),                # Visa (16–19), Electron, Dankort-Visa; not 13 (EAN-13 codes)
    ("51", "55", frozenset((16,))),                      # Mastercard
    ("2221", "2720", frozenset((16,))),                  # Mastercard 2-series
    ("2200", "2205", frozenset(range(16, 20))),          # Mir (2200–2204), BORICA (2205)
    ("34", "34", frozenset((15,))),                      # American Express
    ("37", "37", frozenset((15,))),
    ("300", "305", frozenset(range(14, 20))),            # Diners Club
    ("3095", "3095", frozenset(range(14, 20))),
    ("36", "36", frozenset(range(14, 20))),
    ("38", "39", frozenset(range(14, 20))),
    ("3528", "3589", frozenset(range(16, 20))),          # JCB
    ("1800", "1800", frozenset((15,))),                  # JCB (old 15-digit ranges)
    ("2131", "2131", frozenset((15,))),
    ("31", "31", frozenset((19,))),                      # China T-Union
    ("1", "1", frozenset((15,))),                        # UATP (airline cards)
    ("50", "50", frozenset(range(16, 20))),              # Maestro, Dankort (5019), RuPay (508)
    ("56", "59", frozenset(range(16, 20))),              # Maestro
    # 6…: Discover (6011, 644–649, 65), UnionPay (62), Maestro (67…), RuPay (60, 65), Troy (65), Forbrugsforeningen
    # (600722), InterPayment (636), InstaPayment (637–639), … — but 640–643 is no scheme's, and no 63… card has 18
    # digits: an 18-digit 63…/640… number is a .NET DateTime.Ticks reference (638386601473813240, the vendor's .NET
    # SDK's payeeReference), not a card (QUIRKS X-TICKS-REFERENCE)
    ("60", "62", frozenset(range(16, 20))),
    ("63", "63", frozenset((16, 17, 19))),
    ("644", "649", frozenset(range(16, 20))),
    ("65", "69", frozenset(range(16, 20))),
    ("81", "82", frozenset(range(16, 20))),              # UnionPay (8100–8171), RuPay
    ("8600", "8600", frozenset((16,))),                  # UzCard
    ("9792", "9792", frozenset((16,))),                  # Troy
    ("9860", "9860", frozenset((16,))),                  # Humo
)


def in_card_range(digits: str) -> bool:
    """True when ``digits`` has the prefix and length of a card scheme's card numbers (Luhn not checked)."""
    n = len(digits)
    for low, high, lengths in CARD_RANGES:
        if n in lengths and low <= digits[:len(low)] <= high:
            return True
    return False


def find_card_numbers(text: str) -> list[tuple[int, int]]:
    """Spans of what is reported as a card number (``unmasked-pan``): Luhn-valid standalone runs (a grouped one
    alone, not inside a longer run of digit groups, or each 4-4-4-4 number of several in a row) whose digits lie
    in a card scheme's issuer range with that scheme's length."""
    text = ascii_digits(text)
    spans: list[tuple[int, int]] = []
    for start, end, digits in _candidates(text, _DIGIT_RUN_ALONE, _GROUPED_ALONE):
        if in_card_range(digits) and luhn_ok(digits) and (start, end) not in spans:
            spans.append((start, end))
    return spans


# digits and '.' → '0' (a float such as 4.925000000000004e15 then reads as a run of digits, and so does a card
# number grouped by dots), the other ASCII group separators (space, dash, underscore, slash) → '-', 'e' and 'E' →
# 'e' (an exponent: 42e14 is the card number 4200000000000000), anything else → 'x'
_CLASSES = bytes((0x30 if 0x30 <= b <= 0x39 or b == 0x2E else 0x2D if b in (0x20, 0x2D, 0x5F, 0x2F)
                  else 0x65 if b in (0x45, 0x65) else 0x78) for b in range(256))
_ASCII = bytes(range(128))
# a non-ASCII character that may be part of a card number: a Unicode digit, or a Unicode space or dash between groups
_UNICODE_CARD_CHAR = re.compile(r"\d|[" + _SEP_CHARS.replace(" ._/", "") + "]")


_ALNUM = frozenset(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def may_hold_pan(raw: bytes, escapes: bool = True) -> bool:
    """False when ``raw`` certainly holds nothing :func:`find_pans` could find: no run of 13 digits ('.' counting as
    a digit, so a float such as 4.925000000000004e15 is one), no ``\\u`` escape (it can hide digits, or stand right
    before a number), and no digit groups 4-4-4 or 4-6-4 joined by spaces or dashes where a grouped number may start
    (not after a letter or digit unless an escape such as ``\\n`` ends there, nor after a digit and a dash: the
    digit-only groups of a GUID). C-speed: a translate, three substring searches (one behind a one-byte memchr) and
    a short loop only over 4-and-4 digit groups. ``escapes=False``: ``raw`` is orjson's own output, which escapes
    no digit and puts no escape before one (only control characters, as ``\\n`` or ``\\u001f``: the boundary
    rule below still sees those)."""
    t = raw.translate(_CLASSES)
    if b"0000000000000" in t or (escapes and b"\\" in raw and b"\\u" in raw):
        return True
    if b"0e" in t and _big_exponent(raw, t):
        return True
    if b"0000--0000" in t:  # groups joined by two spaces (or two separators: a superset)
        return True
    if not raw.isascii():  # only the non-ASCII bytes, decoded: Unicode digits (４１１１…), no-break spaces, …
        rest = raw.translate(None, _ASCII).decode("utf-8", "ignore")
        if rest and _UNICODE_CARD_CHAR.search(rest):
            return True
    i = t.find(b"0000-0000")
    while i != -1:
        before = raw[i - 1] if i else 0x20
        # a boundary: not after a letter or digit, unless that ends an escape ("\\n", "\\u001f")
        boundary = before not in _ALNUM or (i >= 2 and raw[i - 2] == 0x5C) or raw[i - 6:i - 4] == b"\\u"
        if boundary and not (before == 0x2D and i >= 2 and 0x30 <= raw[i - 2] <= 0x39) \
                and (t[i + 9:i + 14] == b"-0000" or t[i + 9:i + 16] == b"00-0000"):  # a third group: 4-4-4 or 4-6-4
            return True
        i = t.find(b"0000-0000", i + 1)
    return False


def _big_exponent(raw: bytes, t: bytes) -> bool:
    """A number in exponent form (``42e14``, ``4.2E+15``) whose integer part may have 13 digits or more: its
    mantissa's whole digits plus its exponent reach 13. Only at a boundary (not inside a hex token such as
    ``9d81e12a``); any mantissa counts, so it may say yes to a value that turns out small — never no to a big one."""
    n = len(raw)
    i = t.find(b"0e")
    while i != -1:
        j = i + 2
        if j < n and raw[j] == 0x2B:  # '+'
            j += 1
        k = j
        while k < n and 0x30 <= raw[k] <= 0x39:
            k += 1
        if k > j:
            start = i
            while start > 0 and t[start - 1] == 0x30:
                start -= 1
            if start == 0 or raw[start - 1] not in _ALNUM:
                whole = raw[start:i + 1].split(b".", 1)[0]
                if k - j > 3 or len(whole) + int(raw[j:k]) >= 13:
                    return True
        i = t.find(b"0e", i + 1)
    return False


def scrub(text: str) -> str:
    """``text`` with card numbers and e-mail addresses masked, and then any lone surrogate (a file name that is not
    UTF-8) shown as an escape, so the text can be written anywhere. Masking runs again on its own output until
    nothing changes: a number right after a masked one ("4111…-3782 822463 10005") is found on the next pass."""
    for _ in range(4):
        masked = _mask_pans(text)
        if masked == text:
            break
        text = masked
    if not text.isascii():
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return _EMAIL.sub("[e-mail redacted]", text) if "@" in text else text


def _mask_pans(text: str) -> str:
    if len(text) < 13 or not may_hold_pan(text.encode("utf-8", "surrogatepass")):
        return text
    covered = [False] * len(text)
    for start, end in find_pans(text):  # spans may overlap: mask their union
        covered[start:end] = [True] * (end - start)
    if not any(covered):
        return text
    out, i = [], 0
    while i < len(text):
        if covered[i]:
            while i < len(text) and covered[i]:
                i += 1
            out.append("[card number redacted]")
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


# the path segment after these carries a token: Swedbank Pay's token endpoints (…/tokens/<token>) and the
# instrument data of a payment order (/psp/paymentorders/instrumentdata/<token>, named on problem routes too)
_PATH_TOKEN = re.compile(r"(?i)((?:tokens?|instrumentdata)/)[^/]+")


def decodings(text: str, limit: int = 8) -> list[str]:
    """``text`` and its percent-decodings (``+`` as a space), each decoded once more, until nothing changes:
    a card number or e-mail percent-encoded several times (``4111%25201111…``) is plain in the last one."""
    from urllib.parse import unquote_plus
    out = [text]
    for _ in range(limit):
        if "%" not in out[-1] and "+" not in out[-1]:
            break
        decoded = unquote_plus(out[-1], errors="replace")
        if decoded == out[-1]:
            break
        out.append(decoded)
    return out


def public_url(url: str) -> str:
    """``url`` safe to print: no user info, query, fragment or ``;`` parameters (tokens ride there); the path
    percent-decoded (``alice%40example.com`` is an e-mail too, ``%2540`` as well), the segment after a
    ``…tokens/`` replaced by ``…`` (Swedbank Pay's token endpoints carry the token in the path), scrubbed and with
    control characters escaped (no terminal escape sequence from a recorded URL)."""
    from urllib.parse import unquote, urlsplit, urlunsplit
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparsable URL>"
    path = parts.path.split(";", 1)[0]
    for _ in range(8):  # text encoded several times is still text
        decoded = unquote(path, errors="replace")
        if decoded == path:
            break
        path = decoded
    path = _PATH_TOKEN.sub(r"\1…", path)
    shown = scrub(urlunsplit((parts.scheme, parts.netloc.rpartition("@")[2], path, "", "")))
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}",
                        shown)


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
        return quote(shown)
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, int) and abs(value) >= 10 ** 60:  # repr() of a huge int is slow, or refused past 4300 digits
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
    if isinstance(value, (int, float)):
        return scrub(repr(value))
    if isinstance(value, dict):
        return f"an object with {len(value)} field{'s' if len(value) != 1 else ''}"
    if isinstance(value, list):
        return f"an array of {len(value)} item{'s' if len(value) != 1 else ''}"
    return type(value).__name__


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def quote(s: str) -> str:
    """``s`` in single quotes, with quotes, backslashes, line breaks and control characters escaped."""
    s = s.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t").replace("'", "\\'")
    if _CONTROL.search(s):  # no raw escape sequences reach a terminal
        s = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256 else f"\\u{ord(m.group()):04x}", s)
    return "'" + s + "'"


# what must never reach a terminal raw: C0 and C1 controls (ESC, CSI 0x9b), DEL, line/paragraph separators, and
# the invisible format characters that reorder or hide text (bidi overrides and isolates, zero-width marks)
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
#: the longest text one field of a report shows (a message, a path, a file name); longer ones keep head and tail
PRINT_LIMIT = 1000


def _escape(m: re.Match) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 256 else f"\\u{c:04x}"


def printable(text: str, limit: int = PRINT_LIMIT) -> str:
    """``text`` safe to write on a terminal or a CI log: control and invisible format characters shown as
    ``\\xNN`` / ``\\uNNNN`` (no escape sequence can clear a screen or forge a line), at most ``limit`` characters
    (the head and the tail kept: the part of a path that differs is often at its end). Masks nothing: callers
    scrub first."""
    if not text.isprintable() and _UNSAFE.search(text):
        text = _UNSAFE.sub(_escape, text)
    if len(text) > limit:
        head = limit * 2 // 3
        tail = limit - head
        text = f"{text[:head]}…[{len(text) - head - tail} characters]…{text[-tail:]}"
    return text


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
