"""The play screen's state machine (tui/play_flow.py), without the Pilot: every allowed move,
every forbidden one refused, which keys act in each phase, and the words of the hint line."""

from __future__ import annotations

import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from engine.core.model import Choice
from tui import play_text
from tui.play_flow import (
    ACTIONS,
    ENTER,
    TRANSITIONS,
    Action,
    Enter,
    Event,
    IllegalTransition,
    Phase,
    advance,
    after_cancel_override,
    allows,
    can,
    enter_means,
    feedback_unread,
    show_scene_event,
)

P, E = Phase, Event

# Written out by hand, not read from the module: the table must say exactly this.
SHOW_ANY = {
    E.SHOW_NARRATIVE: P.NARRATIVE,
    E.SHOW_DECISION: P.DECIDE,
    E.SHOW_VOTE: P.RECORD,
    E.SHOW_DRILL: P.IDENTIFY,
    E.SHOW_ENDING: P.ENDING,
}
AFTER_FOLLOW = {
    E.SHOW_NARRATIVE: P.NARRATIVE,
    E.SHOW_VOTE: P.RECORD,
    E.SHOW_DRILL: P.IDENTIFY,
    E.SHOW_ENDING: P.ENDING,
    E.SHOW_FEEDBACK: P.FEEDBACK,
}
EXPECTED: dict[Phase, dict[Event, Phase]] = {
    # a resumed session opens on the feedback it left unread
    P.OPENING: {**SHOW_ANY, E.SHOW_FEEDBACK: P.FEEDBACK},
    P.NARRATIVE: SHOW_ANY,
    P.IDENTIFY: SHOW_ANY,
    P.FEEDBACK: SHOW_ANY,
    P.DECIDE: {
        E.SHOW_NARRATIVE: P.NARRATIVE,
        E.SHOW_DECISION: P.DECIDE,
        E.SHOW_DRILL: P.IDENTIFY,
        E.SHOW_ENDING: P.ENDING,
        E.SHOW_FEEDBACK: P.FEEDBACK,
    },
    # SHOW_VOTE from RECORD: the decision before, shown again after its move was undone
    P.RECORD: {E.REVEAL: P.REVEALED, E.OVERRIDE: P.OVERRIDE, E.SHOW_VOTE: P.RECORD},
    P.REVEALED: {E.HIDE: P.RECORD, E.OVERRIDE: P.OVERRIDE, **AFTER_FOLLOW},
    P.OVERRIDE: {E.BACK_TO_TALLY: P.REVEALED, E.BACK_TO_RECORDING: P.RECORD, **AFTER_FOLLOW},
    P.ENDING: {},
}

ALLOWED = [(p, e, t) for p, moves in EXPECTED.items() for e, t in moves.items()]
FORBIDDEN = [(p, e) for p, e in itertools.product(Phase, Event) if e not in EXPECTED[p]]


def test_the_table_covers_every_phase() -> None:
    assert set(TRANSITIONS) == set(Phase)
    assert {p: dict(m) for p, m in TRANSITIONS.items()} == EXPECTED


@pytest.mark.parametrize(("phase", "event", "target"), ALLOWED)
def test_every_allowed_transition(phase: Phase, event: Event, target: Phase) -> None:
    assert can(phase, event)
    assert advance(phase, event) is target


@pytest.mark.parametrize(("phase", "event"), FORBIDDEN)
def test_every_forbidden_transition_is_refused(phase: Phase, event: Event) -> None:
    assert not can(phase, event)
    with pytest.raises(IllegalTransition) as info:
        advance(phase, event)
    assert info.value.phase is phase and info.value.event is event
    assert phase.value in str(info.value) and event.value in str(info.value)


def test_the_table_cannot_be_changed_at_run_time() -> None:
    with pytest.raises(TypeError):
        TRANSITIONS[P.ENDING] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        TRANSITIONS[P.RECORD][E.HIDE] = P.RECORD  # type: ignore[index]


def _reachable(start: Phase) -> set[Phase]:
    seen, todo = {start}, [start]
    while todo:
        for target in TRANSITIONS[todo.pop()].values():
            if target not in seen:
                seen.add(target)
                todo.append(target)
    return seen


