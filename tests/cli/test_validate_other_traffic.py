"""Captures with other traffic: a cassette or HAR also holding an OAuth token call, a GitHub API call or any host
no provider route knows. Those exchanges are skipped and counted after the card-data scan; a team's routes file
(``--route`` or ``[tool.checkout-contracts]``) is tried before ours; ``--strict-routes`` makes unmatched exchanges
fail; 4xx answers are judged by the problem schema where the route has one."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from checkout_contracts import routes

ROOT = Path(__file__).resolve().parents[2]
GUID = "5adc265f-f87f-4313-577e-08d3dca1a26c"
API = "https://api.externalintegration.payex.com"
PAN = "4925000000000004"


@pytest.fixture(autouse=True)
def _default_routing():
    yield
    routes.configure()  # the CLI runs in this process: leave the default routing to the next test


def entry(method: str, url: str, body: dict, status: int = 200, ctype: str = "application/json") -> dict:
    return {"request": {"method": method, "url": url},
            "response": {"status": status, "headers": [{"name": "Content-Type", "value": ctype}],
                         "content": {"mimeType": ctype, "text": json.dumps(body)}}}


def example(name: str) -> dict:
    return json.loads((ROOT / "examples" / "swedbankpay" / f"{name}.json").read_text())


def mixed(tmp_path: Path, *extra: dict) -> Path:
    order = example("payment-order-paid-card")
    problem = example("problem-inputerror")
    entries = [
        entry("POST", "https://auth.example.com/oauth/token", {"access_token": "abc", "token_type": "Bearer"}),
        entry("GET", "https://api.github.com/repos/acme/shop", {"id": 1, "full_name": "acme/shop"}),
        entry("GET", API + order["paymentOrder"]["id"], order),
        # a schemathesis-style negative request: the 400 answer is judged by the problem schema
        entry("POST", f"{API}/psp/paymentorders", problem, status=400, ctype="application/problem+json"),
        *extra,
    ]
    path = tmp_path / "session.har"
    path.write_text(json.dumps({"log": {"entries": entries}}))
    return path


def test_exchanges_no_provider_route_knows_are_skipped_and_counted(tmp_path, validate):
    ran = validate(mixed(tmp_path), "--format", "json")
    report = ran.json()
    assert ran.rc == 0, ran.out
    assert [(r["schema"], r["verdict"]) for r in report["results"]] == [
        ("swedbankpay/checkout-v2/payment-order", "valid"), ("swedbankpay/checkout-v2/problem", "valid")]
    assert report["summary"]["skipped_no_schema"] == 2
    text = validate(mixed(tmp_path))
    assert text.rc == 0 and "2 responses of endpoints without a schema or of no provider route skipped" in text.out


def test_a_bad_problem_answer_fails_by_the_problem_schema(tmp_path, validate):
    bad = entry("POST", f"{API}/psp/paymentorders", {"title": 5}, status=400, ctype="application/problem+json")
    report = validate(mixed(tmp_path, bad), "--format", "json").json()
    [failed] = [r for r in report["results"] if r["verdict"] != "valid"]
    assert failed["schema"] == "swedbankpay/checkout-v2/problem" and failed["record"] == 5


def test_a_card_number_in_unmatched_traffic_is_still_an_error(tmp_path, validate):
    leak = entry("GET", "https://api.github.com/gists/1", {"content": f"card {PAN}"})
    ran = validate(mixed(tmp_path, leak), "--format", "json")
    [failed] = [r for r in ran.json()["results"] if r["verdict"] != "valid"]
    assert failed["record"] == 5 and failed["errors"][0]["code"] == "unmasked-pan"
    assert PAN not in ran.out
    assert ran.rc == 1


def test_strict_routes_fail_unmatched_exchanges_but_not_ignored_hosts(tmp_path, validate):
    ran = validate(mixed(tmp_path), "--format", "json", "--strict-routes")
    report = ran.json()
    assert ran.rc == 1
    assert sorted(r["record"] for r in report["results"] if r["verdict"] != "valid") == [1, 2]
    assert all(r["errors"][0]["code"] == "no-route" for r in report["results"] if r["verdict"] != "valid")
    ran = validate(mixed(tmp_path), "--format", "json", "--strict-routes", "--ignore-host", "auth.example.com")
    assert sorted(r["record"] for r in ran.json()["results"] if r["verdict"] != "valid") == [2]
    assert ran.json()["summary"]["skipped_no_schema"] == 1


ROUTES = """\
patterns:
  repo: "[a-z]+/[a-z]+"
routes:
  - provider: github
    hosts: [api.github.com]
    path: "^/repos/{repo}$"
    schema: null
  - provider: payex-proxy
    hosts: [payments.internal]
    path: "^/proxy/psp/paymentorders/{guid}$"
    schema: swedbankpay/checkout-v2/payment-order
