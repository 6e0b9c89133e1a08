"""Apply the recorded minimal fixes (tests/seeds/fixes.json) to a vendor example."""
from __future__ import annotations

import json
from pathlib import Path

from extract import blocks

FIXES = Path(__file__).resolve().parent / "fixes.json"


def entries() -> list[dict]:
    return json.loads(FIXES.read_text(encoding="utf-8"))


def fixed_text(entry: dict) -> str:
    text = blocks(entry["seed"])[entry["block"]]
    for fix in entry["fixes"]:
        if "wrap" in fix:
            text = fix["wrap"][0] + text + fix["wrap"][1]
            continue
        count = text.count(fix["replace"])
        if count != 1:
            raise AssertionError(f"fix {fix['quirk']} matches {count} times in block {entry['block']} of {entry['seed']}")
        text = text.replace(fix["replace"], fix["with"])
    return text
