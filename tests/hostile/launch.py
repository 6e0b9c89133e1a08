"""Start a command under an address-space limit and report its exit status and peak RSS (JSON, to a file).

Run as a fresh, small Python by the harness: on Linux a process's peak RSS (``ru_maxrss``) starts from the memory of
the process it was forked from (exec keeps the high-water mark of the image it replaces), so a command started
straight from a test run that has grown to hundreds of MB would report that much. Forked from this launcher, it
reports its own peak (and its workers', by ``wait4``)."""
import json
import os
import resource
import sys

limit, report, *command = sys.argv[1:]
pid = os.fork()
if pid == 0:
    resource.setrlimit(resource.RLIMIT_AS, (int(limit), int(limit)))
    os.execv(command[0], command)
_, status, usage = os.wait4(pid, 0)
with open(report, "w") as fh:
    json.dump({"rc": os.waitstatus_to_exitcode(status), "maxrss_kb": usage.ru_maxrss}, fh)
