"""Deterministic fixtures: the builders driven by ``random.Random`` instead of Hypothesis.

Example ``i`` of a run is drawn from its own ``random.Random("checkout-contracts/{name}/{kind}/{seed}/{i}")``
(string seeds hash with SHA-512: the same on every machine and Python), so the same seed gives the same
payloads byte for byte, and asking for more examples never changes the first ones. No Hypothesis here.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Iterator

from . import catalog, edge, lifecycle, mutation
from .draw import RandomDraw

KINDS = ("valid", "edge", "invalid", "lifecycle")


@dataclass
class Example:
    index: int                      # the example (for lifecycles: the lifecycle) number
    payload: Any
    label: dict | None = None       # invalid: {code, path, description}
    target: str | None = None       # edge: what it pushes to the boundary
    lifecycle: dict | None = field(default=None)   # lifecycle: {id, path, step, event, status}


def rng_for(name: str, kind: str, seed: int | str, index: int) -> random.Random:
    return random.Random(f"checkout-contracts/{name}/{kind}/{seed}/{index}")


def examples(name: str, kind: str = "valid", count: int = 10, seed: int | str = 0, **params: Any) -> Iterator[Example]:
    """``count`` examples of ``kind`` for schema ``name`` (lifecycles: ``count`` lifecycles, one Example per step)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    catalog.builder(name)
    if params and kind in ("edge", "lifecycle"):
        raise TypeError(f"kind {kind!r} takes no builder parameters")
    targets = edge.targets(name) if kind == "edge" else ()
    for i in range(count):
        d = RandomDraw(rng_for(name, kind, seed, i))
        if kind == "valid":
            yield Example(i, catalog.build(name, d, **params))
        elif kind == "edge":
            t = targets[i % len(targets)]
            yield Example(i, edge.build_edge(name, d, t), target=t.description)
        elif kind == "invalid":
            # one in four from a boundary payload (richer: more parts to break), the rest from valid ones
            base = edge.build_edge(name, d, d.int(0, len(edge.targets(name)) - 1)) if not params and i % 4 == 3 \
                else catalog.build(name, d, **params)
            m = mutation.mutate(name, base, d)
            yield Example(i, m.instance, label=m.label)
        else:
            life = lifecycle.lifecycle_for(name, d)
            for j, step in enumerate(life.steps):
                yield Example(i, step.snapshot, lifecycle={"id": i, "path": life.path, "step": j, "event": step.event,
                                                           "status": step.status})


def default_count(name: str, kind: str, coverage: bool) -> int:
    """10 fixtures; for a coverage run enough to cover (every edge target once, 200 valid payloads)."""
    if not coverage:
        return 10
    return len(edge.targets(name)) if kind == "edge" else 200
