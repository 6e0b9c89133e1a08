"""Regressions from an adversarial review: each defect once found, pinned here."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checkout_contracts import check
from checkout_contracts.cli import main

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
    proc = subprocess.run([sys.executable, "-m", "checkout_contracts", "validate", str(tmp_path)], capture_output=True,
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


def test_a_status_model_body_under_the_lower_case_key_is_judged_as_the_v3_order():
    """Only the v3.1 create response writes the status model under ``paymentorder`` (QUIRKS SPP3-01); v2 never does,
    so an unnamed body of that shape is a v3.1 order; named as v2 it is still a missing ``paymentOrder``."""
    doc = json.loads(open(os.path.join(os.path.dirname(__file__), "../../examples/swedbankpay/payment-order-paid-card.json")).read())
    doc["paymentorder"] = doc.pop("paymentOrder")
    assert check(doc).schema == "swedbankpay/checkout-v3/payment-order"
    result = check(doc, "swedbankpay/checkout-v2/payment-order")
    assert ("$.paymentOrder", "required") in {(f.path, f.code) for f in result.errors}


def test_generate_into_an_unusable_folder_is_a_one_line_usage_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    assert main_exit(["generate", "paiwise/checkout", "--out", str(blocker / "sub")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write" in err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_report_that_cannot_be_written_is_one_line_not_a_traceback():
    proc = subprocess.run([sys.executable, "-m", "checkout_contracts", "validate", "examples", "-o", "/dev/full"],
                          capture_output=True, text=True, timeout=120, cwd=os.path.join(os.path.dirname(__file__), "../.."))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr and "cannot write the report" in proc.stderr


def test_a_binary_line_early_in_a_jsonl_file_costs_only_that_line(tmp_path, capsys):
    ok = json.dumps({"type": "https://api.payex.com/psp/errordetail/x", "title": "t", "status": 400})
    (tmp_path / "n.jsonl").write_bytes(f"{ok}\n".encode() + b"\x00\x01\x02\n" + f"{ok}\n".encode())
    _, report, _ = run_json([str(tmp_path / "n.jsonl")], capsys)
    assert report["summary"] == {**report["summary"], "total": 3, "valid": 2, "unreadable": 1}


def test_one_huge_payload_is_unreadable_not_a_memory_blowup(tmp_path, capsys):
    from checkout_contracts.inputs.jsonparse import MAX_RECORD_BYTES
    ok = json.dumps({"type": "https://api.payex.com/psp/errordetail/x", "title": "t", "status": 400})
    huge = json.dumps({"checkout_id": "x" * (MAX_RECORD_BYTES + 10)})
    (tmp_path / "h.jsonl").write_text(f"{ok}\n{huge}\n{ok}\n")
    _, report, _ = run_json([str(tmp_path / "h.jsonl")], capsys)
    assert (report["summary"]["valid"], report["summary"]["unreadable"]) == (2, 1)
    assert "larger than" in [r for r in report["results"] if r["verdict"] == "unreadable"][0]["reason"]


# ---- a second review (leak hunt): each finding pinned ------------------------------------------------------
EMAIL = "alice.secret@example.com"
PAID = json.loads(open(os.path.join(os.path.dirname(__file__), "..", "..", "examples", "swedbankpay",
                                    "paid-swish.json")).read())


@pytest.mark.parametrize("key", [f"card_{PAN}", f"_{PAN}", f"x_{PAN}"])
def test_a_card_number_inside_an_identifier_like_key_is_masked_in_paths(tmp_path, capsys, key):
    doc = json.loads(json.dumps(PAID))
    doc["paid"][key] = 1
    (tmp_path / "k.json").write_text(json.dumps(doc))
    for fmt in ("json", "text", "junit", "github"):
        main(["validate", "--format", fmt, "--show-warnings", "--drift-report", str(tmp_path / "k.json")])
        out = capsys.readouterr().out
        assert PAN not in out and "unmasked-pan" in out, fmt


@pytest.mark.parametrize("url, secret", [
    (f"https://shop.example.com/api/customers/{EMAIL.replace('@', '%40')}/checkout", "secret%40example"),
    ("https://shop.example.com/api/cards/4925%200000%200000%200004", "4925%200000"),
    ("https://shop.example.com/api/checkout;paymentToken=Zq9TOKENxK7abc", "Zq9TOKEN"),
])
def test_recorded_urls_are_printed_decoded_scrubbed_and_without_parameters(tmp_path, capsys, url, secret):
    har = {"log": {"entries": [{"request": {"method": "GET", "url": url}, "response": {
        "status": 200, "content": {"mimeType": "application/json", "text": json.dumps({"x": 1})}}}]}}
    (tmp_path / "u.har").write_text(json.dumps(har))
    # --strict-routes: fails (no provider route) and its URL printed, not skipped
    _, report, out = run_json([str(tmp_path / "u.har"), "--strict-routes"], capsys)
    from checkout_contracts import routes
    routes.configure()  # the CLI ran in this process: back to the default routing
    assert secret not in out and PAN not in out and EMAIL not in out
    assert report["results"][0]["http"]["url"].startswith("https://shop.example.com/api/")


@pytest.mark.parametrize("text, reported", [
    ("card 4925 0000 0000 0004 expired", 1),
    ("4925 0000 0000 0004 4111 1111 1111 1111", 2),          # two in a row: each reported
    ("x 4925-0000-0000-0004-4111-1111-1111-1111 y", 2),
    ("4925 0000 0000 0000 004", 1),                          # 19 digits, 4-4-4-4-3
    ("Amex 3782 822463 10005.", 1),                          # 4-6-5
    ("Diners 3622 720627 1667", 1),                          # 4-6-4
    ("amount 100 4111 1111 1111 1111", 1),                   # after a shorter number
    ("2024-05-14 4111-1111-1111-1111", 1),                   # after a date
    ("card 4111 1111 1111 1111 12/26", 1),                   # followed by its expiry
    ("card 4111 1111 1111 1111 123", 1),                     # followed by its CVC
    ("3782 822463 10005 12/26", 1),
    ("4111-1111-1111-1111 5555-5555-5555-4444", 2),          # two in a row, separators mixed
    ("1000 4111 1111 1111 1111", 0),                         # inside a run of five groups: masked only
    ("IBAN SE47 3862 5355 0299 2148 9227", 0),               # groups inside an IBAN
    ("IBAN DE89 3704 0044 0532 0130 00", 0),
    ("ref 4111 1111 1111 1111 2222", 0),                     # a 20-digit grouped reference
    ("amount 44.675000000000004", 0),                        # float noise in a decimal string
    ("EAN 5901234123457", 0),                                # a 13-digit barcode
])
def test_grouped_card_numbers_are_reported_when_they_stand_alone_and_always_masked(text, reported):
    from checkout_contracts.redact import find_pans, scrub
    doc = json.loads(json.dumps(PAID))
    doc["paid"]["orderReference"] = text
    pans = [f for f in check(doc).findings if f.code == "unmasked-pan"]
    assert [f.path for f in pans] == ["$.paid.orderReference"] * bool(reported)
    if reported:
        assert pans[0].message.startswith("this value holds " + ("a full card number" if reported == 1 else "2 full"))
    shown = scrub(text)
    assert not find_pans(shown)  # whatever could be a card number is masked in messages, reported or not
    if reported:
        assert not re.search(r"[0-9]{4}[ -][0-9]{4,6}[ -][0-9]{4}[ -]?[0-9]", shown)


def test_the_card_scan_walks_any_mapping_or_sequence_and_whole_number_decimals():
    from collections import OrderedDict
    from decimal import Decimal
    from checkout_contracts import cardscan
    found = cardscan.scan(OrderedDict(message=f"card {PAN}", meta={"n": Decimal(PAN), "t": (1, PAN)},
                                      skip=[Decimal("NaN"), float("inf"), True]))
    assert sorted(f.path for f in found) == ["$.message", "$.meta.n", "$.meta.t[1]"]


@pytest.mark.parametrize("raw", [b'{"a": "\\u0034111111111111111"}', b'{"a": 4.925000000000004e15}',
                                 b'{"a": 4.925000000000004E+15}', b'{"a": "4111\\u00201111\\u00201111\\u00201111"}'])
def test_the_byte_precheck_never_skips_escaped_digits_or_exponent_floats(raw):
    import orjson
    from checkout_contracts import cardscan
    assert [f.code for f in cardscan.scan(orjson.loads(raw), raw)] == ["unmasked-pan"]


@pytest.mark.parametrize("digits", ["4000000000000000006"[:18], "6759640000000000009"[:19], "5900000000000000",
                                    "8100000000000000", "8200000000000000", "3095000000000000", "1800000000000000"[:15],
                                    "2131000000000000"[:15], "9792000000000000", "2205000000000000", "8600000000000000",
                                    "9860000000000000", "100000000000000", "3100000000000000000"])
def test_the_issuer_ranges_cover_the_schemes_a_reviewer_named(digits):
    from checkout_contracts.redact import in_card_range
    assert in_card_range(digits), digits


def test_a_file_name_that_is_not_utf8_is_shown_escaped_not_a_traceback(tmp_path, capsys):
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"\xfe.json"), "wb") as fh:
        fh.write(json.dumps(PAID).encode())
    code, report, out = run_json([str(tmp_path)], capsys)
    assert code == 0 and report["results"][0]["source"].endswith("\\udcfe.json")
    assert main(["validate", "--jobs", "1", "-o", str(tmp_path / "r.txt"), str(tmp_path)]) == 0


def test_the_drift_report_and_directory_errors_scrub_file_names(tmp_path, capsys):
    doc = json.loads(json.dumps(PAID))
    doc["paid"]["newField"] = 1
    (tmp_path / f"{EMAIL}.json").write_text(json.dumps(doc))
    _, report, out = run_json(["--drift-report", str(tmp_path)], capsys)
    assert report["drift"]["unknown_fields"] and EMAIL not in out


def test_a_folder_that_cannot_be_listed_is_reported_with_its_name_scrubbed(tmp_path, capsys, monkeypatch):
    from checkout_contracts import bulk

    def walk(root, passed_over=None, exclude=frozenset()):  # root cannot chmod a folder shut: fake the walk
        yield os.path.join(root, PAN), PermissionError(13, "Permission denied")
    monkeypatch.setattr(bulk.plan, "walk", walk)
    code, report, out = run_json(["--jobs", "1", str(tmp_path)], capsys)
    assert code == 1 and report["summary"]["unreadable"] == 1 and "cannot read directory" in out
    assert PAN not in out


def test_a_python_object_that_is_no_json_value_is_a_finding_not_a_traceback():
    import datetime
    doc = json.loads(json.dumps(PAID))
    doc["paid"]["details"]["created"] = datetime.date(2024, 5, 14)
    doc["paid"]["payeeReference"] = EMAIL
    result = check(doc, "swedbankpay/checkout-v2/paid")
    assert [(f.path, f.code) for f in result.errors] == [("$", "not-json")]
    assert "date" in result.errors[0].message and EMAIL not in result.explain()


def test_a_live_step_never_quotes_a_body_that_is_not_json():
    from checkout_contracts.live.client import Exchange
    from checkout_contracts.live.run import _excerpt
    ex = Exchange("GET", "http://x/psp", 500, {"content-type": "text/plain"},
                  b'{"paymentOrder": {"nonPaymentToken": "Zq9TOKENxK7abc", "x": "' + PAN.encode() + b'"}, }',
                  parse_error="syntax error: trailing comma")
    text = _excerpt(ex)
    assert "Zq9TOKEN" not in text and PAN[:8] not in text and "bytes of text/plain, not JSON" in text


def test_the_fake_server_log_drops_query_strings(caplog):
    import logging
    import urllib.error
    import urllib.request
    from checkout_contracts.fake import FakeServer
    caplog.set_level(logging.INFO, logger="werkzeug")
    with FakeServer(quiet=False) as fake:
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(f"{fake.url}/psp/paymentorders/x?email={EMAIL}&card={PAN}")
    err = caplog.text
    assert "/psp/paymentorders/x HTTP/1.1" in err and EMAIL not in err and PAN not in err


def test_a_response_label_in_assertion_messages_never_shows_an_email_or_card_number_from_its_url():
    from types import SimpleNamespace
    from checkout_contracts.live.responses import label
    url = f"https://api.paiwise.com/checkout/retrieve/{EMAIL}/{PAN}?token=abc"
    response = SimpleNamespace(status_code=502, headers={}, content=b"<html>",
                               request=SimpleNamespace(method="POST", url=url))
    shown = label(response)
    assert shown.startswith("POST https://api.paiwise.com/checkout/retrieve/") and shown.endswith("→ 502")
    assert EMAIL not in shown and PAN not in shown and "token" not in shown



def test_urls_hide_path_tokens_double_encoded_emails_and_control_characters():
    from checkout_contracts.redact import public_url
    assert public_url("https://api.payex.com/psp/paymentorders/unscheduledtokens/5a17c24e-d459-4567-bbad-aa0f17a76119"
                      ) == "https://api.payex.com/psp/paymentorders/unscheduledtokens/…"
    shown = public_url("https://x.example/a/alice%2540example.com/%1b[2J%0aFAKE%0d")
    assert "alice" not in shown and "\x1b" not in shown and "\n" not in shown and "\\x1b[2J" in shown


def test_control_characters_in_object_keys_are_escaped_in_paths():
    from checkout_contracts import paths
    assert paths.child("$", "a\x1b[2Jb\nc") == "$['a\\x1b[2Jb\\nc']"


def test_a_malformed_request_line_is_logged_without_its_query_and_without_a_traceback(caplog):
    import logging
    import socket
    from checkout_contracts.fake import FakeServer
    caplog.set_level(logging.INFO, logger="werkzeug")
    with FakeServer(quiet=False) as fake:
        with socket.create_connection((fake.host, fake.port)) as s:
            s.sendall(b"GET /x?token=SECRET extra HTTP/1.1\r\nHost: x\r\n\r\n")
            assert s.recv(100).startswith(b"HTTP/1.1 400")
    assert "SECRET" not in caplog.text and "Traceback" not in caplog.text and "400" in caplog.text


def test_a_request_body_is_checked_when_the_response_has_no_known_shape():
    from checkout_contracts.inputs import HttpContext
    http = HttpContext(method="POST", url="https://shop.example/api/pay", status=200, headers={},
                       request_body={"card": PAN})
    result = check({"unrelated": True}, http=http)
    assert {(f.path, f.code) for f in result.errors} == {("$", "unknown-shape"), ("http.request.card", "unmasked-pan")}

@settings(max_examples=4000, deadline=None)
@given(st.text(alphabet="0123456789 -.ax4\\unE+", max_size=60))
def test_the_byte_precheck_is_a_superset_of_what_masking_finds(text):
    from checkout_contracts.redact import find_card_numbers, find_pans, may_hold_pan
    if find_pans(text) or find_card_numbers(text):
        assert may_hold_pan(text.encode())


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.sampled_from(["4111", "1111", "5555", "0004", "4925", "0000", " ", "-", "\n", "\t", "\u2028", "x",
                                 "SE47", ".", "12/26", "4.925000000000004e15", "1.5e13"]), max_size=14))
def test_the_byte_precheck_is_a_superset_on_json_text_too(parts):
    """On the raw JSON bytes, where escapes stand before numbers and floats keep their exponent."""
    import orjson
    from checkout_contracts import cardscan
    text = "".join(parts)
    raw = orjson.dumps({"note": text})
    if cardscan.scan({"note": text}):
        assert cardscan.scan(orjson.loads(raw), raw), raw


def test_a_card_number_beside_a_lone_surrogate_is_masked_before_the_surrogate_is_escaped():
    from checkout_contracts.redact import scrub
    shown = scrub(os.fsdecode(b"/cap/\xff" + PAN.encode() + b".json"))
    assert PAN not in shown and shown == "/cap/\\udcff[card number redacted].json"
    [finding] = [f for f in check(json.loads('{"\\udc80' + PAN + '": 1}'), "swedbankpay/checkout-v2/problem").findings
                 if f.code == "unmasked-pan"]
    assert PAN not in finding.path


def test_masking_runs_again_until_nothing_is_left():
    from checkout_contracts.redact import scrub
    assert scrub(f"{PAN}-3782 822463 10005") == "[card number redacted]-[card number redacted]"


@pytest.mark.parametrize("text", [f"{PAN},123", f"12,{PAN}", f"cards: {PAN},5555555555554444"])
def test_a_comma_beside_a_card_number_is_no_decimal_point(text):
    from checkout_contracts import cardscan
    assert [f.path for f in cardscan.scan({"k": text})] == ["$.k"]


def test_odd_python_values_end_and_are_scanned():
    import enum
    from decimal import Decimal
    from checkout_contracts import cardscan
    from checkout_contracts.redact import describe
    assert [f.path for f in cardscan.scan({"k": Decimal("4111111111111111110")})] == ["$.k"]  # exact beyond 2**53
    assert cardscan.scan({"k": 10 ** 5000}) == [] and describe(10 ** 5000) == "an integer of about 5001 digits"
    loop: list = []
    loop.append(loop)
    assert cardscan.scan(loop) == []                       # a list that contains itself: the walk ends
    Card = enum.Enum("Card", {"A": PAN}, type=str)
    assert [f.path for f in cardscan.scan({"k": Card.A})] == ["$.k"]
    [key] = cardscan.scan({int(PAN): "x"})
    assert PAN not in key.path
    doc = {"paymentOrder": {}}
    doc["paymentOrder"]["self"] = doc
    assert [(f.path, f.code) for f in check(doc).findings] == [("$", "nesting")]
