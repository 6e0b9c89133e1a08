"""``checkout-contracts validate``: judge every payload in what a team captured — fixture folders, JSONL dumps,
VCR cassettes, browser HARs, gzip, stdin — with one verdict per payload, a summary a CI can gate on, and
speed close to reading the bytes (records stream; ``--jobs`` spreads the work over the cores).

Heavy imports happen inside :func:`run`; nothing here imports Hypothesis."""
from __future__ import annotations

import argparse
import os
import sys

EPILOG = """\
which schema: --schema NAME for every payload; else, for a cassette or HAR record, the schema
of the API route it came from; else, for a file whose path ends in a schema name
(…/paiwise/requests/create.json), that schema; else the payload's shape.

exit status: 0 every payload valid (warnings allowed); 1 any payload invalid or unreadable,
or no payload found; 2 usage error (unknown schema, bad flag, missing path).

speed: JSON Lines records first pass a compiled fast path that certifies the plain ones in C
and hands every other record to the full checks (same report either way);
CHECKOUT_CONTRACTS_FASTPATH=0 switches it off.

examples:
  checkout-contracts validate examples/
  checkout-contracts validate --format junit -o contracts.xml captures/
  zcat responses-2024-05-14.jsonl.gz | checkout-contracts validate --drift-report -
  checkout-contracts validate --engine dask --scheduler tcp://sched:8786 --results day.parquet s3://captures/day/"""


