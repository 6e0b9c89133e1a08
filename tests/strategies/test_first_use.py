"""Every public strategy passes Hypothesis's default health checks on its first use in a fresh process (no
warm-up: a ``too_slow`` there is what a user's first ``@given`` test meets). One subprocess per strategy, a few
at a time."""
from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest

import checkout_contracts.strategies as strategies

# each public strategy function, called as a user would (the required arguments filled in)
CALLS = {
    "paiwise_checkout": "()", "paiwise_customer": "()", "paiwise_request": "('create')",
    "swedbankpay_payment_order": "()", "swedbankpay_payment_order_state": "()", "swedbankpay_paid": "()",
    "swedbankpay_paid_resource": "()", "swedbankpay_problem": "()", "swedbankpay_operation": "()",
    "swedbankpay_token": "()", "swedbankpay_headers": "()", "edge_cases": "('swedbankpay/checkout-v2/payment-order')",
    "mutants": "('paiwise/checkout')", "paiwise_lifecycle": "()", "swedbankpay_lifecycle": "()",
    **{f"for_schema:{kind}": f"('swedbankpay/checkout-v2/payment-order-state', {kind!r})"
       for kind in strategies.KINDS},
}

SCRIPT = """
from hypothesis import given, settings
from {pkg} import strategies
strategy = getattr(strategies, {name!r}){args}
seen = []
@settings(database=None)   # the defaults otherwise: every health check on, the default example count
@given(strategy)
def test(value):
    seen.append(value)
test()
assert seen
"""


def test_every_public_strategy_function_is_covered():
    public = {n for n in strategies._HYPOTHESIS if n not in ("HypothesisDraw", "KINDS")}
    assert public == {key.split(":")[0] for key in CALLS}


def _run(key: str) -> tuple[str, int, str]:
    name = key.split(":")[0]
    code = SCRIPT.format(pkg=strategies.__name__.rsplit(".", 1)[0], name=name, args=CALLS[key])
    env = {k: v for k, v in os.environ.items() if not k.startswith("HYPOTHESIS")}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300)
    return key, proc.returncode, proc.stderr[-1500:]


@pytest.mark.slow
def test_first_use_in_a_fresh_process_passes_the_default_health_checks():
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_run, CALLS))
    failed = [f"{key}: {err}" for key, rc, err in results if rc != 0]
    assert not failed, "\n\n".join(failed)
