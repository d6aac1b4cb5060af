"""Mutation fuzzing of the built-in scenarios (operators in bench/bench_fuzz.py: huge integers,
long and deep conditions, control characters, Unicode line separators, big lists, tags,
anchors, byte damage). In-process through hypothesis, and a sample through the real CLI. The
standalone runner does thousands: `python -m bench fuzz --count 5000 --cli 50`."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.bench_fuzz import OPERATORS, check_cli, check_in_process, mutate


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(seed=st.integers(min_value=0, max_value=10**9))
def test_no_mutation_crashes_or_points_outside_the_file(tmp_path: Path, seed: int) -> None:
    m = mutate(seed)
    assert check_in_process(m, tmp_path) == [], (m.seed, m.base, m.operators)


@pytest.mark.parametrize("operator", sorted(OPERATORS))
def test_every_operator_changes_its_input(operator: str) -> None:
    changed = 0
    for seed in range(40):
        m = mutate(seed)
        if operator in m.operators:
            changed += 1
    assert changed > 0


@pytest.mark.parametrize("seed", range(24))
def test_mutations_through_the_cli(tmp_path: Path, seed: int) -> None:
    m = mutate(10_000 + seed * 7919)
    assert check_cli(m, tmp_path) == [], (m.seed, m.base, m.operators)
