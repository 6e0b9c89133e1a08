"""``checkout-contracts generate``: same seed → same bytes, the manifest says what each file is, labels hold,
formats, coverage, usage errors."""
from __future__ import annotations

import json

import pytest
import yaml

from checkout_contracts import check, registry
from checkout_contracts.cli import main
from checkout_contracts.redact import find_pans

PO = "swedbankpay/checkout-v2/payment-order"


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.mark.parametrize("kind", ["valid", "edge", "invalid", "lifecycle"])
@pytest.mark.parametrize("fmt", ["json", "jsonl", "yaml"])
def test_same_seed_same_bytes(tmp_path, kind, fmt):
    for run in ("a", "b"):
        assert main(["generate", PO, "--kind", kind, "--count", "6", "--seed", "42", "--format", fmt,
                     "--out", str(tmp_path / run)]) == 0
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert a == b and "manifest.json" in a and len(a) > 1
    assert main(["generate", PO, "--kind", kind, "--count", "6", "--seed", "43", "--format", fmt,
                 "--out", str(tmp_path / "c")]) == 0
    assert _files(tmp_path / "c") != a


def test_more_examples_keep_the_first_ones(tmp_path):
    main(["generate", "paiwise/checkout", "--count", "3", "--out", str(tmp_path / "few")])
    main(["generate", "paiwise/checkout", "--count", "8", "--out", str(tmp_path / "many")])
    few = _files(tmp_path / "few")
    many = _files(tmp_path / "many")
    assert all(many[name] == data for name, data in few.items() if name != "manifest.json")


def test_json_files_are_pretty_in_document_order(tmp_path):
    main(["generate", PO, "--count", "2", "--out", str(tmp_path)])
    text = (tmp_path / "swedbankpay-checkout-v2-payment-order-valid-0000.json").read_text()
    assert text.endswith("}\n") and text.startswith('{\n  "paymentOrder": {\n    "id": "/psp/paymentorders/')
    doc = json.loads(text)
    assert list(doc["paymentOrder"])[:5] == ["id", "created", "updated", "operation", "status"]


def test_manifest_labels_hold_for_invalid(tmp_path):
    assert main(["generate", "paiwise/checkout", "--kind", "invalid", "--count", "25", "--seed", "9",
                 "--out", str(tmp_path)]) == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["schema"] == "paiwise/checkout" and manifest["kind"] == "invalid" and manifest["seed"] == "9"
    assert len(manifest["files"]) == 25
    for entry in manifest["files"]:
        assert {"file", "schema", "kind", "seed", "index", "label"} <= set(entry)
        doc = json.loads((tmp_path / entry["file"]).read_text())
        errors = {(f.path, f.code) for f in check(doc, entry["schema"]).errors}
        assert errors == {(entry["label"]["path"], entry["label"]["code"])}
        assert entry["label"]["description"]


def test_lifecycle_files_and_manifest(tmp_path):
    assert main(["generate", PO, "--kind", "lifecycle", "--count", "4", "--out", str(tmp_path)]) == 0
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    steps: dict[int, list] = {}
    for entry in manifest["files"]:
        life = entry["lifecycle"]
        steps.setdefault(life["id"], []).append(life["step"])
        doc = json.loads((tmp_path / entry["file"]).read_text())
        assert doc["paymentOrder"]["status"] == life["status"]
        assert not check(doc, PO).findings
    assert sorted(steps) == [0, 1, 2, 3] and all(s == list(range(len(s))) for s in steps.values())


def test_jsonl_and_yaml_hold_the_same_payloads(tmp_path):
    main(["generate", "paiwise/customer", "--count", "5", "--format", "jsonl", "--out", str(tmp_path / "l")])
    main(["generate", "paiwise/customer", "--count", "5", "--format", "yaml", "--out", str(tmp_path / "y")])
    lines = (tmp_path / "l" / "paiwise-customer-valid.jsonl").read_text().splitlines()
    manifest = json.loads((tmp_path / "l" / "manifest.json").read_text())
    assert [e["line"] for e in manifest["files"]] == [1, 2, 3, 4, 5]
    for i, line in enumerate(lines):
        y = yaml.safe_load((tmp_path / "y" / f"paiwise-customer-valid-{i:04d}.yaml").read_text())
        assert json.loads(line) == y


