"""Every test case as a JSON Lines record: ``validate`` gives the case's verdict with the fast path on and off.

``test_sound`` proves that what C certifies is clean; this proves the bulk verdicts themselves, so a case such as
``"vatAmount": 2789500.0`` (an integer-valued float) is judged invalid on both paths, not only by ``check``."""
from __future__ import annotations

import json
from collections import defaultdict

import pytest

from casefiles import load_cases
from checkout_contracts import bulk, fastpath

CASES = [c for c in load_cases() if c.http is None and isinstance(c.instance, dict)]
GROUPS: dict[tuple, list] = defaultdict(list)
for _case in CASES:
    GROUPS[(_case.schema, _case.strict, _case.rules)].append(_case)


def _verdicts(path, key, fast_on: bool, monkeypatch) -> list[str]:
    schema, strict, rules_on = key
    monkeypatch.setenv("CHECKOUT_CONTRACTS_FASTPATH", "1" if fast_on else "0")
    fastpath.get.cache_clear()
    try:
        options = bulk.Options(schema=schema, strict=strict, rules=rules_on)
        outcomes = sorted((o for batch in bulk.Run([str(path)], options) for o in batch), key=lambda o: o.record)
        return [o.verdict for o in outcomes]
    finally:
        fastpath.get.cache_clear()


@pytest.mark.parametrize("key", sorted(GROUPS), ids=lambda k: f"{k[0]}{'-strict' if k[1] else ''}{'' if k[2] else '-norules'}")
def test_each_case_gets_its_verdict_in_bulk_with_and_without_the_fast_path(key, tmp_path, monkeypatch):
    # no `fast` fixture: without a C compiler both runs take the full pipeline, and the verdicts still must hold
    cases = GROUPS[key]
    path = tmp_path / "cases.jsonl"
    path.write_bytes(b"".join(json.dumps(c.instance, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n"
                              for c in cases))
    expected = ["valid" if c.valid else "invalid" for c in cases]
    quick = _verdicts(path, key, True, monkeypatch)
    slow = _verdicts(path, key, False, monkeypatch)
    wrong = [(c.id, e, q, s) for c, e, q, s in zip(cases, expected, quick, slow) if not e == q == s]
    assert not wrong, wrong
    assert len(quick) == len(slow) == len(cases)
