"""Data types produced by the input readers."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class HttpContext:
    """The HTTP exchange a recorded response body came from (HAR entry / cassette interaction)."""

    method: str | None
    url: str | None
    status: int | None
    headers: dict[str, str]  # response headers, lower-cased names, repeated values joined with ", "
    request_body: Any = None  # parsed JSON request body, or None
    request_text: str | None = None  # a request body that is not JSON (a form), decoded, for the card-data scan
    response_text: str | None = None  # a response body that is not JSON (HTML, JS, a form) that may hold a card number

    @property
    def content_type(self) -> str | None:
        """The response media type without parameters, lower-cased ("application/json")."""
        value = self.headers.get("content-type")
        if not value:
            return None
        return value.split(";", 1)[0].strip().lower() or None


@dataclass(slots=True)
class Record:
    """One payload read from an input source, or the reason it could not be read. ``data`` is None (and ``error``
    None) for a recorded response that is not JSON but came with a JSON request body: only the request is checked."""

    source: str
    record: int | None
    line: int | None
    column: int | None
    data: Any = None
    error: str | None = None
    http: HttpContext | None = None
    duplicate_keys: list[str] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        return self.error is None

    @property
    def location(self) -> str:
        """"path:line:column", leaving out the parts that are unknown."""
        if self.line is None:
            return self.source
        if self.column is None:
            return f"{self.source}:{self.line}"
        return f"{self.source}:{self.line}:{self.column}"


class InputPathError(FileNotFoundError):
    """A path given on the command line does not exist (see ``check_paths``)."""

    def __init__(self, path: str) -> None:
        super().__init__(f"no such file or directory: {path}")
        self.path = path


def unreadable(
    source: str,
    error: str,
    *,
    record: int | None = None,
    line: int | None = None,
    column: int | None = None,
    http: HttpContext | None = None,
) -> Record:
    return Record(source=source, record=record, line=line, column=column, error=error, http=http)


def duplicate_entry(path: str, key: str) -> str:
    """An entry of :attr:`Record.duplicate_keys`: ``$.a: duplicate key 'b'`` (the checker masks and escapes it)."""
    return f"{path}: duplicate key '{key}'"


_ITEM_ENTRY = re.compile(r"\$\[(\d+)\](.*)\Z", re.DOTALL)


def duplicates_by_item(entries: list[str]) -> dict[int, list[str]]:
    """The duplicate-key entries of a top-level array, per item index and rooted at the item
    (``$[3].a: duplicate key 'b'`` → ``{3: ["$.a: duplicate key 'b'"]}``)."""
    out: dict[int, list[str]] = {}
    for entry in entries:
        match = _ITEM_ENTRY.match(entry)
        if match:
            out.setdefault(int(match.group(1)), []).append("$" + match.group(2))
    return out
