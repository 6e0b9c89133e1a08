"""The drift tally as plain text (the ``--drift-report`` section of the text and GitHub reports)."""
from __future__ import annotations

from typing import Any, Callable, Iterator

SHOW = 50  # lines per part before "… and N more"


def _part(title: str, items: list, line: Callable[[dict], str]) -> Iterator[str]:
    """A titled list, at most ``SHOW`` lines of it."""
    yield f"  {title} ({len(items)}):" if items else f"  {title}: none"
    for item in items[:SHOW]:
        yield f"    {line(item)}"
    if len(items) > SHOW:
        yield f"    … and {len(items) - SHOW} more (the JSON report lists all)"


def lines(drift: dict[str, Any]) -> Iterator[str]:
    from . import safe_tree
    drift = safe_tree(drift)  # field names and values come from the payloads
    yield "drift report"
    yield from _part("unknown fields", drift.get("unknown_fields") or [],
                     lambda u: f"{u['schema']}  {u['path']}  ×{u['count']}  first at {u['first']}")
    yield from _part("values outside open enums", drift.get("enum_values") or [],
                     lambda e: f"{e['schema']}  {e['path']} = {e['value']}  ×{e['count']}  first at {e['first']}")
    unseen = drift.get("never_seen") or []
    valid = drift.get("valid_payloads") or {}
    if not valid:
        yield "  documented fields never seen: no valid payloads to compare"
        return
    yield f"  documented fields never seen in {sum(valid.values())} valid payloads ({len(unseen)}):" if unseen \
        else "  documented fields never seen: none"
    shown = 0
    for schema in sorted(valid):
        mine = [u for u in unseen if u["schema"] == schema]
        if not mine:
            continue
        yield f"    {schema} ({valid[schema]} valid payloads):"
        for u in mine:
            if shown >= SHOW:
                break
            shown += 1
            if u.get("branch"):
                fields = f"{u['nested']} field{'s' if u['nested'] != 1 else ''}"
                yield f"      {u['path']} when {u['branch']}: no payload ({fields} documented for it)"
                continue
            nested = f" (and {u['nested']} fields inside)" if u["nested"] else ""
            yield f"      {u['path']}{nested}"
    if len(unseen) > shown:
        yield f"    … and {len(unseen) - shown} more (the JSON report lists all)"
