"""Schemas and patterns compile to what the engines decide, or are refused (then: no fast path)."""
from __future__ import annotations

import json
import random
import re

import pytest

from checkout_contracts import registry
from checkout_contracts.strategies import fixtures
from checkout_contracts.fastpath import dfa
from checkout_contracts.fastpath.program import Program
from casefiles import load_cases


def _patterns() -> list[str]:
    found: set[str] = set()

    def walk(node):
        if isinstance(node, dict):
            for k, v in node.items():
                if k == "pattern" and isinstance(v, str):
                    found.add(v)
                elif k not in ("enum", "const", "examples", "default"):
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    for _, schema in registry.resources():
        walk(schema)
    return sorted(found)


def _strings() -> list[str]:
    out: set[str] = set()

    def walk(node):
        if isinstance(node, str):
            out.add(node)
        elif isinstance(node, dict):
            for k, v in node.items():
                out.add(k)
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
    for case in load_cases():
        walk(case.instance)
    for name in registry.names():  # and what the generators make: every documented form, edge lengths
        for kind in ("valid", "edge"):
            for ex in fixtures.examples(name, kind, 20, seed="patterns"):
                walk(ex.payload)
    return sorted(out)


def _ecma(pattern: str) -> re.Pattern:
    """Python's re with ECMA-262's ``$`` (end of input only) — what jsonschema-rs applies."""
    return re.compile(pattern[:-1] + r"\Z" if pattern.endswith("$") else pattern)


PATTERNS = _patterns()
STRINGS = _strings()


def _variants(rng: random.Random, text: str) -> list[str]:
    out = [text, text + "\n", "\n" + text, text[:-1], text + text[-1:], text.upper(), text.lower(), text + "é",
           "é" + text, text.replace("-", ""), text + "\u2028"]
    for _ in range(6):
        i = rng.randrange(len(text) + 1)
        out.append(text[:i] + rng.choice("0aZ-/ .:é\n*@+") + text[i + 1:])
    return out


@pytest.mark.parametrize("pattern", PATTERNS)
def test_each_pattern_matches_like_the_ecma_engine(pattern, fast):
    ecma = _ecma(pattern)
    compiled = dfa.compile_pattern(pattern)
    index = fast.dfa_index[pattern] if pattern in fast.dfa_index else None
    rng = random.Random(pattern)
    texts = [s for s in STRINGS if len(s) < 200]
    texts += [v for s in rng.sample(texts, min(60, len(texts))) + [t for t in texts if ecma.search(t)][:40]
              for v in _variants(rng, s or "x")]
    texts += ["", " ", "\n", "é" * 3]
    matched = 0
    for text in texts:
        want = bool(ecma.search(text))
        matched += want
        assert dfa.matches(compiled, text) is want, (pattern, text)
        if index is not None:
            assert fast._c.dfa_match(fast.prog, index, text.encode("utf-8", "surrogatepass")) is want, (pattern, text)
    assert "[\n\r]" == pattern or matched, f"no test string matches {pattern}: the comparison proves little"


@pytest.mark.parametrize("pattern, why", [
    ("^(?=a)b$", "lookaround"), ("^a+?$", "lazy"), ("^\\p{L}$", "escape"), ("^a{1,999}$", "bound"),
    ("^[é]$", "non-ASCII"), ("^a|^b$", "anchor inside"),
])
def test_patterns_outside_the_subset_are_refused(pattern, why):
    with pytest.raises(dfa.Unsupported):
        dfa.compile_pattern(pattern)


def test_a_literal_prefix_is_compared_once():
    classes, table, accepting, dead, prefix, after = dfa.compact(dfa.compile_pattern("^/psp/paymentorders/[0-9]{2}$"))
    assert prefix == b"/psp/paymentorders/"
    assert not dfa.compact(dfa.compile_pattern("[\n\r]"))[4]


def test_an_unknown_keyword_keeps_the_schema_off_the_fast_path(monkeypatch):
    prog = Program()
    uri = registry.schema_id("swedbankpay/checkout-v2/token")
    schema = json.loads(json.dumps(prog._resources[uri]))
    schema["properties"]["token"]["multipleOf"] = 2
    prog._resources[uri] = schema
    assert prog.add_schema("swedbankpay/checkout-v2/token") is False
    assert "multipleOf" in prog.unsupported["swedbankpay/checkout-v2/token"]
    assert prog.add_schema("swedbankpay/checkout-v2/problem") is True


def test_an_empty_subschema_is_kept_not_dropped_as_a_bare_ref():
    """``{"not": {}}`` must stay a "not" of an always-valid node (so nothing passes it), not a "not" of nothing."""
    from checkout_contracts.fastpath.program import NODE_FIELDS
    prog = Program()
    uri = registry.schema_id("swedbankpay/checkout-v2/token")
    schema = json.loads(json.dumps(prog._resources[uri]))
    schema["not"] = {}
    schema["allOf"] = [{"title": "only an annotation"}]
    prog._resources[uri] = schema
    assert prog.add_schema("swedbankpay/checkout-v2/token")
    nodes, roots = prog.tables()
    root = dict(zip(NODE_FIELDS, nodes[roots["swedbankpay/checkout-v2/token"]]))
    assert root["not_"] >= 0 and all(i >= 0 for i in root["allof"])


def test_enum_and_const_together_are_refused():
    prog = Program()
    uri = registry.schema_id("swedbankpay/checkout-v2/problem")
    schema = json.loads(json.dumps(prog._resources[uri]))
    schema["properties"]["title"] = {"type": "string", "const": "x", "enum": ["y"]}
    prog._resources[uri] = schema
    assert not prog.add_schema("swedbankpay/checkout-v2/problem")


def test_anchors_bind_to_their_own_branch_and_dot_is_read_as_the_engine_reads_it():
    with pytest.raises(dfa.Unsupported):
        dfa.compile_pattern("^a|b$")  # (^a)|(b$), not ^(a|b)$
    assert dfa.compile_pattern("^(a|b)$")
    dot = dfa.compile_pattern("^.$")
    assert dfa.matches(dot, "\r") and dfa.matches(dot, "é") and not dfa.matches(dot, "\n")
