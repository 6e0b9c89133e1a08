"""The one interface every builder draws its choices through.

A builder never calls ``random`` or Hypothesis directly: it asks a :class:`Draw` for an integer, a choice
among options, a yes/no, a subset. Three drivers exist:

* :class:`RandomDraw` — a seeded ``random.Random``: the ``generate`` CLI and the fake provider server
  (same seed → same payloads, byte for byte);
* ``checkout_contracts.strategies.hyp.HypothesisDraw`` — Hypothesis draws (so strategies shrink: small integers,
  the first option, ``False``);
* :class:`ForcingDraw` — wraps either and forces labelled choices (``kind="edge"``: "status is Reversed",
  "description exactly 40 characters", "minimal payload").

Labels are JSON paths as the coverage report prints them (``$.paymentOrder.status``,
``$.operations[*].rel``); a trailing ``?`` labels the presence of an optional field, ``#…`` a builder's own
knob (``$.paymentOrder.description#len``). This module imports nothing heavy: no Hypothesis.
"""
from __future__ import annotations

import random
from typing import Any, Callable, Mapping, Sequence, TypeVar

T = TypeVar("T")

MIN = "min"   # ForcingDraw: the lowest value the builder allows here
MAX = "max"   # ForcingDraw: the highest value the builder allows here


class Except(tuple):
    """A ForcingDraw constraint: any option but these (``Except(("Swish",))``)."""


class Draw:
    """Base driver. Subclasses implement :meth:`int`; the rest is built on it (and may be overridden to give
    Hypothesis better-shrinking primitives)."""

    #: edge-case mode: builders may offer documented-but-warned spellings (quirks) when forced to
    quirks = False

    def int(self, lo: int, hi: int, label: str | None = None) -> int:  # pragma: no cover - abstract
        raise NotImplementedError

    def choice(self, options: Sequence[T], label: str | None = None, quirks: Sequence[T] = ()) -> T:
        if not options:
            raise ValueError(f"no options to choose from at {label or 'an unlabelled choice'}")
        return options[self.int(0, len(options) - 1)]

    def flag(self, label: str | None = None) -> bool:
        return self.int(0, 1) == 1

    def subset(self, options: Sequence[T], label: str | None = None, min_size: int = 0) -> list[T]:
        """Some of ``options``, in their given order (at least ``min_size``)."""
        keep = [i for i in range(len(options)) if self.flag()]
        for i in range(len(options)):
            if len(keep) >= min_size:
                break
            if i not in keep:
                keep.append(i)
        return [options[i] for i in sorted(keep)]

    def number(self, label: str | None, lo: int, hi: int, typical: Callable[["Draw"], int]) -> int:
        """A realistic value in ``[lo, hi]`` (``typical`` draws it, clamped); edge mode forces ``lo``/``hi``."""
        return max(lo, min(hi, typical(self)))

    def freeform(self, kind: str, fallback: Callable[["Draw"], Any]) -> Any:
        """A free-form part (Paiwise ``metaData``, generic instrument ``details``, state-model ``items``).
        Plain drivers use the realistic ``fallback``; the Hypothesis driver mixes in hypothesis-jsonschema."""
        return fallback(self)

    # steering for ForcingDraw: plain drivers want nothing
    def forced(self, label: str) -> Any:
        return None

    def wants(self, prefix: str) -> bool:
        return False


class RandomDraw(Draw):
    """Choices from a ``random.Random`` (seeded: deterministic across runs and machines)."""

    def __init__(self, rng: random.Random | int | str | None = None):
        self.rng = rng if isinstance(rng, random.Random) else random.Random(rng)

    def int(self, lo: int, hi: int, label: str | None = None) -> int:
        return self.rng.randint(lo, hi)

    def flag(self, label: str | None = None) -> bool:
        return self.rng.random() < 0.5


def as_draw(source: Draw | random.Random | int | str | None) -> Draw:
    """Accept a Draw, a ``random.Random`` or a seed: the pure helpers take whichever the caller has."""
    return source if isinstance(source, Draw) else RandomDraw(source)


