"""Turn one recorded HTTP response (HAR entry, cassette interaction) into a Record.

Rule: an entry is a record when its response content type is JSON-ish
(``application/json``, ``*/*+json``, ``text/json``) or, whatever the content
type, its body parses as a JSON object. Everything else (HTML pages, images,
scripts, 204 responses) is skipped and only counted. A JSON content type
whose body is missing, empty or broken is an unreadable record.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Iterator

import orjson

from . import gz, sniff
from .jsonparse import MAX_RECORD_BYTES, not_object_reason, parse_document, size_reason
from .model import HttpContext, Record, unreadable

_NO_BODY_STATUS = frozenset({204, 205, 304})


def is_json_type(media_type: str | None) -> bool:
    if not media_type:
        return False
    media_type = media_type.split(";", 1)[0].strip().lower()
    return media_type in ("application/json", "text/json", "application/x-json") or media_type.endswith("+json")


def header_value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(header_value(v) for v in value)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return "" if value is None else str(value)


def normalize_headers(items: Iterable[tuple[Any, Any]]) -> dict[str, str]:
    """Lower-cased names; repeated headers and list values joined with ", "."""
    headers: dict[str, str] = {}
    for name, value in items:
        key = header_value(name).strip().lower()
        if not key:
            continue
        text = header_value(value)
        headers[key] = f"{headers[key]}, {text}" if key in headers else text
    return headers


def to_status(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None


REQUEST_TEXT_LIMIT = 1 << 20  # of a non-JSON body longer than this only excerpts around card-like runs are kept
_CONTEXT = 48  # characters kept on each side of such a run
_MAX_EXCERPTS = 100


def scan_text(text: str) -> str:
    """What the card-data scan of a non-JSON body needs, in bounded memory: all of it up to
    ``REQUEST_TEXT_LIMIT``; past that, the head and an excerpt around every run that may be a card number, in
    the text as it is and percent-decoded (a card number after the first MiB of an upload is still found)."""
    if len(text) <= REQUEST_TEXT_LIMIT:
        return text
    from ..redact import decodings, find_pans
    pieces = [text[:REQUEST_TEXT_LIMIT]]
    for variant in decodings(text[REQUEST_TEXT_LIMIT - _CONTEXT:]):
        for start, end in find_pans(variant):
            pieces.append(variant[max(0, start - _CONTEXT):end + _CONTEXT])
            if len(pieces) > _MAX_EXCERPTS:
                return "\n".join(pieces)
    return "\n".join(pieces)


def card_text(body: bytes) -> str | None:
    """The text of a non-JSON body (HTML, JS, a form, plain text) when it may hold a card number, for the
    card-data scan (see :func:`scan_text`); None when it certainly holds none, or is binary."""
    from ..redact import find_card_numbers, may_hold_pan
    if not may_hold_pan(body) and b"%" not in body and b"+" not in body:
        return None
    if sniff.encoding_problem(body[:1024]):
        return None  # an image, a font: no text
    text = scan_text(body.decode("utf-8", "replace"))
    from ..redact import decodings
    return text if any(find_card_numbers(v) for v in decodings(text)) else None


def _url_holds_card(url: str | None) -> bool:
    """A recorded URL with a card number in it (percent-encoded any number of times): the exchange is kept, so the
    card-data scan reports it even when the response is not JSON."""
    if not isinstance(url, str) or len(url) < 13:
        return False
    from ..redact import decodings, find_card_numbers
    return any(find_card_numbers(t) for t in decodings(url))


def request_parts(body: Any) -> tuple[Any, str | None]:
    """(parsed JSON body or None, the body's text when it is not JSON — a form — or None)."""
    parsed = parse_request_body(body)
    if parsed is not None or body is None or isinstance(body, (dict, list)):
        return parsed, None
    if isinstance(body, (bytes, bytearray)):
        body = bytes(body).decode("utf-8", "replace")
    return None, (scan_text(body) if isinstance(body, str) and body.strip() else None)


def parse_request_body(body: Any) -> Any:
    """The request body as JSON when it is JSON, else None."""
    if isinstance(body, (dict, list)):
        return body
    if isinstance(body, str):
        body = body.encode("utf-8", "surrogatepass")
    if not isinstance(body, (bytes, bytearray)) or sniff.first_significant(bytes(body)) not in (b"{", b"["):
        return None
    try:
        return orjson.loads(sniff.strip_bom(bytes(body)))
    except orjson.JSONDecodeError:
        return None


def response_record(
    *,
    source: str,
    record: int,
    line: int | None,
    http: HttpContext,
    body: bytes | None,
    max_depth: int,
) -> Record | None:
    """A Record; None when the entry is not a JSON response (skip it) — unless the request that went with it had a
    body: then a Record with ``data`` None, kept so the request can be checked."""
    json_type = is_json_type(http.headers.get("content-type"))
    where = {"source": source, "record": record, "line": line, "http": http}
    kept = http.request_body is not None or http.request_text is not None or _url_holds_card(http.url)
    skip = Record(data=None, column=None, **where) if kept else None
    if body is None or not body.strip():
        bodyless = http.status in _NO_BODY_STATUS or (http.status is not None and http.status < 200) or http.method == "HEAD"
        if not json_type or bodyless:
            return skip
        reason = "empty document: response body is empty" if body is not None else "response body was not recorded"
        return unreadable(error=reason, **where)
    decoded, problem = gz.decode_body(body, http.headers.get("content-encoding"))
    if decoded is None:
        return unreadable(error=problem, **where) if json_type else skip
    if len(decoded) > MAX_RECORD_BYTES:
        return unreadable(error=size_reason(len(decoded)), **where)
    if not json_type:
        parsed = parse_document(decoded, max_depth=max_depth) if sniff.first_significant(decoded) == b"{" else None
        if parsed is None or not parsed.ok or not isinstance(parsed.value, dict):
            http.response_text = card_text(decoded)  # an HTML page, a script, a form: only scanned for card numbers
            return skip if http.response_text is None else Record(data=None, column=None, **where)
        return Record(data=parsed.value, duplicate_keys=parsed.duplicate_keys, column=None, **where)
    problem = sniff.encoding_problem(decoded[:1024])
    if problem:
        return unreadable(error=problem, **where)
    parsed = parse_document(decoded, max_depth=max_depth)
    if not parsed.ok:
        return unreadable(error=f"{parsed.error} (response body line {parsed.line}, column {parsed.column})", **where)
    if not isinstance(parsed.value, dict):
        return unreadable(error=not_object_reason(parsed.value, "response body"), **where)
    return Record(data=parsed.value, duplicate_keys=parsed.duplicate_keys, column=None, **where)


def exchange_records(items: Iterable[Any], convert: Callable[..., Record | None], *, what: str, source: str,
                     lines: list[int | None], max_depth: int, stats: dict | None) -> Iterator[Record]:
    """One record per recorded exchange (HAR entry, cassette interaction); ``record`` is the 1-based index and
    skipped exchanges keep their number. A malformed exchange is one unreadable record, never the end of the file;
    a non-JSON one is skipped and counted in ``stats["skipped_non_json"]``."""
    for index, item in enumerate(items):
        line = lines[index] if index < len(lines) else None
        try:
            rec = convert(item, source=source, record=index + 1, line=line, max_depth=max_depth)
        except Exception as exc:
            rec = unreadable(source, f"malformed {what}: {type(exc).__name__}: {exc}", record=index + 1, line=line)
        if rec is None:
            if stats is not None:
                stats["skipped_non_json"] = stats.get("skipped_non_json", 0) + 1
            continue
        yield rec
