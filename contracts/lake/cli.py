"""``validate --engine dask|spark`` and ``--results``: the same summary, exit codes and reports as the local
engine, from results judged on a Dask cluster or by Spark; every record's verdict also as Parquet."""
from __future__ import annotations

import os
import sys
import time
from typing import Iterator

from ..bulk import Batch
from ..drift import Drift

__all__ = ["EngineRun", "ResultsWriter", "EngineError"]


from ..cli import UsageError


class EngineError(UsageError):
    """The engine is not installed, could not be started or reached (one line for the user, exit 2)."""


class EngineRun:
    """Quacks like :class:`checkout_contracts.bulk.Run`: iterate for batches of outcomes in input order; then ``sources``,
    ``skipped``, ``no_schema``, ``passed_over``, ``seconds``, ``drift`` and ``reconciled`` are set."""

    def __init__(self, paths: list[str], options, engine: str, address: str | None = None,
                 storage_options: dict | None = None) -> None:
        self.paths, self.options, self.engine, self.address = paths, options, engine, address
        self.storage_options = storage_options
        self.sources = self.skipped = self.no_schema = self.passed_over = 0
        self.seconds = 0.0
        self.drift = Drift()
        self.reconciled: dict | None = None
        self.parallel = True

    def __iter__(self) -> Iterator[Batch]:
        from .results import counts, merge_counts, outcomes, reconcile
        start = time.perf_counter()
        tallies = []
        try:
            with self._engine() as results:
                expected, self.sources, stream = results
                for table, stats in stream:
                    tallies.append(counts(table))
                    self.skipped += stats.skipped
                    self.no_schema += stats.no_schema
                    if stats.drift is not None:
                        self.drift.merge(stats.drift)
                    batch = Batch(None)
                    batch.others = list(outcomes(table))
                    yield batch
                self.reconciled = reconcile(merge_counts(tallies), expected)
        finally:
            self.seconds = time.perf_counter() - start

    def _engine(self):
        from contextlib import contextmanager
        opts, so = self.options, self.storage_options

        @contextmanager
        def dask_engine():
            try:
                from distributed import Client, LocalCluster
            except ImportError:
                raise EngineError("--engine dask needs Dask: pip install 'checkout-contracts[dask]'") from None
            from . import dask as engine
            try:
                if self.address:
                    client, cluster = Client(self.address, timeout="30s"), None
                else:
                    cluster = LocalCluster(n_workers=opts.jobs, threads_per_worker=1, processes=True,
                                           dashboard_address=None, silence_logs=40)
                    client = Client(cluster)
            except Exception as exc:
                raise EngineError(f"cannot reach the Dask scheduler {self.address or '(local)'}: "
                                  f"{type(exc).__name__}") from None
            try:
                yield engine.iter_results(self.paths, opts, client=client, storage_options=so)
            finally:
                client.close()
                if cluster is not None:
                    cluster.close()

        @contextmanager
        def spark_engine():
            try:
                from pyspark.sql import SparkSession
            except ImportError:
                raise EngineError("--engine spark needs PySpark: pip install 'checkout-contracts[spark]'") from None
            from . import spark as engine
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            running = SparkSession.getActiveSession()  # a session the caller runs is theirs to stop
            try:
                session = (SparkSession.builder.master(self.address or f"local[{opts.jobs}]")
                           .appName("checkout-contracts validate").config("spark.ui.enabled", "false")
                           .config("spark.ui.showConsoleProgress", "false").getOrCreate())
            except Exception as exc:
                raise EngineError(f"Spark did not start ({type(exc).__name__}; it needs Java 17+: "
                                  "apt-get install openjdk-17-jre-headless)") from None
            if running is None:
                session.sparkContext.setLogLevel("ERROR")
            try:
                yield engine.iter_results(session, self.paths, opts, storage_options=so)
            finally:
                if running is None:
                    session.stop()

        return dask_engine() if self.engine == "dask" else spark_engine()


class ResultsWriter:
    """Every record's verdict to a Parquet file (:data:`checkout_contracts.lake.results.SCHEMA`), in row groups of about
    ``ROWS`` records (memory: one row group)."""

    ROWS = 65536

    def __init__(self, path: str) -> None:
        import importlib.util
        if importlib.util.find_spec("pyarrow") is None:
            raise EngineError("--results needs pyarrow: pip install 'checkout-contracts[dask]' (or [spark])")
        open(path, "wb").close()  # say now when it cannot be written
        self.path = path
        self._writer = None  # pyarrow is imported at the first batch: by then the workers are busy
        self._held: list = []
        self._rows = 0

    def write(self, batch: Batch) -> None:
        from .results import to_arrow
        if len(batch):
            self._held.append(to_arrow(batch))
            self._rows += len(batch)
            if self._rows >= self.ROWS:
                self._flush()

    def _flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq
        from .results import SCHEMA
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, SCHEMA, compression="snappy")
        if self._held:
            self._writer.write_table(pa.Table.from_batches(self._held, SCHEMA))
            self._held, self._rows = [], 0

    def close(self) -> None:
        self._flush()
        self._writer.close()
