"""Route map: pick the response schema for a recorded exchange from method + URL + response.

The rules live in ``routes.yaml`` next to this file (package data, loaded
with ``yaml.safe_load``). A rule names one schema, several (the payload's shape
picks among them: an endpoint that answers in either of two models), or none
(``schema: null``: a known endpoint whose response has no schema).
``schema_for`` returns the schema name, or None when no rule matches *or* the
matching rule has no schema; ``route_for`` tells those two apart.

A team's own route files (same format, ``--route FILE`` or ``routes`` in ``[tool.checkout-contracts]``) are merged
over ours by :func:`configure`: their rules are tried first, their ``patterns`` added. An exchange no rule matches
(an OAuth token call, a GitHub API call in the same cassette) gets :data:`UNMATCHED`, a route without a schema: it
is skipped and counted after the card-data scan, like a known endpoint without a schema. ``strict_routes`` turns
that off (no route: the payload's shape decides, and an unknown shape fails); ``ignore_hosts`` always skips those
hosts' exchanges, strict or not.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit


from checkout_contracts.inputs.model import HttpContext

ROUTES_FILE = Path(__file__).with_name("routes.yaml")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


@dataclass(frozen=True, slots=True)
class Route:
    provider: str
    path: re.Pattern[str]
    schemas: tuple[str, ...]  # empty: a known endpoint without a schema
    methods: frozenset[str] | None = None
    hosts: frozenset[str] | None = None
    content_types: frozenset[str] | None = None
    status_min: int | None = None
    unmatched: bool = False  # the catch-all for exchanges no provider route knows (skipped, not judged)
    versions: frozenset[str] | None = None  # major API versions (Content-Type version parameter); None = any

    def matches(self, method: str | None, host: str, path: str, media_type: str | None, status: int | None,
                version: str | None = None) -> bool:
        if self.methods is not None and (method or "").upper() not in self.methods:
            return False
        if self.versions is not None and version not in self.versions:
            return False
        if self.hosts is not None and host not in self.hosts:
            return False
        if self.content_types is not None and media_type not in self.content_types:
            return False
        if self.status_min is not None and (status is None or status < self.status_min):
            return False
        return self.path.search(path) is not None

    @property
    def schema(self) -> str | None:
        """The route's (first) schema, or None for an endpoint without one."""
        return self.schemas[0] if self.schemas else None

    def choose(self, data: Any = None) -> str | None:
        """The schema for this response: the only one, or the one of several the payload's shape matches (the
        first when it matches none of them: its findings then say what is missing)."""
        if len(self.schemas) < 2:
            return self.schema
        from ..shape import detect
        found = detect(data)
        return found if found in self.schemas else self.schemas[0]


def parse_routes(document: Any, section: str = "routes", patterns: dict[str, str] | None = None) -> tuple[Route, ...]:
    """Build routes from the YAML structure (see routes.yaml for the fields): the response routes, or with
    ``section="requests"`` the request-body routes (an absent ``requests`` list is an empty one). ``patterns``:
    named patterns the document may use besides its own (ours, for a team's route file)."""
    if section == "requests" and isinstance(document, dict) and document.get("requests") is None:
        return ()
    if not isinstance(document, dict) or not isinstance(document.get(section), list):
        raise ValueError(f"route map must be a mapping with a '{section}' list")
    patterns = {**(patterns or {}), **{str(k): str(v) for k, v in (document.get("patterns") or {}).items()}}

    def expand(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in patterns:
            raise ValueError(f"route path uses unknown pattern {{{name}}}")
        return f"(?:{patterns[name]})"

    routes = []
    for number, rule in enumerate(document[section], 1):
        if not isinstance(rule, dict) or "path" not in rule or "schema" not in rule:
            raise ValueError(f"route {number}: needs 'path' and 'schema'")
        routes.append(
            Route(
                provider=str(rule.get("provider", "")),
                path=re.compile(_PLACEHOLDER.sub(expand, str(rule["path"]))),
                schemas=_schemas(rule["schema"], number),
                methods=_set(rule.get("methods"), str.upper),
                hosts=_set(rule.get("hosts"), str.lower),
                content_types=_set(rule.get("content_types"), str.lower),
                status_min=rule.get("status_min"),
                versions=_set(rule.get("versions"), str),
            )
        )
    return tuple(routes)


def _schemas(value: Any, number: int) -> tuple[str, ...]:
    if value is None:
        return ()
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n for n in names):
        raise ValueError(f"route {number}: 'schema' must be a schema name, a list of them, or null")
    return tuple(names)


