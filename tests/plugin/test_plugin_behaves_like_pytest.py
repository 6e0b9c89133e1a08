"""The plugin behaves like pytest: node ids re-run one payload, named tests select, ini options and addopts resolve
against the rootdir, markers are registered, failures point at the user's line, one item per file on request, and
it never breaks a run it was not asked to take part in."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import checkout_contracts

pytest_plugins = ["pytester"]

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PROBLEM = {"type": "https://api.payex.com/psp/errordetail/paymentorders/inputerror", "title": "t", "status": 400}


def recordings(root: Path, folder: str = "bad") -> Path:
    """``folder/flow.json`` (a JSON array: 3 payloads, the 2nd broken) and ``folder/one.json`` (one payload)."""
    where = root / folder
    where.mkdir(parents=True, exist_ok=True)
    (where / "flow.json").write_text(json.dumps([PROBLEM, dict(PROBLEM, status=200), PROBLEM], indent=1))
    (where / "one.json").write_text(json.dumps(PROBLEM))
    return where


def test_a_payload_runs_again_by_the_node_id_pytest_printed(pytester):
    recordings(pytester.path)
    result = pytester.runpytest("--contracts", "bad", "-rf")
    result.assert_outcomes(passed=3, failed=1)
    result.stdout.fnmatch_lines(["FAILED bad/flow.json::2 - *"])
    again = pytester.runpytest("--contracts", "bad", "bad/flow.json::2")
    again.assert_outcomes(failed=1)
    pytester.runpytest("--contracts", "bad", "bad/flow.json::3").assert_outcomes(passed=1)
    pytester.runpytest("--contracts", "bad", "bad/one.json").assert_outcomes(passed=1)
    pytester.runpytest("--contracts", "bad", "bad/flow.json").assert_outcomes(passed=2, failed=1)


def test_naming_tests_runs_only_those(pytester):
    recordings(pytester.path, "rec")
    pytester.makepyfile(test_client="def test_x():\n    pass\n\ndef test_y():\n    pass\n")
    pytester.runpytest("--contracts", "rec", "test_client.py::test_x").assert_outcomes(passed=1)
    pytester.runpytest("--contracts", "rec").assert_outcomes(passed=5, failed=1)  # none named: tests and payloads


def test_addopts_paths_resolve_against_the_rootdir(pytester):
    recordings(pytester.path, "rec")
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\naddopts = "--contracts rec"\n')
    sub = pytester.mkdir("sub")
    os.chdir(sub)
    result = pytester.runpytest_inprocess()
    result.assert_outcomes(passed=3, failed=1)


def test_ini_options(pytester):
    recordings(pytester.path, "rec")
    drift = pytester.path / "drift" / "d.json"
    drift.parent.mkdir()
    drift.write_text(json.dumps(dict(PROBLEM, traceId="x")))
    pytester.makepyprojecttoml(textwrap.dedent("""\
        [tool.pytest.ini_options]
        contracts_paths = ["drift"]
        contracts_strict = true
        contracts_items = "file"
    """))
    result = pytester.runpytest("-rf")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*error: $.traceId: [[]unknown-field]*", "FAILED drift/d.json - *"])
    # the command line adds to the ini's paths; items per file: one for each file
    result = pytester.runpytest("--contracts", "rec")
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(["*1 of 3 payloads fail*"])
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\ncontracts_paths = ["drift"]\ncontracts_strict = false\n')
    pytester.runpytest().assert_outcomes(passed=1)


def test_a_bad_items_value_is_a_usage_error(pytester):
    recordings(pytester.path)
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\ncontracts_items = "line"\n')
    result = pytester.runpytest("--contracts", "bad")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*contracts_items = 'line': expected one of record, file*"])


def test_the_pyproject_table_is_read_by_the_plugin_too(pytester):
    drift = pytester.path / "rec" / "d.json"
    drift.parent.mkdir()
    drift.write_text(json.dumps(dict(PROBLEM, traceId="x")))
    pytester.makepyprojecttoml("[tool.checkout-contracts]\nstrict = true\n")
    pytester.runpytest("--contracts", "rec").assert_outcomes(failed=1)


def test_markers_are_registered_and_select(pytester):
    recordings(pytester.path)
    pytester.makepyfile("def test_plain():\n    pass\n")
    result = pytester.runpytest("--strict-markers", "--contracts", "bad", "-m", "contracts")
    result.assert_outcomes(passed=3, failed=1, deselected=1)
    pytester.runpytest("--strict-markers", "--contracts", "bad", "-m", "not contracts").assert_outcomes(
        passed=1, deselected=4)
    markers = pytester.runpytest("--markers").stdout.str()
    assert "@pytest.mark.contracts:" in markers and "@pytest.mark.contracts_live:" in markers


def test_an_assert_valid_failure_points_at_the_users_line(pytester):
    pytester.makepyfile(test_mine="""
        def test_bad(contract):
            payload = {"type": "https://x.example/t", "title": "", "status": 200}
            contract.assert_valid(payload, "swedbankpay/checkout-v2/problem")  # line 3
    """)
    for style in ("long", "short", "auto"):
        result = pytester.runpytest(f"--tb={style}")
        result.assert_outcomes(failed=1)
        out = result.stdout.str()
        assert "test_mine.py:3: AssertionError" in out or "test_mine.py:3: in test_bad" in out, out
        assert "pytest_plugin.py" not in out


def test_one_item_per_file_lists_the_failing_payloads(pytester, monkeypatch):
    for name in ("CI", "BUILD_NUMBER"):  # under CI pytest's -r summary repeats the whole message: counted twice
        monkeypatch.delenv(name, raising=False)
    day = pytester.path / "rec" / "day.jsonl"
    day.parent.mkdir()
    day.write_text("".join(json.dumps(dict(PROBLEM, status=200 if i % 10 == 3 else 400)) + "\n" for i in range(300)))
    result = pytester.runpytest("--contracts", "rec", "--contracts-items", "file", "-rf")
    result.assert_outcomes(failed=1)
    out = result.stdout.str()
    assert "30 of 300 payloads fail" in out and "… and 10 more" in out
    assert "rec/day.jsonl:4  invalid" in out and out.count("  invalid  ") == 20


def test_records_keep_no_payload_after_collection(pytester):
    """Memory stays flat: an item holds its number, not its payload (read again when it runs)."""
    recordings(pytester.path)
    from checkout_contracts.inputs import Record
    items, _ = pytester.inline_genitems("--contracts", "bad")
    assert len(items) == 4
    for item in items:
        held = [*vars(item).values(), *vars(item.parent).values()]
        assert not any(isinstance(v, Record) or isinstance(v, dict) and "status" in v for v in held)


def test_a_run_that_does_not_ask_imports_nothing_of_ours_but_the_plugin(pytester):
    pytester.makepyfile("def test_one():\n    pass\n")
    script = ("import sys, pytest\nrc = pytest.main(['-q', '-p', 'no:cacheprovider'])\n"
              "ours = sorted(m for m in sys.modules if m.startswith(%r + '.'))\n"
              "print('OURS', ours)\nsys.exit(rc)\n") % checkout_contracts.__name__
    proc = subprocess.run([sys.executable, "-c", script], cwd=pytester.path, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    line = next(l for l in proc.stdout.splitlines() if l.startswith("OURS"))
    assert line == f"OURS ['{checkout_contracts.__name__}.pytest_plugin']"


def test_our_broken_dependencies_do_not_break_a_run_that_does_not_use_us(pytester, tmp_path):
    """A dependency of ours that fails to import (a broken wheel, an ABI mismatch) stays out of other runs."""
    poison = tmp_path / "poison"
    poison.mkdir()
    for name in ("orjson", "jsonschema_rs", "yaml", "referencing", "jsonschema", "werkzeug"):
        (poison / f"{name}.py").write_text("raise ImportError('broken on purpose')\n")
    pytester.makepyfile("def test_one():\n    pass\n")
    # only our plugin is loaded: other installed plugins (schemathesis's) share these dependencies and would fail
    # on their own
    env = {**os.environ, "PYTHONPATH": str(poison), "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "checkout_contracts",
                           "-p", "no:schemathesis"], cwd=pytester.path,
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1 passed" in proc.stdout


def test_a_project_with_its_own_contracts_package_runs_green(tmp_path):
    (tmp_path / "contracts").mkdir()
    (tmp_path / "contracts" / "__init__.py").write_text("OURS = 'the team'\n")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_it.py").write_text("import contracts\n\ndef test_it():\n    assert contracts.OURS\n")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_recordings_outside_testpaths_join_the_run(pytester):
    recordings(pytester.path, "rec")
    pytester.mkdir("tests")
    (pytester.path / "tests" / "test_a.py").write_text("def test_a():\n    pass\n")
    pytester.makepyprojecttoml('[tool.pytest.ini_options]\ntestpaths = ["tests"]\n')
    pytester.runpytest().assert_outcomes(passed=1)
    pytester.runpytest("--contracts", "rec").assert_outcomes(passed=4, failed=1)
    pytester.runpytest("--contracts", "rec", "-k", "flow").assert_outcomes(passed=2, failed=1, deselected=2)


def test_a_recordings_folder_pytest_would_pass_over_is_walked_and_only_it(pytester):
    """``build/`` is in pytest's norecursedirs: asked for, ``build/rec`` is collected, ``build/lib`` still not."""
    recordings(pytester.path / "build", "rec")
    (pytester.path / "build" / "lib").mkdir()
    (pytester.path / "build" / "lib" / "test_copy.py").write_text("def test_copy():\n    assert False\n")
    (pytester.path / "build" / "rec" / ".hidden").mkdir()
    (pytester.path / "build" / "rec" / ".hidden" / "x.json").write_text("{}")
    pytester.makepyfile("def test_top():\n    pass\n")
    result = pytester.runpytest("--contracts", "build/rec")
    result.assert_outcomes(passed=4, failed=1)
    pytester.runpytest().assert_outcomes(passed=1)


def test_ignore_still_ignores_inside_a_recordings_folder(pytester):
    recordings(pytester.path, "rec")
    (pytester.path / "rec" / "old").mkdir()
    (pytester.path / "rec" / "old" / "x.json").write_text("{}")
    pytester.runpytest("--contracts", "rec").assert_outcomes(passed=3, failed=2)
    pytester.runpytest("--contracts", "rec", "--ignore", "rec/old").assert_outcomes(passed=3, failed=1)
