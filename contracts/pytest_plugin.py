"""pytest plugin (registered through the ``pytest11`` entry point, so it loads in every pytest run).

Inert unless one of its options is used; nothing beyond pytest and the standard library is imported until then.

* ``pytest --contracts PATH`` (repeatable): every recorded payload under PATH (every format ``validate``
  reads) becomes a test item named after its source and record (``fixtures/day1.jsonl::17``,
  ``examples/x.json``), judged by ``contracts.check``; ``--contracts-strict`` makes drift an error,
  ``--contracts-no-rules`` skips the cross-field rules. Warnings are listed in a summary section.
* ``pytest --contracts-live paiwise=URL --contracts-live swedbankpay=URL`` runs the lifecycle scenarios of
  :mod:`contracts.live` against those APIs (API keys from ``CHECKOUT_CONTRACTS_PAIWISE_TOKEN`` /
  ``CHECKOUT_CONTRACTS_SWEDBANKPAY_TOKEN``); ``--contracts-live default`` starts the bundled fake provider on
  127.0.0.1 for the session and points both providers at it.
* the ``contract`` fixture: ``contract.assert_valid(dict_or_response, schema=None, *, strict=None)``.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Any, Iterator

import pytest

LIVE_PROVIDERS = ("paiwise", "swedbankpay")
TOKEN_ENV = {"paiwise": "CHECKOUT_CONTRACTS_PAIWISE_TOKEN", "swedbankpay": "CHECKOUT_CONTRACTS_SWEDBANKPAY_TOKEN"}
PAYEE_ENV = "CHECKOUT_CONTRACTS_SWEDBANKPAY_PAYEE_ID"
FAKE = "default"
WARNING_KEY = "checkout-contracts-warning"
NOT_CONFIGURED = ("live mode not configured for {provider}: pass --contracts-live {provider}=URL "
                  "(API key in {env}) or --contracts-live default for the bundled fake provider")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("checkout-contracts", "checkout-contracts: payment API response contracts")
    group.addoption("--contracts", action="append", default=[], metavar="PATH",
                    help="validate every recorded response under PATH (file or directory; repeatable), one test "
                         "item per payload")
    group.addoption("--contracts-strict", action="store_true", default=False,
                    help="drift (unknown fields, values outside open enums) fails, instead of being a warning")
    group.addoption("--contracts-no-rules", action="store_true", default=False,
                    help="check the JSON Schemas only, not the cross-field rules")
    group.addoption("--contracts-live", action="append", default=[], metavar="PROVIDER=URL|default",
                    help="run the lifecycle scenarios against a live API: paiwise=URL, swedbankpay=URL (API keys "
                         "from CHECKOUT_CONTRACTS_PAIWISE_TOKEN / CHECKOUT_CONTRACTS_SWEDBANKPAY_TOKEN), or "
                         "'default' to start the bundled fake provider for both (repeatable)")


# ---- configuration ---------------------------------------------------------------------------------------
@dataclass
class LiveTarget:
    provider: str
    url: str | None          # None: the bundled fake
    token: Any = None        # contracts.live.client.Secret


@dataclass
class Settings:
    paths: list[str]
    strict: bool
    rules_on: bool
    live: dict[str, LiveTarget | None]  # provider -> target, None when not configured
    live_requested: bool
    fake: Any = None  # the bundled fake's FakeServer, started by the first live item that needs it

    @property
    def active(self) -> bool:
        return bool(self.paths) or self.live_requested


SETTINGS = pytest.StashKey[Settings]()


def _parse_live(values: list[str]) -> dict[str, LiveTarget | None]:
    live: dict[str, LiveTarget | None] = {p: None for p in LIVE_PROVIDERS}
    explicit: set[str] = set()
    for value in values:
        if value.strip() == FAKE:
            for p in LIVE_PROVIDERS:
                if p not in explicit:
                    live[p] = LiveTarget(p, None)
            continue
        provider, sep, url = value.partition("=")
        provider, url = provider.strip(), url.strip()
        if not sep or provider not in LIVE_PROVIDERS:
            raise pytest.UsageError(f"--contracts-live {value!r}: expected paiwise=URL, swedbankpay=URL or default")
        explicit.add(provider)
        if url == "":
            live[provider] = None  # e.g. an empty CI variable: the scenarios are skipped with the reason
        elif url == FAKE:
            live[provider] = LiveTarget(provider, None)
        elif _http_url(url):
            live[provider] = LiveTarget(provider, url.rstrip("/"))
        else:
            raise pytest.UsageError(f"--contracts-live {provider}=…: expected an http:// or https:// URL with a host")
    for target in live.values():
        if target is not None and target.url is not None:
            token = os.environ.get(TOKEN_ENV[target.provider], "").strip()  # a key read from a file ends in \n
            if any(ch in token for ch in "\r\n\x00"):
                raise pytest.UsageError(f"the API key in {TOKEN_ENV[target.provider]} contains a line break or NUL")
            if not token:
                raise pytest.UsageError(f"--contracts-live {target.provider}=URL needs the API key in the environment "
                                        f"variable {TOKEN_ENV[target.provider]} (it is not set)")
            from .live.client import Secret
            target.token = Secret(token)
    return live


def pytest_configure(config: pytest.Config) -> None:
    paths = list(config.getoption("contracts") or [])
    live_values = list(config.getoption("contracts_live") or [])
    settings = Settings(paths, bool(config.getoption("contracts_strict")), not config.getoption("contracts_no_rules"),
                        {p: None for p in LIVE_PROVIDERS}, bool(live_values))
    if live_values:
        settings.live = _parse_live(live_values)
    if paths:
        from .inputs import missing_paths
        missing = missing_paths(paths)
        if missing:
            raise pytest.UsageError(f"--contracts: no such file or directory: {', '.join(missing)}")
    config.stash[SETTINGS] = settings
    config.pluginmanager.register(WarningsSummary(), "checkout-contracts-warnings")


def pytest_unconfigure(config: pytest.Config) -> None:
    settings = config.stash.get(SETTINGS, None)
    if settings is not None and settings.fake is not None:
        settings.fake.stop()
        settings.fake = None


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    settings = config.stash.get(SETTINGS, None)
    if settings is None or not settings.active:
        return None
    mode = "strict" if settings.strict else "drift warns"
    lines = [f"checkout-contracts: {mode}, rules {'on' if settings.rules_on else 'off'}"]
    if settings.live_requested:
        from .redact import public_url
        parts = []
        for p, t in settings.live.items():
            where = "not configured" if t is None else "bundled fake" if t.url is None else public_url(t.url)
            parts.append(f"{p} → {where}")
        lines.append("checkout-contracts live: " + ", ".join(parts))
    return lines


def _http_url(url: str) -> bool:
    from urllib.parse import urlsplit
    try:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https") and bool(parts.hostname)
    except ValueError:
        return False


# ---- collection ------------------------------------------------------------------------------------------
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    settings = config.stash.get(SETTINGS, None)
    if settings is None or not settings.active:
        return
    # tryfirst: the items are added before -k / -m deselection and the other plugins see them
    collector = ContractsCollector.from_parent(session, name="checkout-contracts", nodeid="checkout-contracts")
    items.extend(session.genitems(collector))


class ContractsCollector(pytest.Collector):
    """The recorded payloads of ``--contracts`` and the live scenarios, as items."""

    def collect(self) -> Iterator[pytest.Item]:
        settings = self.config.stash[SETTINGS]
        seen: set[str] = set()
        if settings.paths:
            from .inputs import iter_records
            for record in iter_records(settings.paths):
                shown = _node_path(record.source, str(self.config.rootpath))
                name = shown if record.record is None else f"{shown}::{record.record}"
                if name in seen:
                    continue
                seen.add(name)
                yield RecordItem.from_parent(self, name=name, nodeid=name, record=record,
                                             path=_source_path(record.source, self.path))
        # the live scenarios, when live mode was asked for: a provider left unconfigured gets skipped items that
        # say how to configure it
        if not settings.live_requested:
            return
        from .live import all_scenarios
        for sc in all_scenarios():
            name = f"contracts-live::{sc.provider}::{sc.name}"
            item = LiveItem.from_parent(self, name=name, nodeid=name, scenario=sc, path=_source_of(sc.fn))
            if settings.live.get(sc.provider) is None:
                reason = NOT_CONFIGURED.format(provider=sc.provider, env=TOKEN_ENV[sc.provider])
                item.add_marker(pytest.mark.skip(reason=reason))
            yield item


def _node_path(source: str, root: str) -> str:
    """A source as a node id: relative to the rootdir, as pytest reads node ids (it shows them relative to where
    it runs), so ``--contracts ../recordings/day.jsonl`` is named right whatever the rootdir is."""
    if source == "<stdin>":
        return source
    return os.path.relpath(os.path.abspath(source), root)


def _source_path(source: str, default: Any) -> Any:
    from pathlib import Path
    path = Path(source)
    return path.resolve() if path.exists() else default


class ContractFailure(Exception):
    """An invalid or unreadable payload; ``str()`` is the report, in the ``validate`` CLI's lines."""


