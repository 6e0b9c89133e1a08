"""Pins that resolve beside a team's own test tools: our runtime dependencies admit the latest Hypothesis and
pytest releases we know, never cap them, and hypothesis-jsonschema (0.23.1 crashes with hypothesis >= 6.170.10) is
no runtime dependency — only the ``bench`` extra, for tools/bench_generate.py, has it."""
from __future__ import annotations

import re
import sys
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"

# the latest releases on PyPI when these pins were last checked (`pip index versions hypothesis`): bump them when a
# newer release is out, and the test says whether our pins still admit it
LATEST = {"hypothesis": "6.170.27", "pytest": "9.2.0"}


def _project() -> dict:
    if sys.version_info >= (3, 11):
        import tomllib
        return tomllib.loads(PYPROJECT.read_text())["project"]
    import pytest  # pragma: no cover - Python 3.10 has no tomllib
    pytest.skip("reads pyproject.toml with tomllib (Python 3.11+)")


def _requirements(deps: list[str]) -> dict[str, Requirement]:
    return {Requirement(d).name.lower(): Requirement(d) for d in deps}


def test_runtime_pins_admit_the_latest_hypothesis_and_pytest():
    reqs = _requirements(_project()["dependencies"])
    for name, latest in LATEST.items():
        assert name in reqs, f"{name} is not a dependency"
        assert reqs[name].specifier.contains(latest), f"{reqs[name]} refuses {name} {latest}, the latest release"
        assert not any(s.operator in ("<", "<=", "==", "~=", "===") for s in reqs[name].specifier), \
            f"{reqs[name]}: no upper bound on a user's {name}"


def test_hypothesis_jsonschema_is_no_runtime_dependency():
    project = _project()
    assert "hypothesis-jsonschema" not in _requirements(project["dependencies"])
    for extra, deps in project["optional-dependencies"].items():
        if "hypothesis-jsonschema" in _requirements(deps):
            assert extra == "bench", f"hypothesis-jsonschema in the {extra!r} extra"


def test_the_package_never_imports_hypothesis_jsonschema():
    package = PYPROJECT.parent / "contracts"
    users = [p for p in package.rglob("*.py") if re.search(r"^\s*(from|import) hypothesis_jsonschema", p.read_text(), re.M)]
    assert users == []


def test_installed_versions_satisfy_the_pins():
    for name, req in _requirements(_project()["dependencies"]).items():
        if name in LATEST:
            installed = version(name)
            assert req.specifier.contains(installed, prereleases=True), f"{name} {installed} not in {req}"
