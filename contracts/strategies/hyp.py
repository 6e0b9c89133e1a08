"""Hypothesis strategies: the pure builders driven by Hypothesis draws.

Every strategy is ``st.composite`` over the same builders the ``generate`` CLI drives with ``random.Random``:
choices are ``st.integers`` / ``st.sampled_from`` / ``st.booleans`` draws, so examples are valid by
construction (no ``filter``, no ``assume``) and shrink towards the first option, zero and "field absent".
Free-form parts (Paiwise ``metaData``, generic instrument ``details``, state-model ``items``) come half of
the time from a strategy built from a narrowed schema (:mod:`.freeform`).
"""
from __future__ import annotations

from typing import Any, Callable, Sequence, TypeVar

from hypothesis import strategies as st

from . import catalog, edge as _edge, freeform, lifecycle as _life, mutation as _mutants
from .draw import Draw

T = TypeVar("T")
KINDS = ("valid", "edge", "invalid", "lifecycle")


class HypothesisDraw(Draw):
    """A :class:`~.draw.Draw` over a Hypothesis ``draw`` function."""

    def __init__(self, draw: Callable[[st.SearchStrategy], Any]):
        self._draw = draw

    def int(self, lo: int, hi: int, label: str | None = None) -> int:
        return self._draw(st.integers(lo, hi))

    def choice(self, options: Sequence[T], label: str | None = None, quirks: Sequence[T] = ()) -> T:
        if len(options) == 1:
            return options[0]
        return self._draw(st.sampled_from(options))

    def flag(self, label: str | None = None) -> bool:
        return self._draw(st.booleans())

    def freeform(self, kind: str, fallback: Callable[[Draw], Any]) -> Any:
        if kind in freeform.SCHEMAS and self._draw(st.booleans()):
            return self._draw(freeform.strategy(kind))
        return fallback(self)


# ---------------------------------------------------------------- by schema name

def for_schema(name: str, kind: str = "valid", **params: Any) -> st.SearchStrategy:
    """A strategy for schema ``name`` (any of :func:`checkout_contracts.registry.names`).

    ``valid``: realistic payloads that pass ``check`` with no finding at all. ``edge``: valid payloads at the
    boundaries (every enum value, optional fields absent and present, amounts 0 and 2**31-1, limits met).
    ``invalid``: :class:`~.mutation.Mutant` objects, each broken in one labelled way. ``lifecycle``: a
    :class:`~.lifecycle.Lifecycle` — the list of snapshots one resource goes through (iterate it, or read
    ``.steps`` for event and status). ``params`` go to the builder (``status=``, ``instrument=`` …; valid and
    invalid only).
    """
    catalog.builder(name)   # UnknownSchema / LookupError early, not at draw time
    if kind == "valid":
        catalog.build(name, _Probe(), **params) if params else None   # TypeError now for a wrong parameter
        return st.composite(lambda draw: catalog.build(name, HypothesisDraw(draw), **params))()
    if kind == "edge":
        _no_params(kind, params)
        targets = _edge.targets(name)
        return st.composite(lambda draw: _edge.build_edge(
            name, HypothesisDraw(draw), targets[draw(st.integers(0, len(targets) - 1))]))()
    if kind == "invalid":
        code = params.pop("code", None)
        return st.composite(lambda draw: _mutate(name, draw, code, params))()
    if kind == "lifecycle":
        _no_params(kind, params)
        return st.composite(lambda draw: _life.lifecycle_for(name, HypothesisDraw(draw)))()
    raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")


def _mutate(name: str, draw: Callable, code: str | None, params: dict) -> _mutants.Mutant:
    d = HypothesisDraw(draw)
    if code is not None:
        return _mutants.mutate_kind(name, d, code, **params)
    if not params and d.int(0, 3) == 0:   # now and then break a boundary payload (richer: every part present)
        return _mutants.mutate(name, _edge.build_edge(name, d, d.int(0, len(_edge.targets(name)) - 1)), d)
    return _mutants.mutate(name, catalog.build(name, d, **params), d)


def _no_params(kind: str, params: dict) -> None:
    if params:
        raise TypeError(f"kind={kind!r} takes no builder parameters; got {', '.join(params)}")


