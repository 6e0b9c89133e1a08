#!/usr/bin/env python3
"""Microbenchmark of ``checkout_contracts.check`` on the vendor's own (seed) payloads: checks per second with the
cross-field rules on and off, against plain python-jsonschema (Draft202012Validator, format checking on)
validating the same payloads against the same schemas.

    python tools/bench_check.py [--seconds 2]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from jsonschema import Draft202012Validator  # noqa: E402

from checkout_contracts import check, registry  # noqa: E402

SEEDS = sorted({e["example"] for e in json.loads((REPO / "tests/seeds/fixes.json").read_text())})


def rate(fn, payloads, seconds: float, rounds: int = 5) -> float:
    """Best of ``rounds`` rounds (as timeit does): the others are slowed by whatever else the machine did."""
    best = 0.0
    for _ in range(rounds):
        n, start = 0, time.perf_counter()
        while True:
            for p in payloads:
                fn(p)
            n += len(payloads)
            elapsed = time.perf_counter() - start
            if elapsed >= seconds / rounds:
                break
        best = max(best, n / elapsed)
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seconds", type=float, default=5.0, help="time per contender, split in 5 rounds (default 5)")
    args = ap.parse_args(argv)
    payloads = [json.loads((REPO / s).read_text()) for s in SEEDS]
    pairs = [(p, check(p).schema) for p in payloads]
    assert all(check(p, s).valid for p, s in pairs), "a seed payload does not validate"
    validators = {s: Draft202012Validator(registry.get(s), registry=registry.registry(),
                                          format_checker=Draft202012Validator.FORMAT_CHECKER) for _, s in pairs}
    rows = [
        ("check, rules on", rate(lambda ps: check(ps[0], ps[1]), pairs, args.seconds)),
        ("check, rules off", rate(lambda ps: check(ps[0], ps[1], rules_on=False), pairs, args.seconds)),
        ("python-jsonschema", rate(lambda ps: validators[ps[1]].is_valid(ps[0]), pairs, args.seconds)),
    ]
    base = rows[-1][1]
    print(f"{len(payloads)} seed payloads ({', '.join(Path(s).name for s in SEEDS)})")
    print(f"{'contender':<20} {'checks/s':>10} {'× python-jsonschema':>20}")
    for name, r in rows:
        print(f"{name:<20} {r:>10,.0f} {r / base:>19.1f}×")
    ok = rows[0][1] >= 50 * base
    print(f"target: check with rules ≥ 50× python-jsonschema — {'met' if ok else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
