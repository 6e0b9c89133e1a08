"""Live lifecycle scenarios: whole payment lifecycles run against an API (the bundled fake by default),
validating every response and every status transition.

The pytest plugin turns each scenario into a test item (``pytest --contracts-live paiwise=URL``); a
scenario is a function ``fn(run)`` of :class:`checkout_contracts.live.run.Run`, registered in :data:`SCENARIOS`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

PROVIDERS = ("paiwise", "swedbankpay")
TOKEN_ENV = {"paiwise": "CHECKOUT_CONTRACTS_PAIWISE_TOKEN", "swedbankpay": "CHECKOUT_CONTRACTS_SWEDBANKPAY_TOKEN"}
PAYEE_ENV = "CHECKOUT_CONTRACTS_SWEDBANKPAY_PAYEE_ID"


@dataclass(frozen=True)
class Scenario:
    provider: str
    name: str
    summary: str
    fn: Callable


SCENARIOS: list[Scenario] = []


def scenario(provider: str, name: str, summary: str) -> Callable[[Callable], Callable]:
    def register(fn: Callable) -> Callable:
        SCENARIOS.append(Scenario(provider, name, summary, fn))
        return fn
    return register


def all_scenarios() -> list[Scenario]:
    if not SCENARIOS:
        from . import paiwise, swedbankpay  # noqa: F401  (registers the scenarios)
    return list(SCENARIOS)
