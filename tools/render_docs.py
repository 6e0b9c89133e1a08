#!/usr/bin/env python3
"""Render the readable reference: one Markdown field table per schema under docs/, and the cross-field
rule table into README.md (between the ``rules`` markers). ``--check`` fails when either is stale."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Iterator

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from checkout_contracts import registry, rules, schemawalk  # noqa: E402

DOCS = REPO / "docs"
README = REPO / "README.md"
START, END = "<!-- rules:start (rendered by tools/render_docs.py) -->", "<!-- rules:end -->"


def _deref(base: str, node: Any) -> tuple[Any, str]:
    return schemawalk.deref(node, base, merge=True)


def _type(node: dict) -> str:
    t = node.get("type")
    if isinstance(t, list):
        t = " or ".join(t)
    if t == "array" and isinstance(node.get("items"), dict):
        return "array"
    if t is None and "if" in node and "then" in node:
        return "object or link"
    return t or "any"


def _constraint(node: dict) -> str:
    parts = []
    if "enum" in node:
        vals = ", ".join(f"`{v}`" if v != "" else '`""`' for v in node["enum"])
        parts.append(("open enum: " if node.get("x-open-enum") else "enum: ") + vals)
    if "const" in node:
        parts.append(f"const `{node['const']}`")
    if "format" in node:
        parts.append(f"format `{node['format']}`")
    if "pattern" in node:
        parts.append(f"pattern `{node['pattern']}`".replace("|", "\\|"))
        if isinstance(node.get("not"), dict) and node["not"].get("pattern") == "[\n\r]":
            parts.append("single line")
    for kw, label in (("minLength", "min length"), ("maxLength", "max length"), ("minimum", "≥"), ("maximum", "≤")):
        if kw in node and not (kw == "minLength" and "pattern" in node):
            parts.append(f"{label} {node[kw]}")
    return "; ".join(parts)


def rows(node: Any, base: str, prefix: str = "", depth: int = 0, when: str = "") -> Iterator[tuple[str, str, str, str, str]]:
    node, base = _deref(base, node)
    if not isinstance(node, dict) or depth > 6:
        return
    required = set(node.get("required", []))
    yes = f"yes ({when})" if when else "yes"
    for prop, sub in (node.get("properties") or {}).items():
        desc = (sub.get("description") or "") if isinstance(sub, dict) else ""
        full, fbase = _deref(base, sub)
        branch = ""
        if isinstance(full, dict) and "then" in full and "$ref" in full.get("then", {}):
            branch = full["then"].get("title", "")
            full, fbase = _deref(fbase, full["then"])
        name = f"{prefix}{prop}"
        yield name, _type(full), yes if prop in required else "", _constraint(full), (desc or full.get("description", "")).replace("|", "\\|").replace("\n", " ")
        if _type(full) == "object" or (isinstance(full, dict) and "properties" in full):
            yield from rows(full, fbase, f"{name}.", depth + 1, when=branch or when)
        items = full.get("items") if isinstance(full, dict) else None
        if isinstance(items, dict):
            item, ibase = _deref(fbase, items)
            if item.get("enum") or item.get("pattern"):
                yield f"{name}[]", _type(item), "", _constraint(item), ""
            yield from rows(item, ibase, f"{name}[].", depth + 1)
    extra = node.get("additionalProperties")
    if isinstance(extra, dict) and (extra.get("properties") or extra.get("$ref")):
        key = node.get("propertyNames", {})
        yield f"{prefix}<key>", "object", "", _constraint(_deref(base, key)[0]) if key else "", "Each entry of the map."
        yield from rows(extra, base, f"{prefix}<key>.", depth + 1)


def render_schema(name: str) -> str:
    schema = registry.get(name)
    out = [f"# `{name}` — {schema.get('title', '')}", "", schema.get("description", ""), "",
           f"`$id`: `{schema['$id']}`", ""]
    table = list(rows(schema, schema["$id"]))
    if table:
        out += ["| field | type | required | enum / format | description |", "|---|---|---|---|---|"]
        out += [f"| `{f}` | {t} | {r} | {c} | {d} |" for f, t, r, c, d in table]
    branches = list(_branches(schema))
    if branches:
        out += ["", "Required by branch (the payload's own discriminating value selects the branch):", ""]
        out += [f"- `{where}` {cond}: requires {', '.join(f'`{r}`' for r in req)}" for where, cond, req in branches]
    checks = list(_checks(schema))
    if checks:
        out += ["", "Cross-field checks the schema states (any JSON Schema validator applies them):", ""]
        out += [f"- `{where}` ({title}): {what}" for where, title, what in checks]
    defs = schema.get("$defs") or {}
    for def_name, node in defs.items():
        sub = list(rows(node, schema["$id"]))
        if not sub:
            continue
        out += ["", f"## `{def_name}` — {node.get('title', '')}", "", node.get("description", ""), "",
                "| field | type | required | enum / format | description |", "|---|---|---|---|---|"]
        out += [f"| `{f}` | {t} | {r} | {c} | {d} |" for f, t, r, c, d in sub]
    return "\n".join(out).rstrip() + "\n"


def _branches(schema: dict) -> Iterator[tuple[str, str, list[str]]]:
    """``if``/``then`` branches that add required fields, e.g. status Paid requires paid."""
    def walk(node: Any, where: str) -> Iterator[tuple[str, str, list[str]]]:
        if isinstance(node, dict):
            for branch in node.get("allOf", []):
                if not isinstance(branch, dict):
                    continue
                req = branch.get("then", {}).get("required")
                for prop, op, values in schemawalk.property_tests(branch.get("if")) if req else ():
                    if op == "eq" and len(values) == 1:
                        yield where, f"when {prop} is {values[0]}", req
            for key in ("properties", "$defs"):
                for name, sub in (node.get(key) or {}).items():
                    yield from walk(sub, f"{where}.{name}" if key == "properties" else name)
    yield from walk(schema, "$")


def _checks(schema: dict) -> Iterator[tuple[str, str, str]]:
    """``if``/``then`` checks whose ``then`` says what it checks (a description), e.g. operations that fit the status."""
    def walk(node: Any, where: str) -> Iterator[tuple[str, str, str]]:
        if isinstance(node, dict):
            for cond in [node, *node.get("allOf", [])]:
                then = cond.get("then") if isinstance(cond, dict) else None
                if isinstance(then, dict) and then.get("description") and "$ref" not in then:
                    yield where, then.get("title", ""), then["description"].replace("|", "\\|")
            for key in ("properties", "$defs"):
                for name, sub in (node.get(key) or {}).items():
                    yield from walk(sub, f"{where}.{name}" if key == "properties" else name)
    yield from walk(schema, "$")


def render_index() -> str:
    out = ["# Schema reference", "", "Rendered from `schemas/` by `tools/render_docs.py`; do not edit by hand.", "",
           "| schema | title |", "|---|---|"]
    out += [f"| [`{n}`]({n}.md) | {registry.get(n).get('title', '')} |" for n in registry.names(include_shared=True)]
    return "\n".join(out) + "\n"


def render_rules() -> str:
    out = [START, "", "| rule | provider | severity | checks | rests on |", "|---|---|---|---|---|"]
    for r in rules.all_rules():
        out.append(f"| `{r.id}` | {r.provider} | {r.severity} | {r.checks} | {r.source.replace('|', '/')} |")
    return "\n".join(out + ["", END])


def expected() -> dict[Path, str]:
    files = {DOCS / "README.md": render_index()}
    for name in registry.names(include_shared=True):
        files[DOCS / f"{name}.md"] = render_schema(name)
    readme = README.read_text(encoding="utf-8")
    if START in readme and END in readme:
        head, rest = readme.split(START, 1)
        tail = rest.split(END, 1)[1]
        files[README] = head + render_rules() + tail
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--check", action="store_true", help="exit 1 if docs/ or the README rule table is stale")
    args = parser.parse_args(argv)
    stale = []
    for path, text in expected().items():
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if current != text:
            stale.append(path.relative_to(REPO))
            if not args.check:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
    known = set(expected())
    orphans = [p for p in DOCS.rglob("*.md") if p not in known]
    for p in orphans:
        stale.append(p.relative_to(REPO))
        if not args.check:
            p.unlink()
    if args.check and stale:
        print("stale: " + ", ".join(map(str, stale)) + " — run python tools/render_docs.py", file=sys.stderr)
        return 1
    if not args.check:
        print(f"rendered {len(known)} files" + (f" ({len(stale)} changed)" if stale else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
