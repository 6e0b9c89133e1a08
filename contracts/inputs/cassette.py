"""VCR.py / pytest-recording cassettes (YAML or JSON), also Ruby-VCR/Betamax style.

``interactions[].response.body.string`` may be text or bytes (YAML ``!!binary``),
gzip-compressed when the response had ``Content-Encoding: gzip``. Older
layouts keep the body in ``response.content`` and the status in ``status_code``.
"""
from __future__ import annotations

import base64
from typing import Any, Iterator

import orjson

from . import body as bodies
from .model import HttpContext, Record, unreadable

_KEYS = ("interactions", "http_interactions")


def interactions_key(doc: Any) -> str | None:
    """The key holding the interactions when ``doc`` is a cassette, else None."""
    if not isinstance(doc, dict):
        return None
    for key in _KEYS:
        items = doc.get(key)
        if not isinstance(items, list):
            continue
        if items and all(isinstance(i, dict) and ("request" in i or "response" in i) for i in items[:3]):
            return key
        if not items and ("version" in doc or "recorded_with" in doc) and len(doc) <= 3:
            return key  # a cassette that recorded nothing
    return None


def is_cassette(doc: Any) -> bool:
    return interactions_key(doc) is not None


def cassette_records(
    doc: dict,
    *,
    source: str,
    lines: list[int | None],
    max_depth: int,
    stats: dict | None,
) -> Iterator[Record]:
    """``record`` is the 1-based interaction index (skipped ones keep their number)."""
    items = doc[interactions_key(doc) or "interactions"]
    yield from bodies.exchange_records(items, _interaction, what="cassette interaction", source=source, lines=lines,
                                       max_depth=max_depth, stats=stats)


def _interaction(item: Any, *, source: str, record: int, line: int | None, max_depth: int) -> Record | None:
    if not isinstance(item, dict):
        return unreadable(source, "malformed cassette interaction: not a mapping", record=record, line=line)
    request = item.get("request") or {}
    response = item.get("response") or {}
    status = response.get("status")
    if isinstance(status, dict):
        status = status.get("code")
    if status is None:
        status = response.get("status_code")
    method = request.get("method")
    http = HttpContext(
        method=method.upper() if isinstance(method, str) and method else None,
        url=_text(request.get("uri") or request.get("url")),
        status=bodies.to_status(status),
        headers=bodies.normalize_headers(_pairs(response.get("headers"))),
    )
    http.request_body, http.request_text = bodies.request_parts(_body_bytes(request.get("body")))
    raw = _body_bytes(response["body"] if "body" in response else response.get("content"))
    return bodies.response_record(source=source, record=record, line=line, http=http, body=raw, max_depth=max_depth)


def _body_bytes(body: Any) -> bytes | None:
    if isinstance(body, dict):
        if "string" in body:
            body = body["string"]
        elif "base64_string" in body:
            return base64.b64decode(body["base64_string"])
        else:
            return orjson.dumps(body)  # a serializer that stored the parsed JSON body as a mapping
    if body is None:
        return None
    if isinstance(body, (bytes, bytearray)):
        return bytes(body)
    if isinstance(body, str):
        return body.encode("utf-8", "surrogatepass")
    return orjson.dumps(body)  # some serializers store a parsed JSON body


def _pairs(headers: Any) -> list[tuple[Any, Any]]:
    if isinstance(headers, dict):
        return list(headers.items())
    if isinstance(headers, list):
        return [tuple(h[:2]) for h in headers if isinstance(h, (list, tuple)) and len(h) >= 2]
    return []


def _text(value: object) -> str | None:
    """A URL as recorded, or None when the cassette holds something else there."""
    return value if isinstance(value, str) else None
