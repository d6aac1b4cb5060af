"""The branches the exploration records as taken (`StateSpace.taken`, read by NTX320) are exactly
those a second evaluation of every explored move finds (the former way: replaying each move
with `machine.branch_taken`), and those a brute-force walk over full machine states finds."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from engine.analysis.statespace import ACK, StateSpace, explore
from engine.check.validate import validate_file
from engine.core.model import Scenario, scenario_from_dict
from engine.play.machine import (
    State,
    acknowledge,
    apply_choice,
    branch_taken,
    initial_state,
    offered_choices,
)
from tests.test_analysis_injects import with_injects
from tests.test_analysis_properties import scenarios

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = settings(
    max_examples=int(os.environ.get("NTX_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
Taken = dict[tuple[str, int], set[int]]


def replayed(scenario: Scenario, space: StateSpace) -> Taken:
    """Every move out of every explored state evaluated again with `branch_taken`."""
    taken: Taken = {}
    for sid, st in enumerate(space.states):
        for _target, label in space.succ[sid]:
            if label == ACK:
                if len(scenario.scenes[st.scene].next) < 2:
                    continue
                key, index = (st.scene, -1), branch_taken(scenario, st)
            elif 0 <= label < len(space.choices):
                scene_id, position, choice = space.choices[label]
                if len(choice.next) < 2:
                    continue
                key, index = (scene_id, position), branch_taken(scenario, st, choice)
            else:
                continue  # an inject's firing evaluates no `next` list
            taken.setdefault(key, set()).add(index)
    return taken


def brute_taken(scenario: Scenario) -> Taken:
    """Every play from the start over full (unprojected) states: the branches its moves take."""
    taken: Taken = {}

    def walk(state: State) -> None:
        scene = scenario.scenes[state.scene]
        if scene.kind == "ending":
            return
        if scene.kind != "decision":
            if len(scene.next) > 1:
                taken.setdefault((scene.id, -1), set()).add(branch_taken(scenario, state))
            walk(acknowledge(scenario, state))
            return
        for c in offered_choices(scenario, state):
            if len(c.next) > 1:
                position = scene.choices.index(c)
                index = branch_taken(scenario, state, c)
                taken.setdefault((scene.id, position), set()).add(index)
            walk(apply_choice(scenario, state, c))

    walk(initial_state(scenario))
    return taken


def _valid_scenarios() -> list[Path]:
    files = sorted(p for p in ROOT.glob("scenarios/*.yaml") if p.name != "toolkit.yaml")
    files += sorted((ROOT / "tests" / "fixtures" / "analysis").glob("*.yaml"))
    files += sorted((ROOT / "tests" / "fixtures" / "valid").glob("*.yaml"))
    return files


@pytest.mark.parametrize("path", _valid_scenarios(), ids=lambda p: p.name)
def test_recorded_branches_are_the_replayed_ones(path: Path) -> None:
    result = validate_file(path)
    assert result.kind == "scenario", path
    # a scenario the analysis finds an error in (NTX308) is explored all the same
    scenario = result.scenario or scenario_from_dict(result.data)
    space = explore(scenario)
    assert space.taken == replayed(scenario, space)


def test_the_fixture_of_a_branch_never_taken_records_the_other_one() -> None:
    """Guards the comparison above against two empty results."""
    path = ROOT / "tests" / "fixtures" / "analysis" / "ntx320_branch_never_taken.yaml"
    scenario = validate_file(path).scenario
    assert scenario is not None
    space = explore(scenario)
    assert space.taken and all(space.taken.values())
    assert any(len(indexes) < 2 for indexes in space.taken.values())


@SETTINGS
@given(scenarios())
def test_recorded_branches_match_brute_force(doc: dict[str, Any]) -> None:
    scenario = scenario_from_dict(doc)
    space = explore(scenario)
    assert space.complete
    assert space.taken == brute_taken(scenario) == replayed(scenario, space)


@SETTINGS
@given(scenarios(loops=True))
def test_recorded_branches_match_the_replay_with_loops(doc: dict[str, Any]) -> None:
    scenario = scenario_from_dict(doc)
    space = explore(scenario)
    assert space.taken == replayed(scenario, space)


@SETTINGS
@given(with_injects())
def test_recorded_branches_match_the_replay_with_injects(doc: dict[str, Any]) -> None:
    scenario = scenario_from_dict(doc)
    space = explore(scenario)
    assert space.taken == replayed(scenario, space)
