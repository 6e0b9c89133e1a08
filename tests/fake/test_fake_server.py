"""The fake as a real HTTP server: the ``serve`` command, the background server, and a bounded loopback load
test (20 concurrent clients × 200 requests) that must end with no 5xx and every order consistent."""
from __future__ import annotations

import os
import random
import subprocess
import sys
import threading
import time
from collections import defaultdict

import pytest

requests = pytest.importorskip("requests")

from checkout_contracts import check  # noqa: E402
from checkout_contracts.fake import FakeServer  # noqa: E402
from checkout_contracts.inputs import HttpContext  # noqa: E402
from fakeharness import pw_create_body, tx  # noqa: E402

AUTH = {"Authorization": "Bearer load-test"}
CLIENTS, REQUESTS, DEADLINE_S = 20, 200, 40.0


def _judge(resp, schema: str) -> dict:
    headers = {k.lower(): v for k, v in resp.headers.items()}
    http = HttpContext(method=resp.request.method, url=resp.url, status=resp.status_code, headers=headers,
                       request_body=None)
    result = check(resp.json(), schema, http=http)
    assert result.findings == (), result.explain()
    return resp.json()


def _order_body(amount: int) -> dict:
    return {"paymentorder": {"operation": "Purchase", "currency": "SEK", "amount": amount, "vatAmount": 0,
                             "description": "load", "userAgent": "ua", "language": "sv-SE",
                             "urls": {"completeUrl": "https://x.example/done"},
                             "payeeInfo": {"payeeId": "p", "payeeReference": "ref"}}}


