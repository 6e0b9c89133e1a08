"""YAML fixtures: safe loading, multi-document files, JSON compatibility, hostile input."""
from __future__ import annotations

import pytest


def test_single_document(write, read):
    [rec] = read(write("paid.yaml", "# fixture\npaymentOrder:\n  status: Paid\n  amount: 1500\n"))
    assert rec.error is None and rec.record is None and rec.line == 2
    assert rec.data == {"paymentOrder": {"status": "Paid", "amount": 1500}}


def test_multi_document_file(write, read):
    text = "a: 1\n---\nb: 2\n---\n- not\n- an object\n---\nc: [1, 2\n"
    recs = read(write("many.yml", text))
    assert [(r.record, r.line) for r in recs[:3]] == [(1, 1), (2, 2), (3, 4)]
    assert [r.data for r in recs[:2]] == [{"a": 1}, {"b": 2}]
    assert recs[2].error == "top level is a JSON array, expected an object"
    assert recs[3].error.startswith("YAML syntax error: ") and (recs[3].record, recs[3].line) == (4, 9)
    assert len(recs) == 4


def test_timestamps_stay_strings_and_keys_become_strings(write, read):
    [rec] = read(write("t.yaml", "created: 2024-05-01T10:00:00Z\nday: 2024-05-01\ncodes:\n  200: ok\n  true: yes\n"))
    assert rec.data == {"created": "2024-05-01T10:00:00Z", "day": "2024-05-01", "codes": {"200": "ok", "true": True}}


def test_syntax_error_location(write, read):
    path = write("bad.yaml", "a: 1\nb: [1, 2\nc: 3\n")
    [rec] = read(path)
    assert rec.error.startswith("YAML syntax error: ")
    assert "\n" not in rec.error
    assert rec.line == 3 and rec.column == 2


@pytest.mark.parametrize(
    "text, reason",
    [
        ("", "empty document"),
        ("# only a comment\n", "empty document"),
        ("just text\n", "top level is a JSON string, expected an object"),
        ("a: !!binary aGVsbG8=\n", "binary value (!!binary) at $.a is not valid JSON"),
        ("a: [1, .nan]\n", "NaN/Infinity is not valid JSON (YAML value at $.a[1])"),
        ("a: !!set {x, y}\n", "YAML value at $.a is a set, not valid JSON"),
        ("a: &x [1, *x]\n", "YAML alias at $.a[1] is recursive; JSON cannot represent it"),
    ],
)
def test_unreadable_yaml(write, read, text, reason):
    [rec] = read(write("u.yaml", text))
    assert rec.error == reason and rec.data is None


def test_python_object_tags_are_never_constructed(write, read):
    [rec] = read(write("evil.yaml", "a: !!python/object/apply:os.system ['echo hacked']\n"))
    assert rec.error.startswith("YAML syntax error: could not determine a constructor")
    assert rec.line == 1


def test_invalid_utf8(write, read):
    [rec] = read(write("l1.yaml", "city: Malmö\n".encode("latin-1")))
    assert rec.error == "invalid UTF-8: byte 0xf6 at offset 10" and (rec.line, rec.column) == (1, 11)


def test_duplicate_keys_with_paths(write, read):
    [rec] = read(write("d.yaml", "a: 1\npaid:\n  amount: 1\n  amount: 2\nlist:\n- {x: 1, x: 2}\na: 3\n"))
    assert rec.error is None and rec.data["paid"]["amount"] == 2
    assert rec.duplicate_keys == [
        "$.paid: duplicate key 'amount'",
        "$.list[0]: duplicate key 'x'",
        "$: duplicate key 'a'",
    ]


def test_merge_keys_are_not_duplicates(write, read):
    [rec] = read(write("m.yaml", "base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2\n"))
    assert rec.duplicate_keys == [] and rec.data["item"] == {"x": 1, "y": 2}


