"""Swedbank Pay's payment-order key and its two spellings: the one place that knows them (schemas/QUIRKS.md,
SPP-PAYMENTORDER-CASE).

The status model (and the ``GET …/paid`` response) writes ``paymentOrder``; the older state model's examples
write ``paymentorder`` (its schema accepts either); every request body (create, abort, update) writes
``paymentorder``. Code that reads a response whose model it does not know asks :func:`find`.
"""
from __future__ import annotations

from typing import Any

STATUS_MODEL_KEY = "paymentOrder"
STATE_MODEL_KEY = "paymentorder"
REQUEST_KEY = "paymentorder"
KEYS = (STATUS_MODEL_KEY, STATE_MODEL_KEY)  # looked up in this order


def find(doc: Any) -> tuple[str | None, dict | None]:
    """``(key, object)`` of the payment order in a response body: the first spelling whose value is an object;
    ``(None, None)`` when there is none (no key, or only the order's id as a string)."""
    if type(doc) is dict:
        for key in KEYS:
            value = doc.get(key)
            if type(value) is dict:
                return key, value
    return None, None
