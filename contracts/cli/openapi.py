"""``checkout-contracts openapi API [-o FILE]``: the OpenAPI 3.1 document of an API, generated from the schemas."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from . import UsageError


def register(sub) -> None:
    p = sub.add_parser("openapi", help="print (or write) the OpenAPI 3.1 document of an API",
                       description="Generate the OpenAPI 3.1 document of paiwise, swedbankpay-v2 or swedbankpay-v3 "
                                   "from the JSON Schemas and the route table (the same routes 'validate' uses): "
                                   "paths, parameters, request bodies, responses per status code, the schemas "
                                   "bundled under components/schemas, Bearer security, the vendor's hosts and the "
                                   "local fake as servers. The repository ships the same documents under openapi/.")
    p.add_argument("api", metavar="API", help="paiwise | swedbankpay-v2 | swedbankpay-v3")
    p.add_argument("-o", "--output", metavar="FILE", help="write the document to FILE (default: standard output)")
    p.add_argument("--check", action="store_true",
                   help="write nothing; exit 1 when FILE (-o) differs from the generated document")
    p.set_defaults(func=run)


def run(args) -> int:
    from ..openapi import OpenAPIError, apis, render
    if args.api not in apis():
        raise UsageError(f"unknown API {args.api!r}; known: {', '.join(apis())}")
    try:
        text = render(args.api)
    except OpenAPIError as exc:
        raise UsageError(str(exc)) from None
    if args.check:
        if not args.output:
            raise UsageError("--check needs -o FILE")
        try:
            current = Path(args.output).read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"{args.output}: {exc.strerror or exc}") from None
        if current != text:
            print(f"{args.output}: stale; regenerate with: checkout-contracts openapi {args.api} -o {args.output}",
                  file=sys.stderr)
            return 1
        return 0
    if not args.output or args.output == "-":
        sys.stdout.write(text)
        return 0
    target = Path(args.output)
    tmp = None
    try:  # a temporary file beside the target, renamed over it: a reader never sees half a document
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)
    return 0
