#!/usr/bin/env python3
"""Benchmark ``checkout-contracts validate`` against the parse-only floor and plain python-jsonschema.

Generates N realistic Swedbank Pay payment orders (the paid-by-card example with varied ids, amounts and
times that keep every rule true, ≈3 KB each) as JSONL in /tmp, then runs each contender in its own
subprocess and measures payloads/s and peak RSS (``getrusage(RUSAGE_CHILDREN)`` of a wrapper process, so
each number is the largest single process of that contender — the parent or one worker):

* parse only          read the lines + ``orjson.loads`` (the floor: nothing can validate faster)
* orjson + rs         ``orjson.loads`` + the compiled jsonschema-rs ``is_valid`` (the schema alone, 1 process)
* validate --jobs 1   the CLI, in-process
* validate --jobs N   the CLI on all cores
* python-jsonschema   ``Draft202012Validator`` with the format checker, on a 2,000-line subset (extrapolated)
* validate --jobs 1, no fast path   the CLI with ``CHECKOUT_CONTRACTS_FASTPATH=0`` (as without a C compiler)

and prints a table with ratios and the targets (``--jobs 1`` ≥ 50 % of the floor and ≥ 40× python-jsonschema,
all cores ≥ 1.6× ``--jobs 1``, peak RSS < 150 MB).

    python tools/bench_validate.py                 # 200,000 payloads
    python tools/bench_validate.py --count 20000   # quicker
    python tools/bench_validate.py --size-gb 1     # ~1 GB file for the memory target (deleted after)

and then where one payload's time goes in ``--jobs 1`` (parse, duplicate-key check, schema, regexes, rules,
card-data scan, the rest), next to the budget the 50 % target leaves (``--no-stages`` skips it).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "examples" / "swedbankpay" / "payment-order-paid-card.json"
ORDER_GUID = "ca59fa8a-3423-40e5-0f77-08d9d133750b"
JSONSCHEMA_SUBSET = 2000

# --------------------------------------------------------------------------- payload generation

_MARK = "@@{}@@"  # not in the template; split on "@@" below


def _template() -> list[str]:
    """The compact template split at its variable parts: text, slot, text, slot, …"""
    doc = json.loads(TEMPLATE.read_text())
    order = doc["paymentOrder"]
    for key in ("amount", "submittedAmount", "remainingCaptureAmount", "remainingCancellationAmount"):
        order[key] = _MARK.format("amount")
    order["vatAmount"] = _MARK.format("vat")
    order["created"] = _MARK.format("created")
    order["updated"] = _MARK.format("updated")
    order["description"] = _MARK.format("description")
    paid = order["paid"]
    paid["amount"] = _MARK.format("amount")
    paid["number"] = _MARK.format("number")
    paid["payeeReference"] = _MARK.format("reference")
    paid["details"]["nonPaymentToken"] = _MARK.format("token")
    paid["details"]["acquirerStan"] = _MARK.format("stan")
    text = json.dumps(doc, separators=(",", ":"), ensure_ascii=False).replace(ORDER_GUID, _MARK.format("guid"))
    for numeric in ("amount", "vat", "number"):
        text = text.replace(f'"{_MARK.format(numeric)}"', _MARK.format(numeric))
    assert text.count("@@") % 2 == 0
    return text.split("@@")


def _hex(rng: random.Random, n: int) -> str:
    return f"{rng.getrandbits(4 * n):0{n}x}"


def payloads(count: int | None, seed: int = 1):
    """Yield JSONL lines (bytes) forever or ``count`` times."""
    parts = _template()
    rng = random.Random(seed)
    i = 0
    while count is None or i < count:
        i += 1
        amount = rng.randrange(100, 5_000_000)
        day = 1 + i % 28
        h, m, s = rng.randrange(0, 22), rng.randrange(60), rng.randrange(60)
        values = {
            # a GUID with hex letters in every group, as the API's ids have (an all-digit group run would look
            # like a card number to any scanner; the API's ids never are)
            "guid": f"{_hex(rng, 7)}a-{_hex(rng, 3)}b-{_hex(rng, 3)}c-{_hex(rng, 3)}d-{_hex(rng, 12)}",
            "amount": str(amount), "vat": str(amount // 5),
            "created": f"2024-05-{day:02d}T{h:02d}:{m:02d}:{s:02d}.{rng.randrange(10**7):07d}Z",
            "updated": f"2024-05-{day:02d}T{h + 1:02d}:{m:02d}:{s:02d}.{rng.randrange(10**7):07d}Z",
            "description": f"Order {100000 + i}",
            "number": str(rng.randrange(10**10, 10**11)),
            "reference": f"{rng.randrange(10**9, 10**10)}",
            "token": f"{_hex(rng, 8)}-{_hex(rng, 4)}-4{_hex(rng, 3)}-a{_hex(rng, 3)}-{_hex(rng, 12)}".upper(),
            "stan": str(rng.randrange(1, 999999)),
        }
        yield "".join(values[p] if k % 2 else p for k, p in enumerate(parts)).encode() + b"\n"


def write_jsonl(path: Path, *, count: int | None = None, size: int | None = None) -> int:
    n = written = 0
    with path.open("wb", buffering=1 << 20) as fh:
        for line in payloads(None if size else count):
            fh.write(line)
            n += 1
            written += len(line)
            if size and written >= size:
                break
    return n


# --------------------------------------------------------------------------- contenders

_WRAPPER = r"""
import json, resource, subprocess, sys, time
t = time.perf_counter()
proc = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
seconds = time.perf_counter() - t
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": proc.returncode, "seconds": seconds, "maxrss_kb": ru.ru_maxrss,
                  "cpu": ru.ru_utime + ru.ru_stime,
                  "stdout": proc.stdout.decode(errors="replace")[-2000:], "stderr": proc.stderr.decode(errors="replace")[-2000:]}))
