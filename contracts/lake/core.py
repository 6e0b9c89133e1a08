"""What an engine's worker runs on one unit, and what its driver does around it: plan, count the lines of the
ranges (so records carry file line numbers), judge — the same functions for Dask and Spark.

Nothing here lets payload bytes reach an exception, a warning or a log line: :func:`judge_unit` never raises
for anything in the input (the bulk core turns every problem into an unreadable outcome with a one-line reason),
and a :class:`checkout_contracts.bulk.Unit` prints without its bytes."""
from __future__ import annotations

import functools
from typing import Any, Iterator

from ..bulk import Options, Unit
from ..bulk.plan import number, plan, to_count
from ..bulk.units import count_lines
from ..bulk.worker import run_unit

__all__ = ["options", "plan_units", "counted", "judge_unit", "Stats"]


def options(schema: str | None = None, strict: bool = False, rules: bool = True, drift: bool = False,
            max_depth: int = 256) -> Options:
    from .. import registry
    if schema is not None and schema not in registry.names():
        raise ValueError(str(registry.UnknownSchema(schema)))
    return Options(schema=schema, strict=strict, rules=rules, drift=drift, max_depth=max_depth, jobs=1)


def plan_units(paths, storage_options: dict | None = None, chunk: int | None = None) -> list[Unit]:
    """The units of ``paths`` (a path, a folder, a glob or an fsspec URL, or a list of them)."""
    from . import check_install
    check_install()
    return plan([paths] if isinstance(paths, str) else list(paths), storage_options=storage_options, chunk=chunk)


def count_unit(unit: Unit, storage_options: dict | None = None) -> tuple[int, int, int]:
    """``(unit index, line breaks, records)`` of a range — run on a worker."""
    try:
        return (unit.index, *count_lines(unit, storage_options))
    except Exception:  # the judging of the unit reports the read error (one unreadable record)
        return unit.index, 0, 1


def counted(units: list[Unit], counts: list[tuple[int, int, int]]) -> tuple[list[Unit], dict[int, int]]:
    """The units with the first line numbers the counts give, and the records expected of each counted unit."""
    return number(units, {i: breaks for i, breaks, _ in counts}), {i: records for i, _, records in counts}


@functools.lru_cache(maxsize=1)
def _installed() -> str:
    """Checked once per worker process."""
    from . import check_install
    return check_install()


class Stats:
    """What a unit's rows do not say: entries skipped, drift."""
    __slots__ = ("unit", "skipped", "no_schema", "drift", "rows")

    def __init__(self, unit: int) -> None:
        self.unit, self.skipped, self.no_schema, self.drift, self.rows = unit, 0, 0, None, 0

    def __getstate__(self):
        return (self.unit, self.skipped, self.no_schema, self.drift, self.rows)

    def __setstate__(self, state):
        self.unit, self.skipped, self.no_schema, self.drift, self.rows = state


def judge_unit(unit: Unit, opts: Options, storage_options: dict | None = None) -> Iterator[tuple[Any, Stats]]:
    """``(pyarrow.RecordBatch, Stats)`` per bounded batch of one unit, in order — run on a worker (which must have
    the installed package: code shipped as a zip is a :class:`checkout_contracts.lake.ShippedAsZip` error saying so)."""
    from .results import to_arrow
    _installed()
    for batch in run_unit(unit, opts, storage_options=storage_options):
        stats = Stats(unit.index)
        stats.skipped, stats.no_schema, stats.drift = batch.skipped, batch.no_schema, batch.drift
        stats.rows = len(batch)
        yield to_arrow(batch, unit.index), stats


def to_counts(units: list[Unit]) -> list[Unit]:
    """The units to count before judging (the ranges of split files)."""
    return to_count(units)
