"""``check``: the one entry point that judges a payload. shape → schema → rules → card-data scan → Result."""
from __future__ import annotations

from typing import Any, Iterable

from . import cardscan, engine, registry, rules, shape
from .findings import ERROR, WARNING, Finding, Result, finalize


def check(instance: Any, schema: str | None = None, *, strict: bool = False, rules_on: bool = True,
          http: Any = None, raw: bytes | None = None, duplicate_keys: Iterable[str] = (),
          engine_name: str = "rust") -> Result:
    """Judge one payload.

    ``schema`` is a schema name; ``None`` picks it from the payload's shape (a payload that matches no known
    shape is an ``unknown-shape`` error, never a silent pass). ``strict`` turns drift (unknown fields, values
    outside open enums) from warnings into errors. ``http`` (method, url, status, headers) adds the HTTP
    checks; ``raw`` (the payload's bytes, when at hand) lets the card-data scan skip clean payloads fast;
    ``duplicate_keys`` are the parser's reports of repeated object keys (``"$.paid: duplicate key 'amount'"``).
    """
    name = schema or shape.detect(instance)
    findings: list[Finding] = [_duplicate(d) for d in duplicate_keys] if duplicate_keys else []
    if name is None:
        findings.append(Finding("$", "unknown-shape", ERROR,
                                "the payload matches no known response shape "
                                f"(expected one of: {', '.join(shape.RESPONSE_SCHEMAS)}); pass a schema name"))
    else:
        if name not in _KNOWN:
            registry.get(name)  # raises UnknownSchema with the list of names
            _KNOWN.add(name)
        fast = _VALIDATORS.get(name) if engine_name == "rust" else None
        if fast is None and engine_name == "rust":
            fast = _VALIDATORS[name] = engine.rust_validator(name)
        try:
            passed = fast is not None and fast.is_valid(instance)  # the usual case: one call into Rust
        except (ValueError, RecursionError):
            passed = False  # engine.validate turns "too deep" into a finding
        if not passed:
            findings += engine.validate(name, instance, strict=strict, engine=engine_name)
        if rules_on:
            had_errors = bool(findings) and any(f.severity == ERROR for f in findings)
            ctx = _CONTEXTS.get((name, strict)) if http is None else None
            if ctx is None:
                ctx = rules.Context(name, strict, http)
                if http is None:
                    _CONTEXTS[(name, strict)] = ctx
            found = rules.run(name, instance, ctx, had_errors=had_errors)
            if found:
                findings += found
        if http is not None:
            from .http import check_http
            findings += check_http(name, http)
    if http is not None:  # the request that went with it, whatever the response was
        from .http import check_request
        findings += check_request(http, strict)
    pans = cardscan.scan(instance, raw)
    if pans:
        findings += pans
    return finalize(name, findings)


_KNOWN: set[str] = set()
_VALIDATORS: dict[str, Any] = {}  # compiled jsonschema-rs validators
_CONTEXTS: dict[tuple[str, bool], rules.Context] = {}


def _duplicate(report: str) -> Finding:
    from .redact import scrub
    path, _, what = report.partition(": ")
    return Finding(scrub(path) or "$", "duplicate-key", ERROR,
                   scrub(f"{what or 'duplicate key'}: JSON object names should be unique (RFC 8259) and parsers "
                         "disagree on which value wins"))


__all__ = ["check", "Result", "Finding", "ERROR", "WARNING"]
