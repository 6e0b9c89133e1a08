"""Typed look-ups for rules: a rule only judges values of the type it expects (the schema reports the rest)."""
from __future__ import annotations

from typing import Any


def obj(parent: Any, key: str) -> dict | None:
    v = parent.get(key) if isinstance(parent, dict) else None
    return v if isinstance(v, dict) else None


def arr(parent: Any, key: str) -> list | None:
    v = parent.get(key) if isinstance(parent, dict) else None
    return v if isinstance(v, list) else None


def num(parent: Any, key: str) -> int | None:
    v = parent.get(key) if isinstance(parent, dict) else None
    return v if isinstance(v, int) and not isinstance(v, bool) else None


def text(parent: Any, key: str) -> str | None:
    v = parent.get(key) if isinstance(parent, dict) else None
    return v if isinstance(v, str) else None
