"""The local scheduler behind ``validate --jobs N``: run the planner's tasks in a pool of worker processes (or
in-process), and hand back their :class:`Batch` es in input order, line numbers made whole.

At most ``2 × jobs`` tasks are in flight and each comes back as batches of at most about ``BATCH_RECORDS``
outcomes (a task with more returns where it stopped, and carries on as the next task in its place), so memory
stays flat in the size of the input and in its number of records. ``jobs == 1`` — or a run too small to be
worth starting processes for (under ``SMALL_RUN`` bytes) — runs the very same tasks in-process, so the report
does not depend on the job count."""
from __future__ import annotations

import os
import sys
import time
from collections import deque
from typing import BinaryIO, Iterable, Iterator

from .. import fastpath
from ..drift import Drift
from . import worker
from .batch import Batch
from .plan import Planner
from .units import Unit

SMALL_RUN = 4 << 20      # a run with less input than this stays in-process (starting workers costs more)

__all__ = ["Run", "WorkerDied", "SMALL_RUN"]


class WorkerDied(RuntimeError):
    """A worker process ended abruptly (killed, out of memory, a crash in native code): the run is incomplete."""


def _size(task) -> int:
    if isinstance(task, Batch):
        return 0
    total = 0
    for unit in task if isinstance(task, tuple) else (task,):
        if unit.data is not None:
            total += len(unit.data)
        elif unit.length is not None:
            total += unit.length
        else:
            try:
                total += os.path.getsize(unit.source)
            except OSError:
                pass
    return total


def _where(task) -> str:
    unit = task[0] if isinstance(task, tuple) else task
    return unit.source if isinstance(unit, Unit) else "the input"


class Run:
    """Iterate to get :class:`Batch` es of outcomes in input order; afterwards ``sources``, ``seconds``, ``skipped``
    (non-JSON HAR/cassette entries), ``no_schema`` (responses of endpoints without a schema) and ``drift`` (merged
    tally, when ``options.drift``) are set."""

    def __init__(self, paths: Iterable[str], options, *, stdin: BinaryIO | None = None,
                 exclude: Iterable[str] = ()) -> None:
        self.options = options
        self._planner = Planner(paths, stdin, exclude, options.jobs)
        self.drift = Drift()
        self.skipped = 0
        self.no_schema = 0
        self.seconds = 0.0
        self.parallel = False
        self._lines_before: dict[str, int] = {}

    @property
    def sources(self) -> int:
        return self._planner.sources

    @property
    def passed_over(self) -> int:
        """Files met in folders and not read: other suffixes, and the manifests ``generate`` writes."""
        return self._planner.passed_over[0]

    def _take(self, batch: Batch) -> Batch:
        """Make a batch's line numbers whole (a relative unit's are counted from the lines before it)."""
        source = batch.source
        if batch.reset:
            self._lines_before[source] = 0
        before = self._lines_before.get(source, 0)
        shift = before if batch.relative else 0
        if shift:
            batch.shift(shift)
        if batch.resume is not None and batch.relative:  # it carries on from a known line
            first, *rest = batch.resume
            batch.resume = (first.with_(first_line=first.first_line + shift, relative=False), *rest)
        if source is not None:
            self._lines_before[source] = before + batch.newlines
        if batch.drift is not None:
            if shift:
                self.drift.merge(batch.drift, shift)
            else:
                self.drift.merge(batch.drift)
            batch.drift = None
        self.skipped += batch.skipped
        self.no_schema += batch.no_schema
        return batch

    def _local(self, task) -> Iterator[Batch]:
        opts = self.options
        while task is not None:
            if isinstance(task, Batch):
                yield self._take(task)
                return
            resume = None
            for batch in worker.work(task, opts):
                batch = self._take(batch)
                resume = batch.resume
                batch.resume = None
                yield batch
            task = resume

    def __iter__(self) -> Iterator[Batch]:
        start = time.perf_counter()
        opts = self.options
        tasks = iter(self._planner)
        try:
            if opts.jobs <= 1:
                for task in tasks:
                    yield from self._local(task)
                return
            head: list = []
            size = 0
            for task in tasks:
                head.append(task)
                size += _size(task)
                if size >= SMALL_RUN or len(head) > 2 * opts.jobs:
                    break
            else:  # everything planned, and it is small
                for task in head:
                    yield from self._local(task)
                return
            self.parallel = True
            yield from self._parallel(head, tasks)
        finally:
            self.seconds = time.perf_counter() - start

    def _parallel(self, head: list, tasks: Iterator) -> Iterator[Batch]:
        import multiprocessing
        from concurrent.futures import Future, ProcessPoolExecutor
        from concurrent.futures.process import BrokenProcessPool
        from itertools import chain

        opts = self.options
        method = "fork" if sys.platform.startswith("linux") else "spawn"
        if method == "fork":
            fastpath.get()  # compiled once here; the forked workers inherit it
            import gc
            gc.freeze()  # what is loaded by now is never collected: no parent time spent scanning it, and the
            #              workers do not copy the pages a collection would touch
        pool = ProcessPoolExecutor(max_workers=opts.jobs, mp_context=multiprocessing.get_context(method))
        pending: deque = deque()

        def submit(task) -> Future:
            if isinstance(task, Batch):
                done: Future = Future()
                done.set_result([task])
                return done
            return pool.submit(worker.work, task, opts)

        task = None
        try:
            def drain_one() -> Iterator[Batch]:
                nonlocal task
                task, future = pending.popleft()
                batches = future.result()
                for batch in batches:
                    batch = self._take(batch)
                    resume, batch.resume = batch.resume, None
                    yield batch
                    if resume is not None:  # the rest of this task runs next, in its place
                        pending.appendleft((resume, submit(resume)))

            for t in chain(head, tasks):
                pending.append((t, submit(t)))
                while len(pending) >= 2 * opts.jobs:
                    yield from drain_one()
            while pending:
                yield from drain_one()
        except BrokenProcessPool:
            raise WorkerDied(f"a worker process died while checking {_where(task)}; the report is incomplete "
                             "(rerun with --jobs 1 to find the payload)") from None
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
