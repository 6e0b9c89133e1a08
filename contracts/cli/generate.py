"""``checkout-contracts generate``: fixture files for other teams — valid, edge-case, broken (labelled) and
lifecycle payloads of one schema, the same bytes for the same seed, with a ``manifest.json`` that says what
each file is. ``--coverage`` shows which enum values and optional fields the payloads hold.

Nothing here imports Hypothesis: the fixtures come from the generators' builders driven by ``random.Random``."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

KINDS = ("valid", "edge", "invalid", "lifecycle")
FORMATS = ("json", "jsonl", "yaml")

EPILOG = """\
kinds: valid (realistic, passes check with no finding), edge (valid, at every documented boundary: each enum
value, optional fields absent and present, amounts 0 and 2**31-1, length limits met), invalid (each broken in
exactly one way; manifest.json carries the label: code, path, description), lifecycle (the snapshots one
checkout / payment order goes through, one file per step).

files: <provider>-<schema>-<kind>-<index>.json|.yaml (lifecycles: …-<lifecycle>-<step>), or one .jsonl; plus
manifest.json. --out - writes JSON lines to stdout (no manifest).

exit status: 0 done (coverage gaps are listed, not failed), 2 usage error (unknown schema, bad flag)."""


def register(sub) -> None:
    p = sub.add_parser("generate", help="write fixture payloads (valid, edge, invalid, lifecycle) for a schema",
                       description="Generate fixture payloads for one schema, deterministically from a seed.",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("name", metavar="NAME", help="schema name (see `checkout-contracts schemas`)")
    p.add_argument("--count", "-n", type=_positive, default=None, metavar="N",
                   help="how many payloads (lifecycles for --kind lifecycle); default 10, with --coverage enough to "
                        "cover (200, or every edge target once)")
    p.add_argument("--seed", default="0", metavar="S", help="seed (any text; default 0): same seed, same bytes")
    p.add_argument("--kind", choices=KINDS, default="valid", help="what to generate (default: valid)")
    p.add_argument("--format", choices=FORMATS, default="json", help="file format (default: json)")
    p.add_argument("--out", "-o", metavar="DIR", help="folder to write to (created if missing), or - for stdout")
    p.add_argument("--coverage", action="store_true",
                   help="print which enum values and optional fields the generated payloads hold")
    p.add_argument("--with", dest="params", action="append", default=[], metavar="KEY=VALUE",
                   help="builder parameter for valid/invalid payloads, e.g. --with status=Paid --with instrument=Swish")
    p.set_defaults(func=run)


from . import positive_int as _positive  # noqa: E402  (one definition for every subcommand)


def _params(items: list[str]) -> dict[str, Any]:
    from . import UsageError
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise UsageError(f"--with expects KEY=VALUE, got {item!r}")
        number = value.isascii() and value.isdecimal()  # not '²', which isdigit() would let through to int()
        out[key] = {"true": True, "false": False}.get(value.lower(), int(value) if number else value)
    return out


def run(args) -> int:
    from .. import registry
    from ..strategies import catalog, coverage as cov, fixtures
    from . import UsageError

    try:
        catalog.builder(args.name)
    except registry.UnknownSchema as exc:
        raise UsageError(str(exc)) from None
    except LookupError as exc:
        raise UsageError(str(exc)) from None
    if args.out is None and not args.coverage:
        raise UsageError("nothing to do: give --out DIR (or --out - for stdout) and/or --coverage")
    params = _params(args.params)
    count = args.count or fixtures.default_count(args.name, args.kind, args.coverage)
    out_dir = None
    if args.out not in (None, "-"):
        out_dir = Path(args.out)
        if out_dir.exists() and not out_dir.is_dir():
            raise UsageError(f"--out {args.out}: exists and is not a folder")
    def generated():
        try:
            yield from fixtures.examples(args.name, args.kind, count, args.seed, **params)
        except (TypeError, ValueError, LookupError) as exc:
            raise UsageError(f"cannot generate {args.kind} payloads of {args.name}: {exc}") from None

    report = sys.stderr if args.out == "-" else sys.stdout
    if args.out == "-" and not args.coverage:  # streamed: the first line comes at once, memory stays flat
        for ex in generated():
            sys.stdout.write(json.dumps(ex.payload, ensure_ascii=False, separators=(",", ":")) + "\n")
        sys.stdout.flush()
        return 0
    examples = list(generated())
    if args.out == "-":
        for ex in examples:
            sys.stdout.write(json.dumps(ex.payload, ensure_ascii=False, separators=(",", ":")) + "\n")
        sys.stdout.flush()
    elif out_dir is not None:
        try:
            written = _write(out_dir, args, examples, count)
        except OSError as exc:
            raise UsageError(f"cannot write to {out_dir}: {exc.strerror or exc}") from None
        print(f"wrote {written} file{'s' if written != 1 else ''} and manifest.json to {out_dir}", file=report)
    if args.coverage:
        payloads = [ex.payload for ex in examples]
        note = " (broken payloads: coverage of what the mutants still hold)" if args.kind == "invalid" else ""
        text = cov.measure(args.name, payloads).render()
        head, _, rest = text.partition("\n")
        print(f"{head} ({args.kind}, seed {args.seed}){note}\n{rest}", file=report)
    return 0


def _prefix(name: str) -> str:
    return name.replace("/", "-")


def _dump(payload: Any, fmt: str) -> str:
    if fmt == "yaml":
        import yaml
        return yaml.safe_dump(payload, sort_keys=False, allow_unicode=True, default_flow_style=False, width=120)
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def _write(out_dir: Path, args, examples: list, count: int) -> int:
    from .. import __version__
    out_dir.mkdir(parents=True, exist_ok=True)
    prefix = f"{_prefix(args.name)}-{args.kind}"
    entries: list[dict[str, Any]] = []
    files: dict[str, list[str]] = {}
    for ex in examples:
        entry: dict[str, Any] = {}
        if args.format == "jsonl":
            fname = f"{prefix}.jsonl"
            lines = files.setdefault(fname, [])
            lines.append(json.dumps(ex.payload, ensure_ascii=False, separators=(",", ":")) + "\n")
            entry["file"], entry["line"] = fname, len(lines)
        else:
            ext = "yaml" if args.format == "yaml" else "json"
            step = f"-{ex.lifecycle['step']:02d}" if ex.lifecycle else ""
            fname = f"{prefix}-{ex.index:04d}{step}.{ext}"
            files[fname] = [_dump(ex.payload, args.format)]
            entry["file"] = fname
        entry.update({"schema": args.name, "kind": args.kind, "seed": args.seed, "index": ex.index})
        if ex.label:
            entry["label"] = ex.label
        if ex.target:
            entry["target"] = ex.target
        if ex.lifecycle:
            entry["lifecycle"] = ex.lifecycle
        entries.append(entry)
    for fname, chunks in files.items():
        _atomic_write(out_dir / fname, "".join(chunks))
    command = ["checkout-contracts", "generate", args.name, "--kind", args.kind, "--count", str(count),
               "--seed", str(args.seed), "--format", args.format, "--out", "."]
    # "--out .": the command that rewrites these files, run in this folder (the manifest's bytes do not depend on
    # where the files were first written: the same seed gives the same folder, byte for byte)
    for item in args.params:
        command += ["--with", item]
    manifest = {"generator": f"checkout-contracts {__version__}", "command": " ".join(command), "schema": args.name,
                "kind": args.kind, "seed": args.seed, "count": count, "format": args.format, "files": entries}
    _atomic_write(out_dir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
    return len(files)


def _atomic_write(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8", newline="\n")
    os.replace(tmp, path)
