"""HTTP client responses (``requests``, ``httpx``, Werkzeug / Flask test responses) as checkable payloads: the
parsed body, its :class:`~checkout_contracts.inputs.HttpContext` and a label for messages. Duck-typed: neither library
is imported."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..redact import public_url  # the one way a URL is printed


@dataclass
class Unpacked:
    data: Any
    http: Any = None                 # checkout_contracts.inputs.HttpContext, for a response
    raw: bytes | None = None
    duplicate_keys: list[str] = field(default_factory=list)
    problem: str | None = None       # why the body cannot be checked (not JSON, empty)



def is_response(obj: Any) -> bool:
    return hasattr(obj, "status_code") and hasattr(obj, "headers") and (hasattr(obj, "content")
                                                                        or hasattr(obj, "get_data"))


def label(obj: Any) -> str:
    """``POST https://host/path → 201`` for a response, ``""`` for anything else."""
    if not is_response(obj):
        return ""
    method, url = _request_of(obj)
    return " ".join(str(p) for p in (method, public_url(url) if url else None, f"→ {obj.status_code}") if p)


def unpack(obj: Any) -> Unpacked:
    """A payload as is; a response as its parsed JSON body plus the HTTP exchange it came with."""
    if not is_response(obj):
        return Unpacked(obj)
    raw = obj.content if hasattr(obj, "content") else obj.get_data()
    if isinstance(raw, str):
        raw = raw.encode()
    from .client import parse_json
    data, error, dups = parse_json(raw) if raw and raw.strip() else (None, "the body is empty", [])
    if error is not None:
        return Unpacked(None, raw=raw, problem=f"response body is not a JSON payload: {error} ({label(obj)})")
    from ..inputs import HttpContext
    method, url = _request_of(obj)
    headers = {str(k).lower(): str(v) for k, v in obj.headers.items()}
    http = HttpContext(method=method, url=url, status=int(obj.status_code), headers=headers,
                       request_body=_request_body(obj))
    return Unpacked(data, http, raw, list(dups))


def _request_of(obj: Any) -> tuple[str | None, str | None]:
    try:
        request = obj.request
    except Exception:  # httpx raises when the response was built without a request
        return None, None
    method = getattr(request, "method", None)
    url = getattr(request, "url", None)
    if url is None:
        url = getattr(obj, "url", None)
    return method, (str(url) if url is not None else None)


def _request_body(obj: Any) -> Any:
    """The request's JSON body, parsed, when there is one."""
    try:
        request = obj.request
        body = getattr(request, "body", None)  # requests
        if body is None and hasattr(request, "content"):  # httpx
            body = request.content
    except Exception:
        return None
    if isinstance(body, (bytes, str)) and body:
        import json
        try:
            return json.loads(body)
        except ValueError:
            return None
    return None
