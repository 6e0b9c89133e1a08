"""Regressions from an adversarial review: each defect once found, pinned here."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from contracts import check
from contracts.cli import main

PAN = "4925000000000004"


def run_json(args, capsys):
    code = main(["validate", "--format", "json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out), out


def test_a_har_entry_with_a_non_string_url_is_judged_and_the_run_goes_on(tmp_path, capsys):
    har = {"log": {"entries": [{"request": {"method": "GET", "url": 5}, "response": {"status": 200, "content": {
        "mimeType": "application/json", "text": json.dumps({"checkout_id": "x", "email": "alice@example.com"})}}}]}}
    (tmp_path / "u.har").write_text(json.dumps(har))
    (tmp_path / "good.json").write_text(json.dumps({"type": "https://api.payex.com/psp/errordetail/x", "title": "t", "status": 400}))
    code, report, out = run_json([str(tmp_path / "u.har"), str(tmp_path / "good.json")], capsys)
    assert code == 1 and report["summary"]["total"] == 2 and report["summary"]["valid"] == 1
    assert "alice@example.com" not in out


def test_output_naming_an_input_is_refused_and_the_input_kept(tmp_path, capsys):
    src = tmp_path / "v.json"
    src.write_text('{"a": 1}')
    assert main(["validate", "--format", "json", "-o", str(src), str(src)]) == 2
    assert src.read_text() == '{"a": 1}'
    assert "one of the inputs" in capsys.readouterr().err


def test_rule_messages_and_duplicate_keys_never_carry_a_pan_or_email(tmp_path, capsys):
    doc = json.loads(open(os.path.join(os.path.dirname(__file__), "../../examples/paiwise/checkout-refunded.json")).read())
    doc["statusChanged"] = PAN
    doc["balance"] = int(PAN)
    text = check(doc).explain()
    assert PAN not in text
    raw = '{"checkout_id": "x", "metaData": {"alice@example.com": 1, "alice@example.com": 2}}'
    (tmp_path / "d.json").write_text(raw)
    _, report, out = run_json([str(tmp_path / "d.json")], capsys)
    assert "alice@example.com" not in out and "duplicate-key" in out


GUID = "5adc265f-f87f-4313-577e-08d3dca1a26c"


def test_file_names_and_urls_are_scrubbed(tmp_path, capsys):
    (tmp_path / f"{PAN}.json").write_text('{"hello": 1}')
    har = {"log": {"entries": [{"request": {"method": "GET", "url": "https://u:s3cret@api.payex.com/psp/paymentorders/" + GUID + "?token=abc&mail=a@example.com"},
                                "response": {"status": 200, "content": {"mimeType": "application/json", "text": '{"x": 1}'}}}]}}
    (tmp_path / "s.har").write_text(json.dumps(har))
    _, report, out = run_json([str(tmp_path)], capsys)
    assert PAN not in out and "s3cret" not in out and "token=abc" not in out and "a@example.com" not in out
    assert any(r.get("http", {}).get("url") == "https://api.payex.com/psp/paymentorders/" + GUID for r in report["results"])


def test_a_shortened_value_does_not_keep_the_card_number():
    doc = json.loads(open(os.path.join(os.path.dirname(__file__), "../../examples/swedbankpay/paid-swish.json")).read())
    doc["paid"]["transactionType"] = "z" * 44 + " " + PAN
    text = check(doc).explain()
    assert not re.search(r"[0-9]{12}", text), text


def test_a_card_number_written_as_a_float_is_found():
    assert [f.path for f in check({"checkout_id": "x", "amount": float(PAN)}, "paiwise/checkout").errors
            if f.code == "unmasked-pan"] == ["$.amount"]


def test_a_yaml_tag_that_cannot_build_its_value_loses_only_its_document(tmp_path, capsys):
    (tmp_path / "t.yaml").write_text("checkout_id: a\n---\ncheckout_id: !!int TOKSECRET-abc\n---\ncheckout_id: c\n")
    _, report, out = run_json([str(tmp_path / "t.yaml")], capsys)
    assert report["summary"]["total"] == 3 and report["summary"]["unreadable"] == 1
    assert "TOKSECRET" not in out


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_a_folder_is_skipped_not_waited_on(tmp_path):
    (tmp_path / "ok.json").write_text(json.dumps({"type": "https://api.payex.com/psp/errordetail/x", "title": "t", "status": 400}))
    os.mkfifo(tmp_path / "x.json")
    proc = subprocess.run([sys.executable, "-m", "contracts", "validate", str(tmp_path)], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0 and "1 valid" in proc.stderr + proc.stdout


def test_very_deep_nesting_is_a_finding_not_an_internal_error():
    deep: dict = {}
    node = deep
    for _ in range(300):
        node["a"] = {}
        node = node["a"]
    codes = {f.code for f in check(deep, "paiwise/checkout").errors}
    assert "internal-error" not in codes and "nesting" in codes


def test_jobs_is_bounded(capsys):
    assert main_exit(["validate", "--jobs", "300", "examples"]) == 2


def main_exit(argv):
    try:
        return main(argv)
    except SystemExit as exc:
        return exc.code


def test_control_characters_are_escaped_in_messages():
    doc = json.loads(open(os.path.join(os.path.dirname(__file__), "../../examples/swedbankpay/paid-swish.json")).read())
    doc["paid"]["transactionType"] = "x\x1b[2Ky"
    assert "\x1b" not in check(doc).explain()


def test_a_status_model_body_under_the_lower_case_key_is_judged_as_the_status_model():
    doc = json.loads(open(os.path.join(os.path.dirname(__file__), "../../examples/swedbankpay/payment-order-paid-card.json")).read())
    doc["paymentorder"] = doc.pop("paymentOrder")
    result = check(doc)
    assert result.schema == "swedbankpay/checkout-v2/payment-order"
    assert ("$.paymentOrder", "required") in {(f.path, f.code) for f in result.errors}


def test_generate_into_an_unusable_folder_is_a_one_line_usage_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main_exit(["generate", "paiwise/checkout", "--out", str(blocker / "sub")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write" in err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_report_that_cannot_be_written_is_one_line_not_a_traceback():
    proc = subprocess.run([sys.executable, "-m", "contracts", "validate", "examples", "-o", "/dev/full"],
                          capture_output=True, text=True, timeout=120, cwd=os.path.join(os.path.dirname(__file__), "../.."))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "cannot write the report" in proc.stderr


def test_a_binary_line_early_in_a_jsonl_file_costs_only_that_line(tmp_path, capsys):
    ok = json.dumps({"type": "https://api.payex.com/psp/errordetail/x", "title": "t", "status": 400})
    (tmp_path / "n.jsonl").write_bytes(f"{ok}\n".encode() + b"\x00\x01\x02\n" + f"{ok}\n".encode())
    _, report, _ = run_json([str(tmp_path / "n.jsonl")], capsys)
    assert report["summary"] == {**report["summary"], "total": 3, "valid": 2, "unreadable": 1}


def test_one_huge_payload_is_unreadable_not_a_memory_blowup(tmp_path, capsys):
    from contracts.inputs.jsonparse import MAX_RECORD_BYTES
    ok = json.dumps({"type": "https://api.payex.com/psp/errordetail/x", "title": "t", "status": 400})
    huge = json.dumps({"checkout_id": "x" * (MAX_RECORD_BYTES + 10)})
    (tmp_path / "h.jsonl").write_text(f"{ok}\n{huge}\n{ok}\n")
    _, report, _ = run_json([str(tmp_path / "h.jsonl")], capsys)
    assert (report["summary"]["valid"], report["summary"]["unreadable"]) == (2, 1)
    assert "larger than" in [r for r in report["results"] if r["verdict"] == "unreadable"][0]["reason"]
