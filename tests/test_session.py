"""Sessions: the fold of events, facilitated play, and the Exercise facade over a store."""

from __future__ import annotations

import pytest

from engine.core.model import scenario_from_dict
from engine.exercise.exercise import ContentChanged, Exercise, NotTheMajority, TieNeedsPick
from engine.play import events as ev
from engine.play.events import make_event
from engine.play.machine import ChoiceUnavailable, NotADecision, SessionOver, UnknownChoice
from engine.play.session import InvalidEvent, fold
from engine.store.sqlite import Store
from tests.scenarios.hand import convoy, harbour


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "s.sqlite3") as s:
        yield s


@pytest.fixture(scope="module")
def convoy_s():
    return scenario_from_dict(convoy())


@pytest.fixture(scope="module")
def harbour_s():
    return scenario_from_dict(harbour())


def play_three_teams(store, scenario) -> Exercise:
    """The facilitated session of harbour()'s docstring."""
    ex = Exercise.start(store, scenario, mode="facilitated", teams=("A", "B", "C"))
    ex.acknowledge()
    ex.acknowledge()
    assert ex.scene.id == "tip-off"
    ex.record_choice("A", "share")
    ex.record_choice("B", "legal-review")
    ex.record_choice("C", "leak")
    assert ex.majority() is None
    with pytest.raises(TieNeedsPick):
        ex.follow()
    ex.add_note("Three-way split on the tip-off.")
    ex.follow("share")
    ex.record_choice("A", "brief")
    ex.record_choice("B", "brief")
    ex.record_choice("C", "silence")
    ex.follow()
    ex.record_choice("A", "outreach")
    ex.record_choice("B", "outreach")
    ex.record_choice("C", "curfew")
    ex.follow()
    return ex


def test_three_teams_scored_on_their_own_choices(store, harbour_s) -> None:
    ex = play_three_teams(store, harbour_s)
    assert ex.is_over and ex.scene.id == "good"
    assert ex.path == ("intro", "alert", "tip-off", "press", "community", "good")
    scores = ex.scores()
    got = {t: (s.points, s.possible, s.alignment, s.harmful) for t, s in scores.items()}
    assert got == {"A": (4, 5, 80.0, 0), "B": (3, 5, 60.0, 0), "C": (0, 5, 0.0, 2)}
    areas = {
        t: {a: (x.points, x.possible) for a, x in s.by_area.items()} for t, s in scores.items()
    }
    assert areas["A"] == {
        "legal": (0, 1),
        "research-information-sharing": (1, 1),
        "local-engagement": (2, 2),
        "capacity-building-law-enforcement": (1, 1),
    }
    assert areas["B"] == {
        "legal": (1, 1),
        "research-information-sharing": (0, 1),
        "local-engagement": (2, 2),
        "capacity-building-law-enforcement": (0, 1),
    }
    assert areas["C"] == {
        "legal": (0, 1),
        "research-information-sharing": (0, 1),
        "local-engagement": (0, 2),
        "capacity-building-law-enforcement": (0, 1),
    }
    assert scores["B"].decisions[0].also == ("GP16.S1",)
    assert all(s.ending == "good" and s.outcome == "success" for s in scores.values())
    hows = [(e.data["choice"], e.data["how"]) for e in ex.events() if e.kind == ev.GROUP_FOLLOWED]
    assert hows == [("share", "tie-break"), ("brief", "majority"), ("outreach", "majority")]
    assert ex.events()[-1].kind == ev.SESSION_ENDED
    assert ex.notes[0].scene == "tip-off"


def test_resume_folds_to_the_same_session(store, harbour_s) -> None:
    ex = play_three_teams(store, harbour_s)
    again = Exercise.resume(store, ex.session_id, harbour_s)
    assert again.session == ex.session
    assert fold(harbour_s, ex.events()) == ex.session


def test_rerecording_replaces_and_pending_teams(store, harbour_s) -> None:
    ex = Exercise.start(store, harbour_s, mode="facilitated", teams=("A", "B", "C"))
    ex.acknowledge()
    ex.acknowledge()
    ex.record_choice("A", "leak")
    ex.record_choice("A", "share")
    assert ex.pending_teams() == ("B", "C")
    assert ex.tally() == {"share": ("A",)}
    ex.record_choice("B", "share")
    assert ex.majority() == "share"
    with pytest.raises(NotTheMajority):
        ex.follow("legal-review")
    ex.follow("legal-review", override=True)
    assert ex.scene.id == "press"
    assert ex.session.decisions[0].votes == (("A", "share"), ("B", "share"), ("C", None))
    assert [(s.points, s.possible) for s in ex.scores().values()] == [(2, 3), (2, 3), (0, 3)]


