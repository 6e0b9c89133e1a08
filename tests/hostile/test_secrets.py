"""Card numbers and e-mails written every way that once slipped through (issue 12 item 9, issue 11 §2 and §3):
each true card number is reported as ``unmasked-pan`` at its place, none is printed in any report format (or by a
usage error), the false positives of real traffic (GUIDs, IBANs, .NET tick references) stay quiet — with the fast
path on and off, ``--jobs`` 1 and 2, from files, JSON Lines of several MiB, stdin and gzip."""
from __future__ import annotations

import copy
import gzip
import json
from urllib.parse import quote

import pytest

from harness import FORMATS, assert_sane, reconciles, validate

PAN = "4111111111111111"
WIDE = PAN.translate({ord(d): 0xFF10 + int(d) for d in "0123456789"})
WRITTEN = {  # how a card number was written -> the text
    "dots": "4111.1111.1111.1111", "underscores": "4111_1111_1111_1111", "slashes": "4111/1111/1111/1111",
    "no-break spaces": "4111\u00a01111\u00a01111\u00a01111", "double spaces": "4111  1111  1111  1111",
    "full-width digits": WIDE, "4-6-6": "4111 111111 111111", "en dashes": "4111\u20131111\u20131111\u20131111",
}
EMAILS = ['"bob secret"@example.com', "bob@exämple.se", "bob.secret@localhost", "bob.secret@[10.0.0.1]"]
QUIET = {"guid": "48806524-6422-4db7-9fbd-c8b81611132f", "iban": "SE47 3862 5355 0299 2148 9227",
         "ticks": "638386601473813240"}
SECRETS = tuple(WRITTEN.values()) + tuple(EMAILS) + (PAN, "bob secret", "exämple", "bob.secret")
ORDER = json.loads(open("examples/captures/swedbankpay-2024-05-14.jsonl").readline())


def _with(field: str, value) -> dict:
    doc = copy.deepcopy(ORDER)
    doc["paymentOrder"][field] = value
    return doc


def _lines() -> list[tuple[str, bool]]:
    """(JSON line, holds a card number)"""
    out = [(json.dumps(_with("description", f"card {text} paid"), ensure_ascii=False), True)
           for text in WRITTEN.values()]
    out += [(json.dumps(_with("description", f"mail {e}"), ensure_ascii=False), False) for e in EMAILS]
    out += [(json.dumps(_with("payeeReference" if k == "ticks" else "description", v)), False) for k, v in QUIET.items()]
    exponent = json.dumps(ORDER).replace('"amount": 1500', '"amount": 42e14', 1)
    assert "42e14" in exponent
    out.append((exponent, True))
    return out


def _check(report: dict, lines: list[tuple[str, bool]], first_line: int = 1) -> None:
    by_line = {r["line"]: r for r in report["results"]}
    for n, (_, has_card) in enumerate(lines, first_line):
        codes = [e["code"] for e in by_line[n]["errors"]]
        assert ("unmasked-pan" in codes) == has_card, (n, lines[n - first_line][0][:120], codes)


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "nofast"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_every_way_of_writing_a_card_number_is_flagged_and_masked_in_every_format(tmp_path, fast, jobs):
    lines = _lines()
    day = tmp_path / "day.jsonl"
    day.write_text("\n".join(text for text, _ in lines) + "\n", encoding="utf-8")
    for fmt in FORMATS:
        ran = validate("--jobs", jobs, "--format", fmt, "--show-warnings", day, fast=fast)
        assert_sane(ran, secrets=SECRETS)
        assert ran.rc == 1
        if fmt == "json":
            _check(reconciles(ran), lines)


@pytest.mark.parametrize("fast", [True, False], ids=["fast", "nofast"])
def test_a_card_number_in_exponent_form_is_caught_on_every_path(tmp_path, fast):
    """``"amount": 42e14`` is 4200000000000000: after 2 MiB of clean lines, from stdin, and gzipped."""
    clean = json.dumps(ORDER)
    exponent = clean.replace('"amount": 1500', '"amount": 42e14', 1)
    count = (2 << 20) // len(clean) + 2
    text = (clean + "\n") * count + exponent + "\n"
    big = tmp_path / "big.jsonl"
    big.write_text(text)
    packed = tmp_path / "big.jsonl.gz"
    packed.write_bytes(gzip.compress(text.encode()))
    for args, stdin in (((big,), None), ((packed,), None), (("-",), text), (("-",), gzip.compress(text.encode()))):
        ran = validate("--jobs", "2", "--format", "json", *args, fast=fast, stdin=stdin)
        assert_sane(ran)
        report = reconciles(ran)
        [bad] = [r for r in report["results"] if r["verdict"] != "valid"]
        assert bad["line"] == count + 1 and [e["code"] for e in bad["errors"]] == ["unmasked-pan"], (args, bad)