def test_serve_command_runs_a_real_server_and_stops_on_sigterm():
    proc = subprocess.Popen([sys.executable, "-m", "checkout_contracts", "serve", "--port", "0", "--provider", "paiwise",
                             "--token-env", "CHECKOUT_CONTRACTS_FAKE_TEST_TOKEN"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
                            env={**os.environ, "PYTHONUNBUFFERED": "1", "CHECKOUT_CONTRACTS_FAKE_TEST_TOKEN": "k3y"})
    try:
        line = proc.stderr.readline()
        assert "listening on http://127.0.0.1:" in line, line
        url = line.rsplit(" ", 1)[1].strip()
        assert requests.post(f"{url}/checkout/create", json=pw_create_body(), headers=AUTH, timeout=5).status_code == 401
        r = requests.post(f"{url}/checkout/create", json=pw_create_body(), headers={"Authorization": "Bearer k3y"},
                          timeout=5)
        _judge(r, "paiwise/checkout")
        # only Paiwise is served: the Swedbank Pay paths do not exist
        assert requests.get(f"{url}/psp/paymentorders/x", headers=AUTH, timeout=5).status_code == 404
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize("argv, message", [
    (["--port", "70000"], "--port must be between 0 and 65535"),
    (["--provider", "stripe"], "invalid choice"),
    (["--token-env", "CHECKOUT_CONTRACTS_TEST_UNSET_VAR"], "that environment variable is not set"),
])
def test_serve_usage_errors_are_one_line_exit_2(argv, message):
    env = {k: v for k, v in os.environ.items() if k != "CHECKOUT_CONTRACTS_TEST_UNSET_VAR"}
    proc = subprocess.run([sys.executable, "-m", "checkout_contracts", "serve", *argv], capture_output=True, text=True,
                          timeout=30, env=env)
    assert proc.returncode == 2
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr


def test_background_server_with_a_token_accepts_only_that_token():
    with FakeServer(token="right") as fake:
        body = pw_create_body()
        assert requests.post(f"{fake.url}/checkout/create", json=body, headers=AUTH, timeout=5).status_code == 401
        ok = requests.post(f"{fake.url}/checkout/create", json=body, headers={"Authorization": "Bearer right"},
                           timeout=5)
        assert ok.status_code == 200


def test_background_server_stops_and_frees_the_port():
    fake = FakeServer().start()
    url = fake.url
    assert requests.get(f"{url}/_fake/health", timeout=5).json()["ok"] is True
    fake.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/_fake/health", timeout=2)


def test_concurrent_load_no_5xx_and_no_lost_update():
    deadline = time.monotonic() + DEADLINE_S
    statuses: dict[int, int] = defaultdict(int)
    captured: dict[str, int] = defaultdict(int)
    refunded: dict[str, list[int]] = defaultdict(list)
    own: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()
    with FakeServer() as fake, requests.Session() as setup:
        base = fake.url
        shared_orders, shared_checkouts = [], []
        for _ in range(4):
            doc = setup.post(f"{base}/psp/paymentorders", json=_order_body(1_000_000), headers=AUTH, timeout=10).json()
            guid = doc["paymentOrder"]["id"].rsplit("/", 1)[1]
            setup.post(f"{base}/_fake/swedbankpay/paymentorders/{guid}/pay", json={"instrument": "CreditCard"}, timeout=10)
            shared_orders.append(doc["paymentOrder"]["id"])
            c = setup.post(f"{base}/checkout/create", json=pw_create_body(1_000_000), headers=AUTH, timeout=10).json()
            setup.post(f"{base}/_fake/paiwise/checkout/{c['checkout_id']}/pay", json={}, timeout=10)
            shared_checkouts.append(c["checkout_id"])

        def client(i: int) -> None:
            rng = random.Random(i)
            mine: list[str] = []
            with requests.Session() as s:
                for j in range(REQUESTS):
                    if time.monotonic() > deadline:
                        break
                    kind = j % 5
                    try:
                        if kind == 0:
                            oid, amount = rng.choice(shared_orders), rng.randint(1, 300)
                            r = s.post(f"{base}{oid}/captures", json=tx(amount), headers=AUTH, timeout=10)
                            if r.status_code == 200:
                                with lock:
                                    captured[oid] += amount
                        elif kind == 1:
                            cid, amount = rng.choice(shared_checkouts), rng.randint(1, 300)
                            r = s.post(f"{base}/checkout/refund", json={"checkout_id": cid, "amount": amount},
                                       headers=AUTH, timeout=10)
                            if r.status_code == 200:
                                with lock:
                                    refunded[cid].append(amount)
                        elif kind == 2:
                            r = s.get(f"{base}{rng.choice(shared_orders)}", headers=AUTH, timeout=10)
                        elif kind == 3 or not mine:
                            r = s.post(f"{base}/psp/paymentorders", json=_order_body(1000), headers=AUTH, timeout=10)
                            mine.append(r.json()["paymentOrder"]["id"])
                        else:
                            oid = rng.choice(mine)
                            op = rng.choice(["pay", "capture", "cancel", "reversal", "abort"])
                            if op == "pay":
                                r = s.post(f"{base}/_fake/swedbankpay/paymentorders/{oid.rsplit('/', 1)[1]}/pay",
                                           json={"instrument": rng.choice(["CreditCard", "Swish"])}, timeout=10)
                            elif op == "abort":
                                r = s.patch(f"{base}{oid}", json={"paymentorder": {"operation": "Abort"}},
                                            headers=AUTH, timeout=10)
                            else:
                                path = {"capture": "captures", "cancel": "cancellations", "reversal": "reversals"}[op]
                                r = s.post(f"{base}{oid}/{path}", json=tx(rng.randint(1, 600)), headers=AUTH,
                                           timeout=10)
                        with lock:
                            statuses[r.status_code] += 1
                    except Exception as exc:  # a transport failure is a finding, not a crash of the test thread
                        with lock:
                            errors.append(f"client {i} request {j}: {type(exc).__name__}: {exc}")
            with lock:
                own.extend(mine)

        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(CLIENTS)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=DEADLINE_S + 15)
        elapsed = time.monotonic() - started
        assert not any(t.is_alive() for t in threads), "a client thread did not stop"
        assert errors == [], errors[:5]
        total = sum(statuses.values())
        assert total >= CLIENTS * REQUESTS * 0.5, f"only {total} requests in {elapsed:.1f}s"
        assert not [s for s in statuses if s >= 500], dict(statuses)

        with requests.Session() as s:
            for oid in shared_orders:
                po = _judge(s.get(f"{base}{oid}", headers=AUTH, timeout=10), "swedbankpay/checkout-v2/payment-order")
                po = po["paymentOrder"]
                assert po["remainingCaptureAmount"] == 1_000_000 - captured[oid]
                assert po["remainingReversalAmount"] == captured[oid]
                assert po["remainingCancellationAmount"] == po["remainingCaptureAmount"]
            for cid in shared_checkouts:
                c = _judge(s.post(f"{base}/checkout/retrieve", json={"checkout_id": cid}, headers=AUTH, timeout=10),
                           "paiwise/checkout")
                assert c["balance"] == 1_000_000 - sum(refunded[cid])
                logged = [e["details"]["amountRefund"] for e in c["log"].values() if "details" in e]
                assert sorted(logged) == sorted(refunded[cid])  # one log entry per accepted refund, none lost
            for oid in own:
                doc = _judge(s.get(f"{base}{oid}", headers=AUTH, timeout=10), "swedbankpay/checkout-v2/payment-order")
                po = doc["paymentOrder"]
                if po["status"] in ("Paid", "Cancelled", "Reversed"):
                    assert po["remainingCaptureAmount"] + po["remainingReversalAmount"] <= po["amount"]
    assert sum(captured.values()) > 0 and sum(len(v) for v in refunded.values()) > 0
