"""The schemas' ``pattern`` regexes as DFAs for the compiled fast path.

The schemas keep to a small, portable ECMA-262 subset (schemas/CONVENTIONS.md): literals, ``\\`` escapes,
classes with ranges and negation, groups, ``|``, ``? * + {n} {n,m}`` and the anchors ``^`` and ``$``. Each
pattern becomes a table over 129 symbols — the 128 ASCII characters and one for every other code point —
so a string is matched in one pass, one table step a character. A pattern outside the subset raises
:class:`Unsupported`: its schema then has no fast path (the engines judge it as before).

Semantics are ECMA-262 without flags, as jsonschema-rs applies them: a search (unanchored unless ``^``/``$``
say so), ``$`` only at the very end.
"""
from __future__ import annotations

from array import array

OTHER = 128          # the symbol of every non-ASCII code point
SYMBOLS = 129
_ALL = frozenset(range(SYMBOLS))
_MAX_STATES = 4000


class Unsupported(ValueError):
    """A pattern outside the subset the fast path compiles."""


# ---------------------------------------------------------------- parsing into a tiny AST
#   ("set", frozenset)  ("cat", [..])  ("alt", [..])  ("rep", node, min, max|None)

_ESCAPES = {"n": {10}, "r": {13}, "t": {9}, "f": {12}, "v": {11}, "0": {0},
            "d": set(range(48, 58)),
            "w": set(range(48, 58)) | set(range(65, 91)) | set(range(97, 123)) | {95}}


class _Parser:
    def __init__(self, text: str):
        self.s, self.i = text, 0

    def peek(self) -> str | None:
        return self.s[self.i] if self.i < len(self.s) else None

    def take(self) -> str:
        ch = self.s[self.i]
        self.i += 1
        return ch

    def alt(self):
        branches = [self.cat()]
        while self.peek() == "|":
            self.take()
            branches.append(self.cat())
        return branches[0] if len(branches) == 1 else ("alt", branches)

    def cat(self):
        items = []
        while self.peek() not in (None, "|", ")"):
            items.append(self.repeat())
        return ("cat", items)

    def repeat(self):
        node = self.atom()
        while True:
            ch = self.peek()
            if ch == "?":
                self.take(); node = ("rep", node, 0, 1)
            elif ch == "*":
                self.take(); node = ("rep", node, 0, None)
            elif ch == "+":
                self.take(); node = ("rep", node, 1, None)
            elif ch == "{":
                node = ("rep", node, *self.braces())
            else:
                break
            if self.peek() == "?":
                raise Unsupported("lazy quantifier")
        return node

    def braces(self):
        end = self.s.find("}", self.i)
        if end < 0:
            raise Unsupported("unclosed {")
        body = self.s[self.i + 1:end]
        self.i = end + 1
        lo, comma, hi = body.partition(",")
        if not lo.isdigit() or (hi and not hi.isdigit()):
            raise Unsupported(f"quantifier {{{body}}}")
        return int(lo), (int(hi) if hi else None) if comma else int(lo)

    def atom(self):
        ch = self.take()
        if ch == "(":
            if self.peek() == "?":
                if self.s.startswith("?:", self.i):
                    self.i += 2
                else:
                    raise Unsupported("lookaround or named group")
            node = self.alt()
            if self.peek() != ")":
                raise Unsupported("unclosed (")
            self.take()
            return node
        if ch == "[":
            return ("set", self.klass())
        if ch == "\\":
            return ("set", frozenset(self.escape()))
        if ch == ".":
            return ("set", _ALL - {10})  # any character but a line feed, as jsonschema-rs's regex engine reads it
        if ch in "^$":
            raise Unsupported("anchor inside the pattern")
        if ch in "*+?{}|)":
            raise Unsupported(f"bare {ch!r}")
        return ("set", frozenset({_sym(ch)}))

    def escape(self) -> set[int]:
        ch = self.take()
        if ch in _ESCAPES:
            return set(_ESCAPES[ch])
        if ch.isalnum():
            raise Unsupported(f"escape \\{ch}")
        return {_sym(ch)}

    def klass(self) -> frozenset[int]:
        negate = self.peek() == "^"
        if negate:
            self.take()
        if self.peek() == "]":
            raise Unsupported("empty class or a leading ]")
        out: set[int] = set()
        first = True
        while True:
            ch = self.take()
            if ch == "]" and not first:
                break
            first = False
            if ch == "\\":
                lo = self.escape()
            else:
                lo = {_sym(ch)}
            if self.peek() == "-" and self.i + 1 < len(self.s) and self.s[self.i + 1] != "]":
                self.take()
                hi_ch = self.take()
                hi = self.escape() if hi_ch == "\\" else {_sym(hi_ch)}
                if len(lo) != 1 or len(hi) != 1 or OTHER in lo | hi:
                    raise Unsupported("range over a class or beyond ASCII")
                a, b = min(lo), min(hi)
                out |= set(range(a, b + 1))
            else:
                out |= lo
        if OTHER in out:
            raise Unsupported("non-ASCII character in a class")
        return frozenset(_ALL - out) if negate else frozenset(out)