def _har(entries: list[dict]) -> str:
    return json.dumps({"log": {"version": "1.2", "creator": {"name": "t", "version": "1"}, "entries": entries}},
                      ensure_ascii=False)


def _entry(url: str, *, method: str = "GET", mime: str = "application/json", text: str | None = None,
           post: str | None = None) -> dict:
    entry = {"request": {"method": method, "url": url, "headers": []},
             "response": {"status": 200, "headers": [{"name": "Content-Type", "value": mime}],
                          "content": {"mimeType": mime, **({"text": text} if text is not None else {})}}}
    if post is not None:
        entry["request"]["postData"] = {"mimeType": "application/x-www-form-urlencoded", "text": post}
    return entry


def test_card_numbers_outside_json_in_a_har_are_flagged_and_never_printed(tmp_path):
    spaced = "4111 1111 1111 1111"
    thrice = quote(quote(quote(spaced, safe=""), safe=""), safe="")
    token = "5a1f0e9c2b7d4e8f9a6b3c2d1e0f9a8bsecret"
    problem = json.dumps({"type": "https://api.payex.com/psp/errordetail/inputerror", "title": "Error", "status": 400,
                          "instance": "x", "detail": "d", "problems": []})
    entries = [
        _entry(f"https://shop.example/pay?card={thrice}", mime="text/html", text="<p>ok</p>"),       # 1: URL
        _entry(f"https://shop.example/cards/{thrice}", mime="text/html", text="<p>ok</p>"),          # 2: path
        _entry("https://shop.example/page", mime="text/html", text=f"<input value='{spaced}'>"),    # 3: HTML
        _entry("https://shop.example/app.js", mime="application/javascript",
               text=f"var card = '{spaced.replace(' ', '-')}';"),                                      # 4: JS
        _entry("https://shop.example/form", method="POST", mime="text/html", text="<p>ok</p>",
               post="x=" + "a" * (1 << 20) + "&card=" + quote(spaced)),                                # 5: after 1 MiB
        _entry(f"https://api.externalintegration.payex.com/psp/paymentorders/instrumentdata/{token}",
               mime="application/problem+json", text=problem),                                        # 6: a token
        _entry("https://shop.example/guid/48806524-6422-4db7-9fbd-c8b81611132f", mime="text/html",
               text="<p>SE47 3862 5355 0299 2148 9227, ref 638386601473813240</p>"),                    # 7: quiet
    ]
    har = tmp_path / "session.har"
    har.write_text(_har(entries), encoding="utf-8")
    for fmt in FORMATS:
        ran = validate("--format", fmt, har)
        assert_sane(ran, secrets=(spaced, PAN, thrice, token, "3862 5355"))
    report = reconciles(validate("--format", "json", har))
    flagged = {r["record"]: {(e["path"], e["code"]) for e in r["errors"]} for r in report["results"]}
    assert ("http.request.url", "unmasked-pan") in flagged[1] and ("http.request.url", "unmasked-pan") in flagged[2]
    assert flagged[3] == flagged[4] == {("http.response", "unmasked-pan")}
    assert flagged[5] == {("http.request", "unmasked-pan")}
    assert "unmasked-pan" not in {c for _, c in flagged[6]} and 7 not in flagged
    assert report["summary"]["skipped_non_json"] == 1  # entry 7: nothing in it


def test_a_usage_error_does_not_echo_an_email_or_a_card_number(tmp_path):
    for bad in ("bob.secret@example.com", PAN):
        ran = validate("--max-depth", bad, tmp_path)
        assert ran.rc == 2 and "--max-depth" in ran.err
        assert_sane(ran, secrets=(bad,))
    ran = validate("--schema", "bob.secret@example.com", tmp_path)
    assert ran.rc == 2
    assert_sane(ran, secrets=("bob.secret",))
