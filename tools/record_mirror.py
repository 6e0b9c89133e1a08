"""Record the digests of both sides of every decision the C fast path mirrors (contracts/fastpath/mirror.py)
into contracts/fastpath/src/mirror.h.

Run it only after checking that the C side agrees with the Python side for every decision it lists as
changed (the soundness tests in tests/fastpath/ help: they must pass after the rebuild). Then rebuild the
module: ``pip install -e .``.

    python tools/record_mirror.py           # write the record, list what changed
    python tools/record_mirror.py --check   # exit 1 when the record is not current
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checkout_contracts.fastpath import mirror  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only say whether the record is current")
    args = ap.parse_args(argv)
    py, c = mirror.python_digests(), mirror.c_digests()
    if c is None:
        print("record_mirror: the C sources are not here", file=sys.stderr)
        return 2
    old = {}
    if mirror.RECORD.exists():
        old = {m.group(1): (m.group(2), m.group(3))
               for m in re.finditer(r'\{"([^"]+)", "([0-9a-f]+)", "([0-9a-f]+)"\}', mirror.RECORD.read_text())}
    changed = [name for name in py if old.get(name) != (py[name], c[name])]
    gone = [name for name in old if name not in py]
    for name in changed:
        side = "new" if name not in old else " and ".join(
            s for s, i, now in (("Python", 0, py[name]), ("C", 1, c[name])) if old[name][i] != now)
        print(f"  {name}: {side}")
    for name in gone:
        print(f"  {name}: gone")
    if args.check:
        if changed or gone:
            print("record_mirror: the record is not current (check the C side, then run tools/record_mirror.py)",
                  file=sys.stderr)
            return 1
        print("record_mirror: current")
        return 0
    mirror.RECORD.write_text(mirror.render(py, c), encoding="utf-8")
    print(f"record_mirror: {len(py)} decisions recorded in {mirror.RECORD.relative_to(Path.cwd()) if mirror.RECORD.is_relative_to(Path.cwd()) else mirror.RECORD}"
          + ("; rebuild the module: pip install -e ." if changed or gone else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