def _sym(ch: str) -> int:
    code = ord(ch)
    if code >= 128:
        raise Unsupported("non-ASCII character")
    return code


# ---------------------------------------------------------------- Thompson NFA → DFA

class _NFA:
    def __init__(self):
        self.eps: list[list[int]] = []
        self.edges: list[list[tuple[frozenset, int]]] = []

    def state(self) -> int:
        self.eps.append([])
        self.edges.append([])
        return len(self.eps) - 1

    def build(self, node, start: int) -> int:
        """Wire ``node`` from ``start``; return its end state."""
        kind = node[0]
        if kind == "set":
            end = self.state()
            self.edges[start].append((node[1], end))
            return end
        if kind == "cat":
            cur = start
            for item in node[1]:
                cur = self.build(item, cur)
            return cur
        if kind == "alt":
            end = self.state()
            for branch in node[1]:
                s = self.state()
                self.eps[start].append(s)
                self.eps[self.build(branch, s)].append(end)
            return end
        _, inner, lo, hi = node
        if lo > 64 or (hi is not None and hi > 256):
            raise Unsupported("quantifier bound too large")
        cur = start
        for _ in range(lo):
            cur = self.build(inner, cur)
        if hi is None:
            loop = self.state()
            self.eps[cur].append(loop)
            self.eps[self.build(inner, loop)].append(loop)
            return loop
        end = self.state()
        self.eps[cur].append(end)
        for _ in range(hi - lo):
            cur = self.build(inner, cur)
            self.eps[cur].append(end)
        return end


def compile_pattern(pattern: str) -> tuple[bytes, bytes, bytes, int]:
    """``(classes, table, accepting, dead)``: ``classes`` maps each of the 129 symbols to a column (symbols no
    part of the pattern tells apart share one), ``table`` holds ``int16`` next states, one row of columns per
    state (state 0 is the start), ``accepting`` one byte a state; ``dead`` is the state nothing leaves (-1 if
    none). A string matches when the state after its last code point is accepting."""
    anchored_start = pattern.startswith("^")
    body = pattern[1:] if anchored_start else pattern
    anchored_end = body.endswith("$") and not body.endswith("\\$")
    if anchored_end:
        body = body[:-1]
    p = _Parser(body)
    ast = p.alt()
    if p.i != len(body):
        raise Unsupported("unbalanced )")
    if ast[0] == "alt" and (anchored_start or anchored_end):
        raise Unsupported("^a|b$: the anchors bind to one branch each")
    anything = ("rep", ("set", _ALL), 0, None)
    parts = ([] if anchored_start else [anything]) + [ast] + ([] if anchored_end else [anything])
    nfa = _NFA()
    start = nfa.state()
    final = nfa.build(("cat", parts), start)
    return _determinize(nfa, start, final)