def test_every_phase_is_reachable_and_every_session_can_end() -> None:
    assert _reachable(P.OPENING) == set(Phase)
    for phase in Phase:
        assert P.ENDING in _reachable(phase), phase
    assert P.OPENING not in set().union(*(m.values() for m in TRANSITIONS.values()))


def test_solo_and_facilitated_decisions_never_mix() -> None:
    """A solo decision never leads to a vote, a vote never to a solo decision."""
    assert not can(P.DECIDE, E.SHOW_VOTE)
    for phase in (P.RECORD, P.REVEALED, P.OVERRIDE):
        assert not can(phase, E.SHOW_DECISION)


def test_showing_a_scene_picks_its_event() -> None:
    assert show_scene_event("decision", facilitated=False) is E.SHOW_DECISION
    assert show_scene_event("decision", facilitated=True) is E.SHOW_VOTE
    assert show_scene_event("ending", facilitated=True) is E.SHOW_ENDING
    for kind in ("narrative", "inject"):
        for facilitated in (False, True):
            assert show_scene_event(kind, facilitated=facilitated) is E.SHOW_NARRATIVE
    for facilitated in (False, True):
        assert show_scene_event("identify", facilitated=facilitated) is E.SHOW_DRILL


def test_cancelling_an_override_goes_back_where_the_room_was() -> None:
    assert advance(P.OVERRIDE, after_cancel_override(any_vote=True)) is P.REVEALED
    assert advance(P.OVERRIDE, after_cancel_override(any_vote=False)) is P.RECORD


EXPECTED_ENTER = {
    P.NARRATIVE: Enter.CONTINUE,
    P.FEEDBACK: Enter.CONTINUE,
    P.DECIDE: Enter.CONFIRM,
    P.IDENTIFY: Enter.SELECT,
    P.RECORD: Enter.REVEAL,
    P.REVEALED: Enter.FOLLOW,
    P.ENDING: Enter.DEBRIEF,
}

A = Action
EXPECTED_ACTIONS = {
    P.OPENING: set(),
    P.NARRATIVE: {A.CONFIRM, A.UNDO, A.INJECTS},
    P.IDENTIFY: {A.PICK, A.CONFIRM, A.TEAM, A.PAUSE_TIMER, A.UNDO, A.INJECTS},
    P.FEEDBACK: {A.CONFIRM, A.UNDO},
    P.DECIDE: {A.PICK, A.CONFIRM, A.CANCEL, A.PAUSE_TIMER, A.INJECTS},
    P.RECORD: {A.PICK, A.CONFIRM, A.TEAM, A.REVEAL, A.OVERRIDE, A.PAUSE_TIMER, A.UNDO, A.INJECTS},
    P.REVEALED: {A.PICK, A.CONFIRM, A.REVEAL, A.OVERRIDE, A.PAUSE_TIMER, A.UNDO, A.INJECTS},
    P.OVERRIDE: {A.PICK, A.CANCEL, A.PAUSE_TIMER},
    P.ENDING: {A.CONFIRM},
}


@pytest.mark.parametrize("phase", list(Phase))
def test_what_each_phase_lets_the_keys_do(phase: Phase) -> None:
    assert enter_means(phase) == EXPECTED_ENTER.get(phase)
    for action in Action:
        assert allows(phase, action) == (action in EXPECTED_ACTIONS[phase]), (phase, action)
    # Enter is offered exactly where it means something
    assert allows(phase, A.CONFIRM) == (phase in ENTER)
    # a move the screen makes on a key needs that key to act in the phase
    if can(phase, E.REVEAL) or can(phase, E.HIDE):
        assert allows(phase, A.REVEAL)
    if can(phase, E.OVERRIDE):
        assert allows(phase, A.OVERRIDE)
    if can(phase, E.BACK_TO_TALLY):
        assert allows(phase, A.CANCEL)
    assert set(ACTIONS) == set(Phase)


def test_every_enter_meaning_has_a_binding() -> None:
    """The screen binds Enter once per meaning (`confirm('continue')` ...)."""
    source = (Path(__file__).parents[1] / "tui" / "screens" / "play_keys.py").read_text()
    for meaning in Enter:
        assert f"confirm('{meaning.value}')" in source


