"""Hostile input never raises and never hits the last-resort 'internal error' path."""
from __future__ import annotations

import gzip
import io
import json

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkout_contracts.inputs import Record, read_stream

HAR = json.dumps({"log": {"entries": [
    {"request": {"method": "POST", "url": "https://api.paiwise.com/checkout/create", "postData": {"text": "{}"}},
     "response": {"status": 200, "headers": [{"name": "Content-Type", "value": "application/json"}],
                  "content": {"mimeType": "application/json", "text": '{"a": [1, {"b": "c"}]}'}}},
    {"request": {"method": "GET", "url": "https://x/"},
     "response": {"status": 200, "content": {"mimeType": "text/html", "text": "<p>"}}},
]}}, indent=1).encode()
CASSETTE = yaml.dump({"interactions": [
    {"request": {"method": "GET", "uri": "https://x/psp/paymentorders", "body": None, "headers": {}},
     "response": {"status": {"code": 200}, "headers": {"Content-Type": ["application/json"], "Content-Encoding": ["gzip"]},
                  "body": {"string": gzip.compress(b'{"paymentOrder": {"id": 1}}')}}}], "version": 1}).encode()
SAMPLES = [HAR, CASSETTE, b'{"a": 1, "b": [true, null, "x"]}', b'{"a": 1}\n{"b": 2}\n', b"a: 1\n---\nb: [1, 2]\n",
           gzip.compress(b'{"a": 1}\n{"b": 2}\n')]
NAMES = [None, "x.json", "x.jsonl", "x.yaml", "x.har", "x.json.gz", "x.txt"]


def _check(data: bytes, name: str | None) -> None:
    recs = list(read_stream(io.BytesIO(data), "fuzz", name=name))
    for rec in recs:
        assert isinstance(rec, Record)
        kept_for_request = rec.data is None and rec.http is not None and (
            rec.http.request_body is not None or rec.http.request_text is not None)  # a non-JSON response
        if rec.error is None:  # a JSON object, or a non-JSON response kept for its request body
            assert isinstance(rec.data, dict) or kept_for_request
        else:  # unreadable — also when a request body came with it (a HAR entry without its response body)
            assert rec.data is None
        assert rec.error is None or ("internal error" not in rec.error and "\n" not in rec.error), rec.error


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=300), name=st.sampled_from(NAMES))
def test_random_bytes(data, name):
    _check(data, name)


@st.composite
def mutated(draw):
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        if kind == "flip":
            data[at] = draw(st.integers(0, 255))
        elif kind == "cut":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from([b"{", b"[", b"\"", b",", b"\\", b"\x00", b"\n", b"- ", b": ", b"\xff", b"*a", b"&a "]))
        else:
            del data[at : at + draw(st.integers(1, 20))]
    return bytes(data)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated(), name=st.sampled_from(NAMES))
def test_mutated_samples(data, name):
    _check(data, name)
