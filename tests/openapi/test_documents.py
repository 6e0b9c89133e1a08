"""The OpenAPI 3.1 documents: generated from the schemas and the route table, shipped current, accepted by
openapi-spec-validator, self-contained, and in agreement with what ``validate`` routes."""
from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest

from checkout_contracts.cli import main
from checkout_contracts.inputs.model import HttpContext
from checkout_contracts.openapi import apis, render
from checkout_contracts.openapi.build import SAMPLE_ORIGIN, schema_prefix
from checkout_contracts.routes import route_for

REPO = Path(__file__).resolve().parents[2]
SHIPPED = REPO / "openapi"
BUILT = ("paiwise", "swedbankpay-v2")


@functools.lru_cache(maxsize=None)
def _built(api: str) -> str:
    return render(api)


def _doc(api: str) -> dict:
    """The generated document (built once per API for this module; a fresh copy each call)."""
    return json.loads(_built(api))


def _params():
    return list(apis())


def test_the_three_apis():
    assert apis() == ("paiwise", "swedbankpay-v2", "swedbankpay-v3")


@pytest.mark.parametrize("api", _params())
def test_shipped_document_is_current(api):
    text = _built(api)
    path = SHIPPED / f"{api}.json"
    assert path.is_file(), f"missing {path}: run checkout-contracts openapi {api} -o openapi/{api}.json"
    assert path.read_text(encoding="utf-8") == text, \
        f"{path} is stale: run checkout-contracts openapi {api} -o openapi/{api}.json"


@pytest.mark.parametrize("api", _params())
def test_openapi_spec_validator_accepts_it(api):
    from openapi_spec_validator import validate
    from openapi_spec_validator.validation.exceptions import OpenAPIValidationError
    doc = _doc(api)
    validate(doc)  # raises on any violation
    broken = json.loads(json.dumps(doc))
    broken["paths"]["/bad"] = {"get": {"responses": {"200": {"content": "nope"}}}}
    with pytest.raises(OpenAPIValidationError):  # the validator really looks
        validate(broken)


