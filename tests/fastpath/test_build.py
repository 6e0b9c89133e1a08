"""The module is built where a compiler is, is current, and every schema gets the fast path."""
from __future__ import annotations

import json
import os
import shutil
import sysconfig
from pathlib import Path

import pytest

from checkout_contracts import fastpath, registry
from checkout_contracts.strategies import fixtures

HERE = Path(fastpath.__file__).resolve().parent


def test_built_wherever_a_c_compiler_is():
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(cc) is None or os.environ.get("CHECKOUT_CONTRACTS_NO_C") == "1":
        pytest.skip(f"no C compiler ({cc}) on this machine: the package runs without the fast path")
    if os.environ.get("CHECKOUT_CONTRACTS_FASTPATH") == "0":
        pytest.skip("switched off by CHECKOUT_CONTRACTS_FASTPATH=0")
    assert fastpath.get() is not None, "pip install -e . compiles contracts/fastpath/src/*.c (setup.py)"


def test_an_in_tree_build_is_not_older_than_its_source():
    newest = max((HERE / "src").iterdir(), key=lambda p: p.stat().st_mtime)
    for built in HERE.glob("_fast*.so"):
        assert built.stat().st_mtime >= newest.stat().st_mtime, \
            f"{built.name} is older than src/{newest.name}: rebuild it with `pip install -e .`"


def test_every_schema_has_the_fast_path(fast):
    """Every schema but the v3.1 ones whose cross-field rules have no C certifier yet: those step aside."""
    from checkout_contracts import rules
    aside = {n for n in registry.names() if n.startswith("swedbankpay/checkout-v3/") and rules.for_schema(n)}
    assert set(fast.skipped) == aside
    assert all(why.startswith("rules without a certifier: spp3-") for why in fast.skipped.values())
    assert sorted(fast.names) == sorted(set(registry.names()) - aside)


def test_a_rule_without_a_certifier_takes_its_schema_off_the_fast_path(monkeypatch):
    from checkout_contracts import rules
    from checkout_contracts.fastpath import FastPath, _fast

    new = rules.Rule("pw-new-rule", "paiwise", ("paiwise/customer",), "-", "-", "warning", lambda v, c: ())
    monkeypatch.setattr(rules, "TABLE", rules.all_rules() + [new])
    monkeypatch.setattr(rules, "_BY_SCHEMA", {})
    monkeypatch.setattr(rules, "_PLAN", {})
    fp = FastPath(_fast, cache="0")
    assert "paiwise/customer" not in fp.names
    assert "pw-new-rule" in fp.skipped["paiwise/customer"]
    assert fp.certify(b'{"customer_id": "x"}', "paiwise/customer") == -3
    assert "paiwise/checkout" in fp.names


def test_switched_off_by_the_environment(monkeypatch):
    monkeypatch.setenv("CHECKOUT_CONTRACTS_FASTPATH", "0")
    fastpath.get.cache_clear()
    try:
        assert fastpath.get() is None
    finally:
        monkeypatch.undo()
        fastpath.get.cache_clear()


def test_the_c_source_compiles_without_a_warning(tmp_path):
    cc = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(cc) is None:
        pytest.skip(f"no C compiler ({cc})")
    import subprocess
    done = subprocess.run([cc, "-std=gnu99", "-O2", "-Wall", "-Wextra", "-Wno-unused-parameter", "-Werror", "-fsyntax-only",
                           f"-I{sysconfig.get_paths()['include']}", *map(str, sorted((HERE / "src").glob("*.c")))],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_compiled_tables_are_cached_by_what_they_are_made_of(tmp_path, fast):
    from checkout_contracts.fastpath import FastPath, _cache_path, _compile, _fast
    first = FastPath(_fast, cache=str(tmp_path))
    files = list(tmp_path.iterdir())
    assert len(files) == 1 and files[0].name.startswith("fastpath-")
    again = FastPath(_fast, cache=str(tmp_path))  # from the file
    line = json.dumps(next(iter(fixtures.examples("swedbankpay/checkout-v2/payment-order", "valid", 1, seed=1))).payload)
    assert first.certify(line.encode()) == again.certify(line.encode()) == "swedbankpay/checkout-v2/payment-order"
    assert again.names == first.names and again.dfa_index == first.dfa_index
    files[0].write_bytes(b"\x00garbage")  # a damaged cache: compiled again, and rewritten
    third = FastPath(_fast, cache=str(tmp_path))
    assert third.certify(line.encode()) == "swedbankpay/checkout-v2/payment-order"
    import marshal
    assert marshal.loads(files[0].read_bytes()[32:]) == _compile(_fast)
    assert _cache_path("0", _fast) is None


def test_cached_tables_the_module_refuses_are_compiled_anew(tmp_path, fast):
    import hashlib
    import marshal
    from checkout_contracts.fastpath import FastPath, _cache_path, _fast
    path = _cache_path(str(tmp_path), _fast)
    bogus = marshal.dumps((("swedbankpay/checkout-v2/token",), {}, ((1, 2),), (), (0,), (0,), {}))
    with open(path, "wb") as fh:  # a well-formed file with a right checksum, holding tables that make no sense
        fh.write(hashlib.sha256(bogus).digest() + bogus)
    fp = FastPath(_fast, cache=str(tmp_path))
    assert fp.names == fast.names
    assert marshal.loads(open(path, "rb").read()[32:])[0] == tuple(fast.names)