"""

_BURN = r"""
import statistics, sys, time
from multiprocessing import Pool
def burn(_):
    s = 0
    for i in range(5_000_000):
        s += i
    return s
if __name__ == "__main__":
    n = int(sys.argv[1])
    ratios = []
    with Pool(n) as pool:
        pool.map(burn, range(n))  # start the workers
        for _ in range(3):
            t = time.perf_counter()
            pool.map(burn, [0])
            one = time.perf_counter() - t
            t = time.perf_counter()
            pool.map(burn, range(n))
            ratios.append(n * one / (time.perf_counter() - t))
    print(statistics.median(ratios))
"""

_PARSE_ONLY = r"""
import sys, orjson
n = 0
with open(sys.argv[1], "rb") as fh:
    for line in fh:
        if line.strip():
            orjson.loads(line)
            n += 1
print(n)
"""

_ORJSON_RS = r"""
import sys, orjson
from checkout_contracts import engine
v = engine.rust_validator("swedbankpay/checkout-v2/payment-order")
n = bad = 0
with open(sys.argv[1], "rb") as fh:
    for line in fh:
        if line.strip():
            n += 1
            bad += not v.is_valid(orjson.loads(line))
print(n, bad)
"""

_JSONSCHEMA = r"""
import itertools, json, sys
from jsonschema import Draft202012Validator
from checkout_contracts import registry
name = "swedbankpay/checkout-v2/payment-order"
v = Draft202012Validator(registry.get(name), registry=registry.registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)
lines = list(itertools.islice(open(sys.argv[1], "rb"), int(sys.argv[2])))
v.is_valid(json.loads(lines[0]))  # first call: lazy compilation of the referenced schemas
import time
t = time.perf_counter()
bad = sum(not v.is_valid(json.loads(line)) for line in lines)
print(json.dumps({"n": len(lines), "bad": bad, "loop_seconds": time.perf_counter() - t}))
"""


_STAGES = r"""
import io, json, os, sys, time
import jsonschema_rs, orjson
from checkout_contracts import bulk, cardscan, engine, fastpath, registry, rules, shape
from checkout_contracts.inputs.jsonl import line_record
name = "swedbankpay/checkout-v2/payment-order"
with open(sys.argv[1], "rb") as fh:
    data = fh.read(int(sys.argv[2]))
data = data[: data.rfind(b"\n") + 1]
lines = data.splitlines(keepends=True)
full = engine.rust_validator(name)

def strip(node):  # the same schema without its "pattern" keywords: what the regexes cost
    if isinstance(node, dict):
        return {k: (v if k in ("enum", "const", "examples") else strip(v)) for k, v in node.items() if k != "pattern"}
    return [strip(v) for v in node] if isinstance(node, list) else node
reg = jsonschema_rs.Registry([(uri, strip(engine._unguard(s))) for uri, s in registry.resources()])
no_patterns = jsonschema_rs.validator_for(strip(engine._unguard(registry.get(name))), registry=reg, validate_formats=True)
ctx = rules.Context(name, False, None)
clock = time.perf_counter_ns
STAGES = ("loads", "records", "valid", "valid_np", "detect", "rules", "scan")

