"""pytest plugin (registered through the ``pytest11`` entry point, so it loads in every pytest run).

Inert unless one of its options is used: nothing beyond pytest and the standard library is imported until then,
and it never fails a run it was not asked to take part in.

* ``pytest --contracts PATH`` (repeatable; or ``contracts_paths`` in the ini file): every recorded payload under
  PATH (every format ``validate`` reads) becomes a test item, collected by pytest like a test file: a JSON Lines
  record, HAR entry or YAML document is ``day1.jsonl::17``, a one-payload file is the file itself
  (``examples/x.json``). Re-run one by the node id pytest printed (``pytest --contracts rec rec/day.jsonl::17``);
  naming tests runs only those. ``--contracts-items=file`` makes one item per source file instead (for very large
  recordings: pytest's cost is per item). ``--contracts-strict`` makes drift an error, ``--contracts-no-rules``
  skips the cross-field rules; ``--contracts-route FILE``, ``--contracts-strict-routes`` and
  ``[tool.checkout-contracts]`` in pyproject.toml route a cassette's other traffic. Warnings are listed in a
  summary section.
* ``pytest --contracts-live paiwise=URL --contracts-live swedbankpay=URL`` runs the lifecycle scenarios of
  :mod:`checkout_contracts.live` against those APIs (API keys from ``CHECKOUT_CONTRACTS_PAIWISE_TOKEN`` /
  ``CHECKOUT_CONTRACTS_SWEDBANKPAY_TOKEN``); ``--contracts-live default`` starts the bundled fake provider on
  127.0.0.1 for the session and points both providers at it.
* the ``contract`` fixture: ``contract.assert_valid(dict_or_response, schema=None, *, strict=None)``.

Settings, strongest first: the command line, the ini options (``[tool.pytest.ini_options]``: ``contracts_paths``,
``contracts_strict``, ``contracts_rules``, ``contracts_items``, ``contracts_routes``, ``contracts_strict_routes``,
``contracts_ignore_hosts``), ``[tool.checkout-contracts]`` (see :mod:`checkout_contracts.config`).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any, Iterator, NoReturn

import pytest

LIVE_PROVIDERS = ("paiwise", "swedbankpay")
TOKEN_ENV = {"paiwise": "CHECKOUT_CONTRACTS_PAIWISE_TOKEN", "swedbankpay": "CHECKOUT_CONTRACTS_SWEDBANKPAY_TOKEN"}
PAYEE_ENV = "CHECKOUT_CONTRACTS_SWEDBANKPAY_PAYEE_ID"
FAKE = "default"
WARNING_KEY = "checkout-contracts-warning"
NOT_CONFIGURED = ("live mode not configured for {provider}: pass --contracts-live {provider}=URL "
                  "(API key in {env}) or --contracts-live default for the bundled fake provider")
ITEMS = ("record", "file")
MAX_LISTED = 20  # failing records listed in a file item's report (the rest are counted)
MARKERS = ("contracts: a recorded payload checked by checkout-contracts (pytest --contracts PATH)",
           "contracts_live: a checkout-contracts lifecycle scenario against a live API (pytest --contracts-live)")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("checkout-contracts", "checkout-contracts: payment API response contracts")
    group.addoption("--contracts", action="append", default=[], metavar="PATH",
                    help="validate every recorded response under PATH (file or directory; repeatable), one test "
                         "item per payload")
    group.addoption("--contracts-strict", action="store_true", default=None,
                    help="drift (unknown fields, values outside open enums) fails, instead of being a warning")
    group.addoption("--contracts-no-rules", action="store_true", default=None,
                    help="check the JSON Schemas only, not the cross-field rules")
    group.addoption("--contracts-items", choices=ITEMS, default=None,
                    help="one test item per recorded payload (record, the default) or per source file (file: "
                         "for very large recordings)")
    group.addoption("--contracts-route", action="append", default=[], metavar="FILE",
                    help="a routes file (routes.yaml format) tried before ours for cassettes and HARs (repeatable)")
    group.addoption("--contracts-strict-routes", action="store_true", default=None,
                    help="a recorded exchange no route matches is judged by its shape (an unknown shape fails), "
                         "instead of being skipped")
    group.addoption("--contracts-live", action="append", default=[], metavar="PROVIDER=URL|default",
                    help="run the lifecycle scenarios against a live API: paiwise=URL, swedbankpay=URL (API keys "
                         "from CHECKOUT_CONTRACTS_PAIWISE_TOKEN / CHECKOUT_CONTRACTS_SWEDBANKPAY_TOKEN), or "
                         "'default' to start the bundled fake provider for both (repeatable)")
    parser.addini("contracts_paths", type="paths", default=[],
                  help="checkout-contracts: recorded payloads to check (like --contracts), relative to this file")
    parser.addini("contracts_strict", type="bool", default=None, help="checkout-contracts: drift fails")
    parser.addini("contracts_rules", type="bool", default=None,
                  help="checkout-contracts: check the cross-field rules (default true)")
    parser.addini("contracts_items", type="string", default=None,
                  help="checkout-contracts: one item per 'record' (default) or per source 'file'")
    parser.addini("contracts_routes", type="paths", default=[],
                  help="checkout-contracts: routes files tried before ours, relative to this file")
    parser.addini("contracts_strict_routes", type="bool", default=None,
                  help="checkout-contracts: a recorded exchange no route matches is judged by its shape")
    parser.addini("contracts_ignore_hosts", type="linelist", default=[],
                  help="checkout-contracts: hosts whose recorded exchanges are skipped")


# ---- configuration ---------------------------------------------------------------------------------------
@dataclass
class LiveTarget:
    provider: str
    url: str | None          # None: the bundled fake
    token: Any = None        # checkout_contracts.live.client.Secret


@dataclass
class Settings:
    paths: list[str]
    strict: bool
    rules_on: bool
    live: dict[str, LiveTarget | None]  # provider -> target, None when not configured
    live_requested: bool
    fake: Any = None  # the bundled fake's FakeServer, started by the first live item that needs it
    items: str = "record"
    max_depth: int = 256
    roots: tuple[str, ...] = ()  # the --contracts paths, absolute
    routed: bool = False          # routes.configure() was called (undone at the end)
    add_live: bool = True         # no tests were named: the live scenarios join the run
    collected: set[str] = field(default_factory=set)  # files already collected (an overlap of two arguments)

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


def _ini(config: pytest.Config, name: str) -> Any:
    """An ini value, or None when the file does not set it (pytest 8 gives [] for an absent bool, 9 the default)."""
    value = config.getini(name)
    return None if value in (None, [], "") else value


def _first(*values: Any) -> Any:
    return next((v for v in values if v is not None), None)


def _addopts_values(config: pytest.Config) -> set[str]:
    """The ``--contracts`` values written in the ini file's ``addopts`` (they are relative to the rootdir)."""
    import shlex
    try:
        words = shlex.split(" ".join(config.getini("addopts"))) if isinstance(config.getini("addopts"), list) \
            else shlex.split(str(config.getini("addopts")))
    except ValueError:
        return set()
    out = set()
    for i, word in enumerate(words):
        if word == "--contracts" and i + 1 < len(words):
            out.add(words[i + 1])
        elif word.startswith("--contracts="):
            out.add(word.split("=", 1)[1])
    return out


