"""The issue's scale, for every schema name: 1,000 valid payloads pass `check` with no finding, edge payloads are
valid, every lifecycle snapshot is valid, and `generate` works for every schema and kind, byte-for-byte
deterministic per seed, with its manifest."""
from __future__ import annotations

import json

import pytest

from checkout_contracts import check, registry
from checkout_contracts.cli import main
from checkout_contracts.redact import find_pans
from checkout_contracts.strategies import fixtures

NAMES = registry.names()
KINDS = ("valid", "edge", "invalid", "lifecycle")


@pytest.mark.parametrize("name", NAMES)
def test_1000_valid_payloads_pass_check_with_no_finding(name, strings):
    for ex in fixtures.examples(name, "valid", 1000, seed="every-schema"):
        result = check(ex.payload, name)
        assert not result.findings, f"example {ex.index}: {result.explain()}"
        assert not any(find_pans(s) for s in strings(ex.payload))
    for ex in fixtures.examples(name, "valid", 50, seed="python-engine"):
        assert not check(ex.payload, name, engine_name="python").findings


@pytest.mark.parametrize("name", NAMES)
def test_edge_and_lifecycle_payloads_are_valid(name):
    for ex in fixtures.examples(name, "edge", 60, seed="every-schema"):
        result = check(ex.payload, name)
        assert result.valid, f"edge {ex.target}: {result.explain()}"
    for ex in fixtures.examples(name, "lifecycle", 10, seed="every-schema"):
        result = check(ex.payload, name)
        assert result.valid, f"lifecycle {ex.lifecycle}: {result.explain()}"


@pytest.mark.parametrize("name", NAMES)
def test_invalid_payloads_carry_exactly_their_label(name):
    for ex in fixtures.examples(name, "invalid", 200, seed="every-schema"):
        result = check(ex.payload, name)
        assert not result.valid
        assert (ex.label["path"], ex.label["code"]) in {(f.path, f.code) for f in result.errors}, \
            f"{ex.label}: {result.explain()}"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", NAMES)
def test_generate_every_schema_and_kind_is_deterministic(name, kind, tmp_path, capsys):
    for run in ("a", "b"):
        assert main(["generate", name, "--kind", kind, "--count", "3", "--seed", "7", "--out", str(tmp_path / run)]) == 0
    capsys.readouterr()
    files_a = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files_a == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert "manifest.json" in files_a and len(files_a) >= 4
    for f in files_a:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert manifest["schema"] == name and manifest["kind"] == kind and len(manifest["files"]) == len(files_a) - 1
