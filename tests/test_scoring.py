"""Scoring (README "Scoring"): the hand-computed figures of tests/scenarios/hand.py."""

from __future__ import annotations

import pytest

from engine.core.model import scenario_from_dict
from engine.play.scoring import (
    default_area_of,
    format_alignment,
    practice_of,
    score,
    score_decision,
)
from tests.scenarios.hand import convoy, harbour

CONVOY_PATHS = [
    # (decisions, points, possible, alignment, harmful, ending, outcome)
    ([("call", "task-force"), ("border", "checkpoint")], 2, 3, 66.67, 0, "stalemate", "partial"),
    ([("call", "wait"), ("border", "community-watch")], 1, 3, 33.33, 0, "calm", "success"),
    ([("call", "wait"), ("border", "checkpoint")], 0, 3, 0.0, 0, "stalemate", "partial"),
    ([("call", "raid")], 0, 2, 0.0, 1, "riot", "failure"),
]


@pytest.fixture(scope="module")
def scenario():
    return scenario_from_dict(convoy())


@pytest.mark.parametrize("decisions,points,possible,alignment,harmful,ending,outcome", CONVOY_PATHS)
def test_convoy_paths(
    scenario, decisions, points, possible, alignment, harmful, ending, outcome
) -> None:
    s = score(scenario, decisions, ending=ending)
    assert (s.points, s.possible, s.harmful, s.ending, s.outcome) == (
        points,
        possible,
        harmful,
        ending,
        outcome,
    )
    assert s.to_json()["alignment"] == alignment


def test_harmful_choice_enacting_a_recommended_action_scores_nothing(scenario) -> None:
    d = score_decision(scenario, "call", "raid")
    assert d.harmful and d.points == 0 and d.possible == 2
    assert d.taken == ("GP21.S4",)  # shown, flagged ...
    assert d.credited == ()  # ... but never a strength
    assert d.missed == ("GP8.S4",)
    s = score(scenario, [("call", "raid")], ending="riot")
    assert s.harmful_choices == (("call", "raid"),)
    assert {k: (t.points, t.possible) for k, t in s.by_practice.items()} == {
        "GP8": (0, 1),
        "GP21": (0, 1),
    }


def test_taken_missed_also_in_order(scenario) -> None:
    d = score_decision(scenario, "border", "community-watch")
    assert (d.taken, d.missed, d.also, d.points, d.possible) == (
        ("GP25.S1",),
        (),
        ("GP13.S1",),
        1,
        1,
    )
    d = score_decision(scenario, "call", "task-force")
    assert d.taken == ("GP21.S4", "GP8.S4")  # R's order


def test_by_area_and_practice(scenario) -> None:
    s = score(scenario, [("call", "task-force"), ("border", "checkpoint")])
    assert {k: (t.points, t.possible) for k, t in s.by_area.items()} == {
        "research-information-sharing": (1, 1),
        "capacity-building-law-enforcement": (1, 2),
    }
    assert list(s.by_practice) == ["GP8", "GP21", "GP25"]  # GP8 before GP21
    # the "also enacted" GP13.S1 gives its area nothing
    s = score(scenario, [("call", "wait"), ("border", "community-watch")])
    assert "local-engagement" not in s.by_area


def test_unscored_decisions_add_nothing_and_no_possible_is_none() -> None:
    h = scenario_from_dict(harbour())
    s = score(h, [("press", "brief")])
    assert (s.points, s.possible, s.alignment) == (0, 0, None)
    assert s.to_json()["alignment"] is None
    assert format_alignment(s.alignment) == "n/a"
    s = score(
        h, [("tip-off", "share"), ("press", "brief"), ("community", "outreach")], ending="good"
    )
    assert (s.points, s.possible, s.alignment) == (4, 5, 80.0)


def test_no_choice_recorded_misses_everything() -> None:
    h = scenario_from_dict(harbour())
    d = score_decision(h, "tip-off", None)
    assert (d.points, d.possible, d.taken, d.missed) == (0, 3, (), ("GP3.S1", "GP21.S4", "GP1.S1"))


def test_json_keys(scenario) -> None:
    data = score(scenario, [("call", "raid")], ending="riot").to_json()
    assert {
        "scenario",
        "ending",
        "outcome",
        "points",
        "possible",
        "alignment",
        "harmful",
        "by_area",
        "by_practice",
        "decisions",
    } <= set(data)
    assert data["decisions"][0].keys() >= {"scene", "choice", "taken", "missed", "also", "harmful"}
    assert data["by_area"]["research-information-sharing"] == {"points": 0, "possible": 1}


def test_practice_and_area_ids() -> None:
    assert practice_of("GP22.A5.S1") == "GP22"
    assert [default_area_of(p) for p in ("GP1", "GP12", "GP13", "GP25", "GP26", "x")] == [
        "legal",
        "research-information-sharing",
        "local-engagement",
        "capacity-building-law-enforcement",
        None,
        None,
    ]


def test_default_areas_agree_with_the_catalog() -> None:
    from engine.toolkit.catalog import load_catalog

    for gp in load_catalog().good_practices:
        assert default_area_of(gp.id) == gp.area
