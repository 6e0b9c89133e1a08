"""The validation core: one entry point, the right schema, findings people can act on, nothing leaked."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checkout_contracts import UnknownSchema, check, shape
from checkout_contracts.redact import find_pans

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((REPO / "examples").glob("*/*.json"))
PAN = "4925000000000004"


def load(rel: str):
    return json.loads((REPO / rel).read_text(encoding="utf-8"))


def _everything_printed(result) -> str:
    return "\n".join([result.explain(), repr(result), *(repr(f) for f in result.findings),
                      json.dumps([f.as_dict() for f in result.findings], ensure_ascii=False)])


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_is_valid_and_detected_by_shape(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    result = check(doc)
    if "/requests/" in path.as_posix():
        assert result.schema is None or result.schema in shape.RESPONSE_SCHEMAS
        return
    assert result.schema in shape.RESPONSE_SCHEMAS
    assert result.valid, result.explain()


@pytest.mark.parametrize("rel,name", [
    ("examples/paiwise/checkout-refunded.json", "paiwise/checkout"),
    ("examples/paiwise/customer.json", "paiwise/customer"),
    ("examples/swedbankpay/payment-order-paid-card.json", "swedbankpay/checkout-v2/payment-order"),
    ("examples/swedbankpay/paid-swish.json", "swedbankpay/checkout-v2/paid"),
    ("examples/swedbankpay/problem-inputerror.json", "swedbankpay/checkout-v2/problem"),
    ("examples/swedbankpay/payment-order-state-ready.json", "swedbankpay/checkout-v2/payment-order-state"),
])
def test_shape_picks_the_schema(rel, name):
    assert check(load(rel)).schema == name


@pytest.mark.parametrize("payload", [{}, {"hello": "world"}, [], "text", 3, None, {"paymentOrder": 3}])
def test_an_unknown_shape_is_an_explicit_error(payload):
    result = check(payload)
    assert not result.valid
    assert [(f.path, f.code) for f in result.errors] == [("$", "unknown-shape")]


def test_unknown_schema_name_lists_the_names():
    with pytest.raises(UnknownSchema, match="paiwise/checkout"):
        check({}, "paiwise/nope")


def test_drift_is_a_warning_by_default_and_an_error_when_strict():
    doc = load("examples/swedbankpay/paid-swish.json")
    doc["paid"]["details"]["msisdn2"] = "x"
    lenient, strict = check(doc), check(doc, strict=True)
    assert lenient.valid and not strict.valid
    (drift,) = [f for f in lenient.drift if f.code == "unknown-field"]
    assert drift.path == "$.paid.details.msisdn2" and drift.severity == "warning"
    assert drift.message == "instrument Swish: unknown field 'msisdn2' (not in the documented fields)"  # the path only once, beside it
    assert [f.path for f in strict.errors if f.code == "unknown-field"] == ["$.paid.details.msisdn2"]


def test_union_errors_name_the_branch_the_payload_says_it_is():
    doc = load("examples/swedbankpay/payment-order-paid-card.json")
    doc["paymentOrder"]["paid"]["details"]["misidn"] = "+46739000001"  # a Swish field on a card payment
    (f,) = check(doc).drift
    assert f.message.startswith("instrument CreditCard: ") and "not valid under any" not in f.message
    doc = load("examples/swedbankpay/payment-order-paid-card.json")
    del doc["paymentOrder"]["paid"]
    (err,) = check(doc).errors
    assert (err.path, err.code) == ("$.paymentOrder.paid", "required") and "status Paid" in err.message


def test_messages_say_what_was_expected_and_found():
    doc = load("examples/swedbankpay/payment-order-paid-card.json")
    doc["paymentOrder"]["status"] = "Payed"
    (err,) = check(doc).errors
    assert err.code == "enum" and "'Payed'" in err.message and "'Paid'" in err.message
    doc["paymentOrder"]["status"] = "Paid"
    doc["paymentOrder"]["amount"] = "1500"
    (err,) = check(doc).errors
    assert err.code == "type" and "expected integer" in err.message and "string '1500'" in err.message


def test_findings_are_ordered_by_path_and_deduplicated():
    doc = load("examples/swedbankpay/payment-order-paid-card.json")
    doc["operations"][1]["rel"] = 7
    doc["paymentOrder"]["currency"] = 1
    doc["operations"][0]["method"] = "PUT"
    paths = [f.path for f in check(doc).findings]
    assert paths == sorted(set(paths), key=paths.index)  # no repeats
    assert paths == ["$.operations[0].method", "$.operations[1].rel", "$.paymentOrder.currency"]


def test_a_full_pan_is_flagged_in_masked_pan_token_name_and_free_text_and_never_printed():
    doc = load("examples/swedbankpay/payment-order-paid-card.json")
    paid = doc["paymentOrder"]["paid"]
    paid["details"]["maskedPan"] = PAN
    paid["tokens"] = [{"type": "recurrence", "token": "48806524-6422-4db7-9fbd-c8b81611132f", "name": PAN, "expiryDate": "02/2023"}]
    doc["paymentOrder"]["description"] = f"order for card {PAN}"
    result = check(doc)
    pans = sorted(f.path for f in result.findings if f.code == "unmasked-pan")
    assert pans == ["$.paymentOrder.description", "$.paymentOrder.paid.details.maskedPan", "$.paymentOrder.paid.tokens[0].name"]
    assert PAN not in _everything_printed(result)
    assert not find_pans(_everything_printed(result))



@pytest.mark.parametrize("card", __import__("checkout_contracts.strategies.values", fromlist=["TEST_CARDS"]).TEST_CARDS,
                         ids=lambda c: f"{c.brand or c.paiwise_brand}-{c.bin}")
def test_every_schemes_test_card_is_a_card_number_in_any_field(card):
    """The issuer ranges (QUIRKS X-CARD-RANGES) keep every scheme's cards: Visa, Mastercard (both series), Amex,
    Diners, Discover, JCB, Maestro, Dankort, Forbrugsforeningen, UnionPay, Bancontact, Cartes Bancaires."""
    from checkout_contracts.redact import in_card_range
    from checkout_contracts.strategies.values import luhn_complete
    pan = luhn_complete(card.bin + "0" * (card.length - 7))
    assert in_card_range(pan), pan
    doc = load("examples/swedbankpay/paid-recurrence-token.json")
    doc["paid"]["payeeReference"] = pan
    [finding] = [f for f in check(doc).findings if f.code == "unmasked-pan"]
    assert finding.path == "$.paid.payeeReference" and pan not in finding.message


@pytest.mark.parametrize("digits, why", [
    ("2024051411050009", "2024… is between Mir (2200–2204) and Mastercard's 2-series (2221–2720)"),
    ("1234567890123456785", "no scheme issues numbers starting with 1"),
    ("7000000000000000003", "7… is petroleum cards, not a payment scheme"),
    ("8000000000000000002", "8… is telecom / health, not a payment scheme"),
    ("9000000000000001", "9… is national use"),
    ("55000000000004", "a Mastercard number has 16 digits, not 14"),
    ("5555555555555555556", "a Mastercard number has 16 digits"),
    ("3782822463100052", "an Amex number has 15 digits"),
])
def test_luhn_valid_references_outside_the_card_ranges_are_not_card_numbers(digits, why):
    from checkout_contracts.redact import find_pans, in_card_range, luhn_ok, scrub
    assert luhn_ok(digits) and not in_card_range(digits), why
    doc = load("examples/swedbankpay/paid-recurrence-token.json")
    doc["paid"]["orderReference"] = f"ref {digits}"
    assert not [f for f in check(doc).findings if f.code == "unmasked-pan"], why
    assert find_pans(digits) and digits not in scrub(f"ref {digits}")  # messages still mask it

def test_sensitive_values_are_redacted_in_messages():
    doc = load("examples/paiwise/checkout-refunded.json")
    doc["customer"]["email"] = "jane.doe@example.com\n"
    doc["usedCard"]["card_id"] = 12345
    text = _everything_printed(check(doc))
    assert "jane.doe" not in text and "12345" not in text
    assert "redacted" in text


def _json_values():
    leaves = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                       st.floats(allow_nan=False), st.text(max_size=30),
                       st.sampled_from([PAN, f"card {PAN}", "4925 0000 0000 0004", "5555555555554444", "x" * 200,
                                        int(PAN), float(PAN), "alice@example.com", "z" * 50 + " " + PAN]))
    return st.recursive(leaves, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(
        st.text(max_size=12) | st.just(PAN) | st.just("alice@example.com"), kids, max_size=4),
                        max_leaves=20)


def _paths(node, here=()):
    yield here
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, here + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, here + (i,))


BASES = [load(str(p.relative_to(REPO))) for p in EXAMPLES if "/requests/" not in p.as_posix()]


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
@given(data=st.data(), value=_json_values(), strict=st.booleans())
def test_random_json_anywhere_never_crashes_and_never_leaks_a_pan(data, value, strict):
    base = copy.deepcopy(data.draw(st.sampled_from(BASES)))
    where = data.draw(st.sampled_from(list(_paths(base))))
    if where:
        parent = base
        for part in where[:-1]:
            parent = parent[part]
        parent[where[-1]] = value
    else:
        base = value
    for schema in (None, "swedbankpay/checkout-v2/payment-order", "paiwise/checkout"):
        result = check(base, schema, strict=strict)
        text = _everything_printed(result)
        assert not find_pans(text), text
        assert "alice@example.com" not in text, text
        assert all(f.severity in ("error", "warning") and f.path.startswith("$") for f in result.findings)
        assert "internal-error" not in {f.code for f in result.findings}, result.explain()
