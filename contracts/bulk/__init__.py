"""The streaming, parallel pipeline behind ``checkout-contracts validate``, in parts every engine shares:

* :mod:`.units` — :class:`Unit`, a piece of work (a byte range of JSON Lines, a whole file, a block of a
  stream), and how a worker reads its own bytes (a path, or an fsspec URL);
* :mod:`.plan` — paths → units, in input order, without parsing a payload;
* :mod:`.record` — :func:`judge`: the verdict on one record (the pytest plugin uses it too);
* :mod:`.worker` — running a unit: frame its JSON Lines (:func:`checkout_contracts.inputs.jsonl.frame`, the one
  framing), certify the plain records with :mod:`checkout_contracts.fastpath`, judge the rest, bounded :class:`Batch` es;
* :mod:`.schedule` — the local scheduler of ``validate --jobs N`` (a process pool, or in-process).

The engines of :mod:`checkout_contracts.lake` (Dask, Spark) plan with :func:`.plan.plan` and run :func:`.worker.run_unit`
in their own workers."""
from __future__ import annotations

from ..inputs import missing_paths
from .batch import BATCH_RECORDS, Batch
from .plan import CHUNK, Planner
from .record import Options, judge, schema_for_path, shown_exchange
from .schedule import SMALL_RUN, Run, WorkerDied
from .units import Unit
from .worker import run_unit, work

__all__ = ["Options", "Run", "Batch", "Unit", "WorkerDied", "work", "run_unit", "Planner", "judge",
           "schema_for_path", "shown_exchange", "missing_paths", "CHUNK", "SMALL_RUN", "BATCH_RECORDS"]
