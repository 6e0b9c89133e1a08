"""Spark: ``validate(spark, paths) → DataFrame`` of every record's verdict (:data:`checkout_contracts.lake.results.SCHEMA`),
``mapInArrow`` over a DataFrame of work units; ``summary(df)`` reconciles. Write the results with the DataFrame
API (``df.write.parquet(…)``, Delta, a table).

    from checkout_contracts.lake import spark as cc
    df = cc.validate(spark, "s3a://captures/2024-05-14/")      # or s3://, gs://, abfs:// (fsspec on the executors)
    df.write.mode("overwrite").parquet("s3a://reports/2024-05-14/")
    print(cc.summary(df))

The executors read their own bytes through fsspec (``s3a://`` is read as ``s3://``); the ranges' lines are
counted first (a small Spark job), so every record carries its file line number. Executors need the installed
wheel (``pip install 'checkout-contracts[spark]'``: a cluster library on Databricks, a bootstrap action on EMR),
not the code shipped with ``--py-files`` (a zip holds neither the schema files nor the compiled fast path)."""
from __future__ import annotations

from typing import Any, Iterator

from . import core

__all__ = ["validate", "summary", "iter_results", "spark_schema"]


def spark_schema():
    from pyspark.sql.types import (ArrayType, IntegerType, LongType, StringType, StructField, StructType)
    finding = StructType([StructField(n, StringType()) for n in ("path", "code", "severity", "message")])
    http = StructType([StructField("method", StringType()), StructField("url", StringType()),
                       StructField("status", IntegerType())])
    return StructType([
        StructField("source", StringType()), StructField("record", LongType()), StructField("line", LongType()),
        StructField("column", IntegerType()), StructField("schema", StringType()),
        StructField("verdict", StringType()), StructField("errors", ArrayType(finding)),
        StructField("warnings", ArrayType(finding)), StructField("http", http), StructField("unit", LongType())])


def _s3a(url: str) -> str:
    return "s3://" + url[6:] if url.startswith("s3a://") else url


def _plan(spark, paths, storage_options, chunk):
    paths = [paths] if isinstance(paths, str) else list(paths)
    units = core.plan_units([_s3a(p) for p in paths], storage_options, chunk)
    todo = core.to_counts(units)
    counts = []
    if todo:
        so = storage_options
        counts = spark.sparkContext.parallelize(todo, len(todo)).map(lambda u: core.count_unit(u, so)).collect()
    return core.counted(units, counts)


def validate(spark, paths, *, schema: str | None = None, strict: bool = False, rules: bool = True,
             max_depth: int = 256, storage_options: dict | None = None, chunk: int | None = None):
    """Every record's verdict as a Spark DataFrame (one task per unit). The ranges are counted now (a small job);
    judging runs when the frame is used."""
    import pickle
    opts = core.options(schema, strict, rules, False, max_depth)
    units, expected = _plan(spark, paths, storage_options, chunk)
    rows = [(u.index, pickle.dumps(u)) for u in units]
    frame = spark.createDataFrame(spark.sparkContext.parallelize(rows, max(1, len(rows))), "index long, unit binary")
    so = storage_options

    def judge(batches):
        import pickle as _pickle
        for batch in batches:
            for blob in batch.column("unit").to_pylist():
                for out, _ in core.judge_unit(_pickle.loads(blob), opts, so):
                    yield out
    df = frame.mapInArrow(judge, spark_schema())
    _EXPECTED[id(df)] = (df, expected)
    while len(_EXPECTED) > 32:  # the frames of a long session are not all kept
        _EXPECTED.pop(next(iter(_EXPECTED)))
    return df


_EXPECTED: dict[int, tuple[Any, dict[int, int]]] = {}


def summary(df, expected: dict[int, int] | None = None) -> dict[str, Any]:
    """Totals of a frame from :func:`validate` (or read back from Parquet), reconciled (see
    :func:`checkout_contracts.lake.results.reconcile`), computed by Spark (nothing but counts reaches the driver)."""
    from pyspark.sql import functions as F
    from .results import reconcile
    if expected is None:
        kept = _EXPECTED.get(id(df))
        expected = kept[1] if kept is not None and kept[0] is df else None
    # one job: rows grouped by their key (a key seen twice: a unit's output kept twice), then by unit, verdict
    # and schema — only those few rows reach the driver
    keyed = df.groupBy("unit", "source", "record", "line", "verdict", "schema").agg(
        F.count(F.lit(1)).alias("n"), F.sum(F.size("warnings")).alias("w"))
    rows = keyed.groupBy("unit", "verdict", "schema").agg(
        F.sum("n").alias("n"), F.sum("w").alias("w"),
        F.sum(F.when(F.col("n") > 1, 1).otherwise(0)).alias("repeated")).collect()
    tally = {"total": 0, "valid": 0, "invalid": 0, "unreadable": 0, "other_verdicts": 0, "warnings": 0,
             "schemas": {}, "units": {}, "repeated_keys": 0, "units_twice": []}
    for r in rows:
        n = int(r["n"])
        tally["total"] += n
        if r["verdict"] in ("valid", "invalid", "unreadable"):
            tally[r["verdict"]] += n
        else:
            tally["other_verdicts"] += n
        if r["verdict"] != "unreadable":
            name = r["schema"] or "(no schema)"
            tally["schemas"][name] = tally["schemas"].get(name, 0) + n
            tally["warnings"] += int(r["w"] or 0)
        if r["unit"] is not None:
            tally["units"][r["unit"]] = tally["units"].get(r["unit"], 0) + n
        tally["repeated_keys"] += int(r["repeated"] or 0)
    return reconcile(tally, expected)


def iter_results(spark, paths, opts, *, storage_options: dict | None = None,
                 chunk: int | None = None) -> tuple[dict[int, int], int, Iterator[tuple[Any, Any]]]:
    """``(expected, sources, results)``: the records expected of each counted unit, the number of files, and ``(RecordBatch, Stats)`` in input
    order, a partition at a time (what ``validate --engine spark`` reports from)."""
    units, expected = _plan(spark, paths, storage_options, chunk)
    so = storage_options

    def run(units_here):
        import pyarrow as pa
        for unit in units_here:
            for batch, stats in core.judge_unit(unit, opts, so):
                sink = pa.BufferOutputStream()
                with pa.ipc.new_stream(sink, batch.schema) as writer:
                    writer.write_batch(batch)
                yield sink.getvalue().to_pybytes(), stats

    def results():
        import pyarrow as pa
        if not units:
            return
        rdd = spark.sparkContext.parallelize(units, len(units)).mapPartitions(run)
        for data, stats in rdd.toLocalIterator(prefetchPartitions=True):
            yield pa.ipc.open_stream(data).read_next_batch(), stats
    return expected, len({u.source for u in units}), results()
