"""Every case in tests/cases: the verdict and the exact findings of ``check``, and both engines agreeing."""
from __future__ import annotations

import pytest

from casefiles import load_cases
from checkout_contracts import check, engine

CASES = load_cases()


def _ids(c):
    return c.id


def test_case_ids_are_unique():
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_case(case):
    http = None
    if case.http:
        from types import SimpleNamespace  # check() reads method/url/status/headers off any object
        http = SimpleNamespace(method=case.http.get("method"), url=case.http.get("url"), status=case.http.get("status"),
                           headers={k.lower(): v for k, v in case.http.get("headers", {}).items()})
    result = check(case.instance, case.schema, strict=case.strict, rules_on=case.rules, http=http)
    explain = f"{case.description}\n{result.explain()}"
    assert result.schema == case.schema
    assert result.valid is case.valid, explain
    if case.errors is not None:
        assert sorted((f.path, f.code) for f in result.errors) == case.errors, explain
    elif not case.valid:
        pytest.fail(f"invalid case {case.id} must list its expected errors")
    if case.warnings is not None:
        assert sorted((f.path, f.code) for f in result.warnings) == case.warnings, explain


@pytest.mark.parametrize("case", CASES, ids=_ids)
def test_engines_agree(case):
    """python-jsonschema (format checking on) and jsonschema-rs give the same findings for every case."""
    rust = engine.validate(case.schema, case.instance, strict=case.strict, engine="rust")
    python = engine.validate(case.schema, case.instance, strict=case.strict, engine="python")
    as_set = lambda fs: sorted((f.path, f.code, f.severity, f.message) for f in fs)  # noqa: E731
    assert as_set(rust) == as_set(python)
