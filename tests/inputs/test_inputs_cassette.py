"""VCR.py / pytest-recording cassettes (YAML and JSON) and older layouts."""
from __future__ import annotations

import base64
import gzip
import json

import yaml

PAYMENT_ORDER_URL = "https://api.externalintegration.payex.com/psp/paymentorders/5adc265f-f87f-4313-577e-08d3dca1a26c"


def interaction(uri, body, *, status=200, headers=None, method="GET", request_body=None):
    return {
        "request": {"body": request_body, "headers": {"Accept": ["application/json"]}, "method": method, "uri": uri},
        "response": {
            "body": {"string": body},
            "headers": headers if headers is not None else {"Content-Type": ["application/json; charset=utf-8"]},
            "status": {"code": status, "message": "OK"},
        },
    }


def cassette_yaml(*interactions) -> str:
    # exactly how VCR.py writes cassettes (bytes bodies become !!binary)
    return yaml.dump({"interactions": list(interactions), "version": 1}, Dumper=yaml.Dumper)


def test_yaml_cassette_with_text_body(write, read):
    path = write("cassettes/test_pay.yaml", cassette_yaml(
        interaction(PAYMENT_ORDER_URL, '{"paymentOrder": {"status": "Paid"}}', method="PATCH",
                    request_body='{"paymentorder": {"operation": "Abort"}}'),
        interaction("https://ecom.example/page", "<html></html>", headers={"Content-Type": ["text/html"]}),
        interaction("https://api.paiwise.com/checkout/retrieve", '{"id": "c1"}', method="POST"),
    ))
    stats = {}
    recs = read(path, stats=stats)
    assert [(r.record, r.data) for r in recs] == [(1, {"paymentOrder": {"status": "Paid"}}), (3, {"id": "c1"})]
    assert stats == {"skipped_non_json": 1}
    http = recs[0].http
    assert (http.method, http.url, http.status) == ("PATCH", PAYMENT_ORDER_URL, 200)
    assert http.headers == {"content-type": "application/json; charset=utf-8"}
    assert http.request_body == {"paymentorder": {"operation": "Abort"}}
    text = open(path).read().splitlines()
    assert all(text[r.line - 1].lstrip().startswith("- request:") for r in recs)


def test_gzip_binary_body_with_content_encoding(write, read):
    body = gzip.compress(b'{"paymentOrder": {"amount": 1500}}')
    text = cassette_yaml(interaction(PAYMENT_ORDER_URL, body, headers={
        "Content-Type": ["application/json"], "Content-Encoding": ["gzip"], "Vary": ["Accept", "Origin"]}))
    assert "!!binary" in text
    [rec] = read(write("gz.yaml", text))
    assert rec.error is None and rec.data == {"paymentOrder": {"amount": 1500}}
    assert rec.http.headers["vary"] == "Accept, Origin"


def test_plain_binary_body(write, read):
    [rec] = read(write("bin.yml", cassette_yaml(interaction(PAYMENT_ORDER_URL, '{"ok": "å"}'.encode()))))
    assert rec.data == {"ok": "å"}


def test_corrupt_gzip_body_is_unreadable(write, read):
    body = gzip.compress(b'{"a": 1}')[:-12]
    [rec] = read(write("c.yaml", cassette_yaml(interaction(PAYMENT_ORDER_URL, body, headers={
        "Content-Type": ["application/json"], "Content-Encoding": ["gzip"]}))))
    assert rec.error == "corrupt gzip: truncated, compressed data ends early"
    assert rec.record == 1


def test_undecodable_content_encoding(write, read):
    [rec] = read(write("br.yaml", cassette_yaml(interaction(PAYMENT_ORDER_URL, b"\x8b\x02\x80xx", headers={
        "Content-Type": ["application/json"], "Content-Encoding": ["br"]}))))
    assert rec.error == "response body has Content-Encoding 'br', which cannot be decoded"


def test_decoded_body_with_stale_content_encoding_header(write, read):
    # VCR.py decode_compressed_response=True stores the plain body
    [rec] = read(write("d.yaml", cassette_yaml(interaction(PAYMENT_ORDER_URL, '{"a": 1}', headers={
        "Content-Type": ["application/json"], "Content-Encoding": ["gzip"]}))))
    assert rec.data == {"a": 1}


def test_json_cassette(write, read):
    doc = {"interactions": [interaction(PAYMENT_ORDER_URL, '{"a": 1}'), interaction(PAYMENT_ORDER_URL, "{broken")],
           "version": 1}
    good, bad = read(write("c.json", json.dumps(doc, indent=1)))
    assert good.data == {"a": 1} and good.record == 1
    assert bad.error == "syntax error: object keys must be strings in double quotes (response body line 1, column 2)"
    assert bad.record == 2 and bad.line > good.line


def test_old_layout_content_and_status_code(write, read):
    doc = {"interactions": [{"request": {"method": "post", "uri": "https://api.paiwise.com/checkout/create"},
                             "response": {"status_code": 201, "headers": [["content-type", "application/json"]],
                                          "content": '{"checkoutId": "c9"}'}}]}
    [rec] = read(write("old.yaml", yaml.safe_dump(doc)))
    assert rec.data == {"checkoutId": "c9"}
    assert (rec.http.method, rec.http.status) == ("POST", 201)


def test_ruby_vcr_http_interactions_with_base64(write, read):
    doc = {"http_interactions": [{
        "request": {"method": "get", "uri": PAYMENT_ORDER_URL, "body": {"encoding": "UTF-8", "string": ""}},
        "response": {"status": {"code": 200, "message": "OK"}, "headers": {"Content-Type": ["application/json"]},
                     "body": {"encoding": "ASCII-8BIT", "base64_string": base64.b64encode(b'{"b": 64}').decode()}},
        "recorded_at": "Mon, 01 Jan 2024 00:00:00 GMT"}], "recorded_with": "VCR 6.0.0"}
    [rec] = read(write("ruby.yml", yaml.safe_dump(doc)))
    assert rec.data == {"b": 64}


def test_python2_unicode_tag_in_old_cassettes(write, read):
    text = ("interactions:\n- request: {method: GET, uri: !!python/unicode 'https://x/psp/paymentorders'}\n"
            "  response:\n    status: {code: 200}\n    headers: {Content-Type: [application/json]}\n"
            "    body: {string: !!python/unicode '{\"u\": 1}'}\n")
    [rec] = read(write("py2.yaml", text))
    assert rec.data == {"u": 1} and rec.http.url == "https://x/psp/paymentorders"


def test_empty_json_body_with_status_204_is_skipped(write, read):
    stats = {}
    recs = read(write("e.yaml", cassette_yaml(interaction(PAYMENT_ORDER_URL, "", status=204))), stats=stats)
    assert recs == [] and stats == {"skipped_non_json": 1}


def test_malformed_interaction(write, read):
    text = "interactions:\n- request: {method: GET, uri: 'https://x'}\n  response: [1, 2]\n"
    [rec] = read(write("m.yaml", text))
    assert rec.error.startswith("malformed cassette interaction: ") and rec.record == 1


def test_empty_cassette_and_lookalike_payload(write, read):
    assert read(write("empty.yaml", "interactions: []\nversion: 1\n")) == []
    [rec] = read(write("crm.json", '{"customer": "c1", "interactions": [], "score": 3}'))
    assert rec.data == {"customer": "c1", "interactions": [], "score": 3}
    [rec] = read(write("crm2.json", '{"interactions": [{"channel": "email"}]}'))
    assert rec.data == {"interactions": [{"channel": "email"}]}
