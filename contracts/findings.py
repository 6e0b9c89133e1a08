"""What ``check`` returns: findings and the verdict."""
from __future__ import annotations

from typing import Any, NamedTuple

from . import paths

ERROR = "error"
WARNING = "warning"


class Finding(NamedTuple):
    """One thing wrong (or drifting) in a payload.

    ``code`` is the JSON Schema keyword (``enum``, ``required``, …), ``unknown-field``, a rule id,
    ``unmasked-pan``, ``duplicate-key`` or ``unknown-shape``. ``drift`` marks what the docs do not name
    (unknown fields, values outside an open enum): warnings by default, errors when strict.
    ``message`` never holds a full card number, token or e-mail from the payload.
    """

    path: str
    code: str
    severity: str
    message: str
    drift: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "code": self.code, "message": self.message}

    def __str__(self) -> str:
        return f"{self.path}: [{self.code}] {self.message}"


class Result(NamedTuple):
    """The verdict on one payload: its schema and its findings (ordered by path, no repeats)."""

    schema: str | None
    findings: tuple[Finding, ...] = ()

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == WARNING]

    @property
    def drift(self) -> list[Finding]:
        return [f for f in self.findings if f.drift]

    @property
    def valid(self) -> bool:
        return not any(f.severity == ERROR for f in self.findings)

    @property
    def verdict(self) -> str:
        return "valid" if self.valid else "invalid"

    def explain(self) -> str:
        """Every finding on its own line, errors first: for assertion messages and logs."""
        head = f"{self.verdict} ({self.schema or 'no schema'})"
        ordered = sorted(self.findings, key=lambda f: (f.severity != ERROR,))
        return "\n".join([head, *(f"  {f.severity}: {f}" for f in ordered)])


def finalize(schema: str | None, findings: list[Finding]) -> Result:
    """Order findings by path (then code) and drop exact repeats."""
    if len(findings) < 2:
        return Result(schema, tuple(findings))
    seen: set[tuple[str, str, str]] = set()
    unique: list[Finding] = []
    for f in sorted(findings, key=lambda f: (paths.sort_key(f.path), f.code, f.message)):
        key = (f.path, f.code, f.message)
        if key not in seen:
            seen.add(key)
            unique.append(f)
    return Result(schema, tuple(unique))
