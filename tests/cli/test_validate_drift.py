"""The drift tally (``--drift-report``): normalised paths, counts with the first location, documented fields
walked through ``$ref``, topmost never-seen fields, merging parts of a run in order."""
from __future__ import annotations

import json

from checkout_contracts import drift
from checkout_contracts.pipeline import check
from validate_helpers import EXAMPLES, card_order


def test_normalise_folds_indexes_and_timestamp_keys():
    assert drift.normalise("$.operations[12].rel") == "$.operations[*].rel"
    assert drift.normalise("$.log['2023-04-14 09:03:30'].details.reason") == "$.log['*'].details.reason"
    assert drift.normalise("$.metaData['order id']") == "$.metaData['order id']"


def test_value_at_reads_rendered_paths():
    doc = {"a": [{"b c": {"d": 5}}]}
    assert drift.value_at(doc, "$.a[0]['b c'].d") == (5, "d", True)
    assert drift.value_at(doc, "$.a[3]")[2] is False


def test_documented_fields_follow_refs_branches_and_maps():
    order = drift.documented("swedbankpay/checkout-v2/payment-order")
    paid = order["paymentOrder"]["paid"]   # from paid-resource.json, behind $ref; details per instrument branch
    card = paid[drift.Branch("instrument", ("CreditCard", "Creditcard"))]["details"]
    swish = paid[drift.Branch("instrument", ("Swish",))]["details"]
    assert {"cardBrand", "maskedPan"} <= set(card) and "msisdn" in swish and "msisdn" not in card
    assert "rel" in order["operations"][drift.ARRAY]
    checkout = drift.documented("paiwise/checkout")
    assert "action" in checkout["log"][drift.ANY_KEY]  # the log's values, whatever their timestamp keys


def _tally(*paths, where=("x", None, None)):
    d = drift.Drift()
    for path in paths:
        doc = json.loads(path.read_text()) if hasattr(path, "read_text") else path
        result = check(doc)
        d.add(result.schema, doc, result.findings, where, result.valid)
    return d


def test_unknown_fields_and_enum_values_are_counted_with_the_first_location():
    doc = card_order()
    doc["operations"][0]["extra"] = 1
    doc["operations"][1]["extra"] = 2
    doc["paymentOrder"]["paid"]["details"]["cardBrand"] = "UnionPay"
    d = drift.Drift()
    for n in (3, 9):
        result = check(doc)
        d.add(result.schema, doc, result.findings, ("day.jsonl", n, n), result.valid)
    report = d.report()
    assert report["unknown_fields"] == [{"schema": "swedbankpay/checkout-v2/payment-order",
                                         "path": "$.operations[*].extra", "count": 4, "first": "day.jsonl:3"}]
    assert report["enum_values"] == [{"schema": "swedbankpay/checkout-v2/payment-order",
                                      "path": "$.paymentOrder.paid.details.cardBrand", "value": "'UnionPay'",
                                      "count": 2, "first": "day.jsonl:3"}]


def test_never_seen_names_the_topmost_missing_field():
    d = _tally(EXAMPLES / "swedbankpay" / "payment-order-paid-card.json")
    unseen = {u["path"]: u["nested"] for u in d.report()["never_seen"]
              if u["schema"] == "swedbankpay/checkout-v2/payment-order"}
    assert not any("msisdn" in p for p in unseen)                    # a Swish field: not "never seen" in a card run
    assert "$.paymentOrder.paid.details.maskedPan" not in unseen     # seen
    assert unseen["$.paymentOrder.paid.tokens"] > 0                  # reported once, with its nested fields
    assert not any(p.startswith("$.paymentOrder.paid.tokens[") for p in unseen)


def test_paiwise_log_entries_count_as_seen():
    d = _tally(EXAMPLES / "paiwise" / "checkout-partial-refund.json")
    unseen = {u["path"] for u in d.report()["never_seen"]}
    assert "$.log['*'].action" not in unseen
    assert "$.log['*'].details.amountRefund" not in unseen


def test_merge_shifts_line_numbers_of_a_later_block():
    doc = card_order()
    doc["paymentOrder"]["extra"] = True
    first, later = drift.Drift(), drift.Drift()
    result = check(doc)
    later.add(result.schema, doc, result.findings, ("day.jsonl", 2, 2), result.valid)
    first.merge(later, line_offset=1000)
    first.merge(later, line_offset=5000)
    [u] = first.report()["unknown_fields"]
    assert (u["count"], u["first"]) == (2, "day.jsonl:1002")


def test_seen_trie_stays_small_for_free_form_keys():
    trie: dict = {}
    for i in range(2000):
        drift.add_seen(trie, {"metaData": {f"key{i}": i}, "log": {f"2024-01-01 00:00:{i % 60:02d}": {"a": 1}}})
    assert len(trie["metaData"]) == drift.MAX_KEYS
    assert list(trie["log"]) == [drift.ANY_KEY]


def test_seen_paths_of_a_very_deep_payload():
    deep: dict = {}
    node = deep
    for _ in range(900):
        node["a"] = {}
        node = node["a"]
    node["leaf"] = [1, {"x": 2}]
    trie: dict = {}
    drift.add_seen(trie, deep)  # no RecursionError
    for _ in range(900):
        trie = trie["a"]
    assert trie == {"leaf": {drift.ARRAY: {"x": {}}}}


def test_a_branch_no_payload_took_is_one_line_and_a_branch_taken_lists_its_unseen_fields():
    d = _tally(EXAMPLES / "swedbankpay" / "payment-order-paid-card.json")
    report = [u for u in d.report()["never_seen"] if u["schema"] == "swedbankpay/checkout-v2/payment-order"]
    branches = {u["branch"]: u for u in report if "branch" in u}
    assert branches["instrument is Swish"]["path"] == "$.paymentOrder.paid"
    assert branches["instrument is Swish"]["nested"] >= 1
    assert "instrument is CreditCard or Creditcard" not in branches   # taken by the card payment
    assert "$.paymentOrder.paid.details.paymentAccountReference" in {u["path"] for u in report}  # card, unseen
    both = _tally(EXAMPLES / "swedbankpay" / "payment-order-paid-card.json",
                  EXAMPLES / "swedbankpay" / "payment-order-paid-mobilepay.json")
    taken = {u.get("branch") for u in both.report()["never_seen"]}
    assert "instrument is MobilePay" not in taken and "instrument is Swish" in taken


def test_branch_markers_survive_the_merge_of_parallel_parts():
    first = _tally(EXAMPLES / "swedbankpay" / "payment-order-paid-card.json")
    later = _tally(EXAMPLES / "swedbankpay" / "payment-order-paid-mobilepay.json")
    first.merge(later)
    taken = {u.get("branch") for u in first.report()["never_seen"]}
    assert "instrument is MobilePay" not in taken and "instrument is CreditCard or Creditcard" not in taken
