"""Exit status: 0 every payload valid (warnings allowed), 1 any invalid or unreadable (or nothing found),
2 usage error with a one-line message."""
from __future__ import annotations

import json

import pytest

from validate_helpers import EXAMPLES, PAID_SWISH, card_order, compact, run_subprocess


def test_valid_with_warnings_exits_0(validate):
    ran = validate(PAID_SWISH)  # the vendor's example: valid, with one warning
    assert ran.rc == 0
    assert "1 payload from 1 source: 1 valid, 0 invalid, 0 unreadable; 1 warning" in ran.out


def test_invalid_exits_1(tmp_path, validate):
    doc = card_order()
    doc["paymentOrder"]["currency"] = "sek"
    (tmp_path / "order.json").write_text(json.dumps(doc))
    ran = validate(tmp_path / "order.json")
    assert ran.rc == 1
    assert "$.paymentOrder.currency" in ran.out


def test_unreadable_exits_1(tmp_path, validate):
    (tmp_path / "x.json").write_text("{")
    assert validate(tmp_path / "x.json").rc == 1


def test_nothing_found_exits_1(tmp_path, validate):
    (tmp_path / "notes.txt").write_text("not a capture")
    ran = validate(tmp_path)
    assert ran.rc == 1
    assert "no payloads found" in ran.out


@pytest.mark.parametrize("args,message", [
    ((), "no input: give a PATH or -"),
    (("--schema", "swedbankpay/nope", "x.json"), "unknown schema 'swedbankpay/nope'; known schemas: paiwise/checkout"),
    (("does-not-exist.json",), "no such file or directory: does-not-exist.json"),
    (("--jobs", "0", "x.json"), "--jobs"),
    (("--format", "xml", "x.json"), "invalid choice: 'xml'"),
    (("--no-such-flag", "x.json"), "unrecognized arguments: --no-such-flag"),
    (("-", "-"), "stdin (-) given more than once"),
])
def test_usage_errors_exit_2_with_one_line(tmp_path, args, message):
    ran = run_subprocess(*args, cwd=tmp_path)
    assert ran.rc == 2, ran
    assert ran.out == ""
    assert len(ran.err.strip().splitlines()) == 1, ran.err
    assert message in ran.err


def test_unknown_schema_lists_every_name(validate):
    from checkout_contracts import registry
    from checkout_contracts.cli import main
    assert main(["validate", "--schema", "nope", str(PAID_SWISH)]) == 2
    message = str(registry.UnknownSchema("nope"))
    assert all(name in message for name in registry.names())


def test_missing_path_is_reported_before_any_work(tmp_path):
    (tmp_path / "ok.json").write_text(compact(card_order()))
    ran = run_subprocess("ok.json", "missing.jsonl", cwd=tmp_path)
    assert ran.rc == 2
    assert ran.out == ""
    assert ran.err.strip() == "checkout-contracts: error: no such file or directory: missing.jsonl"


def test_examples_folder_exits_0():
    ran = run_subprocess(EXAMPLES.relative_to(EXAMPLES.parent))
    assert ran.rc == 0, ran.out
    assert " 0 invalid, 0 unreadable" in ran.out
