"""The vendor pages: every example is reproduced by a recorded minimal fix, and nothing they show is missing."""
from __future__ import annotations

import json
import re

import pytest

from apply import entries, fixed_text
from extract import blocks, headers, seed_dir
from casefiles import REPO
from checkout_contracts import check, engine
from schemawalk import enum_values_by_property, property_names

SPP = "swedbankpay-checkout-v2-status-models.txt"
PW = "paiwise-checkout-response-object.txt"
QUIRKS = (REPO / "schemas" / "QUIRKS.md")


def test_every_seed_example_has_a_fix_entry():
    covered = {(e["seed"], e["block"]) for e in entries()}
    for seed in (SPP, PW):
        assert {(seed, i) for i in range(len(blocks(seed)))} <= covered


@pytest.mark.parametrize("entry", entries(), ids=lambda e: f"{e['seed'][:8]}-{e['block']}")
def test_fixed_seed_equals_its_example_and_validates(entry):
    text = fixed_text(entry)
    pairs_seen = []

    def hook(pairs):
        keys = [k for k, _ in pairs]
        pairs_seen.extend(k for k in set(keys) if keys.count(k) > 1)
        return dict(pairs)
    doc = json.loads(text, object_pairs_hook=hook)
    assert not pairs_seen, f"duplicate keys left after the fix: {pairs_seen}"
    assert doc == json.loads((REPO / entry["example"]).read_text(encoding="utf-8"))
    assert check(doc).valid, check(doc).explain()
    for fix in entry["fixes"]:
        assert f"| {fix['quirk']} |" in QUIRKS.read_text(encoding="utf-8"), f"quirk {fix['quirk']} not in the ledger"


def test_unfixed_vendor_examples_are_what_the_ledger_says():
    """The raw vendor texts really are broken in the recorded ways (so the fixes are not invented)."""
    raw = {(e["seed"], e["block"]): blocks(e["seed"])[e["block"]] for e in entries()}
    for entry in entries():
        text = raw[(entry["seed"], entry["block"])]
        if any(f.get("kind") == "syntax" for f in entry["fixes"]):
            with pytest.raises(json.JSONDecodeError):
                json.loads(text)
        else:
            json.loads(text)


def _keys_and_values(node, key=None):
    if isinstance(node, dict):
        for k, v in node.items():
            yield ("key", k, None)
            yield from _keys_and_values(v, k)
    elif isinstance(node, list):
        for v in node:
            yield from _keys_and_values(v, key)
    else:
        yield ("value", key, node)


def _seed_docs():
    for entry in entries():
        yield json.loads(fixed_text(entry))


def test_every_field_name_in_the_seed_examples_is_in_the_schemas():
    known = property_names()
    missing = set()
    for doc in _seed_docs():
        for kind, key, _ in _keys_and_values(doc):
            if kind == "key" and key not in known and not re.match(r"^\d{4}-\d{2}-\d{2} ", key) and key not in ("data1", "kundnummer"):
                missing.add(key)
    assert not missing


def test_every_field_name_in_the_field_tables_is_in_the_schemas():
    text = (seed_dir() / SPP).read_text(encoding="utf-8")
    table_fields = set(re.findall(r"^([A-Za-z]+) (?:string|integer|object|bool|array|id)(?:\(\d+\))?$", text, flags=re.M))
    ledger = QUIRKS.read_text(encoding="utf-8")
    missing = {f for f in table_fields - property_names() if f not in ledger}
    assert table_fields and not missing  # a name the schemas lack must at least be decided in the ledger


def test_every_enum_value_in_the_seed_examples_is_in_the_schemas():
    # the seed pages are Paiwise and Checkout v2 pages: a v3.1 enum on a same-named field (a history event's
    # `name`) says nothing about them
    enums = enum_values_by_property(exclude="swedbankpay/checkout-v3/")
    missing = set()
    for doc in _seed_docs():
        for kind, key, value in _keys_and_values(doc):
            if kind == "value" and key in enums and value not in enums[key]:
                missing.add((key, value))
    assert not missing


# enumerations the pages state in prose: (seed, field, regex capturing the list)
_PROSE = [
    (SPP, "operation", r"Possible options are ([^.]+)\."),
    (SPP, "language", r"^(sv-SE, nb-NO, da-DK, en-US or fi-FI)\."),
    (SPP, "implementation", r"implementation type\. (Enterprise or PaymentsOnly)\."),
    (SPP, "integration", r"integration type\. (HostedView) \(Seamless View\) (or Redirect)\."),
    (SPP, "transactionType", r"This will either be set to (Authorization or Sale)\."),
    (SPP, "acquirerTransactionType", r"^(3DSECURE or STANDARD)\."),
    (SPP, "transactionInitiator", r"^The party which initiated the transaction\. (MERCHANT or CARDHOLDER)\."),
    (SPP, "type", r"^(payment, recurrence, transactionOnFile or unscheduled)\."),
    (SPP, "status", r"^(Initialized) is returned|(Paid) is returned|(Failed) is returned|(Cancelled) is returned|(Aborted) is returned"),
    (PW, "status", r"Possible statuses are\n\n((?:- .+\n)+)"),
]


@pytest.mark.parametrize("seed,field,rx", _PROSE, ids=[f"{s[:3]}-{f}" for s, f, _ in _PROSE])
def test_every_enum_value_in_the_prose_is_in_the_schemas(seed, field, rx):
    text = (seed_dir() / seed).read_text(encoding="utf-8")
    found = []
    for m in re.finditer(rx, text, flags=re.M):
        for group in m.groups():
            if group:
                found += [v.strip() for v in re.split(r",|\bor\b|\band\b|\n- |^- |\n", group) if v.strip() and v.strip() != "-"]
    found = [re.sub(r"^- ", "", v) for v in found]
    assert found, "the sentence was not found in the seed page"
    # "Abort Verify" in the page lacks its comma (ledger SPP-ABORT-VERIFY)
    values = [w for v in found for w in (v.split() if v == "Abort Verify" else [v])]
    allowed = enum_values_by_property()[field]
    assert set(values) <= allowed, set(values) - allowed


def test_headers_shown_on_the_page_validate():
    for h in headers(SPP):
        found = engine.validate("swedbankpay/checkout-v2/headers", {k.lower(): v for k, v in h["headers"].items()})
        assert not found and h["status"] == 200


def test_every_ledger_row_is_pinned_by_an_existing_case():
    from casefiles import load_cases
    ids = {c.id for c in load_cases()}
    rows = [line for line in QUIRKS.read_text(encoding="utf-8").splitlines() if line.startswith("| ") and not line.startswith("| id ")]
    rows = [r for r in rows if not set(r.replace("|", "").strip()) <= set("-")]
    assert len(rows) >= 60
    unknown = {}
    for row in rows:
        pinned = row.rstrip(" |").rsplit("|", 1)[-1]
        named = set(re.findall(r"\b(?:pw|spp)-[A-Za-z0-9_-]*[A-Za-z0-9_]", pinned))
        if named - ids:
            unknown[row.split("|")[1].strip()] = sorted(named - ids)
    assert not unknown, unknown