def test_stdout_jsonl(capsys):
    assert main(["generate", "swedbankpay/checkout-v2/token", "--count", "4", "--out", "-"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 4
    for line in out:
        assert not check(json.loads(line), "swedbankpay/checkout-v2/token").findings


@pytest.mark.parametrize("kind", ["valid", "edge", "invalid", "lifecycle"])
def test_no_full_card_number_in_any_file(tmp_path, kind, strings):
    for name in ("swedbankpay/checkout-v2/paid", "paiwise/checkout"):
        main(["generate", name, "--kind", kind, "--count", "30", "--out", str(tmp_path / kind / name)])
        manifest = json.loads((tmp_path / kind / name / "manifest.json").read_text())
        for entry in manifest["files"]:
            doc = json.loads((tmp_path / kind / name / entry["file"]).read_text())
            pans = [s for s in strings(doc) if find_pans(s)]
            if entry.get("label", {}).get("code") == "unmasked-pan":
                assert len(pans) == 1          # the one planted on purpose, and labelled
            else:
                assert not pans


def test_coverage_lists_every_status_as_produced(capsys):
    assert main(["generate", PO, "--coverage", "--count", "150"]) == 0
    out = capsys.readouterr().out
    for status in ("Initialized", "Paid", "Failed", "Cancelled", "Aborted", "Reversed"):
        line = next(x for x in out.splitlines() if x.strip().startswith("$.paymentOrder.status") and f'"{status}"' in x)
        assert int(line.split()[-1]) > 0, line
    assert "optional fields" in out and "$.paymentOrder.remainingReversalAmount" in out
    assert main(["generate", "paiwise/checkout", "--coverage", "--kind", "edge"]) == 0
    out = capsys.readouterr().out
    status_lines = [x for x in out.splitlines() if x.strip().startswith("$.status ")]
    assert len(status_lines) == 9 and all(int(x.split()[-1]) > 0 for x in status_lines)
    assert "gaps: none" in out


def test_coverage_gaps_are_listed_with_exit_0(capsys):
    assert main(["generate", "paiwise/checkout", "--coverage", "--count", "3"]) == 0
    out = capsys.readouterr().out
    assert "gaps:" in out and "never produced" in out and '"Duplicate" (warned spelling' in out


def test_usage_errors(tmp_path, capsys):
    assert main(["generate", "paiwise/nope", "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "unknown schema 'paiwise/nope'" in err and "paiwise/checkout" in err and len(err.strip().splitlines()) == 1
    assert main(["generate", "paiwise/checkout"]) == 2
    assert "--out" in capsys.readouterr().err
    (tmp_path / "file").write_text("x")
    assert main(["generate", "paiwise/checkout", "--out", str(tmp_path / "file")]) == 2
    assert main(["generate", "paiwise/checkout", "--with", "colour=red", "--out", str(tmp_path / "d")]) == 2
    assert "colour" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main(["generate", "paiwise/checkout", "--count", "0"])
    assert exc.value.code == 2


def test_builder_parameters(tmp_path):
    assert main(["generate", PO, "--with", "status=Paid", "--with", "instrument=Swish", "--count", "5",
                 "--out", str(tmp_path)]) == 0
    for path in tmp_path.glob("*-valid-*.json"):
        doc = json.loads(path.read_text())
        assert doc["paymentOrder"]["status"] == "Paid"


def test_every_schema_generates(tmp_path):
    for name in registry.names():
        assert main(["generate", name, "--count", "2", "--kind", "edge", "--out", str(tmp_path / name)]) == 0


@pytest.mark.parametrize("fmt", ["json", "yaml", "jsonl"])
def test_generated_fixtures_validate_as_they_are_without_a_schema_flag(tmp_path, capsys, fmt):
    """What another team gets from `generate` passes `validate` on the folder: the schema comes from generate's file
    names (request and token bodies have no response shape), the manifest is passed over and counted."""
    out = tmp_path / "fixtures"
    names = ["paiwise/requests/create", "swedbankpay/checkout-v2/token", "swedbankpay/checkout-v2/operation", PO]
    for name in names:
        assert main(["generate", name, "--count", "3", "--format", fmt, "--out", str(out / name.split("/")[-1])]) == 0
    assert main(["generate", PO, "--kind", "lifecycle", "--count", "2", "--format", fmt, "--out", str(out / "life")]) == 0
    capsys.readouterr()
    rc = main(["validate", "--format", "json", "--jobs", "1", str(out)])
    report = json.loads(capsys.readouterr().out)
    assert rc == 0, [r for r in report["results"] if r["verdict"] != "valid"]
    if fmt != "jsonl":
        assert {r["schema"] for r in report["results"]} == set(names)
    assert report["summary"]["skipped_other_files"] == 5  # the five manifests


def test_generated_broken_fixtures_are_each_invalid(tmp_path, capsys):
    out = tmp_path / "broken"
    assert main(["generate", "paiwise/requests/create", "--kind", "invalid", "--count", "8", "--out", str(out)]) == 0
    capsys.readouterr()
    assert main(["validate", "--format", "json", "--jobs", "1", str(out)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["summary"]["invalid"] == 8 and report["summary"]["total"] == 8


def test_a_file_named_manifest_json_that_generate_did_not_write_is_a_payload(tmp_path, capsys):
    (tmp_path / "manifest.json").write_text('{"generator": "someone else"}')
    capsys.readouterr()
    assert main(["validate", "--format", "json", "--jobs", "1", str(tmp_path)]) == 1
    assert json.loads(capsys.readouterr().out)["summary"]["total"] == 1


@pytest.mark.parametrize("name, param, known", [
    (PO, "status=Bogus", "Initialized, Paid"), (PO, "status=paid", "Initialized, Paid"),
    (PO, "instrument=Bogus", "CreditCard"), ("swedbankpay/checkout-v2/paid", "instrument=Card", "CreditCard"),
    ("swedbankpay/checkout-v2/payment-order-state", "state=Paid", "Ready, Pending"),
    ("swedbankpay/checkout-v2/operation", "rel=nope", "update-paymentorder-abort"),
    ("paiwise/checkout", "status=Paid", "created, reserved"),
])
def test_an_unknown_builder_value_is_a_usage_error_that_lists_the_known_ones(capsys, name, param, known):
    assert main(["generate", name, "--with", param, "--out", "-"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and "unknown" in captured.err and known in captured.err
    assert "Traceback" not in captured.err


def test_a_with_value_that_only_looks_like_a_number_is_text(capsys):
    assert main(["generate", "paiwise/checkout", "--with", "status=²", "--out", "-"]) == 2
    assert "unknown status '²'" in capsys.readouterr().err


def test_out_dash_streams_each_payload_as_it_is_made(monkeypatch, capsys):
    from checkout_contracts.strategies import fixtures
    real = fixtures.examples

    def first_then_fail(*args, **kwargs):
        examples = real(*args, **kwargs)
        yield next(examples)
        raise ValueError("stop here")
    monkeypatch.setattr(fixtures, "examples", first_then_fail)
    assert main(["generate", PO, "--count", "5", "--out", "-"]) == 2
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 1 and json.loads(captured.out)["paymentOrder"]
    assert "stop here" in captured.err



@pytest.mark.parametrize("name, schema", [
    ("paiwise-requests-create-valid-0003.json", "paiwise/requests/create"),
    ("swedbankpay-checkout-v2-payment-order-lifecycle-0001-02.yaml", PO),
    ("paiwise-checkout-edge.jsonl", "paiwise/checkout"),
    ("paiwise-checkout-session.jsonl", None),        # a user's file: not generate's naming, the shape decides
    ("paiwise-checkout-valid-notes.json", None),
])
def test_only_generates_own_file_names_name_the_schema(name, schema):
    from checkout_contracts.bulk import schema_for_path
    assert schema_for_path(f"fixtures/{name}") == schema