"""A :class:`Batch`: the outcomes of (part of) one work unit, in input order, packed for the trip between
processes — at most about ``BATCH_RECORDS`` of them, so a worker's memory and each message to the parent stay
bounded however many records a unit holds."""
from __future__ import annotations

from array import array
from typing import Iterator

from ..drift import Drift
from ..report import VALID, Outcome

BATCH_RECORDS = 16384  # outcomes per batch (a block of lines may add up to one block's worth more)


class Batch:
    """Most payloads of a big run are *plain*: valid, no warnings, no HTTP exchange. Those travel as two compact
    arrays (record numbers, schema indexes) instead of one tuple each, and a report that does not list valid
    payloads (text, github) never unpacks them. ``others`` holds every other outcome in full.

    ``newlines``: line breaks in the bytes this batch covers (the scheduler numbers the lines of a unit planned
    without knowing its first line number by adding those of the batches before); ``offset``: added to the line
    and record numbers of the plain rows (set by the scheduler); ``resume``: the unit that carries on where this
    batch stopped (set when a unit had more records than one batch holds)."""

    __slots__ = ("source", "plain", "plain_schema", "schemas", "others", "drift", "skipped", "no_schema", "newlines",
                 "offset", "resume", "relative", "reset")

    def __init__(self, source: str | None = None) -> None:
        self.source = source            # the one source of the plain rows (a block of JSON Lines)
        self.plain = array("q")         # record number (= line number) of each plain row
        self.plain_schema = bytearray()  # index into ``schemas`` of each plain row
        self.schemas: list[str] = []
        self.others: list[Outcome] = []
        self.drift: Drift | None = None
        self.skipped = 0                # HAR / cassette entries that are not JSON
        self.no_schema = 0              # responses of known endpoints without a schema (no card data in them)
        self.newlines = 0
        self.offset = 0
        self.resume = None
        self.relative = False           # numbered from 1 at a unit whose first line number was not known
        self.reset = False              # the first batch of a source: its line count starts here

    def __getstate__(self):
        return (self.source, self.plain, bytes(self.plain_schema), self.schemas, self.others, self.drift,
                self.skipped, self.no_schema, self.newlines, self.offset, self.resume, self.relative, self.reset)

    def __setstate__(self, state) -> None:
        (self.source, self.plain, self.plain_schema, self.schemas, self.others, self.drift, self.skipped,
         self.no_schema, self.newlines, self.offset, self.resume, self.relative, self.reset) = state

    def __len__(self) -> int:
        return len(self.plain) + len(self.others)

    def add(self, o: Outcome) -> None:
        if o.verdict == VALID and not o.warnings and o.http is None and o.source == self.source \
                and o.record == o.line and o.record is not None:
            try:
                index = self.schemas.index(o.schema)
            except ValueError:
                index = len(self.schemas)
                self.schemas.append(o.schema)
            if index < 256:
                self.plain.append(o.record)
                self.plain_schema.append(index)
                return
        self.others.append(o)

    def plain_counts(self) -> dict[str, int]:
        """Plain rows per schema."""
        return {name: self.plain_schema.count(i) for i, name in enumerate(self.schemas)}

    def plain_rows(self) -> Iterator[tuple[int, str]]:
        """``(record number, schema)`` of the plain rows, numbers shifted by ``offset``."""
        schemas, offset = self.schemas, self.offset
        for number, index in zip(self.plain, self.plain_schema):
            yield number + offset, schemas[index]

    def shift(self, lines: int) -> None:
        """Number the lines ``lines`` further on (a unit numbered from 1 that starts after ``lines`` lines)."""
        if lines:
            self.offset += lines
            self.others = [o._replace(record=o.record + lines, line=o.line + lines) if o.line is not None else o
                           for o in self.others]

    def runs(self) -> Iterator[Outcome | tuple[str, list[int], list[str]]]:
        """Input order, plain rows grouped: each item is an :class:`Outcome`, or ``(source, numbers, schemas)``
        for a run of consecutive plain rows (numbers shifted) — what a reporter writes from a template."""
        others = self.others
        if not self.plain:
            yield from others
            return
        j, n = 0, len(others)
        offset, names = self.offset, self.schemas
        numbers = [x + offset for x in self.plain]
        schemas = [names[i] for i in self.plain_schema]
        start = 0
        for k, number in enumerate(numbers):
            if j < n and (others[j].line or 0) < number:
                if k > start:
                    yield self.source, numbers[start:k], schemas[start:k]
                    start = k
                while j < n and (others[j].line or 0) < number:
                    yield others[j]
                    j += 1
        yield self.source, numbers[start:], schemas[start:]
        yield from others[j:]

    def __iter__(self) -> Iterator[Outcome]:
        """Every outcome in input order (plain rows unpacked)."""
        for item in self.runs():
            if item.__class__ is Outcome:
                yield item
            else:
                source, numbers, schemas = item
                for number, schema in zip(numbers, schemas):
                    yield Outcome(source, number, number, None, schema, VALID)
