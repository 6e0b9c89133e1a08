"""Helpers of the lake tests: the hostile mix of captures, comparable rows, the Java check."""
from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CARD_ORDER = ROOT / "examples" / "swedbankpay" / "payment-order-paid-card.json"
PAN = "4925000000000004"           # planted: must never appear in a log, an exception or a result
CHUNK = 1 << 20                     # ranges of 1 MB: the big files are split into several units


def _order(i: int, **changes) -> bytes:
    doc = json.loads(CARD_ORDER.read_text())
    doc["paymentOrder"]["description"] = f"Order {i}"
    doc["paymentOrder"].update(changes)
    return json.dumps(doc, separators=(",", ":")).encode()


def hostile_files() -> dict[str, bytes]:
    """name → bytes: BOM, blank lines, invalid UTF-8, a truncated line, a duplicate key, an oversized record,
    gzip, a card number in an invalid record and in an unreadable one, CRLF, a document, a file split into
    ranges."""
    lines = []
    for i in range(1, 700):
        if i % 17 == 0:
            lines.append(_order(i)[:140])                                    # truncated
        elif i % 19 == 0:
            lines.append(_order(i, status="Payed"))                          # invalid
        elif i % 23 == 0:
            lines.append(b"")                                                # blank
        elif i % 29 == 0:
            lines.append(b'{"paymentOrder": {"id": "\xff\xfe"}}')            # invalid UTF-8
        elif i % 31 == 0:
            lines.append(_order(i)[:-1] + b',"status":"Paid","status":"Paid"}')  # duplicate key
        elif i % 37 == 0:
            lines.append(_order(i, description=f"card {PAN}"))               # a card number: invalid
        elif i % 41 == 0:
            lines.append(b'{"card": "' + PAN.encode() + b'", oops}')          # … and in an unreadable line
        else:
            lines.append(_order(i) + (b"\r" if i % 7 == 0 else b""))
    day = b"\xef\xbb\xbf" + b"\n".join(lines) + b"\n"
    huge = _order(0) + b"\n" + b'{"pad": "' + PAN.encode() + b" " * ((16 << 20) + 10) + b'"}\n' + _order(1) + b"\n"
    return {
        "day.jsonl": day,                                   # ~ 1.5 MB: several ranges
        "day-copy.jsonl.gz": gzip.compress(day),            # one unit
        "huge.jsonl": huge,                                 # an oversized record between two good ones
        "single.json": CARD_ORDER.read_bytes(),
        "empty.jsonl": b"",
        "blank.jsonl": b"\n \n\t\n",
    }


def rows_of(outcomes) -> list[tuple]:
    """Comparable verdicts: (file name, record, line, column, schema, verdict, errors, warnings)."""
    out = []
    for o in outcomes:
        out.append((os.path.basename(o["source"] if isinstance(o, dict) else o.source),
                    *(tuple(o[k] for k in ("record", "line", "column", "schema", "verdict")) if isinstance(o, dict)
                      else (o.record, o.line, o.column, o.schema, o.verdict)),
                    tuple((e["path"], e["code"], e["message"]) for e in o["errors"]) if isinstance(o, dict)
                    else tuple(o.errors),
                    tuple((e["path"], e["code"], e["message"]) for e in o["warnings"]) if isinstance(o, dict)
                    else tuple(o.warnings)))
    return sorted(out, key=lambda r: (r[0], r[2] or 0, r[1] or 0))


def java_or_skip() -> None:
    """Skip (clearly) without Java on a developer machine; CI (``CI`` set) installs it, so there it fails."""
    if shutil.which("java") or os.environ.get("JAVA_HOME"):
        return
    message = "Spark needs Java 17+ (apt-get install openjdk-17-jre-headless; .ci/run installs it)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
