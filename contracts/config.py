"""``[tool.checkout-contracts]`` in a project's ``pyproject.toml``: settings the CLI and the pytest plugin share.

    [tool.checkout-contracts]
    routes = ["tests/our-routes.yaml"]   # route files merged over ours (paths relative to this pyproject.toml)
    strict-routes = false                # true: an exchange no route matches is judged by its shape, not skipped
    ignore-hosts = ["auth.example.com"]  # exchanges with these hosts are always skipped (after the card scan)
    strict = false                       # drift (unknown fields, open-enum values) is an error
    rules = true                         # the cross-field rules
    max-depth = 256                      # nesting deeper than this makes a payload unreadable

The nearest ``pyproject.toml`` with the table, from the given folder upwards, is read (``validate --config FILE``
names one). A flag on the command line wins over the table; an unknown key or a value of the wrong type is a
usage error naming the file and the key.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TABLE = "checkout-contracts"
_KEYS = {"routes": list, "strict-routes": bool, "ignore-hosts": list, "strict": bool, "rules": bool, "max-depth": int}


class ConfigError(ValueError):
    """A bad ``[tool.checkout-contracts]`` table: the message names the file and the key."""


@dataclass(frozen=True)
class Config:
    source: Path | None = None                 # the pyproject.toml it came from, None: the defaults
    routes: tuple[str, ...] = ()               # absolute paths
    strict_routes: bool = False
    ignore_hosts: tuple[str, ...] = ()
    strict: bool = False
    rules: bool = True
    max_depth: int = 256
    given: frozenset[str] = field(default_factory=frozenset)  # the keys the table set


def find(start: str | Path = ".") -> Path | None:
    """The nearest ``pyproject.toml`` holding ``[tool.checkout-contracts]``, from ``start`` upwards."""
    here = Path(start).resolve()
    for folder in (here, *here.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            try:
                if TABLE in _read(candidate).get("tool", {}):
                    return candidate
            except ConfigError:
                return candidate  # a broken file we would have read: say so rather than skip it
    return None


def load(path: str | Path | None = None, *, start: str | Path = ".") -> Config:
    """The settings of ``path`` (a pyproject.toml), else of the nearest one found from ``start``; defaults when
    there is none."""
    found = Path(path) if path is not None else find(start)
    if found is None:
        return Config()
    table = _read(found).get("tool", {}).get(TABLE, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{found}: [tool.{TABLE}] must be a table")
    unknown = sorted(set(table) - set(_KEYS))
    if unknown:
        raise ConfigError(f"{found}: [tool.{TABLE}] unknown key {unknown[0]!r} (known: {', '.join(_KEYS)})")
    for key, kind in _KEYS.items():
        value = table.get(key)
        if value is not None and (type(value) is not kind):
            raise ConfigError(f"{found}: [tool.{TABLE}] {key} must be {_KIND_NAMES[kind]}, got {value!r}")
    for key in ("routes", "ignore-hosts"):
        if not all(isinstance(v, str) and v for v in table.get(key, [])):
            raise ConfigError(f"{found}: [tool.{TABLE}] {key} must be a list of strings")
    depth = table.get("max-depth", 256)
    if not 1 <= depth <= 1024:
        raise ConfigError(f"{found}: [tool.{TABLE}] max-depth must be between 1 and 1024, got {depth}")
    base = found.resolve().parent
    return Config(source=found, routes=tuple(str((base / r).resolve()) for r in table.get("routes", [])),
                  strict_routes=table.get("strict-routes", False), ignore_hosts=tuple(table.get("ignore-hosts", [])),
                  strict=table.get("strict", False), rules=table.get("rules", True), max_depth=depth,
                  given=frozenset(table))


_KIND_NAMES = {list: "a list", bool: "true or false", int: "a whole number"}


def _read(path: Path) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise ConfigError(f"{path}: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None


def apply_routing(config: Config, extra_routes: Any = (), *, strict_routes: bool = False,
                  ignore_hosts: Any = ()) -> None:
    """Put the route settings in force (:func:`checkout_contracts.routes.configure`): the config's and the command line's."""
    from . import routes
    try:
        routes.configure([*config.routes, *extra_routes], strict_routes=config.strict_routes or strict_routes,
                         ignore_hosts=[*config.ignore_hosts, *ignore_hosts])
    except ValueError as exc:
        named = config.source is not None and any(r in str(exc) for r in config.routes)
        raise ConfigError(f"{config.source}: [tool.{TABLE}] routes: {exc}" if named else str(exc)) from None
