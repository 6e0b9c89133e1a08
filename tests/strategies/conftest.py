"""Shared helpers for the generator tests (fixtures, so no module name can clash with other test folders)."""
from __future__ import annotations

from typing import Any, Iterator

import pytest

from checkout_contracts import engine, registry


def all_strings(doc: Any) -> Iterator[str]:
    """Every string in a payload, keys included."""
    if isinstance(doc, str):
        yield doc
    elif isinstance(doc, dict):
        for k, v in doc.items():
            yield k
            yield from all_strings(v)
    elif isinstance(doc, list):
        for v in doc:
            yield from all_strings(v)


@pytest.fixture(scope="session")
def strings():
    return all_strings


@pytest.fixture(scope="session", autouse=True)
def _compiled_validators():
    """Compile every validator once, before the timed Hypothesis examples run."""
    for name in registry.names():
        engine.rust_validator(name)
        engine.python_validator(name)