def _resolve(values: list[str], config: pytest.Config) -> list[str]:
    """Absolute paths: a value from ``addopts`` against the rootdir, one typed on the command line against the
    current folder (and the rootdir when it is not there)."""
    from_ini = _addopts_values(config)
    here, root = str(config.invocation_params.dir), str(config.rootpath)
    out = []
    for value in values:
        bases = (root, here) if value in from_ini else (here, root)
        candidates = [value] if os.path.isabs(value) else [os.path.join(b, value) for b in bases]
        found = next((c for c in candidates if os.path.exists(c)), None)
        if found is None:
            raise pytest.UsageError(f"--contracts: no such file or directory: {value}")
        out.append(os.path.normpath(found))
    return out


def pytest_configure(config: pytest.Config) -> None:
    for line in MARKERS:
        config.addinivalue_line("markers", line)
    config.pluginmanager.register(WarningsSummary(), "checkout-contracts-warnings")  # the fixture's warnings too
    cli_paths = list(config.getoption("contracts") or [])
    ini_paths = [str(p) for p in (_ini(config, "contracts_paths") or [])]
    live_values = list(config.getoption("contracts_live") or [])
    if not cli_paths and not ini_paths and not live_values:
        return  # not asked: no settings, nothing read, nothing imported
    settings = _settings(config, cli_paths, ini_paths, live_values)
    config.stash[SETTINGS] = settings