def _determinize(nfa: _NFA, start: int, final: int) -> tuple[bytes, bytes, bytes, int]:
    # symbols that every edge treats alike form one column: determinize over columns, not 129 symbols
    sets = sorted({chars for edges in nfa.edges for chars, _ in edges}, key=sorted)
    signature: dict[tuple, int] = {}
    classes = bytearray(SYMBOLS)
    for sym in range(SYMBOLS):
        classes[sym] = signature.setdefault(tuple(sym in chars for chars in sets), len(signature))
    width = len(signature)
    member = [classes.index(c) for c in range(width)]  # one symbol standing for its column
    # NFA state sets as bit masks: each state's ε-closure, and where each state goes on each column
    n = len(nfa.eps)
    closure = [0] * n
    for s in range(n):
        seen, stack = 1 << s, [s]
        while stack:
            for nxt in nfa.eps[stack.pop()]:
                if not seen >> nxt & 1:
                    seen |= 1 << nxt
                    stack.append(nxt)
        closure[s] = seen
    step = [[0] * width for _ in range(n)]
    for s in range(n):
        for chars, nxt in nfa.edges[s]:
            for c in range(width):
                if member[c] in chars:
                    step[s][c] |= closure[nxt]
    first = closure[start]
    index = {first: 0}
    order = [first]
    table = array("h")
    i = 0
    while i < len(order):
        current = order[i]
        i += 1
        bits = [s for s in range(n) if current >> s & 1]
        for c in range(width):
            target_set = 0
            for s in bits:
                target_set |= step[s][c]
            target = index.get(target_set)
            if target is None:
                if len(order) >= _MAX_STATES:
                    raise Unsupported("too many DFA states")
                target = index[target_set] = len(order)
                order.append(target_set)
            table.append(target)
    accepting = bytes(1 if s >> final & 1 else 0 for s in order)
    dead = index.get(0, -1)
    return bytes(classes), table.tobytes(), accepting, dead


def matches(compiled: tuple[bytes, bytes, bytes, int], text: str) -> bool:
    """Run a compiled pattern in Python (for tests; the C module runs the same tables)."""
    classes, table_bytes, accepting, dead = compiled
    table = array("h")
    table.frombytes(table_bytes)
    width = len(table) // len(accepting)
    state = 0
    for ch in text:
        code = ord(ch)
        state = table[state * width + classes[code if code < 128 else OTHER]]
        if state == dead:
            return False
    return bool(accepting[state])


def compact(compiled: tuple[bytes, bytes, bytes, int]) -> tuple[bytes, bytes, bytes, int, bytes, int]:
    """The form the C module runs: ``(classes, table, accepting, dead, prefix, after_prefix)`` — the table's rows
    padded to a power of two (the C loop shifts instead of multiplying), and ``prefix`` the literal text every
    match starts with (the chain of states with a single way on), which C compares with ``memcmp`` before
    running the table from ``after_prefix``."""
    classes, table_bytes, accepting, dead = compiled
    table = array("h")
    table.frombytes(table_bytes)
    width = len(table) // len(accepting)
    padded = 1
    while padded < width:
        padded *= 2
    if len(accepting) * padded > 1 << 20:
        raise Unsupported("DFA too large")
    prefix = bytearray()
    state = 0
    while not accepting[state] and dead >= 0:
        row = table[state * width:(state + 1) * width]
        live = [c for c in range(width) if row[c] != dead]
        ways = [sym for sym in range(SYMBOLS) if classes[sym] in live]
        if len(ways) != 1 or ways[0] == OTHER:
            break
        prefix.append(ways[0])
        state = row[classes[ways[0]]]
    rows = array("h")
    for s in range(len(accepting)):
        rows.extend(table[s * width:(s + 1) * width])
        rows.extend([dead if dead >= 0 else 0] * (padded - width))
    return classes, rows.tobytes(), accepting, dead, bytes(prefix), state
