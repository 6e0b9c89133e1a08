"""No report format ever echoes a full card number; ``validate`` never imports Hypothesis; the shipped
captures validate clean."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from validate_helpers import EXAMPLES, ROOT, card_order, compact

PAN = "4925000000000004"


@pytest.fixture
def pan_payloads(tmp_path):
    doc = card_order()
    details = doc["paymentOrder"]["paid"]["details"]
    details["maskedPan"] = PAN                                   # a full PAN where a masked one belongs
    doc["paymentOrder"]["description"] = f"card {PAN}"           # in free text
    doc["paymentOrder"]["paid"]["instrument"] = PAN              # as a value outside an open enum (drift)
    doc[PAN] = {"note": "4925 0000 0000 0004"}                   # as an unknown key, grouped in a value
    doc["paymentOrder"]["payeeInfo"]["id"] = int(PAN)            # as a JSON number
    (tmp_path / "order.json").write_text(compact(doc))
    (tmp_path / "day.jsonl").write_text(compact(doc) + "\n" + compact(doc)[:-30] + "\n")
    har = {"log": {"version": "1.2", "entries": [{
        "request": {"method": "GET", "url": f"https://api.payex.com/psp/paymentorders?pan={PAN}"},
        "response": {"status": 200, "headers": [], "content": {"mimeType": "application/json", "text": compact(doc)}},
    }]}}
    (tmp_path / "session.har").write_text(json.dumps(har))
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "json", "junit", "github"])
def test_no_full_card_number_in_any_format(pan_payloads, validate, fmt):
    ran = validate(pan_payloads, "--format", fmt, "--drift-report", "--show-warnings")
    assert ran.rc == 1
    assert "unmasked-pan" in ran.out  # it was found …
    for shown in (PAN, "4925 0000 0000 0004"):
        assert shown not in ran.out + ran.err  # … and never shown


def test_validate_does_not_import_hypothesis():
    code = ("import sys; from checkout_contracts.cli import main; "
            f"rc = main(['validate', '--jobs', '1', {str(EXAMPLES)!r}]); "
            "assert 'hypothesis' not in sys.modules, 'hypothesis imported'; "
            "assert rc == 0, rc")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr


def test_shipped_captures_validate_clean(validate):
    report = validate(EXAMPLES / "captures", "--format", "json").json()
    s = report["summary"]
    assert (s["total"], s["valid"], s["invalid"], s["unreadable"]) == (27, 27, 0, 0)
    assert s["skipped_non_json"] == 1  # the HAR's script entry
    by_source = {}
    for r in report["results"]:
        by_source.setdefault(r["source"].rsplit("/", 1)[1], []).append(r)
    assert len(by_source["swedbankpay-2024-05-14.jsonl"]) == 20
    cassette = by_source["paiwise-checkout-flow.yaml"]
    assert [(r["http"]["method"], r["schema"]) for r in cassette] == [
        ("POST", "paiwise/checkout"), ("POST", "paiwise/checkout"), ("POST", "paiwise/checkout"),
        ("GET", "swedbankpay/checkout-v2/payment-order")]
    har = by_source["swedbankpay-browser-session.har"]
    assert [(r["record"], r["schema"]) for r in har] == [
        (1, "swedbankpay/checkout-v2/payment-order"), (3, "swedbankpay/checkout-v2/paid"),  # 3: base64 body
        (4, "swedbankpay/checkout-v2/payment-order")]


def test_examples_folder_is_all_valid(validate):
    ran = validate(EXAMPLES, "--format", "json")
    assert ran.rc == 0
    s = ran.json()["summary"]
    assert s["total"] == s["valid"] > 50