class ForcingDraw(Draw):
    """Forces labelled choices, delegating everything else to ``inner``.

    ``constraints`` maps a label to what it must be: a value (or a tuple / frozenset of allowed values) for
    ``choice``; ``True``/``False`` for ``flag``; :data:`MIN`/:data:`MAX` for ``int``/``number``; for
    ``subset``, the values that must be included. ``presence`` forces every optional-field flag (labels
    ending in ``?``) that has no constraint of its own: ``False`` gives the minimal payload, ``True`` the
    fullest. Forcing only ever narrows a builder's own options, so what it builds stays valid.
    """

    quirks = True

    def __init__(self, inner: Draw, constraints: Mapping[str, Any] | None = None, presence: bool | None = None):
        self.inner = inner
        self.constraints = dict(constraints or {})
        self.presence = presence

    def _allowed(self, label: str | None) -> tuple | None:
        if label is None or label not in self.constraints:
            return None
        want = self.constraints[label]
        if isinstance(want, Except):
            return None
        if isinstance(want, (tuple, list, frozenset, set)):
            return tuple(want)
        return (want,)

    def int(self, lo: int, hi: int, label: str | None = None) -> int:
        want = self.constraints.get(label) if label else None
        if want == MIN:
            return lo
        if want == MAX or (want is None and self.presence is True and label is not None and label.endswith("#count")):
            return hi
        if isinstance(want, int) and not isinstance(want, bool) and lo <= want <= hi:
            return want
        return self.inner.int(lo, hi)

    def choice(self, options: Sequence[T], label: str | None = None, quirks: Sequence[T] = ()) -> T:
        want = self.constraints.get(label) if label else None
        if isinstance(want, Except):
            hits = [o for o in options if o not in want]
            return self.inner.choice(hits or list(options))
        allowed = self._allowed(label)
        if allowed is not None:
            hits = [o for o in options if o in allowed] or [o for o in quirks if o in allowed]
            if hits:
                return hits[0] if len(hits) == 1 else self.inner.choice(hits)
        return self.inner.choice(options)

    def flag(self, label: str | None = None) -> bool:
        if label is not None and label in self.constraints:
            return bool(self.constraints[label])
        if self.presence is not None and label is not None and label.endswith("?"):
            return self.presence
        return self.inner.flag()

    def subset(self, options: Sequence[T], label: str | None = None, min_size: int = 0) -> list[T]:
        must = self._allowed(label) or ()
        if self.presence is not None and not must:
            return list(options) if self.presence else list(options[:min_size])
        picked = self.inner.subset(options, None, min_size)
        return [o for o in options if o in picked or o in must]

    def number(self, label: str | None, lo: int, hi: int, typical: Callable[[Draw], int]) -> int:
        want = self.constraints.get(label) if label else None
        if want == MIN:
            return lo
        if want == MAX:
            return hi
        return max(lo, min(hi, typical(self)))

    def freeform(self, kind: str, fallback: Callable[[Draw], Any]) -> Any:
        return fallback(self)

    def forced(self, label: str) -> Any:
        return self.constraints.get(label)

    def wants(self, prefix: str) -> bool:
        return any(k.startswith(prefix) and v not in (False, None) for k, v in self.constraints.items())


class Relabel(Draw):
    """The same draws under other labels: a builder written for ``$.paymentOrder…`` serving ``$.paymentorder…``."""

    def __init__(self, inner: Draw, old: str, new: str):
        self.inner, self.old, self.new = inner, old, new
        self.quirks = inner.quirks

    def _l(self, label: str | None) -> str | None:
        if label is not None and label.startswith(self.old):
            return self.new + label[len(self.old):]
        return label

    def int(self, lo: int, hi: int, label: str | None = None) -> int:
        return self.inner.int(lo, hi, self._l(label))

    def choice(self, options: Sequence[T], label: str | None = None, quirks: Sequence[T] = ()) -> T:
        return self.inner.choice(options, self._l(label), quirks)

    def flag(self, label: str | None = None) -> bool:
        return self.inner.flag(self._l(label))

    def subset(self, options: Sequence[T], label: str | None = None, min_size: int = 0) -> list[T]:
        return self.inner.subset(options, self._l(label), min_size)

    def number(self, label: str | None, lo: int, hi: int, typical: Callable[[Draw], int]) -> int:
        return self.inner.number(self._l(label), lo, hi, typical)

    def freeform(self, kind: str, fallback: Callable[[Draw], Any]) -> Any:
        return self.inner.freeform(kind, fallback)

    def forced(self, label: str) -> Any:
        return self.inner.forced(self._l(label))

    def wants(self, prefix: str) -> bool:
        return self.inner.wants(self._l(prefix))
