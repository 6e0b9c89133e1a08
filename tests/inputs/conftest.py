"""Helpers for the checkout_contracts.inputs tests (fixture files are written to tmp_path)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

_ROOT = Path(__file__).resolve().parents[2]
if str(_ROOT) not in sys.path:  # the package is not installed in every environment
    sys.path.insert(0, str(_ROOT))

from checkout_contracts.inputs import iter_records  # noqa: E402


@pytest.fixture
def write(tmp_path):
    """write("name.json", b"...") -> path string of the new file."""

    def _write(name: str, data: bytes | str) -> str:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
        return str(path)

    return _write


@pytest.fixture
def read():
    """read(path_or_paths, **kw) -> list of Records."""

    def _read(paths, **kwargs):
        if isinstance(paths, str):
            paths = [paths]
        return list(iter_records(paths, **kwargs))

    return _read
