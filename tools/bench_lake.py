#!/usr/bin/env python3
"""Benchmark the lake engines on one generated dataset, in one run: ``validate --jobs 1`` and ``--jobs 2`` (local),
Dask (``LocalCluster``, 2 worker processes) and Spark (``local[2]``) — records/s, per-core efficiency against
``--jobs 1`` (warm: a second run on the started engine), start-up overhead, peak RSS per worker, and that every
engine's per-record verdicts equal the local ones.

The dataset (``--size-mb``, default 256) is Swedbank Pay payment orders as JSON Lines (tools/bench_validate.py's
generator) with ~2 % invalid and ~1 % unreadable records, blank lines, and one file in eight gzipped.

    python tools/bench_lake.py                  # ~256 MB
    python tools/bench_lake.py --size-mb 64     # quicker
    python tools/bench_lake.py --engines local,dask

Needs ``pip install -e '.[dask,spark]'`` and Java 17+ for Spark."""
from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

FILES = 8


def generate(folder: Path, size_mb: int) -> int:
    from bench_validate import payloads
    per_file = size_mb * (1 << 20) // FILES
    records = 0
    lines = payloads(None, seed=7)
    for f in range(FILES):
        parts, size, i = [], 0, 0
        while size < per_file:
            line = next(lines)
            i += 1
            if i % 97 == 0:
                line = line[:-1].replace(b'"status":"Paid"', b'"status":"Payed"', 1) + b"\n"  # invalid
            elif i % 151 == 0:
                line = line[: len(line) // 2] + b"\n"                                         # unreadable
            elif i % 211 == 0:
                parts.append(b"\n")                                                           # blank
            parts.append(line)
            size += len(line)
            records += 1
        data = b"".join(parts)
        if f == FILES - 1:
            (folder / f"part-{f:02d}.jsonl.gz").write_bytes(gzip.compress(data, 1))
        else:
            (folder / f"part-{f:02d}.jsonl").write_bytes(data)
    return records


_LOCAL = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": proc.returncode, "seconds": time.perf_counter() - t, "rss_kb": ru.ru_maxrss,
                  "err": proc.stderr.decode(errors="replace")[-400:]}))
"""

_DASK = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from distributed import Client, LocalCluster
from checkout_contracts.lake import dask as cc
if __name__ == "__main__":
    data, out = sys.argv[1], sys.argv[2]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      host="127.0.0.1", silence_logs=40) as cluster, Client(cluster) as client:
        client.run(lambda: __import__("checkout_contracts.bulk"))
        started = time.perf_counter() - t0
        runs = []
        for i in range(2):
            t = time.perf_counter()
            cc.validate(data).to_parquet(f"{out}-{i}", write_index=False)
            runs.append(time.perf_counter() - t)
        rss = client.run(lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
    print(json.dumps({"start": started, "runs": runs, "worker_rss_kb": max(rss.values()), "out": f"{out}-1"}))
"""

_SPARK = r"""
import json, os, resource, sys, time
t0 = time.perf_counter()
os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
from pyspark.sql import SparkSession
spark = (SparkSession.builder.master("local[2]").config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false").getOrCreate())
spark.sparkContext.setLogLevel("ERROR")
spark.sparkContext.parallelize(range(2), 2).map(lambda x: __import__("checkout_contracts.bulk") and x).collect()
started = time.perf_counter() - t0
from checkout_contracts.lake import spark as cc
data, out = sys.argv[1], sys.argv[2]
runs = []
for i in range(2):
    t = time.perf_counter()
    cc.validate(spark, data).write.mode("overwrite").parquet(f"{out}-{i}")
    runs.append(time.perf_counter() - t)
rss = spark.sparkContext.parallelize(range(2), 2).map(
    lambda _: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss).collect()
spark.stop()
print(json.dumps({"start": started, "runs": runs, "worker_rss_kb": max(rss), "out": f"{out}-1"}))
"""


def verdicts(path: str) -> list[tuple]:
    import pyarrow.parquet as pq
    import pyarrow.dataset as ds
    table = ds.dataset(path, format="parquet").to_table() if os.path.isdir(path) else pq.read_table(path)
    rows = table.select(["source", "record", "line", "schema", "verdict", "errors"]).to_pylist()
    return sorted((os.path.basename(r["source"]), r["line"] or 0, r["record"] or 0, r["schema"], r["verdict"],
                   tuple((e["path"], e["code"], e["message"]) for e in r["errors"])) for r in rows)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-mb", type=int, default=256, help="dataset size (default 256)")
    ap.add_argument("--engines", default="local,dask,spark")
    ap.add_argument("--keep", action="store_true", help="keep the dataset and the results")
    args = ap.parse_args()
    engines = args.engines.split(",")
    work = Path(tempfile.mkdtemp(prefix="bench-lake-"))
    data = work / "data"
    data.mkdir()
    t = time.perf_counter()
    records = generate(data, args.size_mb)
    size = sum(p.stat().st_size for p in data.iterdir())
    print(f"generated {records:,} records, {size / 1e6:.0f} MB on disk in {FILES} files (one gzipped) "
          f"in {time.perf_counter() - t:.1f} s: {data}")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    rows, outs = [], {}

    def local(jobs: int) -> None:
        out = str(work / f"local-{jobs}.parquet")
        cmd = [sys.executable, "-c", _LOCAL, sys.executable, "-m", "checkout_contracts", "validate", "--jobs", str(jobs),
               "--results", out, str(data)]
        r = json.loads(subprocess.run(cmd, capture_output=True, env=env, check=True).stdout)
        rows.append((f"validate --jobs {jobs}", jobs, r["seconds"], None, r["rss_kb"]))
        outs[f"local-{jobs}"] = out

    local(1)
    if "local" in engines:
        local(2)
    for name, script in (("dask", _DASK), ("spark", _SPARK)):
        if name not in engines:
            continue
        proc = subprocess.run([sys.executable, "-c", script, str(data), str(work / name)], capture_output=True,
                              env=env, text=True)
        if proc.returncode:
            print(f"{name}: failed: {proc.stderr[-1500:]}")
            continue
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        rows.append((f"{name} (2 workers), warm", 2, r["runs"][1], r["start"] + r["runs"][0] - r["runs"][1],
                     r["worker_rss_kb"]))
        outs[name] = r["out"]
    base = rows[0][2]
    print(f"\n{'engine':<28} {'records/s':>10} {'seconds':>8} {'per-core eff.':>14} {'start-up':>9} "
          f"{'peak RSS/worker':>16}")
    for label, cores, seconds, startup, rss in rows:
        eff = base / (seconds * cores)
        print(f"{label:<28} {records / seconds:>10,.0f} {seconds:>8.1f} {eff:>13.0%} "
              f"{'-' if startup is None else f'{startup:.1f} s':>9} {rss / 1024:>13.0f} MB")
    reference = verdicts(outs["local-1"])
    print()
    for name, out in outs.items():
        same = verdicts(out) == reference
        print(f"{name:<12} per-record verdicts {'EQUAL to' if same else 'DIFFER from'} validate --jobs 1 "
              f"({len(reference):,} records)")
    if not args.keep:
        import shutil
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
