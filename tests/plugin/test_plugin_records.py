"""``pytest --contracts PATH``: one item per recorded payload, named after source and record, judged like the
``validate`` command (same lines, same --strict / --no-rules switches)."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checkout_contracts.inputs import iter_records

pytest_plugins = ["pytester"]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
def _live():
    """Live scenarios are collected only with --contracts-live: --contracts alone adds none."""
    return 0


def _item_names(result) -> list[str]:
    return [line.strip() for line in result.stdout.lines
            if "::" in line or line.strip().endswith((".json", ".yaml", ".yml", ".har", ".jsonl", ".gz"))]


def test_examples_one_item_per_payload_and_all_pass(pytester):
    shutil.copytree(EXAMPLES, pytester.path / "examples")
    records = list(iter_records(["examples"]))  # pytester runs in its own directory
    expected = {r.source if r.record is None else f"{r.source}::{r.record}" for r in records}
    # every single-document JSON file is one item, named by its path
    singles = {str(p.relative_to(pytester.path)) for p in (pytester.path / "examples").rglob("*.json")}
    assert singles <= expected
    collected = pytester.runpytest("--contracts", "examples", "--collect-only", "-q")
    names = {n for n in _item_names(collected) if not n.startswith("contracts-live::")}
    assert names == expected
    result = pytester.runpytest("--contracts", "examples")
    result.assert_outcomes(passed=len(expected), skipped=_live())


def test_a_broken_copy_fails_with_the_same_lines_as_validate(pytester):
    doc = json.loads((EXAMPLES / "swedbankpay/payment-order-paid-partly-captured.json").read_text())
    doc["paymentOrder"]["status"] = "Settled"
    doc["paymentOrder"]["remainingCaptureAmount"] = 99999
    del doc["paymentOrder"]["currency"]
    broken = pytester.path / "fixtures" / "broken.json"
    broken.parent.mkdir()
    broken.write_text(json.dumps(doc, indent=2))
    shutil.copy(EXAMPLES / "swedbankpay/payment-order-initialized.json", broken.parent / "fine.json")
    result = pytester.runpytest("--contracts", "fixtures", "-rf")
    result.assert_outcomes(passed=1, failed=1, skipped=_live())
    cli = subprocess.run([sys.executable, "-m", "checkout_contracts", "validate", "--jobs", "1", "fixtures/broken.json"],
                         cwd=pytester.path, capture_output=True, text=True, timeout=60)
    assert cli.returncode == 1
    finding_lines = [line for line in cli.stdout.splitlines() if line.startswith("    ")]
    assert len(finding_lines) >= 3
    out = result.stdout.lines
    for line in [cli.stdout.splitlines()[0], *finding_lines]:
        assert line in out, f"{line!r} not in the pytest output"
    result.stdout.fnmatch_lines(["FAILED fixtures/broken.json - *"])


def test_jsonl_records_are_named_by_index_and_unreadable_records_fail_with_the_reason(pytester):
    problem = {"type": "https://api.payex.com/psp/errordetail/paymentorders/inputerror", "title": "t", "status": 400}
    bad = dict(problem, status=200)
    day = pytester.path / "fixtures" / "day1.jsonl"
    day.parent.mkdir()
    day.write_text(json.dumps(problem) + "\n" + json.dumps(bad) + "\n" + '{"type": "x", "title": \n')
    collected = pytester.runpytest("--contracts", "fixtures", "--collect-only", "-q")
    assert [n for n in _item_names(collected) if n.startswith("fixtures")] == [
        "fixtures/day1.jsonl::1", "fixtures/day1.jsonl::2", "fixtures/day1.jsonl::3"]
    result = pytester.runpytest("--contracts", "fixtures", "--contracts-live", "paiwise=", "-k", "day1")
    from checkout_contracts.live import all_scenarios  # live mode asked for: its scenarios are collected, then deselected
    result.assert_outcomes(passed=1, failed=2, deselected=len(all_scenarios()))
    text = result.stdout.str()
    assert "fixtures/day1.jsonl:2  invalid  swedbankpay/checkout-v2/problem" in text
    assert "unreadable" in text and "fixtures/day1.jsonl:3" in text


def test_warnings_show_and_fail_only_when_strict(pytester):
    problem = {"type": "https://api.payex.com/psp/errordetail/paymentorders/inputerror", "title": "t", "status": 400,
               "traceId": "abc"}
    pytester.path.joinpath("drift.json").write_text(json.dumps(problem))
    result = pytester.runpytest("--contracts", "drift.json", "-k", "drift")
    result.assert_outcomes(passed=1, deselected=_live())
    result.stdout.fnmatch_lines(["*checkout-contracts warnings: 1 (1 of them drift, which --contracts-strict makes fail)*",
                                 "drift.json", "    warning: $.traceId: *"])
    strict = pytester.runpytest("--contracts", "drift.json", "--contracts-strict", "-k", "drift")
    strict.assert_outcomes(failed=1, deselected=_live())
    strict.stdout.fnmatch_lines(["*error: $.traceId: *"])


def test_rule_warnings_are_not_promised_to_fail_under_strict(pytester):
    """Rule warnings (inferred from examples) stay warnings with --contracts-strict, and the summary says so."""
    shutil.copytree(EXAMPLES, pytester.path / "examples")
    for flags in ([], ["--contracts-strict"]):
        result = pytester.runpytest("--contracts", "examples", *flags)
        assert result.ret == 0
        result.stdout.fnmatch_lines(["*checkout-contracts warnings: * (rule and header warnings: they stay warnings "
                                     "with --contracts-strict)*"])


def test_no_rules_skips_the_cross_field_rules(pytester):
    doc = json.loads((EXAMPLES / "swedbankpay/payment-order-initialized.json").read_text())
    doc["paymentOrder"]["vatAmount"] = doc["paymentOrder"]["amount"] + 1
    pytester.path.joinpath("vat.json").write_text(json.dumps(doc))
    result = pytester.runpytest("--contracts", "vat.json", "-k", "vat")
    result.assert_outcomes(failed=1, deselected=_live())
    assert "[spp-vat-within-amount]" in result.stdout.str()
    pytester.runpytest("--contracts", "vat.json", "--contracts-no-rules", "-k", "vat").assert_outcomes(
        passed=1, deselected=_live())


def test_a_missing_path_is_a_usage_error(pytester):
    result = pytester.runpytest("--contracts", "nope/")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--contracts: no such file or directory: nope/*"])


def test_a_response_of_an_endpoint_without_a_schema_is_a_skipped_item_with_the_reason(pytester):
    state = json.loads((EXAMPLES / "swedbankpay/payment-order-state-ready.json").read_text())
    api = "https://api.externalintegration.payex.com"

    def entry(url, body):
        return {"request": {"method": "GET", "url": api + url},
                "response": {"status": 200, "content": {"mimeType": "application/json", "text": json.dumps(body)}}}
    har = {"log": {"entries": [entry(state["paymentorder"]["id"] + "/urls", {"urls": {}}),
                               entry(state["paymentorder"]["id"], state)]}}
    (pytester.path / "session.har").write_text(json.dumps(har))
    result = pytester.runpytest("--contracts", "session.har", "-rs")
    result.assert_outcomes(passed=1, skipped=1 + _live())
    result.stdout.fnmatch_lines(["SKIPPED *session.har::1 (GET https://api.externalintegration.payex.com/psp/"
                                 "paymentorders/*/urls → 200): a response of an endpoint without a schema*"])


def test_a_recording_outside_the_rootdir_is_named_relative_to_where_pytest_runs(pytester):
    """Node ids are relative to the rootdir; pytest shows them relative to where it runs. Both set-ups: the
    rootdir is where pytest runs, and the rootdir is a folder above it."""
    outside = pytester.path.parent / f"{pytester.path.name}-recordings"
    outside.mkdir()
    (outside / "day.jsonl").write_text('{"a": 1}\n')
    for rootdir in (pytester.path, pytester.path.parent):
        result = pytester.runpytest("--contracts", f"../{outside.name}/day.jsonl", "-rf", f"--rootdir={rootdir}")
        result.assert_outcomes(failed=1, skipped=_live())
        result.stdout.fnmatch_lines([f"FAILED ../{outside.name}/day.jsonl::1*"])
