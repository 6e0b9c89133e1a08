"""The pre-commit hook: its entry run as pre-commit runs it (the hook's ``entry`` split like a shell line, its
``args``, then the staged files its ``files`` pattern selects), in a sample project."""
from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / ".pre-commit-hooks.yaml"


def hook() -> dict:
    hooks = yaml.safe_load(HOOKS.read_text())
    [only] = [h for h in hooks if h["id"] == "checkout-contracts"]
    return only


def run_hook(project: Path, staged: list[str], args: list[str] = ()) -> subprocess.CompletedProcess:
    h = hook()
    files = [f for f in staged if re.search(h.get("files", ""), f) and not re.search(h.get("exclude", "^$"), f)]
    entry = shlex.split(h["entry"])
    exe = shutil.which(entry[0], path=os.path.dirname(sys.executable))
    assert exe, f"{entry[0]} is not installed beside this Python: the hook's entry must be a console script"
    return subprocess.run([exe, *entry[1:], *h.get("args", []), *args, *files], cwd=project, capture_output=True,
                          text=True, timeout=120)


def test_the_hook_is_declared_as_pre_commit_expects():
    h = hook()
    assert {"id", "name", "entry", "language"} <= set(h) and h["language"] == "python"
    assert h.get("pass_filenames", True) is True
    selects = re.compile(h["files"])
    assert selects.search("tests/cassettes/test_pay.yaml") and selects.search("recordings/day.jsonl.gz")
    assert not selects.search("package.json") and not selects.search(".github/workflows/ci.yml")


def test_the_hook_passes_good_recordings_and_fails_a_bad_one(tmp_path):
    rec = tmp_path / "tests" / "recordings"
    rec.mkdir(parents=True)
    shutil.copy(ROOT / "examples/swedbankpay/payment-order-paid-card.json", rec / "paid.json")
    (tmp_path / "package.json").write_text('{"name": "shop"}')  # staged too: not a recording, not selected
    good = run_hook(tmp_path, ["package.json", "tests/recordings/paid.json"])
    assert good.returncode == 0, good.stdout + good.stderr
    assert "1 payload from 1 source: 1 valid" in good.stdout
    doc = json.loads((rec / "paid.json").read_text())
    doc["paymentOrder"]["status"] = "Settled"
    (rec / "bad.json").write_text(json.dumps(doc))
    bad = run_hook(tmp_path, ["tests/recordings/paid.json", "tests/recordings/bad.json"])
    assert bad.returncode == 1
    assert "tests/recordings/bad.json:1  invalid  swedbankpay/checkout-v2/payment-order" in bad.stdout


def test_the_hook_reads_the_projects_pyproject_table(tmp_path):
    rec = tmp_path / "recordings"
    rec.mkdir()
    problem = {"type": "https://api.payex.com/psp/errordetail/paymentorders/inputerror", "title": "t", "status": 400,
               "traceId": "x"}
    (rec / "p.json").write_text(json.dumps(problem))
    assert run_hook(tmp_path, ["recordings/p.json"]).returncode == 0  # drift warns
    (tmp_path / "pyproject.toml").write_text("[tool.checkout-contracts]\nstrict = true\n")
    assert run_hook(tmp_path, ["recordings/p.json"]).returncode == 1
