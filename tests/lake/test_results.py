"""The engine-neutral parts of the lake: units planned by size and numbered from counts give the local verdicts,
Arrow results round-trip, ``reconcile`` catches a unit kept twice and rows lost, a zip install is named."""
from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

pa = pytest.importorskip("pyarrow", reason="the lake tests need pyarrow: pip install -e '.[test]'")

from checkout_contracts import bulk  # noqa: E402
from checkout_contracts.lake import core, results  # noqa: E402
from lake_helpers import CHUNK, ROOT, rows_of  # noqa: E402


def _engine_like(paths, storage_options=None):
    """What every engine does, in-process: plan, count, judge each unit, Arrow."""
    units = core.plan_units(paths, storage_options, CHUNK)
    counts = [core.count_unit(u, storage_options) for u in core.to_counts(units)]
    units, expected = core.counted(units, counts)
    opts = core.options()
    batches = [b for u in units for b, _ in core.judge_unit(u, opts, storage_options)]
    return units, expected, pa.Table.from_batches(batches, results.SCHEMA)


def test_units_judged_anywhere_give_the_local_verdicts(hostile_dir, local_rows):
    units, expected, table = _engine_like([str(hostile_dir)])
    assert sum(u.source.endswith("day.jsonl") for u in units) > 1       # split into ranges
    assert [u for u in units if u.source.endswith(".gz")][0].compressed   # a gzip file is one unit
    assert rows_of(table.to_pylist()) == local_rows
    summary = results.reconcile(results.merge_counts([results.counts(table)]), expected)
    assert summary["reconciled"], summary["problems"]
    assert summary["total"] == summary["valid"] + summary["invalid"] + summary["unreadable"] == len(local_rows)
    assert summary["unreadable"] >= 10 and summary["invalid"] >= 10


def test_results_round_trip_as_outcomes(hostile_dir, local_rows):
    _, _, table = _engine_like([str(hostile_dir)])
    assert rows_of(results.outcomes(table)) == local_rows


def test_reconcile_finds_a_unit_kept_twice_and_rows_lost(hostile_dir):
    _, expected, table = _engine_like([str(hostile_dir / "day.jsonl")])
    parts = [results.counts(b) for b in table.to_batches()]
    assert results.reconcile(results.merge_counts(parts), expected)["reconciled"]
    twice = results.reconcile(results.merge_counts(parts + parts[-1:]), expected)
    assert not twice["reconciled"] and "counted twice" in twice["problems"][0]
    lost = results.reconcile(results.merge_counts(parts[:-1]), expected)
    assert not lost["reconciled"] and "rows for" in lost["problems"][0]
    assert not results.reconcile(results.merge_counts([results.counts(pa.concat_tables([table, table.slice(5, 1)]))]),
                                 expected)["reconciled"]


def test_code_shipped_as_a_zip_is_named(tmp_path):
    archive = tmp_path / "deps.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in (ROOT / "contracts").rglob("*.py"):
            zf.write(path, "checkout_contracts/" + path.relative_to(ROOT / "contracts").as_posix())  # the import name
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import checkout_contracts.lake as lake\n"
            "try:\n    lake.check_install()\nexcept lake.ShippedAsZip as exc:\n    print('ZIP', exc)\n")
    out = subprocess.run([sys.executable, "-I", "-c", code, str(archive)], capture_output=True, text=True, timeout=60)
    assert out.stdout.startswith("ZIP checkout-contracts is imported from a zip"), out.stdout + out.stderr[-2000:]
    assert "--py-files" in out.stdout
