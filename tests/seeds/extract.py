"""Pull the JSON examples out of the two vendor pages in ../shared/seeds (or a copy next to the tests)."""
from __future__ import annotations

import re
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def seed_dir() -> Path:
    for candidate in (REPO.parent / "shared" / "seeds", HERE / "vendor"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("vendor seed pages not found in ../shared/seeds or tests/seeds/vendor")


def blocks(seed: str) -> list[str]:
    """The example JSON texts of a seed page, in page order."""
    text = (seed_dir() / seed).read_text(encoding="utf-8")
    if "```" in text:
        return re.findall(r"```\n(.*?)```", text, flags=re.S)
    out, current = [], None
    for line in text.splitlines(keepends=True):
        if current is None and line.rstrip() == "{":
            current = [line]
        elif current is not None:
            current.append(line)
            if line.rstrip() == "}":
                out.append("".join(current))
                current = None
    return out


def headers(seed: str) -> list[dict[str, str]]:
    """The HTTP header blocks shown above each example: status line plus headers."""
    text = (seed_dir() / seed).read_text(encoding="utf-8")
    out = []
    for m in re.finditer(r"^(HTTP/1\.1 (\d{3}) [^\n]*)\n((?:[A-Za-z-]+: [^\n]*\n)+)", text, flags=re.M):
        hdrs = dict(line.split(": ", 1) for line in m.group(3).strip().splitlines())
        out.append({"status": int(m.group(2)), "headers": hdrs})
    return out
