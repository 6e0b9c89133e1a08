"""Every record's verdict as an Arrow table, and the reconciliation of a run's totals.

:data:`SCHEMA` (one row per judged record, in input order within a unit):

==========  =================================================  ==============================================
column      type                                               meaning
==========  =================================================  ==============================================
source      string                                             the file or URL (card numbers, e-mails masked)
record      int64, null                                        record number in the source (JSONL: the line)
line        int64, null                                        file line number, where known
column      int32, null                                        column, for an unreadable record
schema      string, null                                       the schema it was judged against
verdict     string                                             ``valid``, ``invalid`` or ``unreadable``
errors      list<struct<path, code, severity, message>>        error findings (an unreadable record: its reason)
warnings    list<struct<path, code, severity, message>>        warning findings (drift …)
http        struct<method, url, status>, null                  the recorded exchange (HAR, cassette)
unit        int64, null                                        the work unit that judged it (``null``: local)
==========  =================================================  ==============================================

Messages are already redacted (no full card number, token or e-mail). ``reconcile`` checks what any engine wrote:
``total = valid + invalid + unreadable``, no unit's records twice (a retried task whose output was kept twice),
and, for every unit whose records were counted apart from judging them, that many rows."""
from __future__ import annotations

from typing import Any, Iterable

import pyarrow as pa

from ..report import VALID, Outcome

FINDING = pa.struct([("path", pa.string()), ("code", pa.string()), ("severity", pa.string()),
                     ("message", pa.string())])
HTTP = pa.struct([("method", pa.string()), ("url", pa.string()), ("status", pa.int32())])
SCHEMA = pa.schema([
    ("source", pa.string()), ("record", pa.int64()), ("line", pa.int64()), ("column", pa.int32()),
    ("schema", pa.string()), ("verdict", pa.string()), ("errors", pa.list_(FINDING)),
    ("warnings", pa.list_(FINDING)), ("http", HTTP), ("unit", pa.int64()),
])

__all__ = ["SCHEMA", "to_arrow", "outcomes", "counts", "merge_counts", "reconcile", "reconcile_parquet"]


def to_arrow(batch, unit: int | None = None) -> pa.RecordBatch:
    """A :class:`checkout_contracts.bulk.Batch` (line numbers already whole) as a record batch of :data:`SCHEMA`, in input
    order. The plain rows are built as columns from the batch's packed arrays (no Python object per row)."""
    others = _others(batch.others, unit) if batch.others else None
    if not batch.plain:
        return others if others is not None else pa.RecordBatch.from_pylist([], schema=SCHEMA)
    import pyarrow.compute as pc
    n = len(batch.plain)
    numbers = pa.Array.from_buffers(pa.int64(), n, [None, pa.py_buffer(batch.plain)])
    if batch.offset:
        numbers = pc.add(numbers, batch.offset)
    indexes = pa.Array.from_buffers(pa.uint8(), n, [None, pa.py_buffer(bytes(batch.plain_schema))])
    schemas = pc.take(pa.array(batch.schemas, pa.string()), indexes)
    empty = pa.ListArray.from_arrays(pa.Array.from_buffers(pa.int32(), n + 1, [None, pa.py_buffer(bytes(4 * (n + 1)))]),
                                     pa.array([], FINDING))
    plain = pa.RecordBatch.from_arrays([
        pa.repeat(pa.scalar(batch.source, pa.string()), n), numbers, numbers, pa.nulls(n, pa.int32()), schemas,
        pa.repeat(pa.scalar(VALID, pa.string()), n), empty, empty, pa.nulls(n, HTTP),
        pa.repeat(pa.scalar(unit, pa.int64()), n)], schema=SCHEMA)
    if others is None:
        return plain
    table = pa.Table.from_batches([plain, others], SCHEMA)  # every row of such a batch has a line number
    table = table.take(pc.sort_indices(table, [("line", "ascending")]))
    return table.combine_chunks().to_batches()[0]


def _findings(items: tuple, severity: str) -> list[dict]:
    return [{"path": p, "code": c, "severity": severity, "message": m} for p, c, m in items]


def _others(items: Iterable[Outcome], unit: int | None) -> pa.RecordBatch:
    rows = [{"source": o.source, "record": o.record, "line": o.line, "column": o.column, "schema": o.schema,
             "verdict": o.verdict, "errors": _findings(o.errors, "error"),
             "warnings": _findings(o.warnings, "warning"),
             "http": None if o.http is None else dict(zip(("method", "url", "status"), o.http)), "unit": unit}
            for o in items]
    return pa.RecordBatch.from_pylist(rows, schema=SCHEMA)


def outcomes(table: pa.Table | pa.RecordBatch) -> Iterable[Outcome]:
    """Rows back as :class:`Outcome` s (for the reports the local engine writes)."""
    for row in table.to_pylist():
        http = row["http"]
        yield Outcome(row["source"], row["record"], row["line"], row["column"], row["schema"], row["verdict"],
                      tuple((f["path"], f["code"], f["message"]) for f in row["errors"]),
                      tuple((f["path"], f["code"], f["message"]) for f in row["warnings"]),
                      None if http is None else (http["method"], http["url"], http["status"]))


