"""``checkout-contracts rules``: the cross-field rule table."""
from __future__ import annotations

from .. import rules


def register(sub) -> None:
    p = sub.add_parser("rules", help="list the cross-field rules (id, severity, what each checks)")
    p.add_argument("--provider", choices=["paiwise", "swedbankpay"])
    p.set_defaults(func=run)


def run(args) -> int:
    for r in rules.all_rules():
        if args.provider and r.provider != args.provider:
            continue
        print(f"{r.id:<34} {r.severity:<7} {r.checks}")
    return 0
