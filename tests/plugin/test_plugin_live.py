"""``--contracts-live``: the lifecycle scenarios as test items, against the bundled fake, a broken API and a
target without the payer endpoint; credentials never show up."""
from __future__ import annotations

import threading
from typing import Any, Iterator

import orjson
import pytest

from checkout_contracts.live import all_scenarios

pytest_plugins = ["pytester"]

SECRET = "sk-live-0123456789abcdef-secret"
N_PAIWISE = sum(1 for s in all_scenarios() if s.provider == "paiwise")
N_SPP = sum(1 for s in all_scenarios() if s.provider == "swedbankpay")


class Middleware:
    """Wraps the fake: ``mutate(path, body) -> body`` rewrites JSON answers; ``hide_fake`` answers the payer test
    endpoints with 404 like a real provider; ``echo_auth`` answers everything with the Authorization header."""

    def __init__(self, mutate=None, hide_fake: bool = False, echo_auth: bool = False) -> None:
        from checkout_contracts.fake.app import FakeApp
        self.app, self.mutate, self.hide_fake, self.echo_auth = FakeApp(), mutate, hide_fake, echo_auth

    def __call__(self, environ: dict, start_response: Any) -> Iterator[bytes]:
        path = environ.get("PATH_INFO", "")
        if self.echo_auth:
            start_response("500 Internal Server Error", [("Content-Type", "application/json")])
            return [orjson.dumps({"message": f"bad key {environ.get('HTTP_AUTHORIZATION')}"})]
        if self.hide_fake and path.startswith("/_fake/"):
            start_response("404 Not Found", [("Content-Type", "text/html")])
            return [b"<h1>Not Found</h1>"]
        captured: dict[str, Any] = {}

        def keep(status: str, headers: list, exc_info: Any = None) -> None:
            captured.update(status=status, headers=headers)
        raw = b"".join(self.app(environ, keep))
        if self.mutate is not None and raw.startswith(b"{"):
            raw = orjson.dumps(self.mutate(path, orjson.loads(raw)))
        headers = [(k, v) for k, v in captured["headers"] if k.lower() != "content-length"]
        start_response(captured["status"], headers + [("Content-Length", str(len(raw)))])
        return [raw]


@pytest.fixture
def serve():
    from werkzeug.serving import make_server
    servers = []

    def start(app: Any) -> str:
        srv = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=srv.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        servers.append(srv)
        return f"http://127.0.0.1:{srv.server_port}"
    yield start
    for srv in servers:
        srv.shutdown()
        srv.server_close()


def test_default_runs_every_scenario_against_the_bundled_fake(pytester):
    result = pytester.runpytest("--contracts-live", "default", "-v")
    result.assert_outcomes(passed=N_PAIWISE + N_SPP)
    result.stdout.fnmatch_lines(["checkout-contracts live: paiwise → bundled fake, swedbankpay → bundled fake",
                                 "*contracts-live::paiwise::reserve-capture-refund PASSED*",
                                 "*contracts-live::swedbankpay::card-capture-cancel-reverse PASSED*"])


def test_a_provider_not_configured_is_skipped_with_the_reason(pytester):
    result = pytester.runpytest("--contracts-live", "paiwise=default", "-rs")
    result.assert_outcomes(passed=N_PAIWISE, skipped=N_SPP)
    result.stdout.fnmatch_lines(["*live mode not configured for swedbankpay: pass --contracts-live swedbankpay=URL "
                                 "(API key in CHECKOUT_CONTRACTS_SWEDBANKPAY_TOKEN)*"])


def test_an_empty_url_counts_as_not_configured(pytester):
    result = pytester.runpytest("--contracts-live", "paiwise=", "--contracts-live", "swedbankpay=", "-rs")
    result.assert_outcomes(skipped=N_PAIWISE + N_SPP)


def test_recorded_payloads_alone_add_no_live_items(pytester):
    pytester.makefile(".json", ok='{"type": "https://api.payex.com/psp/errordetail/x", "title": "t", "status": 400}')
    result = pytester.runpytest("--contracts", "ok.json", "-v")
    result.assert_outcomes(passed=1)
    assert "contracts-live::" not in result.stdout.str()


def test_without_the_plugin_options_nothing_is_added(pytester):
    pytester.makepyfile("def test_one():\n    assert True\n")
    result = pytester.runpytest("-v")
    result.assert_outcomes(passed=1)
    assert "contracts-live::" not in result.stdout.str() and "checkout-contracts:" not in result.stdout.str()


@pytest.mark.parametrize("value, message", [
    ("stripe=https://x.example", "expected paiwise=URL, swedbankpay=URL or default"),
    ("paiwise", "expected paiwise=URL, swedbankpay=URL or default"),
    ("paiwise=ftp://x.example", "expected an http:// or https:// URL with a host"),
    ("paiwise=https://", "expected an http:// or https:// URL with a host"),
])
def test_bad_live_values_are_usage_errors(pytester, value, message):
    result = pytester.runpytest("--contracts-live", value)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines([f"*{message}*"])


