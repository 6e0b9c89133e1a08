"""The compiled fast path's tests: whatever it certifies, the full pipeline must find nothing in."""
from __future__ import annotations

import pytest

from checkout_contracts import fastpath


@pytest.fixture(scope="session")
def fast():
    fp = fastpath.get()
    if fp is None:
        pytest.skip("the C fast path is not built here (no C compiler at install time, or switched off)")
    return fp
