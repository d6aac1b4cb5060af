"""Condition expressions: grammar, evaluation, errors with offsets, and never eval."""

from __future__ import annotations

import contextlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.core.expr import ExprError, parse


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("trust >= 40", {"trust": 40}, True),
        ("trust >= 40", {"trust": 39}, False),
        ("a + b - 3 == 4", {"a": 5, "b": 2}, True),
        ("not a == 1", {"a": 1}, False),
        ("a == 1 or b == 1 and false", {"a": 1, "b": 1}, True),
        ("(a == 1 or b == 1) and false", {"a": 1, "b": 1}, False),
        ("-a < 0", {"a": 3}, True),
        ("- -a == 3", {"a": 3}, True),
        ("true", {}, True),
        ("raided", {"raided": 0}, False),
        ("raided", {"raided": 2}, True),
        ("a != b", {"a": 1, "b": 2}, True),
    ],
)
def test_evaluates(source: str, values: dict[str, int], expected: bool) -> None:
    assert parse(source).holds(values) is expected


def test_visited_and_chose_read_the_given_facts() -> None:
    expr = parse('visited("riot") and not chose("call", "raid")')
    assert expr.scene_refs == {"riot", "call"}
    assert expr.choice_refs == {("call", "raid")}
    assert expr.holds({}, {"riot"}, set())
    assert not expr.holds({}, {"riot"}, {("call", "raid")})
    assert not expr.holds({}, set(), set())


def test_names_are_collected_for_validation() -> None:
    expr = parse("trust > 3 and evidence + trust < 9")
    assert expr.variables == {"trust", "evidence"}
    assert expr.offsets_of("evidence") == [14]


@pytest.mark.parametrize(
    ("source", "offset", "fragment"),
    [
        ("a = 1", 2, "=="),
        ("a < b < c", 6, "chained"),
        ("visited(riot)", 8, "quoted"),
        ("a and", 5, "end of the condition"),
        ("(a", 2, "')'"),
        ("True", 0, "lower case"),
        ("a && b", 2, "and / or"),
        ("'x'", 0, "string"),
        ('chose("a")', 9, "','"),
        ("__import__('os')", 0, "only visited() and chose()"),
        ("", 0, "empty"),
    ],
)
def test_syntax_errors_have_offsets(source: str, offset: int, fragment: str) -> None:
    with pytest.raises(ExprError) as info:
        parse(source)
    assert info.value.offset == offset
    assert fragment in info.value.message


def test_deep_nesting_is_refused_not_a_recursion_error() -> None:
    with pytest.raises(ExprError, match="nested too deeply"):
        parse("(" * 500 + "1" + ")" * 500)
    with pytest.raises(ExprError, match="nested too deeply"):
        parse("not " * 300 + "a")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab01 ()<>=!+-notrueandvisitedchose\"',", max_size=40))
def test_parser_never_crashes(source: str) -> None:
    try:
        expr = parse(source)
    except ExprError as exc:
        assert 0 <= exc.offset <= len(source)
        return
    # Anything that parses can be evaluated against zero-valued variables.
    # e.g. `true + 1` style mixes are legal syntax; evaluation stays bounded
    with contextlib.suppress(TypeError):
        expr.evaluate(dict.fromkeys(expr.variables, 0), set(), set())


@settings(max_examples=200, deadline=None)
@given(st.integers(-1000, 1000), st.integers(-1000, 1000))
def test_arithmetic_and_comparison_match_python(a: int, b: int) -> None:
    assert parse("a + b").evaluate({"a": a, "b": b}) == a + b
    assert parse("a - b").evaluate({"a": a, "b": b}) == a - b
    assert parse("a <= b").holds({"a": a, "b": b}) == (a <= b)
