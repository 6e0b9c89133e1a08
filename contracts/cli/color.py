"""When the text report is coloured: ``--color=always|never`` decide; ``auto`` (the default) follows the conventions
people set once for every tool — ``NO_COLOR`` (any value) turns colour off, ``FORCE_COLOR`` (any value but ``0``)
turns it on without a terminal (CI logs), else a terminal that is not ``TERM=dumb`` gets colour."""
from __future__ import annotations

import os
from typing import Any, Mapping

CHOICES = ("auto", "always", "never")


def add_argument(p: Any) -> None:
    p.add_argument("--color", "--colour", choices=CHOICES, default="auto",
                   help="colour the text report: auto (default: a terminal; NO_COLOR off, FORCE_COLOR on), "
                        "always, never")


def wanted(choice: str, stream: Any, env: Mapping[str, str] | None = None) -> bool:
    env = os.environ if env is None else env
    if choice in ("always", "never"):
        return choice == "always"
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR", "") not in ("", "0"):
        return True
    try:
        tty = stream.isatty()
    except (AttributeError, ValueError):
        tty = False
    return tty and env.get("TERM") != "dumb"