def test_top_level_list_of_objects(write, read):
    recs = read(write("l.yaml", "- id: 1\n- id: 2\n  x: {k: 1, k: 2}\n- 3\n"))
    assert [(r.record, r.line) for r in recs] == [(1, 1), (2, 2), (3, 4)]
    assert recs[1].duplicate_keys == ["$.x: duplicate key 'k'"]
    assert recs[2].error == "array item is a JSON number, expected an object"


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000, "a:\n" + "".join(" " * i + "- \n" for i in range(1, 400))])
def test_deep_nesting_never_crashes(write, read, text):
    # libyaml's composer recurses in C; 100 000 levels would kill the interpreter
    recs = read(write("deep.yaml", text))
    assert [r.error for r in recs] == ["nesting deeper than 256 levels"]


def test_depth_limit_is_inclusive(write, read):
    ok = "a: " + "[" * 255 + "]" * 255 + "\n"
    assert read(write("ok.yaml", ok))[0].error is None
    [rec] = read(write("deep.yaml", "a: " + "[" * 256 + "]" * 256 + "\n"))
    assert rec.error == "nesting deeper than 256 levels" and (rec.line, rec.column) == (1, 259)


def test_documents_before_a_too_deep_one_are_kept(write, read):
    recs = read(write("mixed.yaml", "a: 1\n---\nb: " + "[" * 300 + "]" * 300 + "\n---\nc: 3\n"))
    assert [r.data for r in recs] == [{"a": 1}, None]
    assert recs[1].error == "nesting deeper than 256 levels" and recs[1].record == 2


def _laughs(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_rejected_quickly(write, read):
    [rec] = read(write("laughs.yaml", _laughs(30)))  # 10 * 5**29 values once expanded
    assert rec.error == "YAML aliases expand to more than 5000000 values"


def test_shared_aliases_are_fine(write, read):
    [rec] = read(write("shared.yaml", _laughs(4)))
    assert rec.error is None and rec.data["a3"][0][0] == rec.data["a1"]


def test_max_depth_is_capped_for_yaml(write, read):
    # YAML_MAX_DEPTH (512) caps any --max-depth: below libyaml's own 1,000 flow levels in PyYAML 6.0.4
    [rec] = read(write("deep.yaml", "[" * 2000 + "]" * 2000), max_depth=5000)
    assert rec.error == "nesting deeper than 512 levels" and rec.column == 513
    [ok] = read(write("ok.yaml", "a: " + "[" * 511 + "]" * 511 + "\n"), max_depth=5000)
    assert ok.error is None


@pytest.mark.parametrize("limit", [5, 300])
def test_our_bound_speaks_whatever_libyaml_refuses(write, read, monkeypatch, limit):
    """A PyYAML release whose libyaml stops at ``limit`` levels on its own: our reason and bound still speak."""
    import yaml

    from checkout_contracts.inputs import yamlin

    real_parse, real_load = yaml.parse, yaml.load

    def refuse(text, loader):
        depth = 0
        for ch in text:
            depth += ch == "["
            if depth > limit:
                raise yaml.scanner.ScannerError("while increasing flow level", None,
                                                "exceeded maximum nesting depth", None)

    def parse(text, Loader):
        if Loader is not yaml.SafeLoader:
            refuse(text, Loader)
        return real_parse(text, Loader=Loader)

    def load(text, Loader):
        if Loader is yamlin.JsonishLoader and yamlin.JsonishLoader is not yamlin._PureJsonishLoader:
            refuse(text, Loader)
        return real_load(text, Loader=Loader)

    monkeypatch.setattr(yaml, "parse", parse)
    monkeypatch.setattr(yaml, "load", load)
    [deep] = read(write("deep.yaml", "a: " + "[" * 600 + "]" * 600 + "\n"))
    assert deep.error == "nesting deeper than 256 levels" and (deep.line, deep.column) == (1, 259)
    [fine] = read(write("fine.yaml", "a: " + "[" * 200 + "1" + "]" * 200 + "\n"))
    assert fine.error is None and str(fine.data["a"]) == "[" * 199 + "[1" + "]" * 200
    broken = read(write("broken.yaml", "a: [1, 2\n"))
    assert broken[0].error.startswith("YAML syntax error")