def one_pass():
    # each payload goes through the stages in turn, as in validate, so every stage finds the payload where the
    # one before left it (in the CPU cache); a stage's time is summed over the payloads
    acc = dict.fromkeys(STAGES, 0)
    for number, line in enumerate(lines, 1):
        t0 = clock(); orjson.loads(line)
        t1 = clock(); rec = line_record(line, number, source="bench", max_depth=256)
        t2 = clock(); ok = full.is_valid(rec.data)
        t3 = clock(); no_patterns.is_valid(rec.data)
        t4 = clock(); shape.detect(rec.data)
        t5 = clock(); rules.run(name, rec.data, ctx, had_errors=False)
        t6 = clock(); cardscan.scan(rec.data, line)
        t7 = clock()
        assert ok
        for key, a, b in zip(STAGES, (t0, t1, t2, t3, t4, t5, t6), (t1, t2, t3, t4, t5, t6, t7)):
            acc[key] += b - a
    return acc
tick = min(-clock() + clock() for _ in range(10000))  # one reading of the clock, taken off every stage
runs = [one_pass() for _ in range(5)]
out = {k: min(r[k] for r in runs) / len(lines) / 1000 - tick / 1000 for k in STAGES}
opts = bulk.Options()

def whole():
    t = time.perf_counter()
    bulk.work(bulk.Unit("bench", jsonl=True, data=data), opts)
    return time.perf_counter() - t
fast = fastpath.get()
if fast is not None:
    def certify():
        t = time.perf_counter()
        got = fast.certify_block(data, 1, False, None, True, 256)
        return time.perf_counter() - t, got
    timed = [certify() for _ in range(5)]
    out["fast"] = min(t for t, _ in timed) * 1e6 / len(lines)
    out["certified"] = len(timed[0][1][1]) / len(lines)
    out["total"] = min(whole() for _ in range(5)) * 1e6 / len(lines)
