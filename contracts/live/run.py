"""One scenario run: the steps taken so far, and the checks every step goes through.

A scenario calls the provider through :class:`Run`; each answer is judged at once (``ok`` for a documented
response, ``problem`` / ``error_object`` for a refused operation, ``transition`` for the status change), and
the first thing wrong stops the scenario with a :class:`ScenarioFailure` whose message lists the steps done,
the step that failed and why (the same finding lines as ``validate``). Messages are redacted and never hold
the API key.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, NoReturn

from .client import Client, Exchange, Secret, TransportError


class ScenarioFailure(AssertionError):
    """A step went wrong; ``str()`` is the whole readable report."""


class ScenarioSkipped(Exception):
    """The target cannot do a step (e.g. no payer test endpoint on a real provider)."""


@dataclass
class Target:
    provider: str
    base_url: str
    token: Secret | None
    payee_id: str = "5cabf558-5283-482f-b252-4d58e06f6f3b"


@dataclass
class Run:
    target: Target
    strict: bool = False
    rules_on: bool = True
    steps: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    responses: int = 0

    def __post_init__(self) -> None:
        self.client = Client(self.target.base_url, self.target.token)

    # ---- calling -------------------------------------------------------------------------------------
    def call(self, step: str, method: str, path: str, body: Any = None, *, auth: bool = True) -> Exchange:
        try:
            ex = self.client.call(method, path, body, auth=auth)
        except TransportError as exc:
            self.fail(step, str(exc))
        self.responses += 1
        self._current = (step, ex)
        return ex

    # ---- judging -------------------------------------------------------------------------------------
    def ok(self, step: str, ex: Exchange, schema: str, status: tuple[int, ...] = (200,)) -> dict:
        """A documented success: the status, JSON, and ``check`` (schema, rules, HTTP headers) with no error."""
        if ex.status not in status:
            self.fail(step, f"expected HTTP {' or '.join(map(str, status))}, got {ex.status}", ex, body=True)
        self._judge(step, ex, schema)
        self.steps.append(f"{step}: {ex.status} {schema}")
        return ex.data

    def problem(self, step: str, ex: Exchange, status: tuple[int, ...] = (400, 403, 409)) -> dict:
        """A refused Swedbank Pay operation: a 4xx with an RFC 7807 problem body."""
        if ex.status not in status:
            self.fail(step, f"expected a problem with HTTP {' or '.join(map(str, status))}, got {ex.status}", ex, body=True)
        ctype = ex.headers.get("content-type", "")
        if not ctype.startswith(("application/problem+json", "application/json")):
            self.fail(step, f"a problem must be JSON (application/problem+json), got Content-Type {ctype!r}", ex)
        self._judge(step, ex, "swedbankpay/checkout-v2/problem")
        self.steps.append(f"{step}: refused with {ex.status} {ex.data.get('type', '')}")
        return ex.data

    def error_object(self, step: str, ex: Exchange, status: tuple[int, ...] = ()) -> dict:
        """A refused Paiwise operation: the docs define no error body, so a 4xx and a JSON object."""
        if not 400 <= ex.status <= 499 or (status and ex.status not in status):
            want = " or ".join(map(str, status)) if status else "4xx"
            self.fail(step, f"expected HTTP {want} for a refused operation, got {ex.status}", ex, body=True)
        if not isinstance(ex.data, dict):
            self.fail(step, f"a refused operation must answer with a JSON object: {ex.parse_error or 'not an object'}", ex)
        self.steps.append(f"{step}: refused with {ex.status}")
        return ex.data

    def expect(self, step: str, condition: bool, message: str) -> None:
        if not condition:
            self.fail(step, message, getattr(self, "_current", (None, None))[1])

    def transition(self, step: str, allowed: Callable[[str, str, str], bool], before: str, event: str, after: str) -> None:
        if not allowed(before, event, after):
            self.fail(step, f"transition {before} --{event}--> {after} is not in the state machine")

    def skip(self, reason: str) -> NoReturn:
        raise ScenarioSkipped(reason)

    def _judge(self, step: str, ex: Exchange, schema: str) -> None:
        from ..pipeline import check
        if ex.parse_error is not None:
            self.fail(step, ex.parse_error, ex)
        result = check(ex.data, schema, strict=self.strict, rules_on=self.rules_on, http=ex.http(),
                       raw=ex.raw, duplicate_keys=ex.duplicate_keys)
        for f in result.warnings:
            self.warnings.append(f"{step}: {f.path}: [{f.code}] {f.message}")
        if not result.valid:
            lines = [f"{result.verdict} {result.schema}"]
            lines += [f"    {f.severity}: {f.path}: [{f.code}] {f.message}" for f in result.findings]
            self.fail(step, "\n".join(lines), ex)

    def fail(self, step: str, why: str, ex: Exchange | None = None, *, body: bool = False) -> NoReturn:
        from ..redact import scrub
        lines = [f"scenario failed at step '{step}'"]
        if ex is not None:
            lines.append(f"  {_safe_label(ex)}")
        lines += [f"  {line}" for line in why.splitlines()]
        if body and ex is not None:
            lines.append(f"  body: {_excerpt(ex)}")
        if self.steps:
            lines.append("steps before:")
            lines += [f"  ok  {s}" for s in self.steps]
        text = scrub("\n".join(lines))
        token = self.target.token.reveal() if self.target.token else ""
        if token:
            text = text.replace(token, "***")
        raise ScenarioFailure(text)


def _safe_label(ex: Exchange) -> str:
    from ..redact import public_url
    return f"{ex.method} {public_url(ex.url)} → {ex.status}"


_SAFE_FIELDS = ("status", "type", "title", "name", "message", "detail", "code")


def _excerpt(ex: Exchange, limit: int = 200) -> str:
    """What the body says, without payment data: an error's message fields, else the top-level keys."""
    if isinstance(ex.data, dict):
        said = {k: ex.data[k] for k in _SAFE_FIELDS if isinstance(ex.data.get(k), (str, int))}
        if said:
            return ", ".join(f"{k}={(v[:limit] if isinstance(v, str) else v)!r}" for k, v in said.items())
        return "JSON object with keys " + ", ".join(sorted(map(str, ex.data))[:20])
    if ex.data is not None:
        return f"JSON {type(ex.data).__name__}"
    # not JSON (an HTML error page, a truncated body): its text may hold anything (a token, a cut-off card number
    # scrub cannot see), so only what kind of body it was
    kind = (ex.headers.get("content-type") or "no content type").split(";")[0].strip()
    return f"{len(ex.raw):,} bytes of {kind}, not JSON" + (f" ({ex.parse_error.split(':')[0]})" if ex.parse_error else "")
