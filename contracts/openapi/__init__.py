"""OpenAPI 3.1 documents generated from the schema files and the route table (never a second copy).

``render(api)`` gives the document's text (the exact bytes shipped as ``openapi/<api>.json`` in the repository
and ``contracts/_openapi/<api>.json`` in the wheel); ``shipped(api)`` is the path of that file.
``checkout-contracts openapi API [-o FILE]`` writes it.
"""
from __future__ import annotations

import json
from pathlib import Path

from .build import OPENAPI_VERSION, OpenAPIError, apis, build

_PACKAGE = Path(__file__).resolve().parent.parent


def render(api: str) -> str:
    """The document as text: 2-space JSON, keys in the generator's order, UTF-8, a final newline."""
    return json.dumps(build(api), indent=2, ensure_ascii=False) + "\n"


def documents_dir() -> Path:
    """The folder with the shipped documents (wheel first, then the source checkout)."""
    for candidate in (_PACKAGE / "_openapi", _PACKAGE.parent / "openapi"):
        if candidate.is_dir():
            return candidate
    raise RuntimeError("OpenAPI documents not found: the package is installed without them")


def shipped(api: str) -> Path:
    return documents_dir() / f"{api}.json"


__all__ = ["OPENAPI_VERSION", "OpenAPIError", "apis", "build", "documents_dir", "render", "shipped"]