class RecordItem(pytest.Item):
    def __init__(self, *, record: Any, **kw: Any) -> None:
        super().__init__(**kw)
        self.record = record

    def runtest(self) -> None:
        """Judged exactly as ``checkout-contracts validate`` judges it: the schema is the route's for a cassette
        or HAR record, the one a file is named after (``…/paiwise/requests/create.json``), else the shape's."""
        settings = self.config.stash[SETTINGS]
        from .bulk import Options, judge
        from .report import VALID
        outcome = judge(self.record, Options(strict=settings.strict, rules=settings.rules_on))
        if outcome is None:
            from .bulk import shown_exchange
            from .redact import scrub
            method, url, status = shown_exchange(self.record.http) or (None, None, None)
            where = " ".join(str(p) for p in (method, url, status and f"→ {status}") if p)
            what = ("a response that is not JSON; its JSON request body is clean" if self.record.data is None else
                    "a response of an endpoint without a schema (schema: null in the route map); no card data in it")
            _skip_here(f"{scrub(self.name)} ({where}): {what}")
        for path, code, message in outcome.warnings:
            self.user_properties.append((WARNING_KEY, f"{path}: [{code}] {message}"))
        if outcome.verdict != VALID:
            raise ContractFailure(_report(outcome))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, ContractFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Any, int | None, str]:
        line = self.record.line - 1 if self.record.line else None
        return self.path, line, self.name


