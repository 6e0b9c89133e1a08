"""HAR files: JSON responses become records with HTTP context; other traffic is skipped and counted."""
from __future__ import annotations

import base64
import gzip
import json

import pytest


def entry(url, *, status=200, mime="application/json", text=None, encoding=None, method="GET",
          headers=None, post=None, content_type_header=True):
    content = {"size": len(text or ""), "mimeType": mime}
    if text is not None:
        content["text"] = text
    if encoding:
        content["encoding"] = encoding
    response_headers = list(headers or [])
    if content_type_header and mime:
        response_headers.append({"name": "Content-Type", "value": mime})
    request = {"method": method, "url": url, "headers": [{"name": "Accept", "value": "*/*"}]}
    if post is not None:
        request["postData"] = {"mimeType": "application/json", "text": post}
    return {"startedDateTime": "2024-05-01T10:00:00Z", "request": request,
            "response": {"status": status, "statusText": "", "headers": response_headers, "content": content}}


def har(*entries):
    return json.dumps({"log": {"version": "1.2", "creator": {"name": "test"}, "entries": list(entries)}}, indent=2)


def test_json_entries_become_records_and_the_rest_is_counted(write, read):
    guid = "5adc265f-f87f-4313-577e-08d3dca1a26c"
    path = write("checkout.har", har(
        entry("https://shop.example/", mime="text/html", text="<html><body>shop</body></html>"),
        entry(f"https://api.payex.com/psp/paymentorders/{guid}", text='{"paymentOrder": {"id": "x"}}',
              mime="application/json; charset=utf-8",
              headers=[{"name": "Set-Cookie", "value": "a=1"}, {"name": "set-cookie", "value": "b=2"}]),
        entry("https://shop.example/logo.png", mime="image/png", text=base64.b64encode(b"\x89PNG\r\n").decode(),
              encoding="base64"),
        entry("https://api.paiwise.com/checkout/create", method="POST", post='{"amount": 100}',
              text=base64.b64encode(b'{"checkoutId": "c1"}').decode(), encoding="base64"),
        entry("https://shop.example/beacon", status=204, text=""),
        entry("https://shop.example/data.txt", mime="text/plain", text='{"looks": "like json"}'),
        entry("https://shop.example/app.js", mime="application/javascript", text="var x = {};"),
    ))
    stats = {}
    recs = read(path, stats=stats)
    assert [r.record for r in recs] == [2, 4, 6]
    assert [r.data for r in recs] == [{"paymentOrder": {"id": "x"}}, {"checkoutId": "c1"}, {"looks": "like json"}]
    assert all(r.error is None for r in recs)
    assert stats == {"skipped_non_json": 4}

    http = recs[0].http
    assert (http.method, http.status) == ("GET", 200)
    assert http.url == f"https://api.payex.com/psp/paymentorders/{guid}"
    assert http.headers == {"set-cookie": "a=1, b=2", "content-type": "application/json; charset=utf-8"}
    assert http.content_type == "application/json"
    assert http.request_body is None
    assert recs[1].http.request_body == {"amount": 100} and recs[1].http.method == "POST"


def test_entry_lines_point_into_the_har_file(write, read):
    text = har(entry("https://x/1", text='{"n": 1}'), entry("https://x/2", text='{"n": 2}'))
    path = write("lines.har", text)
    recs = read(path)
    lines = text.splitlines()
    for rec in recs:
        assert lines[rec.line - 1].strip() == "{"
        assert f'"https://x/{rec.record}"' in "\n".join(lines[rec.line - 1 : rec.line + 12])
    assert recs[0].line < recs[1].line


@pytest.mark.parametrize(
    "kwargs, reason",
    [
        ({"text": '{"a": 1,}'}, "syntax error: trailing comma before '}' (response body line 1, column 8)"),
        ({"text": '{\n"a": NaN}'}, "syntax error: NaN/Infinity is not valid JSON (response body line 2, column 6)"),
        ({"text": '{"a": [1'}, "truncated: unexpected end of data (response body line 1, column 9)"),
        ({"text": ""}, "empty document: response body is empty"),
        ({}, "response body was not recorded"),
        ({"text": "[1, 2]"}, "response body is a JSON array, expected an object"),
        ({"text": "not base64!", "encoding": "base64"}, None),
        ({"text": '{"a": 1}'.encode("utf-16").hex()}, None),
        ({"mime": "application/problem+json", "text": "<html>"}, None),
    ],
)
def test_json_content_type_with_a_bad_body_is_unreadable(write, read, kwargs, reason):
    path = write("bad.har", har(entry("https://x/bad", **kwargs), entry("https://x/good", text='{"ok": true}')))
    bad, good = read(path)
    assert bad.error is not None and bad.data is None
    if reason is not None:
        assert bad.error == reason
    assert bad.record == 1 and bad.http.url == "https://x/bad"
    assert (good.record, good.data) == (2, {"ok": True})


def test_invalid_base64_reason(write, read):
    [bad] = read(write("b64.har", har(entry("https://x/b", text="@@@", encoding="base64"))))
    assert bad.error == "invalid base64 in HAR content.text"


def test_utf16_body_reason(write, read):
    body = '{"a": 1}'.encode("utf-16")
    [bad] = read(write("u16.har", har(entry("https://x/u", text=base64.b64encode(body).decode(), encoding="base64"))))
    assert bad.error == "UTF-16 encoded; JSON must be UTF-8"


def test_base64_gzip_body_is_decompressed(write, read):
    body = base64.b64encode(gzip.compress(b'{"zipped": true}')).decode()
    [rec] = read(write("gz.har", har(entry("https://x/z", text=body, encoding="base64"))))
    assert rec.data == {"zipped": True}


def test_mime_type_used_when_no_content_type_header(write, read):
    [rec] = read(write("m.har", har(entry("https://x/m", text='{"a": 1}', content_type_header=False))))
    assert rec.http.headers["content-type"] == "application/json"


def test_malformed_entry_does_not_stop_the_file(write, read):
    text = json.dumps({"log": {"entries": ["nonsense", entry("https://x/ok", text='{"a": 1}')]}})
    bad, good = read(write("m.har", text))
    assert bad.error == "malformed HAR entry: not an object" and bad.record == 1
    assert good.data == {"a": 1}


def test_duplicate_keys_in_a_body(write, read):
    [rec] = read(write("d.har", har(entry("https://x/d", text='{"paid": {"amount": 1, "amount": 2}}'))))
    assert rec.duplicate_keys == ["$.paid: duplicate key 'amount'"]


def test_broken_har_file_is_one_unreadable_record(write, read):
    [rec] = read(write("broken.har", har(entry("https://x/1", text="{}"))[:-10]))
    assert rec.error == "truncated: unexpected end of data"
    assert rec.record is None and rec.line is not None
