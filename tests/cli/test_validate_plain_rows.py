"""Valid payloads are written from a template (``Reporter.add_plain``) so the parent of ``validate --jobs N``
does not build a dict per payload: the report is byte for byte the one written payload by payload."""
from __future__ import annotations

import io
import json

import pytest

from checkout_contracts import bulk
from checkout_contracts.report import Summary, make_reporter
from validate_helpers import EXAMPLES, card_order, compact


@pytest.mark.parametrize("fmt", ["json", "junit", "text", "github"])
def test_templated_plain_rows_equal_the_per_payload_report(tmp_path, fmt):
    order = compact(card_order())
    odd = tmp_path / 'we "ird" <&> name.jsonl'
    odd.write_text("\n".join([order, "", order, "{", '{"a": 1}', order, order]) + "\n")
    outs = []
    for templated in (True, False):
        out = io.StringIO()
        reporter = make_reporter(fmt, out)
        reporter.begin()
        for batch in bulk.Run([str(odd), str(EXAMPLES)], bulk.Options()):
            for item in batch.runs() if templated else batch:
                if item.__class__ is tuple:
                    reporter.add_plain(*item)
                else:
                    reporter.add(item)
        reporter.end(Summary(), None)
        outs.append(out.getvalue())
    assert outs[0] == outs[1]
    if fmt == "json":
        assert sum(r["verdict"] == "valid" for r in json.loads(outs[0])["results"]) > 4
