"""Card-data safety: find full card numbers anywhere in a payload.

Any standalone run of 13–19 digits (or digit groups as card numbers are written, joined by a space or two, a dash,
a dot, an underscore, a slash or a Unicode space or dash; Unicode digits count as digits) that passes the Luhn
check and lies in a card scheme's issuer range with that scheme's length (:data:`checkout_contracts.redact.CARD_RANGES`:
Visa 4…, Mastercard 51–55 / 2221–2720, Amex 34/37, …) is a finding ``unmasked-pan`` at its JSON path — in any field, at any depth, inside free text, in an
object key or as a JSON number (in exponent form too: ``42e14``). A C-speed pre-check on the payload's bytes (the raw capture, or orjson's
serialisation) skips the walk for the usual payload that holds no candidate at all.
"""
from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, Iterator

import orjson

from . import paths
from .findings import ERROR, Finding
from .redact import find_card_numbers, may_hold_pan  # noqa: F401  (may_hold_pan is part of this module's API)

def _texts(instance: Any) -> Iterator[tuple[tuple, str, bool]]:
    """(path parts, text, is_key) for every string, key and long integer; iterative, any depth. Any mapping or
    sequence a caller hands in counts (an OrderedDict, a tuple), and a whole-number Decimal is a number (boto3
    reads DynamoDB numbers so). Paths are built as tuples of parts and rendered only for a hit."""
    stack: list[tuple[tuple, Any]] = [((), instance)]
    seen: set[int] = set()  # containers already walked: a structure that contains itself ends, a shared one is read once
    while stack:
        parts, node = stack.pop()
        t = type(node)
        if t is str or (t is not bool and isinstance(node, str)):
            if len(node) >= 13:
                yield parts, str.__str__(node), False  # a str enum's value, not its name
        elif t is dict or isinstance(node, Mapping):
            if id(node) in seen:
                continue
            seen.add(id(node))
            for key, value in node.items():
                sub = parts + (key,)
                if isinstance(key, str) and len(key) >= 13:
                    yield sub, str.__str__(key), True
                elif isinstance(key, int) and not isinstance(key, bool) and 10**12 <= abs(key) < 10**19:
                    yield sub, str(int(key)), True
                stack.append((sub, value))
        elif t is list or isinstance(node, (list, tuple)):
            if id(node) in seen:
                continue
            seen.add(id(node))
            stack.extend((parts + (i,), v) for i, v in enumerate(node))
        elif t is bool:
            continue
        elif isinstance(node, int):
            if 10**12 <= abs(node) < 10**19:  # 13–19 digits (and no str() of a 5,000-digit int)
                yield parts, str(int(node)), False
        elif isinstance(node, Decimal):
            try:
                if node == node.to_integral_value() and 10**12 <= abs(node) < 10**19:
                    yield parts, str(int(node)), False
            except (ArithmeticError, ValueError):
                continue  # NaN, infinities
        elif isinstance(node, float):
            # a whole float holds an exact number (4925000000000004.0 is a card number too, and 42e17 is
            # 4200000000000000000); past 2**53 only the exponent forms of short mantissas are exact, which is how
            # such a number gets written
            if node.is_integer() and 1e12 <= abs(node) < 1e19:
                yield parts, str(int(node)), False


def scan(instance: Any, raw: bytes | None = None) -> list[Finding]:
    own = raw is None
    if own:
        try:
            raw = orjson.dumps(instance)
        except (TypeError, orjson.JSONEncodeError):
            raw = None  # e.g. an integer beyond 64 bits: walk it
    if raw is not None and not may_hold_pan(raw, escapes=not own):
        return []
    findings = []
    for parts, text, is_key in _texts(instance):
        hits = find_card_numbers(text)
        if hits:
            n = len(hits)
            what = "a full card number" if n == 1 else f"{n} full card numbers"
            findings.append(Finding(
                paths.render(parts), "unmasked-pan", ERROR,
                f"{'an object key' if is_key else 'this value'} holds {what} (a card scheme's prefix and length, passing the Luhn check); "
                "card numbers must be masked like 492500******0004",
            ))
    return findings
