"""The safe, position-keeping YAML loader (engine/load/yamlload.py)."""

from __future__ import annotations

import pytest

from engine.load import yamlload
from engine.load.yamlload import (
    MAX_ALIAS_NODES,
    MAX_BYTES,
    MAX_DEPTH,
    Position,
    load_bytes,
    load_file,
    load_text,
)


def codes(loaded) -> list[str]:
    return [d.code for d in loaded.diagnostics]


def only(loaded):
    assert len(loaded.diagnostics) == 1, loaded.diagnostics
    return loaded.diagnostics[0]


def test_plain_data_and_yaml11_scalars() -> None:
    loaded = load_text(
        "a: 1\nb: [x, 'y', {c: yes}]\nd: ~\ne: 0x10\nf: 1.5\ng: 2024-01-01\nh: '1'\ni: off\n", "f"
    )
    assert loaded.ok
    assert loaded.data == {
        "a": 1,
        "b": ["x", "y", {"c": True}],
        "d": None,
        "e": 16,
        "f": 1.5,
        "g": "2024-01-01",
        "h": "1",
        "i": False,
    }


def test_keys_are_the_text_written() -> None:
    loaded = load_text("1: a\non: b\nnull: c\n", "f")
    assert loaded.data == {"1": "a", "on": "b", "null": "c"}


def test_positions_of_keys_and_values_are_one_based() -> None:
    text = "top: 1\nscenes:\n  first-call:\n    choices:\n      - id: a\n        next: b\n"
    loaded = load_text(text, "f")
    src = loaded.source
    assert src.value(("top",)) == Position(1, 6)
    assert src.key(("scenes", "first-call")) == Position(3, 3)
    assert src.value(("scenes", "first-call", "choices", 0)) == Position(5, 9)
    assert src.key(("scenes", "first-call", "choices", 0, "next")) == Position(6, 9)
    assert src.value(("scenes", "first-call", "choices", 0, "next")) == Position(6, 15)
    assert src.value(("scenes", "nope")) is None
    # locate falls back to the nearest existing ancestor
    assert src.locate(("scenes", "first-call", "choices", 0, "missing")) == Position(5, 9)
    assert src.line_text(6) == "        next: b"


def test_crlf_and_bom_do_not_shift_positions() -> None:
    loaded = load_bytes(b"\xef\xbb\xbfa: 1\r\nb:\r\n  c: 2\r\n", "f")
    assert loaded.data == {"a": 1, "b": {"c": 2}}
    assert loaded.source.value(("b", "c")) == Position(3, 6)


def test_duplicate_key_is_refused_at_the_second_naming_the_first() -> None:
    d = only(load_text("a: 1\nb:\n  x: 1\n  y: 2\n  x: 3\n", "f"))
    assert (d.code, d.line, d.column) == ("NTX007", 5, 3)
    assert "line 3" in d.message


@pytest.mark.parametrize(
    "text, line, column",
    [
        ("a:\n\tb: 1\n", 2, 1),
        ("a:\n  b: 1\n  \tc: 2\n", 3, 3),
        ("text: |\n\tfoo\n", 2, 1),
    ],
)
def test_tab_indentation(text: str, line: int, column: int) -> None:
    d = only(load_text(text, "f"))
    assert (d.code, d.line, d.column) == ("NTX006", line, column)
    assert "tabs are not allowed" in d.message


def test_tabs_inside_text_are_fine() -> None:
    loaded = load_text("a:\t1\ntext: |\n  foo\n  \tbar\n", "f")
    assert loaded.data == {"a": 1, "text": "foo\n\tbar\n"}


def test_syntax_error_is_located_and_explained() -> None:
    d = only(load_text("a: 1\ntitle: The call: now\n", "f"))
    assert (d.code, d.line, d.column) == ("NTX005", 2, 16)
    assert "quoted" in d.message


def test_unknown_alias_is_a_syntax_error() -> None:
    d = only(load_text("a: *nope\n", "f"))
    assert (d.code, d.line, d.column) == ("NTX005", 1, 4)


def test_aliases_within_the_limit_share_the_value() -> None:
    loaded = load_text("a: &x [1, 2]\nb: *x\n", "f")
    assert loaded.data == {"a": [1, 2], "b": [1, 2]}


