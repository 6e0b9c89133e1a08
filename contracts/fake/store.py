"""Thread-safe in-memory storage for the fake provider: one lock for the table, one lock per record.

A handler takes a record's lock for the whole read-check-write of an operation (``with store.locked(id) as
rec``), so concurrent captures on one order serialise and none is lost; different orders never wait on each
other beyond the short table lookup.
"""
from __future__ import annotations

import threading
from contextlib import contextmanager
from typing import Any, Iterator


class Store:
    def __init__(self) -> None:
        self._table: dict[str, tuple[threading.Lock, dict[str, Any]]] = {}
        self._table_lock = threading.Lock()

    def add(self, key: str, record: dict[str, Any]) -> bool:
        """Store ``record`` under a new ``key``; ``False`` (and nothing stored) when the key is taken."""
        with self._table_lock:
            if key in self._table:
                return False
            self._table[key] = (threading.Lock(), record)
            return True

    @contextmanager
    def locked(self, key: str) -> Iterator[dict[str, Any] | None]:
        """The record under its lock, or ``None`` when there is none."""
        with self._table_lock:
            entry = self._table.get(key)
        if entry is None:
            yield None
            return
        lock, record = entry
        with lock:
            yield record

    def __len__(self) -> int:
        with self._table_lock:
            return len(self._table)
