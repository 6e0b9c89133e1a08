"""Loading the data-driven test cases in tests/cases (JSON-Schema-Test-Suite style)."""
from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CASES = HERE / "cases"


@dataclass
class Case:
    file: str
    schema: str
    id: str
    description: str
    instance: Any
    valid: bool
    strict: bool = False
    rules: bool = True
    errors: list[tuple[str, str]] | None = None
    warnings: list[tuple[str, str]] | None = None
    http: dict | None = None
    raw: dict = field(default_factory=dict)


def _pointer_parts(pointer: str) -> list[str]:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def apply_patch(doc: Any, ops: list[dict]) -> Any:
    """RFC 6902 add / remove / replace (enough for mutation cases)."""
    doc = copy.deepcopy(doc)
    for op in ops:
        parts = _pointer_parts(op["path"])
        if not parts:
            doc = copy.deepcopy(op["value"])
            continue
        parent = doc
        for part in parts[:-1]:
            parent = parent[int(part)] if isinstance(parent, list) else parent[part]
        last = parts[-1]
        if isinstance(parent, list):
            idx = len(parent) if last == "-" else int(last)
            if op["op"] == "add":
                parent.insert(idx, copy.deepcopy(op["value"]))
            elif op["op"] == "remove":
                del parent[idx]
            elif op["op"] == "replace":
                parent[idx] = copy.deepcopy(op["value"])
            else:
                raise ValueError(op["op"])
        else:
            if op["op"] in ("add", "replace"):
                if op["op"] == "replace" and last not in parent:
                    raise KeyError(f"replace of missing {op['path']}")
                parent[last] = copy.deepcopy(op["value"])
            elif op["op"] == "remove":
                del parent[last]
            else:
                raise ValueError(op["op"])
    return doc


def _load_json(rel: str) -> Any:
    return json.loads((REPO / rel).read_text(encoding="utf-8"))


def instance_of(test: dict) -> Any:
    if "data" in test:
        return test["data"]
    if "data_file" in test:
        return _load_json(test["data_file"])
    return apply_patch(_load_json(test["base"]), test.get("patch", []))


def load_cases() -> list[Case]:
    out = []
    for path in sorted(CASES.rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        for test in doc["tests"]:
            pairs = lambda key: None if key not in test else sorted((e["path"], e["code"]) for e in test[key])  # noqa: E731
            out.append(Case(
                file=str(path.relative_to(REPO)), schema=test.get("schema", doc["schema"]), id=test["id"],
                description=test["description"], instance=instance_of(test), valid=test["valid"],
                strict=test.get("strict", False), rules=test.get("rules", True),
                errors=pairs("errors"), warnings=pairs("warnings"), http=test.get("http"), raw=test,
            ))
    return out