def _settings(config: pytest.Config, cli_paths: list[str], ini_paths: list[str], live_values: list[str]) -> Settings:
    from . import config as project_config
    try:
        table = project_config.load(start=config.rootpath)
    except project_config.ConfigError as exc:
        raise pytest.UsageError(str(exc)) from None
    strict = bool(_first(config.getoption("contracts_strict"), _ini(config, "contracts_strict"), table.strict))
    rules = not config.getoption("contracts_no_rules") and bool(_first(_ini(config, "contracts_rules"), table.rules))
    items = _first(config.getoption("contracts_items"), _ini(config, "contracts_items"), "record")
    if items not in ITEMS:
        raise pytest.UsageError(f"contracts_items = {items!r}: expected one of {', '.join(ITEMS)}")
    roots = _resolve(cli_paths, config) + [os.path.normpath(p) for p in ini_paths]
    missing = [p for p in roots if not os.path.exists(p)]
    if missing:
        raise pytest.UsageError(f"--contracts: no such file or directory: {', '.join(missing)}")
    settings = Settings(roots, strict, rules, {p: None for p in LIVE_PROVIDERS}, bool(live_values), items=items,
                        max_depth=table.max_depth, roots=tuple(roots))
    if live_values:
        settings.live = _parse_live(live_values)
    routes = [*(str(p) for p in _ini(config, "contracts_routes") or []), *config.getoption("contracts_route")]
    strict_routes = bool(_first(config.getoption("contracts_strict_routes"), _ini(config, "contracts_strict_routes")))
    hosts = list(_ini(config, "contracts_ignore_hosts") or [])
    if routes or strict_routes or hosts or table.routes or table.strict_routes or table.ignore_hosts:
        try:
            project_config.apply_routing(table, routes, strict_routes=strict_routes, ignore_hosts=hosts)
        except project_config.ConfigError as exc:
            raise pytest.UsageError(str(exc)) from None
        settings.routed = True
    # naming tests on the command line selects them: the recordings join the collection only when none were named
    named = config.args_source == pytest.Config.ArgsSource.ARGS
    settings.add_live = not named
    if roots and not named:  # a root inside an argument is reached from it (see pytest_ignore_collect)
        args = [os.path.abspath(str(a).split("::", 1)[0]) for a in config.args]
        config.args.extend(root for root in roots if not any(_inside(root, a) for a in args))
    return settings