def _report(outcome: Any) -> str:
    """The ``validate`` text report's lines for one payload."""
    import io

    from .report.text import TextReporter
    out = io.StringIO()
    reporter = TextReporter(out, show_warnings=True)
    reporter.begin()
    reporter.add(outcome)
    return out.getvalue().rstrip("\n")


# ---- live scenarios --------------------------------------------------------------------------------------
class LiveItem(pytest.Item):
    def __init__(self, *, scenario: Any, **kw: Any) -> None:
        super().__init__(**kw)
        self.scenario = scenario
        self._token: Any = None

    def runtest(self) -> None:
        settings = self.config.stash[SETTINGS]
        provider = self.scenario.provider
        target = settings.live[provider]
        assert target is not None  # unconfigured scenarios carry a skip marker
        from .live.client import Secret
        from .live.run import Run, ScenarioSkipped, Target
        if target.url is None:
            base, token = _fake_url(settings), Secret("checkout-contracts-fake")
        else:
            base, token = target.url, target.token
        self._token = token
        run = Run(Target(provider, base, token, os.environ.get(PAYEE_ENV) or Target.payee_id),
                  strict=settings.strict, rules_on=settings.rules_on)
        try:
            self.scenario.fn(run)
        except ScenarioSkipped as exc:
            _skip_here(str(exc))
        finally:
            for w in run.warnings:
                self.user_properties.append((WARNING_KEY, self._mask(w)))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        from .live.run import ScenarioFailure
        from .redact import scrub
        exc = excinfo.value
        if isinstance(exc, ScenarioFailure):
            text = str(exc)
        else:  # a crash inside the scenario: one line, never a traceback that could show request details
            text = f"scenario {self.scenario.name} crashed: {type(exc).__name__}: {exc}"
        return self._mask(scrub(text))

    def _mask(self, text: Any) -> Any:
        """The API key never appears, raw or escaped, in anything this item reports."""
        secret = self._token.reveal() if self._token else ""
        if not secret or not isinstance(text, str):
            return text
        for form in (secret, repr(secret)[1:-1], secret.encode().hex()):
            text = text.replace(form, "***")
        return text

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, self.scenario.fn.__code__.co_firstlineno - 1, self.name


def _source_of(fn: Any) -> Any:
    import inspect
    from pathlib import Path
    return Path(inspect.getsourcefile(fn) or fn.__code__.co_filename)


def _skip_here(reason: str) -> None:
    """Skip, reported at the item's location (like a skip marker), not at this line of the plugin."""
    try:
        exc = pytest.skip.Exception(reason, _use_item_location=True)
    except TypeError:  # a pytest without the private flag
        pytest.skip(reason)
    raise exc


def _fake_url(settings: Settings) -> str:
    if settings.fake is None:
        from .fake.server import FakeServer
        settings.fake = FakeServer(host="127.0.0.1", port=0).start()
    return settings.fake.url


