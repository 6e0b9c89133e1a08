"""The C card filter steps aside on every way of writing a card number the card-data scan reads (issue 12 item 9):
groups joined by dots, underscores, slashes, two spaces, no-break or ideographic spaces, en dashes; full-width and
other Unicode digits; 4-6-6 groupings. Whatever it certifies, the full pipeline finds nothing in."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checkout_contracts.strategies import fixtures
from fast_helpers import findings

NAME = "swedbankpay/checkout-v2/payment-order"
DOC = next(iter(fixtures.examples(NAME, "valid", 1, seed="cards"))).payload
PAN = "4111111111111111"
SEPARATORS = [".", "_", "/", "  ", "\u00a0", "\u3000", "\u2013", "\u202f", "\uff0d"]
WIDE = str.maketrans({str(d): chr(0xFF10 + d) for d in range(10)})
ARABIC = str.maketrans({str(d): chr(0x0660 + d) for d in range(10)})


def _plant(text: str) -> tuple[dict, bytes]:
    doc = json.loads(json.dumps(DOC))
    doc["paymentOrder"]["description"] = text
    return doc, json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode()


def _written(sep: str) -> str:
    return sep.join(PAN[i:i + 4] for i in range(0, 16, 4))


@pytest.mark.parametrize("text", [_written(sep) for sep in SEPARATORS]
                         + [PAN.translate(WIDE), PAN.translate(ARABIC), _written(" ").translate(WIDE),
                            "4111 111111 111111", f"ref {_written('.')} 12/26"])
def test_each_way_of_writing_a_card_number_is_flagged_and_never_certified(text, fast):
    doc, raw = _plant(text)
    assert ("$.paymentOrder.description", "unmasked-pan") in findings(doc, NAME)
    assert not isinstance(fast.certify(raw, NAME, rules_on=True), str)


GROUPS = st.lists(st.tuples(st.sampled_from(["", " ", "-", ".", "_", "/", "  ", "\u00a0", "\u2013", "a", " a"]),
                            st.text(alphabet="0123456789\uff11\uff14\u0661", min_size=1, max_size=7)),
                  min_size=2, max_size=7).map(lambda parts: "".join(sep + digits for sep, digits in parts))


@settings(max_examples=800, deadline=None)
@given(text=st.one_of(GROUPS, st.sampled_from(SEPARATORS).map(_written)))
def test_whatever_it_certifies_holds_no_card_number(text, fast):
    doc, raw = _plant(text)
    if isinstance(fast.certify(raw, NAME, rules_on=True), str):
        assert findings(doc, NAME) == []


@pytest.mark.parametrize("number", [b"42e14", b"4.2E+15", b"42E14", b"0.42e16", b"1e300"])
def test_a_number_in_exponent_form_is_never_certified(number, fast):
    """Issue 11 §3: ``42e14`` is the card number 4200000000000000. The C parser gives up on every exponent (the
    pipeline's card-data scan decides); this pins it, so a C change that parses exponents fails here first."""
    raw = json.dumps(DOC, separators=(",", ":")).encode()
    amount = b'"amount":' + str(DOC["paymentOrder"]["amount"]).encode()
    assert amount in raw
    planted = raw.replace(amount, b'"amount":' + number, 1)
    assert not isinstance(fast.certify(planted, NAME, rules_on=True), str)
    if number == b"42e14":
        import orjson
        assert ("$.paymentOrder.amount", "unmasked-pan") in findings(orjson.loads(planted), NAME)
