"""A one-line progress display on stderr for long runs: payloads so far and payloads per second.

Shown only when stderr is a terminal (never in CI logs or pipes), first drawn after a second, redrawn at
most four times a second; :meth:`clear` wipes it before a report line goes to the same terminal."""
from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO | None = None, *, enabled: bool | None = None, delay: float = 1.0) -> None:
        self.stream = stream or sys.stderr
        if enabled is None:
            enabled = _is_tty(self.stream)
        self.enabled = enabled
        self.start = time.perf_counter()
        self.delay = delay
        self.next_draw = self.start + delay
        self.drawn = False
        self.count = 0

    def update(self, count: int) -> None:
        self.count = count
        if not self.enabled:
            return
        now = time.perf_counter()
        if now < self.next_draw:
            return
        self.next_draw = now + 0.25
        rate = count / max(now - self.start, 1e-9)
        self.stream.write(f"\r\033[Kvalidating: {count:,} payloads, {rate:,.0f}/s")
        self.stream.flush()
        self.drawn = True

    def clear(self) -> None:
        if self.drawn:
            self.stream.write("\r\033[K")
            self.stream.flush()
            self.drawn = False
            self.next_draw = time.perf_counter() + 0.25


def _is_tty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
