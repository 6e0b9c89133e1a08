"""Card-data safety: find full card numbers anywhere in a payload.

Any standalone run of 13–19 digits (or 4-digit groups joined by one space or dash) that passes the Luhn
check is a finding ``unmasked-pan`` at its JSON path — in any field, at any depth, inside free text, in an
object key or as a JSON number. When the raw bytes of the payload are at hand, a C-speed pre-check skips
the walk for the (usual) payload that holds no such run at all.
"""
from __future__ import annotations

from typing import Any, Iterator

from . import paths
from .findings import ERROR, Finding
from .redact import find_pans

_DIGITS_TO_ZERO = bytes(
    (0x30 if 0x30 <= b <= 0x39 else 0x2D if b in (0x20, 0x2D) else 0x2E) for b in range(256)
)


def may_hold_pan(raw: bytes) -> bool:
    """False when ``raw`` certainly holds no candidate card number (no 13-digit run, no 4-4-4 group)."""
    t = raw.translate(_DIGITS_TO_ZERO)
    return b"0000000000000" in t or b"0000-0000-0000-0" in t


def _strings(instance: Any) -> Iterator[tuple[str, str]]:
    """(path, text) for every string, key and long number in the instance; iterative, any depth."""
    stack: list[tuple[str, Any]] = [("$", instance)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, dict):
            for key, value in node.items():
                sub = paths.child(path, key) if isinstance(key, str) else f"{path}[{key!r}]"
                if isinstance(key, str) and len(key) >= 13:
                    yield f"{sub} (key)", key
                stack.append((sub, value))
        elif isinstance(node, list):
            for i, value in enumerate(node):
                stack.append((f"{path}[{i}]", value))
        elif isinstance(node, str):
            if len(node) >= 13:
                yield path, node
        elif isinstance(node, int) and not isinstance(node, bool):
            if node >= 10**12 or node <= -(10**12):
                yield path, str(node)


def scan(instance: Any, raw: bytes | None = None) -> list[Finding]:
    if raw is not None and not may_hold_pan(raw):
        return []
    findings = []
    for path, text in _strings(instance):
        hits = find_pans(text)
        if hits:
            clean = path[: -len(" (key)")] if path.endswith(" (key)") else path
            where = "an object key" if path.endswith(" (key)") else "this value"
            n = len(hits)
            findings.append(Finding(
                clean, "unmasked-pan", ERROR,
                f"{where} holds {'a full card number' if n == 1 else f'{n} full card numbers'} "
                f"(13–19 digits passing the Luhn check); card numbers must be masked like 492500******0004",
            ))
    return findings
