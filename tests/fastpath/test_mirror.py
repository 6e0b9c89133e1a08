"""One truth for what the C fast path mirrors: an edit of a mirrored decision on one side only cannot land
silently. Either the suite fails (the record in src/mirror.h is not current) or the fast path steps aside for
the schemas the decision touches, so that its verdicts stay the full pipeline's."""
from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checkout_contracts import check, rules
from checkout_contracts.fastpath import mirror
from checkout_contracts.rules import swedbankpay as spp

REPO = Path(__file__).resolve().parents[2]
ORDER = "swedbankpay/checkout-v2/payment-order"
ORDER_STATE = "swedbankpay/checkout-v2/payment-order-state"


def _fast_module():
    try:
        from checkout_contracts.fastpath import _fast
    except ImportError:
        pytest.skip("the C fast path is not built here")
    return _fast


def _vat_at_amount() -> dict:
    doc = json.loads((REPO / "examples/swedbankpay/payment-order-paid-card.json").read_text())
    doc["paymentOrder"]["vatAmount"] = doc["paymentOrder"]["amount"]  # vatAmount ≤ amount: consistent
    return doc


def test_the_record_is_current():
    """Both sides of every mirrored decision are the ones recorded together in src/mirror.h; the module was
    built from that record. If this fails: check the C side of each decision listed, then run
    ``python tools/record_mirror.py`` and rebuild (``pip install -e .``)."""
    done = subprocess.run([sys.executable, str(REPO / "tools" / "record_mirror.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    _fast = _fast_module()
    assert mirror.stale(_fast.MIRROR) == {}, "the module was built from another record: pip install -e ."


def _mirror(skipped: dict) -> dict:
    """The schemas stepped aside for the mirror's sake (not those whose rules have no C certifier at all)."""
    return {name: why for name, why in skipped.items() if not why.startswith("rules without a certifier")}


def test_every_rule_has_at_most_one_c_certifier_and_a_schema_with_an_uncertified_rule_steps_aside():
    table = mirror.c_rule_table()
    every = {r.id for r in rules.all_rules()}
    assert set(table) <= every, "a C certifier for a rule that does not exist"
    assert len(set(table.values())) == len(table), "one C function a rule"
    items = mirror.c_items()
    assert all(fn in items for fn in table.values())
    _fast = _fast_module()
    assert list(_fast.RULES) == list(table)
    uncertified = every - set(table)
    from checkout_contracts.fastpath import FastPath
    fp = FastPath(_fast, cache="0")
    for r in rules.all_rules():
        if r.id in uncertified:
            for schema in r.schemas:
                assert schema not in fp.names, f"{schema} has the fast path, but its rule {r.id} no C certifier"
                assert "rules without a certifier" in fp.skipped[schema]


def test_every_decision_covers_its_helpers_by_construction():
    """A digest covers what a root uses from its module: a rule's helpers and constants, the C helpers."""
    parts = mirror.python_parts((spp.updated_after_created,))
    assert {"checkout_contracts.rules.swedbankpay.instant", "checkout_contracts.rules.swedbankpay._TS"} <= set(parts)
    assert "checkout_contracts.rules.swedbankpay.CAPTURE_RELS" in mirror.python_parts((spp.sale_nothing_to_capture,))
    c = mirror.c_parts((mirror.c_rule_table()["spp-updated-after-created"],), mirror.c_items())
    assert {"instant", "days_from_civil", "ival" if "ival" in c else "get_kind"} <= set(c)


def test_the_digest_reads_code_not_comments_docstrings_or_metadata():
    base = 'def f(v):\n    return v > 1\n'
    same = ('@rule("x", "a long description", ERROR)\ndef f(v):  # a comment\n    """A docstring."""\n\n'
            '    return v > 1   \n')
    assert mirror._normalised(base) == mirror._normalised(same)
    assert mirror._normalised(base) != mirror._normalised(base.replace(">", ">="))
    assert "<pkg>" in mirror._normalised("from checkout_contracts import x\n")  # the package is to be renamed: same digest


def _edited_rule(monkeypatch, rule_id, fn):
    table = [dataclasses.replace(r, fn=fn) if r.id == rule_id else r for r in rules.all_rules()]
    monkeypatch.setattr(rules, "TABLE", table)
    monkeypatch.setattr(rules, "_BY_SCHEMA", {})
    monkeypatch.setattr(rules, "_PLAN", {})


def test_a_python_edit_of_a_mirrored_rule_steps_the_fast_path_aside(monkeypatch, fast):
    """The issue's demonstration, on a rule that is still mirrored: the Python rule made stricter (vatAmount
    equal to amount is now an error) without touching C. The C certifier still calls such a payload plain; the
    guard takes the rule's schemas off the fast path, so the verdict is the pipeline's."""
    from checkout_contracts.fastpath import FastPath, _fast
    line = json.dumps(_vat_at_amount()).encode()
    assert fast.certify(line, ORDER) == ORDER  # the unedited program: plain

    def stricter(v, ctx):
        vat, amount = spp._int(v.order.get("vatAmount")), spp._int(v.order.get("amount"))
        if vat is not None and amount is not None and vat >= amount:
            return [(f"{v.order_path}.vatAmount", f"vatAmount {vat} is not below amount {amount}")]
        return ()
    _edited_rule(monkeypatch, "spp-vat-within-amount", stricter)
    assert not check(_vat_at_amount(), ORDER).valid  # the pipeline now says invalid

    assert set(mirror.stale(_fast.MIRROR)) == {"rule spp-vat-within-amount"}
    fp = FastPath(_fast, cache="0")
    assert ORDER not in fp.names and ORDER_STATE not in fp.names
    assert "rule spp-vat-within-amount (its Python side changed" in fp.skipped[ORDER]
    assert "swedbankpay/checkout-v2/paid" in fp.names and "paiwise/checkout" in fp.names  # the rest stays fast
    assert fp.certify(line, ORDER) == -3 and fp.certify(line) != ORDER  # named or detected: not certified


def test_an_edit_of_a_rule_helper_is_caught_too(monkeypatch):
    _fast = _fast_module()
    def edited(v):
        return v if type(v) in (int, float) else None
    edited.__module__ = spp._int.__module__  # rules.integer, the helper the rules share, edited in place
    monkeypatch.setattr(spp, "_int", edited)
    touched = set(mirror.stale(_fast.MIRROR))
    assert {"rule spp-vat-within-amount", "rule spp-remaining-within-amount", "rule spp-sale-nothing-to-capture"} <= touched
    assert "rule spp-bin-prefix" not in touched


def test_a_rule_constant_is_part_of_its_rule(monkeypatch):
    _fast = _fast_module()
    monkeypatch.setattr(spp, "TOKEN_TYPE_SPELLINGS", {**spp.TOKEN_TYPE_SPELLINGS, "Recurrence": "recurrence"})
    assert set(mirror.stale(_fast.MIRROR)) == {"rule spp-token-type-spelling"}


def test_a_rule_runner_edit_takes_off_the_schemas_with_rules(monkeypatch, fast):
    from checkout_contracts.fastpath import FastPath, _fast
    real = rules.run
    monkeypatch.setattr(rules, "run", lambda *a, **k: real(*a, **k)[:1])
    fp = FastPath(_fast, cache="0")
    with_rules = {n for n in fast.names if rules.for_schema(n)}
    assert with_rules and not with_rules & set(fp.names)
    assert set(fp.names) == set(fast.names) - with_rules  # paiwise/customer, token, the requests: no rules, still fast


def test_a_shape_detection_edit_stops_detection_only(monkeypatch, fast):
    from checkout_contracts import shape
    from checkout_contracts.fastpath import FastPath, _fast
    monkeypatch.setattr(shape, "detect", lambda instance: None)
    fp = FastPath(_fast, cache="0")
    line = json.dumps(_vat_at_amount()).encode()
    assert fp.certify(line, ORDER) == ORDER   # named: still fast
    assert fp.certify(line) == -2             # detected: the pipeline decides


def test_a_card_filter_edit_switches_every_schema_off(monkeypatch):
    from checkout_contracts import redact
    from checkout_contracts.fastpath import FastPath
    _fast = _fast_module()
    real = redact.find_card_numbers
    monkeypatch.setattr(redact, "find_card_numbers", lambda text: real(text.replace(".", "")))
    fp = FastPath(_fast, cache="0")
    assert fp.names == []
    assert _mirror(fp.skipped) and all("card-number filter" in why for why in _mirror(fp.skipped).values())


def test_sources_that_cannot_be_read_leave_no_fast_path_and_no_crash(monkeypatch):
    import inspect
    from checkout_contracts.fastpath import FastPath
    _fast = _fast_module()

    def unreadable(obj):
        raise OSError("could not get source code")
    monkeypatch.setattr(inspect, "getsource", unreadable)
    fp = FastPath(_fast, cache="0")
    assert fp.names == [] and _mirror(fp.skipped) and all(
        "cannot be read (OSError)" in why for why in _mirror(fp.skipped).values())


def _c_copy(tmp_path: Path, edit) -> Path:
    src = tmp_path / "src"
    shutil.copytree(mirror.SRC, src)
    path = src / "rules.c"
    path.write_text(edit(path.read_text()))
    return src


def test_a_c_edit_of_a_certifier_is_caught(tmp_path):
    _fast = _fast_module()
    src = _c_copy(tmp_path, lambda t: t.replace("return vat <= amount;", "return vat < amount;"))
    assert mirror.stale(_fast.MIRROR, src) == {"rule spp-vat-within-amount": "its C side changed since it was recorded"}
    # a shared C helper: every certifier that uses it
    src = _c_copy(tmp_path / "b", lambda t: t.replace("if (i >= 0 && n[i].kind == K_INT)", "if (i >= 0 && n[i].kind >= K_INT)"))
    touched = set(mirror.stale(_fast.MIRROR, src))
    assert {"rule spp-vat-within-amount", "rule pw-balance", "rule spp-paid-amount-adds-up"} <= touched
    assert "rule spp-instrument-spelling" not in touched


# ---------------------------------------------------------------- end to end, on an edited copy of the package

def _copy_package(tmp_path: Path) -> Path:
    root = tmp_path / "pkg"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(REPO / "contracts", root / "checkout_contracts", ignore=ignore)  # the import name
    (root / "contracts").symlink_to("checkout_contracts")  # edits below name the source folder
    shutil.copytree(REPO / "schemas", root / "schemas", ignore=ignore)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def _validate(root: Path, data: Path, fast: bool) -> tuple[int, str]:
    env = {**os.environ, "PYTHONPATH": str(root), "CHECKOUT_CONTRACTS_FASTPATH": "1" if fast else "0",
           "CHECKOUT_CONTRACTS_CACHE": str(root / "cache")}
    done = subprocess.run([sys.executable, "-c", "import sys, checkout_contracts; assert checkout_contracts.__file__.startswith(sys.argv[1]); "
                           "from checkout_contracts.cli import main; sys.exit(main(sys.argv[2:]))", str(root),
                           "validate", "--jobs", "1", str(data)], capture_output=True, text=True, cwd=root, env=env, timeout=120)
    return done.returncode, done.stdout + done.stderr


def _fast_names(root: Path) -> tuple[list, dict]:
    env = {**os.environ, "PYTHONPATH": str(root), "CHECKOUT_CONTRACTS_CACHE": "0"}
    done = subprocess.run([sys.executable, "-c", "import json; from checkout_contracts import fastpath; fp = fastpath.get(); "
                           "print(json.dumps([fp.names, fp.skipped]))"], capture_output=True, text=True, cwd=root,
                          env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_end_to_end_a_one_sided_rule_edit_gives_one_verdict(tmp_path):
    """The issue's scenario through the CLI: the Python rule edited in the source, the C untouched. With the
    fast path on and off, ``validate`` says the same: invalid, exit 1."""
    _fast_module()
    root = _copy_package(tmp_path)
    _edit(root / "contracts/rules/swedbankpay.py", "and vat > amount:", "and vat >= amount:")
    data = tmp_path / "orders.jsonl"
    data.write_text(json.dumps(_vat_at_amount()) + "\n")
    on, off = _validate(root, data, True), _validate(root, data, False)
    assert on[0] == off[0] == 1, (on, off)
    assert "spp-vat-within-amount" in on[1] and "spp-vat-within-amount" in off[1]
    names, skipped = _fast_names(root)
    assert ORDER not in names and "rule spp-vat-within-amount" in skipped[ORDER]
    # the guard is what makes it so: without it, the fast path answers for the old rule (valid, exit 0)
    _edit(root / "contracts/fastpath/mirror.py", "    recorded = {name: (py, c) for name, py, c in record}\n",
          "    return {}\n")
    unguarded = _validate(root, data, True)
    assert unguarded[0] == 0 and "invalid" not in unguarded[1].split("\n")[-3:], unguarded


def test_end_to_end_a_schema_edit_is_followed_by_construction(tmp_path):
    """The expiry month now lives in the schema, which the fast path compiles: a schema edit (a year before 2000
    is no expiry) is followed on both paths without any record to update."""
    _fast_module()
    root = _copy_package(tmp_path)
    _edit(root / "schemas/paiwise/common.json", '"pattern": "^(0?[1-9]|1[0-2])/[0-9]{4}$"',
          '"pattern": "^(0?[1-9]|1[0-2])/(2[0-9]{3}|[3-9][0-9]{3})$"')
    doc = json.loads((REPO / "examples/paiwise/checkout-partial-refund.json").read_text())
    doc["usedCard"]["expires"] = "4/1999"
    data = tmp_path / "checkouts.jsonl"
    data.write_text(json.dumps(doc) + "\n")
    on, off = _validate(root, data, True), _validate(root, data, False)
    assert on[0] == off[0] == 1, (on, off)
    names, skipped = _fast_names(root)
    assert "paiwise/checkout" in names and _mirror(skipped) == {}


def test_end_to_end_a_card_scan_edit_steps_the_fast_path_aside(tmp_path):
    """contracts/cardscan.py edited alone (the card-number decision the C filter mirrors): no schema keeps the
    fast path until the record is made again after checking the C filter."""
    _fast_module()
    root = _copy_package(tmp_path)
    path = root / "contracts/cardscan.py"
    path.write_text(path.read_text() + "\n_AN_EDIT = 1\n")
    names, skipped = _fast_names(root)
    assert names == [] and _mirror(skipped) and all("card-number filter" in why for why in _mirror(skipped).values())
