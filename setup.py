"""Build: setuptools with one optional C extension, the fast path of bulk validation.

Everything declarative lives in ``pyproject.toml``; this file only says what a ``pyproject.toml`` cannot: the
packages under their import name (``IMPORT_NAME``, read from the folder ``SOURCE_DIR``), the schema files, OpenAPI
documents and examples shipped inside the package as ``<import name>/_schemas``, ``_openapi``, ``_examples``, and the C module ``<import name>.fastpath._fast`` built from
``contracts/fastpath/src/*.c``. The extension is optional: without a working C compiler (or with
``CHECKOUT_CONTRACTS_NO_C=1``) the build prints a warning and installs the pure-Python package, which gives the same
verdicts, about 5× slower on clean captures. ``checkout-contracts --version`` says which one is installed.
``pip install -e .`` builds the module next to its source, where the editable package imports it from.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

IMPORT_NAME = "checkout_contracts"   # the name users import
SOURCE_DIR = "contracts"    # the folder it is read from
HERE = Path(__file__).resolve().parent


def _packages(folder: str, name: str) -> list[str]:
    out = []
    for init in sorted((HERE / folder).rglob("__init__.py")):
        rel = init.parent.relative_to(HERE / folder).parts
        out.append(".".join((name, *rel)))
    return out


DATA = {"_schemas": "schemas", "_openapi": "openapi", "_examples": "examples"}  # shipped inside the package


def _data_packages() -> dict[str, str]:
    """``<import name>._schemas[.sub]`` → ``schemas[/sub]`` (and likewise the OpenAPI documents and the examples):
    the data folders, shipped as package data."""
    out = {}
    for name, folder in DATA.items():
        out[f"{IMPORT_NAME}.{name}"] = folder
        for sub in sorted(p for p in (HERE / folder).rglob("*") if p.is_dir() and "__pycache__" not in p.parts):
            rel = sub.relative_to(HERE / folder).parts
            out[".".join((IMPORT_NAME, name, *rel))] = "/".join((folder, *rel))
    return out


class OptionalBuildExt(build_ext):
    """Build the fast path if a C compiler works; else say so loudly and go on without it."""

    def run(self) -> None:
        if os.environ.get("CHECKOUT_CONTRACTS_NO_C") == "1":
            _warn("CHECKOUT_CONTRACTS_NO_C=1")
            return
        try:
            super().run()
        except Exception as exc:  # no compiler at all (distutils raises before building anything)
            _warn(f"{type(exc).__name__}: {exc}")

    def build_extension(self, ext: Extension) -> None:
        try:
            super().build_extension(ext)
        except Exception as exc:  # the compiler failed on our sources
            _warn(f"{type(exc).__name__}: {exc}")


def _warn(why: str) -> None:
    bar = "!" * 78
    sys.stderr.write(f"\n{bar}\ncheckout-contracts: WARNING: the C fast path was NOT built ({why.strip()[:300]}).\n"
                     "The package installs pure-Python: the same verdicts, bulk validation about 5x slower.\n"
                     "Install a C compiler and the Python headers, then reinstall; "
                     "`checkout-contracts --version` shows what is installed.\n"
                     f"{bar}\n\n")


_strict = [] if sys.platform == "win32" else [
    "-std=gnu99", "-fno-strict-aliasing", "-Werror=incompatible-pointer-types",
    "-Werror=implicit-function-declaration", "-Werror=int-conversion"]

setup(
    packages=_packages(SOURCE_DIR, IMPORT_NAME) + list(_data_packages()),
    package_dir={IMPORT_NAME: SOURCE_DIR, **_data_packages()},
    package_data={IMPORT_NAME: ["py.typed", "routes/*.yaml"], **{name: ["*"] for name in _data_packages()}},
    ext_modules=[Extension(f"{IMPORT_NAME}.fastpath._fast",
                           sources=sorted(str(p.relative_to(HERE)) for p in (HERE / SOURCE_DIR / "fastpath" / "src").glob("*.c")),
                           depends=sorted(str(p.relative_to(HERE)) for p in (HERE / SOURCE_DIR / "fastpath" / "src").glob("*.h")),
                           extra_compile_args=_strict, optional=True)],
    cmdclass={"build_ext": OptionalBuildExt},
)
