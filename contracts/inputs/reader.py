"""Entry points: paths, files and streams -> Records, lazily and without raising."""
from __future__ import annotations

import os
import sys
from typing import BinaryIO, Iterable, Iterator, NamedTuple

from . import gz, sniff
from .jsondoc import stream_records
from .jsonl import jsonl_records
from .model import Record, unreadable
from .paths import STDIN, format_hint, walk
from .stream import Peekable

STDIN_SOURCE = "<stdin>"
_HEAD = 1024


def iter_records(
    paths: Iterable[str],
    *,
    stdin: BinaryIO | None = None,
    max_depth: int = 256,
    stats: dict | None = None,
) -> Iterator[Record]:
    """Records of every path in order. ``stats`` (optional) gets ``skipped_non_json`` counts."""
    for path in paths:
        yield from read_path(path, stdin=stdin, max_depth=max_depth, stats=stats)


def read_path(
    path: str,
    *,
    stdin: BinaryIO | None = None,
    max_depth: int = 256,
    stats: dict | None = None,
) -> Iterator[Record]:
    """One file, a directory (walked recursively) or ``-`` for stdin."""
    if path == STDIN:
        stream = stdin if stdin is not None else sys.stdin.buffer
        yield from read_stream(stream, STDIN_SOURCE, max_depth=max_depth, stats=stats)
        return
    if os.path.isdir(path):
        for file, error in walk(path):
            if error is not None:
                yield unreadable(file, f"cannot read directory: {error.strerror or error}")
            else:
                yield from read_file(file, max_depth=max_depth, stats=stats)
        return
    yield from read_file(path, max_depth=max_depth, stats=stats)


def read_file(path: str, *, max_depth: int = 256, stats: dict | None = None) -> Iterator[Record]:
    try:
        handle = open(path, "rb")
    except FileNotFoundError:
        yield unreadable(path, "no such file or directory")
        return
    except OSError as exc:
        yield unreadable(path, f"cannot open: {exc.strerror or exc}")
        return
    with handle:
        yield from read_stream(handle, path, name=path, max_depth=max_depth, stats=stats)


def read_stream(
    stream: BinaryIO,
    source: str,
    *,
    name: str | None = None,
    max_depth: int = 256,
    stats: dict | None = None,
) -> Iterator[Record]:
    """Records of a binary stream; ``name`` (a file name) is only a format hint."""
    try:
        yield from _read(stream, source, name, max_depth, stats)
    except Exception as exc:  # last resort: never a traceback
        yield unreadable(source, f"internal error: {type(exc).__name__}: {exc}")


class Probe(NamedTuple):
    """What the first bytes of a stream say: the (decompressed) stream to read, its kind, or why it is unreadable."""
    src: Peekable
    kind: str | None          # "jsonl", "yaml" or "json"; None when unreadable
    compressed: bool
    reason: str | None = None
    at_start: bool = False    # the reason is about the content (line 1, column 1), not a read error


def probe(stream: BinaryIO, name: str | None) -> Probe:
    """Decompress if gzip, detect UTF-16/binary content, and tell JSON Lines, YAML and JSON apart. ``name`` is
    only a format hint. Shared by the reader and the bulk planner, so both cut a stream the same way."""
    hint, gz_suffix = format_hint(name) if name else (None, False)
    src, compressed = Peekable(stream), False
    try:
        compressed = sniff.is_gzip(src.peek(2))
        if compressed:
            src = Peekable(gz.open_gzip(src))
        head = src.peek(_HEAD)
    except Exception as exc:
        return Probe(src, None, compressed, gz.read_error(exc))
    problem = sniff.encoding_problem(head)
    if problem == sniff.BINARY and gz_suffix and not compressed:
        problem = "corrupt gzip: not a gzip file"
    elif problem == sniff.BINARY and hint == "jsonl":
        problem = None  # a JSON Lines file is judged line by line: one binary line costs only that line
    if problem:
        return Probe(src, None, compressed, problem, at_start=True)
    return Probe(src, hint if hint in ("jsonl", "yaml") else sniff_kind(src, head, hint), compressed)


def _read(stream: BinaryIO, source: str, name: str | None, max_depth: int, stats: dict | None) -> Iterator[Record]:
    src, kind, _, reason, at_start = probe(stream, name)
    yield from read_probed(src, kind, reason, at_start, source, max_depth, stats)


def read_probed(src: Peekable, kind: str | None, reason: str | None, at_start: bool, source: str, max_depth: int,
                stats: dict | None) -> Iterator[Record]:
    """The records of a stream :func:`probe` looked at (so a pipe is read once)."""
    if reason is not None:
        yield unreadable(source, reason, line=1, column=1) if at_start else unreadable(source, reason)
        return
    if kind == "jsonl":
        yield from jsonl_records(src, source=source, max_depth=max_depth)
        return
    if kind != "yaml":
        yield from stream_records(src, source=source, max_depth=max_depth, stats=stats)
        return
    from .yamlin import YAML_MAX_BYTES, yaml_records  # PyYAML only when there is YAML to read
    try:
        data = src.read(YAML_MAX_BYTES + 1)  # never more: a gzip bomb stops here
    except Exception as exc:
        yield unreadable(source, gz.read_error(exc))
        return
    if len(data) > YAML_MAX_BYTES:
        yield unreadable(source, f"YAML document of more than {YAML_MAX_BYTES // 1048576} MB: larger than YAML is "
                                 "read (write big captures as JSON Lines, HAR or a JSON cassette)", line=1, column=1)
        return
    yield from yaml_records(data, source=source, max_depth=max_depth, stats=stats)


def sniff_kind(src: Peekable, head: bytes, hint: str | None) -> str:
    """"yaml", "jsonl" or "json" for a ``.json``/``.har``/unnamed stream."""
    if sniff.looks_like_yaml(head, loose=hint is None):
        return "yaml"
    if sniff.first_significant(head) in (b"{", b"["):
        try:
            lines = src.peek_lines(3)
        except Exception:
            return "json"  # the read error is reported when the document is read
        if sniff.looks_like_jsonl(lines):
            return "jsonl"
    return "json"
