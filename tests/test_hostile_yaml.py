"""Hostile scenario text: huge numbers, long conditions, decoded control characters, and line
separators other than \\n. Each is refused (or read) with a located message and exit 1, in
every command, never with a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.check.validate import validate_file
from engine.core.expr import parse
from engine.load.yamlload import load_text

ROOT = Path(__file__).resolve().parents[1]
BALKANS = ROOT / "scenarios" / "balkans-arms-pipeline.yaml"
COMMANDS = (
    ("validate",),
    ("analyze",),
    ("test",),
    ("graph",),
    ("run", "--choices", ""),
)


def _edit(tmp_path: Path, old: str, new: str, name: str = "s.yaml") -> Path:
    text = BALKANS.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().split("\n"), 1) if needle in line)


def _clean(out: str) -> None:
    assert "Traceback" not in out
    assert "internal error" not in out


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_number_of_4301_digits_is_a_located_error_in_every_command(
    cli, tmp_path: Path, command: tuple[str, ...]
) -> None:
    path = _edit(tmp_path, "duration_minutes: 105", "duration_minutes: " + "9" * 4301)
    result = cli(command[0], str(path), *command[1:])
    _clean(result.stdout + result.stderr)
    assert result.returncode == 1
    line = _line_of(path, "duration_minutes")
    assert f"s.yaml:{line}:19: error: NTX015" in result.stdout + result.stderr
    assert "ok:" not in result.stdout


def test_a_huge_number_in_a_library_folder_spoils_neither_list_nor_other_runs(
    cli, tmp_path: Path
) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    _edit(lib, "duration_minutes: 105", "duration_minutes: " + "9" * 4301, "huge.yaml")
    listed = cli("list", "--library", str(lib))
    _clean(listed.stdout + listed.stderr)
    assert "sahel" in listed.stdout
    ran = cli("run", "sahel-gold-and-fuel", "--library", str(lib), "--choices", "")
    _clean(ran.stdout + ran.stderr)
    assert ran.returncode in (0, 1)
    assert "debrief" in ran.stdout.lower() or "alignment" in ran.stdout.lower()


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("a: 1234567890123456\n", True),
        ("a: 123456789012345\n", False),
        ("a: -123456789012345\n", False),
        ("a: 0x" + "f" * 200 + "\n", True),
        ("a: !!int '" + "7" * 5000 + "'\n", True),
        ("a: 1:" + "59:" * 30 + "0\n", True),  # sexagesimal: short text, huge value
        ("a: '" + "9" * 5000 + "'\n", False),  # quoted: text
    ],
)
def test_integers_are_measured_before_they_are_read(text: str, bad: bool) -> None:
    loaded = load_text(text, "f.yaml")
    codes = [(d.code, d.line, d.column) for d in loaded.diagnostics]
    assert codes == ([("NTX015", 1, 4)] if bad else [])


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_990_term_sum_in_a_condition_is_evaluated_without_recursion(
    cli, tmp_path: Path, command: tuple[str, ...]
) -> None:
    chain = "+".join(["1"] * 990)
    path = _edit(tmp_path, 'if: "cooperation >= 50"', f'if: "{chain} > 0"')
    result = cli(command[0], str(path), *command[1:])
    _clean(result.stdout + result.stderr)
    assert result.returncode in (0, 1)  # run with no choices stops at the first decision
    if command[0] == "validate":
        assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("+".join(["1"] * 990) + " == 990", {}, True),
        ("-".join(["a"] * 500) + " == -498", {"a": 1}, True),
        (" and ".join(["a"] * 330), {"a": 1}, True),
        (" or ".join(["a"] * 330) + " or b", {"a": 0, "b": 1}, True),
        ("not " * 59 + "a", {"a": 0}, True),
        ("(" * 59 + "a + 1" + ")" * 59 + " == 2", {"a": 1}, True),
    ],
    ids=["sum", "difference", "and", "or", "not", "parentheses"],
)
def test_long_chains_and_deep_nesting_evaluate(
    source: str, values: dict[str, int], expected: bool
) -> None:
    assert parse(source).holds(values) is expected


@pytest.mark.parametrize(
    "source",
    ["not " * 61 + "a", "(" * 61 + "a" + ")" * 61, "- " * 61 + "a", "1" * 16 + " > 0"],
    ids=["not", "parentheses", "minus", "number"],
)
def test_too_deep_or_too_large_conditions_are_syntax_errors(source: str) -> None:
    from engine.core.expr import ExprError

    with pytest.raises(ExprError):
        parse(source)


@pytest.mark.parametrize(
    "escape", ["\\e]0;pwned\\a", "\\x1b[2J", "\\x9b31m", "\\r", "\\N", "\\0", "\\x7f"]
)
def test_control_characters_from_yaml_escapes_are_refused_where_written(escape: str) -> None:
    text = f'a: 1\nb:\n  c: "title {escape} end"\n  "k{escape}": 2\n'
    loaded = load_text(text, "f.yaml")
    assert [(d.code, d.line, d.column) for d in loaded.diagnostics] == [("NTX016", 3, 6)]


def test_tabs_and_newlines_from_escapes_are_text() -> None:
    loaded = load_text('a: "one\\ttwo\\nthree"\n', "f.yaml")
    assert loaded.data == {"a": "one\ttwo\nthree"}


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85", "\r"])
def test_only_line_feeds_count_as_lines_in_positions(separator: str) -> None:
    # libyaml breaks lines at these too; reported lines must match the file's real lines
    text = f"a: x # note{separator}{separator}\nb: [1, 2\nc: 3\n"
    loaded = load_text(text, "f.yaml")
    (d,) = loaded.diagnostics
    assert d.code == "NTX005"
    assert d.line <= text.count("\n")
    loaded = load_text(f"a: x # {separator}\n\nb:\n  c: !!python/name:os 1\n", "f.yaml")
    assert [(d.code, d.line, d.column) for d in loaded.diagnostics] == [("NTX012", 4, 6)]


def test_separators_inside_text_keep_the_scenario_positions_real(tmp_path: Path) -> None:
    path = _edit(
        tmp_path, "title: The Kamenica Pipeline", 'title: "The\u2028Kamenica\u2029Pipeline\x85"'
    )
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("start: ", "start: nowhere-", 1), encoding="utf-8")
    result = validate_file(path)
    lines = path.read_text(encoding="utf-8").count("\n") + 1
    assert result.diagnostics
    for d in result.diagnostics:
        assert 1 <= d.line <= lines
    start = next(d for d in result.diagnostics if d.code == "NTX201")
    assert start.line == _line_of(path, "start: nowhere-")


def test_validate_never_says_ok_after_an_internal_error(cli, tmp_path: Path) -> None:
    # a file the validator cannot be made to crash on is checked with a planted bug instead
    plant = tmp_path / "sitecustomize.py"
    plant.write_text(
        "import engine.check.validate as v\n"
        "def boom(*a, **k):\n    raise RuntimeError('planted')\n"
        "v.validate_file = boom\n"
    )
    path = _edit(tmp_path, "duration_minutes: 105", "duration_minutes: 104")
    import os

    env = {"PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}"}
    result = cli("validate", str(path), env=env)
    assert result.returncode == 1
    assert "internal error" in result.stderr
    assert "ok:" not in result.stdout
    assert "not checked (internal error)" in result.stdout
