"""JUnit XML: one ``<testsuite>`` per source, one ``<testcase>`` per payload.

An invalid payload is a ``<failure type="invalid">`` whose text lists the findings; an unreadable record is an
``<error type="unreadable">`` with the reader's reason; warnings go to the test case's ``<system-out>``.
Element and attribute names are those of the JUnit XSD (``testsuites``/``testsuite``/``testcase``/``failure``/
``error``/``system-out``), which Jenkins, GitLab, GitHub test reporters and ``junitparser`` read.

A suite's counts are attributes of its opening tag, so each source's test cases are spooled (in memory up to a
few MB, then to a temporary file) until the source ends: memory stays flat however many payloads a source has.
"""
from __future__ import annotations

import re
import shutil
import tempfile
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from . import INVALID, UNREADABLE, VALID, Outcome, Reporter, Summary, _safe_text, http_label, location, within, safe

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _clean(text: Any) -> str:
    """Text XML 1.0 can carry (control characters shown as ``\\xNN``)."""
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group(0)):02x}", str(text))


def _attr(text: Any) -> str:
    return quoteattr(_clean(text), {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


class JunitReporter(Reporter):
    def begin(self) -> None:
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        self.out.write('<testsuites name="checkout-contracts validate">\n')
        self._source: str | None = None
        self._spool: Any = None
        self._counts = [0, 0, 0]  # tests, failures, errors

    def add(self, o: Outcome) -> None:
        o = safe(o)
        if o.source != self._source:
            self._flush()
            self._source = o.source
            self._spool = tempfile.SpooledTemporaryFile(max_size=4 << 20, mode="w+", encoding="utf-8")
            self._counts = [0, 0, 0]
        self._counts[0] += 1
        name = within(o)
        if o.schema:
            name += f" ({o.schema})"
        http = http_label(o.http)
        if http:
            name += f" {http}"
        w = self._spool.write
        w(f"    <testcase classname={_attr(o.source)} name={_attr(name)} time=\"0\"")
        body = []
        if o.verdict == UNREADABLE:
            self._counts[2] += 1
            reason = o.errors[0][2] if o.errors else "unreadable"
            body.append(f"      <error type=\"unreadable\" message={_attr(reason)}>"
                        f"{escape(_clean(location(o) + ': ' + reason))}</error>\n")
        elif o.verdict == INVALID:
            self._counts[1] += 1
            n = len(o.errors)
            message = f"{n} error{'s' if n != 1 else ''}: " + "; ".join(f"{p}: [{c}]" for p, c, _ in o.errors[:5])
            text = "\n".join(f"{p}: [{c}] {m}" for p, c, m in o.errors)
            body.append(f"      <failure type=\"invalid\" message={_attr(message)}>{escape(_clean(text))}</failure>\n")
        if o.warnings:
            text = "\n".join(f"warning: {p}: [{c}] {m}" for p, c, m in o.warnings)
            body.append(f"      <system-out>{escape(_clean(text))}</system-out>\n")
        if body:
            w(">\n" + "".join(body) + "    </testcase>\n")
        else:
            w("/>\n")

    def add_plain(self, source: str, numbers: list[int], schemas: list[str]) -> None:
        """The very text ``add`` writes for each valid payload, from a template per schema."""
        source = _safe_text(source)  # a file name can carry control characters too (as add: safe)
        if source != self._source:
            self.add(Outcome(source, numbers[0], numbers[0], None, schemas[0], VALID))
            numbers, schemas = numbers[1:], schemas[1:]
        if not numbers:
            return
        cache = self.__dict__.setdefault("_templates", {})
        if cache.get(None) != source:
            cache.clear()
            cache[None] = source
        parts = []
        for number, schema in zip(numbers, schemas):
            t = cache.get(schema)
            if t is None:
                name = _attr(f"line @@N@@ ({schema})").split("@@N@@")
                t = cache[schema] = (f"    <testcase classname={_attr(source)} name={name[0]}", f"{name[1]} time=\"0\"/>\n")
            parts.append(f"{t[0]}{number}{t[1]}")
        self._counts[0] += len(parts)
        self._spool.write("".join(parts))

    def _flush(self) -> None:
        if self._spool is None:
            return
        tests, failures, errors = self._counts
        self.out.write(f"  <testsuite name={_attr(self._source)} tests=\"{tests}\" failures=\"{failures}\" "
                       f"errors=\"{errors}\" skipped=\"0\" time=\"0\">\n")
        self._spool.seek(0)
        shutil.copyfileobj(self._spool, self.out)
        self._spool.close()
        self._spool = None
        self.out.write("  </testsuite>\n")

    def end(self, summary: Summary, drift: dict[str, Any] | None) -> None:
        self._flush()
        self.out.write("</testsuites>\n")
