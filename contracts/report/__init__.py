"""Reports of a bulk validation run: one verdict per payload, a summary, optionally the drift tally.

Every reporter streams: :meth:`Reporter.add` is called for each payload it lists, in input order, and writes
(or spools) at once; :meth:`Reporter.end` writes the summary. Nothing here holds the whole run in memory.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple, TextIO

from ..redact import PRINT_LIMIT, printable

FORMATS = ("text", "json", "junit", "github")

VALID, INVALID, UNREADABLE = "valid", "invalid", "unreadable"


class Outcome(NamedTuple):
    """The verdict on one payload, compact enough to cross a process boundary by the million.

    ``errors`` / ``warnings`` are ``(path, code, message)`` triples (messages already redacted); an unreadable
    record has one error with code ``unreadable``, path ``None`` and the reader's reason. ``http`` is
    ``(method, url, status)`` for a payload from a cassette or HAR, else ``None``.
    """
    source: str
    record: int | None
    line: int | None
    column: int | None
    schema: str | None
    verdict: str
    errors: tuple = ()
    warnings: tuple = ()
    http: tuple | None = None


@dataclass
class Summary:
    total: int = 0
    valid: int = 0
    invalid: int = 0
    unreadable: int = 0
    warnings: int = 0       # warning findings, over all payloads
    sources: int = 0
    skipped: int = 0        # HAR / cassette entries that are not JSON responses
    no_schema: int = 0      # responses of known endpoints without a schema (card-data scan clean)
    passed_over: int = 0    # files in folders not read: other suffixes, generate's manifests
    seconds: float = 0.0
    schemas: dict = field(default_factory=dict)  # payloads per schema (readable ones)

    def add(self, o: Outcome) -> None:
        self.total += 1
        if o.verdict == VALID:
            self.valid += 1
        elif o.verdict == INVALID:
            self.invalid += 1
        else:
            self.unreadable += 1
            return
        self.warnings += len(o.warnings)
        name = o.schema or "(no schema)"
        self.schemas[name] = self.schemas.get(name, 0) + 1

    def add_valid(self, counts: dict[str, int]) -> None:
        """Count valid payloads without warnings, by schema, without unpacking them."""
        for name, n in counts.items():
            self.total += n
            self.valid += n
            self.schemas[name] = self.schemas.get(name, 0) + n

    @property
    def ok(self) -> bool:
        return self.invalid == 0 and self.unreadable == 0

    def as_dict(self) -> dict[str, Any]:
        return {"total": self.total, "valid": self.valid, "invalid": self.invalid,
                "unreadable": self.unreadable, "warnings": self.warnings, "sources": self.sources,
                "skipped_non_json": self.skipped, "skipped_no_schema": self.no_schema,
                "skipped_other_files": self.passed_over, "schemas": dict(sorted(self.schemas.items()))}

    def line(self, warnings_hint: str = "") -> str:
        """``42 payloads from 3 sources: 40 valid, 1 invalid, 1 unreadable; 5 warnings``."""
        noun = "payload" if self.total == 1 else "payloads"
        src = "source" if self.sources == 1 else "sources"
        text = (f"{self.total} {noun} from {self.sources} {src}: {self.valid} valid, {self.invalid} invalid, "
                f"{self.unreadable} unreadable")
        if self.warnings:
            text += f"; {self.warnings} warning{'s' if self.warnings != 1 else ''}"
            text += f" ({warnings_hint})" if warnings_hint else ""
        if self.skipped:
            text += f"; {self.skipped} non-JSON HAR/cassette entr{'ies' if self.skipped != 1 else 'y'} skipped"
        if self.passed_over:
            text += (f"; {self.passed_over} other file{'s' if self.passed_over != 1 else ''} in folders passed over "
                     "(not .json/.jsonl/.ndjson/.yaml/.yml/.har[.gz], or a generate manifest: name a file to read it)")
        if self.no_schema:
            text += (f"; {self.no_schema} response{'s' if self.no_schema != 1 else ''} of endpoints without a schema "
                     "or of no provider route skipped (no card data in them)")
        if self.total == 0:
            text = "no payloads found: " + text
        return text

    def schema_lines(self, width: int = 100) -> list[str]:
        """``by schema: 23 swedbankpay/checkout-v2/payment-order, 16 swedbankpay/checkout-v2/paid, …`` wrapped."""
        import textwrap
        # a no-break space keeps each count with its name while wrapping
        parts = [f"{n}\u00a0{name}" for name, n in sorted(self.schemas.items(), key=lambda kv: (-kv[1], kv[0]))]
        if not parts:
            return []
        lines = textwrap.wrap("by schema: " + ", ".join(parts), width=width, subsequent_indent="  ",
                              break_on_hyphens=False, break_long_words=False)
        return [line.replace("\u00a0", " ") for line in lines]


def _safe_text(value: Any) -> Any:
    if type(value) is str:
        if value.isprintable() and len(value) <= PRINT_LIMIT:
            return value
        return printable(value)
    return value


def safe(o: Outcome) -> Outcome:
    """``o`` with every text it carries (file name, paths, codes, messages, schema, HTTP method and URL) safe to
    print: control characters escaped, length bounded (:func:`checkout_contracts.redact.printable`). Every reporter writes
    only what passes here, so no payload value or file name can clear a terminal or forge a verdict line."""
    f = _safe_text
    if (o.source.isprintable() and len(o.source) <= PRINT_LIMIT and not o.errors and not o.warnings
            and not o.http):
        return o  # the usual valid payload: nothing to do
    return o._replace(
        source=f(o.source), schema=f(o.schema),
        errors=tuple((f(p), f(c), f(m)) for p, c, m in o.errors),
        warnings=tuple((f(p), f(c), f(m)) for p, c, m in o.warnings),
        http=tuple(f(x) for x in o.http) if o.http else o.http)


def safe_tree(value: Any) -> Any:
    """A JSON-like value (the drift tally) with every string in it made safe to print, keys too."""
    if isinstance(value, str):
        return _safe_text(value)
    if isinstance(value, dict):
        return {_safe_text(k): safe_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [safe_tree(v) for v in value]
    return value


def location(o: Outcome) -> str:
    """Where a payload is: ``file:line[:col]`` when the line is known, ``file::record`` for the n-th record
    of a source without lines, else ``file``."""
    if o.line:
        where = f"{o.source}:{o.line}"
        if o.column and o.verdict == UNREADABLE:
            where += f":{o.column}"
        if o.record is not None and o.record != o.line:  # an array item, a HAR entry, a cassette interaction
            where += f" (record {o.record})"
        return where
    if o.record:
        return f"{o.source}::{o.record}"
    return o.source


def within(o: Outcome) -> str:
    """Where a payload is inside its source: ``line 17``, ``line 4:1``, ``record 3 (line 20)``, ``record 3``,
    ``document``."""
    if o.line:
        where = f"line {o.line}" + (f":{o.column}" if o.column and o.verdict == UNREADABLE else "")
        return f"record {o.record} ({where})" if o.record is not None and o.record != o.line else where
    if o.record:
        return f"record {o.record}"
    return "document"


def http_label(http: tuple | None) -> str:
    if not http:
        return ""
    method, url, status = http
    parts = [p for p in (method, url) if p]
    if status is not None:
        parts.append(f"→ {status}")
    return " ".join(str(p) for p in parts)


class Reporter:
    """Base: ``add`` every outcome, then ``end``. ``show_warnings`` lists warnings of valid payloads too.

    A reporter with ``lists_valid = False`` is not given the valid payloads without warnings (it would not show
    them): the run only counts those."""

    lists_valid = True

    def __init__(self, out: TextIO, *, show_warnings: bool = False, color: bool = False) -> None:
        self.out = out
        self.show_warnings = show_warnings
        self.color = color

    def begin(self) -> None:
        pass

    def add(self, o: Outcome) -> None:
        raise NotImplementedError

    def add_plain(self, source: str, numbers: list[int], schemas: list[str]) -> None:
        """A run of valid payloads without warnings or HTTP exchange, one JSON Lines record each (record number =
        line number). Reporters that list them write these from a template instead of one dict each."""
        for number, schema in zip(numbers, schemas):
            self.add(Outcome(source, number, number, None, schema, VALID))

    def end(self, summary: Summary, drift: dict[str, Any] | None) -> None:
        raise NotImplementedError


def make_reporter(fmt: str, out: TextIO, *, show_warnings: bool = False, color: bool = False) -> Reporter:
    if fmt == "text":
        from .text import TextReporter
        return TextReporter(out, show_warnings=show_warnings, color=color)
    if fmt == "json":
        from .json import JsonReporter
        return JsonReporter(out, show_warnings=show_warnings)
    if fmt == "junit":
        from .junit import JunitReporter
        return JunitReporter(out, show_warnings=show_warnings)
    if fmt == "github":
        from .github import GithubReporter
        return GithubReporter(out, show_warnings=show_warnings)
    raise ValueError(f"unknown report format {fmt!r}")


__all__ = ["safe", "safe_tree", "FORMATS", "Outcome", "Summary", "Reporter", "make_reporter", "location", "within", "http_label",
           "VALID", "INVALID", "UNREADABLE"]
