"""The drift tally (``--drift-report``): normalised paths, counts with the first location, documented fields
walked through ``$ref``, topmost never-seen fields, merging parts of a run in order."""
from __future__ import annotations

import json

from contracts import drift
from contracts.pipeline import check
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
    details = order["paymentOrder"]["paid"]["details"]  # from paid-resource.json, behind $ref and if/then
    assert {"cardBrand", "maskedPan", "msisdn"} <= set(details)
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
    assert "$.paymentOrder.paid.details.msisdn" in unseen            # a Swish field, never in a card payment
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
