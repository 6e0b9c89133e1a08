"""The fake server under hostile clients (issue 12 item 10): a body is bounded however it is framed, a silent
connection is closed, connections (threads) are bounded, and a bad Paiwise amount gets the error shape."""
from __future__ import annotations

import json
import socket
import threading
import time

import pytest
import requests

from checkout_contracts.fake import server as fake_server
from checkout_contracts.fake.app import MAX_BODY
from checkout_contracts.fake.server import FakeServer

CREATE = {"currency": "SEK", "message": "m", "returnUrl": "https://shop.example/r",
          "returnUrlCancel": "https://shop.example/c"}
AUTH = {"Authorization": "Bearer t"}


def _connect(fake: FakeServer) -> socket.socket:
    return socket.create_connection((fake.host, fake.port), timeout=10)


def _response(sock: socket.socket, until: bytes | None = None) -> bytes:
    """What the server sends until it closes the connection or ``until`` arrives (bounded: 1 MiB)."""
    data = b""
    while len(data) < 1 << 20 and not (until and until in data):
        try:
            chunk = sock.recv(65536)
        except OSError:
            break
        if not chunk:
            break
        data += chunk
    return data


def test_a_chunked_body_over_the_bound_is_refused_without_reading_it_whole():
    with FakeServer() as fake, _connect(fake) as sock:
        sock.sendall(b"POST /checkout/create HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer t\r\n"
                     b"Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
        piece = b"x" * 65536
        sent = 0
        try:  # at most 8 MiB: the server answers once it has read MAX_BODY + 1
            while sent < 8 * MAX_BODY:
                sock.sendall(b"%x\r\n%s\r\n" % (len(piece), piece))
                sent += len(piece)
                if sent > 2 * MAX_BODY:
                    break
        except OSError:
            pass  # the server may close after answering
        head = _response(sock, until=b"too large")
    assert head.startswith(b"HTTP/1.1 400") and b"too large" in head


def test_a_silent_connection_is_closed(monkeypatch):
    monkeypatch.setattr(fake_server, "IDLE_TIMEOUT", 0.5)
    with FakeServer() as fake, _connect(fake) as sock:
        sock.sendall(b"POST /checkout/create HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")  # stalls
        started = time.monotonic()
        sock.settimeout(10)
        data = b""
        while True:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        assert time.monotonic() - started < 8  # closed by the server, not by our own timeout


def test_connections_beyond_the_bound_get_503_and_threads_stay_bounded(monkeypatch):
    monkeypatch.setattr(fake_server, "IDLE_TIMEOUT", 5.0)
    before = threading.active_count()
    with FakeServer(max_connections=4) as fake:
        stalled = [_connect(fake) for _ in range(4)]
        for s in stalled:
            s.sendall(b"GET /_fake/health HTTP/1.1\r\n")  # headers never end
        time.sleep(0.3)
        extra = [_connect(fake) for _ in range(20)]
        answers = [_response(s) for s in extra]
        assert all(a.startswith(b"HTTP/1.1 503") for a in answers), answers[:2]
        assert threading.active_count() <= before + 1 + 4 + 1
        for s in stalled + extra:
            s.close()
        time.sleep(0.3)
        assert requests.get(f"{fake.url}/_fake/health", timeout=10).status_code == 200  # slots came back


@pytest.mark.parametrize("amount", ["1000.0", "1e300", str(2 ** 64 - 1), str(2 ** 63), "-1"])
def test_paiwise_create_refuses_a_bad_amount_in_the_error_shape(amount):
    body = json.dumps(CREATE)[:-1] + f', "amount": {amount}}}'
    with FakeServer() as fake:
        r = requests.post(f"{fake.url}/checkout/create", data=body, headers={**AUTH, "Content-Type": "application/json"},
                          timeout=10)
    assert r.status_code == 400
    shape = r.json()
    assert set(shape) == {"name", "message", "code", "status"} and shape["status"] == 400
    assert "$.amount" in shape["message"]


def test_paiwise_whole_amounts_stay_integers_through_a_partial_refund():
    with FakeServer() as fake:
        post = lambda path, body: requests.post(f"{fake.url}{path}", json=body, headers=AUTH, timeout=10)
        c = post("/checkout/create", {**CREATE, "amount": 2 ** 62}).json()
        assert type(c["amount"]) is int
        assert post(f"/_fake/paiwise/checkout/{c['checkout_id']}/pay", {}).status_code == 200
        r = post("/checkout/refund", {"checkout_id": c["checkout_id"], "amount": 100})
        assert r.status_code == 200 and r.json()["status"] == "partialRefund" and r.json()["balance"] == 2 ** 62 - 100
