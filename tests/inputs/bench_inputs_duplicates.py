"""Cost of the duplicate-key check next to orjson parsing (not a test; run it by hand).

    /tmp/venv/bin/python tests/inputs/bench_inputs_duplicates.py

For a ~2.5-3 KB payment order in four serialisation styles it prints the
time of ``orjson.loads`` and what the reader adds on top: ``orjson.dumps``
(which is also the free depth check) plus the exact duplicate test, and,
for comparison, the regex key count that was first suggested.
"""
from __future__ import annotations

import json
import re
import sys
import timeit
from pathlib import Path

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from checkout_contracts.inputs.jsonparse import has_duplicates, parse_document  # noqa: E402

_TIMED = (has_duplicates, parse_document)  # used by name inside the timeit statements

GUID = "5adc265f-f87f-4313-577e-08d3dca1a26c"
BASE = f"/psp/paymentorders/{GUID}"
DOC = {
    "paymentOrder": {
        "id": BASE, "created": "2020-06-22T10:56:56.2927632Z", "updated": "2020-06-22T10:56:56.4035291Z",
        "operation": "Purchase", "status": "Initialized", "currency": "SEK", "amount": 1500, "vatAmount": 375,
        "description": "Köp av två varor: 10:56", "initiatingSystemUserAgent": "swedbankpay-sdk-dotnet/3.0.1",
        "language": "sv-SE", "availableInstruments": ["CreditCard", "Invoice-PayExFinancingSe", "Swish", "Trustly"],
        "implementation": "PaymentsOnly", "integration": "HostedView", "instrumentMode": False, "guestMode": False,
        **{name: {"id": f"{BASE}/{name.lower()}"} for name in (
            "orderItems", "urls", "payeeInfo", "payer", "history", "failed", "aborted", "paid", "cancelled",
            "financialTransactions", "failedAttempts", "metadata")},
    },
    "operations": [
        {"method": "GET", "href": f"https://ecom.externalintegration.payex.com/payment/menu/{GUID}?_tc_tid=30f2168171e1",
         "rel": "redirect-checkout", "contentType": "text/html"},
        {"method": "GET", "href": f"https://ecom.externalintegration.payex.com/payment/core/js/px.payment.client.js?token={GUID}",
         "rel": "view-checkout", "contentType": "application/javascript"},
        {"method": "PATCH", "href": f"https://api.externalintegration.payex.com{BASE}", "rel": "update-order",
         "contentType": "application/json"},
        {"method": "PATCH", "href": f"https://api.externalintegration.payex.com{BASE}", "rel": "abort",
         "contentType": "application/json"},
    ],
}
STYLES = {
    "orjson compact": orjson.dumps(DOC),
    "json.dumps default": json.dumps(DOC, ensure_ascii=False).encode(),
    "json.dumps indent=2": json.dumps(DOC, indent=2, ensure_ascii=False).encode(),
    "json.dumps ensure_ascii": json.dumps(DOC).encode(),
}
KEY_REGEX = re.compile(rb'"(?:[^"\\]|\\.)*"\s*:')


def timed(stmt, number=20000, **names) -> float:
    return min(timeit.repeat(stmt, number=number, repeat=9, globals=dict(globals(), **names))) / number * 1e6


def main() -> None:
    for name, raw in STYLES.items():
        value = orjson.loads(raw)
        out = orjson.dumps(value)
        loads = timed("orjson.loads(raw)", raw=raw)
        dumps = timed("orjson.dumps(value)", value=value)
        check = timed("has_duplicates(raw, out)", raw=raw, out=out)
        full = timed("parse_document(raw)", raw=raw)
        regex = timed("len(KEY_REGEX.findall(raw))", number=2000, raw=raw)
        print(f"{name:24} {len(raw):5} B  orjson.loads {loads:5.2f} us | dumps {dumps:4.2f} ({dumps / loads:4.0%})"
              f" + duplicate test {check:4.2f} ({check / loads:4.0%}) | parse_document {full:5.2f} us"
              f" | regex key count {regex:6.1f} us ({regex / loads:5.0%})")
    dup = STYLES["orjson compact"].replace(b'"amount":1500', b'"amount":1,"amount":1500', 1)
    print(f"slow path, document with a duplicate: parse_document {timed('parse_document(dup)', 2000, dup=dup):.1f} us")


if __name__ == "__main__":
    main()
