"""Helpers for the tools-against-the-fake tests: seed a running fake with data over HTTP."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TOKEN = "test-token"


def call(base: str, method: str, path: str, body: Any = None, *, auth: bool = True,
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
    data = None if body is None else json.dumps(body).encode()
    h = {"Content-Type": "application/json"} if body is not None else {}
    if auth:
        h["Authorization"] = f"Bearer {TOKEN}"
    h.update(headers or {})
    req = urllib.request.Request(base + path, data=data, method=method, headers=h)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            raw, status, hdrs = r.read(), r.status, dict(r.headers)
    except urllib.error.HTTPError as e:
        raw, status, hdrs = e.read(), e.code, dict(e.headers)
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode("utf-8", "replace")
    return status, {k.lower(): v for k, v in hdrs.items()}, parsed


def example(rel: str) -> Any:
    return json.loads((REPO / "examples" / rel).read_text(encoding="utf-8"))


def spp_order(extra: dict | None = None) -> dict:
    po = {"operation": "Purchase", "currency": "SEK", "amount": 10000, "vatAmount": 2000,
          "description": "Test Purchase", "userAgent": "Mozilla/5.0", "language": "sv-SE",
          "urls": {"hostUrls": ["https://shop.example.com"], "completeUrl": "https://shop.example.com/done",
                   "cancelUrl": "https://shop.example.com/cancel"},
          "payeeInfo": {"payeeId": "5cabf558-5283-482f-b252-4d58e06f6f3b", "payeeReference": "ref1"}}
    po.update(extra or {})
    return {"paymentorder": po}


def seed_swedbankpay(base: str, headers: dict[str, str] | None = None) -> list[str]:
    """Payment orders in every status the fake reaches: ids (GUIDs)."""
    guids = []
    for n, steps in enumerate([(), ("pay",), ("pay", "capture"), ("pay", "capture-all", "reverse-all"),
                               ("pay", "cancel"), ("abort",), ("fail",), ("pay", "capture", "reverse")]):
        status, _, doc = call(base, "POST", "/psp/paymentorders", spp_order(), headers=headers)
        assert status in (200, 201), (status, doc)
        po = doc.get("paymentOrder") or doc.get("paymentorder")
        guid = po["id"].rsplit("/", 1)[1]
        tx = {"description": "d", "payeeReference": f"r{n}"}
        for step in steps:
            if step == "pay":
                s, _, d = call(base, "POST", f"/_fake/swedbankpay/paymentorders/{guid}/pay",
                               {"instrument": "CreditCard"}, auth=False)
            elif step == "fail":
                s, _, d = call(base, "POST", f"/_fake/swedbankpay/paymentorders/{guid}/pay",
                               {"outcome": "failed"}, auth=False)
            elif step == "abort":
                s, _, d = call(base, "PATCH", po["id"], {"paymentorder": {"operation": "Abort", "abortReason": "CancelledByConsumer"}}, headers=headers)
            elif step in ("capture", "reverse"):
                s, _, d = call(base, "POST", po["id"] + ("/captures" if step == "capture" else "/reversals"),
                               {"transaction": {**tx, "amount": 4000, "vatAmount": 800}}, headers=headers)
            elif step == "capture-all":
                s, _, d = call(base, "POST", po["id"] + "/captures",
                               {"transaction": {**tx, "amount": 10000, "vatAmount": 2000}}, headers=headers)
            elif step == "reverse-all":
                s, _, d = call(base, "POST", po["id"] + "/reversals",
                               {"transaction": {**tx, "amount": 10000, "vatAmount": 2000}}, headers=headers)
            else:
                s, _, d = call(base, "POST", po["id"] + "/cancellations", {"transaction": tx}, headers=headers)
            assert s in (200, 202), (step, s, d)
        guids.append(guid)
    return guids


def seed_paiwise(base: str) -> tuple[list[str], list[str]]:
    """Checkouts (created, paid, reserved, refunded) and customers: (checkout ids, customer ids)."""
    checkouts, customers = [], []
    for capture, outcome in [(True, None), (True, "paid"), (False, "paid"), (True, "failed")]:
        body = {"amount": 3000, "currency": "SEK", "message": "Test", "returnUrl": "https://shop.example.com/ok",
                "returnUrlCancel": "https://shop.example.com/cancel", "capture": capture}
        s, _, doc = call(base, "POST", "/checkout/create", body)
        assert s == 200, (s, doc)
        if outcome:
            s, _, _ = call(base, "POST", f"/_fake/paiwise/checkout/{doc['checkout_id']}/pay", {"outcome": outcome},
                           auth=False)
            assert s == 200
        checkouts.append(doc["checkout_id"])
    for _ in range(2):
        s, _, doc = call(base, "POST", "/checkout/create-customer", example("paiwise/requests/create-customer.json"))
        assert s == 200, (s, doc)
        customers.append(doc["customer_id"])
    return checkouts, customers
