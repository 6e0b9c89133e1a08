"""The options every command that reads captures shares with ``[tool.checkout-contracts]`` (see
:mod:`checkout_contracts.config`): which pyproject.toml, extra route files, strict routes, ignored hosts."""
from __future__ import annotations

import argparse


def add_arguments(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("routing and configuration ([tool.checkout-contracts] in pyproject.toml)")
    g.add_argument("--config", metavar="PYPROJECT",
                   help="read [tool.checkout-contracts] from this file (default: the nearest pyproject.toml with "
                        "the table, from the current folder up)")
    g.add_argument("--route", action="append", default=[], metavar="FILE",
                   help="a routes file (the format of contracts/routes/routes.yaml) whose rules are tried before "
                        "ours (repeatable)")
    g.add_argument("--strict-routes", action="store_true",
                   help="a cassette/HAR exchange no route matches fails (no-route) instead of being skipped and "
                        "counted")
    g.add_argument("--ignore-host", action="append", default=[], metavar="HOST",
                   help="skip this host's exchanges (after the card-data scan), strict routes or not (repeatable)")


def apply(args: argparse.Namespace) -> None:
    """Read the configuration, put its routing in force, and fill in the settings no flag set
    (``--strict`` and ``--no-rules`` only tighten: a table's ``strict = true`` holds without the flag)."""
    from . import UsageError
    from .. import config
    try:
        cfg = config.load(args.config) if args.config else config.load()
        config.apply_routing(cfg, args.route, strict_routes=args.strict_routes, ignore_hosts=args.ignore_host)
    except config.ConfigError as exc:
        raise UsageError(str(exc)) from None
    if hasattr(args, "strict"):
        args.strict = args.strict or cfg.strict
    if hasattr(args, "rules"):
        args.rules = args.rules and cfg.rules
    if hasattr(args, "max_depth") and "max-depth" in cfg.given and args.max_depth == 256:
        args.max_depth = cfg.max_depth
