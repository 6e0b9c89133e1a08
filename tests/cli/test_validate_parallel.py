"""The pipeline: --jobs N gives the same report as --jobs 1, in input order; blocks of JSON Lines keep their
line numbers; stdin works for every format; memory stays flat on a long JSONL."""
from __future__ import annotations

import gzip
import json
import subprocess
import sys

import pytest

from checkout_contracts import bulk
from checkout_contracts.inputs import iter_records
from validate_helpers import EXAMPLES, ROOT, card_order, compact, run_subprocess


def _order(i: int, **changes) -> str:
    doc = card_order()
    doc["paymentOrder"]["description"] = f"Order {i}"
    doc["paymentOrder"].update(changes)
    return compact(doc)


def _day(path, n: int = 300) -> list[int]:
    """A JSONL dump with trouble on known lines; returns the troubled line numbers."""
    lines, trouble = [], []
    for i in range(1, n + 1):
        if i % 37 == 0:
            lines.append(_order(i)[:150])                       # unreadable
            trouble.append(i)
        elif i % 41 == 0:
            lines.append(_order(i, status="Payed"))             # invalid
            trouble.append(i)
        elif i % 43 == 0:
            lines.append(_order(i, extra=i))                    # valid, a drift warning
        elif i % 47 == 0:
            lines.append("")                                    # blank: counted, not a record
        else:
            lines.append(_order(i))
    path.write_text("\n".join(lines) + "\n")
    return trouble


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of ~16 KB and no small-run shortcut: a few hundred lines become many work units."""
    monkeypatch.setattr(bulk.plan, "CHUNK", 16 << 10)
    monkeypatch.setattr(bulk.schedule, "SMALL_RUN", 0)


def test_jobs_2_gives_the_jobs_1_report_in_input_order(tmp_path, validate, small_blocks):
    trouble = _day(tmp_path / "day.jsonl")
    (tmp_path / "zz-single.json").write_text(_order(0))
    one = validate(tmp_path, "--format", "json", "--drift-report", "--jobs", "1").json()
    two = validate(tmp_path, "--format", "json", "--drift-report", "--jobs", "2").json()
    assert one == two
    results = two["results"]
    day = [r for r in results if r["source"].endswith("day.jsonl")]
    assert [r["line"] for r in day] == sorted(r["line"] for r in day)          # in input order
    assert [r["line"] for r in day if r["verdict"] != "valid"] == trouble     # right numbers across blocks
    assert all(r["record"] == r["line"] for r in day)
    assert results[-1]["source"].endswith("zz-single.json")
    first = two["drift"]["unknown_fields"][0]
    assert (first["path"], first["count"], first["first"]) == ("$.paymentOrder.extra", 6, f"{tmp_path / 'day.jsonl'}:43")
    text = validate(tmp_path, "--jobs", "2").out
    assert text == validate(tmp_path, "--jobs", "1").out


def test_pool_is_used_for_a_large_run(tmp_path, small_blocks):
    _day(tmp_path / "day.jsonl", 100)
    run = bulk.Run([str(tmp_path)], bulk.Options(jobs=2))
    batches = list(run)
    assert run.parallel and len(batches) > 4
    assert sum(len(b) for b in batches) == 98  # 100 lines, 2 blank


def _serial(path: str) -> list[tuple]:
    """What the plain reader + judge give, one record at a time (the reference)."""
    opts = bulk.Options()
    return [tuple(bulk.judge(rec, opts)) for rec in iter_records([path])]


def _bulk(path: str, jobs: int) -> list[tuple]:
    return [tuple(o) for batch in bulk.Run([path], bulk.Options(jobs=jobs)) for o in batch]


def test_blocks_equal_the_serial_reader(tmp_path, small_blocks):
    _day(tmp_path / "day.jsonl", 120)
    raw = (tmp_path / "day.jsonl").read_bytes()
    (tmp_path / "bom.jsonl").write_bytes(b"\xef\xbb\xbf" + raw)
    with gzip.open(tmp_path / "day.jsonl.gz", "wb") as fh:
        fh.write(raw)
    (tmp_path / "cut.jsonl.gz").write_bytes(gzip.compress(raw)[: len(gzip.compress(raw)) // 2])  # corrupt mid-way
    for name in ("day.jsonl", "bom.jsonl", "day.jsonl.gz", "cut.jsonl.gz"):
        path = str(tmp_path / name)
        expected = _serial(path)
        assert _bulk(path, 1) == expected, name
        assert _bulk(path, 2) == expected, name
    cut = _serial(str(tmp_path / "cut.jsonl.gz"))
    assert cut[-1][5] == "unreadable" and "corrupt gzip" in cut[-1][6][0][2]


def test_captures_equal_the_serial_reader():
    for path in sorted((EXAMPLES / "captures").iterdir()):
        assert _bulk(str(path), 1) == _serial(str(path)), path.name


@pytest.mark.parametrize("name,data,expected", [
    ("jsonl", (EXAMPLES / "captures" / "swedbankpay-2024-05-14.jsonl").read_bytes(), 20),
    ("json", (EXAMPLES / "swedbankpay" / "paid-swish.json").read_bytes(), 1),
    ("yaml cassette", (EXAMPLES / "captures" / "paiwise-checkout-flow.yaml").read_bytes(), 4),
    ("gzip jsonl", gzip.compress((EXAMPLES / "captures" / "swedbankpay-2024-05-14.jsonl").read_bytes()), 20),
])
def test_stdin(name, data, expected):
    ran = run_subprocess("-", "--format", "json", stdin=data)
    assert ran.rc == 0, ran
    report = ran.json()
    assert report["summary"]["total"] == report["summary"]["valid"] == expected
    assert {r["source"] for r in report["results"]} == {"<stdin>"}
    if expected > 1 and name != "yaml cassette":
        assert [r["line"] for r in report["results"]] == list(range(1, expected + 1))


def test_stdin_with_a_broken_line(tmp_path):
    data = "\n".join([_order(1), "{nope", _order(3)]).encode() + b"\n"
    ran = run_subprocess("-", stdin=data)
    assert ran.rc == 1
    assert "<stdin>:2:2  unreadable: syntax error: object keys must be strings in double quotes" in ran.out


_RSS = r"""
import json, resource, subprocess, sys
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
print(json.dumps({"rc": proc.returncode, "kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "err": proc.stderr.decode()}))
"""


def _peak_rss(*args: str) -> dict:
    cmd = [sys.executable, "-c", _RSS, sys.executable, "-m", "checkout_contracts", "validate", *map(str, args)]
    return json.loads(subprocess.run(cmd, capture_output=True, check=True, cwd=ROOT, timeout=300).stdout)


def test_20k_lines_stream_in_flat_memory(tmp_path):
    """20,000 payloads (~55 MB): the JSON report streams, memory does not grow with the input."""
    line = _order(1) + "\n"
    with open(tmp_path / "big.jsonl", "w") as fh:
        for _ in range(20_000):
            fh.write(line)
    (tmp_path / "small.jsonl").write_text(line * 200)
    small = _peak_rss(tmp_path / "small.jsonl", "--format", "json", "--jobs", "2", "-o", tmp_path / "small.json")
    big = _peak_rss(tmp_path / "big.jsonl", "--format", "json", "--jobs", "2", "-o", tmp_path / "big.json")
    assert small["rc"] == big["rc"] == 0, big["err"]
    assert "20000 payloads from 1 source: 20000 valid" in big["err"]
    growth_mb = (big["kb"] - small["kb"]) / 1024
    assert growth_mb < 15, f"peak RSS grew by {growth_mb:.0f} MB for 55 MB of input"
    with open(tmp_path / "big.json", "rb") as fh:
        report = json.load(fh)
    assert [r["line"] for r in report["results"]] == list(range(1, 20_001))


_real_work = bulk.worker.work


def _dies_on_the_third_block(unit, opts):  # module level: the pool pickles it by name
    import os
    if isinstance(unit, bulk.Unit) and unit.offset > 2 * bulk.plan.CHUNK:
        os._exit(3)  # as a crash in native code would
    return _real_work(unit, opts)


def test_a_dead_worker_ends_the_run_with_one_line(tmp_path, validate, small_blocks, monkeypatch):
    _day(tmp_path / "day.jsonl", 100)
    monkeypatch.setattr(bulk.worker, "work", _dies_on_the_third_block)
    ran = validate(tmp_path, "--jobs", "2", "--format", "json")
    assert ran.rc == 1
    assert ran.err.splitlines()[-1].startswith("checkout-contracts: error: a worker process died while checking ")
    assert "Traceback" not in ran.err
    json.loads(ran.out)  # the report is still well-formed


def test_a_report_where_the_folder_walk_reads_is_refused_and_nothing_is_written(tmp_path, validate):
    """Issue 12 item 6: `-o captures/day1.jsonl captures/` once replaced a capture with the report."""
    (tmp_path / "order.json").write_text(_order(1))
    (tmp_path / "report.json").write_text("left over from the last run, or a capture: not ours to replace")
    for target in (tmp_path / "report.json", tmp_path / "sub" / "new.jsonl"):
        ran = validate(tmp_path, "--format", "json", "--output", target)
        assert ran.rc == 2 and "inside the input folder" in ran.err and "Traceback" not in ran.err
    assert (tmp_path / "report.json").read_text().startswith("left over")
    assert not (tmp_path / "sub").exists()
    ran = validate(tmp_path, "--format", "json", "--output", tmp_path / "report.txt")  # not a suffix it reads
    report = json.loads((tmp_path / "report.txt").read_text())
    assert [(r["source"], r["verdict"]) for r in report["results"]] == [
        (str(tmp_path / "order.json"), "valid"), (str(tmp_path / "report.json"), "unreadable")]
    assert ran.rc == 1
