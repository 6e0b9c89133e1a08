"""Dask: ``validate(paths) → dask DataFrame`` of every record's verdict (:data:`checkout_contracts.lake.results.SCHEMA`,
Arrow-backed columns), one partition per work unit, ``.to_parquet`` ready; ``summary(ddf)`` reconciles.

    from distributed import Client
    from checkout_contracts.lake import dask as cc
    client = Client("tcp://scheduler:8786")
    ddf = cc.validate("s3://captures/2024-05-14/", storage_options={"anon": False})
    ddf.to_parquet("s3://reports/2024-05-14/")
    print(cc.summary(ddf))

The workers read their own bytes (fsspec); the ranges' lines are counted on the workers first (a cheap pass), so
every record carries its file line number. Workers need ``pip install 'checkout-contracts[dask]'`` (plus ``[s3]``
for ``s3://``)."""
from __future__ import annotations

from typing import Any, Iterator

from . import core

__all__ = ["validate", "summary", "iter_results"]


def _partition(unit, opts, storage_options):
    import pandas as pd
    import pyarrow as pa
    from .results import SCHEMA
    batches = [b for b, _ in core.judge_unit(unit, opts, storage_options)]
    return pa.Table.from_batches(batches, SCHEMA).to_pandas(types_mapper=pd.ArrowDtype)


def _meta():
    import pandas as pd
    from .results import SCHEMA
    return SCHEMA.empty_table().to_pandas(types_mapper=pd.ArrowDtype)


def _plan(paths, storage_options, chunk, opts):
    import dask
    units = core.plan_units(paths, storage_options, chunk)
    todo = core.to_counts(units)
    counts = dask.compute(*[dask.delayed(core.count_unit, pure=False)(u, storage_options) for u in todo]) \
        if todo else []
    return core.counted(units, list(counts))


def validate(paths, *, storage_options: dict | None = None, schema: str | None = None, strict: bool = False,
             rules: bool = True, max_depth: int = 256, chunk: int | None = None):
    """Every record's verdict as a dask DataFrame (one partition per unit, in input order). The ranges are
    counted on the cluster now (a compute of small tasks); judging runs when the frame is computed."""
    import dask.dataframe as dd
    opts = core.options(schema, strict, rules, False, max_depth)
    units, expected = _plan(paths, storage_options, chunk, opts)
    if not units:
        return dd.from_pandas(_meta(), npartitions=1)
    ddf = dd.from_map(_partition, units, opts=opts, storage_options=storage_options, meta=_meta(),
                      label="checkout-contracts-validate", enforce_metadata=False)
    _EXPECTED[ddf._name] = expected  # for summary(ddf): the records each counted unit must give
    while len(_EXPECTED) > 32:
        _EXPECTED.pop(next(iter(_EXPECTED)))
    return ddf


_EXPECTED: dict[str, dict[int, int]] = {}


def _counts(df):
    import pandas as pd
    import pyarrow as pa
    from .results import SCHEMA, counts
    table = pa.Table.from_pandas(df, schema=SCHEMA, preserve_index=False)
    return pd.DataFrame({"tally": [counts(table)]})


def summary(ddf, expected: dict[int, int] | None = None) -> dict[str, Any]:
    """Totals of a frame from :func:`validate` (or read back from Parquet), reconciled (see
    :func:`checkout_contracts.lake.results.reconcile`)."""
    from .results import merge_counts, reconcile
    tallies = ddf.map_partitions(_counts, meta={"tally": object}).compute()["tally"].tolist()
    if expected is None:
        expected = _EXPECTED.get(ddf._name)
    return reconcile(merge_counts(tallies), expected)


def iter_results(paths, opts, *, client=None, storage_options: dict | None = None,
                 chunk: int | None = None) -> tuple[dict[int, int], int, Iterator[tuple[Any, Any]]]:
    """``(expected, sources, results)``: the records expected of each counted unit, the number of files, and ``(RecordBatch, Stats)`` in input
    order, at most ``2 × workers`` units in flight (what ``validate --engine dask`` reports from). ``client``: a
    ``distributed.Client`` (default: the current one)."""
    from distributed import get_client
    client = client or get_client()
    units, expected = _plan(paths, storage_options, chunk, opts)
    return expected, len({u.source for u in units}), _ordered(client, units, opts, storage_options)


def _ordered(client, units, opts, storage_options):
    from collections import deque
    window = max(2, 2 * sum(client.nthreads().values()))
    pending: deque = deque()
    for unit in units:
        pending.append(client.submit(_unit_list, unit, opts, storage_options, pure=False))
        while len(pending) >= window:
            yield from pending.popleft().result()
    while pending:
        yield from pending.popleft().result()


def _unit_list(unit, opts, storage_options):
    return list(core.judge_unit(unit, opts, storage_options))
