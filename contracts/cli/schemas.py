"""``checkout-contracts schemas``: list every schema name with its title (or print one schema)."""
from __future__ import annotations

import json
import sys

from .. import registry


def register(sub) -> None:
    p = sub.add_parser("schemas", help="list the schemas (name and title), or print one")
    p.add_argument("name", nargs="?", help="print this schema's JSON")
    p.add_argument("--all", action="store_true", help="include the shared-definition files")
    p.add_argument("--bundle", metavar="NAME",
                   help="print schema NAME as one self-contained file: every schema it refers to embedded under "
                        "$defs, every $ref local (for check-jsonschema, Ajv and other validators; no network)")
    p.set_defaults(func=run)


def run(args) -> int:
    from . import UsageError
    if args.bundle:
        from ..bundle import bundle
        try:
            doc = bundle(args.bundle)
        except registry.UnknownSchema as exc:
            raise UsageError(str(exc)) from None
        json.dump(doc, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if args.name:
        try:
            schema = registry.get(args.name)
        except registry.UnknownSchema as exc:
            raise UsageError(str(exc)) from None
        json.dump(schema, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    names = registry.names(include_shared=args.all)
    width = max(map(len, names))
    for name in names:
        print(f"{name:<{width}}  {registry.get(name).get('title', '')}")
    return 0