def register(sub) -> None:
    p = sub.add_parser(
        "validate", help="validate captured payloads (JSON, JSONL, YAML, cassettes, HAR, gzip, stdin)",
        description="Validate captured payloads: files, folders (read recursively) or - for stdin.\n"
                    "Formats: JSON, JSONL/NDJSON, YAML, VCR/pytest-recording cassettes, HAR, any of them gzipped.\n"
                    "One verdict per payload (valid, invalid, unreadable), a summary, and an exit status to gate on.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("paths", nargs="*", metavar="PATH", help="a file, a folder (read recursively) or - for stdin")
    p.add_argument("--schema", metavar="NAME", help="check every payload against this schema (see `schemas`)")
    p.add_argument("--format", choices=("text", "json", "junit", "github"), default="text",
                   help="report format (default: text)")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE (default: stdout)")
    p.add_argument("--strict", action="store_true",
                   help="drift (unknown fields, values outside open enums) is an error, not a warning")
    p.add_argument("--no-rules", dest="rules", action="store_false", help="skip the cross-field rules")
    p.add_argument("--show-warnings", action="store_true",
                   help="list the warnings of valid payloads too (text and github formats)")
    p.add_argument("--drift-report", action="store_true",
                   help="add the run's drift: unknown fields, values outside open enums, documented fields "
                        "never seen")
    p.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                   help=f"worker processes (default: all cores, here {cores()}); 1 runs in-process")
    p.add_argument("--max-depth", type=_depth, default=256, metavar="N",
                   help="nesting deeper than this makes a payload unreadable (default: 256; at most 1024 for "
                        "JSON, the JSON parser's own bound, and 512 for YAML)")
    p.add_argument("--engine", choices=("local", "dask", "spark"), default="local",
                   help="where the records are judged: local (worker processes here, the default), dask (a Dask "
                        "cluster: --scheduler, else a local one with --jobs workers) or spark (--master, else "
                        "local[--jobs]); PATHs may then be fsspec URLs (s3://…, gs://…, file://…)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="the Dask scheduler to use (--engine dask)")
    p.add_argument("--master", metavar="URL", help="the Spark master to use (--engine spark)")
    p.add_argument("--results", metavar="FILE.parquet",
                   help="also write every record's verdict to a Parquet file (any engine; needs pyarrow)")
    from . import color, configopts
    color.add_argument(p)
    configopts.add_arguments(p)
    p.set_defaults(func=run)


from . import positive_int as _positive  # noqa: E402  (one definition for every subcommand)


MAX_JOBS = 64


def _jobs(text: str) -> int:
    n = _positive(text)
    if n > MAX_JOBS:
        raise argparse.ArgumentTypeError(f"at most {MAX_JOBS} worker processes, got {n}")
    return n


def _depth(text: str) -> int:
    from ..inputs.jsonparse import ORJSON_MAX_DEPTH
    n = _positive(text)
    if n > ORJSON_MAX_DEPTH:
        raise argparse.ArgumentTypeError(f"at most {ORJSON_MAX_DEPTH} (the JSON parser refuses deeper documents), "
                                         f"got {n}")
    return n


def cores() -> int:
    """The cores this process may run on (the affinity mask, where the OS has one), else all of them."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def run(args) -> int:
    from . import UsageError
    from .. import bulk, registry
    from ..report import Summary, make_reporter
    from ..report.progress import Progress

    paths = list(args.paths)
    if not paths:
        raise UsageError("no input: give a PATH or -")
    from . import configopts
    configopts.apply(args)  # [tool.checkout-contracts], --route, --strict-routes, --ignore-host
    if args.schema is not None and args.schema not in registry.names():
        raise UsageError(str(registry.UnknownSchema(args.schema)))
    if paths.count("-") > 1:
        raise UsageError("stdin (-) given more than once")
    if args.engine != "local" and "-" in paths:
        raise UsageError(f"--engine {args.engine} reads files and URLs, not stdin (-)")
    if args.scheduler and args.engine != "dask" or args.master and args.engine != "spark":
        raise UsageError("--scheduler goes with --engine dask, --master with --engine spark")
    if args.results and args.output and (os.path.realpath(args.results) == os.path.realpath(args.output) or (
            os.path.exists(args.output) and os.path.exists(args.results)
            and os.path.samefile(args.output, args.results))):
        raise UsageError(f"--results {args.results} is the report (--output): one would overwrite the other")
    missing = bulk.missing_paths([p for p in paths if "://" not in p])
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise UsageError(f"no such file or directory: {shown}")
    for flag, target in (("--output", args.output), ("--results", args.results)):
        problem = target and _output_problem(target, paths, flag)
        if problem:
            raise UsageError(problem)

    options = bulk.Options(schema=args.schema, strict=args.strict, rules=args.rules, drift=args.drift_report,
                           max_depth=args.max_depth, jobs=args.jobs or cores())
    if args.output:
        try:
            out = open(args.output, "w", encoding="utf-8", newline="\n")
        except OSError as exc:
            raise UsageError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    else:
        out = sys.stdout
    from .color import wanted
    color = args.format == "text" and (args.color == "always" or not args.output) and wanted(args.color, out)
    reporter = make_reporter(args.format, out, show_warnings=args.show_warnings, color=color)
    progress = Progress(sys.stderr)
    shares_terminal = progress.enabled and not args.output and _is_tty(out)
    summary = Summary()
    died = None
    try:
        reporter.begin()
        exclude = [p for p in (args.output, args.results) if p]
        if args.engine == "local":
            run_ = bulk.Run(paths, options, stdin=sys.stdin.buffer if "-" in paths else None, exclude=exclude)
        else:
            from ..lake.cli import EngineRun
            run_ = EngineRun(paths, options, args.engine, args.scheduler or args.master)
        results = _results_writer(args.results) if args.results else None
        try:
            for batch in run_:
                if results is not None:
                    results.write(batch)
                if shares_terminal and batch.others:
                    progress.clear()
                if reporter.lists_valid:
                    summary.add_valid(batch.plain_counts())
                    for item in batch.runs():  # runs of plain rows, written from a template, and the others
                        if item.__class__ is tuple:
                            reporter.add_plain(*item)
                        else:
                            summary.add(item)
                            reporter.add(item)
                else:
                    summary.add_valid(batch.plain_counts())
                    for outcome in batch.others:
                        summary.add(outcome)
                        reporter.add(outcome)
                progress.update(summary.total)
        except bulk.WorkerDied as exc:  # close the report well-formed, then say the run is incomplete
            died = str(exc)
        finally:
            if results is not None:
                results.close()
        if getattr(run_, "reconciled", None) and not run_.reconciled["reconciled"]:
            died = "the engine's results do not reconcile: " + "; ".join(run_.reconciled["problems"][:3])
        progress.clear()
        summary.sources = run_.sources
        summary.skipped = run_.skipped
        summary.no_schema = run_.no_schema
        summary.passed_over = run_.passed_over
        summary.seconds = run_.seconds
        drift = run_.drift.report() if options.drift else None
        reporter.end(summary, drift)
        out.flush()
    except OSError as exc:  # the report could not be written (disk full, closed pipe): one line, exit 1
        if getattr(exc, "errno", None) == 32:  # EPIPE: the reader went away (| head); nothing more to say
            return 1
        print(f"checkout-contracts: error: cannot write the report: {exc.strerror or exc}", file=sys.stderr)
        return 1
    finally:
        progress.clear()
        if out is not sys.stdout:
            try:
                out.close()
            except OSError:
                pass
    if args.output or args.format in ("json", "junit"):  # the report is for machines: one line for people
        print(f"checkout-contracts: {summary.line()}", file=sys.stderr)
    if died:
        from ..redact import printable, scrub
        print(f"checkout-contracts: error: {printable(scrub(died))}", file=sys.stderr)  # it names a file
        return 1
    return 0 if summary.ok and summary.total else 1


def _results_writer(path: str):
    from . import UsageError
    from ..lake.cli import EngineError, ResultsWriter
    try:
        return ResultsWriter(path)
    except EngineError as exc:
        raise UsageError(str(exc)) from None
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def _is_tty(stream) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _output_problem(output: str, paths: list[str], flag: str = "--output") -> str | None:
    """Why ``output`` must not take the report, or None: it is an input file (by name, link or hard link), or a
    file the walk of an input folder reads (a known suffix, no hidden folder on the way) — existing or not, so a
    rerun cannot read the last report, and a capture such as ``captures/day1.jsonl`` is never overwritten. A
    report beside the captures with another suffix (``captures/report.txt``) is fine."""
    from ..inputs.paths import STDIN, is_known
    out_real = os.path.realpath(output)
    try:
        out_stat = os.stat(output)
    except OSError:
        out_stat = None
    for path in paths:
        if path == STDIN:
            continue
        if os.path.isdir(path):
            root = os.path.realpath(path)
            try:
                inside = os.path.commonpath([root, out_real]) == root and out_real != root
            except ValueError:  # another drive
                inside = False
            if not inside:
                continue
            parts = os.path.relpath(out_real, root).split(os.sep)
            if is_known(parts[-1]) and not any(p.startswith(".") for p in parts):
                return (f"{flag} {output} is inside the input folder {path}, which is read: the report would "
                        "overwrite a capture or be read as one; write it elsewhere (or give it another suffix)")
        elif os.path.realpath(path) == out_real or (
                out_stat is not None and _same_file(out_stat, path)):
            return f"{flag} {output} is one of the inputs: the report would overwrite it"
    return None


def _same_file(stat: os.stat_result, path: str) -> bool:
    try:
        other = os.stat(path)
    except OSError:
        return False
    return (other.st_dev, other.st_ino) == (stat.st_dev, stat.st_ino)
