"""A faithful local fake of the Paiwise Checkout API and Swedbank Pay Checkout v2 and v3.1 (payment orders).

    >>> from checkout_contracts.fake import FakeServer
    >>> with FakeServer() as fake:          # 127.0.0.1, a free port, a background thread
    ...     base = fake.url                 # point both providers' clients here

or from the shell: ``checkout-contracts serve --provider all --port 8080``. Every response it sends passes
``checkout_contracts.check`` with no findings; status, amounts and the operations offered follow the generators' state
machines (:mod:`checkout_contracts.lifecycles`) and values (:mod:`checkout_contracts.strategies.values`).
Swedbank Pay answers in v3.1 when the request's Content-Type (else its Accept) says ``version=3.x``
(:mod:`checkout_contracts.fake.v3`: ``$expand`` of every sub-resource, ``GET …/{id}/{segment}``), in v2 otherwise; after
each payment attempt and each capture, cancellation or reversal it POSTs the documented callback to a loopback
``urls.callbackUrl`` with the documented retries (:mod:`checkout_contracts.fake.callbacks`).
Test-only endpoints play the payer: ``POST /_fake/paiwise/checkout/{checkout_id}/pay`` and
``POST /_fake/swedbankpay/paymentorders/{id}/pay``; ``GET /_fake/swedbankpay/callbacks[?paymentOrder=ID]`` lists
the callbacks sent. Werkzeug is imported only when a server is built.
"""
from __future__ import annotations

from typing import Any

__all__ = ["FakeServer", "FakeApp", "ENDPOINTS"]

ENDPOINTS = (
    ("POST", "/checkout/create"), ("POST", "/checkout/retrieve"), ("POST", "/checkout/capture"),
    ("POST", "/checkout/refund"), ("POST", "/checkout/update"), ("POST", "/checkout/delete"),
    ("POST", "/checkout/create-customer"), ("POST", "/checkout/retrieve-customer"),
    ("POST", "/checkout/delete-customer"), ("GET", "/checkout/checkout?id=…&cid=…"),
    ("POST", "/_fake/paiwise/checkout/{checkout_id}/pay"),
    ("POST", "/psp/paymentorders"), ("GET", "/psp/paymentorders/{id}"), ("PATCH", "/psp/paymentorders/{id}"),
    ("GET", "/psp/paymentorders/{id}/paid"), ("POST", "/psp/paymentorders/{id}/captures"),
    ("POST", "/psp/paymentorders/{id}/cancellations"), ("POST", "/psp/paymentorders/{id}/reversals"),
    ("POST", "/_fake/swedbankpay/paymentorders/{id}/pay"), ("GET", "/psp/paymentorders/{id}/checkout"),
    ("GET", "/psp/paymentorders/{id}/{segment}"), ("GET", "/_fake/swedbankpay/callbacks"),
    ("GET", "/_fake/health"),
)


def __getattr__(name: str) -> Any:  # lazy: importing checkout_contracts.fake must not import Werkzeug
    if name == "FakeServer":
        from .server import FakeServer
        return FakeServer
    if name == "FakeApp":
        from .app import FakeApp
        return FakeApp
    raise AttributeError(name)
