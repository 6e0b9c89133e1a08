"""Benchmark: our hand-built strategy vs ``hypothesis_jsonschema.from_schema`` on the same schema, in one run.

For each engine: examples per second under ``@given`` (generation only, no shrinking), the share of examples
that pass the schema in both validators with format checks on (jsonschema-rs and python-jsonschema), the
share that ``check`` calls valid and the share with no finding at all (rules and card scan included), strings
holding non-ASCII characters, and whether Hypothesis's health checks pass under default settings.

    python tools/bench_generate.py                       # swedbankpay/checkout-v2/paid, about a minute
    python tools/bench_generate.py --schema swedbankpay/checkout-v2/token --ours 300 --theirs 100

from_schema gets a time budget (``--budget``): on the conditional schemas it may manage only a few examples.
"""
from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from hypothesis.errors import FailedHealthCheck  # noqa: E402


class _Budget(Exception):
    pass


@dataclass
class Run:
    engine: str
    examples: list = field(default_factory=list)
    seconds: float = 0.0
    stopped_by_budget: bool = False
    health: str = "not run"

    @property
    def rate(self) -> float:
        return len(self.examples) / self.seconds if self.seconds else 0.0


def measure(strategy, n: int, budget: float) -> tuple[list, float, bool]:
    """Draw up to ``n`` examples (generation phase only) or until ``budget`` seconds have passed."""
    out: list = []
    start = time.perf_counter()
    stopped = False

    @settings(max_examples=n, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck), derandomize=True)
    @given(strategy)
    def collect(x: Any) -> None:
        out.append(x)
        if time.perf_counter() - start > budget:
            raise _Budget

    try:
        collect()
    except _Budget:
        stopped = True
        out.pop()  # Hypothesis replays the example that raised: drop the repeat
    return out, time.perf_counter() - start, stopped


def health(strategy, limit: float) -> str:
    """Run under Hypothesis's default settings (health checks on); 'passed' or the failing check's name, or
    'inconclusive' when the time limit came first. No shrink phase: stopping at the limit raises inside the
    test, which Hypothesis would otherwise spend minutes shrinking."""
    start = time.perf_counter()

    @settings(max_examples=20, database=None, derandomize=True,
              phases=[Phase.explicit, Phase.reuse, Phase.generate])
    @given(strategy)
    def probe(x: Any) -> None:
        if time.perf_counter() - start > limit:
            raise _Budget

    try:
        probe()
    except FailedHealthCheck as exc:
        first = str(exc).strip().splitlines()[0]
        return f"FAILED: {first[:90]}"
    except _Budget:
        return f"inconclusive (stopped after {limit:.0f} s)"
    except Exception as exc:  # noqa: BLE001 - report, don't crash the bench
        return f"error: {type(exc).__name__}"
    return "passed"


def judge(name: str, examples: list) -> dict[str, float]:
    from checkout_contracts import check, engine
    from checkout_contracts.redact import find_pans

    counts = {"schema (both engines, formats on)": 0, "check valid": 0, "check clean (no finding)": 0,
              "non-ASCII strings": 0, "unmasked card numbers": 0}
    for x in examples:
        try:
            rust = engine.validate(name, x, engine="rust")
            py = engine.validate(name, x, engine="python")
            res = check(x, name)
        except Exception:  # noqa: BLE001 - e.g. lone surrogates the engines cannot take
            continue
        if not [f for f in rust + py if f.severity == "error"]:
            counts["schema (both engines, formats on)"] += 1
        counts["check valid"] += res.valid
        counts["check clean (no finding)"] += not res.findings
        strings = list(_strings(x))
        counts["non-ASCII strings"] += any(not s.isascii() for s in strings)
        counts["unmasked card numbers"] += any(find_pans(s) for s in strings if len(s) >= 13)
    total = len(examples) or 1
    return {k: 100.0 * v / total for k, v in counts.items()}


def _strings(x: Any):
    if isinstance(x, str):
        yield x
    elif isinstance(x, dict):
        for k, v in x.items():
            yield k
            yield from _strings(v)
    elif isinstance(x, list):
        for v in x:
            yield from _strings(v)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--schema", action="append", help="schema name (repeatable; default swedbankpay/checkout-v2/paid)")
    ap.add_argument("--ours", type=int, default=500, help="examples from our strategy (default 500)")
    ap.add_argument("--theirs", type=int, default=100, help="at most this many from from_schema (default 100)")
    ap.add_argument("--budget", type=float, default=25.0, help="seconds from_schema may draw for (default 25)")
    ap.add_argument("--health-budget", type=float, default=15.0, help="seconds for each health-check probe (default 15)")
    args = ap.parse_args(argv)
    names = args.schema or ["swedbankpay/checkout-v2/paid"]

    try:
        from hypothesis_jsonschema import from_schema
    except ImportError:
        sys.exit("bench_generate: needs hypothesis-jsonschema, which runs only with hypothesis < 6.170.10: "
                 "pip install -e '.[bench]' in a separate virtual environment")

    from checkout_contracts import engine
    from checkout_contracts.strategies import for_schema
    from checkout_contracts.strategies.freeform import bundled

    print("command: python tools/bench_generate.py " + " ".join(argv if argv is not None else sys.argv[1:]))
    for name in names:
        engine.rust_validator(name), engine.python_validator(name)   # compile outside the timings
        runs: list[Run] = []
        engines: list[tuple[str, Callable[[], Any], int, float]] = [
            ("ours (checkout_contracts.strategies)", lambda: for_schema(name), args.ours, 600.0),
            ("hypothesis_jsonschema.from_schema", lambda: from_schema(bundled(name)), args.theirs, args.budget),
        ]
        for label, make, n, budget in engines:
            run = Run(label)
            run.examples, run.seconds, run.stopped_by_budget = measure(make(), n, budget)
            run.health = health(make(), args.health_budget)
            runs.append(run)
        print(f"\nschema: {name}")
        rows = [(r, judge(name, r.examples)) for r in runs]
        keys = list(rows[0][1])
        width = max(len(k) for k in keys + ["examples/s", "health checks (default settings)"]) + 2
        print(f"{'':<{width}}" + "".join(f"{r.engine:>38}" for r in runs))
        print(f"{'examples':<{width}}" + "".join(
            f"{len(r.examples):>29} in {r.seconds:5.1f} s" + ("*" if r.stopped_by_budget else " ") for r in runs))
        print(f"{'examples/s':<{width}}" + "".join(f"{r.rate:>38.1f}" for r in runs))
        for k in keys:
            print(f"{k:<{width}}" + "".join(f"{j[k]:>37.1f}%" for _, j in rows))
        print(f"{'health checks (default settings)':<{width}}" + "".join(
            f"{('FAILED' if r.health.startswith('FAILED') else r.health):>38.38}" for r in runs))
        if runs[1].rate:
            print(f"speed-up: {runs[0].rate / runs[1].rate:.0f}x")
        if any(r.stopped_by_budget for r in runs):
            print(f"* stopped by the time budget (--budget {args.budget:g} s)")
        for r in runs:
            if r.health.startswith("FAILED"):
                print(f"{r.engine}: {r.health}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
