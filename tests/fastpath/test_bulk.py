"""``validate`` says the same with and without the fast path: same report, byte for byte, on JSON Lines full of
what a capture holds — plain and broken records, blank lines, a BOM, CRLF, escapes, card numbers, duplicate
keys, deep nesting — in one block or cut into many."""
from __future__ import annotations

import gzip
import json
import random

import pytest

from checkout_contracts import bulk, fastpath
from checkout_contracts.cli import main
from checkout_contracts.strategies import fixtures


def _lines(seed: int) -> list[bytes]:
    rng = random.Random(seed)
    out: list[bytes] = []
    names = ["swedbankpay/checkout-v2/payment-order", "swedbankpay/checkout-v2/paid", "paiwise/checkout",
             "paiwise/customer", "swedbankpay/checkout-v2/problem", "swedbankpay/checkout-v2/payment-order-state"]
    valid = [ex.payload for name in names for ex in fixtures.examples(name, "valid", 8, seed=seed)]
    broken = [ex.payload for name in names for ex in fixtures.examples(name, "invalid", 4, seed=seed)]
    odd = [b"", b"   ", b"\t\x0b\x0c", b"{", b"[]", b'"text"', b"{} x", b'{"a":1,"a":2}', b"{'a': 1}",
           b'{"paymentOrder": {"id": "\\u0041"}}', b"\xff\xfe{}", b"[" * 300 + b"]" * 300, b"NaN", b"{}\r",
           b'{"checkout_id": 4111111111111111}', b'{"type":"x","title":"y","status":400,"card":"4111 1111 1111 1111"}']
    for _ in range(160):
        pick = rng.random()
        if pick < 0.6:
            doc = rng.choice(valid)
            line = json.dumps(doc, ensure_ascii=rng.random() < 0.2, indent=None if rng.random() < 0.8 else 1
                              ).replace("\n", " ").encode()
        elif pick < 0.85:
            line = json.dumps(rng.choice(broken)).encode()
        else:
            line = rng.choice(odd)
        out.append(line + (b"\r\n" if rng.random() < 0.1 else b"\n"))
    return out


def _run(capsys, monkeypatch, fast_on: bool, *args: str) -> tuple[int, str]:
    monkeypatch.setenv("CHECKOUT_CONTRACTS_FASTPATH", "1" if fast_on else "0")
    fastpath.get.cache_clear()
    try:
        capsys.readouterr()
        rc = main(["validate", "--jobs", "1", "--format", "json", *args])
        return rc, capsys.readouterr().out
    finally:
        fastpath.get.cache_clear()


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("chunk", [None, 4096])
def test_same_report_with_and_without_the_fast_path(tmp_path, capsys, monkeypatch, fast, seed, chunk):
    lines = _lines(seed)
    path = tmp_path / "day.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + b"".join(lines)[:-1])  # a BOM, and no line break at the end
    if chunk:
        monkeypatch.setattr(bulk.plan, "CHUNK", chunk)
    slow = _run(capsys, monkeypatch, False, str(path))
    quick = _run(capsys, monkeypatch, True, str(path))
    assert quick == slow
    summary = json.loads(quick[1])["summary"]
    assert summary["valid"] > 50 and summary["invalid"] > 20 and summary["unreadable"] > 5, summary


@pytest.mark.parametrize("args", [["--schema", "swedbankpay/checkout-v2/payment-order"], ["--no-rules"], ["--strict"],
                                  ["--max-depth", "3"], ["--format", "text"], ["--drift-report"],
                                  ["--drift-report", "--format", "text", "--strict"]])
def test_same_report_under_each_option(tmp_path, capsys, monkeypatch, fast, args):
    path = tmp_path / "day.jsonl.gz"
    path.write_bytes(gzip.compress(b"".join(_lines(7))))
    slow = _run(capsys, monkeypatch, False, str(path), *args)
    quick = _run(capsys, monkeypatch, True, str(path), *args)
    assert quick == slow


def test_the_plain_records_are_certified_in_c(tmp_path, fast, monkeypatch):
    """The fast path is really taken: only the records it cannot certify reach ``check``."""
    path = tmp_path / "day.jsonl"
    docs = [ex.payload for ex in fixtures.examples("swedbankpay/checkout-v2/payment-order", "valid", 50, seed=3)]
    path.write_bytes(b"".join(json.dumps(d).encode() + b"\n" for d in docs) + b"{}\n")
    seen = []
    real = bulk.judge
    monkeypatch.setattr(bulk.record, "judge", lambda rec, *a, **k: seen.append(rec.line) or real(rec, *a, **k))
    outcomes = [o for batch in bulk.Run([str(path)], bulk.Options()) for o in batch]
    assert [o.verdict for o in outcomes] == ["valid"] * 50 + ["invalid"]
    assert [o.record for o in outcomes] == list(range(1, 52))
    assert seen == [51]
