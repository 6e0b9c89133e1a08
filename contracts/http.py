"""Checks of the HTTP envelope of a captured exchange: the response's status code and documented headers, and the
JSON request body the client sent (its schema where the route map names one, and the card-data scan always)."""
from __future__ import annotations

import re
from typing import Any

from . import engine, paths
from .findings import ERROR, WARNING, Finding
from .redact import decodings, find_card_numbers, scrub

_EXPECTED_STATUS = {
    "swedbankpay/checkout-v2/payment-order": (200, 201),
    "swedbankpay/checkout-v2/payment-order-state": (200, 201),
    "swedbankpay/checkout-v2/paid": (200,),
    "paiwise/checkout": (200, 201),
    "paiwise/customer": (200, 201),
    # v3.1: the create answers 200 OK (not 201); an async (Banklink) reversal 202 Accepted with the same body
    "swedbankpay/checkout-v3/payment-order": (200,),
    "swedbankpay/checkout-v3/capture-response": (200,),
    "swedbankpay/checkout-v3/cancel-response": (200,),
    "swedbankpay/checkout-v3/reversal-response": (200, 202),
}
SPP_HEADERS = "swedbankpay/checkout-v2/headers"
SPP3_HEADERS = "swedbankpay/checkout-v3/headers"


def check_http(schema: str, http: Any) -> list[Finding]:
    out: list[Finding] = []
    status = getattr(http, "status", None)
    expected = _EXPECTED_STATUS.get(schema)
    if status is not None:
        if schema.endswith("/problem") and not 400 <= status <= 599:
            out.append(Finding("http.status", "http-status", ERROR, scrub(f"a problem body came with HTTP status {status}, expected 4xx or 5xx")))
        elif expected and status not in expected:
            out.append(Finding("http.status", "http-status", ERROR,
                               scrub(f"HTTP status {status} for a {schema} body, expected {' or '.join(map(str, expected))}")))
    headers = {k.lower(): v for k, v in (getattr(http, "headers", None) or {}).items()}
    if isinstance(headers.get("content-type"), str):  # media type and charset are case-insensitive (RFC 9110)
        headers["content-type"] = headers["content-type"].lower()
    if schema.startswith("swedbankpay/") and headers:
        for f in engine.validate(SPP3_HEADERS if schema.startswith("swedbankpay/checkout-v3/") else SPP_HEADERS, headers):
            path = "http.headers" + f.path[1:]
            out.append(Finding(path, f.code if f.code != "required" else "header-missing", f.severity,
                               f.message, f.drift))
        version = re.search(r"version=([0-9x./]+)", headers.get("content-type", ""))
        supported = headers.get("api-supported-versions")
        if version and isinstance(supported, str):
            offered = [v.strip() for v in supported.split("/")]
            if not all(_covered(v, offered) for v in version.group(1).split("/")):
                out.append(Finding(paths.child("http.headers", "content-type"), "header-version", WARNING,
                                   scrub(f"Content-Type version {version.group(1)} is not among api-supported-versions {supported}")))
    return out


def _covered(version: str, offered: list[str]) -> bool:
    """``3.1`` is covered by ``3.1`` or by ``3.x`` (the docs pair version=3.1 with api-supported-versions 3.x/2.0)."""
    major = version.split(".")[0]
    return any(v == version or (v.endswith(".x") and v.split(".")[0] == major) for v in offered)


def check_request(http: Any, strict: bool = False) -> list[Finding]:
    """Findings on the recorded JSON request body, at ``http.request…`` paths: the request schema of the route
    (``requests:`` in routes.yaml, e.g. ``paiwise/requests/create``) and the card-data scan."""
    body = getattr(http, "request_body", None)
    text = getattr(http, "request_text", None)
    outside = _card_numbers_outside_json(http)
    if body is None:
        if text and any(find_card_numbers(t) for t in decodings(text)):  # a form: card=4111+1111…
            return [Finding("http.request", "unmasked-pan", ERROR, "the request body (not JSON) holds a full card "
                            "number (a card scheme's prefix and length, passing the Luhn check)")] + outside
        return outside
    from . import cardscan
    from .routes import request_schema_for
    found: list[Finding] = []
    schema = request_schema_for(http) if isinstance(body, dict) else None
    if schema is not None:
        found += engine.validate(schema, body, strict=strict)
    found += cardscan.scan(body)
    return [f._replace(path="http.request" + f.path[1:], message=f.message.replace("$:", "request:", 1))
            for f in found] + outside


def _card_numbers_outside_json(http: Any) -> list[Finding]:
    """``unmasked-pan`` for a card number in the recorded URL (percent-encoded any number of times) or in a
    response body that is not JSON (an HTML page, a script, a form)."""
    found = []
    url = getattr(http, "url", None)
    if isinstance(url, str) and len(url) >= 13 and any(find_card_numbers(t) for t in decodings(url)):
        found.append(Finding("http.request.url", "unmasked-pan", ERROR, "the request URL holds a full card number "
                             "(a card scheme's prefix and length, passing the Luhn check)"))
    text = getattr(http, "response_text", None)
    if text and any(find_card_numbers(t) for t in decodings(text)):
        found.append(Finding("http.response", "unmasked-pan", ERROR, "the response body (not JSON) holds a full "
                             "card number (a card scheme's prefix and length, passing the Luhn check)"))
    return found