def _set(values: Any, normalize) -> frozenset[str] | None:
    if values is None:
        return None
    return frozenset(normalize(str(v)) for v in values)


#: the route of an exchange no rule matches: no schema, so it is skipped after the card-data scan
UNMATCHED = Route(provider="", path=re.compile(""), schemas=(), unmatched=True)
_ENV = "CHECKOUT_CONTRACTS_ROUTING"  # the configuration, for worker processes that do not fork


@dataclass(frozen=True)
class Routing:
    """How exchanges are routed: a team's route files (tried before ours), strictness, hosts always skipped."""

    files: tuple[str, ...] = ()
    strict_routes: bool = False
    ignore_hosts: tuple[str, ...] = ()


def configure(files: Any = (), *, strict_routes: bool = False, ignore_hosts: Any = ()) -> Routing:
    """Set the routing for this process and the workers it starts. Reads and checks every file now, so a bad one
    is a usage error before any payload is read (``ValueError`` / ``OSError`` with the file named)."""
    import json
    import os
    routing = Routing(tuple(str(Path(f).resolve()) for f in files), bool(strict_routes),
                      tuple(sorted({str(h).strip().lower() for h in ignore_hosts if str(h).strip()})))
    for path in routing.files:
        _user_document(path)
    if routing == Routing():
        os.environ.pop(_ENV, None)
    else:
        os.environ[_ENV] = json.dumps([list(routing.files), routing.strict_routes, list(routing.ignore_hosts)])
    _active.cache_clear()
    load_routes.cache_clear()
    return routing


@lru_cache(maxsize=1)
def _active() -> Routing:
    import json
    import os
    raw = os.environ.get(_ENV)
    if not raw:
        return Routing()
    try:
        files, strict, hosts = json.loads(raw)
        return Routing(tuple(files), bool(strict), tuple(hosts))
    except (ValueError, TypeError):
        return Routing()


def active() -> Routing:
    """The routing in force (see :func:`configure`)."""
    return _active()


