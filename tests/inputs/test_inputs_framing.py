"""The one JSON Lines framing (``checkout_contracts.inputs.jsonl.frame``) and the ranges that own the lines starting in
them (``checkout_contracts.bulk.units.owned_reader``): whatever the read sizes, every line comes out once, whole, and a
line over the limit is reported by its size, not held."""
from __future__ import annotations

import io

from hypothesis import given, settings, strategies as st

from checkout_contracts.bulk.units import owned_reader
from checkout_contracts.inputs.jsonl import HUGE, LINES, frame

line = st.binary(max_size=40).map(lambda b: b.replace(b"\n", b"")) | st.sampled_from([b"", b" ", b"{}", b"x" * 100])


def _expected(data: bytes, limit: int) -> list:
    """(kind, line) per line; a line's size counts its line break, where it has one."""
    if not data:
        return []
    pieces = data.split(b"\n")
    sized = [(p, len(p) + 1) for p in pieces[:-1]] + ([(pieces[-1], len(pieces[-1]))] if pieces[-1] else [])
    return [("huge", n) if n > limit else ("line", p) for p, n in sized]


def _framed(read, limit: int, size: int) -> list:
    got = []
    for kind, piece in frame(read, limit=limit, size=size):
        if kind == LINES:
            assert piece, "an empty block"
            got.extend(("line", p) for p in (piece[:-1] if piece.endswith(b"\n") else piece).split(b"\n"))
        else:
            assert kind == HUGE
            got.append(("huge", piece[0]))
    return got


@settings(max_examples=300, deadline=None)
@given(st.lists(line, max_size=30), st.booleans(), st.integers(1, 64), st.integers(8, 80))
def test_frame_gives_every_line_once(lines, last_newline, size, limit):
    data = b"\n".join(lines) + (b"\n" if last_newline and lines else b"")
    assert _framed(io.BytesIO(data).read, limit, size) == _expected(data, limit)


@settings(max_examples=300, deadline=None)
@given(st.lists(line, min_size=1, max_size=30), st.integers(1, 50), st.integers(1, 64))
def test_ranges_own_the_lines_that_start_in_them(lines, chunk, size):
    data = b"\n".join(lines) + b"\n"
    got = []
    for offset in range(0, len(data), chunk):
        got += _framed(owned_reader(io.BytesIO(data), offset, chunk), 1 << 20, size)
    assert got == _expected(data, 1 << 20)


def test_an_endless_line_costs_one_read_buffer():
    """Ten million bytes without a line break, read 4 KB at a time: the frame holds no more than its limit."""
    held = []

    def read(n, left=[10_000_000]):
        n = min(n, left[0])
        left[0] -= n
        return b"\0" * n
    for kind, piece in frame(read, limit=1 << 16, size=4096):
        held.append((kind, piece))
    assert held == [(HUGE, (10_000_000, False))]
