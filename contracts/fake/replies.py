"""What a fake handler gets (``Call``) and gives back (``Reply``, or raises one of the provider errors)."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SPP_JSON = "application/json; charset=utf-8; version=2.0"
SPP3_JSON = "application/json; charset=utf-8; version=3.1"
SPP_PROBLEM_JSON = "application/problem+json; charset=utf-8"
SPP_VERSIONS = "2.0"
PAIWISE_JSON = "application/json; charset=utf-8"
PROBLEM_BASE = "https://api.payex.com/psp/errordetail/paymentorders/"

_REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
            409: "Conflict", 415: "Unsupported Media Type", 500: "Internal Server Error"}


@dataclass
class Call:
    body: Any
    base_url: str  # scheme://host[:port], no trailing slash
    user_agent: str | None = None
    args: dict[str, str] = field(default_factory=dict)
    version: str = "2.0"  # Swedbank Pay API version the request asked for ("2.0" or "3.1")


@dataclass
class Reply:
    status: int
    body: Any
    content_type: str
    extra_headers: dict[str, str] = field(default_factory=dict)


def spp_reply(body: Any, status: int = 200, version: str = "2.0") -> Reply:
    if version == "3.1":
        return Reply(status, body, SPP3_JSON, {"api-supported-versions": "3.1"})
    return Reply(status, body, SPP_JSON, {"api-supported-versions": SPP_VERSIONS})


def request_version(content_type: str | None, accept: str | None) -> str:
    """The Swedbank Pay API version a request asks for: ``version=3.x`` (3.0, 3.1, 3.x) on its Content-Type,
    else on its Accept header, is v3.1 (the fake speaks 3.1); anything else is v2."""
    import re
    for value in (content_type, accept):
        found = re.search(r";\s*version\s*=\s*\"?([0-9])", value or "", re.IGNORECASE)
        if found:
            return "3.1" if found.group(1) == "3" else "2.0"
    return "2.0"


def paiwise_reply(body: Any, status: int = 200) -> Reply:
    return Reply(status, body, PAIWISE_JSON)


class FakeError(Exception):
    def reply(self) -> Reply:
        raise NotImplementedError


class PaiwiseError(FakeError):
    """Paiwise documents no error body; the fake answers with the small JSON object Yii2 REST would send:
    ``{"name", "message", "code", "status"}``."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message

    def reply(self) -> Reply:
        return paiwise_reply({"name": _REASONS.get(self.status, "Error"), "message": self.message, "code": 0,
                              "status": self.status}, self.status)


class Problem(FakeError):
    """A Swedbank Pay RFC 7807 problem, served as ``application/problem+json``."""

    def __init__(self, status: int, kind: str, title: str, detail: str, problems: list[dict] | None = None):
        super().__init__(detail)
        self.status, self.kind, self.title, self.detail = status, kind, title, detail
        self.problems = problems or []

    def reply(self) -> Reply:
        from ..strategies.values import hex_id
        trace = f"00-{hex_id(None, 32)}-{hex_id(None, 16)}-01"  # the documented instance form
        body = {"type": PROBLEM_BASE + self.kind, "title": self.title, "status": self.status,
                "instance": f"https://api.payex.com/psp/probleminstance/{trace}", "detail": self.detail,
                "problems": self.problems}
        return Reply(self.status, body, SPP_PROBLEM_JSON, {"api-supported-versions": SPP_VERSIONS})


def input_error(*problems: tuple[str, str]) -> Problem:
    return Problem(400, "inputerror", "Error in input data", "Input validation failed, error description in problems node!",
                   [{"name": n, "description": d} for n, d in problems])


def not_allowed(detail: str) -> Problem:
    return Problem(403, "forbidden", "Operation not allowed", detail)


def not_found(detail: str = "The requested resource was not found.") -> Problem:
    return Problem(404, "notfound", "Not found", detail)
