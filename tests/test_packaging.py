"""The build: setuptools with an optional C extension. A wheel carries the fast path, the schemas (as
``<package>/_schemas``) and the route map; without a C compiler the build warns loudly and still installs."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import checkout_contracts

ROOT = Path(__file__).resolve().parents[1]
PKG = checkout_contracts.__name__  # the import name, whatever the folder is called


def _wheel(tmp_path: Path, **env: str) -> tuple[zipfile.ZipFile, str]:
    """pip builds a local folder in place: a copy without build outputs, so nothing is reused."""
    import shutil
    src, out = tmp_path / "src", tmp_path / "wheel"
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.so", "*.pyd",
                                                              "__pycache__", "*.egg-info", ".hypothesis"))
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "-v", "--no-deps", "-w", str(out), str(src)],
                          capture_output=True, text=True, env={**os.environ, **env}, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    (wheel,) = out.glob("*.whl")
    return zipfile.ZipFile(wheel), proc.stdout + proc.stderr


@pytest.mark.slow
def test_a_wheel_holds_the_fast_path_the_schemas_and_the_route_map(tmp_path):
    whl, log = _wheel(tmp_path)
    names = set(whl.namelist())
    assert any(n.startswith(f"{PKG}/fastpath/_fast") and n.endswith((".so", ".pyd")) for n in names), sorted(names)
    schemas = {p.relative_to(ROOT / "schemas").as_posix() for p in (ROOT / "schemas").rglob("*.json")}
    shipped = {n[len(f"{PKG}/_schemas/"):] for n in names if n.startswith(f"{PKG}/_schemas/") and n.endswith(".json")}
    assert shipped == schemas
    assert {f"{PKG}/routes/routes.yaml", f"{PKG}/py.typed", f"{PKG}/cli/__init__.py"} <= names
    assert not any(n.startswith(("tests/", "tools/", "schemas/")) for n in names)
    assert "WARNING: the C fast path was NOT built" not in log


@pytest.mark.slow
def test_without_a_c_compiler_the_build_warns_and_installs_pure_python(tmp_path):
    whl, log = _wheel(tmp_path, CC="/bin/false")
    names = set(whl.namelist())
    assert "WARNING: the C fast path was NOT built" in log
    assert not any("/fastpath/_fast" in n for n in names)
    assert f"{PKG}/fastpath/__init__.py" in names and f"{PKG}/_schemas/paiwise/checkout.json" in names


def test_version_names_the_fast_path(monkeypatch):
    from checkout_contracts.fastpath import status
    monkeypatch.delenv("CHECKOUT_CONTRACTS_FASTPATH", raising=False)
    proc = subprocess.run([sys.executable, "-m", PKG, "--version"], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0
    assert proc.stdout.splitlines() == [f"checkout-contracts {checkout_contracts.__version__}", status()]
    import importlib.util
    built = importlib.util.find_spec(f"{PKG}.fastpath._fast") is not None
    assert status() == ("C fast path: built" if built else status())
    assert status().startswith("C fast path: built" if built else "C fast path: not built")
    off = subprocess.run([sys.executable, "-m", PKG, "--version"], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "CHECKOUT_CONTRACTS_FASTPATH": "0"})
    if built:
        assert "switched off by CHECKOUT_CONTRACTS_FASTPATH=0" in off.stdout
