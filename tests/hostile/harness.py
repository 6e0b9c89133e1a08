"""Run ``checkout-contracts validate`` in a child process under a memory limit (RLIMIT_AS, set in the child) and a
time bound, and measure the peak RSS of the child and every worker it waited for (``wait4``'s rusage)."""
from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: the address-space limit of the child (and of its workers: they inherit it); peak RSS is asserted separately
ADDRESS_SPACE = 2 << 30
#: the bound on peak RSS of any process for each bomb (issue 12, "Done when")
PEAK_RSS_MB = 400
TIME_LIMIT = 60.0
FORMATS = ("text", "json", "junit", "github")


@dataclass
class Ran:
    rc: int
    out: str
    err: str
    peak_rss_mb: float
    seconds: float

    @property
    def both(self) -> str:
        return self.out + self.err

    def summary(self) -> dict:
        """The summary of a ``--format json`` run."""
        return json.loads(self.out)["summary"]


LAUNCH = Path(__file__).resolve().parent / "launch.py"


def validate(*args, fast: bool = True, stdin: bytes | str | Path | None = None, timeout: float = TIME_LIMIT,
             cwd: Path | None = None) -> Ran:
    env = dict(os.environ, CHECKOUT_CONTRACTS_FASTPATH="1" if fast else "0", CHECKOUT_CONTRACTS_CACHE="0",
               NO_COLOR="1", PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as inp:
        if isinstance(stdin, Path):
            source = open(stdin, "rb")
        else:
            inp.write(stdin.encode() if isinstance(stdin, str) else (stdin or b""))
            inp.seek(0)
            source = inp
        started = time.monotonic()
        report = Path(tempfile.mkdtemp()) / "report.json"
        command = [sys.executable, "-m", "checkout_contracts", "validate", *map(str, args)]
        with source:  # through launch.py: see there why the command is not started from this (large) process
            proc = subprocess.Popen([sys.executable, str(LAUNCH), str(ADDRESS_SPACE), str(report), *command],
                                    stdin=source, stdout=out, stderr=err, env=env, cwd=cwd or ROOT,
                                    start_new_session=True)  # its own process group: a timeout ends the workers too
        timer = threading.Timer(timeout, lambda: os.killpg(proc.pid, signal.SIGKILL))
        timer.start()
        try:
            proc.wait()
        finally:
            timer.cancel()
        seconds = time.monotonic() - started
        assert seconds < timeout, f"killed after {timeout} s"
        done = json.loads(report.read_text())
        report.unlink()
        report.parent.rmdir()
        out.seek(0)
        err.seek(0)
        ran = Ran(done["rc"], out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                  done["maxrss_kb"] / 1024, seconds)
    return ran


def assert_sane(ran: Ran, *, secrets: tuple[str, ...] = ()) -> None:
    """No traceback, no raw control character, no planted secret, one of the documented exit codes, the memory
    bound held."""
    assert "Traceback" not in ran.both and "MemoryError" not in ran.both, ran.err[-2000:]
    assert ran.rc in (0, 1, 2), (ran.rc, ran.err[-2000:])
    assert not any(c in ran.both for c in "\x1b\x9b\x07"), "a raw control character reached the output"
    for secret in secrets:
        assert secret not in ran.both, f"{secret!r} was printed"
    assert ran.peak_rss_mb < PEAK_RSS_MB, f"peak RSS {ran.peak_rss_mb:.0f} MB"


def reconciles(ran: Ran) -> dict:
    """The JSON report's summary, checked: valid + invalid + unreadable = total = the results listed."""
    report = json.loads(ran.out)
    s = report["summary"]
    assert s["valid"] + s["invalid"] + s["unreadable"] == s["total"] == len(report["results"]), s
    return report


def text_summary(ran: Ran) -> tuple[int, int, int, int]:
    """(total, valid, invalid, unreadable) from the text report's last line."""
    import re
    m = re.search(r"(\d+) payloads? from \d+ sources?: (\d+) valid, (\d+) invalid, (\d+) unreadable", ran.out)
    assert m, ran.out[-500:]
    total, valid, invalid, unreadable = map(int, m.groups())
    assert valid + invalid + unreadable == total
    return total, valid, invalid, unreadable


# ------------------------------------------------------------------------------------------------ bombs, small on disk

_SPACES = 1 << 20


def gzip_bomb(path: Path, head: bytes, tail: bytes, mib: int) -> Path:
    """A gzip file of ``head``, ``mib`` MiB of spaces and ``tail``: gzip members concatenated (one compressed MiB of
    spaces written ``mib`` times), so a gigabyte takes a megabyte on disk and no time to make."""
    member = gzip.compress(b" " * _SPACES, 9)
    with open(path, "wb") as fh:
        fh.write(gzip.compress(head))
        for _ in range(mib):
            fh.write(member)
        fh.write(gzip.compress(tail))
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` with its bytes (inputs must come out unmodified)."""
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


__all__ = ["ADDRESS_SPACE", "FORMATS", "PEAK_RSS_MB", "Ran", "assert_sane", "gzip_bomb", "reconciles", "snapshot",
           "text_summary", "validate"]
