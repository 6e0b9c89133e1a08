"""Build an OpenAPI 3.1 document for one API from the route table (``openapi:`` in routes.yaml) and the schemas.

For every operation and status code the generator routes a sample exchange (the path template filled with its
parameters' examples) through the same route table ``validate`` uses, so a response documented here has exactly
the schema ``validate`` would check it with; request bodies likewise through ``requests:``.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ..inputs.model import HttpContext
from ..routes import ROUTES_FILE, Route, load_routes, request_schema_for, route_for
from .bundle import bundle
from .examples import fitting

OPENAPI_VERSION = "3.1.0"
SAMPLE_ORIGIN = "https://api.example.invalid"
_PARAM = re.compile(r"\{(\w+)\}")
_REASONS = {200: "OK", 201: "Created", 202: "Accepted", 400: "Bad Request", 401: "Unauthorized",
            403: "Forbidden", 404: "Not Found", 409: "Conflict", 422: "Unprocessable Content",
            429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway", 504: "Gateway Timeout"}


class OpenAPIError(ValueError):
    """The route table cannot give a document for this API (one line, says what is missing)."""


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, Any], dict[str, str]]:
    import yaml
    doc = yaml.safe_load(ROUTES_FILE.read_text(encoding="utf-8"))
    section = doc.get("openapi") if isinstance(doc, dict) else None
    if not isinstance(section, dict):
        raise OpenAPIError(f"{ROUTES_FILE.name} has no 'openapi' section")
    return section, {str(k): str(v) for k, v in (doc.get("patterns") or {}).items()}


def apis() -> tuple[str, ...]:
    """The API names ``checkout-contracts openapi`` knows (in the route table's order)."""
    return tuple(_table()[0]["apis"])


def schema_prefix(api: str) -> str:
    """Where the API's schemas live (``swedbankpay/checkout-v3/``): the document uses no other."""
    return _table()[0]["apis"][api]["schema_prefix"]


def _operations(api: str) -> list[dict[str, Any]]:
    out = []
    for op in _table()[0].get("operations") or []:
        names = op["api"] if isinstance(op["api"], list) else [op["api"]]
        if api in names:
            out.append(op)
    return out


def _sample_path(template: str, params: dict[str, Any], patterns: dict[str, str]) -> str:
    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        spec = params.get(name)
        if spec is None:
            raise OpenAPIError(f"path {template}: parameter {{{name}}} is not in path_params")
        example = str(spec["example"])
        if not re.fullmatch(patterns[spec["pattern"]], example):
            raise OpenAPIError(f"path parameter {name}: example {example!r} does not match pattern {spec['pattern']}")
        return example
    return _PARAM.sub(fill, template)


def _schema_of(schemas: tuple[str, ...], refs: dict[str, str]) -> dict[str, Any]:
    if len(schemas) == 1:
        return {"$ref": refs[schemas[0]]}
    return {"anyOf": [{"$ref": refs[s]} for s in schemas]}


def build(api: str) -> dict[str, Any]:
    """The OpenAPI 3.1 document for ``api`` (one of :func:`apis`), as a JSON-ready dict with sorted components."""
    try:
        return _build(api)
    except (KeyError, TypeError, AttributeError) as exc:  # the route table's data, not the caller: say where
        raise OpenAPIError(f"{ROUTES_FILE.name}, section openapi: malformed for {api} "
                           f"({type(exc).__name__}: {exc})") from None


def _build(api: str) -> dict[str, Any]:
    table, patterns = _table()
    if api not in table["apis"]:
        raise OpenAPIError(f"unknown API {api!r}; known: {', '.join(apis())}")
    info = table["apis"][api]
    prefix = info["schema_prefix"]
    operations = _operations(api)
    if not operations:
        raise OpenAPIError(f"{api}: the route table lists no operations for it")
    routes, requests = load_routes(), load_routes(section="requests")
    path_params, query_params = table.get("path_params") or {}, table.get("query_params") or {}
    media = info["media_type"]
    sent = info.get("send_content_type") or media
    error_media = info["error_media_types"]
    version_param = sent.partition(";")[2]  # the version parameter: the vendor answers in the version asked for

    def served(kind: str) -> str:
        """The Content-Type a response of this media type comes with (what the route table routes on)."""
        return f"{kind};{version_param}" if version_param else kind

    def own(where: str, names: tuple[str, ...]) -> tuple[str, ...]:
        """The route's schemas of this API (a route may list several versions' models for recordings without a
        version; the payload's shape picks there). None of them: the route table lacks this API's route."""
        mine = tuple(n for n in names if n.startswith(prefix))
        if names and not mine:
            raise OpenAPIError(f"{api}: {where} routes to {names[0]}, outside {prefix}: the route table lacks "
                               f"this API's route")
        return mine

    # 1. route every (operation, status) and request body
    plan: list[tuple[dict[str, Any], str, dict[int, tuple[Route, tuple[str, ...]]], tuple[str, ...]]] = []
    roots: list[str] = []
    for op in operations:
        method = op["method"].upper()
        url = SAMPLE_ORIGIN + _sample_path(op["path"], path_params, patterns)
        answers: dict[int, tuple[Route, tuple[str, ...]]] = {}
        statuses = list(op["success"]) + [s for s in info["errors"] + list(op.get("extra_errors") or [])
                                          if s not in op["success"]]
        for status in sorted(set(statuses)):
            kind = served(media if status < 400 else error_media[0])
            route = route_for(HttpContext(method, url, status, {"content-type": kind}), routes)
            if route is None:
                raise OpenAPIError(f"{api}: {method} {op['path']} {status}: no route matches")
            schemas = own(f"{method} {op['path']} {status}", route.schemas)
            answers[status] = (route, schemas)
            roots += schemas
        body: tuple[str, ...] = ()
        if op.get("body"):
            name = request_schema_for(HttpContext(method, url, None, {"content-type": sent}), requests)
            if name is not None:
                body = own(f"{method} {op['path']} request", (name,))
                roots.append(name)
        plan.append((op, url, answers, body))

    components, refs = bundle(dict.fromkeys(roots))

    # 2. the document
    paths: dict[str, dict[str, Any]] = {}
    examples: dict[str, Any] = {}

    def example_refs(found: list[tuple[str, str, Any]]) -> dict[str, Any]:
        for name, rel, data in found:
            examples[name] = {"summary": f"examples/{rel}", "value": data}
        return {"examples": {name: {"$ref": f"#/components/examples/{name}"} for name, _, _ in found}} if found else {}

    for op, url, answers, body in plan:
        item = paths.setdefault(op["path"], {})
        params = []
        for name in _PARAM.findall(op["path"]):
            spec = path_params[name]
            params.append({"name": name, "in": "path", "required": True, "description": spec["description"],
                           "schema": {"type": "string", "pattern": f"^{patterns[spec['pattern']]}$"},
                           "example": spec["example"]})
        for key in op.get("query") or []:
            spec = query_params[key]
            params.append({"name": spec["name"], "in": "query", "required": False,
                           "description": spec["description"], "schema": spec["schema"], "example": spec["example"]})
        operation: dict[str, Any] = {"operationId": op["id"], "summary": op["summary"]}
        if params:
            operation["parameters"] = params
        if op.get("body"):
            if body:
                media_type = {"schema": _schema_of(body, refs), **example_refs(fitting(body, None))}
            else:
                media_type = {"schema": {"type": "object", "description": "No schema for this request body yet."}}
            operation["requestBody"] = {"required": True, "content": {sent: media_type}}
        responses: dict[str, Any] = {}
        for status, (route, schemas) in answers.items():
            kinds = [served(k) for k in ([media] if status < 400 else error_media)]  # as the vendor labels them
            content = {}
            for k in kinds:
                if not schemas:
                    content[k] = {}
                    continue
                found = fitting(schemas, HttpContext(op["method"].upper(), url, status, {"content-type": k}),
                                route.choose)
                content[k] = {"schema": _schema_of(schemas, refs), **example_refs(found)}
            note = "" if schemas else " (no schema: documented at most by example)"
            responses[str(status)] = {"description": _REASONS.get(status, "Response") + note, "content": content}
        operation["responses"] = responses
        item[op["method"].lower()] = operation

    doc: dict[str, Any] = {
        "openapi": OPENAPI_VERSION,
        "info": {"title": info["title"], "version": str(info["version"]), "description": info["description"]},
        "servers": [dict(s) for s in info["servers"]],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {"schemas": components, "examples": dict(sorted(examples.items())),
                       "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                                          "description": "Authorization: Bearer <token>"}}},
    }
    callback = info.get("callback")
    if callback:
        cb_refs = bundle([callback["schema"]])
        doc["components"]["schemas"].update(cb_refs[0])
        doc["components"]["schemas"] = dict(sorted(doc["components"]["schemas"].items()))
        doc["webhooks"] = {callback["event"]: {"post": {
            "summary": "The callback the provider POSTs to the order's urls.callbackUrl after each state change",
            "requestBody": {"required": True, "content": {media: {"schema": {"$ref": cb_refs[1][callback["schema"]]}}}},
            "responses": {"200": {"description": "Any 2xx acknowledges; otherwise the provider retries"}},
            "security": []}}}
    return doc


__all__ = ["OPENAPI_VERSION", "OpenAPIError", "apis", "build", "schema_prefix"]
