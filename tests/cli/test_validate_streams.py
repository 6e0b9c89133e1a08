"""Hostile input to the bulk pipeline (issue #12, items 3–5), each run as a subprocess under a memory limit
(``RLIMIT_AS`` set in the child, so a regression fails here instead of taking the machine), with the fast path
on and off, ``--jobs 1`` and ``--jobs 2``:

* a line far over the size limit of one record is one unreadable record, skipped by scanning, never held;
  a device behind a ``.jsonl`` name (``/dev/zero``) is not read;
* millions of tiny records stream in bounded batches: memory is flat in the number of records;
* a pipe, ``<(…)`` or a FIFO is read once, as a stream."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest

from validate_helpers import CARD_ORDER, ROOT

LIMIT_AS = 1536 << 20  # virtual memory the child may map (what a regression would blow through)

_HARNESS = r"""
import json, resource, subprocess, sys
limit = int(sys.argv[1])
def cap():
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
proc = subprocess.run(sys.argv[2:], stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=cap, timeout=240)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": proc.returncode, "kb": ru.ru_maxrss, "out": proc.stdout.decode(errors="replace")[-4000:],
                  "err": proc.stderr.decode(errors="replace")[-4000:]}))
"""


def _validate(*args, fast: bool = True, shell: str | None = None) -> dict:
    env = {**os.environ, "CHECKOUT_CONTRACTS_FASTPATH": "1" if fast else "0"}
    cmd = [sys.executable, "-m", "checkout_contracts", "validate", *map(str, args)]
    if shell is not None:  # process substitution needs bash
        cmd = ["bash", "-c", shell.replace("VALIDATE", f"{sys.executable} -m checkout_contracts validate")]
    proc = subprocess.run([sys.executable, "-c", _HARNESS, str(LIMIT_AS), *cmd], capture_output=True, cwd=ROOT,
                          env=env, timeout=300)
    ran = json.loads(proc.stdout)
    assert "Traceback" not in ran["err"] and "MemoryError" not in ran["err"], ran["err"]
    return ran


MODES = [pytest.param(fast, jobs, id=f"{'fast' if fast else 'nofast'}-j{jobs}") for fast in (True, False)
         for jobs in (1, 2)]


@pytest.mark.parametrize("fast,jobs", MODES)
def test_a_300_mb_line_is_one_unreadable_record_skipped_by_scanning(tmp_path, fast, jobs):
    path = tmp_path / "day.jsonl"
    order = CARD_ORDER.read_bytes().replace(b"\n", b" ")
    with open(path, "wb") as fh:
        fh.write(b"\xef\xbb\xbf" + order + b"\n")
        start = fh.tell()
        fh.truncate(start + (300 << 20))  # a sparse 300 MB line of NUL bytes: no disk, no time to write
        fh.seek(0, 2)
        fh.write(b"\n" + order + b"\n\n" + order)
    ran = _validate("--format", "json", "--jobs", jobs, path, fast=fast)
    assert ran["rc"] == 1
    assert ran["kb"] < 400 << 10, f"peak RSS {ran['kb'] >> 10} MB"
    assert "4 payloads from 1 source: 3 valid, 0 invalid, 1 unreadable" in ran["err"], ran["err"]
    assert ':2,"column":1,' in ran["out"] and "payload of 300 MB is larger than the 16 MB bound" in ran["out"]


@pytest.mark.parametrize("fast,jobs", MODES)
def test_a_huge_line_on_stdin_and_in_gzip_is_skipped_too(tmp_path, fast, jobs):
    import gzip
    order = CARD_ORDER.read_bytes().replace(b"\n", b" ")
    data = order + b"\n" + b" " * (40 << 20) + b"x\n" + order + b"\n"
    path = tmp_path / "day.jsonl.gz"
    path.write_bytes(gzip.compress(data, 1))
    ran = _validate("--jobs", jobs, path, fast=fast)
    assert "3 payloads from 1 source: 2 valid, 0 invalid, 1 unreadable" in ran["out"], ran["out"] + ran["err"]
    assert "day.jsonl.gz:2:1  unreadable: payload of 40 MB is larger than the 16 MB bound" in ran["out"]
    assert ran["kb"] < 400 << 10


def test_a_device_behind_a_jsonl_name_is_not_read(tmp_path):
    link = tmp_path / "zero.jsonl"
    link.symlink_to("/dev/zero")
    ran = _validate(link)
    assert ran["rc"] == 1
    assert "zero.jsonl  unreadable: a device, not a file or a pipe: not read" in ran["out"]


@pytest.mark.parametrize("fast", [True, False])
def test_results_come_in_batches_bounded_by_count(tmp_path, monkeypatch, fast):
    """60,000 records in 120 KB (one small file, one work unit): more than one batch, none over the bound."""
    from checkout_contracts import bulk, fastpath
    from checkout_contracts.inputs.jsonl import READ_SIZE
    monkeypatch.setenv("CHECKOUT_CONTRACTS_FASTPATH", "1" if fast else "0")
    fastpath.get.cache_clear()
    path = tmp_path / "ones.jsonl"
    path.write_bytes(b"1\n" * 60_000)
    try:
        sizes = [len(batch) for batch in bulk.Run([str(path)], bulk.Options())]
    finally:
        fastpath.get.cache_clear()
    assert sum(sizes) == 60_000 and len(sizes) > 1
    assert max(sizes) <= bulk.BATCH_RECORDS + READ_SIZE // 2, sizes


def test_300k_tiny_records_stream_in_flat_memory(tmp_path):
    """Each is unreadable (not an object): the outcomes that are not plain are the heavy ones to carry."""
    path = tmp_path / "ones.jsonl"
    path.write_bytes(b"1\n" * 300_000)
    ran = _validate("--format", "json", "-o", tmp_path / "report.json", "--jobs", "2", path)
    assert "300000 payloads from 1 source: 0 valid, 0 invalid, 300000 unreadable" in ran["err"], ran["err"]
    assert ran["kb"] < 200 << 10, f"peak RSS {ran['kb'] >> 10} MB"
    with open(tmp_path / "report.json", "rb") as fh:
        lines = [r["line"] for r in json.load(fh)["results"]]
    assert lines == list(range(1, 300_001))


@pytest.mark.parametrize("fast", [True, False])
def test_process_substitution_is_read_once(tmp_path, fast):
    ran = _validate(fast=fast, shell=f"VALIDATE <(cat {CARD_ORDER})")
    assert ran["rc"] == 0, ran["out"]
    assert "1 payload from 1 source: 1 valid" in ran["out"]


def test_a_fifo_fed_a_document_does_not_hang(tmp_path):
    fifo = tmp_path / "in.json"
    os.mkfifo(fifo)

    def feed():
        with open(fifo, "wb") as fh:
            fh.write(CARD_ORDER.read_bytes())
    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    ran = _validate("--jobs", "2", fifo)
    writer.join(5)
    assert ran["rc"] == 0 and "1 payload from 1 source: 1 valid" in ran["out"], ran
    assert not writer.is_alive()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_big_jsonl_through_a_pipe_streams(tmp_path, jobs):
    """60,000 orders (~140 MB) through ``<(cat …)``: read once, in blocks; memory does not follow the input."""
    line = CARD_ORDER.read_bytes().replace(b"\n", b" ") + b"\n"
    path = tmp_path / "big.jsonl"
    with open(path, "wb") as fh:
        for _ in range(20):
            fh.write(line * 3000)
    ran = _validate(shell=f"VALIDATE --jobs {jobs} <(cat {path})")
    assert "60000 payloads from 1 source: 60000 valid" in ran["out"], ran["out"][-500:] + ran["err"]
    assert ran["kb"] < 120 << 10, f"peak RSS {ran['kb'] >> 10} MB"
