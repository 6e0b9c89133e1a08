"""Test harness: driving the fake provider in-process (Werkzeug's test client: no sockets) and judging what it sends."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from werkzeug.test import Client

from checkout_contracts import check
from checkout_contracts.fake.app import FakeApp
from checkout_contracts.inputs import HttpContext

AUTH = {"Authorization": "Bearer test-token"}
ORDER, PAID, PROBLEM = ("swedbankpay/checkout-v2/payment-order", "swedbankpay/checkout-v2/paid",
                        "swedbankpay/checkout-v2/problem")
CHECKOUT, CUSTOMER = "paiwise/checkout", "paiwise/customer"


@dataclass
class Answer:
    method: str
    path: str
    status: int
    headers: dict[str, str]
    data: Any
    request_body: Any = None

    def http(self) -> HttpContext:
        return HttpContext(method=self.method, url="http://localhost" + self.path, status=self.status,
                           headers=self.headers, request_body=self.request_body)


class Fake:
    """Calls the fake app; ``judge`` checks an answer with ``checkout_contracts.check`` (schema, rules, HTTP)."""

    def __init__(self, app: FakeApp) -> None:
        self.app = app
        self.client = Client(app)

    def call(self, method: str, path: str, body: Any = None, *, auth: bool = True, headers: dict | None = None) -> Answer:
        h = dict(AUTH if auth else {})
        h.update(headers or {})
        kw: dict[str, Any] = {"headers": h}
        if body is not None:
            kw["data"] = orjson.dumps(body)
            kw["content_type"] = h.pop("Content-Type", "application/json")  # v3.1: "application/json;version=3.1"
        r = self.client.open(path, method=method, **kw)
        raw = r.get_data()
        data = orjson.loads(raw) if raw and r.mimetype.endswith("json") else raw.decode()
        return Answer(method, path, r.status_code, {k.lower(): v for k, v in r.headers.items()}, data, body)

    def judge(self, a: Answer, schema: str | None = None, *, status: tuple[int, ...] = (200,)):
        assert a.status in status, (a.status, a.data)
        result = check(a.data, schema, http=a.http())
        assert result.findings == (), result.explain()
        return a.data

    # Paiwise
    def pw(self, action: str, body: dict, **kw: Any) -> Answer:
        return self.call("POST", f"/checkout/{action}", body, **kw)

    def pw_ok(self, action: str, body: dict) -> dict:
        return self.judge(self.pw(action, body), CUSTOMER if "customer" in action else CHECKOUT)

    def pw_error(self, action: str, body: dict, status: int) -> dict:
        a = self.pw(action, body)
        assert a.status == status, (a.status, a.data)
        assert a.headers["content-type"].startswith("application/json")
        assert set(a.data) == {"name", "message", "code", "status"} and a.data["status"] == status
        return a.data

    def pw_pay(self, checkout_id: str, **body: Any) -> dict:
        return self.judge(self.call("POST", f"/_fake/paiwise/checkout/{checkout_id}/pay", body, auth=False), CHECKOUT)

    # Swedbank Pay
    def spp_problem(self, a: Answer, status: int, kind: str) -> dict:
        assert a.status == status, (a.status, a.data)
        assert a.headers["content-type"].startswith("application/problem+json")
        self.judge(a, PROBLEM, status=(status,))
        assert a.data["type"] == f"https://api.payex.com/psp/errordetail/paymentorders/{kind}"
        return a.data

    def spp_create(self, amount: int = 10000, vat: int = 2000, **extra: Any) -> dict:
        po = {"operation": "Purchase", "currency": "SEK", "amount": amount, "vatAmount": vat,
              "description": "Test Purchase", "userAgent": "Mozilla/5.0", "language": "sv-SE",
              "urls": {"completeUrl": "https://shop.example.com/done"},
              "payeeInfo": {"payeeId": "5cabf558-5283-482f-b252-4d58e06f6f3b", "payeeReference": "ref1"}}
        po.update(extra)
        return self.judge(self.call("POST", "/psp/paymentorders", {"paymentorder": po}), ORDER, status=(201,))

    def spp_pay(self, doc: dict, instrument: str = "CreditCard", outcome: str = "paid") -> dict:
        guid = doc["paymentOrder"]["id"].rsplit("/", 1)[1]
        return self.judge(self.call("POST", f"/_fake/swedbankpay/paymentorders/{guid}/pay",
                                    {"instrument": instrument, "outcome": outcome}, auth=False), ORDER)

    def spp_get(self, doc: dict, suffix: str = "") -> dict:
        return self.judge(self.call("GET", doc["paymentOrder"]["id"] + suffix), PAID if suffix == "/paid" else ORDER)


def tx(amount: int | None = None, vat: int = 0) -> dict:
    t: dict[str, Any] = {"description": "d", "payeeReference": "r1"}
    if amount is not None:
        t.update(amount=amount, vatAmount=vat)
    return {"transaction": t}


def pw_create_body(amount: int = 10000, **extra: Any) -> dict:
    body = {"amount": amount, "currency": "SEK", "message": "Order 1", "returnUrl": "https://shop.example.com/r",
            "returnUrlCancel": "https://shop.example.com/c"}
    body.update(extra)
    return body

