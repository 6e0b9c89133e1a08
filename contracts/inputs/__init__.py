"""Read captured API responses as a stream of ``Record``s, never raising.

Sources: a file, a directory (walked recursively, sorted by name, known
suffixes only: .json .jsonl .ndjson .yaml .yml .har and those + .gz, hidden
entries skipped) or ``-`` for stdin. Formats are sniffed from the content, so
a file whose name lies still reads: gzip by its magic bytes; a JSON object
with ``log.entries`` is a HAR; with ``interactions`` a VCR cassette; one JSON
value per line is JSON Lines; YAML by its look.

* ``.json``: one document. A top-level **array** is a multi-record source:
  each element is a record (``record`` = index + 1, ``line`` = the element's
  line); non-object elements are unreadable; an empty array is unreadable.
  A top-level string/number/boolean/null is unreadable.
* ``.jsonl``/``.ndjson``: read line by line (flat memory); ``record`` and
  ``line`` are the physical line number; blank lines are skipped but counted;
  a broken line is one unreadable record and reading goes on. An empty JSONL
  file yields nothing. A top-level array on a line is unreadable.
* ``.yaml``/``.yml``: safe loading only; every document of a multi-document
  file is a record (``record`` = document number). Timestamps stay strings.
* HAR and VCR.py/pytest-recording cassettes: one record per entry whose
  response is JSON (see ``checkout_contracts.inputs.body``); other entries are skipped
  and counted in ``stats["skipped_non_json"]``. ``record`` is the entry's
  index, ``line`` its line in the file; errors inside a body name the body
  line/column in the reason.

Every problem -- missing file, permission, corrupt gzip, UTF-16, binary,
syntax errors, nesting deeper than ``max_depth`` (default 256, at most 1024),
duplicate keys (reported in ``Record.duplicate_keys``, the record stays
readable) -- becomes data on a Record; reading continues with the next
record or file.
"""
from __future__ import annotations

from .model import HttpContext, InputPathError, Record
from .paths import check_paths, missing_paths
from .reader import iter_records, read_file, read_path, read_stream

__all__ = [
    "HttpContext",
    "InputPathError",
    "Record",
    "check_paths",
    "iter_records",
    "missing_paths",
    "read_file",
    "read_path",
    "read_stream",
]