def test_refused_moves_append_nothing(store, convoy_s) -> None:
    ex = Exercise.start(store, convoy_s)
    n = len(ex.events())
    with pytest.raises(NotADecision):
        ex.choose("raid")  # still at the narrative briefing
    ex.acknowledge()
    with pytest.raises(NotADecision):
        ex.acknowledge()
    with pytest.raises(UnknownChoice):
        ex.choose("nope")
    with pytest.raises(InvalidEvent):
        ex.record_choice("Nobody", "raid")
    ex.choose("task-force")
    with pytest.raises(ChoiceUnavailable):  # trust 45 hides community-watch
        ex.choose("community-watch")
    n = len(ex.events())
    ex.choose("checkpoint")
    assert ex.is_over
    assert len(ex.events()) == n + 3  # choice_made, group_followed, session_ended
    with pytest.raises(SessionOver):
        ex.choose("checkpoint")
    with pytest.raises(SessionOver):
        ex.abandon()
    ex.add_note("debrief went well")  # notes are still welcome after the ending
    assert ex.notes[-1].scene == "stalemate"


def test_solo_is_the_one_team_case(store, convoy_s) -> None:
    ex = Exercise.start(store, convoy_s, teams=("Ada",))
    ex.acknowledge()
    ex.choose("raid")
    kinds = [e.kind for e in ex.events()]
    assert kinds == [
        "session_started",
        "scene_entered",
        "choice_made",
        "group_followed",
        "session_ended",
    ]
    assert ex.events()[3].data["how"] == "solo"
    assert ex.score().harmful == 1 and ex.score("Ada") == ex.score()


def test_start_rejects_bad_setups(store, convoy_s) -> None:
    for mode, teams in (
        ("solo", ("A", "B")),
        ("facilitated", ("A", "A")),
        ("party", ("A",)),
        ("facilitated", ()),
    ):
        with pytest.raises(InvalidEvent):
            Exercise.start(store, convoy_s, mode=mode, teams=teams)
    assert store.sessions() == []


def test_choose_needs_one_team(store, convoy_s) -> None:
    ex = Exercise.start(store, convoy_s, mode="facilitated", teams=("A", "B"))
    ex.acknowledge()
    with pytest.raises(Exception, match="one team"):
        ex.choose("raid")


def test_abandon_ends_the_session(store, convoy_s) -> None:
    ex = Exercise.start(store, convoy_s)
    ex.abandon()
    assert ex.is_over and ex.session.ended == "abandoned"
    assert store.session(ex.session_id).status == "abandoned"
    with pytest.raises(SessionOver):
        ex.acknowledge()


def test_changed_content_is_refused(store, convoy_s) -> None:
    ex = Exercise.start(store, convoy_s)
    doc = convoy()
    doc["scenes"]["call"]["choices"][0]["text"] = "Task force (edited)"
    changed = scenario_from_dict(doc)
    with pytest.raises(ContentChanged) as info:
        Exercise.resume(store, ex.session_id, changed)
    assert info.value.scenario_id == "convoy"
    assert info.value.stored_hash == convoy_s.content_hash
    assert "restore" in str(info.value) and "new session" in str(info.value)


def test_fold_rejects_inconsistent_logs(convoy_s) -> None:
    start = make_event(
        1,
        "s1",
        ev.SESSION_STARTED,
        {
            "scenario_id": "convoy",
            "content_hash": convoy_s.content_hash,
            "mode": "solo",
            "teams": ["Solo"],
            "options": {},
        },
    )
    fold(convoy_s, [start])
    bad = [
        [start, make_event(2, "s1", ev.SCENE_ENTERED, {"scene": "border"})],  # wrong target
        [start, make_event(3, "s1", ev.SCENE_ENTERED, {"scene": "call"})],  # gap in seq
        [start, make_event(2, "s1", ev.NOTE_ADDED, {"scene": "riot", "text": "x"})],  # unvisited
        [start, make_event(2, "s1", ev.SESSION_ENDED, {"reason": "ending"})],  # not at an ending
        [start, start],
    ]
    for events in bad:
        with pytest.raises(InvalidEvent):
            fold(convoy_s, events)
    with pytest.raises(NotADecision):
        fold(
            convoy_s,
            [
                start,
                make_event(
                    2, "s1", ev.CHOICE_MADE, {"scene": "briefing", "choice": "raid", "team": "Solo"}
                ),
            ],
        )


def test_two_writers_on_one_session_stay_consistent(tmp_path, harbour_s) -> None:
    """A second process (here: a second store connection) votes; the first catches up."""
    path = tmp_path / "shared.sqlite3"
    with Store(path) as one, Store(path) as two:
        facilitator = Exercise.start(one, harbour_s, mode="facilitated", teams=("A", "B"))
        facilitator.acknowledge()
        facilitator.acknowledge()
        remote = Exercise.resume(two, facilitator.session_id, harbour_s)
        remote.record_choice("B", "share")  # appended by the other writer
        facilitator.record_choice("A", "share")  # stale: catches up, then appends
        assert facilitator.tally() == {"share": ("A", "B")}
        facilitator.follow()
        assert remote.refresh() and remote.scene.id == "press"
        assert remote.session == facilitator.session
