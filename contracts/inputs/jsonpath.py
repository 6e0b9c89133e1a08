"""JSON paths for messages: ``$`` root, ``.name``, ``['odd key']``, ``[3]``."""
from __future__ import annotations

import re

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def key_part(key: str) -> str:
    if _IDENT.match(key):
        return "." + key
    escaped = key.replace("\\", "\\\\").replace("'", "\\'")
    return f"['{escaped}']"


def index_part(index: int) -> str:
    return f"[{index}]"


def join(path: str, key: str | int) -> str:
    return path + (index_part(key) if isinstance(key, int) else key_part(key))


def duplicate_entry(path: str, key: str) -> str:
    return f"{path}: duplicate key '{key}'"