def test_alias_bomb_is_refused() -> None:
    text = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    prev = "a"
    for name in "bcdefghijklmnop":
        text += f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]\n"
        prev = name
    d = only(load_text(text, "f"))  # 9**16 nodes if expanded: this returns only if refused
    assert d.code == "NTX008"
    assert f"{MAX_ALIAS_NODES:,}" in d.message


def test_recursive_alias_is_refused() -> None:
    d = only(load_text("a: &x [1, *x]\n", "f"))
    assert (d.code, d.line, d.column) == ("NTX008", 1, 11)


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 999, 1000, 200_000])
@pytest.mark.parametrize("parser", ["libyaml", "pure-python"])
def test_deep_nesting_is_refused_whatever_the_parser(
    depth: int, parser: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # libyaml >= 0.2.6 stops at 1000 flow levels while reading ahead, before any event reaches
    # the builder; older libyaml segfaults near 100k. Either way the author gets NTX013.
    if parser == "pure-python":
        monkeypatch.setattr(yamlload, "_CParser", None)
    d = only(load_text("a: " + "[" * depth + "]" * depth + "\n", "f"))
    assert d.code == "NTX013"
    assert str(MAX_DEPTH) in d.message
    assert d.line == 1


@pytest.mark.parametrize("parser", ["libyaml", "pure-python"])
def test_nesting_at_the_limit_loads(parser: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if parser == "pure-python":
        monkeypatch.setattr(yamlload, "_CParser", None)
    depth = MAX_DEPTH - 1  # the mapping at the top is one level
    loaded = load_text("a: " + "[" * depth + "]" * depth + "\n", "f")
    assert loaded.diagnostics == ()


def test_block_nesting_is_refused_too() -> None:
    text = "".join("  " * i + "- \n" for i in range(MAX_DEPTH)) + "  " * MAX_DEPTH + "- x\n"
    d = only(load_text("a:\n" + text, "f"))
    assert d.code == "NTX013"


@pytest.mark.parametrize(
    "text, code",
    [
        ("", "NTX004"),
        ("# only a comment\n", "NTX004"),
        ("---\n", "NTX004"),
        ("a: 1\n---\nb: 2\n", "NTX009"),
        ("- 1\n- 2\n", "NTX010"),
        ("just text\n", "NTX010"),
        ("? [a]\n: 1\n", "NTX011"),
        ("a: !!python/object/apply:os.system [ls]\n", "NTX012"),
        ("a: !!binary aGk=\n", "NTX012"),
        ("a: !custom x\n", "NTX012"),
        ("a: !!int abc\n", "NTX012"),
        ("a: !!bool maybe\n", "NTX012"),
        ("a: &k x\nx: 1\n*k : 2\n", "NTX007"),
        ("a: b\x00c\n", "NTX003"),
    ],
)
def test_refusals(text: str, code: str) -> None:
    d = only(load_text(text, "f.yaml"))
    assert d.code == code
    assert d.file == "f.yaml" and d.line >= 1 and d.column >= 1


def test_explicit_core_tags_are_allowed() -> None:
    loaded = load_text("a: !!str 12\nb: !!int '7'\nc: !!map {x: 1}\n", "f")
    assert loaded.data == {"a": "12", "b": 7, "c": {"x": 1}}


def test_non_utf8_names_line_and_column_of_the_bad_byte() -> None:
    d = only(load_bytes(b"a: 1\nregion: S\xe3o Tom\xe9\n", "f"))
    assert (d.code, d.line, d.column) == ("NTX003", 2, 10)
    d = only(load_bytes("a: é\n".encode() + b"b: caf\xe9\n", "f"))
    assert (d.line, d.column) == (2, 7)


def test_utf16_is_named() -> None:
    d = only(load_bytes("a: 1\n".encode("utf-16"), "f"))
    assert d.code == "NTX003" and "UTF-16" in d.message


def test_oversized_file_is_refused_before_parsing(tmp_path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as fh:
        fh.truncate(MAX_BYTES + 1)  # sparse: costs no disk or time
    d = only(load_file(path))
    assert (d.code, d.line, d.column) == ("NTX002", 1, 1)
    assert "limit" in d.message


def test_unreadable_paths(tmp_path) -> None:
    assert codes(load_file(tmp_path)) == ["NTX001"]
    assert codes(load_file(tmp_path / "missing.yaml")) == ["NTX001"]


def test_columns_count_characters_not_bytes() -> None:
    loaded = load_text("title: Café — ok\nnext: x\nété: [a, b]\n", "f")
    assert loaded.source.value(("été", 1)) == Position(3, 10)
