"""The public API is typed (``py.typed`` ships in the wheel, tests/test_build.py) and mypy checks it: the modules
behind ``check``, ``Result``, ``Finding``, the strategies, the plugin and the configuration pass mypy, and a user's
code sees the real types, not ``Any``."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import checkout_contracts

ROOT = Path(__file__).resolve().parents[2]
PKG = Path(checkout_contracts.__file__).resolve().parent
PUBLIC = ["__init__.py", "pipeline.py", "findings.py", "registry.py", "config.py", "bundle.py", "pytest_plugin.py",
          "strategies/__init__.py", "strategies/hyp.py", "strategies/mutation.py"]

USER_CODE = f"""
from {checkout_contracts.__name__} import check, Result, Finding
from {checkout_contracts.__name__}.strategies import paiwise_checkout, mutants

result = check({{"a": 1}}, "paiwise/checkout", strict=True)
reveal_type(result)
reveal_type(result.errors)
reveal_type(result.valid)
reveal_type(paiwise_checkout())
reveal_type(mutants("paiwise/checkout"))
"""


def _mypy(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    import os
    pytest.importorskip("mypy", reason="mypy is in the test extra: pip install -e '.[test]'")
    return subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "--follow-imports=silent",
                           "--ignore-missing-imports", "--python-version", "3.10", *args],
                          capture_output=True, text=True, cwd=cwd, timeout=600, env={**os.environ, **(env or {})})


@pytest.mark.slow
def test_the_public_modules_pass_mypy():
    proc = _mypy(*(str(PKG / m) for m in PUBLIC))
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
def test_a_users_code_sees_the_real_types(tmp_path):
    (tmp_path / "use.py").write_text(USER_CODE)
    # mypy does not follow an editable install's import hook: show it the package under its import name
    (tmp_path / "path").mkdir()
    (tmp_path / "path" / checkout_contracts.__name__).symlink_to(PKG, target_is_directory=True)
    proc = _mypy(str(tmp_path / "use.py"), cwd=tmp_path, env={"MYPYPATH": str(tmp_path / "path")})
    revealed = [line.split("Revealed type is ", 1)[1].strip('"') for line in proc.stdout.splitlines()
                if "Revealed type is" in line]
    name = checkout_contracts.__name__
    assert len(revealed) == 5, proc.stdout
    assert revealed[0].endswith(f"fallback={name}.findings.Result]")            # a NamedTuple, as mypy shows one
    assert revealed[1].startswith("list[") and f"fallback={name}.findings.Finding" in revealed[1]
    assert revealed[2] == "bool"
    assert revealed[3].endswith("SearchStrategy[dict[Any, Any]]")
    assert revealed[4].endswith(f"SearchStrategy[{name}.strategies.mutation.Mutant]")
    assert "error" not in proc.stdout.replace("errors", ""), proc.stdout
