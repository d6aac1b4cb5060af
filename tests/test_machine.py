"""The pure state machine: the play semantics on a hand-built scenario."""

from __future__ import annotations

import pytest

from engine.core.model import scenario_from_dict
from engine.play.machine import (
    ChoiceUnavailable,
    NotADecision,
    SessionOver,
    UnknownChoice,
    acknowledge,
    choose,
    initial_state,
    is_over,
    offered_choices,
    values_of,
)
from tests.scenarios.hand import convoy


@pytest.fixture
def scenario():
    return scenario_from_dict(convoy())


def test_start_and_acknowledge(scenario) -> None:
    state = initial_state(scenario)
    assert state.scene == "briefing"
    assert offered_choices(scenario, state) == ()
    state = acknowledge(scenario, state)
    assert state.scene == "call"
    assert state.visited == {"briefing", "call"}
    assert [c.id for c in offered_choices(scenario, state)] == ["task-force", "raid", "wait"]


def test_effects_clamp_then_set_then_branch(scenario) -> None:
    state = acknowledge(scenario, initial_state(scenario))
    after = choose(scenario, state, "raid")
    assert values_of(scenario, after) == {"trust": 20, "raided": 1}
    assert after.scene == "riot"
    assert is_over(scenario, after)
    assert ("call", "raid") in after.chosen


def test_condition_hides_a_choice(scenario) -> None:
    state = choose(scenario, acknowledge(scenario, initial_state(scenario)), "task-force")
    assert values_of(scenario, state)["trust"] == 45
    assert [c.id for c in offered_choices(scenario, state)] == ["checkpoint"]
    with pytest.raises(ChoiceUnavailable, match="trust >= 50"):
        choose(scenario, state, "community-watch")


def test_clamp_at_max() -> None:
    doc = convoy()
    doc["variables"]["trust"]["initial"] = 95
    scenario = scenario_from_dict(doc)
    state = choose(scenario, acknowledge(scenario, initial_state(scenario)), "wait")
    assert values_of(scenario, state)["trust"] == 100


def test_typed_errors(scenario) -> None:
    state = initial_state(scenario)
    with pytest.raises(NotADecision):
        choose(scenario, state, "raid")
    state = acknowledge(scenario, state)
    with pytest.raises(NotADecision):
        acknowledge(scenario, state)
    with pytest.raises(UnknownChoice, match="task-force, raid, wait"):
        choose(scenario, state, "nope")
    end = choose(scenario, state, "raid")
    with pytest.raises(SessionOver):
        choose(scenario, end, "raid")
    with pytest.raises(SessionOver):
        acknowledge(scenario, end)


def test_transitions_are_pure(scenario) -> None:
    state = acknowledge(scenario, initial_state(scenario))
    assert choose(scenario, state, "wait") == choose(scenario, state, "wait")
    assert state.scene == "call"  # unchanged


def test_content_hash_ignores_key_order() -> None:
    a = convoy()
    b = dict(reversed(list(convoy().items())))
    assert scenario_from_dict(a).content_hash == scenario_from_dict(b).content_hash
    c = convoy()
    c["title"] = "Other"
    assert scenario_from_dict(c).content_hash != scenario_from_dict(a).content_hash
