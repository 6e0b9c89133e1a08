"""Judging one record: the verdict :func:`judge` gives a :class:`checkout_contracts.inputs.Record` — the one function
``validate`` (every engine) and the pytest plugin share — and the options it takes."""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from .. import cardscan, registry
from ..drift import Drift
from ..findings import ERROR
from ..pipeline import check
from ..redact import public_url, scrub
from ..report import INVALID, UNREADABLE, VALID, Outcome
from ..routes import active as routes_active, route_for

__all__ = ["Options", "judge", "schema_for_path", "shown_exchange"]


@dataclass(frozen=True, slots=True)
class Options:
    schema: str | None = None
    strict: bool = False
    rules: bool = True
    drift: bool = False
    max_depth: int = 256
    jobs: int = 1


@lru_cache(maxsize=4096)
def schema_for_path(source: str) -> str | None:
    """The schema a file is named after: ``…/paiwise/requests/create.json`` → ``paiwise/requests/create`` (the
    longest schema name the path ends with, at a folder boundary), or as ``generate`` names its files:
    ``paiwise-requests-create-valid-0003.json``; else ``None``."""
    stem = source.replace(os.sep, "/")
    lower = stem.lower()
    if lower.endswith(".gz"):
        stem, lower = stem[:-3], lower[:-3]
    for suffix in (".jsonl", ".ndjson", ".json", ".yaml", ".yml"):
        if lower.endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    else:
        return None
    best = None
    base = stem.rpartition("/")[2]
    for name in registry.names():
        if (stem == name or stem.endswith("/" + name)) and (best is None or len(name) > len(best)):
            best = name
    if best is None:  # generate's file names: paiwise-requests-create-valid-0003.json, …-lifecycle-0001-02.yaml
        match = _GENERATED.match(base)
        if match:
            best = {name.replace("/", "-"): name for name in registry.names()}.get(match.group(1))
    return best


_GENERATED = re.compile(r"^(.+)-(?:valid|edge|invalid|lifecycle)(?:-[0-9]{4}(?:-[0-9]{2})?)?$")


def shown_exchange(http: Any) -> tuple | None:
    """(method, URL, status) safe to print: no user info, query or fragment (tokens ride there), scrubbed."""
    if http is None:
        return None
    method = http.method if isinstance(http.method, str) and http.method.isalpha() else None
    url = public_url(http.url) if isinstance(http.url, str) else None
    status = http.status if isinstance(http.status, int) and 100 <= http.status <= 999 else None
    return (method, url, status)


def judge(rec: Any, opts: Options, drift: Drift | None = None, raw: bytes | None = None) -> Outcome | None:
    """The verdict on one :class:`checkout_contracts.inputs.Record`. Never raises: a crash inside ``check`` is an
    ``internal-error`` finding (verdict invalid) and the run goes on.

    ``None``: not judged, the caller counts it as skipped — a response of a known endpoint without a schema
    (``schema: null`` in the route map), or a response that is not JSON (``rec.data`` None), with nothing wrong in
    what was checked (the card-data scan; the JSON request body)."""
    http = rec.http
    source = scrub(rec.source)  # a file can be named after a card number or an e-mail
    try:
        shown_http = shown_exchange(http)
    except Exception:
        shown_http = None
    if rec.error is not None:  # the reader's reason, scrubbed in case it quotes the payload
        return Outcome(source, rec.record, rec.line, rec.column, None, UNREADABLE,
                       ((None, "unreadable", scrub(rec.error)),), (), shown_http)
    if rec.data is None:  # not a JSON response: only its JSON request body is checked
        return _without_schema(rec, source, shown_http, opts.strict)
    schema = opts.schema
    try:
        if schema is None:
            if http is None:
                schema = schema_for_path(rec.source)
            else:
                route = route_for(http)
                if route is None and routes_active().strict_routes:
                    return _no_route(rec, source, shown_http)
                if route is not None and not route.schemas:
                    return _without_schema(rec, source, shown_http, opts.strict)
                schema = route.choose(rec.data) if route is not None else None
        result = check(rec.data, schema, strict=opts.strict, rules_on=opts.rules, http=http, raw=raw,
                       duplicate_keys=rec.duplicate_keys)
    except Exception as exc:  # our bug, not the payload's: say so, keep going
        return Outcome(source, rec.record, rec.line, None, schema, INVALID,
                       (("$", "internal-error", f"checking this payload failed ({type(exc).__name__}); "
                                                "please report it"),), (), shown_http)
    findings = result.findings
    if findings:
        errors = tuple((f.path, f.code, f.message) for f in findings if f.severity == ERROR)
        warnings = tuple((f.path, f.code, f.message) for f in findings if f.severity != ERROR)
    else:
        errors = warnings = ()
    outcome = Outcome(source, rec.record, rec.line, None, result.schema, INVALID if errors else VALID,
                      errors, warnings, shown_http)
    if drift is not None:
        drift.add(result.schema, rec.data, findings, (source, rec.record, rec.line), not errors)
    return outcome


def _no_route(rec: Any, source: str, shown_http: tuple | None) -> Outcome:
    """Under ``--strict-routes``, an exchange no route matches fails as such (its card-data scan still reported)."""
    errors = [("$", "no-route", "no provider route matches this exchange (--strict-routes): add it to a routes "
                               "file (--route, [tool.checkout-contracts] routes) or skip its host (--ignore-host)")]
    errors += [(f.path, f.code, f.message) for f in cardscan.scan(rec.data) if f.severity == ERROR]
    return Outcome(source, rec.record, rec.line, None, None, INVALID, tuple(errors), (), shown_http)


def _without_schema(rec: Any, source: str, shown_http: tuple | None, strict: bool) -> Outcome | None:
    """A response of an endpoint without a schema: only the card-data scan applies to it (a card number in any
    response is an error), and the request checks to the request that went with it; nothing found: ``None``,
    skipped."""
    from ..http import check_request
    findings = (cardscan.scan(rec.data) if rec.data is not None else []) + check_request(rec.http, strict)
    errors = tuple((f.path, f.code, f.message) for f in findings if f.severity == ERROR)
    if not errors:  # (a drift warning on the request alone does not make a skipped response a judged payload)
        return None
    warnings = tuple((f.path, f.code, f.message) for f in findings if f.severity != ERROR)
    return Outcome(source, rec.record, rec.line, None, None, INVALID, errors, warnings, shown_http)


