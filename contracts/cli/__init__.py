"""The ``checkout-contracts`` command. Each subcommand lives in its own module with ``register(subparsers)``;
heavy imports (Hypothesis, the HTTP server) happen inside the subcommand, so ``validate`` stays light."""
from __future__ import annotations

import argparse
import sys
from typing import Sequence

SUBCOMMANDS = ("schemas", "rules", "validate", "generate", "serve", "openapi")


def positive_int(text: str) -> int:
    """argparse type: a whole number ≥ 1, with a one-line message otherwise."""
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {n}")
    return n


class UsageError(Exception):
    """A bad invocation: exit code 2 with a one-line message."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse's own errors: one line, exit 2
        from ..redact import printable, scrub
        self.exit(2, f"{self.prog}: error: {printable(scrub(message))}\n")  # it may echo an argument


class _Version(argparse.Action):
    """``--version``: the version and the fast path's state (read only when asked: the fast path imports the rules)."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        from .. import __version__
        from ..fastpath import status
        sys.stdout.write(f"checkout-contracts {__version__}\n{status()}\n")
        parser.exit(0)


def build_parser() -> argparse.ArgumentParser:
    import importlib

    parser = _Parser(prog="checkout-contracts",
                     description="JSON Schema contracts for the Paiwise Checkout API and Swedbank Pay Checkout v2.")
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="show the version and whether the C fast path is built, and exit")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f".{name}", __name__)
        except ModuleNotFoundError as exc:
            if exc.name and exc.name.endswith(f"cli.{name}"):
                continue  # subcommand not built yet
            raise
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except UsageError as exc:
        from ..redact import printable, scrub
        print(f"checkout-contracts: error: {printable(scrub(str(exc)))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("checkout-contracts: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 1
