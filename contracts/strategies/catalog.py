"""Which builder makes a valid instance of which schema (every name in :func:`checkout_contracts.registry.names`)."""
from __future__ import annotations

import random
from typing import Any, Callable

from .. import registry
from . import paiwise as PW, spp_state_model, spp_v3, swedbankpay as SP
from .draw import Draw, as_draw

SPP = "swedbankpay/checkout-v2/"

Builder = Callable[..., Any]

BUILDERS: dict[str, Builder] = {
    "paiwise/checkout": PW.checkout,
    "paiwise/customer": PW.customer,
    "paiwise/requests/create": PW.create_request,
    "paiwise/requests/retrieve": PW.checkout_id_request,
    "paiwise/requests/capture": PW.checkout_id_request,
    "paiwise/requests/refund": PW.refund_request,
    "paiwise/requests/update": PW.update_request,
    "paiwise/requests/delete": PW.checkout_id_request,
    "paiwise/requests/create-customer": PW.create_customer_request,
    "paiwise/requests/retrieve-customer": PW.customer_id_request,
    "paiwise/requests/delete-customer": PW.customer_id_request,
    SPP + "payment-order": SP.payment_order,
    SPP + "payment-order-state": spp_state_model.payment_order_state,
    SPP + "paid": SP.paid_response,
    SPP + "paid-resource": SP.paid_resource_alone,
    SPP + "problem": SP.problem,
    SPP + "operation": SP.operation_object,
    SPP + "token": SP.token_object,
    SPP + "headers": SP.headers,
    **spp_v3.BUILDERS,  # every swedbankpay/checkout-v3/* schema: one schema-driven builder
}

#: the keyword parameters each builder takes (for the named strategies and error messages)
PARAMS: dict[str, tuple[str, ...]] = {
    "paiwise/checkout": ("status", "capture", "with_customer"),
    SPP + "payment-order": ("status", "instrument"),
    SPP + "payment-order-state": ("state", "authorized"),
    SPP + "paid": ("instrument",),
    SPP + "paid-resource": ("instrument",),
    SPP + "problem": ("status",),
    SPP + "operation": ("rel",),
    **spp_v3.PARAMS,
}


def _choices() -> dict[tuple[str, str], tuple]:
    """The values a text parameter may take (an unknown one is a ValueError, never a silently ignored wish)."""
    from .. import lifecycles as machine
    from .spp_paid import INSTRUMENTS
    instruments = INSTRUMENTS
    return {
        ("paiwise/checkout", "status"): machine.PAIWISE_STATUSES,
        (SPP + "payment-order", "status"): machine.SPP_STATUSES,
        (SPP + "payment-order", "instrument"): instruments,
        (SPP + "payment-order-state", "state"): machine.SPP_STATE_MODEL_STATES,
        (SPP + "paid", "instrument"): instruments,
        (SPP + "paid-resource", "instrument"): instruments,
        (SPP + "operation", "rel"): tuple(machine.OPERATIONS),
        **{(n, "status"): spp_v3.STATUS_OF.get(n, spp_v3.STATUSES) for n in spp_v3.ORDERS},
        **{(n, "instrument"): spp_v3.INSTRUMENTS for n, ps in spp_v3.PARAMS.items() if "instrument" in ps},
    }


def provider(name: str) -> str:
    return name.split("/", 1)[0]


def builder(name: str) -> Builder:
    registry.get(name)  # UnknownSchema (with the list of names) for a name that does not exist
    try:
        return BUILDERS[name]
    except KeyError:  # a schema added to schemas/ without a builder: say so plainly
        raise LookupError(f"no generator for schema {name!r} yet (contracts/strategies/catalog.py)") from None


def build(name: str, d: Draw | random.Random | int | None = None, **params: Any) -> Any:
    """A valid instance of ``name``; ``params`` as in :data:`PARAMS` (unknown ones are a TypeError)."""
    fn = builder(name)
    allowed = PARAMS.get(name, ())
    extra = [k for k in params if k not in allowed]
    if extra:
        raise TypeError(f"{name} takes {', '.join(allowed) or 'no parameters'}; not {', '.join(extra)}")
    choices = _choices()
    for key, value in params.items():
        known = choices.get((name, key))
        if known is not None and value is not None and value not in known:
            raise ValueError(f"unknown {key} {value!r} for {name}; known: {', '.join(map(str, known))}")
    return fn(as_draw(d), **{k: v for k, v in params.items() if v is not None})