class _Probe(Draw):
    """Draws the first option everywhere: used once to check parameters before any test runs."""

    def int(self, lo: int, hi: int, label: str | None = None) -> int:
        return lo


# ---------------------------------------------------------------- named strategies

def paiwise_checkout(status: str | None = None, capture: bool | None = None,
                     with_customer: bool | None = None) -> st.SearchStrategy[dict]:
    """A Paiwise checkout object; ``status`` one of the nine statuses, ``capture`` the create flag,
    ``with_customer`` whether it embeds a customer."""
    return for_schema("paiwise/checkout", status=status, capture=capture, with_customer=with_customer)


def paiwise_customer() -> st.SearchStrategy[dict]:
    return for_schema("paiwise/customer")


def paiwise_request(endpoint: str) -> st.SearchStrategy[dict]:
    """A request body: ``create``, ``retrieve``, ``capture``, ``refund``, ``update``, ``delete``,
    ``create-customer``, ``retrieve-customer`` or ``delete-customer``."""
    return for_schema(f"paiwise/requests/{endpoint}")


def swedbankpay_payment_order(status: str | None = None, instrument: str | None = None) -> st.SearchStrategy[dict]:
    """A payment-order response; ``status`` Initialized/Paid/Failed/Cancelled/Aborted/Reversed, ``instrument``
    the payment method (CreditCard, Swish, …)."""
    return for_schema("swedbankpay/checkout-v2/payment-order", status=status, instrument=instrument)


def swedbankpay_payment_order_state(state: str | None = None) -> st.SearchStrategy[dict]:
    return for_schema("swedbankpay/checkout-v2/payment-order-state", state=state)


def swedbankpay_paid(instrument: str | None = None) -> st.SearchStrategy[dict]:
    """The ``GET {paymentOrder.id}/paid`` response: ``{"paymentOrder": id, "paid": {...}}``."""
    return for_schema("swedbankpay/checkout-v2/paid", instrument=instrument)


def swedbankpay_paid_resource(instrument: str | None = None) -> st.SearchStrategy[dict]:
    return for_schema("swedbankpay/checkout-v2/paid-resource", instrument=instrument)


def swedbankpay_problem(status: int | None = None) -> st.SearchStrategy[dict]:
    """A problem body; ``status`` one of the documented HTTP statuses (400, 401, 403, 404, 409, 422, 500, 502, 503)."""
    return for_schema("swedbankpay/checkout-v2/problem", status=status)


def swedbankpay_operation(rel: str | None = None) -> st.SearchStrategy[dict]:
    return for_schema("swedbankpay/checkout-v2/operation", rel=rel)


def swedbankpay_token() -> st.SearchStrategy[dict]:
    return for_schema("swedbankpay/checkout-v2/token")


def swedbankpay_headers() -> st.SearchStrategy[dict]:
    return for_schema("swedbankpay/checkout-v2/headers")


def edge_cases(name: str) -> st.SearchStrategy:
    return for_schema(name, "edge")


def mutants(name: str, code: str | None = None, **params: Any) -> st.SearchStrategy[_mutants.Mutant]:
    """Broken payloads of ``name``: :class:`~.mutation.Mutant` (``code`` keeps one kind: ``enum``, ``required``,
    ``unmasked-pan``, a rule id …)."""
    return for_schema(name, "invalid", code=code, **params)


def paiwise_lifecycle(path: str | None = None, with_customer: bool | None = None) -> st.SearchStrategy:
    """A checkout's life (:data:`~.lifecycle.PAIWISE_PATHS` names the routes)."""
    return st.composite(lambda draw: _life.paiwise_lifecycle(HypothesisDraw(draw), path=path,
                                                             with_customer=with_customer)[0])()


def swedbankpay_lifecycle(path: str | None = None, instrument: str | None = None) -> st.SearchStrategy:
    """A payment order's life (:data:`~.lifecycle.SPP_PATHS` names the routes)."""
    return st.composite(lambda draw: _life.swedbankpay_lifecycle(HypothesisDraw(draw), path=path,
                                                                 instrument=instrument)[0])()
