"""Bombs: a few hundred bytes or a megabyte on disk that once took gigabytes (issue 12 items 1, 2, 7). Each run is a
child process under an address-space limit and a time bound; peak RSS of every process stays under 400 MB, the
record that could not be read gets one line with its location, the summary reconciles, nothing crashes."""
from __future__ import annotations

import json

import pytest

from harness import assert_sane, gzip_bomb, reconciles, snapshot, text_summary, validate

PAYMENT_ORDER = json.loads(open("examples/captures/swedbankpay-2024-05-14.jsonl").readline())


def _alias_bomb_cassette(levels: int = 9, width: int = 10) -> str:
    anchors = ['  l0: &a0 [' + ", ".join(['"lol"'] * width) + "]"]
    anchors += [f"  l{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * width) + "]" for i in range(1, levels)]
    return ("defs:\n" + "\n".join(anchors) + "\ninteractions:\n"
            "- request: {method: GET, uri: 'https://api.externalintegration.payex.com/psp/paymentorders/x'}\n"
            "  response:\n    status: {code: 200}\n    headers: {Content-Type: [application/json]}\n"
            f"    body: {{string: ok, bomb: *a{levels - 1}}}\nversion: 1\n")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_yaml_alias_bomb_in_a_cassette_is_unreadable_not_expanded(tmp_path, jobs):
    bomb = tmp_path / "cassette.yaml"
    bomb.write_text(_alias_bomb_cassette())
    assert bomb.stat().st_size < 1000  # 10**9 values once expanded
    ran = validate("--jobs", jobs, bomb)
    assert_sane(ran)
    assert ran.rc == 1 and f"{bomb}:1  unreadable: YAML aliases expand to more than" in ran.out
    assert text_summary(ran) == (1, 0, 0, 1)


BOMBS = {  # name: (head, tail, MiB of whitespace, the reason's words)
    "day.json.gz": (b'{"a": ', b"1}", 1024, "larger than the 16 MB bound for one payload"),
    "session.har.gz": (b'{"log": {"version": "1.2", "entries": [', b"]}}", 1024, "HAR entry 1: runs past the 16 MB"),
    "cassette.yaml.gz": (b"interactions: ", b"[]\n", 1024, "YAML document of more than 32 MB"),
    "day.jsonl.gz": (b'{"a": ', b"1}\n", 256, "larger than the 16 MB bound for one payload"),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
@pytest.mark.parametrize("fast", [True, False], ids=["fast", "nofast"])
def test_a_gzip_bomb_stops_at_the_size_bound(tmp_path, name, fast):
    head, tail, mib, words = BOMBS[name]
    bomb = gzip_bomb(tmp_path / name, head, tail, mib)
    assert bomb.stat().st_size < 2 << 20
    good = tmp_path / "good.json"
    good.write_text(json.dumps(PAYMENT_ORDER))
    before = snapshot(tmp_path)
    ran = validate("--jobs", "2", "--format", "json", bomb, good, fast=fast)
    assert_sane(ran)
    assert snapshot(tmp_path) == before
    report = reconciles(ran)
    [bad] = [r for r in report["results"] if r["verdict"] == "unreadable"]
    assert bad["source"] == str(bomb) and words in bad["reason"] and ran.rc == 1
    assert report["summary"]["valid"] == 1  # the rest of the batch goes on


def test_a_large_har_is_read_entry_by_entry(tmp_path):
    """A 48 MB HAR (over the 16 MB whole-document bound) of 1 MB HTML pages and JSON responses: memory follows
    the largest entry, not the file (orjson held the whole file and every entry at once)."""
    page = "<html>" + "x" * (1 << 20) + "</html>"
    order = json.dumps(PAYMENT_ORDER)
    entries = []
    for i in range(48):
        html = {"request": {"method": "GET", "url": f"https://shop.example/page/{i}", "headers": []},
                "response": {"status": 200, "headers": [], "content": {"mimeType": "text/html", "text": page}}}
        api = {"request": {"method": "GET", "url": "https://api.externalintegration.payex.com/psp/paymentorders/"
                           "3e1a9b42-f5fb-49f0-ad1b-05d97491bc66", "headers": []},
               "response": {"status": 200, "headers": [{"name": "Content-Type", "value": "application/json"}],
                            "content": {"mimeType": "application/json", "text": order}}}
        entries += [html, api]
    har = tmp_path / "big.har"
    har.write_text(json.dumps({"log": {"version": "1.2", "creator": {"name": "t", "version": "1"},
                                       "entries": entries}}))
    assert har.stat().st_size > 48 << 20
    ran = validate("--jobs", "1", "--format", "json", har)
    assert_sane(ran)
    report = reconciles(ran)
    assert report["summary"]["skipped_non_json"] == 48 and report["summary"]["total"] == 48
    assert [r["record"] for r in report["results"]] == list(range(2, 97, 2))
    assert ran.peak_rss_mb < 200, ran.peak_rss_mb


def test_a_har_that_breaks_off_keeps_its_entries_and_says_where(tmp_path):
    order = json.dumps(PAYMENT_ORDER)
    api = {"request": {"method": "GET", "url": "https://api.externalintegration.payex.com/psp/paymentorders/"
                       "3e1a9b42-f5fb-49f0-ad1b-05d97491bc66", "headers": []},
           "response": {"status": 200, "headers": [{"name": "Content-Type", "value": "application/json"}],
                        "content": {"mimeType": "application/json", "text": order + " " * (1 << 20)}}}
    text = json.dumps({"log": {"version": "1.2", "entries": [api] * 20}})
    har = tmp_path / "cut.har"
    har.write_text(text[: len(text) - 1000])  # truncated inside entry 20
    ran = validate("--jobs", "1", "--format", "json", har)
    assert_sane(ran)
    report = reconciles(ran)
    assert report["summary"]["valid"] == 19 and report["summary"]["unreadable"] == 1
    assert report["results"][-1]["reason"].startswith("HAR entry 20: syntax error")


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "nofast"])
def test_a_gzip_bomb_inside_a_cassette_body_stops_at_the_size_bound(tmp_path, fast):
    import base64
    packed = gzip_bomb(tmp_path / "body.gz", b'{"a": ', b"1}", 1024).read_bytes()
    (tmp_path / "body.gz").unlink()
    cassette = tmp_path / "cassette.yaml"
    cassette.write_text(
        "interactions:\n- request: {method: GET, uri: 'https://api.externalintegration.payex.com/psp/paymentorders/"
        "3e1a9b42-f5fb-49f0-ad1b-05d97491bc66'}\n  response:\n    status: {code: 200}\n"
        "    headers: {Content-Type: [application/json], Content-Encoding: [gzip]}\n"
        f"    body: {{string: !!binary {base64.b64encode(packed).decode()}}}\nversion: 1\n")
    ran = validate("--jobs", "1", cassette, fast=fast)
    assert_sane(ran)
    assert ran.rc == 1 and "unreadable: compressed body decompresses to more than 16 MB" in ran.out
    assert text_summary(ran) == (1, 0, 0, 1)


def test_a_gzip_bomb_on_stdin_stops_at_the_size_bound(tmp_path):
    bomb = gzip_bomb(tmp_path / "stdin.json.gz", b'{"a": ', b"1}", 512)
    ran = validate("--jobs", "1", "-", stdin=bomb)
    assert_sane(ran)
    assert "<stdin>:1:1  unreadable: document of more than 16 MB" in ran.out
