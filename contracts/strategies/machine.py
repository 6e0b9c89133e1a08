"""The lifecycle tables' former home. They live in :mod:`contracts.lifecycles` now (one domain module for the
generators, the fake provider and the live scenarios); this name re-exports them for code written against it."""
from ..lifecycles import *  # noqa: F401,F403