def counts(table: pa.Table | pa.RecordBatch) -> dict[str, Any]:
    """The tallies of some rows: verdicts, warnings, records per schema, rows per unit (and the unit keys seen
    more than once within these rows)."""
    import pyarrow.compute as pc
    table = table if isinstance(table, pa.Table) else pa.Table.from_batches([table])
    verdicts = {str(v["values"]): int(v["counts"]) for v in pc.value_counts(table["verdict"]).to_pylist()}
    readable = table.filter(pc.not_equal(table["verdict"], "unreadable"))
    schemas = {}
    for v in pc.value_counts(pc.fill_null(readable["schema"], "(no schema)")).to_pylist():
        schemas[str(v["values"])] = int(v["counts"])
    warnings = int(pc.sum(pc.list_value_length(readable["warnings"])).as_py() or 0)
    units: dict[int, int] = {}
    key = pc.binary_join_element_wise(*(pc.cast(table[c], pa.string()) for c in ("unit", "source", "record", "line")),
                                      "\x1f", null_handling="replace", null_replacement="")
    repeated = sum(1 for v in pc.value_counts(key).to_pylist() if v["counts"] > 1) if table.num_rows else 0
    for v in pc.value_counts(table["unit"]).to_pylist():
        if v["values"] is not None:
            units[int(v["values"])] = int(v["counts"])
    return {"total": table.num_rows, "valid": verdicts.get("valid", 0), "invalid": verdicts.get("invalid", 0),
            "unreadable": verdicts.get("unreadable", 0), "other_verdicts": table.num_rows - sum(
                verdicts.get(k, 0) for k in ("valid", "invalid", "unreadable")),
            "warnings": warnings, "schemas": schemas, "units": units, "repeated_keys": repeated}


def merge_counts(parts: Iterable[dict]) -> dict[str, Any]:
    """Add up :func:`counts` of disjoint pieces (partitions, files). A unit seen in two pieces is a unit whose
    output was kept twice."""
    total: dict[str, Any] = {"total": 0, "valid": 0, "invalid": 0, "unreadable": 0, "other_verdicts": 0,
                             "warnings": 0, "schemas": {}, "units": {}, "repeated_keys": 0, "units_twice": []}
    for part in parts:
        for key in ("total", "valid", "invalid", "unreadable", "other_verdicts", "warnings", "repeated_keys"):
            total[key] += part[key]
        for name, n in part["schemas"].items():
            total["schemas"][name] = total["schemas"].get(name, 0) + n
        for unit, n in part["units"].items():
            if unit in total["units"]:
                total["units_twice"].append(unit)
            total["units"][unit] = total["units"].get(unit, 0) + n
    return total


def reconcile(tally: dict[str, Any], expected: dict[int, int] | None = None) -> dict[str, Any]:
    """``tally`` (from :func:`merge_counts`) checked: ``reconciled`` is true when ``total = valid + invalid +
    unreadable``, no unit was counted twice, and every unit in ``expected`` (unit → records counted apart, e.g.
    the non-blank lines of a range) has that many rows; ``problems`` says what did not hold."""
    problems = []
    if tally["valid"] + tally["invalid"] + tally["unreadable"] != tally["total"] or tally["other_verdicts"]:
        problems.append(f"{tally['other_verdicts']} rows with a verdict other than valid, invalid or unreadable")
    twice = sorted(set(tally.get("units_twice", [])))
    if twice or tally["repeated_keys"]:
        problems.append(f"units counted twice (a task's output kept twice): {twice[:10] or tally['repeated_keys']}")
    for unit, n in sorted((expected or {}).items()):
        got = tally["units"].get(unit, 0)
        if got != n and unit not in twice:
            problems.append(f"unit {unit}: {got} rows for {n} records")
            if len(problems) > 20:
                break
    out = {key: tally[key] for key in ("total", "valid", "invalid", "unreadable", "warnings")}
    out["schemas"] = dict(sorted(tally["schemas"].items()))
    out["reconciled"] = not problems
    out["problems"] = problems
    return out


def reconcile_parquet(path: str, expected: dict[int, int] | None = None, *, storage_options: dict | None = None
                      ) -> dict[str, Any]:
    """:func:`reconcile` what an engine wrote: a Parquet file or a folder of them (local or an fsspec URL), read
    a file at a time — a unit whose rows are in two files was written twice."""
    import fsspec
    import pyarrow.parquet as pq
    fs, root = fsspec.core.url_to_fs(path, **(storage_options or {}))
    files = sorted(p for p in fs.find(root) if p.endswith(".parquet")) if fs.isdir(root) else [root]
    tallies = []
    for name in files:
        with fs.open(name, "rb") as fh:
            tallies.append(counts(pq.read_table(fh)))
    return reconcile(merge_counts(tallies), expected)
