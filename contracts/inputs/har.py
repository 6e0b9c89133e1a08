"""HAR files (browser "Save all as HAR"): one record per JSON response in ``log.entries``."""
from __future__ import annotations

import base64
import binascii
from typing import Any, Iterator

from . import body as bodies
from .model import HttpContext, Record, unreadable


def is_har(doc: Any) -> bool:
    return isinstance(doc, dict) and isinstance(doc.get("log"), dict) and isinstance(doc["log"].get("entries"), list)


def har_records(
    doc: dict,
    *,
    source: str,
    lines: list[int | None],
    max_depth: int,
    stats: dict | None,
) -> Iterator[Record]:
    """``record`` is the 1-based index in ``log.entries`` (skipped entries keep their number)."""
    yield from bodies.exchange_records(doc["log"]["entries"], _entry, what="HAR entry", source=source, lines=lines,
                                       max_depth=max_depth, stats=stats)


def _entry(entry: Any, *, source: str, record: int, line: int | None, max_depth: int) -> Record | None:
    if not isinstance(entry, dict):
        return unreadable(source, "malformed HAR entry: not an object", record=record, line=line)
    request = entry.get("request") or {}
    response = entry.get("response") or {}
    content = response.get("content") or {}
    headers = bodies.normalize_headers(_pairs(response.get("headers")))
    if "content-type" not in headers and content.get("mimeType"):
        headers["content-type"] = str(content["mimeType"])
    http = HttpContext(
        method=request["method"].upper() if isinstance(request.get("method"), str) and request["method"] else None,
        url=request.get("url") if isinstance(request.get("url"), str) else None,
        status=bodies.to_status(response.get("status")),
        headers=headers,
    )
    http.request_body, http.request_text = bodies.request_parts(_post_text(request.get("postData")))
    text = content.get("text")
    if text is None:
        raw = None
    elif str(content.get("encoding", "")).lower() == "base64":
        try:
            raw = base64.b64decode("".join(str(text).split()), validate=True)
        except (binascii.Error, ValueError):
            if not bodies.is_json_type(headers.get("content-type")):
                return None
            return unreadable(source, "invalid base64 in HAR content.text", record=record, line=line, http=http)
    else:
        raw = str(text).encode("utf-8", "surrogatepass")
    return bodies.response_record(source=source, record=record, line=line, http=http, body=raw, max_depth=max_depth)


def _pairs(headers: Any) -> list[tuple[Any, Any]]:
    if isinstance(headers, dict):
        return list(headers.items())
    if isinstance(headers, list):
        return [(h.get("name"), h.get("value")) for h in headers if isinstance(h, dict)]
    return []


def _post_text(post: Any) -> str | None:
    """The request body: ``postData.text``, or the form rebuilt from ``postData.params`` (HAR 1.2 has one or the
    other)."""
    if not isinstance(post, dict):
        return None
    if isinstance(post.get("text"), str):
        return post["text"]
    params = post.get("params")
    if isinstance(params, list):
        pairs = [f"{p.get('name', '')}={p.get('value', '')}" for p in params if isinstance(p, dict)]
        return "&".join(pairs) or None
    return None