# ---- warnings summary ------------------------------------------------------------------------------------
_DRIFT_CODE = re.compile(r": \[(unknown-field|enum)\] ")
class WarningsSummary:
    """Collects the warnings the items and the ``contract`` fixture record, and lists them at the end."""

    def __init__(self) -> None:
        self.items: list[tuple[str, list[str]]] = []

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" and report.passed:  # a failure's message lists its warnings already
            lines = [v for k, v in report.user_properties if k == WARNING_KEY]
            if lines:
                self.items.append((report.nodeid, lines))

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if not self.items:
            return
        tr = terminalreporter
        count = sum(len(lines) for _, lines in self.items)
        # drift (unknown fields, values outside open enums) fails with --contracts-strict; rule and HTTP-header
        # warnings stay warnings (an inference from examples is never an error)
        drift = sum(1 for _, lines in self.items for line in lines if _DRIFT_CODE.search(line))
        if drift and not tr.config.getoption("contracts_strict", False):
            hint = f"{drift} of them drift, which --contracts-strict makes fail"
        else:
            hint = "rule and header warnings: they stay warnings with --contracts-strict"
        tr.write_sep("=", f"checkout-contracts warnings: {count} ({hint})", yellow=True)
        for nodeid, lines in self.items:
            tr.write_line(nodeid)
            for line in lines:
                tr.write_line(f"    warning: {line}")


# ---- the contract fixture --------------------------------------------------------------------------------
class Contract:
    """``contract.assert_valid(payload_or_response, schema=None, *, strict=None) -> Result``.

    A ``dict`` (or list) is checked as a payload; a ``requests.Response``, ``httpx.Response`` or Werkzeug /
    Flask test response is checked with its HTTP status and headers too, its schema picked from the request
    (method + URL) when ``schema`` is not given. Raises ``AssertionError`` listing every finding (redacted).
    """

    def __init__(self, strict: bool, rules_on: bool, node: Any = None) -> None:
        self.strict = strict
        self.rules_on = rules_on
        self._node = node

    def check(self, obj: Any, schema: str | None = None, *, strict: bool | None = None) -> Any:
        """The :class:`contracts.Result` for ``obj``, without asserting."""
        from .pipeline import check
        from .live.responses import unpack
        got = unpack(obj)
        if got.problem is not None:
            raise AssertionError(got.problem)
        if schema is None and got.http is not None:
            from .routes import route_for
            route = route_for(got.http)
            if route is not None and not route.schemas:
                from .live.responses import label
                raise AssertionError(f"no schema for this endpoint ({label(obj) or 'route map: schema null'}); "
                                     "pass schema=NAME to check it against one")
            schema = route.choose(got.data) if route is not None else None
        return check(got.data, schema, strict=self.strict if strict is None else strict, rules_on=self.rules_on,
                     http=got.http, raw=got.raw, duplicate_keys=got.duplicate_keys)

    def assert_valid(self, obj: Any, schema: str | None = None, *, strict: bool | None = None) -> Any:
        __tracebackhide__ = True
        result = self.check(obj, schema, strict=strict)
        if self._node is not None:
            for f in result.warnings:
                self._node.user_properties.append((WARNING_KEY, f"{f.path}: [{f.code}] {f.message}"))
        if not result.valid:
            raise AssertionError(_explain(result, obj))
        return result


def _explain(result: Any, obj: Any) -> str:
    from .live.responses import label as http_label
    errors, warnings = result.errors, result.warnings
    head = f"payload does not match {result.schema or 'any known response shape'}: {len(errors)} error" + \
           ("s" if len(errors) != 1 else "") + (f", {len(warnings)} warning{'s' if len(warnings) != 1 else ''}"
                                                if warnings else "")
    lines = [head]
    label = http_label(obj)
    if label:
        lines.append(f"  {label}")
    lines += [f"    error: {f.path}: [{f.code}] {f.message}" for f in errors]
    lines += [f"    warning: {f.path}: [{f.code}] {f.message}" for f in warnings]
    from .redact import printable, scrub
    return "\n".join(printable(scrub(line)) for line in lines)  # no payload value draws on the terminal


@pytest.fixture
def contract(request: pytest.FixtureRequest) -> Contract:
    """Assert that a payload or an HTTP response matches its contract: ``contract.assert_valid(resp)``."""
    config = request.config
    return Contract(bool(config.getoption("contracts_strict")), not config.getoption("contracts_no_rules"),
                    request.node)