def _user_document(path: str) -> Any:
    import yaml
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise ValueError(f"route file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ValueError(f"route file {path}: not UTF-8 text") from None
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ValueError(f"route file {path}:{where}: not valid YAML") from None
    try:
        if not isinstance(doc, dict) or not isinstance(doc.get("routes", []), list):
            raise ValueError("must be a mapping with a 'routes' list")
        parse_routes({"routes": doc.get("routes") or [], "patterns": doc.get("patterns")}, "routes", _our_patterns())
        parse_routes({"requests": doc.get("requests"), "patterns": doc.get("patterns")}, "requests", _our_patterns())
    except (ValueError, TypeError, re.error) as exc:
        raise ValueError(f"route file {path}: {exc}") from None
    return doc


@lru_cache(maxsize=1)
def _ours() -> Any:
    import yaml  # only when an exchange needs routing: JSON Lines never do
    return yaml.safe_load(ROUTES_FILE.read_text(encoding="utf-8"))


def _our_patterns() -> dict[str, str]:
    return {str(k): str(v) for k, v in (_ours().get("patterns") or {}).items()}


@lru_cache(maxsize=None)
def load_routes(path: str | None = None, section: str = "routes") -> tuple[Route, ...]:
    """The routes of ``path``, or with none the routes in force: a team's files first, then ours; for responses,
    the ignored hosts before everything and the catch-all :data:`UNMATCHED` last (unless routes are strict)."""
    import yaml
    if path:
        return parse_routes(yaml.safe_load(Path(path).read_text(encoding="utf-8")), section)
    routing = _active()
    out: list[Route] = []
    if section == "routes" and routing.ignore_hosts:
        out.append(Route(provider="ignored", path=re.compile(""), schemas=(), hosts=frozenset(routing.ignore_hosts),
                         unmatched=True))
    for file in routing.files:
        doc = _user_document(file)
        if section == "routes":
            out += parse_routes({"routes": doc.get("routes") or [], "patterns": doc.get("patterns")}, section,
                                _our_patterns())
        else:
            out += parse_routes({"requests": doc.get("requests"), "patterns": doc.get("patterns")}, section,
                                _our_patterns())
    out += parse_routes(_ours(), section)
    if section == "routes" and not routing.strict_routes:
        out.append(UNMATCHED)
    return tuple(out)


def _host_path(http: HttpContext) -> tuple[str, str] | None:
    """(lower-case host, path) of the exchange's URL, or None when it has none that parses."""
    if not isinstance(http.url, str) or not http.url:
        return None
    try:
        parts = urlsplit(http.url)
    except ValueError:
        return None
    return (parts.hostname or "").lower(), parts.path or "/"


def request_schema_for(http: HttpContext, routes: tuple[Route, ...] | None = None) -> str | None:
    """The schema of the exchange's request body (``requests:`` in routes.yaml), or None. The response's status
    and media type play no part: a request is what the client sent, whatever came back."""
    where = _host_path(http)
    if where is None:
        return None
    version = api_version(http.headers) if isinstance(http.headers, dict) else None
    for route in routes if routes is not None else load_routes(section="requests"):
        if route.matches(http.method, *where, None, None, version):
            return route.schema
    return None


def route_for(http: HttpContext, routes: tuple[Route, ...] | None = None) -> Route | None:
    """The first matching route, or None."""
    where = _host_path(http)
    if where is None or not isinstance(http.headers, dict):
        return None
    media_type = _media_type(http.headers.get("content-type"))
    version = api_version(http.headers)
    for route in routes if routes is not None else load_routes():
        if route.matches(http.method, *where, media_type, http.status, version):
            return route
    return None


def schema_for(http: HttpContext, routes: tuple[Route, ...] | None = None, data: Any = None) -> str | None:
    """Schema name for the exchange (``data``, the response body, picks among a route's several), or None
    (unknown route or no schema)."""
    route = route_for(http, routes)
    return route.choose(data) if route is not None else None


def known_route(http: HttpContext) -> Route | None:
    """The provider route of the exchange, or None when only the catch-all (or an ignored host) matches it."""
    route = route_for(http)
    return None if route is None or route.unmatched else route


_VERSION = re.compile(r";\s*version\s*=\s*\"?([0-9x.,/ ]+)", re.IGNORECASE)


def api_version(headers: dict) -> str | None:
    """The major API version the response's ``Content-Type`` names (``application/json; version=3.1`` → ``"3"``),
    or None when it names none, or several majors (``3.x/2.0``: either, so the payload's shape decides). Swedbank
    Pay answers in the version the request asked for, so the same version picks the request body's schema."""
    value = headers.get("content-type")
    if not isinstance(value, str):
        return None
    found = _VERSION.search(value)
    if not found:
        return None
    majors = {v.strip().split(".")[0] for v in re.split(r"[/,]", found.group(1)) if v.strip()}
    return majors.pop() if len(majors) == 1 and next(iter(majors)).isdigit() else None


def _media_type(value: str | None) -> str | None:
    if not value:
        return None
    return value.split(";", 1)[0].strip().lower() or None


__all__ = ["ROUTES_FILE", "UNMATCHED", "Route", "Routing", "active", "api_version", "configure", "load_routes", "parse_routes", "request_schema_for", "route_for", "schema_for", "known_route"]
