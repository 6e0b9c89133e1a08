"""The default report: one line per invalid or unreadable payload (``file:line[:col]`` first, so editors and
terminals can jump there), its findings indented below, sources separated by a blank line, a summary last.

Warnings of an invalid payload are listed with its errors; warnings of a valid payload only with
``--show-warnings`` (their count is always in the summary)."""
from __future__ import annotations

from typing import Any

from . import INVALID, UNREADABLE, VALID, Outcome, Reporter, Summary, http_label, location, safe
from . import drift_text

_RED, _YELLOW, _GREEN, _DIM, _BOLD, _RESET = "\033[31m", "\033[33m", "\033[32m", "\033[2m", "\033[1m", "\033[0m"


class TextReporter(Reporter):
    def begin(self) -> None:
        self._last_source: str | None = None

    def _c(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.color else text

    lists_valid = False

    def add(self, o: Outcome) -> None:
        o = safe(o)
        if o.verdict == VALID and not (self.show_warnings and o.warnings):
            return
        if self._last_source is not None and o.source != self._last_source:
            self.out.write("\n")
        self._last_source = o.source
        where = self._c(_BOLD, location(o))
        if o.verdict == UNREADABLE:
            reason = o.errors[0][2] if o.errors else "unreadable"
            self.out.write(f"{where}  {self._c(_RED, 'unreadable')}: {reason}\n")
            return
        verdict = self._c(_RED, INVALID) if o.verdict == INVALID else self._c(_GREEN, VALID)
        http = http_label(o.http)
        head = f"{where}  {verdict}  {o.schema or 'no schema'}" + (f"  {self._c(_DIM, http)}" if http else "")
        lines = [head]
        for path, code, message in o.errors:
            lines.append(f"    {self._c(_RED, 'error')}: {path}: [{code}] {message}")
        for path, code, message in o.warnings:
            lines.append(f"    {self._c(_YELLOW, 'warning')}: {path}: [{code}] {message}")
        self.out.write("\n".join(lines) + "\n")

    def end(self, summary: Summary, drift: dict[str, Any] | None) -> None:
        if self._last_source is not None:
            self.out.write("\n")
        if drift is not None:
            self.out.write("\n".join(drift_text.lines(drift)) + "\n\n")
        line = summary.line("" if self.show_warnings else "--show-warnings lists them")
        colour = _GREEN if summary.ok and summary.total else _RED
        for part in summary.schema_lines():
            self.out.write(self._c(_DIM, part) + "\n")
        self.out.write(self._c(colour, line) + "\n")
