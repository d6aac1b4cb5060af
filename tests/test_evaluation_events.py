"""Evaluation events (observations, timer expiries, feedback, improvement plan): each kind
through the store and the fold, refused data, write-up after the end, old logs."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.core.model import scenario_from_dict
from engine.exercise.exercise import Exercise
from engine.play import events as ev
from engine.play.events import make_event
from engine.play.machine import SessionOver
from engine.play.session import InvalidEvent, fold
from engine.store.sqlite import Store
from tests.scenarios.hand import harbour

OBJECTIVES = [
    {"id": "share-early", "text": "Share the tip with the FIU early.", "practices": ["GP3"]},
    {"id": "engage", "text": "Engage the community.", "practices": ["GP13", "GP14"]},
]


def harbour_objectives() -> dict[str, Any]:
    doc = harbour()
    doc["objectives"] = OBJECTIVES
    return doc


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.sqlite3") as s:
        yield s


@pytest.fixture(scope="module")
def scenario():
    return scenario_from_dict(harbour_objectives())


def facilitated(store, scenario) -> Exercise:
    ex = Exercise.start(store, scenario, mode="facilitated", teams=("A", "B", "C"))
    ex.acknowledge()
    ex.acknowledge()
    return ex


def refold(store, ex: Exercise):
    return fold(ex.scenario, store.events(ex.session_id))


def test_objectives_reach_the_model(scenario) -> None:
    assert [o.id for o in scenario.objectives] == ["share-early", "engage"]
    assert scenario.objective("engage").practices == ("GP13", "GP14")
    assert scenario.objective("nope") is None
    assert scenario_from_dict(harbour()).objectives == ()


def test_observation_through_store_and_fold(store, scenario) -> None:
    ex = facilitated(store, scenario)
    ex.add_observation(
        "Table A called the FIU within minutes.",
        team="A",
        objective="share-early",
        practice="GP3",
        indicator="corruption.3",
        rating="P",
        by="Evaluator 1",
    )
    ex.add_observation("Nobody mentioned the port authority.", rating="M")
    (first, second) = refold(store, ex).observations
    assert first.scene == "tip-off" and first.team == "A" and first.rating == "P"
    assert (first.objective, first.practice, first.indicator, first.by) == (
        "share-early",
        "GP3",
        "corruption.3",
        "Evaluator 1",
    )
    assert second.team is None and second.rating == "M" and second.objective is None
    assert ex.session.observations == refold(store, ex).observations


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"rating": "X"}, "unknown rating"),
        ({"team": "D"}, "no team 'D'"),
        ({"objective": "nope"}, "no objective 'nope'"),
        ({"practice": "GP"}, "not a good practice id"),
        ({"indicator": "Corruption 3"}, "not a watch point"),
        ({"scene": "nowhere"}, "no scene 'nowhere'"),
    ],
)
def test_bad_observations_are_refused_and_nothing_is_appended(
    store, scenario, fields, message
) -> None:
    ex = facilitated(store, scenario)
    before = len(ex.events())
    with pytest.raises(InvalidEvent, match=message):
        ex.add_observation("text", **fields)
    with pytest.raises(InvalidEvent, match="needs some text"):
        ex.add_observation("   ")
    assert len(ex.events()) == before


def test_timer_expiry_at_the_current_scene_only_while_open(store, scenario) -> None:
    ex = facilitated(store, scenario)
    ex.timer_expired(120)
    assert [(t.scene, t.seconds) for t in refold(store, ex).timer_expiries] == [("tip-off", 120)]
    bad = make_event(ex.session.seq + 1, ex.session_id, ev.TIMER_EXPIRED, {"scene": "press"})
    with pytest.raises(InvalidEvent, match="room's scene 'tip-off'"):
        fold(scenario, [bad], ex.session)
    with pytest.raises(InvalidEvent, match="whole number"):
        ex.timer_expired(-1)
    ex.abandon()
    with pytest.raises(SessionOver):
        ex.timer_expired(60)


def test_feedback_anonymous_by_default_ratings_in_objective_order(store, scenario) -> None:
    ex = facilitated(store, scenario)
    ex.give_feedback({"engage": 2, "share-early": 5}, "The injects.", "More time.", team="B")
    ex.give_feedback({}, worked="Good pace.")
    ex.give_feedback({"engage": 4}, participant="p-7f3a")
    a, b, c = refold(store, ex).feedback
    assert a.ratings == (("share-early", 5), ("engage", 2)) and a.team == "B"
    assert a.participant is None and a.worked == "The injects." and a.change == "More time."
    assert b.ratings == () and b.team is None and b.worked == "Good pace."
    assert c.participant == "p-7f3a"
    assert "participant" not in ex.events()[-3].data  # anonymous: not even a null


@pytest.mark.parametrize(
    ("ratings", "message"),
    [({"engage": 6}, "1 to 5"), ({"engage": True}, "1 to 5"), ({"nope": 3}, "no objective")],
)
def test_bad_feedback_is_refused(store, scenario, ratings, message) -> None:
    ex = facilitated(store, scenario)
    with pytest.raises(InvalidEvent, match=message):
        ex.give_feedback(ratings)
    with pytest.raises(InvalidEvent, match="a rating or some text"):
        ex.give_feedback({})


def test_plan_add_edit_remove_through_store_and_fold(store, scenario) -> None:
    ex = facilitated(store, scenario)
    first = ex.add_plan_item(
        "The FIU was not called.",
        action="Agree an FIU contact protocol.",
        practice="GP3",
        objective="share-early",
        organisation="Ministry of Justice",
        contact="Head of the FIU",
        start="2026-01-15",
        completion="2026-03-31",
        source="observation:5",
    )
    second = ex.add_plan_item("No community liaison.")
    assert (first, second) == ("1", "2")
    ex.edit_plan_item("2", organisation="Police", completion="2026-06-30")
    ex.remove_plan_item("1")
    third = ex.add_plan_item("Press line unclear.")
    assert third == "3"  # a removed item's number is not reused
    plan = refold(store, ex).plan
    assert [p.item for p in plan] == ["2", "3"]
    assert plan[0].organisation == "Police" and plan[0].completion == "2026-06-30"
    assert plan[0].issue == "No community liaison."
    ex.edit_plan_item("2", completion=None)
    assert refold(store, ex).plan[0].completion is None


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda ex: ex.add_plan_item(""), "'issue' needs some text"),
        (lambda ex: ex.add_plan_item("x", start="31/03/2026"), "a date like"),
        (
            lambda ex: ex.add_plan_item("x", start="2026-04-01", completion="2026-03-01"),
            "before start",
        ),
        (lambda ex: ex.add_plan_item("x", objective="nope"), "no objective"),
        (lambda ex: ex.edit_plan_item("9", issue="y"), "no item '9'"),
        (lambda ex: ex.edit_plan_item("1"), "at least one of"),
        (lambda ex: ex.remove_plan_item("9"), "no item '9'"),
    ],
)
def test_bad_plan_events_are_refused(store, scenario, call, message) -> None:
    ex = facilitated(store, scenario)
    ex.add_plan_item("An issue.")
    before = len(ex.events())
    with pytest.raises(InvalidEvent, match=message):
        call(ex)
    assert len(ex.events()) == before


def test_write_up_after_the_end(store, scenario) -> None:
    ex = facilitated(store, scenario)
    ex.abandon()
    ex.add_observation("Written up afterwards.", rating="S")
    ex.give_feedback({"engage": 3})
    ex.add_plan_item("Follow up.")
    ex.edit_plan_item("1", contact="Desk officer")
    ex.remove_plan_item("1")
    folded = refold(store, ex)
    assert folded.ended == "abandoned"
    assert len(folded.observations) == 1 and len(folded.feedback) == 1 and folded.plan == ()


def test_an_old_log_without_evaluation_events_still_folds(scenario) -> None:
    plain = scenario_from_dict(harbour())
    log = [
        make_event(
            1,
            "old",
            ev.SESSION_STARTED,
            {
                "scenario_id": "harbour",
                "content_hash": plain.content_hash,
                "mode": "solo",
                "teams": ["Solo"],
                "options": {},
                "start": "intro",
            },
        ),
        make_event(2, "old", ev.SCENE_ENTERED, {"scene": "alert"}),
        make_event(3, "old", ev.NOTE_ADDED, {"scene": None, "text": "old note"}),
    ]
    session = fold(plain, log)
    assert session.observations == session.feedback == session.plan == ()
    assert session.timer_expiries == () and session.notes[0].text == "old note"


ops = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.text(min_size=1, max_size=8).filter(str.strip)),
        st.tuples(st.just("edit"), st.integers(1, 6)),
        st.tuples(st.just("remove"), st.integers(1, 6)),
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(ops)
def test_plan_fold_matches_a_plain_dict_model(scenario, sequence) -> None:
    """Whatever order items are added, edited and removed in, the fold keeps exactly the
    items a plain dict would, in the order they were added, with the last edit."""
    model: dict[str, str] = {}
    added = 0
    session = fold(
        scenario,
        [
            make_event(
                1,
                "p",
                ev.SESSION_STARTED,
                {
                    "scenario_id": "harbour",
                    "content_hash": scenario.content_hash,
                    "mode": "solo",
                    "teams": ["Solo"],
                    "start": "intro",
                },
            )
        ],
    )
    for op, arg in sequence:
        if op == "add":
            added += 1
            kind, data = ev.PLAN_ITEM_ADDED, {"item": str(added), "issue": arg}
            model[str(added)] = arg.strip()
        elif op == "edit":
            kind, data = ev.PLAN_ITEM_EDITED, {"item": str(arg), "issue": f"edited {arg}"}
        else:
            kind, data = ev.PLAN_ITEM_REMOVED, {"item": str(arg)}
        event = make_event(session.seq + 1, "p", kind, data)
        if op != "add" and str(arg) not in model:
            with pytest.raises(InvalidEvent):
                fold(scenario, [event], session)
            continue
        session = fold(scenario, [event], session)
        if op == "edit":
            model[str(arg)] = f"edited {arg}"
        elif op == "remove":
            del model[str(arg)]
    assert [(p.item, p.issue) for p in session.plan] == list(model.items())
