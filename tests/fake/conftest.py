"""Fixtures for the fake provider's tests (the harness is in fakeharness.py)."""
from __future__ import annotations

import pytest

from checkout_contracts.fake.app import FakeApp
from fakeharness import Fake


@pytest.fixture
def fake() -> Fake:
    return Fake(FakeApp())