def _refs(node, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                out.append(v)
            else:
                _refs(v, out)
    elif isinstance(node, list):
        for v in node:
            _refs(v, out)
    return out


def _pointer(doc, ref):
    node = doc
    for part in ref[2:].split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


@pytest.mark.parametrize("api", BUILT)
def test_self_contained_no_ids_every_ref_resolves(api):
    doc = _doc(api)
    refs = _refs(doc, [])
    assert refs and all(r.startswith("#/components/") for r in refs), [r for r in refs if not r.startswith("#/")][:5]
    for ref in set(refs):
        _pointer(doc, ref)  # KeyError for a dangling one
    text = json.dumps(doc)
    assert '"$id"' not in text and '"$schema"' not in text and "checkout-contracts.dev" not in text
    used = {r.split("/")[3] for r in refs if r.startswith("#/components/schemas/")}
    assert used == set(doc["components"]["schemas"]), "only reachable components are bundled"


@pytest.mark.parametrize("api", BUILT)
def test_every_response_has_the_schema_validate_routes_to(api):
    doc = _doc(api)
    seen = 0
    for template, item in doc["paths"].items():
        for method, op in item.items():
            for p in op.get("parameters", []):
                if p["in"] == "path":
                    assert re.fullmatch(p["schema"]["pattern"], p["example"])
            url = SAMPLE_ORIGIN + re.sub(r"\{\w+\}", "5a17c24e-d459-4567-bbad-aa0f17a76119", template)
            for status, response in op["responses"].items():
                for media, content in response["content"].items():
                    route = route_for(HttpContext(method.upper(), url, int(status), {"content-type": media}))
                    names = [s for s in route.schemas if s.startswith(schema_prefix(api))]
                    schema = content.get("schema")
                    if not route.schemas:
                        assert schema is None, (method, template, status)
                        continue
                    refs = [schema["$ref"]] if "$ref" in schema else [s["$ref"] for s in schema["anyOf"]]
                    assert refs == [f"#/components/schemas/{s.replace('/', '.')}" for s in names]
                    seen += 1
    assert seen >= 5


@pytest.mark.parametrize("api", BUILT)
def test_success_bodies_with_a_schema_carry_examples_that_validate(api):
    from checkout_contracts import check
    doc = _doc(api)
    for template, item in doc["paths"].items():
        for method, op in item.items():
            url = SAMPLE_ORIGIN + re.sub(r"\{\w+\}", "5a17c24e-d459-4567-bbad-aa0f17a76119", template)
            for status, response in op["responses"].items():
                for media, content in response["content"].items():
                    if "schema" not in content or int(status) >= 300:
                        continue
                    assert content.get("examples"), f"{method} {template} {status}: no example (Prism would invent one)"
                    for ref in content["examples"].values():
                        data = _pointer(doc, ref["$ref"])["value"]
                        http = HttpContext(method.upper(), url, int(status), {"content-type": media})
                        assert not check(data, route_for(http).choose(data), http=http).errors


def test_path_and_query_parameters():
    doc = _doc("swedbankpay-v2")
    get = doc["paths"]["/psp/paymentorders/{id}"]["get"]
    names = {(p["in"], p["name"]) for p in get["parameters"]}
    assert names == {("path", "id"), ("query", "$expand")}
    assert doc["security"] == [{"bearerAuth": []}]
    assert doc["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http", "scheme": "bearer", "description": "Authorization: Bearer <token>"}
    urls = [s["url"] for s in doc["servers"]]
    assert "https://api.externalintegration.payex.com" in urls and "http://{host}:{port}" in urls
    create = doc["paths"]["/psp/paymentorders"]["post"]
    assert set(create["responses"]) == {"201", "400", "401", "403", "404", "500"}
    assert set(create["responses"]["404"]["content"]) == {"application/problem+json; version=2.0",
                                                          "application/json; version=2.0"}
    assert set(create["requestBody"]["content"]) == {"application/json; version=2.0"}


# ---- the CLI --------------------------------------------------------------------------------------------
def test_cli_prints_writes_and_checks(tmp_path, capsys):
    assert main(["openapi", "paiwise"]) == 0
    assert capsys.readouterr().out == render("paiwise")
    out = tmp_path / "pw.json"
    assert main(["openapi", "paiwise", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == render("paiwise")
    assert main(["openapi", "paiwise", "-o", str(out), "--check"]) == 0
    out.write_text(out.read_text(encoding="utf-8").replace("Paiwise Checkout API", "Other API", 1), encoding="utf-8")
    assert main(["openapi", "paiwise", "-o", str(out), "--check"]) == 1
    assert "stale" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


@pytest.mark.parametrize("argv, message", [
    (["openapi", "nope"], "unknown API 'nope'; known: paiwise, swedbankpay-v2, swedbankpay-v3"),
    (["openapi", "paiwise", "--check"], "--check needs -o FILE"),
    (["openapi", "paiwise", "-o", "/nonexistent-dir/x.json"], "cannot write /nonexistent-dir/x.json"),
])
def test_cli_errors_are_one_line(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_a_malformed_route_table_is_one_line(monkeypatch, capsys):
    import importlib
    build_module = importlib.import_module("checkout_contracts.openapi.build")  # the module, not the function
    table, patterns = build_module._table()
    broken = {**table, "operations": [*table["operations"], {"api": "paiwise", "method": "POST", "path": "/checkout/x",
                                                             "id": "x", "summary": "x", "success": [200],
                                                             "query": ["nosuchparam"]}]}
    monkeypatch.setattr(build_module, "_table", lambda: (broken, patterns))
    assert main(["openapi", "paiwise"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "section openapi: malformed for paiwise (KeyError: 'nosuchparam')" in err
