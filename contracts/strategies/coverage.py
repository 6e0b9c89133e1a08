"""Coverage of generated payloads against their schema: which enum values (at their JSON paths) and which
optional fields the payloads actually hold. The list of what there is to cover comes from walking the
schema (:func:`.walk.sites`), never from a hand-written list."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from ..paths import parse, values_at
from .walk import sites

#: documented spellings the rules accept with a warning: valid payloads never use them, edge cases do
WARNED_SPELLINGS = {"Creditcard": "spp-instrument-spelling", "Unscheduled": "spp-token-type-spelling",
                    "transactionsOnFile": "spp-token-type-spelling", "Duplicate": "pw-refund-reason-case"}


@dataclass
class EnumRow:
    path: str
    value: Any
    count: int
    open: bool


@dataclass
class OptionalRow:
    path: str
    present: int
    absent: int


@dataclass
class Coverage:
    schema: str
    examples: int
    enums: list[EnumRow] = field(default_factory=list)
    optionals: list[OptionalRow] = field(default_factory=list)

    @property
    def missing_values(self) -> list[EnumRow]:
        return [r for r in self.enums if r.count == 0]

    @property
    def never_present(self) -> list[OptionalRow]:
        return [r for r in self.optionals if r.present == 0]

    @property
    def never_absent(self) -> list[OptionalRow]:
        return [r for r in self.optionals if r.absent == 0]

    def produced(self, path: str) -> dict[Any, int]:
        """Counts per enum value at ``path`` (e.g. ``$.paymentOrder.status``)."""
        return {r.value: r.count for r in self.enums if r.path == path}

    def render(self) -> str:
        lines = [f"coverage of {self.schema}: {self.examples} example{'s' if self.examples != 1 else ''}", ""]
        width = max([len(r.path) for r in self.enums] + [len(r.path) for r in self.optionals] + [4])
        lines.append(f"enum values ({sum(1 for r in self.enums if r.count)} of {len(self.enums)} produced)")
        lines.append(f"  {'path':<{width}}  {'value':<40}  count")
        for r in self.enums:
            mark = "" if r.count else "   <- never produced" + _why(r.value)
            lines.append(f"  {r.path:<{width}}  {_show(r.value):<40}  {r.count:>5}{mark}")
        lines.append("")
        lines.append(f"optional fields ({sum(1 for r in self.optionals if r.present)} of {len(self.optionals)} produced)")
        lines.append(f"  {'path':<{width}}  present   absent")
        for r in self.optionals:
            mark = "   <- never present" if not r.present else ("   <- never absent" if not r.absent else "")
            lines.append(f"  {r.path:<{width}}  {r.present:>7}  {r.absent:>7}{mark}")
        lines.append("")
        gaps = self.missing_values, self.never_present
        if not any(gaps):
            lines.append("gaps: none (every enum value and every optional field was produced)")
        else:
            lines.append(f"gaps: {len(gaps[0])} enum value(s) and {len(gaps[1])} optional field(s) never produced")
            lines.extend(f"  {r.path} = {_show(r.value)}{_why(r.value)}" for r in gaps[0])
            lines.extend(f"  {r.path} (never present)" for r in gaps[1])
        return "\n".join(lines)


def _why(value: Any) -> str:
    rule = WARNED_SPELLINGS.get(value) if isinstance(value, str) else None
    return f" (warned spelling, {rule}: only --kind edge makes it)" if rule else ""


def _show(v: Any) -> str:
    import json
    return json.dumps(v, ensure_ascii=False)


def measure(schema: str, instances: Iterable[Any]) -> Coverage:
    docs = list(instances)
    cov = Coverage(schema, len(docs))
    for site in sites(schema):
        tokens = parse(site.path)
        if site.kind == "enum":
            counts = {repr(v): 0 for v in site.values}
            for doc in docs:
                for _, value in values_at(doc, tokens):
                    key = repr(value)
                    if key in counts and value in site.values:
                        counts[key] += 1
            cov.enums.extend(EnumRow(site.path, v, counts[repr(v)], site.open) for v in site.values)
        elif site.kind == "optional":
            present = absent = 0
            for doc in docs:
                for _, parent in values_at(doc, tokens[:-1]):
                    if isinstance(parent, dict):
                        if tokens[-1] in parent:
                            present += 1
                        else:
                            absent += 1
            cov.optionals.append(OptionalRow(site.path, present, absent))
    return cov
