"""Command-line paths: existence checks and the directory walk."""
from __future__ import annotations

import os
from typing import Iterable, Iterator

from .model import InputPathError

STDIN = "-"
KNOWN_SUFFIXES = (".json", ".jsonl", ".ndjson", ".yaml", ".yml", ".har")


def missing_paths(paths: Iterable[str]) -> list[str]:
    """Paths (other than ``-``) that do not exist, in the order given."""
    return [p for p in paths if p != STDIN and not os.path.exists(p)]


def check_paths(paths: Iterable[str]) -> None:
    """Raise ``InputPathError`` for the first path that does not exist."""
    for path in missing_paths(paths):
        raise InputPathError(path)


def format_hint(name: str) -> tuple[str | None, bool]:
    """(``"json"|"jsonl"|"yaml"|"har"|None``, gzip-suffix) from a file name."""
    lower = name.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[:-3]
    if lower.endswith((".jsonl", ".ndjson")):
        return "jsonl", gz
    if lower.endswith((".yaml", ".yml")):
        return "yaml", gz
    if lower.endswith(".har"):
        return "har", gz
    if lower.endswith(".json"):
        return "json", gz
    return None, gz


def is_known(name: str) -> bool:
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    return lower.endswith(KNOWN_SUFFIXES)


MANIFEST = "manifest.json"
_MANIFEST_MARK = b'"generator": "checkout-contracts'


def is_generate_manifest(path: str) -> bool:
    """True for the ``manifest.json`` that ``checkout-contracts generate`` writes beside its fixtures: metadata,
    not a payload."""
    if os.path.basename(path) != MANIFEST:
        return False
    try:
        with open(path, "rb") as fh:
            return _MANIFEST_MARK in fh.read(256)
    except OSError:
        return False


def walk(root: str, passed_over: list[int] | None = None,
         exclude: frozenset[str] = frozenset()) -> Iterator[tuple[str, OSError | None]]:
    """Files with known suffixes under ``root``, depth first, names sorted. ``passed_over[0]`` (when given)
    counts the regular files left out: other suffixes, and the manifests ``generate`` writes (but not the real
    paths in ``exclude``: the report being written).

    A directory's entries are sorted by name, files and sub-directories
    interleaved (so ``a/x.json`` comes before ``a.json``, as ``"a" < "a.json"``).
    Hidden files and directories (leading ``.``) are skipped; symlinked
    directories are not followed (no loops). A directory that cannot be
    listed is yielded as ``(path, error)``.
    """
    listing, error = _list(root, passed_over, exclude)
    if error is not None:
        yield root, error
        return
    stack = [iter(listing)]
    while stack:
        try:
            path, is_dir = next(stack[-1])
        except StopIteration:
            stack.pop()
            continue
        if not is_dir:
            yield path, None
            continue
        listing, error = _list(path, passed_over, exclude)
        if error is not None:
            yield path, error
        else:
            stack.append(iter(listing))


def _list(directory: str, passed_over: list[int] | None,
          exclude: frozenset[str] = frozenset()) -> tuple[list[tuple[str, bool]], OSError | None]:
    try:
        with os.scandir(directory) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as exc:
        return [], exc
    found = []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
            # a FIFO, socket or device met while walking would block or never end: only regular files are read
            # (a path named on the command line is read whatever it is, so `validate <(zcat x.gz)` works)
            regular = is_dir or entry.is_file()
        except OSError:
            is_dir, regular = False, True
        path = os.path.join(directory, entry.name)
        if is_dir or (regular and is_known(entry.name) and not (entry.name == MANIFEST and is_generate_manifest(path))):
            found.append((path, is_dir))
        elif regular and passed_over is not None and not (exclude and os.path.realpath(path) in exclude):
            passed_over[0] += 1
    return found, None
