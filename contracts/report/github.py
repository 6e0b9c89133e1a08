"""GitHub Actions workflow commands: one annotation per payload — ``::error`` for an invalid or unreadable one,
``::warning`` for a valid one with warnings (with ``--show-warnings``) — whose message lists every finding of
that payload, one per line. GitHub shows only about ten annotations of a kind per step, so at most
:data:`MAX_ANNOTATIONS` payloads are annotated; the others go to the log as plain lines, and a ``::notice`` says
how many were not annotated. Then the summary as a plain log line. Values are escaped as the runner expects
(``%``, CR, LF; and ``:``/``,`` in properties).
"""
from __future__ import annotations

from typing import Any

from . import INVALID, UNREADABLE, VALID, Outcome, Reporter, Summary, http_label, safe
from . import drift_text

MAX_ANNOTATIONS = 10  # payloads annotated per run (GitHub shows about ten of a kind per step)


def _data(text: str) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'s' if n != 1 else ''}"


class GithubReporter(Reporter):
    lists_valid = False

    def __init__(self, *args: Any, limit: int = MAX_ANNOTATIONS, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.limit = limit
        self.annotated = 0
        self.not_annotated = 0

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
        lines = [context] if context else []
        if o.verdict == UNREADABLE:
            reason = o.errors[0][2] if o.errors else "unreadable"
            level, title = "error", "unreadable payload"
            lines.append(reason)
        else:
            level = "error" if o.verdict == INVALID else "warning"
            counts = ", ".join(c for c in (_plural(len(o.errors), "error") if o.errors else "",
                                            _plural(len(o.warnings), "warning") if o.warnings else "") if c)
            title = f"{o.verdict}: {o.schema or 'no schema'} ({counts})"
            lines += [f"error: {path}: [{code}] {message}" for path, code, message in o.errors]
        lines += [f"warning: {path}: [{code}] {message}" for path, code, message in o.warnings]
        if self.annotated < self.limit:
            self.annotated += 1
            self.out.write(f"::{level} {self._props(o, title)}::{_data(chr(10).join(lines))}\n")
            return
        self.not_annotated += 1  # past the cap: the same, as plain log lines (escaped: one payload, one block)
        where = f"{o.source}:{o.line}" if o.line else o.source
        self.out.write(f"{_data(where)}  {_data(title)}\n" + "".join(f"    {_data(l)}\n" for l in lines))

    def end(self, summary: Summary, drift: dict[str, Any] | None) -> None:
        if drift is not None:
            self.out.write("\n".join(drift_text.lines(drift)) + "\n")
        if self.not_annotated:
            self.out.write(f"::notice title=checkout-contracts::{_plural(self.not_annotated, 'more payload')} with "
                           f"findings not annotated (at most {self.limit} per run): see the log\n")
        line = summary.line()
        self.out.write(f"checkout-contracts: {line}\n")
