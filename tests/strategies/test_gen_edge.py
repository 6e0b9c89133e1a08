"""Edge cases: valid (no error; only the documented spelling warnings), every target reached, full coverage."""
from __future__ import annotations

import random

import pytest
from hypothesis import given, settings

from checkout_contracts import check, registry
from checkout_contracts.redact import find_pans
from checkout_contracts import lifecycles as machine, paths
from checkout_contracts.strategies import coverage, edge, fixtures, for_schema, walk
from checkout_contracts.strategies.draw import MAX, MIN, RandomDraw

SPELLING_RULES = {"spp-instrument-spelling", "spp-token-type-spelling", "pw-refund-reason-case"}


def _ok(doc, name, engine_name="rust"):
    result = check(doc, name, engine_name=engine_name)
    assert result.valid, result.explain()
    assert {f.code for f in result.findings} <= SPELLING_RULES, result.explain()


@pytest.mark.parametrize("name", registry.names())
def test_every_edge_target_is_valid_and_reached(name, strings):
    """Each target, built from two seeds: valid, no card number, and the forced value is really there."""
    for i, target in enumerate(edge.targets(name)):
        for seed in range(2):
            doc = edge.build_edge(name, RandomDraw(random.Random(f"{seed}/{name}/{i}")), target)
            _ok(doc, name)
            assert not [s for s in strings(doc) if find_pans(s)]
            _reached(doc, target)


def _reached(doc, target):
    """The value or presence a target forces at its own path is in the payload."""
    own = target.description.split(" ", 1)[0]
    if not own.startswith("$"):
        return
    for label, want in target.constraints.items():
        if label.rstrip("?") != own or "#" in label:
            continue
        tokens = paths.parse(own)
        found = [v for _, v in paths.values_at(doc, tokens)]
        if label.endswith("?") and want:
            assert found, target.description
        elif label.endswith("?"):   # absent: some place that could hold it does not
            parents = [p for _, p in paths.values_at(doc, tokens[:-1]) if isinstance(p, dict)]
            assert not parents or any(tokens[-1] not in p for p in parents), target.description
        elif want == MIN:
            assert found and all(v == 0 for v in found), f"{target.description}: {found}"
        elif want == MAX:
            assert found and all(v > 0 for v in found), f"{target.description}: {found}"
        else:
            assert want in found, f"{target.description}: found {found}"


@pytest.mark.parametrize("name", ["swedbankpay/checkout-v2/payment-order", "paiwise/checkout",
                                  "swedbankpay/checkout-v2/paid"])
def test_edge_strategy_valid_with_both_engines(name):
    @settings(max_examples=30, database=None, derandomize=True, deadline=None)
    @given(for_schema(name, "edge"))
    def prop(doc):
        _ok(doc, name, "rust")
        _ok(doc, name, "python")
    prop()


def test_boundaries_are_met():
    name = "swedbankpay/checkout-v2/payment-order"
    by = {t.description: t for t in edge.targets(name)}
    d = lambda: RandomDraw(random.Random(1))  # noqa: E731
    assert edge.build_edge(name, d(), by["$.paymentOrder.amount = 0"])["paymentOrder"]["amount"] == 0
    assert edge.build_edge(name, d(), by["$.paymentOrder.amount = 2**31-1"])["paymentOrder"]["amount"] == 2 ** 31 - 1
    desc = edge.build_edge(name, d(), by["$.paymentOrder.description exactly 40 characters"])
    assert len(desc["paymentOrder"]["description"]) == 40
    ref = edge.build_edge(name, d(), by["payeeReference of exactly 30 characters"])
    assert len(ref["paymentOrder"]["paid"]["payeeReference"]) == 30
    tokens = edge.build_edge(name, d(), by["several tokens"])["paymentOrder"]["paid"]["tokens"]
    assert len(tokens) == 3
    assert edge.build_edge(name, d(), by["expanded paid with empty details"])["paymentOrder"]["paid"]["details"] == {}
    minimal = edge.build_edge(name, d(), by["only the required fields"])["paymentOrder"]
    required = set(registry.get(name)["$defs"]["paymentOrder"]["required"])
    assert set(minimal) - required <= {"paid", "failed", "cancelled", "aborted"}   # the ones a status requires


@pytest.mark.parametrize("name,path,values", [
    ("swedbankpay/checkout-v2/payment-order", "$.paymentOrder.status", machine.SPP_STATUSES),
    ("paiwise/checkout", "$.status", machine.PAIWISE_STATUSES),
])
def test_edge_coverage_lists_every_status_as_produced(name, path, values):
    docs = [ex.payload for ex in fixtures.examples(name, "edge", len(edge.targets(name)), seed=0)]
    report = coverage.measure(name, docs)
    produced = report.produced(path)
    assert set(produced) == set(values) and all(produced.values()), produced
    assert not report.missing_values and not report.never_present and not report.never_absent, report.render()


def test_coverage_comes_from_the_schema_walk():
    """The listed enum values are the schema's, not a copy: every value of every enum site is a row."""
    name = "swedbankpay/checkout-v2/payment-order"
    report = coverage.measure(name, [])
    for site in walk.enums(name):
        assert [r.value for r in report.enums if r.path == site.path] == list(site.values)
    assert {r.path for r in report.optionals} == {s.path for s in walk.optionals(name)}
    assert all(r.count == 0 for r in report.enums) and "never produced" in report.render()
