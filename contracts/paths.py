"""JSON paths in the form users read: ``$.paymentOrder.paid.details.bin``, ``$.log['2023-04-14 09:03:30']``,
``$.operations[0].rel`` — the one module that writes, reads and follows them.

* :func:`child` / :func:`render` — a concrete path (keys that could hold a card number or an e-mail are masked,
  odd keys quoted with every control character escaped);
* :func:`pattern` — a path with wildcards: :data:`ITEM` (``[*]``, any array item) and :data:`ANYKEY` (``.*``,
  any value of a key/value map), as the schema walk and the coverage report print them;
* :func:`parse` — a rendered path back into its parts (wildcards included); :func:`values_at` — the places of an
  instance a (wildcard) path names; :func:`sort_key`, :func:`short`, :func:`to_pointer`.
"""
from __future__ import annotations

import re
from typing import Any, Iterable, Iterator

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
ITEM = "[*]"     # wildcard part: any array item
ANYKEY = ".*"    # wildcard part: any value of a key/value map
# one part of a rendered path: .name | [index] | ['quoted'] | [*] | .*
_PART = re.compile(r"\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]|\['((?:[^'\\]|\\.)*)'\]|(\[\*\]|\.\*)")
_ESCAPE = re.compile(r"\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)", re.DOTALL)
_UNESCAPE = {"n": "\n", "r": "\r", "t": "\t"}


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


def pattern(parts: Iterable[Any]) -> str:
    """Like :func:`render`, with :data:`ITEM` and :data:`ANYKEY` written as ``[*]`` and ``.*``."""
    path = "$"
    for part in parts:
        path = path + part if part == ITEM or part == ANYKEY else child(path, part)
    return path


def _unquote(text: str) -> str:
    """The key inside ``['…']`` as :func:`checkout_contracts.redact.quote` escaped it."""
    def one(m: re.Match) -> str:
        e = m.group(1)
        return chr(int(e[1:], 16)) if len(e) > 1 else _UNESCAPE.get(e, e)
    return _ESCAPE.sub(one, text)


def parse(path: str) -> list[Any]:
    """The parts of a rendered path: ``$.a['b c'][0].*`` → ``['a', 'b c', 0, ANYKEY]`` (a masked key stays
    masked)."""
    out: list[Any] = []
    for name, index, quoted, wildcard in _PART.findall(path):
        if wildcard:
            out.append(wildcard)
        elif index:
            out.append(int(index))
        else:
            out.append(name or _unquote(quoted))
    return out


def values_at(instance: Any, parts: Iterable[Any]) -> Iterator[tuple[tuple, Any]]:
    """``(concrete parts, value)`` for every place of ``instance`` that ``parts`` (wildcards allowed) names, in
    document order."""
    stack: list[tuple[Any, tuple, tuple]] = [(instance, tuple(parts), ())]
    while stack:
        node, rest, done = stack.pop()
        if not rest:
            yield done, node
            continue
        head, tail = rest[0], rest[1:]
        if head == ITEM:
            if isinstance(node, list):
                stack.extend((v, tail, done + (i,)) for i, v in reversed(list(enumerate(node))))
        elif head == ANYKEY:
            if isinstance(node, dict):
                stack.extend((v, tail, done + (k,)) for k, v in reversed(list(node.items())))
        elif isinstance(node, dict):
            if head in node:
                stack.append((node[head], tail, done + (head,)))
        elif isinstance(node, list) and type(head) is int and 0 <= head < len(node):
            stack.append((node[head], tail, done + (head,)))


def to_pointer(parts: Iterable[str | int]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def short(path: str) -> str:
    """``$.paid.details`` → ``paid.details`` (for prose); the root stays ``$``."""
    return path[2:] if path.startswith("$.") else path


def sort_key(path: str) -> tuple:
    """Order paths as a reader expects: by their components, indexes numerically."""
    out: list[tuple[int, object]] = []
    for name, index, quoted, wildcard in _PART.findall(path):
        if not wildcard:
            out.append((0, int(index)) if index else (1, name or quoted))
    return tuple(out)