def test_a_real_url_needs_its_token_variable(pytester, monkeypatch):
    monkeypatch.delenv("CHECKOUT_CONTRACTS_PAIWISE_TOKEN", raising=False)
    result = pytester.runpytest("--contracts-live", "paiwise=https://api.example.com")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*needs the API key in the environment variable CHECKOUT_CONTRACTS_PAIWISE_TOKEN*"])


def test_a_broken_response_fails_at_its_step_with_the_finding(pytester, monkeypatch, serve):
    def drop_balance(path: str, body: dict) -> dict:
        if path == "/checkout/capture":
            body.pop("balance", None)
        return body
    url = serve(Middleware(drop_balance))
    monkeypatch.setenv("CHECKOUT_CONTRACTS_PAIWISE_TOKEN", SECRET)
    result = pytester.runpytest("--contracts-live", f"paiwise={url}", "-k", "reserve-capture-refund")
    result.assert_outcomes(failed=1, deselected=N_PAIWISE + N_SPP - 1)
    result.stdout.fnmatch_lines([
        "scenario failed at step 'capture'",
        f"  POST {url}/checkout/capture → 200",
        "  invalid paiwise/checkout",
        "*error: $*[[]required]*balance*",
        "steps before:",
        "  ok  create: 200 paiwise/checkout",
    ])
    assert "Traceback" not in result.stdout.str() and SECRET not in result.stdout.str()


def test_a_target_without_the_payer_endpoint_skips_the_steps_after_payment(pytester, monkeypatch, serve):
    url = serve(Middleware(hide_fake=True))
    monkeypatch.setenv("CHECKOUT_CONTRACTS_PAIWISE_TOKEN", SECRET)
    monkeypatch.setenv("CHECKOUT_CONTRACTS_SWEDBANKPAY_TOKEN", SECRET)
    result = pytester.runpytest("--contracts-live", f"paiwise={url}", "--contracts-live", f"swedbankpay={url}", "-rs")
    outcomes = result.parseoutcomes()
    assert outcomes.get("failed", 0) == 0 and outcomes["skipped"] >= 4 and outcomes["passed"] >= 4
    result.stdout.fnmatch_lines(["*the target has no payer test endpoint*--contracts-live default*"])


def test_the_token_never_shows_even_when_the_api_echoes_it(pytester, monkeypatch, serve):
    url = serve(Middleware(echo_auth=True))
    monkeypatch.setenv("CHECKOUT_CONTRACTS_PAIWISE_TOKEN", SECRET)
    monkeypatch.setenv("CHECKOUT_CONTRACTS_SWEDBANKPAY_TOKEN", SECRET)
    result = pytester.runpytest("--contracts-live", f"paiwise={url}", "--contracts-live", f"swedbankpay={url}",
                                "-vv", "--showlocals", "-rA", "--junitxml=report.xml")
    result.assert_outcomes(failed=N_PAIWISE + N_SPP)
    text = result.stdout.str() + result.stderr.str() + (pytester.path / "report.xml").read_text()
    assert "bad key Bearer ***" in text  # the body is shown, the key in it is not
    assert SECRET not in text


def test_an_unreachable_api_fails_with_one_line(pytester, monkeypatch):
    monkeypatch.setenv("CHECKOUT_CONTRACTS_SWEDBANKPAY_TOKEN", SECRET)
    result = pytester.runpytest("--contracts-live", "swedbankpay=http://127.0.0.1:9", "-k", "abort")
    result.assert_outcomes(failed=1, deselected=N_PAIWISE + N_SPP - 1)
    result.stdout.fnmatch_lines(["  POST http://127.0.0.1:9/psp/paymentorders: no answer (*"])


def test_an_api_key_with_a_line_break_is_a_usage_error_that_does_not_print_it(pytester, monkeypatch):
    monkeypatch.setenv("CHECKOUT_CONTRACTS_PAIWISE_TOKEN", "sk_live_SECRET\nX")
    result = pytester.runpytest("--contracts-live", "paiwise=http://127.0.0.1:9")
    assert result.ret != 0
    text = result.stdout.str() + result.stderr.str()
    assert "line break" in text and "sk_live_SECRET" not in text


def test_a_trailing_newline_on_the_api_key_is_stripped(pytester, monkeypatch):
    monkeypatch.setenv("CHECKOUT_CONTRACTS_PAIWISE_TOKEN", "sk_live_SECRET\n")
    result = pytester.runpytest("--contracts-live", "paiwise=http://127.0.0.1:9", "-q")
    text = result.stdout.str() + result.stderr.str()
    assert "sk_live_SECRET" not in text and "Invalid header" not in text