def test_the_flow_and_its_words_never_import_textual() -> None:
    code = (
        "import sys, tui.play_flow, tui.play_text; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]; "
        "assert not bad, bad"
    )
    root = Path(__file__).parents[1]
    proc = subprocess.run(
        [sys.executable, "-c", code],
        cwd=root,
        env={"PYTHONPATH": str(root)},
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr


# --- the words -------------------------------------------------------------------------------

CHOICES = tuple(Choice(id=f"c{i}", text=f"choice {i}", next=()) for i in range(1, 4))


def test_leaders_and_tally_marks() -> None:
    tally = {"c1": ("T1", "T2"), "c3": ("T3", "T4")}
    assert play_text.leaders(tally, CHOICES) == [1, 3]
    marks, classes = play_text.tally_marks(tally, CHOICES)
    assert marks == {0: "2 teams", 2: "2 teams"}
    assert classes == {0: "-leader", 1: "-dim", 2: "-leader"}
    assert play_text.leaders({}, CHOICES) == []
    assert play_text.tally_marks({"c2": ("T1",)}, CHOICES) == (
        {1: "1 team"},
        {0: "-dim", 1: "-leader", 2: "-dim"},
    )


def test_the_hint_says_what_the_keys_do() -> None:
    H = play_text.HintFacts
    hint = play_text.hint
    assert hint(P.OPENING, H()) == ""
    assert hint(P.NARRATIVE, H()) == "Press Enter to continue."
    assert hint(P.DECIDE, H(offered=3)) == (
        "Press 1-3 to select a choice, then Enter to confirm it."
    )
    assert hint(P.DECIDE, H(offered=1)).startswith("Press 1 to select")
    assert hint(P.DECIDE, H(offered=3, selected=1)).startswith("Choice 2 selected")
    assert "record the choice of T2" in hint(P.RECORD, H(offered=3, team="T2", pending=("T2",)))
    assert "Waiting for: T2, T3." in hint(P.RECORD, H(offered=3, team="T2", pending=("T2", "T3")))
    assert hint(P.RECORD, H(offered=3)).startswith("Every team has chosen")
    assert hint(P.REVEALED, H(leaders=(2,))).startswith("The majority chose 2")
    assert hint(P.REVEALED, H(leaders=(1, 2, 3))).startswith(
        "Tie between 1, 2 and 3: press 1, 2 or 3"
    )
    assert hint(P.REVEALED, H()).startswith("No team has chosen")
    assert hint(P.OVERRIDE, H(offered=2)).startswith("Override: press 1-2")
    assert hint(P.ENDING, H()).endswith("press Enter for the debrief.")
    assert hint(P.NARRATIVE, H(more_below=True)).startswith("More text below")


def test_feedback_names_taken_and_missed_key_actions() -> None:
    from engine.core.model import Scene

    scene = Scene(id="d", kind="decision", title="D", text="", recommended=("ka.1", "ka.2"))
    good = Choice(id="c", text="Share it", next=(), enacts=("ka.1",), feedback="Good.")
    text = play_text.feedback_markdown(
        good, scene, facilitated=False, key_action=lambda k: f"<{k}>", effects=["trust +1"]
    )
    assert text.startswith("## You chose: Share it")
    assert "Good." in text
    took, missed = text.index("took**"), text.index("missed**")
    assert took < text.index("<ka.1>") < missed < text.index("<ka.2>")
    assert "**Effects:** trust +1" in text
    bad = Choice(id="h", text="Leak it", next=(), enacts=("ka.1",), harmful=True)
    text = play_text.feedback_markdown(bad, scene, facilitated=True, key_action=str, effects=[])
    assert text.startswith("## The room follows: Leak it")
    assert "Harmful choice" in text and "took**" not in text and "Effects" not in text


def test_feedback_is_unread_only_when_following_was_the_last_room_move() -> None:
    start = ["session_started", "scene_entered", "choice_made"]
    assert feedback_unread([*start, "group_followed"])
    assert feedback_unread([*start, "group_followed", "note_added", "timer_expired"])
    assert not feedback_unread([*start, "group_followed", "scene_entered"])
    assert not feedback_unread([*start, "group_followed", "choice_made"])
    assert not feedback_unread([*start, "group_followed", "correction"])  # the move undone
    assert not feedback_unread(start)
    assert not feedback_unread([])
