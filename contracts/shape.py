"""Which schema a payload is, judged from its shape alone (when nobody said)."""
from __future__ import annotations

from typing import Any

PAIWISE_CHECKOUT = "paiwise/checkout"
PAIWISE_CUSTOMER = "paiwise/customer"
SPP_ORDER = "swedbankpay/checkout-v2/payment-order"
SPP_ORDER_STATE = "swedbankpay/checkout-v2/payment-order-state"
SPP_PAID = "swedbankpay/checkout-v2/paid"
SPP_PROBLEM = "swedbankpay/checkout-v2/problem"

SPP3 = "swedbankpay/checkout-v3/"
SPP3_ORDER = SPP3 + "payment-order"
SPP3_CALLBACK = SPP3 + "callback"
SPP3_PROBLEM = SPP3 + "problem"
#: v3.1 sub-resource envelopes ``{<parent>: id, <key>: {...}}`` by key (``paid`` stays v2's: the same shape)
SPP3_SUBRESOURCES = {
    "cancelled": SPP3 + "cancelled", "reversed": SPP3 + "reversed", "failed": SPP3 + "failed", "aborted": SPP3 + "aborted",
    "history": SPP3 + "history", "financialTransactions": SPP3 + "financial-transactions",
    "failedAttempts": SPP3 + "failed-attempts", "postPurchaseFailedAttempts": SPP3 + "post-purchase-failed-attempts",
    "orderItems": SPP3 + "order-items", "urls": SPP3 + "urls", "payeeInfo": SPP3 + "payee-info", "payer": SPP3 + "payer",
    "metadata": SPP3 + "metadata",
}
#: fields only a v3.1 payment order has (a v2 status-model order is otherwise the same shape)
SPP3_ORDER_MARKERS = ("postPurchaseFailedAttempts", "postpurchaseFailedAttempts", "viewableInstruments")

RESPONSE_SCHEMAS = (PAIWISE_CHECKOUT, PAIWISE_CUSTOMER, SPP_ORDER, SPP_ORDER_STATE, SPP_PAID, SPP_PROBLEM, SPP3_ORDER,
                    SPP3_CALLBACK, SPP3_PROBLEM, *SPP3_SUBRESOURCES.values())


def detect(instance: Any) -> str | None:
    """The response schema a payload looks like, or ``None`` when it looks like none of them."""
    if not isinstance(instance, dict):
        return None
    if "checkout_id" in instance:
        return PAIWISE_CHECKOUT
    if "customer_id" in instance and ("email" in instance or "first_name" in instance or "savedCards" in instance):
        return PAIWISE_CUSTOMER
    lower = instance.get("paymentorder")
    if lower is not None:
        # a status-model body under the lower-case key is the v3.1 create response (QUIRKS SPP3-01); v2 never
        # writes the status model under that key
        if isinstance(lower, dict) and "status" in lower and "state" not in lower:
            return SPP3_ORDER
        sub = _v3_subresource(instance)
        return sub if sub is not None else SPP_ORDER_STATE
    order = instance.get("paymentOrder")
    if isinstance(order, dict):
        if "state" in order and "status" not in order:
            return SPP_ORDER_STATE
        if "status" not in order and "state" not in order and "operations" not in instance:
            return SPP3_CALLBACK
        return SPP3_ORDER if any(k in order for k in SPP3_ORDER_MARKERS) else SPP_ORDER
    sub = _v3_subresource(instance)
    if sub is not None:
        return sub
    if "paid" in instance and (order is None or isinstance(order, str)):
        return SPP_PAID
    if isinstance(order, str) and "operations" in instance:
        return SPP_ORDER_STATE
    if "type" in instance and "title" in instance and ("status" in instance or "detail" in instance):
        return SPP3_PROBLEM if "modification" in instance else SPP_PROBLEM
    return None


def _v3_subresource(instance: dict) -> str | None:
    """A v3.1 sub-resource envelope: a parent id (or none) and one sub-resource key, no operations."""
    if "operations" in instance or "paid" in instance:
        return None
    for key in ("paymentOrder", "paymentorder", "payment"):
        if key in instance and not isinstance(instance[key], str):
            return None
    for key, name in SPP3_SUBRESOURCES.items():
        if isinstance(instance.get(key), dict):
            return name
    return None
