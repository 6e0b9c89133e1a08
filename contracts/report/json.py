"""The JSON report (``--format json``), streamed.

    {"results": [
      {"source": "captures/day.jsonl", "record": 17, "line": 17, "column": null,
       "schema": "swedbankpay/checkout-v2/payment-order", "verdict": "invalid",
       "errors":   [{"path": "$.paymentOrder.status", "code": "enum", "message": "…"}],
       "warnings": [{"path": "$.paymentOrder.extra", "code": "unknown-field", "message": "…"}]},
      {"source": "captures/day.jsonl", "record": 18, "line": 18, "column": 5, "schema": null,
       "verdict": "unreadable", "reason": "syntax error: trailing comma before '}'",
       "errors": [{"path": null, "code": "unreadable", "message": "syntax error: trailing comma before '}'"}],
       "warnings": []},
      {"source": "session.har", "record": 3, "line": 124, "column": null, "schema": "…/paid", "verdict": "valid",
       "errors": [], "warnings": [], "http": {"method": "GET", "url": "https://…/paid", "status": 200}}
     ],
     "summary": {"total": 3, "valid": 1, "invalid": 1, "unreadable": 1, "warnings": 1, "sources": 2,
                 "skipped_non_json": 0, "skipped_no_schema": 0,
                 "skipped_other_files": 0, "schemas": {"swedbankpay/checkout-v2/payment-order": 1, …}},
     "drift": {…}}                                               (only with --drift-report)

* one result per payload, in input order. ``record`` is the 1-based record number inside a multi-record source
  (JSONL line, array item, HAR entry, cassette interaction, YAML document), ``null`` for a single document;
  ``line``/``column`` where known (``column`` only for unreadable records).
* ``verdict``: ``valid`` (no errors; warnings allowed), ``invalid`` (at least one error) or ``unreadable``
  (could not be read as a JSON object: the reader's one-line ``reason``, also given as the only error, with
  code ``unreadable`` and path ``null``). Duplicate object keys are *readable but invalid*: the payload is
  checked and gets a ``duplicate-key`` error. A crash while checking is an ``internal-error`` error.
* ``errors``/``warnings``: ``path`` (``$.a.b[0]``, ``http.status`` for the HTTP checks), ``code`` (the JSON
  Schema keyword, ``unknown-field``, a rule id, ``unmasked-pan``, ``duplicate-key``, ``unknown-shape``,
  ``http-status``, …) and ``message`` (never a full card number, token or e-mail).
* ``http``: method, URL (card numbers and e-mails masked) and status of the recorded exchange.
* ``summary``: ``valid + invalid + unreadable == total``; ``warnings`` counts warning findings; ``schemas``
  counts readable payloads per schema; ``skipped_non_json`` counts HAR/cassette entries that are not JSON;
  ``skipped_no_schema`` counts responses of known endpoints without a schema (``schema: null`` in the route map)
  that were not judged because the card-data scan found nothing in them (one that holds a card number is an
  ``invalid`` result with ``schema: null`` and an ``unmasked-pan`` error); ``skipped_other_files`` counts files
  met in folders and not read (other suffixes, and the ``manifest.json`` that ``generate`` writes).
* ``drift``: ``unknown_fields`` and ``enum_values`` (schema, normalised path — ``[*]`` for array items,
  ``['*']`` for timestamp keys —, value, count, first location), ``never_seen`` (schema, topmost documented
  path no valid payload carried, number of documented fields nested under it; with ``branch`` — ``instrument is
  Swish`` — for a discriminated ``if``/``then`` branch no payload took, ``path`` being the object), ``valid_payloads`` per schema.

``results`` comes first and is written one payload at a time (a run over a million payloads never holds a
million dicts); ``summary`` (and ``drift``) follow once the run is over. Key order in a JSON object carries no
meaning, so ``report["summary"]`` reads the same as if it came first.
"""
from __future__ import annotations

from typing import Any

import orjson

from . import UNREADABLE, VALID, Outcome, Reporter, Summary, _safe_text, safe, safe_tree


def result(o: Outcome) -> dict[str, Any]:
    out: dict[str, Any] = {
        "source": o.source, "record": o.record, "line": o.line, "column": o.column,
        "schema": o.schema, "verdict": o.verdict,
        "errors": [{"path": p, "code": c, "message": m} for p, c, m in o.errors],
        "warnings": [{"path": p, "code": c, "message": m} for p, c, m in o.warnings],
    }
    if o.http:
        method, url, status = o.http
        out["http"] = {"method": method, "url": url, "status": status}
    if o.verdict == UNREADABLE and o.errors:
        out["reason"] = o.errors[0][2]
    return out


class JsonReporter(Reporter):
    def begin(self) -> None:
        self._first = True
        self.out.write('{"results": [')

    def add(self, o: Outcome) -> None:
        o = safe(o)
        text = orjson.dumps(result(o)).decode()
        self.out.write(("\n" if self._first else ",\n") + text)
        self._first = False

    def add_plain(self, source: str, numbers: list[int], schemas: list[str]) -> None:
        """The very bytes ``add`` writes for each, from a template per (source, schema) (tests/cli pin it)."""
        source = _safe_text(source)  # a file name can carry control characters too (as add: safe)
        cache = self.__dict__.setdefault("_templates", {})
        parts = []
        for number, schema in zip(numbers, schemas):
            t = cache.get((source, schema))
            if t is None:
                sample = orjson.dumps(result(Outcome(source, 7, 7, None, schema, VALID))).decode()
                head, _, rest = sample.partition(',"record":7,"line":7,')
                t = cache[(source, schema)] = (head + ',"record":', ',"line":', "," + rest)
                if len(cache) > 1024:
                    cache.clear()
            parts.append(f"{t[0]}{number}{t[1]}{number}{t[2]}")
        if parts:
            self.out.write(("\n" if self._first else ",\n") + ",\n".join(parts))
            self._first = False

    def end(self, summary: Summary, drift: dict[str, Any] | None) -> None:
        self.out.write("\n],\n")
        tail: dict[str, Any] = {"summary": summary.as_dict()}
        if drift is not None:
            tail["drift"] = safe_tree(drift)
        body = orjson.dumps(tail, option=orjson.OPT_INDENT_2).decode()
        self.out.write(body[1:].lstrip("\n"))  # continue the open object: drop the tail's "{"
        self.out.write("\n")