"""


def test_a_team_routes_file_is_tried_before_ours(tmp_path, validate):
    (tmp_path / "routes.yaml").write_text(ROUTES)
    order = example("payment-order-paid-card")
    proxied = entry("GET", f"https://payments.internal/proxy/psp/paymentorders/{GUID}", order)
    broken = dict(order, paymentOrder=dict(order["paymentOrder"], status="Settled"))
    proxied_bad = entry("GET", f"https://payments.internal/proxy/psp/paymentorders/{GUID}", broken)
    path = mixed(tmp_path, proxied, proxied_bad)
    ran = validate(path, "--format", "json", "--strict-routes", "--route", tmp_path / "routes.yaml",
                   "--ignore-host", "auth.example.com")
    report = ran.json()
    by_record = {r["record"]: (r["schema"], r["verdict"]) for r in report["results"]}
    assert by_record[5] == ("swedbankpay/checkout-v2/payment-order", "valid")   # our guid pattern, their route
    assert by_record[6] == ("swedbankpay/checkout-v2/payment-order", "invalid")
    assert 2 not in by_record and 1 not in by_record  # their github route (schema null), the ignored host
    assert report["summary"]["skipped_no_schema"] == 2


def test_the_pyproject_table_sets_the_same(tmp_path, validate, monkeypatch):
    (tmp_path / "ci").mkdir()
    (tmp_path / "ci" / "routes.yaml").write_text(ROUTES)
    (tmp_path / "pyproject.toml").write_text('[tool.checkout-contracts]\nroutes = ["ci/routes.yaml"]\n'
                                             'strict-routes = true\nignore-hosts = ["auth.example.com"]\n')
    path = mixed(tmp_path)
    monkeypatch.chdir(tmp_path / "ci")  # found from a subfolder; routes relative to the pyproject.toml
    ran = validate(path, "--format", "json")
    assert ran.rc == 0, ran.out
    assert ran.json()["summary"]["skipped_no_schema"] == 2
    monkeypatch.chdir(ROOT)
    assert validate(path, "--format", "json", "--config", tmp_path / "pyproject.toml").rc == 0
    assert validate(path, "--format", "json", "--strict-routes").rc == 1


@pytest.mark.parametrize("table, message", [
    ('routes = "x.yaml"', "routes must be a list"),
    ("strict-routs = true", "unknown key 'strict-routs'"),
    ('routes = ["missing.yaml"]', "missing.yaml: No such file"),
    ("max-depth = 0", "max-depth must be between 1 and 1024"),
    ("strict = [", "not valid TOML"),
])
def test_a_bad_table_is_a_usage_error_naming_file_and_key(tmp_path, validate, table, message):
    (tmp_path / "pyproject.toml").write_text(f"[tool.checkout-contracts]\n{table}\n")
    (tmp_path / "x.json").write_text("{}")
    ran = validate(tmp_path / "x.json", "--config", tmp_path / "pyproject.toml")
    assert ran.rc == 2
    assert message in ran.err and str(tmp_path / "pyproject.toml") in ran.err and "Traceback" not in ran.err


def test_a_bad_routes_file_is_a_usage_error(tmp_path, validate):
    (tmp_path / "r.yaml").write_text("routes:\n  - path: '^/{nope}'\n    schema: null\n")
    (tmp_path / "x.json").write_text("{}")
    ran = validate(tmp_path / "x.json", "--route", tmp_path / "r.yaml")
    assert ran.rc == 2 and "unknown pattern {nope}" in ran.err and "r.yaml" in ran.err


def test_strict_routes_fail_an_unmatched_exchange_even_when_it_looks_like_a_provider_payload(tmp_path, validate):
    """A valid payment order served from a host no route knows: skipped by default, ``no-route`` when strict (it
    is not judged by its shape: a proxy nobody mapped must not pass the gate unseen)."""
    order = example("payment-order-paid-card")
    path = mixed(tmp_path, entry("GET", "https://proxy.example.com/orders/1", order))
    assert validate(path, "--format", "json", "--ignore-host", "auth.example.com", "--ignore-host",
                    "api.github.com").rc == 0
    ran = validate(path, "--format", "json", "--strict-routes", "--ignore-host", "auth.example.com",
                   "--ignore-host", "api.github.com")
    report = ran.json()
    assert ran.rc == 1
    [failed] = [r for r in report["results"] if r["verdict"] != "valid"]
    assert failed["record"] == 5 and [e["code"] for e in failed["errors"]] == ["no-route"]
    assert failed["http"]["url"] == "https://proxy.example.com/orders/1"
