"""The four report formats and --output: text (per source, locations first, summary), JSON (streamed, the
documented keys), JUnit (loads in a JUnit parser), GitHub workflow annotations."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET

import junitparser
import pytest

from validate_helpers import EXAMPLES, card_order, compact, run_subprocess

GOOD = compact(card_order())


def _bad_order() -> str:
    doc = card_order()
    doc["paymentOrder"]["status"] = "Payed"
    doc["paymentOrder"]["brandNew"] = True  # drift: a warning
    return compact(doc)


def _mixed(tmp_path):
    """day.jsonl: valid, invalid (+ a warning), unreadable, valid; single.json: valid."""
    (tmp_path / "day.jsonl").write_text("\n".join([GOOD, _bad_order(), '{"broken":', GOOD]) + "\n")
    (tmp_path / "single.json").write_text(GOOD)
    return tmp_path


def test_text_report(tmp_path, validate):
    _mixed(tmp_path)
    ran = validate(tmp_path)
    assert ran.rc == 1
    lines = ran.out.splitlines()
    day = str(tmp_path / "day.jsonl")
    head = lines.index(f"{day}:2  invalid  swedbankpay/checkout-v2/payment-order")
    assert lines[head + 1].startswith("    error: $.paymentOrder.status: [enum] ")
    assert lines[head + 2].startswith("    warning: $.paymentOrder.brandNew: [unknown-field] ")
    assert re.fullmatch(rf"{re.escape(day)}:3:\d+  unreadable: truncated: unexpected end of data", lines[head + 3])
    assert not any(line.startswith(f"{day}:1 ") or line.startswith(f"{day}:4 ") for line in lines)  # valid: quiet
    assert lines[-1] == ("5 payloads from 2 sources: 3 valid, 1 invalid, 1 unreadable; 1 warning "
                         "(--show-warnings lists them)")
    assert "\033[" not in ran.out  # not a terminal: no colour


def test_show_warnings_lists_valid_payloads_with_warnings(validate):
    paid = EXAMPLES / "swedbankpay" / "paid-swish.json"
    assert str(paid) not in validate(paid).out
    shown = validate(paid, "--show-warnings").out
    assert f"{paid}:1  valid  swedbankpay/checkout-v2/paid" in shown
    assert "    warning: $.paid.id: [spp-subresource-under-order]" in shown


def test_colour_only_on_a_terminal_and_never_with_no_color(tmp_path):
    from checkout_contracts.cli.color import wanted

    class Tty:
        def isatty(self):
            return True
    assert wanted("auto", Tty(), {"TERM": "xterm"})
    assert not wanted("auto", Tty(), {"TERM": "xterm", "NO_COLOR": "1"})
    assert not wanted("auto", Tty(), {"TERM": "dumb"})
    with open(tmp_path / "f", "w") as fh:
        assert not wanted("auto", fh, {"TERM": "xterm"})
        assert wanted("auto", fh, {"FORCE_COLOR": "1"})                    # a CI log that shows colour
        assert not wanted("auto", fh, {"FORCE_COLOR": "0"})
        assert not wanted("auto", fh, {"FORCE_COLOR": "1", "NO_COLOR": "1"})  # NO_COLOR wins
        assert wanted("always", fh, {"NO_COLOR": "1"}) and not wanted("never", Tty(), {"FORCE_COLOR": "1"})


@pytest.mark.parametrize("flags, env, coloured", [
    ((), {}, False), ((), {"FORCE_COLOR": "1"}, True), (("--color=always",), {}, True),
    (("--color=never",), {"FORCE_COLOR": "1"}, False), (("--color", "always"), {"NO_COLOR": "1"}, True),
])
def test_color_flag_and_force_color_end_to_end(tmp_path, flags, env, coloured):
    _mixed(tmp_path)
    ran = run_subprocess(tmp_path, *flags, env={"NO_COLOR": "", "FORCE_COLOR": "", **env})  # empty: not set
    assert ran.rc == 1 and ("\033[" in ran.out) is coloured


def test_json_report(tmp_path, validate):
    _mixed(tmp_path)
    ran = validate(tmp_path, "--format", "json")
    assert ran.rc == 1
    report = ran.json()
    assert report["summary"] == {
        "total": 5, "valid": 3, "invalid": 1, "unreadable": 1, "warnings": 1, "sources": 2, "skipped_non_json": 0,
        "skipped_no_schema": 0, "skipped_other_files": 0, "schemas": {"swedbankpay/checkout-v2/payment-order": 4}}
    results = report["results"]
    assert [(r["source"].rsplit("/", 1)[1], r["record"], r["line"], r["verdict"]) for r in results] == [
        ("day.jsonl", 1, 1, "valid"), ("day.jsonl", 2, 2, "invalid"), ("day.jsonl", 3, 3, "unreadable"),
        ("day.jsonl", 4, 4, "valid"), ("single.json", None, 1, "valid")]
    invalid = results[1]
    assert set(invalid) == {"source", "record", "line", "column", "schema", "verdict", "errors", "warnings"}
    assert invalid["schema"] == "swedbankpay/checkout-v2/payment-order"
    assert [(e["path"], e["code"]) for e in invalid["errors"]] == [("$.paymentOrder.status", "enum")]
    assert [(w["path"], w["code"]) for w in invalid["warnings"]] == [("$.paymentOrder.brandNew", "unknown-field")]
    assert all(set(e) == {"path", "code", "message"} for e in invalid["errors"] + invalid["warnings"])
    assert "checkout-contracts: 5 payloads" in ran.err  # one line for people on stderr


def test_json_report_of_http_records_names_the_exchange(validate):
    har = EXAMPLES / "captures" / "swedbankpay-browser-session.har"
    results = validate(har, "--format", "json").json()["results"]
    assert results[0]["http"]["method"] == "GET"
    assert results[0]["http"]["status"] == 200
    assert results[0]["http"]["url"].startswith("https://api.externalintegration.payex.com/psp/paymentorders/")


def test_junit_report_loads_in_a_junit_parser(tmp_path, validate):
    _mixed(tmp_path)
    out = tmp_path.parent / f"{tmp_path.name}-junit.xml"
    ran = validate(tmp_path, "--format", "junit", "--output", out)
    assert ran.rc == 1
    assert ran.out == ""
    xml = junitparser.JUnitXml.fromfile(str(out))
    suites = {suite.name.rsplit("/", 1)[1]: suite for suite in xml}
    assert set(suites) == {"day.jsonl", "single.json"}
    day = suites["day.jsonl"]
    assert (day.tests, day.failures, day.errors) == (4, 1, 1)
    cases = list(day)
    assert [c.name for c in cases][:2] == ["line 1 (swedbankpay/checkout-v2/payment-order)",
                                           "line 2 (swedbankpay/checkout-v2/payment-order)"]
    assert re.fullmatch(r"line 3:\d+", cases[2].name)
    assert cases[0].is_passed
    [failure] = cases[1].result
    assert isinstance(failure, junitparser.Failure)
    assert "$.paymentOrder.status: [enum]" in failure.text
    assert "[unknown-field]" in cases[1].system_out
    [error] = cases[2].result
    assert isinstance(error, junitparser.Error)
    assert "truncated" in error.message
    # the JUnit XSD element and attribute names, checked without the parser's help
    root = ET.parse(out).getroot()
    assert root.tag == "testsuites"
    for suite in root:
        assert suite.tag == "testsuite"
        assert {"name", "tests", "failures", "errors", "skipped", "time"} <= set(suite.attrib)
        for case in suite:
            assert case.tag == "testcase" and {"classname", "name", "time"} <= set(case.attrib)
            assert {child.tag for child in case} <= {"failure", "error", "system-out"}


def test_junit_escapes_control_characters(tmp_path, validate):
    (tmp_path / "weird.json").write_bytes(b'{"a": "\x01"}')  # an unescaped control character: the reason quotes it
    out = tmp_path / "r.xml"
    validate(tmp_path / "weird.json", "--format", "junit", "-o", out)
    ET.parse(out)  # well-formed XML whatever the reason holds


def test_github_annotations(tmp_path, validate):
    """One annotation per payload, every finding of it in the message, one per line."""
    _mixed(tmp_path)
    ran = validate(tmp_path, "--format", "github")
    assert ran.rc == 1
    day = tmp_path / "day.jsonl"
    lines = ran.out.splitlines()
    annotations = [line for line in lines if line.startswith("::")]
    pattern = re.compile(r"::(error|warning) file=([^,]+),line=(\d+)(?:,col=(\d+))?,title=([^:]+)::(.+)")
    parsed = [pattern.fullmatch(a) for a in annotations]
    assert all(parsed), annotations
    assert [(m.group(1), m.group(2), m.group(3), m.group(5)) for m in parsed] == [
        ("error", str(day), "2", "invalid%3A swedbankpay/checkout-v2/payment-order (1 error%2C 1 warning)"),
        ("error", str(day), "3", "unreadable payload"),
    ]
    message = parsed[0].group(6).split("%0A")
    assert message[0].startswith("error: $.paymentOrder.status: [enum] ")
    assert message[1].startswith("warning: ") and "[unknown-field]" in message[1]
    assert parsed[1].group(4) is not None  # the column of the syntax error
    assert lines[-1].startswith("checkout-contracts: 5 payloads from 2 sources")


def test_github_annotations_are_capped_with_a_notice(tmp_path, validate):
    from checkout_contracts.report.github import MAX_ANNOTATIONS
    bad = {"type": "https://api.payex.com/psp/errordetail/x", "title": "t", "status": 200}
    (tmp_path / "many.jsonl").write_text("\n".join(json.dumps(bad) for _ in range(MAX_ANNOTATIONS + 5)) + "\n")
    ran = validate(tmp_path, "--format", "github")
    lines = ran.out.splitlines()
    assert sum(line.startswith("::error ") for line in lines) == MAX_ANNOTATIONS
    assert f"::notice title=checkout-contracts::5 more payloads with findings not annotated (at most " \
           f"{MAX_ANNOTATIONS} per run): see the log" in lines
    assert f"{tmp_path / 'many.jsonl'}:{MAX_ANNOTATIONS + 5}  invalid: swedbankpay/checkout-v2/problem (1 error)" in lines
    assert lines[-1].startswith(f"checkout-contracts: {MAX_ANNOTATIONS + 5} payloads")


def test_github_escapes_properties_and_data():
    from checkout_contracts.report import Outcome
    from checkout_contracts.report.github import GithubReporter
    import io
    out = io.StringIO()
    GithubReporter(out).add(Outcome("a,b:c.json", None, 3, None, "s", "invalid", (("$.x", "enum", "50%\nnext"),)))
    # a line break inside a message is shown escaped (it came from a payload: issue 12 item 8), the rest as the
    # runner expects
    assert out.getvalue() == "::error file=a%2Cb%3Ac.json,line=3,title=invalid%3A s (1 error)::error: $.x: [enum] 50%25\\x0anext\n"


def test_output_file(tmp_path):
    _mixed(tmp_path)
    ran = run_subprocess(tmp_path, "--output", tmp_path / "report.txt")
    assert ran.rc == 1
    assert ran.out == ""
    text = (tmp_path / "report.txt").read_text()
    assert "invalid  swedbankpay/checkout-v2/payment-order" in text
    assert ran.err.strip() == "checkout-contracts: 5 payloads from 2 sources: 3 valid, 1 invalid, 1 unreadable; 1 warning"


def test_output_to_an_unwritable_place_is_a_usage_error(tmp_path, validate):
    ran = run_subprocess(EXAMPLES / "paiwise" / "customer.json", "--output", tmp_path / "no" / "such" / "dir.txt")
    assert ran.rc == 2
    assert "cannot write" in ran.err


def test_drift_report_text_and_json(tmp_path, validate):
    _mixed(tmp_path)
    text = validate(tmp_path, "--drift-report").out
    assert "drift report" in text
    assert "unknown fields (1):" in text
    assert re.search(r"\$\.paymentOrder\.brandNew  ×1  first at .*day\.jsonl:2", text)
    drift = validate(tmp_path, "--drift-report", "--format", "json").json()["drift"]
    assert drift["unknown_fields"] == [{"schema": "swedbankpay/checkout-v2/payment-order",
                                        "path": "$.paymentOrder.brandNew", "count": 1,
                                        "first": f"{tmp_path / 'day.jsonl'}:2"}]
    assert drift["valid_payloads"] == {"swedbankpay/checkout-v2/payment-order": 3}
    never = {d["path"] for d in drift["never_seen"]}
    assert "$.paymentOrder.paid.details.maskedDPan" in never  # documented (through $ref), not in a card payment
    assert "$.paymentOrder.paid.details.maskedPan" not in never
    assert json.dumps(drift)  # plain JSON


def test_json_results_are_written_as_they_come():
    import io
    from checkout_contracts.report import Outcome, Summary
    from checkout_contracts.report.json import JsonReporter
    out = io.StringIO()
    reporter = JsonReporter(out)
    reporter.begin()
    reporter.add(Outcome("a.jsonl", 1, 1, None, "s", "valid"))
    assert '"source":"a.jsonl"' in out.getvalue()  # before the run ends
    reporter.end(Summary(total=1, valid=1), None)
    assert json.loads(out.getvalue())["summary"]["total"] == 1


def test_progress_only_on_a_terminal():
    import io
    from checkout_contracts.report.progress import Progress

    class Tty(io.StringIO):
        def isatty(self):
            return True
    assert not Progress(io.StringIO()).enabled
    tty = Tty()
    progress = Progress(tty, delay=0)
    assert progress.enabled
    progress.update(12345)
    assert "validating: 12,345 payloads" in tty.getvalue() and "/s" in tty.getvalue()
    progress.clear()
    assert tty.getvalue().endswith("\r\033[K")


def test_files_a_folder_walk_passes_over_are_counted_and_named_in_the_summary(tmp_path, validate):
    (tmp_path / "a.json").write_text(json.dumps(card_order()))
    (tmp_path / "notes.txt").write_text("not read")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "dump.log").write_text("{}")
    (tmp_path / ".hidden.json").write_text("{}")  # hidden: not a capture, not counted
    ran = validate(tmp_path)
    assert ran.rc == 0
    assert "2 other files in folders passed over (not .json/.jsonl/.ndjson/.yaml/.yml/.har[.gz]" in ran.out
    assert validate(tmp_path, "--format", "json").json()["summary"]["skipped_other_files"] == 2
    assert validate(tmp_path / "notes.txt").rc == 1  # named on the command line, it is read (and sniffed)
