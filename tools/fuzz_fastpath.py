#!/usr/bin/env python3
"""Fuzz the fast path's C module under AddressSanitizer and UndefinedBehaviorSanitizer.

Builds ``contracts/fastpath/src/*.c`` with ``-fsanitize=address,undefined`` into a temporary folder, then runs
itself again with the sanitizer runtimes preloaded: generated payloads of every schema (valid, edge, broken),
mutated byte by byte, through ``certify`` and ``certify_block``. A memory error or undefined behaviour aborts
with the sanitizer's report; a clean run prints how many inputs it tried.

    python tools/fuzz_fastpath.py                 # 60,000 inputs
    python tools/fuzz_fastpath.py --count 500000
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import random
import subprocess
import sys
import sysconfig
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SOURCES = os.path.join(ROOT, "contracts", "fastpath", "src")
INSERTS = [b"{", b"[", b'"', b"\\", b"\\u", b"\xc3", b"\xf0\x9f", b"1e9", b",", b"]", b"}", b"-0", b"4111111111111111"]


def fuzz(module_path: str, count: int) -> None:
    spec = importlib.util.spec_from_file_location("checkout_contracts.fastpath._fast", module_path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    from checkout_contracts import registry
    from checkout_contracts.fastpath import FastPath
    from checkout_contracts.strategies import fixtures
    fast = FastPath(module, cache="0")
    rng = random.Random(1)
    docs = [ex.payload for name in registry.names() for kind in ("valid", "edge", "invalid")
            for ex in fixtures.examples(name, kind, 15, seed=2)]
    lines = [json.dumps(d, ensure_ascii=rng.random() < 0.3).encode() for d in docs if isinstance(d, dict)]
    certified = 0
    for i in range(count):
        data = bytearray(rng.choice(lines))
        for _ in range(rng.randint(0, 4)):
            if not data:
                break
            at, k = rng.randrange(len(data)), rng.random()
            if k < 0.3:
                data[at] = rng.randrange(256)
            elif k < 0.5:
                del data[at:]
            elif k < 0.8:
                data[at:at] = rng.choice(INSERTS)
            else:
                del data[at:at + rng.randint(1, 10)]
        certified += isinstance(fast.certify(bytes(data)), str)
        if i % 3 == 0:
            fast.certify_block(bytes(data) + b"\n\xef\xbb\xbf" + bytes(data), 1, True, None, True, 256)
    print(f"{count:,} mutated inputs, {certified:,} certified, no sanitizer report")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=60_000)
    ap.add_argument("--module", help=argparse.SUPPRESS)  # the second stage: run with the runtimes preloaded
    args = ap.parse_args()
    if args.module:
        fuzz(args.module, args.count)
        return 0
    out = os.path.join(tempfile.mkdtemp(prefix="fastpath-asan-"), "_fast" + sysconfig.get_config_var("EXT_SUFFIX"))
    cc = sysconfig.get_config_var("CC").split()[0]
    subprocess.run([cc, "-O1", "-g", "-std=gnu99", "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
                    "-fno-omit-frame-pointer", "-shared", "-fPIC", f"-I{sysconfig.get_paths()['include']}",
                    *sorted(os.path.join(SOURCES, f) for f in os.listdir(SOURCES) if f.endswith(".c")),
                    "-o", out], check=True)
    runtimes = [subprocess.run([cc, f"-print-file-name={lib}"], capture_output=True, text=True).stdout.strip()
                for lib in ("libasan.so", "libubsan.so")]
    env = {**os.environ, "LD_PRELOAD": ":".join(runtimes), "ASAN_OPTIONS": "detect_leaks=0"}
    return subprocess.run([sys.executable, __file__, "--module", out, "--count", str(args.count)], env=env).returncode


if __name__ == "__main__":
    raise SystemExit(main())
