"""A tiny HTTP client for tests that talk to a running fake over a socket."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any


def call(base: str, method: str, path: str, body: Any = None, *, auth: bool = True,
         headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], Any]:
    data = None if body is None else json.dumps(body).encode()
    h = {"Content-Type": "application/json"} if body is not None else {}
    if auth:
        h["Authorization"] = "Bearer test-token"
    h.update(headers or {})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    req = urllib.request.Request(base + path, data=data, method=method, headers=h)
    try:
        with opener.open(req, timeout=10) as r:
            raw, status, hdrs = r.read(), r.status, dict(r.headers)
    except urllib.error.HTTPError as e:
        raw, status, hdrs = e.read(), e.code, dict(e.headers)
    try:
        parsed = json.loads(raw) if raw else None
    except ValueError:
        parsed = raw.decode("utf-8", "replace")
    return status, {k.lower(): v for k, v in hdrs.items()}, parsed


def order(base: str, *, callback: str | None = None, version: str = "3.1") -> str:
    """Create a payment order (``version`` 3.1 or 2.0), optionally with a callbackUrl: its id."""
    urls = {"hostUrls": ["https://shop.example.com"], "completeUrl": "https://shop.example.com/done",
            "cancelUrl": "https://shop.example.com/cancel"}
    if callback:
        urls["callbackUrl"] = callback
    po = {"operation": "Purchase", "currency": "SEK", "amount": 10000, "vatAmount": 0, "description": "Test Purchase",
          "userAgent": "Mozilla/5.0", "language": "sv-SE", "urls": urls,
          "payeeInfo": {"payeeId": "5cabf558-5283-482f-b252-4d58e06f6f3b", "payeeReference": "ref1",
                        "orderReference": "or-1"}}
    status, _, doc = call(base, "POST", "/psp/paymentorders", {"paymentorder": po},
                          headers={"Content-Type": f"application/json;version={version}"})
    assert status in (200, 201), (status, doc)
    return doc["paymentOrder"]["id"]
