"""Spark ``local[2]`` (one session for the module: Spark starts slowly): the local engine's verdicts, from local
files and from an S3-compatible server, reconciled; ``validate --engine spark`` writes the local engine's report;
no payload byte in what Spark prints. Without Java a developer sees a skip; CI installs it (.ci/run)."""
from __future__ import annotations

import os
import sys

import pytest

from lake_helpers import CHUNK, PAN, java_or_skip, rows_of

pytest.importorskip("pyspark", reason="the lake tests need pyspark: pip install -e '.[test]'")
pa = pytest.importorskip("pyarrow")


@pytest.fixture(scope="module")
def spark():
    java_or_skip()
    from pyspark.sql import SparkSession
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    session = (SparkSession.builder.master("local[2]").appName("checkout-contracts tests")
               .config("spark.ui.enabled", "false").config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "2").getOrCreate())
    try:
        yield session
    finally:
        session.stop()


def _rows(df) -> list[tuple]:
    return rows_of(r.asDict(recursive=True) for r in df.collect())


def test_local_files_give_the_local_verdicts(spark, hostile_dir, local_rows, capfd):
    from checkout_contracts.lake import spark as cc
    df = cc.validate(spark, str(hostile_dir), chunk=CHUNK).cache()  # judged once for both checks
    assert _rows(df) == local_rows
    summary = cc.summary(df)
    assert summary["reconciled"], summary["problems"]
    assert summary["total"] == len(local_rows)
    captured = capfd.readouterr()
    assert PAN not in captured.out + captured.err


def test_from_s3_written_as_parquet_reconciles(spark, s3, local_rows, tmp_path, capfd):
    from checkout_contracts.lake import spark as cc
    from checkout_contracts.lake.results import reconcile_parquet
    df = cc.validate(spark, "s3a://captures/", storage_options=s3, chunk=CHUNK)
    df.write.parquet(str(tmp_path / "out"))
    import pyarrow.parquet as pq
    assert rows_of(pq.read_table(tmp_path / "out").to_pylist()) == local_rows
    summary = reconcile_parquet(str(tmp_path / "out"), cc._EXPECTED[id(df)][1])
    assert summary["reconciled"] and summary["total"] == len(local_rows), summary
    captured = capfd.readouterr()
    assert PAN not in captured.out + captured.err


def test_cli_engine_spark_writes_the_local_report(spark, hostile_dir, tmp_path, monkeypatch, capsys):
    from checkout_contracts import bulk
    from checkout_contracts.cli import main
    monkeypatch.setattr(bulk.plan, "CHUNK", CHUNK)        # the local engine's ranges …
    monkeypatch.setattr(bulk.plan, "LAKE_CHUNK", CHUNK)   # … and the engine's
    reports = {}
    for engine in ("local", "spark"):
        extra = ["--master", "local[2]"] if engine == "spark" else []
        rc = main(["validate", "--engine", engine, *extra, "--format", "json", str(hostile_dir)])
        reports[engine] = (rc, capsys.readouterr().out)
    assert reports["spark"] == reports["local"]
