"""Documents over the whole-read bound (16 MB): a HAR, a JSON cassette or a top-level array is streamed entry by
entry (issue 12 items 2 and 7) and judged as if read whole — duplicate keys, depth, non-objects, a cut — while
anything else is refused without reading on."""
from __future__ import annotations

import io
import json

from checkout_contracts.inputs.jsondoc import WHOLE_LIMIT, stream_records

PAD = "p" * (WHOLE_LIMIT + 1024)


def _records(data: bytes):
    return list(stream_records(io.BytesIO(data), source="big.json", max_depth=256, stats={}))


def test_a_streamed_array_reports_duplicate_keys_depth_and_non_objects_per_item():
    deep = '{"a":' * 300 + "1" + "}" * 300
    data = ('[{"pad": "' + PAD + '"}, {"x": {"amount": 1, "amount": 2}}, ' + deep + ', 7, {"ok": 1}]').encode()
    recs = _records(data)
    assert [r.record for r in recs] == [1, 2, 3, 4, 5]
    assert recs[1].data == {"x": {"amount": 2}} and recs[1].duplicate_keys == ["$.x: duplicate key 'amount'"]
    assert type(recs[1].data["x"]) is dict
    assert recs[2].error == "nesting deeper than 256 levels"
    assert recs[3].error == "array item is a JSON number, expected an object"
    assert recs[4].data == {"ok": 1} and recs[4].error is None


def test_a_streamed_har_keeps_its_entry_numbers_and_a_cut_says_where():
    body = json.dumps({"type": "about:blank", "title": "t", "status": 400, "detail": "d", "pad": PAD[:9 << 20]})
    entry = {"request": {"method": "GET", "url": "https://shop.example/x", "headers": []},
             "response": {"status": 400, "headers": [{"name": "Content-Type", "value": "application/json"}],
                          "content": {"mimeType": "application/json", "text": body}}}
    text = json.dumps({"log": {"version": "1.2", "entries": [entry, entry]}})
    recs = _records(text[:-200].encode())
    assert [r.record for r in recs] == [1, 2]
    assert recs[0].error is None and recs[0].data["status"] == 400
    assert recs[1].error.startswith("HAR entry 2: syntax error") and recs[1].error.endswith("reading stopped here")


def test_a_large_single_payload_is_refused_without_being_read_whole():
    class Endless:
        """'{"a": ' and then spaces without end (a gzip bomb, decompressed)."""
        read_bytes = 0

        def read(self, n=-1):
            n = 1 << 20 if n is None or n < 0 else n
            self.read_bytes += n
            return (b'{"a": ' + b" " * (n - 6)) if self.read_bytes == n else b" " * n

    endless = Endless()
    [rec] = list(stream_records(endless, source="big.json", max_depth=256, stats={}))
    assert "larger than the 16 MB bound for one payload" in rec.error and (rec.line, rec.column) == (1, 1)
    assert endless.read_bytes < 2 * WHOLE_LIMIT
