"""The Hypothesis pin: hypothesis-jsonschema 0.23.1 crashes with hypothesis >= 6.170.10 ("'many' object has no
attribute 'more'"), so pyproject pins hypothesis below it. The installed versions must satisfy the pins, and
from_schema must really draw (objects and arrays go through the code that crashed)."""
from __future__ import annotations

import re
import sys
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def _requirements() -> dict[str, Requirement]:
    if sys.version_info >= (3, 11):
        import tomllib
        deps = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    else:  # pragma: no cover - Python 3.10 has no tomllib: read the dependency strings
        deps = re.findall(r'^\s*"([^"]+)",?\s*$', PYPROJECT.read_text().split("dependencies = [", 1)[1].split("]", 1)[0],
                          re.M)
    return {Requirement(d).name: Requirement(d) for d in deps}


def test_installed_versions_satisfy_the_pins():
    reqs = _requirements()
    for name in ("hypothesis", "hypothesis-jsonschema"):
        assert name in reqs, f"{name} is not pinned in pyproject.toml"
        installed = version(name)
        assert reqs[name].specifier.contains(installed, prereleases=True), f"{name} {installed} not in {reqs[name]}"
    assert not reqs["hypothesis"].specifier.contains("6.170.10"), "the pin must keep hypothesis below 6.170.10"


def test_from_schema_draws_without_crashing():
    from hypothesis import HealthCheck, given, settings
    from hypothesis_jsonschema import from_schema

    from contracts import check
    from contracts.strategies.freeform import SCHEMAS, bundled

    seen = []
    schema = {"type": "object", "required": ["items"], "properties": {
        "items": {"type": "array", "minItems": 1, "items": SCHEMAS["metaData"]}}}

    @settings(max_examples=5, database=None, derandomize=True, deadline=None, suppress_health_check=list(HealthCheck))
    @given(from_schema(schema), from_schema(bundled("swedbankpay/checkout-v2/token")))
    def draw(doc, token):
        assert isinstance(doc["items"], list) and doc["items"]
        assert check(token, "swedbankpay/checkout-v2/token").valid
        seen.append(doc)

    draw()
    assert seen
