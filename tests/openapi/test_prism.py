"""A Node mock serves each OpenAPI document and its answers pass ``checkout-contracts validate``.

Stoplight Prism (``@stoplight/prism-cli`` from npm, a real OpenAPI 3.1 consumer) is installed once into a cache
folder (``$CHECKOUT_CONTRACTS_PRISM_DIR`` or ``~/.cache/checkout-contracts/prism-<version>``) with ``npm``;
``$CHECKOUT_CONTRACTS_PRISM`` may name a prism binary instead. Without npm the test is skipped, unless
``CHECKOUT_CONTRACTS_REQUIRE_PRISM=1`` (CI) makes that a failure. Prism listens on 127.0.0.1; its start-up, every
request and the install are bounded by timeouts, and the process is stopped by its id.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest

from checkout_contracts.cli import main
from checkout_contracts.openapi import apis, build
from served import call, spp_order

PRISM_VERSION = "5.14.2"
INSTALL_S, START_S = 300, 60


def _prism() -> Path:
    given = os.environ.get("CHECKOUT_CONTRACTS_PRISM")
    if given:
        return Path(given)
    folder = Path(os.environ.get("CHECKOUT_CONTRACTS_PRISM_DIR")
                  or Path.home() / ".cache" / "checkout-contracts" / f"prism-{PRISM_VERSION}")
    binary = folder / "node_modules" / ".bin" / "prism"
    if binary.exists():
        return binary
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        if os.environ.get("CHECKOUT_CONTRACTS_REQUIRE_PRISM") == "1":
            pytest.fail("CHECKOUT_CONTRACTS_REQUIRE_PRISM=1 but node/npm are not installed")
        pytest.skip("node/npm not installed: Prism cannot be fetched")
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(folder),
                           f"@stoplight/prism-cli@{PRISM_VERSION}"], capture_output=True, text=True, timeout=INSTALL_S)
    assert done.returncode == 0 and binary.exists(), done.stderr[-2000:]
    return binary


@pytest.fixture(scope="module")
def prism() -> Path:
    return _prism()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Mock:
    def __init__(self, binary: Path, spec: Path, log: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._log = log.open("wb")
        self.proc = subprocess.Popen([str(binary), "mock", str(spec), "-h", "127.0.0.1", "-p", str(self.port)],
                                     stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + START_S
        while True:  # bounded: until it accepts connections, exits, or START_S pass
            if self.proc.poll() is not None:
                raise AssertionError(f"prism exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise AssertionError(f"prism did not listen within {START_S} s")
                time.sleep(0.3)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # its own session: prism and the node processes it started
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
        self._log.close()


def _exchanges(doc: dict, base: str) -> list[dict]:
    """Ask the mock for every response that has examples (Prefer: code=N) and record the answers as HAR entries."""
    entries = []
    for template, item in doc["paths"].items():
        for method, op in item.items():
            path = template
            for p in op.get("parameters", []):
                if p["in"] == "path":
                    path = path.replace("{" + p["name"] + "}", p["example"])
            body, sent = None, {}
            if "requestBody" in op:
                kind, media = next(iter(op["requestBody"]["content"].items()))
                sent = {"Content-Type": kind}  # v3.1: application/json; version=3.1
                if media.get("examples"):
                    ref = next(iter(media["examples"].values()))["$ref"]
                    body = doc["components"]["examples"][ref.rsplit("/", 1)[1]]["value"]
                else:
                    body = spp_order()
            for status, response in op["responses"].items():
                if not any(c.get("examples") for c in response["content"].values()):
                    continue
                got, headers, data = call(base, method.upper(), path, body, headers={"Prefer": f"code={status}", **sent})
                assert got == int(status), (method, template, status, got, data)
                entries.append({
                    "request": {"method": method.upper(), "url": base + path, "headers": [],
                                **({"postData": {"mimeType": "application/json", "text": json.dumps(body)}}
                                   if body is not None else {})},
                    "response": {"status": got, "headers": [{"name": "Content-Type", "value": headers["content-type"]}],
                                 "content": {"mimeType": headers["content-type"], "text": json.dumps(data)}}})
    return entries


@pytest.mark.parametrize("api", apis())
def test_prism_mock_answers_validate(api, prism, tmp_path):
    spec = tmp_path / f"{api}.json"
    spec.write_text(json.dumps(build(api)), encoding="utf-8")
    mock = Mock(prism, spec, tmp_path / "prism.log")
    try:
        entries = _exchanges(json.loads(spec.read_text(encoding="utf-8")), mock.url)
    finally:
        mock.stop()
    assert mock.proc.returncode is not None
    har = tmp_path / "prism.har"
    har.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}), encoding="utf-8")
    report = tmp_path / "report.json"
    assert main(["validate", "--jobs", "1", "--format", "json", "-o", str(report), str(har)]) == 0, \
        report.read_text(encoding="utf-8")[:3000]
    summary = json.loads(report.read_text(encoding="utf-8"))
    print(json.dumps({k: v for k, v in summary.items() if k != "results"})[:500])
    assert len(entries) >= 7
    assert _count(summary, "valid") >= len(entries) and _count(summary, "invalid") == 0


def _count(summary: dict, key: str) -> int:
    totals = summary.get("summary") or summary
    return int(totals[key])
