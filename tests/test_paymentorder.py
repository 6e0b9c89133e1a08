"""The payment-order key's two spellings (QUIRKS SPP-PAYMENTORDER-CASE), answered in one place."""
from __future__ import annotations

import pytest

from checkout_contracts import lifecycles, paymentorder, rules, shape


@pytest.mark.parametrize("doc, expected", [
    ({"paymentOrder": {"id": "a"}}, "paymentOrder"),
    ({"paymentorder": {"id": "a"}}, "paymentorder"),
    ({"paymentOrder": "/psp/paymentorders/x", "paymentorder": {"id": "a"}}, "paymentorder"),  # an id is no object
    ({"paymentOrder": {"id": "a"}, "paymentorder": {"id": "b"}}, "paymentOrder"),            # camel case first
    ({"paymentorder": "/psp/paymentorders/x"}, None),
    ({}, None),
    (["paymentorder"], None),
])
def test_find(doc, expected):
    key, order = paymentorder.find(doc)
    assert key == expected
    assert (order is None) == (expected is None) and (order is None or order is doc[key])


def test_users_agree_on_the_spelling():
    rules.all_rules()  # load every provider's rules first (importing one provider's module alone would not)
    from checkout_contracts.rules.swedbankpay import View
    for key in paymentorder.KEYS:
        doc = {key: {"id": "/psp/paymentorders/1", "state": "Ready"}}
        assert View(doc, shape.SPP_ORDER_STATE).order_path == f"$.{key}"
        assert lifecycles.legal_step("swedbankpay-state", doc, {key: {"state": "Aborted"}})
    assert shape.detect({paymentorder.STATE_MODEL_KEY: {"state": "Ready"}}) == shape.SPP_ORDER_STATE
    assert shape.detect({paymentorder.STATUS_MODEL_KEY: {"status": "Paid"}}) == shape.SPP_ORDER
