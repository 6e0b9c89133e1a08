"""A small HTTP client for the live scenarios (standard library only: the package must not need requests).

Every call returns an :class:`Exchange` whatever the status (4xx/5xx are answers to judge, not exceptions);
only a transport failure (refused, timeout, DNS) raises :class:`TransportError`, with a one-line reason. The
API key is held in a :class:`Secret`, whose repr never shows it, and is sent only in the Authorization header.
"""
from __future__ import annotations

import json
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

USER_AGENT = "checkout-contracts-live/0.1"


class Secret:
    """An API key that never shows up in a repr, a log line or a failure message."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


class TransportError(Exception):
    """The request got no HTTP answer at all."""


@dataclass
class Exchange:
    method: str
    url: str
    status: int
    headers: dict[str, str]  # lower-cased names
    raw: bytes
    request_body: Any = None
    data: Any = None
    parse_error: str | None = None
    duplicate_keys: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.method} {self.url} → {self.status}"

    def http(self) -> Any:
        """The exchange as the checks' HttpContext."""
        from ..inputs import HttpContext
        return HttpContext(method=self.method, url=self.url, status=self.status, headers=dict(self.headers),
                           request_body=self.request_body)


def _loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


def parse_json(raw: bytes) -> tuple[Any, str | None, list[str]]:
    """(value, error, duplicate-key reports) for a response body, parsed as ``validate`` parses a document."""
    from ..inputs.jsonparse import parse_document
    parsed = parse_document(raw)
    if parsed.ok:
        return parsed.value, None, list(parsed.duplicate_keys)
    where = f" at line {parsed.line} column {parsed.column}" if parsed.line else ""
    return None, f"the body is not JSON: {parsed.error}{where}", []


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Redirects are returned as answers (3xx), never followed: urllib would re-send the Authorization header to
    whatever host the Location names."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001 - urllib's signature
        return None


class Client:
    def __init__(self, base_url: str, token: Secret | None, *, timeout: float = 15.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._token = token
        self.timeout = timeout
        handlers: list = [_NoRedirect()]  # an API answer is judged as it is; a redirect must not carry the key away
        if _loopback(self.base_url):
            handlers.append(urllib.request.ProxyHandler({}))
        self._opener = urllib.request.build_opener(*handlers)

    def url(self, path_or_url: str) -> str:
        if path_or_url.startswith(("http://", "https://")):
            return path_or_url
        return urljoin(self.base_url + "/", path_or_url.lstrip("/"))

    def call(self, method: str, path_or_url: str, body: Any = None, *, auth: bool = True) -> Exchange:
        url = self.url(path_or_url)
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(url, data=data, method=method)
        request.add_header("Accept", "application/json")
        request.add_header("User-Agent", USER_AGENT)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if auth and self._token:
            request.add_header("Authorization", f"Bearer {self._token.reveal()}")
        try:
            with self._opener.open(request, timeout=self.timeout) as resp:
                status, headers, raw = resp.status, resp.headers, resp.read()
        except urllib.error.HTTPError as err:
            status, headers, raw = err.code, err.headers, err.read()
        except (urllib.error.URLError, socket.timeout, ConnectionError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            from ..redact import public_url
            raise TransportError(f"{method} {public_url(url)}: no answer ({reason})") from None
        lowered = {k.lower(): v for k, v in headers.items()}
        value, error, dups = parse_json(raw) if raw.strip() else (None, "the body is empty", [])
        return Exchange(method, url, status, lowered, raw, body, value, error, dups)
