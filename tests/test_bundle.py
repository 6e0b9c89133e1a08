"""``checkout-contracts schemas --bundle NAME``: one file, every referenced schema embedded under ``$defs``, every
``$ref`` local. It accepts exactly what the schema accepts (python-jsonschema on both forms, valid and broken
payloads of every schema), and other validators use it without network access: check-jsonschema (with every
proxy pointing nowhere) and Ajv (when npm can install it here)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from checkout_contracts import registry
from checkout_contracts.bundle import bundle
from checkout_contracts.strategies import RandomDraw, build, mutate

NAMES = registry.names()
NO_NETWORK = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
AJV_CHECK = """
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");
const fs = require("fs");
const [schemaFile, ...files] = process.argv.slice(2);
const ajv = new Ajv2020({allErrors: true, strictTypes: false});
ajv.addKeyword("x-open-enum");
addFormats(ajv);
const validate = ajv.compile(JSON.parse(fs.readFileSync(schemaFile, "utf8")));
for (const f of files) console.log(validate(JSON.parse(fs.readFileSync(f, "utf8"))) ? "valid" : "invalid");
"""


def refs(node):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield v
            elif k not in ("enum", "const", "examples", "default"):
                yield from refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from refs(v)


def samples(name: str, n: int = 6) -> list[tuple[object, bool]]:
    """Valid payloads and payloads broken in one schema-level way (``True``: valid)."""
    out: list[tuple[object, bool]] = []
    for seed in range(n):
        doc = build(name, RandomDraw(seed))
        out.append((doc, True))
        try:
            out.append((mutate(name, doc, RandomDraw(seed)).instance, False))
        except LookupError:
            pass
    return out


def offline_validator(schema):
    from referencing import Registry
    from referencing.exceptions import NoSuchResource

    def refuse(uri):
        raise NoSuchResource(ref=uri)
    return jsonschema.Draft202012Validator(schema, registry=Registry(retrieve=refuse))


@pytest.mark.parametrize("name", NAMES)
def test_every_ref_is_local_and_the_bundle_judges_as_the_schema(name):
    bundled = bundle(name)
    assert all(r.startswith("#") for r in refs(bundled)), [r for r in refs(bundled) if not r.startswith("#")]
    assert bundled["$schema"] == registry.get(name)["$schema"]
    jsonschema.Draft202012Validator.check_schema(bundled)
    ours = jsonschema.Draft202012Validator(registry.get(name), registry=registry.registry())
    theirs = offline_validator(bundled)
    for doc, _ in samples(name):
        mine = sorted((list(e.absolute_path), e.validator) for e in ours.iter_errors(doc))
        assert sorted((list(e.absolute_path), e.validator) for e in theirs.iter_errors(doc)) == mine


def test_the_command_prints_the_bundle_and_refuses_an_unknown_name(capsys):
    from checkout_contracts.cli import main
    assert main(["schemas", "--bundle", "paiwise/checkout"]) == 0
    assert json.loads(capsys.readouterr().out) == bundle("paiwise/checkout")
    assert main(["schemas", "--bundle", "paiwise/nope"]) == 2
    assert "unknown schema 'paiwise/nope'" in capsys.readouterr().err


def _write_cases(tmp_path: Path, name: str) -> tuple[Path, list[Path], list[bool]]:
    schema = tmp_path / "bundle.json"
    schema.write_text(json.dumps(bundle(name)))
    files, expected = [], []
    validator = offline_validator(bundle(name))
    for i, (doc, _) in enumerate(samples(name, 3)):
        path = tmp_path / f"doc{i}.json"
        path.write_text(json.dumps(doc))
        files.append(path)
        expected.append(validator.is_valid(doc))
    assert True in expected and False in expected
    return schema, files, expected


def test_check_jsonschema_validates_with_the_bundle_offline(tmp_path):
    exe = shutil.which("check-jsonschema", path=os.path.dirname(sys.executable)) or shutil.which("check-jsonschema")
    if exe is None:
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]')")
    schema, files, expected = _write_cases(tmp_path, "swedbankpay/checkout-v2/payment-order")
    # one run for the valid payloads (all must pass), one for a broken one (it must fail): it starts slowly
    groups = ([f for f, v in zip(files, expected) if v], [next(f for f, v in zip(files, expected) if not v)])
    for group, rc in zip(groups, (0, 1)):
        proc = subprocess.run([exe, "--disable-formats", "*", "--schemafile", str(schema), *map(str, group)],
                              capture_output=True, text=True, env={**os.environ, **NO_NETWORK}, timeout=120)
        assert proc.returncode == rc, proc.stdout + proc.stderr
        assert "ok -- validation done" in proc.stdout if rc == 0 else "Schema validation errors" in proc.stdout


@pytest.fixture(scope="session")
def ajv(tmp_path_factory):
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node/npm not installed")
    where = tmp_path_factory.mktemp("ajv")
    proc = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--silent", "ajv@8", "ajv-formats@3"],
                          cwd=where, capture_output=True, text=True, timeout=300)
    if proc.returncode != 0:
        pytest.skip(f"npm could not install ajv here: {proc.stderr.strip()[-200:]}")
    (where / "check.js").write_text(AJV_CHECK)
    return node, where


@pytest.mark.parametrize("name", ["swedbankpay/checkout-v2/payment-order", "swedbankpay/checkout-v2/paid",
                                  "paiwise/checkout"])
def test_ajv_validates_with_the_bundle(tmp_path, ajv, name):
    node, where = ajv
    schema, files, expected = _write_cases(tmp_path, name)
    proc = subprocess.run([node, str(where / "check.js"), str(schema), *map(str, files)], cwd=where,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["valid" if v else "invalid" for v in expected]
