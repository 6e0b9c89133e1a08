"""GitHub Actions workflow commands: ``::error file=…,line=…,col=…,title=…::message`` per error and
``::warning …`` per warning (of invalid payloads; of valid ones with ``--show-warnings``), then the summary
as a plain log line. Values are escaped as the runner expects (``%``, CR, LF; and ``:``/``,`` in properties).
"""
from __future__ import annotations

from typing import Any

from . import INVALID, UNREADABLE, VALID, Outcome, Reporter, Summary, http_label, safe
from . import drift_text


def _data(text: str) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


class GithubReporter(Reporter):
    lists_valid = False

    def _props(self, o: Outcome, title: str) -> str:
        props = [f"file={_prop(o.source)}"]
        if o.line:
            props.append(f"line={o.line}")
            if o.column and o.verdict == UNREADABLE:
                props.append(f"col={o.column}")
        props.append(f"title={_prop(title)}")
        return ",".join(props)

    def add(self, o: Outcome) -> None:
        o = safe(o)
        if o.verdict == VALID and not (self.show_warnings and o.warnings):
            return
        # file and line are the annotation's own properties; the message says what is wrong (and where
        # inside the file when the line alone does not tell: a record number, the HTTP exchange)
        http = http_label(o.http)
        record = f"record {o.record}" if o.record is not None and o.record != o.line else ""
        context = " ".join(p for p in (record, http) if p)
        context = f"{context}: " if context else ""
        out = []
        if o.verdict == UNREADABLE:
            reason = o.errors[0][2] if o.errors else "unreadable"
            out.append(f"::error {self._props(o, 'unreadable payload')}::{_data(f'{context}{reason}')}")
        elif o.verdict == INVALID:
            for path, code, message in o.errors:
                title = f"{code} ({o.schema})" if o.schema else code
                out.append(f"::error {self._props(o, title)}::{_data(f'{context}{path}: {message}')}")
        for path, code, message in o.warnings:
            title = f"{code} ({o.schema})" if o.schema else code
            out.append(f"::warning {self._props(o, title)}::{_data(f'{context}{path}: {message}')}")
        self.out.write("\n".join(out) + "\n")

    def end(self, summary: Summary, drift: dict[str, Any] | None) -> None:
        if drift is not None:
            self.out.write("\n".join(drift_text.lines(drift)) + "\n")
        line = summary.line()
        self.out.write(f"checkout-contracts: {line}\n")
