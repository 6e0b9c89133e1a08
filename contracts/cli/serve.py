"""``checkout-contracts serve``: run the local fake of the Paiwise and Swedbank Pay APIs."""
from __future__ import annotations

import os
import sys

from . import UsageError

PROVIDER_CHOICES = ("paiwise", "swedbankpay", "all")


def register(sub) -> None:
    p = sub.add_parser("serve", help="run the local fake Paiwise / Swedbank Pay API (a real HTTP server)",
                       description="Serve a fake of the Paiwise Checkout API (/checkout/...) and Swedbank Pay Checkout "
                                   "v2 and v3.1 payment orders (/psp/paymentorders...; v3.1 when the request's Content-Type, or "
                                   "Accept on GET, says version=3.1). Every response of a documented shape "
                                   "passes 'validate' (Paiwise error bodies are not documented: 'validate' skips "
                                   "them). Test-only endpoints play the payer: POST /_fake/paiwise/checkout/{id}/pay "
                                   "with {\"outcome\": \"paid\"|\"failed\"|\"canceled\"} and POST "
                                   "/_fake/swedbankpay/paymentorders/{id}/pay with {\"outcome\": "
                                   "\"paid\"|\"failed\"|\"aborted\"} (default paid). After each payment attempt, capture, "
                                   "cancellation and reversal the fake POSTs the callback to the order's urls.callbackUrl "
                                   "(loopback addresses only), retried after 30, 60, 360, 432, 864 and 1265 s unless "
                                   "answered 2xx; GET /_fake/swedbankpay/callbacks lists them. In Python: "
                                   "'with checkout_contracts.fake.FakeServer() as fake: fake.url'. Stop with Ctrl-C.")
    p.add_argument("--provider", choices=PROVIDER_CHOICES, default="all", help="which API to serve (default: all)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=int, default=8080, help="port to listen on; 0 picks a free one (default: 8080)")
    p.add_argument("--token-env", metavar="VAR", default=None,
                   help="accept only the Bearer token held in this environment variable (default: any non-empty token)")
    p.add_argument("--callback-retry-scale", type=float, default=1.0, metavar="F",
                   help="multiply the callback retry delays by F (e.g. 0.01: 0.3 s, 0.6 s, ...; default 1)")
    p.add_argument("--seed", type=int, default=None, metavar="N",
                   help="seed the ids and card data the fake makes up (repeatable runs)")
    p.set_defaults(func=run)


def run(args) -> int:
    if not 0 <= args.callback_retry_scale <= 100 or args.callback_retry_scale != args.callback_retry_scale:
        raise UsageError(f"--callback-retry-scale must be between 0 and 100, not {args.callback_retry_scale}")
    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, not {args.port}")
    token = None
    if args.token_env:
        token = os.environ.get(args.token_env)
        if not token:
            raise UsageError(f"--token-env {args.token_env}: that environment variable is not set or empty")
    providers = ("paiwise", "swedbankpay") if args.provider == "all" else (args.provider,)
    from ..fake.server import FakeServer
    try:
        server = FakeServer(providers, host=args.host, port=args.port, token=token, seed=args.seed, quiet=False,
                            callback_scale=args.callback_retry_scale)
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    print(f"checkout-contracts fake ({', '.join(providers)}) listening on {server.url}", file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    finally:
        server.stop()
    return 0
