"""Helpers for the ``checkout-contracts validate`` tests: run the CLI as a subprocess (the real entry point,
stdin, exit codes, imports) and build payloads. (The in-process runner is the ``validate`` fixture in
conftest.py.)"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CARD_ORDER = EXAMPLES / "swedbankpay" / "payment-order-paid-card.json"
PAID_SWISH = EXAMPLES / "swedbankpay" / "paid-swish.json"


@dataclass
class Ran:
    rc: int
    out: str
    err: str

    def json(self) -> dict:
        return json.loads(self.out)


def run_subprocess(*args: str, stdin: bytes | None = None, env: dict | None = None, cwd: Path = ROOT) -> Ran:
    proc = subprocess.run([sys.executable, "-m", "checkout_contracts", "validate", *map(str, args)], input=stdin,
                          capture_output=True, cwd=cwd, env={**os.environ, **(env or {})}, timeout=120)
    return Ran(proc.returncode, proc.stdout.decode("utf-8", "replace"), proc.stderr.decode("utf-8", "replace"))


def card_order() -> dict:
    return json.loads(CARD_ORDER.read_text())


def compact(doc: dict) -> str:
    return json.dumps(doc, separators=(",", ":"))
