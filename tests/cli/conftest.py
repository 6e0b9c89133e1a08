"""The in-process runner for the ``checkout-contracts validate`` tests (helpers: validate_helpers.py)."""
from __future__ import annotations

import pytest

from validate_helpers import Ran


@pytest.fixture
def validate(capsys):
    """``validate(*args) -> Ran``: the CLI in this process (``--jobs 1`` unless given)."""
    from checkout_contracts.cli import main

    def run(*args: str) -> Ran:
        argv = ["validate", *map(str, args)]
        if not any(a == "--jobs" or a.startswith("--jobs=") for a in argv):
            argv += ["--jobs", "1"]
        capsys.readouterr()
        rc = main(argv)
        captured = capsys.readouterr()
        return Ran(rc, captured.out, captured.err)
    return run
