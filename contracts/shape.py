"""Which schema a payload is, judged from its shape alone (when nobody said)."""
from __future__ import annotations

from typing import Any

PAIWISE_CHECKOUT = "paiwise/checkout"
PAIWISE_CUSTOMER = "paiwise/customer"
SPP_ORDER = "swedbankpay/checkout-v2/payment-order"
SPP_ORDER_STATE = "swedbankpay/checkout-v2/payment-order-state"
SPP_PAID = "swedbankpay/checkout-v2/paid"
SPP_PROBLEM = "swedbankpay/checkout-v2/problem"

RESPONSE_SCHEMAS = (PAIWISE_CHECKOUT, PAIWISE_CUSTOMER, SPP_ORDER, SPP_ORDER_STATE, SPP_PAID, SPP_PROBLEM)


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
        # a status-model body under the lower-case key is a status-model body with a misspelt key
        is_status_model = isinstance(lower, dict) and "status" in lower and "state" not in lower
        return SPP_ORDER if is_status_model else SPP_ORDER_STATE
    order = instance.get("paymentOrder")
    if isinstance(order, dict):
        return SPP_ORDER_STATE if "state" in order and "status" not in order else SPP_ORDER
    if "paid" in instance and (order is None or isinstance(order, str)):
        return SPP_PAID
    if isinstance(order, str) and "operations" in instance:
        return SPP_ORDER_STATE
    if "type" in instance and "title" in instance and ("status" in instance or "detail" in instance):
        return SPP_PROBLEM
    return None
