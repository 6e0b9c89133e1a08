"""The ``contract`` fixture: dicts, requests / httpx responses, readable redacted failures without a long
traceback, strictness."""
from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

PROBLEM = ('{"type": "https://api.payex.com/psp/errordetail/paymentorders/inputerror", "title": "Error in input data",'
           ' "status": 400, "detail": "Input validation failed"}')


def test_a_valid_dict_returns_the_result(pytester):
    pytester.makepyfile(f"""
        def test_ok(contract):
            result = contract.assert_valid({PROBLEM})
            assert result.valid and result.schema == "swedbankpay/checkout-v2/problem"
    """)
    pytester.runpytest().assert_outcomes(passed=1)


def test_an_invalid_dict_fails_with_every_finding_and_no_plugin_frames(pytester):
    pytester.makepyfile("""
        def test_bad(contract):
            payload = {"type": "https://x.example/t", "title": "", "status": 200, "extra": 1}
            contract.assert_valid(payload, "swedbankpay/checkout-v2/problem")
    """)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines([
        "E *AssertionError: payload does not match swedbankpay/checkout-v2/problem: 2 errors, 1 warning",
        "E *    error: $.status: [[]minimum]*found 200",
        "E *    error: $.title: [[]minLength]*",
        "E *    warning: $.extra: [[]unknown-field]*",
    ])
    out = result.stdout.str()
    assert "pytest_plugin.py" not in out and "def assert_valid" not in out


def test_card_numbers_in_a_payload_never_reach_the_message(pytester):
    example = Path(__file__).parents[2] / "examples/swedbankpay/payment-order-paid-card.json"
    pytester.makepyfile(f"""
        import json, pathlib
        def test_pan(contract):
            doc = json.loads(pathlib.Path(r"{example}").read_text())
            doc["paymentOrder"]["paid"]["details"]["maskedPan"] = "4925" + "0" * 11 + "4"  # a full test card number
            contract.assert_valid(doc)
    """)
    result = pytester.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*[[]unmasked-pan]*"])
    assert "4925000000000004" not in result.stdout.str()


def test_strict_turns_drift_into_failure(pytester):
    pytester.makepyfile(f"""
        import json
        DOC = json.loads('{PROBLEM}')
        DOC["newField"] = 1

        def test_default(contract):
            result = contract.assert_valid(DOC)
            assert result.valid and [f.code for f in result.warnings] == ["unknown-field"]

        def test_strict_argument(contract):
            contract.assert_valid(DOC, strict=True)
    """)
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*checkout-contracts warnings: 1*", "*test_default*",
                                 "    warning: $.newField: [[]unknown-field]*"])
    strict = pytester.runpytest("--contracts-strict")
    strict.assert_outcomes(failed=2)


def test_requests_and_httpx_responses_are_checked_with_their_http_envelope(pytester):
    pytest.importorskip("requests")
    pytest.importorskip("httpx")
    pytester.makepyfile("""
        import httpx, pytest, requests
        from checkout_contracts.fake import FakeServer

        AUTH = {"Authorization": "Bearer t"}
        ORDER = {"paymentorder": {"operation": "Purchase", "currency": "SEK", "amount": 100, "vatAmount": 0,
                 "description": "d", "userAgent": "ua", "language": "sv-SE", "urls": {"completeUrl": "https://x/y"},
                 "payeeInfo": {"payeeId": "p", "payeeReference": "r"}}}

        @pytest.fixture(scope="module")
        def fake():
            with FakeServer() as f:
                yield f.url

        def test_requests(contract, fake):
            r = requests.post(fake + "/psp/paymentorders", json=ORDER, headers=AUTH)
            result = contract.assert_valid(r)
            assert result.schema == "swedbankpay/checkout-v2/payment-order" and result.findings == ()
            problem = requests.get(fake + "/psp/paymentorders/" + "0" * 8 + "-0000-4000-a000-" + "0" * 12,
                                   headers=AUTH)
            assert contract.assert_valid(problem).schema == "swedbankpay/checkout-v2/problem"

        def test_httpx(contract, fake):
            with httpx.Client() as client:
                r = client.post(fake + "/checkout/create", headers=AUTH, json={
                    "amount": 100, "currency": "SEK", "message": "m", "returnUrl": "https://x.example/r",
                    "returnUrlCancel": "https://x.example/c"})
            assert contract.assert_valid(r).schema == "paiwise/checkout"

        def test_wrong_status_and_header(contract, fake):
            r = requests.post(fake + "/psp/paymentorders", json=ORDER, headers=AUTH)
            r.status_code = 202
            r.headers["Content-Type"] = "text/json"
            contract.assert_valid(r)

        def test_not_json(contract, fake):
            doc = requests.post(fake + "/psp/paymentorders", json=ORDER, headers=AUTH).json()
            page = [op["href"] for op in doc["operations"] if op["rel"] == "redirect-checkout"][0]
            contract.assert_valid(requests.get(page))
    """)
    result = pytester.runpytest()
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines([
        "E *AssertionError: payload does not match swedbankpay/checkout-v2/payment-order: * error*",
        "E *  POST http://127.0.0.1:*/psp/paymentorders → 202",
        "E *error: http.headers*content-type*text/json*",
        "E *error: http.status: [[]http-status]*202*",
    ])
    result.stdout.fnmatch_lines(["E *AssertionError: response body is not a JSON payload: * (GET http://*/checkout → 200)"])


def test_the_fixture_is_there_without_any_option_and_imports_nothing_heavy(pytester):
    import subprocess
    import sys
    code = ("import sys, checkout_contracts.pytest_plugin as p; "
            "print(sorted(m for m in ('werkzeug', 'hypothesis', 'checkout_contracts.fake', 'checkout_contracts.live', 'checkout_contracts.inputs')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
    pytester.makepyfile("def test_x(contract):\n    assert contract.strict is False and contract.rules_on is True\n")
    pytester.runpytest().assert_outcomes(passed=1)


def test_a_response_of_an_endpoint_without_a_schema_asks_for_a_schema_name(pytester):
    pytest.importorskip("requests")
    pytester.makepyfile("""
        import pytest, requests

        def response(url, body=b'{"paymentorder": "x", "urls": {}}'):
            r = requests.Response()
            r.status_code, r._content, r.url = 200, body, url
            r.headers["Content-Type"] = "application/json"
            r.request = requests.Request("GET", url).prepare()
            return r

        def test_no_schema(contract):
            contract.assert_valid(response("https://api.payex.com/psp/paymentorders/"
                                           "5adc265f-f87f-4313-577e-08d3dca1a26c/urls"))

        def test_schema_given(contract):
            with pytest.raises(AssertionError, match="does not match swedbankpay/checkout-v2/problem"):
                contract.assert_valid(response("https://api.payex.com/psp/paymentorders/x/urls"),
                                      "swedbankpay/checkout-v2/problem")
    """)
    result = pytester.runpytest()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["E *AssertionError: no schema for this endpoint (GET https://api.payex.com/psp/"
                                 "paymentorders/*/urls → 200); pass schema=NAME to check it against one"])
