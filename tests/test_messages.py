"""Messages show the defect: the part of a long value where it goes wrong, the path once, plain grammar, and
never a card number."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from checkout_contracts import check, engine
from checkout_contracts.excerpt import LIMIT, mismatch_at, shown

REPO = Path(__file__).resolve().parent.parent
ORDER = "/psp/paymentorders/09ccd29a-7c4d-4b8a-2b0b-08d8f7a3b0d1"
PAN = "4925000000000004"  # Luhn-valid, in Visa's range


def _state() -> dict:
    return json.loads((REPO / "examples/swedbankpay/payment-order-state-ready.json").read_text())


@pytest.mark.parametrize("engine_name", engine.ENGINES)
def test_a_wrong_last_segment_is_shown_not_cut_off(engine_name):
    doc = _state()
    doc["paymentorder"]["history"] = {"id": ORDER + "/History"}
    (f,) = engine.validate("swedbankpay/checkout-v2/payment-order-state", doc, engine=engine_name)
    assert (f.path, f.code) == ("$.paymentorder.history.id", "pattern")
    assert "08d8f7a3b0d1/History'" in f.message, f.message
    assert "(no match from character 57, 'H')" in f.message


def test_the_excerpt_is_taken_around_the_first_character_that_cannot_match():
    pattern = "^/psp/paymentorders/[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}/urls$"
    assert mismatch_at(pattern, ORDER + "/urls") is None
    assert mismatch_at(pattern, ORDER + "/urlz") == 59
    assert mismatch_at(pattern, ORDER + "/url") == 59  # stops short
    assert mismatch_at(pattern, "/psp/paymentorders/09ccd29a-7c4d-4b8a-2b0b-08d8f7a3b0dZ/urls") == 54
    text = shown("/psp/paymentorders/09ccd29a-7c4d-4b8a-2b0b-08d8f7a3b0dZ/urls" + "x" * 40, pattern=pattern)
    assert "b0dZ/urls" in text and "(no match from character 55, 'Z')" in text
    assert text.count("…") == 2 and len(text.split("'")[1]) <= LIMIT + 2
    assert shown(ORDER + "/url", pattern=pattern).endswith("(it stops short of a match)")
    assert mismatch_at("no anchor", "x") is None  # not anchored: nothing to point at


def test_other_long_values_show_head_and_tail():
    value = "https://example.com/" + "a" * 80 + "/the-end"
    text = shown(value)
    assert text.startswith("'https://example.com/") and text.endswith("/the-end'") and "…" in text


def test_a_card_number_in_a_long_value_stays_masked_wherever_the_cut_is():
    pattern = "^[a-z/]+$"
    for value in ("/" * 70 + PAN + "/x", PAN + "/" * 70 + "Z", "x" * 30 + "/" + PAN + "/" + "y" * 30):
        text = shown(value, pattern=pattern)
        assert PAN not in text and PAN[:12] not in text and PAN[-8:] not in text, text
        assert "[card number redacted]" in text or "…" in text
    assert shown(PAN, "maskedPan") == "<redacted string of 16 characters>"
    doc = _state()
    doc["operations"][0]["href"] = "https://api.payex.com/" + "p" * 50 + "/" + PAN + " x"
    result = check(doc, "swedbankpay/checkout-v2/payment-order-state")
    assert PAN not in result.explain() and PAN[-6:] not in result.explain()


def test_a_line_break_is_shown_where_it_is():
    doc = _state()
    doc["operations"][0]["href"] = "https://api.example.com/" + "p" * 70 + "\nsecond-line"
    (f,) = check(doc, "swedbankpay/checkout-v2/payment-order-state").errors
    assert f.code == "pattern" and "\\nsecond-line'" in f.message and "(a line break)" in f.message


def test_the_path_is_printed_once():
    result = check({"title": "x", "status": 400}, "swedbankpay/checkout-v2/problem")
    (f,) = result.errors
    assert (f.path, f.message) == ("$.type", "missing required field 'type'")
    assert str(f) == "$.type: [required] missing required field 'type'"
    doc = _state()
    del doc["paymentorder"]["amount"]
    (f,) = check(doc, "swedbankpay/checkout-v2/payment-order-state").errors
    assert f.message == "payment order object: missing required field 'amount'"  # the branch meant, not the path


def test_grammar_of_counts_and_kinds():
    result = check({"type": [], "title": {"a": 1}, "status": 400}, "swedbankpay/checkout-v2/problem")
    messages = {f.path: f.message for f in result.errors}
    assert messages["$.type"] == "expected string, found an array of 0 items"
    assert messages["$.title"] == "expected string, found an object with 1 field"
    assert engine._explain("minProperties", {"minProperties": 1}, {}, None) == "expected at least 1 field, found 0"
    assert engine._explain("minItems", {"minItems": 1}, [], None) == "expected at least 1 item, found 0"
    assert engine._explain("maxLength", {"maxLength": 1}, "ab", None) == "expected at most 1 character, found 2: 'ab'"
    assert engine._explain("maxItems", {"maxItems": 2}, [1, 2, 3], None) == "expected at most 2 items, found 3"
