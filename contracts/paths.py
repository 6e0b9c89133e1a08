"""JSON paths in the form users read: ``$.paymentOrder.paid.details.bin``, ``$.log['2023-04-14 09:03:30']``,
``$.operations[0].rel``."""
from __future__ import annotations

import re
from typing import Iterable

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def child(path: str, part: str | int) -> str:
    if isinstance(part, int):
        if abs(part) >= 10 ** 12:  # an integer key (a Python dict's) can be a card number too
            from .redact import scrub
            return f"{path}[{scrub(str(part))}]"
        return f"{path}[{part}]"
    if not isinstance(part, str):
        part = str(part)
    if _IDENT.match(part) and len(part) < 13:  # too short to hold a card number
        return f"{path}.{part}"
    from .redact import scrub  # a key can hold a card number (card_4925…) or an e-mail too: never print it
    shown = scrub(part)
    if shown == part and _IDENT.match(part):
        return f"{path}.{part}"
    from .redact import quote
    return f"{path}[{quote(shown)}]"  # escaped: a quote, a backslash, a line break or an ESC in a key


def render(parts: Iterable[str | int]) -> str:
    path = "$"
    for part in parts:
        path = child(path, part)
    return path


def to_pointer(parts: Iterable[str | int]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def short(path: str) -> str:
    """``$.paid.details`` → ``paid.details`` (for prose); the root stays ``$``."""
    return path[2:] if path.startswith("$.") else path


def sort_key(path: str) -> tuple:
    """Order paths as a reader expects: by their components, indexes numerically."""
    out: list[tuple[int, object]] = []
    for token in re.findall(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]", path):
        name, index, quoted = token
        out.append((0, int(index)) if index else (1, name or quoted))
    return tuple(out)
