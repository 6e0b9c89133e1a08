"""The free-form parts' strategies (metaData, generic details, state-model items) draw only instances of their
narrowed schemas, and the translator refuses a keyword it does not know instead of ignoring it."""
from __future__ import annotations

import re

import jsonschema
import pytest
from hypothesis import given, settings, strategies as st

from checkout_contracts.strategies.freeform import SCHEMAS, from_narrow, strategy


@pytest.mark.parametrize("kind", sorted(SCHEMAS))
def test_draws_are_valid_under_the_narrowed_schema(kind):
    validator = jsonschema.Draft202012Validator(SCHEMAS[kind])
    drawn = []

    @settings(max_examples=150, database=None)
    @given(strategy(kind))
    def check(value):
        errors = list(validator.iter_errors(value))
        assert not errors, errors[0].message
        drawn.append(value)

    check()
    assert any(drawn), f"{kind}: only empty values drawn"


def test_an_unknown_keyword_is_refused():
    with pytest.raises(ValueError, match="uniqueItems"):
        from_narrow({"type": "array", "uniqueItems": True})
    with pytest.raises(ValueError, match="not both"):
        from_narrow({"type": "object", "properties": {"a": {"type": "null"}}, "additionalProperties": {"type": "null"}})


def test_patterns_are_matched_whole():
    @settings(max_examples=60, database=None)
    @given(st.data())
    def check(data):
        value = data.draw(from_narrow({"type": "string", "pattern": "^[a-z][0-9]{0,2}$(?!\\n)", "maxLength": 3}))
        assert re.fullmatch(r"[a-z][0-9]{0,2}", value), repr(value)
    check()
