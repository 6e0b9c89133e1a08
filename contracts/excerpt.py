"""The part of a long found value that a message shows: where it goes wrong, not its first 60 characters.

A resource id such as ``/psp/paymentorders/<guid>/History`` differs from its pattern in its last segment, which
a cut from the left hides. For a ``pattern`` finding the schema's own regex says where: the value is run through
the pattern's DFA (the fast path's compiler, ``fastpath.dfa``) up to the first character no match can go on
with, and the excerpt is taken around it. Other long strings show their head and their tail.

Masking comes first, always: the value is scrubbed (``redact.scrub``: card numbers, e-mail addresses) before it
is cut, and the position of a mismatch is used only when scrubbing changed nothing, so a cut can never keep part
of a card number. Values of sensitive fields are not shown at all (``redact.describe``).
"""
from __future__ import annotations

import functools
from typing import Any

from .redact import describe, is_sensitive, quote, scrub

LIMIT = 60      # characters of a value a message shows at most
_BEFORE = 40    # of which before the character where the value goes wrong


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str):
    from .fastpath import dfa
    try:
        return dfa.compile_pattern(pattern)
    except dfa.Unsupported:
        return None


def mismatch_at(pattern: str, text: str) -> int | None:
    """The index of the first character of ``text`` after which no match of the anchored ``pattern`` is possible,
    ``len(text)`` when ``text`` stops short of one, ``None`` when it matches or the pattern cannot be run here
    (not anchored at the start, or outside the DFA subset)."""
    if not pattern.startswith("^"):
        return None
    compiled = _compiled(pattern)
    if compiled is None:
        return None
    from array import array
    from .fastpath.dfa import OTHER
    classes, table_bytes, accepting, dead = compiled
    table = array("h")
    table.frombytes(table_bytes)
    width = len(table) // len(accepting)
    state = 0
    for i, ch in enumerate(text):
        code = ord(ch)
        state = table[state * width + classes[code if code < 128 else OTHER]]
        if state == dead:
            return i
    return None if accepting[state] else len(text)


def _window(text: str, at: int | None) -> str:
    """``text`` cut to :data:`LIMIT` characters around index ``at`` (head and tail when ``at`` is ``None``)."""
    if len(text) <= LIMIT:
        return text
    if at is None:
        return text[:_BEFORE] + "…" + text[-(LIMIT - _BEFORE - 1):]
    start = max(0, min(at - _BEFORE, len(text) - LIMIT))
    end = start + LIMIT
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def shown(value: Any, key: str | int | None = None, *, pattern: str | None = None, at: int | None = None) -> str:
    """``value`` as a message shows it. For a string that fails ``pattern``, the excerpt around the place where
    it goes wrong and which character that is: ``'…08d8f7a3b0d1/History' (no match from character 57, 'H')``.
    ``at``: the place is known already (a line break); the excerpt is taken around it, without a note."""
    if not isinstance(value, str) or is_sensitive(key):
        return describe(value, key)
    masked = scrub(value)
    if masked != value:  # positions in the value are not positions in the masked text: no cut at a place
        return quote(_window(masked, None))
    if at is not None:
        return quote(_window(value, at))
    at = mismatch_at(pattern, value) if pattern else None
    text = quote(_window(value, at))
    if at is None:
        return text
    if at == len(value):
        return f"{text} (it stops short of a match)"
    return f"{text} (no match from character {at + 1}, {quote(value[at])})"
