"""schemathesis (``st run``, a subprocess with a time limit) against ``checkout-contracts serve``'s fake, with
the response-conformance and status-code checks on: no failure. The fake is seeded first and schemathesis is
given those ids (its dictionaries), so most requests reach real payment orders and checkouts, not only 404s.
A control run against a tampered document proves the checks really judge the answers."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checkout_contracts.fake import FakeServer
from checkout_contracts.openapi import build
from served import TOKEN, seed_paiwise, seed_swedbankpay

pytest.importorskip("schemathesis")

ST = Path(sys.executable).with_name("st")
CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,"
          "response_schema_conformance,ignored_auth")
LIMIT_S = 240


@pytest.fixture(scope="module")
def fake():
    with FakeServer(seed=11, token=TOKEN) as server:  # 127.0.0.1, a free port; only this token (ignored_auth)
        yield server


def _toml(values: dict[str, list[str]], bindings: dict[str, str], accept: str | None = None) -> str:
    accept_header = f', Accept = "{accept}"' if accept else ""  # v3.1: GET asks for its version with Accept
    lines = [f'headers = {{ Authorization = "Bearer {TOKEN}"{accept_header} }}', ""]
    for name, vals in values.items():
        lines += [f"[dictionaries.{name}]", "values = [" + ", ".join(json.dumps(v) for v in vals) + "]", ""]
    lines.append("[parameters]")
    lines += [f'"{key}" = {{ dictionary = "{name}", probability = 0.8 }}' for key, name in bindings.items()]
    return "\n".join(lines) + "\n"


def _run(tmp: Path, doc: dict, url: str, config: str, *extra: str) -> tuple[int, str, list[dict]]:
    spec, cfg, har = tmp / "openapi.json", tmp / "schemathesis.toml", tmp / "run.har"
    spec.write_text(json.dumps(doc), encoding="utf-8")
    cfg.write_text(config, encoding="utf-8")
    cmd = [str(ST), "--config-file", str(cfg), "run", str(spec), "--url", url, "--checks", CHECKS,
           "--seed", "1", "--workers", "1", "--no-color", "--generation-database", "none",
           "--report", "har", "--report-har-path", str(har), *extra]
    env = {**os.environ, "SCHEMATHESIS_TELEMETRY": "false"}
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=LIMIT_S, cwd=tmp, env=env)
    entries = json.loads(har.read_text(encoding="utf-8"))["log"]["entries"] if har.exists() else []
    return done.returncode, done.stdout + done.stderr, entries


def _reached(entries: list[dict], method: str, fragment: str) -> int:
    return sum(1 for e in entries if e["request"]["method"] == method and fragment in e["request"]["url"]
               and 200 <= e["response"]["status"] < 300)


def test_swedbankpay_v2_against_the_fake(fake, tmp_path):
    guids = seed_swedbankpay(fake.url)
    rc, out, entries = _run(tmp_path, build("swedbankpay-v2"), fake.url,
                            _toml({"orders": guids}, {"path.id": "orders"}), "--max-examples", "25")
    assert rc == 0, out[-4000:]
    assert "failed" not in out.split("SUMMARY")[-1].lower(), out[-3000:]
    assert len(entries) > 100
    assert _reached(entries, "GET", "/psp/paymentorders/") >= 5, "schemathesis never got a payment order back"
    assert _reached(entries, "GET", "/paid") >= 1


def test_swedbankpay_v31_against_the_fake(fake, tmp_path):
    """v3.1 is asked for with the media type's version: Content-Type on bodies (the document's request media type),
    Accept on GET (a header every request carries, as a team's client would)."""
    doc = build("swedbankpay-v3")
    guids = seed_swedbankpay(fake.url, headers={"Content-Type": "application/json;version=3.1"})
    rc, out, entries = _run(tmp_path, doc, fake.url,
                            _toml({"orders": guids}, {"path.id": "orders"}, "application/json;version=3.1"),
                            "--max-examples", "10")
    assert rc == 0, out[-4000:]
    assert _reached(entries, "GET", "/history") >= 1 and _reached(entries, "GET", "/financialtransactions") >= 1
    v3 = [e for e in entries if 200 <= e["response"]["status"] < 300 and e["request"]["method"] == "GET"]
    assert v3 and all(any(h["name"].lower() == "content-type" and "version=3.1" in h["value"]
                          for h in e["response"]["headers"]) for e in v3)


def test_paiwise_against_the_fake(fake, tmp_path):
    checkouts, customers = seed_paiwise(fake.url)
    rc, out, entries = _run(tmp_path, build("paiwise"), fake.url,
                            _toml({"checkouts": checkouts, "customers": customers},
                                  {"body.checkout_id": "checkouts", "body.customer_id": "customers"}),
                            "--max-examples", "20")
    assert rc == 0, out[-4000:]
    assert len(entries) > 100
    for action in ("create", "retrieve", "update", "retrieve-customer"):
        assert _reached(entries, "POST", f"/checkout/{action}") >= 1, action


def test_control_a_tampered_document_fails(fake, tmp_path):
    """The same run against a document whose payment order demands a field the fake never sends: it must fail."""
    guids = seed_swedbankpay(fake.url)
    doc = build("swedbankpay-v2")
    po = doc["components"]["schemas"]["swedbankpay.checkout-v2.payment-order.paymentOrder"]
    po["required"] = [*po["required"], "neverSentByAnyone"]
    po["properties"]["neverSentByAnyone"] = {"type": "string"}
    rc, out, _ = _run(tmp_path, doc, fake.url, _toml({"orders": guids}, {"path.id": "orders"}),
                      "--max-examples", "10", "--include-operation-id", "getPaymentOrder", "--phases", "examples,fuzzing")
    assert rc != 0, out[-3000:]
    assert "Response violates schema" in out and "GET /psp/paymentorders/{id}" in out
