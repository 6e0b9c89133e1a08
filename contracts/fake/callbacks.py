"""The fake's callbacks: after each state change of a payment order that has a ``urls.callbackUrl``, an HTTP POST
of the documented callback body to it (reference v3 §6), retried as the vendor documents.

* Body: for an order created with ``version=3.1``: ``{"orderReference"?, "paymentOrder": {"id", "instrument",
  "number"}}``; otherwise the v2 / v3.0 form ``{"paymentOrder": {"id", "instrument"}, "payment": {"id",
  "number"}, "transaction": {"id", "number"}}``.
* Any 2xx acknowledges. Otherwise (another status, a refused connection, a timeout) it is sent again after
  :data:`RETRY_DELAYS_S` (30, 60, 360, 432, 864, 1265 s: the documented schedule), then given up. ``scale``
  shrinks the schedule for tests (``scale=0.001``: 30 ms, 60 ms …).
* Loopback targets only (127.0.0.0/8, ::1, ``localhost``): any other host is never contacted; the callback is
  listed with ``"skipped": "not a loopback address"``. The fake must never become a way to POST to the network.
* ``GET /_fake/swedbankpay/callbacks`` (test-only, no token) lists every callback with its attempts.

One daemon thread delivers them all from a time-ordered queue; :meth:`CallbackSender.close` stops it (pending
retries are dropped). Bounded: at most :data:`MAX_KEPT` callbacks are remembered (the oldest are forgotten), each
attempt has a timeout, and at most ``1 + len(RETRY_DELAYS_S)`` attempts are made.
"""
from __future__ import annotations

import heapq
import ipaddress
import itertools
import threading
import time
import urllib.error
import urllib.request
from collections import OrderedDict
from typing import Any
from urllib.parse import urlsplit

RETRY_DELAYS_S = (30, 60, 360, 432, 864, 1265)
MAX_KEPT = 10_000
NOT_LOOPBACK = "not a loopback address"


def is_loopback(url: str) -> bool:
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    if parts.scheme not in ("http", "https") or not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def body_for(o: dict) -> dict:
    """The callback body for the order's current attempt, in the form of the version it was created with."""
    if o.get("version") == "3.1":
        out: dict[str, Any] = {}
        if o.get("orderReference"):
            out["orderReference"] = o["orderReference"]
        out["paymentOrder"] = {"id": o["id"], "instrument": o["instrument"], "number": o["number"]}
        return out
    guid = o["guid"]
    method = str(o["instrument"]).lower()
    kind = "sales" if getattr(o.get("state"), "transaction_type", "") == "Sale" else "authorizations"
    return {"paymentOrder": {"id": o["id"], "instrument": o["instrument"]},
            "payment": {"id": f"/psp/{method}/payments/{guid}", "number": o["number"]},
            "transaction": {"id": f"/psp/{method}/payments/{guid}/{kind}/{guid}", "number": o["number"]}}


class CallbackSender:
    def __init__(self, *, scale: float = 1.0, timeout_s: float = 5.0, user_agent: str = "checkout-contracts-fake") -> None:
        self.scale, self.timeout_s, self.user_agent = scale, timeout_s, user_agent
        self._sent: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self._queue: list[tuple[float, int, int]] = []  # (due, sequence, callback id)
        self._seq = itertools.count(1)
        self._cond = threading.Condition()
        self._closed = False
        self._thread: threading.Thread | None = None

    # ---- producer (under the order's lock: only queues) --------------------------------------------------
    def notify(self, o: dict) -> None:
        url = (o.get("urls") or {}).get("callbackUrl")
        if not isinstance(url, str) or not url:
            return
        from ..redact import public_url
        number = next(self._seq)
        # "url" as listed: without user info, query or fragment (tokens ride there); the POST goes to the full URL
        record: dict[str, Any] = {"number": number, "paymentOrder": o["id"], "status": o["state"].status,
                                  "url": public_url(url), "body": body_for(o), "attempts": [], "delivered": False,
                                  "_target": url}
        with self._cond:
            if self._closed:
                return
            self._sent[number] = record
            while len(self._sent) > MAX_KEPT:
                self._sent.popitem(last=False)
            if not is_loopback(url):
                record["skipped"] = NOT_LOOPBACK
                return
            heapq.heappush(self._queue, (time.monotonic(), number, number))
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="checkout-contracts-fake-callbacks",
                                                daemon=True)
                self._thread.start()
            self._cond.notify()

    def listing(self, payment_order: str | None = None) -> list[dict[str, Any]]:
        with self._cond:
            rows = [_public(r) for r in self._sent.values()]
        return [r for r in rows if payment_order is None or r["paymentOrder"] == payment_order]

    # ---- the delivery thread -----------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._closed and (not self._queue or self._queue[0][0] > time.monotonic()):
                    self._cond.wait(None if not self._queue else max(0.0, self._queue[0][0] - time.monotonic()))
                if self._closed:
                    return
                _, _, number = heapq.heappop(self._queue)
                record = self._sent.get(number)
                if record is None:
                    continue
                url, body = record["_target"], record["body"]
            outcome = self._post(url, body)
            with self._cond:
                record["attempts"].append(outcome)
                if "status" in outcome and 200 <= outcome["status"] < 300:
                    record["delivered"] = True
                    self._cond.notify_all()
                    continue
                tries = len(record["attempts"])
                if tries <= len(RETRY_DELAYS_S):
                    due = time.monotonic() + RETRY_DELAYS_S[tries - 1] * self.scale
                    record["next_attempt_in_s"] = RETRY_DELAYS_S[tries - 1] * self.scale
                    heapq.heappush(self._queue, (due, next(self._seq), number))
                else:
                    record["given_up"] = True
                    record.pop("next_attempt_in_s", None)
                self._cond.notify_all()

    def _post(self, url: str, body: dict) -> dict[str, Any]:
        import orjson
        at = time.time()
        request = urllib.request.Request(url, data=orjson.dumps(body), method="POST", headers={
            "Content-Type": "application/json; charset=utf-8", "User-Agent": self.user_agent})
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)  # straight to loopback
        try:
            with opener.open(request, timeout=self.timeout_s) as response:
                return {"at": at, "status": response.status}
        except urllib.error.HTTPError as exc:
            return {"at": at, "status": exc.code}
        except (OSError, ValueError) as exc:
            return {"at": at, "error": type(exc).__name__}

    def wait(self, predicate, timeout_s: float) -> bool:
        """Block until ``predicate(listing())`` is true or ``timeout_s`` pass (for tests)."""
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while True:
                rows = [_public(r) for r in self._sent.values()]
                if predicate(rows):
                    return True
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(min(left, 0.05))

    def close(self) -> None:
        with self._cond:
            self._closed = True
            self._queue.clear()
            self._cond.notify_all()
            thread = self._thread
        if thread is not None:
            thread.join(timeout=self.timeout_s + 1)


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {k: (list(v) if k == "attempts" else v) for k, v in record.items() if not k.startswith("_")}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:  # a redirect could leave loopback
        return None


__all__ = ["CallbackSender", "MAX_KEPT", "NOT_LOOPBACK", "RETRY_DELAYS_S", "body_for", "is_loopback"]
