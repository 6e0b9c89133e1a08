"""Examples for the OpenAPI documents: the repository's example payloads (``examples/**/*.json``, shipped in the
wheel as ``contracts/_examples``), each attached to every response and request body it passes ``check`` for
(schema, rules and the HTTP exchange: a problem's ``status`` must be the response's). Mock servers (Prism) answer
with the first one, so a mock's answers validate as the vendor's should."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..inputs.model import HttpContext

_PACKAGE = Path(__file__).resolve().parent.parent


def examples_dir() -> Path | None:
    for candidate in (_PACKAGE / "_examples", _PACKAGE.parent / "examples"):
        if candidate.is_dir():
            return candidate
    return None


@lru_cache(maxsize=1)
def payloads() -> tuple[tuple[str, str, Any], ...]:
    """``(component name, relative path, data)`` of every example JSON file, in path order."""
    root = examples_dir()
    if root is None:
        return ()
    out = []
    for path in sorted(root.rglob("*.json")):
        rel = path.relative_to(root).as_posix()
        out.append((rel[:-len(".json")].replace("/", "."), rel, json.loads(path.read_text(encoding="utf-8"))))
    return tuple(out)


def fitting(schemas: tuple[str, ...], http: HttpContext | None, choose: Any = None) -> list[tuple[str, str, Any]]:
    """The examples a body with these schemas may be: no error from ``check --strict`` against the schema the route picks
    for it (``choose(data)``, else the only schema), with ``http`` as the exchange."""
    from ..pipeline import check
    out = []
    for name, rel, data in payloads():
        schema = choose(data) if choose is not None else schemas[0]
        if schema not in schemas:
            continue
        if not check(data, schema, strict=True, http=http).errors:  # strict: drift (an unknown field) is no fit
            out.append((name, rel, data))
    return out


__all__ = ["examples_dir", "fitting", "payloads"]