os.environ["CHECKOUT_CONTRACTS_FASTPATH"] = "0"
fastpath.get.cache_clear()
out["total_slow"] = min(whole() for _ in range(5)) * 1e6 / len(lines)
out["n"] = len(lines)
print(json.dumps(out))
"""


def stages(path: Path, floor_us: float) -> None:
    """Where one payload's time goes in ``validate --jobs 1``: each payload through the stages in turn (so each
    finds it warm, as in the real loop), best of 5 passes over a few thousand distinct payloads, and the whole
    in-process loop (``bulk.work`` on the same block) beside it; with the budget the 50 % target leaves."""
    out = subprocess.run([sys.executable, "-c", _STAGES, str(path), str(8 << 20)], stdout=subprocess.PIPE, check=True)
    t = json.loads(out.stdout)
    print(f"\nwhere --jobs 1 spends its time ({t['n']:,} payloads in-process, µs per payload):")
    if "fast" in t:
        print(f"  {'the compiled fast path (contracts/fastpath)':<42} {t['fast']:6.1f}   "
              f"({t['certified']:.1%} of the payloads certified plain)")
        print(f"  {'total: bulk.work on the block':<42} {t['total']:6.1f}")
    else:
        print("  (the compiled fast path is not built here)")
    print(f"  {'budget for 50 % of the floor':<42} {2 * floor_us:6.1f}   (the floor: {floor_us:.1f} µs CPU per payload)")
    print("a payload the fast path passes on (one with findings, or the fast path off) takes the full pipeline:")
    parts = t["loads"] + t["records"] + t["valid"] + t["detect"] + t["rules"] + t["scan"]
    rows = [
        ("parse + duplicate-key/depth check", t["records"]),
        ("  of which orjson.loads", t["loads"]),
        ("jsonschema-rs is_valid", t["valid"]),
        ("  of which the regexes (pattern)", t["valid"] - t["valid_np"]),
        ("shape detection", t["detect"]),
        ("cross-field rules", t["rules"]),
        ("card-data scan", t["scan"]),
        ("verdict, batch, loop (the rest)", t["total_slow"] - parts + t["loads"]),
        ("total: bulk.work, fast path off", t["total_slow"]),
    ]
    for what, us in rows:
        print(f"  {what:<42} {us:6.1f}")


def run(cmd: list[str], env: dict | None = None) -> dict:
    out = subprocess.run([sys.executable, "-c", _WRAPPER, *cmd], stdout=subprocess.PIPE, check=True,
                         env=None if env is None else {**os.environ, **env})
    return json.loads(out.stdout)


def cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "checkout_contracts", "validate", *args]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=200_000, help="payloads to generate (default 200000)")
    ap.add_argument("--size-gb", type=float, help="generate a file of about this many GB instead (memory test)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="the 'all cores' job count")
    ap.add_argument("--keep", action="store_true", help="keep the generated file")
    ap.add_argument("--no-stages", dest="stages", action="store_false",
                    help="skip the per-stage breakdown of --jobs 1")
    args = ap.parse_args(argv)

    # byte-compile the package first, as an install from a wheel does (an editable install under
    # PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module again in each contender's start-up)
    import compileall
    import checkout_contracts
    compileall.compile_dir(os.path.dirname(checkout_contracts.__file__), quiet=1)
    fd, name = tempfile.mkstemp(prefix="bench-validate-", suffix=".jsonl", dir="/tmp")
    os.close(fd)
    path = Path(name)
    try:
        t = time.perf_counter()
        size = int(args.size_gb * (1 << 30)) if args.size_gb else None
        n = write_jsonl(path, count=args.count, size=size)
        mb = path.stat().st_size / (1 << 20)
        print(f"generated {n:,} payloads, {mb:,.0f} MB ({path.stat().st_size / n:,.0f} bytes each) "
              f"in {time.perf_counter() - t:.1f} s: {path}", flush=True)
        subset = min(JSONSCHEMA_SUBSET, n)
        contenders = [
            ("parse only (orjson)", [sys.executable, "-c", _PARSE_ONLY, str(path)], n),
            ("orjson + jsonschema-rs", [sys.executable, "-c", _ORJSON_RS, str(path)], n),
            ("validate --jobs 1", cli("--jobs", "1", str(path)), n),
            (f"validate --jobs {args.jobs}", cli("--jobs", str(args.jobs), str(path)), n),
            (f"python-jsonschema ({subset:,})", [sys.executable, "-c", _JSONSCHEMA, str(path), str(subset)], subset),
            ("validate --jobs 1, no fast path", cli("--jobs", "1", str(path)), n),
        ]
        rows = []
        for label, cmd, items in contenders:
            r = run(cmd, {"CHECKOUT_CONTRACTS_FASTPATH": "0"} if "no fast path" in label else None)
            if r["rc"] not in (0,):
                print(f"{label}: exit {r['rc']}\n{r['stdout']}\n{r['stderr']}", file=sys.stderr)
            seconds, cpu = r["seconds"], r["cpu"] * 1e6 / items
            if r["stdout"].startswith("{"):  # the contender timed its own loop (start-up left out)
                seconds, cpu = json.loads(r["stdout"])["loop_seconds"], float("nan")
            rows.append((label, items / seconds, seconds, r["maxrss_kb"] / 1024, cpu))
            print(f"  {label:<32} {items / seconds:>10,.0f}/s  {seconds:7.1f} s  "
                  f"{r['maxrss_kb'] / 1024:6.0f} MB  exit {r['rc']}", flush=True)
        if args.stages:
            stages(path, rows[0][4])
    finally:
        if not args.keep:
            path.unlink(missing_ok=True)

    floor, rs, one, many, pyjs, _ = (row[1] for row in rows)
    peak = max(rows[2][3], rows[3][3])
    available = json.loads(subprocess.run([sys.executable, "-c", _BURN, str(args.jobs)], check=True,
                                          stdout=subprocess.PIPE).stdout)
    print()
    print(f"{'contender':<32} {'payloads/s':>12} {'seconds':>8} {'peak RSS':>9} {'CPU µs/payload':>15} {'vs floor':>9}")
    for label, rate, seconds, rss, cpu in rows:
        shown = f"{cpu:.1f}" if cpu == cpu else "-"  # all processes, start-up included; "-": loop timed inside
        print(f"{label:<32} {rate:>12,.0f} {seconds:>8.1f} {rss:>7.0f}MB {shown:>15} {rate / floor:>8.0%}")
    targets = [
        ("--jobs 1 >= 50% of the parse-only floor", one / floor, 0.5, f"{one / floor:.0%}"),
        ("--jobs 1 >= 40x python-jsonschema", one / pyjs, 40, f"{one / pyjs:.0f}x"),
        (f"--jobs {args.jobs} >= 1.6x --jobs 1", many / one, 1.6, f"{many / one:.2f}x"),
        ("peak RSS of validate < 150 MB", 150 / max(peak, 1e-9), 1, f"{peak:.0f} MB"),
    ]
    print()
    for what, value, need, shown in targets:
        print(f"{'PASS' if value >= need else 'FAIL'}  {what:<42} {shown}")
    print(f"(orjson + jsonschema-rs alone: {rs / floor:.0%} of the floor; CPU available to {args.jobs} processes "
          f"right now: {available:.2f}x one core, measured with a pure-Python CPU burner)")
    return 0 if all(v >= need for _, v, need, _ in targets) else 1


if __name__ == "__main__":
    raise SystemExit(main())