def _inside(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def pytest_unconfigure(config: pytest.Config) -> None:
    settings = config.stash.get(SETTINGS, None)
    if settings is None:
        return
    if settings.fake is not None:
        settings.fake.stop()
        settings.fake = None
    if settings.routed:
        from . import routes
        routes.configure()


def pytest_report_header(config: pytest.Config) -> list[str] | None:
    settings = config.stash.get(SETTINGS, None)
    if settings is None or not settings.active:
        return None
    mode = "strict" if settings.strict else "drift warns"
    from .fastpath import status
    lines = [f"checkout-contracts: {mode}, rules {'on' if settings.rules_on else 'off'}, one item per "
             f"{settings.items}; {status()}"]
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


# ---- collection: recorded payloads, as pytest collects test files -------------------------------------------
@pytest.hookimpl(tryfirst=True)
def pytest_ignore_collect(collection_path: Any, config: pytest.Config) -> bool | None:
    """The folders on the way to a ``--contracts`` folder, and those in it, are walked even where pytest's
    ``norecursedirs`` would pass them over (``build/``, ``venv/``): the payloads there were asked for."""
    settings = config.stash.get(SETTINGS, None)
    if settings is None or not settings.roots:
        return None
    path = str(collection_path)
    from fnmatch import fnmatch
    if any(_inside(path, os.path.abspath(p)) for p in config.getoption("ignore", None) or []) or \
            any(fnmatch(path, os.path.abspath(g)) for g in config.getoption("ignore_glob", None) or []):
        return None  # --ignore / --ignore-glob: pytest's own decision stands
    for root in settings.roots:
        if _inside(root, path):  # the root or a folder on the way to it
            return False
        if _inside(path, root):  # in a root: its folders are walked as ``validate`` walks them (hidden ones not)
            hidden = any(part.startswith(".") for part in os.path.relpath(path, root).split(os.sep))
            return None if hidden or not os.path.isdir(path) else False
    # off the way to a root, inside a folder pytest passes over (walked only for the root in it): passed over
    return True if _passed_over(os.path.dirname(path), config) else None


def _passed_over(folder: str, config: pytest.Config) -> bool:
    """Whether a folder of the rootdir lies in one that ``norecursedirs`` names."""
    from fnmatch import fnmatch
    rel = os.path.relpath(folder, config.rootpath)
    if rel == "." or rel.startswith(".."):
        return False
    patterns = config.getini("norecursedirs")
    return any(fnmatch(part, pattern) for part in rel.split(os.sep) for pattern in patterns)


def pytest_collect_file(file_path: Any, parent: pytest.Collector) -> pytest.Collector | None:
    settings = parent.config.stash.get(SETTINGS, None)
    if settings is None or not settings.roots:
        return None
    path = str(file_path)
    if path in settings.collected:
        return None
    for root in settings.roots:
        if path == root or (_inside(path, root) and _wanted(path, root)):
            settings.collected.add(path)
            rootdir = str(parent.config.rootpath)
            if _inside(path, rootdir):
                return RecordFile.from_parent(parent, path=file_path)
            # outside the rootdir pytest would name it "": relative to the rootdir, as pytest shows node ids
            return RecordFile.from_parent(parent, path=file_path, nodeid=os.path.relpath(path, rootdir))
    return None


def _wanted(path: str, root: str) -> bool:
    """A file inside a ``--contracts`` folder: what ``validate`` reads from a folder (known suffixes, no hidden
    entries, no generate manifest)."""
    from .inputs.paths import is_generate_manifest, is_known
    rel = os.path.relpath(path, root)
    if any(part.startswith(".") for part in rel.split(os.sep)):
        return False
    return is_known(os.path.basename(path)) and not is_generate_manifest(path)


class RecordFile(pytest.File):
    """One recording. Its items keep only their number: a payload is read again when its item runs (in order, one
    pass over the file), so memory stays flat whatever the recording's size."""

    def _source(self) -> str:
        """The file as the ``validate`` command names it when run from here."""
        try:
            return os.path.relpath(self.path, self.config.invocation_params.dir)
        except ValueError:  # another drive
            return str(self.path)

    def _records(self) -> Iterator[Any]:
        from .inputs import read_file
        settings = self.config.stash[SETTINGS]
        return read_file(self._source(), max_depth=settings.max_depth)

    def collect(self) -> Iterator[pytest.Item]:
        settings = self.config.stash[SETTINGS]
        if settings.items == "file":
            yield FileItem.from_parent(self, name=self.name, nodeid=self.nodeid)
            return
        seen: set[str] = set()
        single = None
        for index, record in enumerate(self._records()):
            if record.record is None:  # a one-payload file: the item is the file
                single = single or (index, record.line)
                continue
            name = str(record.record)
            if name in seen:
                continue
            seen.add(name)
            item = RecordItem.from_parent(self, name=name, index=index, line=record.line)
            yield item
        if single is not None and not seen:
            yield RecordItem.from_parent(self, name=self.name, nodeid=self.nodeid, index=single[0], line=single[1])

    # the records, read once in order for the items that run (a jump back starts again from the top)
    _cursor: Any = None
    _position = 0

    def record(self, index: int) -> Any:
        if self._cursor is None or index < self._position:
            self._cursor, self._position = self._records(), 0
        for record in self._cursor:
            self._position += 1
            if self._position - 1 == index:
                return record
        raise LookupError(f"{self._source()}: record {index + 1} is no longer there (the file changed)")

    def teardown(self) -> None:
        self._cursor = None


class ContractFailure(Exception):
    """An invalid or unreadable payload; ``str()`` is the report, in the ``validate`` CLI's lines."""


def _options(settings: Settings) -> Any:
    from .bulk import Options
    return Options(strict=settings.strict, rules=settings.rules_on, max_depth=settings.max_depth)


class RecordItem(pytest.Item):
    def __init__(self, *, index: int, line: int | None, **kw: Any) -> None:
        super().__init__(**kw)
        self.index = index
        self.line = line
        self.add_marker("contracts")

    def runtest(self) -> None:
        """Judged exactly as ``checkout-contracts validate`` judges it: the schema is the route's for a cassette
        or HAR record, the one a file is named after (``…/paiwise/requests/create.json``), else the shape's."""
        settings = self.config.stash[SETTINGS]
        from .bulk import judge
        from .report import VALID
        parent = self.parent
        assert isinstance(parent, RecordFile)
        record = parent.record(self.index)
        outcome = judge(record, _options(settings))
        if outcome is None:
            _skip_here(_skip_reason(self.nodeid, record))
        for path, code, message in outcome.warnings:
            self.user_properties.append((WARNING_KEY, f"{path}: [{code}] {message}"))
        if outcome.verdict != VALID:
            raise ContractFailure(_report([outcome]))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, ContractFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, (self.line - 1 if self.line else None), self.name


def _skip_reason(name: str, record: Any) -> str:
    from .bulk import shown_exchange
    from .redact import scrub
    method, url, status = shown_exchange(record.http) or (None, None, None)
    where = " ".join(str(p) for p in (method, url, status and f"→ {status}") if p)
    what = ("a response that is not JSON; its JSON request body is clean" if record.data is None else
            "a response of an endpoint without a schema, or of no provider route; no card data in it")
    return f"{scrub(name)} ({where}): {what}"


class FileItem(pytest.Item):
    """``--contracts-items=file``: every payload of one recording in one item; it fails listing the payloads that
    fail (the first :data:`MAX_LISTED`, the rest counted)."""

    def __init__(self, **kw: Any) -> None:
        super().__init__(**kw)
        self.add_marker("contracts")

    def runtest(self) -> None:
        settings = self.config.stash[SETTINGS]
        from .bulk import judge
        from .report import VALID
        parent = self.parent
        assert isinstance(parent, RecordFile)
        options = _options(settings)
        bad: list[Any] = []
        failed = judged = 0
        for record in parent._records():
            outcome = judge(record, options)
            if outcome is None:
                continue
            judged += 1
            for path, code, message in outcome.warnings:
                self.user_properties.append((WARNING_KEY, f"{outcome.record or ''}: {path}: [{code}] {message}"))
            if outcome.verdict != VALID:
                failed += 1
                if len(bad) < MAX_LISTED:
                    bad.append(outcome)
        if failed:
            more = f"\n… and {failed - len(bad)} more" if failed > len(bad) else ""
            raise ContractFailure(f"{failed} of {judged} payloads fail\n" + _report(bad) + more)
        if not judged:
            _skip_here(f"{self.nodeid}: no payload judged (every response without a schema or not JSON)")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> Any:
        if isinstance(excinfo.value, ContractFailure):
            return str(excinfo.value)
        return super().repr_failure(excinfo)

    def reportinfo(self) -> tuple[Any, int | None, str]:
        return self.path, None, self.name


def _report(outcomes: list[Any]) -> str:
    """The ``validate`` text report's lines for these payloads."""
    import io

    from .report.text import TextReporter
    out = io.StringIO()
    reporter = TextReporter(out, show_warnings=True)
    reporter.begin()
    for outcome in outcomes:
        reporter.add(outcome)
    return out.getvalue().rstrip("\n")


# ---- live scenarios, added when live mode is asked for ------------------------------------------------------
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    settings = config.stash.get(SETTINGS, None)
    if settings is None or not settings.live_requested or not settings.add_live:
        return
    # tryfirst: the items are added before -k / -m deselection and the other plugins see them
    collector = LiveCollector.from_parent(session, name="contracts-live", nodeid="contracts-live")
    items.extend(session.genitems(collector))


class LiveCollector(pytest.Collector):
    """The live scenarios, as items."""

    def collect(self) -> Iterator[pytest.Item]:
        settings = self.config.stash[SETTINGS]
        from .live import all_scenarios
        for sc in all_scenarios():
            name = f"contracts-live::{sc.provider}::{sc.name}"
            item = LiveItem.from_parent(self, name=name, nodeid=name, scenario=sc, path=_source_of(sc.fn))
            item.add_marker("contracts_live")
            if settings.live.get(sc.provider) is None:
                reason = NOT_CONFIGURED.format(provider=sc.provider, env=TOKEN_ENV[sc.provider])
                item.add_marker(pytest.mark.skip(reason=reason))
            yield item


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


def _skip_here(reason: str) -> NoReturn:
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
            lines = [str(v) for k, v in report.user_properties if k == WARNING_KEY]
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
        """The :class:`checkout_contracts.Result` for ``obj``, without asserting."""
        __tracebackhide__ = True
        from .pipeline import check
        from .live.responses import unpack
        got = unpack(obj)
        if got.problem is not None:
            raise AssertionError(got.problem)
        if schema is None and got.http is not None:
            from .routes import known_route
            route = known_route(got.http)
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
    settings = config.stash.get(SETTINGS, None)
    if settings is not None:
        return Contract(settings.strict, settings.rules_on, request.node)
    strict = bool(_first(config.getoption("contracts_strict"), _ini(config, "contracts_strict")))
    rules = not config.getoption("contracts_no_rules") and bool(_first(_ini(config, "contracts_rules"), True))
    return Contract(strict, rules, request.node)
