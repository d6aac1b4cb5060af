"""A facilitator's note may be about one team (note_added's optional `team`): folded, refused
for a team the session does not have, and older notes without it fold as before."""

from __future__ import annotations

import pytest

from engine.core.model import Scenario, scenario_from_dict
from engine.exercise.exercise import Exercise
from engine.play import events as ev
from engine.play.session import InvalidEvent
from engine.store.sqlite import Store
from tests.scenarios.hand import convoy


def scenario() -> Scenario:
    return scenario_from_dict(convoy())


def test_a_note_about_a_team_and_one_about_the_room() -> None:
    ex = Exercise.start(Store(":memory:"), scenario(), mode="facilitated", teams=("Red", "Blue"))
    ex.add_note("Red asked for the FIU", team="Red")
    ex.add_note("the room went quiet")
    assert [(n.team, n.text) for n in ex.session.notes] == [
        ("Red", "Red asked for the FIU"),
        (None, "the room went quiet"),
    ]
    kinds = [(e.kind, dict(e.data)) for e in ex.events() if e.kind == ev.NOTE_ADDED]
    assert kinds[1][1] == {"scene": "briefing", "text": "the room went quiet"}  # as before


def test_a_note_about_a_team_the_session_does_not_have_is_refused() -> None:
    ex = Exercise.start(Store(":memory:"), scenario(), mode="facilitated", teams=("Red", "Blue"))
    with pytest.raises(InvalidEvent, match="Green"):
        ex.add_note("who?", team="Green")
    assert ex.session.notes == ()
