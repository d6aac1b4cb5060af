"""The play screen's phases as a state machine: what Enter, the numbers and the other keys do
at each moment of a session, and which moves lead from one moment to the next.

Pure data and functions (no Textual): the screen (`tui/screens/play.py`) asks `advance` for its
next phase and `allows` which of its actions to offer, so the rules are written here once and
tested without running the app (tests/test_play_flow.py).

The phases are the screen's, not the engine's: the engine knows which scene is current and
what was chosen; the screen knows whether the tally is showing or an override is armed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Final


class Phase(StrEnum):
    """A moment of the play screen."""

    OPENING = "opening"  # mounting: no scene shown yet, no key acts
    NARRATIVE = "narrative"  # a narrative or inject scene: Enter continues
    DECIDE = "decide"  # solo: numbers select, Enter confirms
    IDENTIFY = "identify"  # an identify drill: numbers toggle options, Enter confirms, moves on
    RECORD = "record"  # facilitated: numbers record the team under the cursor
    REVEALED = "revealed"  # facilitated: tally shown; Enter follows the majority
    OVERRIDE = "override"  # facilitated: the next number is the facilitator's pick
    FEEDBACK = "feedback"  # after a choice, immediate feedback: Enter continues
    ENDING = "ending"  # the ending scene: Enter opens the debrief


class Event(StrEnum):
    """What happened: the screen showed a scene, a feedback, or the facilitator pressed a key."""

    SHOW_NARRATIVE = "show-narrative"  # the engine's scene is a narrative or an inject
    SHOW_DECISION = "show-decision"  # ... a decision, played solo
    SHOW_DRILL = "show-drill"  # ... an identify drill (solo or facilitated)
    SHOW_VOTE = "show-vote"  # ... a decision, played by teams
    SHOW_ENDING = "show-ending"  # ... an ending
    SHOW_FEEDBACK = "show-feedback"  # a choice was stored and feedback is immediate
    REVEAL = "reveal"  # the tally is shown
    HIDE = "hide"  # the tally is hidden again
    OVERRIDE = "override"  # the facilitator will pick whatever the tally
    BACK_TO_TALLY = "back-to-tally"  # override cancelled, some team has chosen
    BACK_TO_RECORDING = "back-to-recording"  # override cancelled, no team has chosen


class Action(StrEnum):
    """The screen's actions whose use depends on the phase (the others always act)."""

    PICK = "pick"  # a number
    CONFIRM = "confirm"  # Enter
    TEAM = "team"  # [ and ]
    REVEAL = "reveal"  # v
    OVERRIDE = "override"  # o
    CANCEL = "cancel"  # Esc
    PAUSE_TIMER = "pause_timer"  # p
    UNDO = "undo"  # u: undo the room's last move (a correction event)
    INJECTS = "injects"  # i: fire an on-demand inject


class Enter(StrEnum):
    """What Enter means in a phase (one key binding per meaning, so the footer says it)."""

    CONTINUE = "continue"
    CONFIRM = "confirm"
    REVEAL = "reveal"
    FOLLOW = "follow"
    DEBRIEF = "debrief"
    SELECT = "select"  # confirm a drill's selection and move on


class IllegalTransition(ValueError):
    """The screen tried a move its current phase does not allow (a bug, never user input)."""

    def __init__(self, phase: Phase, event: Event) -> None:
        super().__init__(f"no transition from phase {phase.value!r} on {event.value!r}")
        self.phase = phase
        self.event = event


_SHOW_SCENE: Final = MappingProxyType(
    {
        Event.SHOW_NARRATIVE: Phase.NARRATIVE,
        Event.SHOW_DECISION: Phase.DECIDE,
        Event.SHOW_VOTE: Phase.RECORD,
        Event.SHOW_DRILL: Phase.IDENTIFY,
        Event.SHOW_ENDING: Phase.ENDING,
    }
)
# after the room follows a choice: the next scene (a decision is a vote again) or its feedback
_AFTER_FOLLOW: Final = {
    Event.SHOW_NARRATIVE: Phase.NARRATIVE,
    Event.SHOW_VOTE: Phase.RECORD,
    Event.SHOW_DRILL: Phase.IDENTIFY,
    Event.SHOW_ENDING: Phase.ENDING,
    Event.SHOW_FEEDBACK: Phase.FEEDBACK,
}  # only ever copied into the table below

TRANSITIONS: Final[Mapping[Phase, Mapping[Event, Phase]]] = MappingProxyType(
    {
        # a resumed session whose last move's feedback was never read opens on that feedback
        Phase.OPENING: MappingProxyType({**_SHOW_SCENE, Event.SHOW_FEEDBACK: Phase.FEEDBACK}),
        Phase.NARRATIVE: _SHOW_SCENE,
        Phase.IDENTIFY: _SHOW_SCENE,
        Phase.FEEDBACK: _SHOW_SCENE,
        Phase.DECIDE: MappingProxyType(
            {
                Event.SHOW_NARRATIVE: Phase.NARRATIVE,
                Event.SHOW_DECISION: Phase.DECIDE,
                Event.SHOW_DRILL: Phase.IDENTIFY,
                Event.SHOW_ENDING: Phase.ENDING,
                Event.SHOW_FEEDBACK: Phase.FEEDBACK,
            }
        ),
        # SHOW_VOTE from RECORD: the decision before is shown again (its move was undone)
        Phase.RECORD: MappingProxyType(
            {
                Event.REVEAL: Phase.REVEALED,
                Event.OVERRIDE: Phase.OVERRIDE,
                Event.SHOW_VOTE: Phase.RECORD,
            }
        ),
        Phase.REVEALED: MappingProxyType(
            {Event.HIDE: Phase.RECORD, Event.OVERRIDE: Phase.OVERRIDE, **_AFTER_FOLLOW}
        ),
        Phase.OVERRIDE: MappingProxyType(
            {
                Event.BACK_TO_TALLY: Phase.REVEALED,
                Event.BACK_TO_RECORDING: Phase.RECORD,
                **_AFTER_FOLLOW,
            }
        ),
        Phase.ENDING: MappingProxyType({}),  # the debrief replaces the screen
    }
)

ENTER: Final[Mapping[Phase, Enter]] = MappingProxyType(
    {
        Phase.NARRATIVE: Enter.CONTINUE,
        Phase.FEEDBACK: Enter.CONTINUE,
        Phase.DECIDE: Enter.CONFIRM,
        Phase.IDENTIFY: Enter.SELECT,
        Phase.RECORD: Enter.REVEAL,
        Phase.REVEALED: Enter.FOLLOW,
        Phase.ENDING: Enter.DEBRIEF,
    }
)

_CHOOSING: Final = frozenset({Action.PICK, Action.PAUSE_TIMER, Action.CONFIRM})
ACTIONS: Final[Mapping[Phase, frozenset[Action]]] = MappingProxyType(
    {
        Phase.OPENING: frozenset(),
        Phase.NARRATIVE: frozenset({Action.CONFIRM, Action.UNDO, Action.INJECTS}),
        Phase.FEEDBACK: frozenset({Action.CONFIRM, Action.UNDO}),
        # numbers toggle the options of the player's (or the cursor team's) selection
        Phase.IDENTIFY: _CHOOSING | {Action.TEAM, Action.UNDO, Action.INJECTS},
        # Esc clears a selection (the screen also asks that something is selected)
        Phase.DECIDE: _CHOOSING | {Action.CANCEL, Action.INJECTS},
        Phase.RECORD: _CHOOSING
        | {Action.TEAM, Action.REVEAL, Action.OVERRIDE, Action.UNDO, Action.INJECTS},
        Phase.REVEALED: _CHOOSING | {Action.REVEAL, Action.OVERRIDE, Action.UNDO, Action.INJECTS},
        # Enter does nothing here: only a number says which choice the room follows
        Phase.OVERRIDE: frozenset({Action.PICK, Action.PAUSE_TIMER, Action.CANCEL}),
        Phase.ENDING: frozenset({Action.CONFIRM}),
    }
)


def can(phase: Phase, event: Event) -> bool:
    """Whether `event` is a move from `phase`."""
    return event in TRANSITIONS[phase]


def advance(phase: Phase, event: Event) -> Phase:
    """The phase after `event`; IllegalTransition if the table has no such move."""
    try:
        return TRANSITIONS[phase][event]
    except KeyError:
        raise IllegalTransition(phase, event) from None


def allows(phase: Phase, action: Action) -> bool:
    """Whether `action` does something in `phase`."""
    return action in ACTIONS[phase]


def enter_means(phase: Phase) -> Enter | None:
    """What Enter does in `phase` (None: nothing)."""
    return ENTER.get(phase)


def show_scene_event(kind: str, *, facilitated: bool) -> Event:
    """The event of showing a scene of this kind (`decision`, `ending`, or another kind)."""
    if kind == "decision":
        return Event.SHOW_VOTE if facilitated else Event.SHOW_DECISION
    if kind == "identify":
        return Event.SHOW_DRILL
    if kind == "ending":
        return Event.SHOW_ENDING
    return Event.SHOW_NARRATIVE


# the kinds that move the room or its votes; notes, observations and the like do not
_ROOM_MOVES: Final = frozenset(
    {
        "session_started",
        "scene_entered",
        "choice_made",
        "group_followed",
        "participant_voted",
        "tally_revealed",
        "selection_made",
        "participant_selected",
        "correction",
    }
)


def feedback_unread(kinds: Iterable[str]) -> bool:
    """Whether the room's last move (of these event kinds, in log order) was following a choice:
    its feedback was on the screen when the session was left, and nothing came after it. (A
    room that read it and left before the next move sees it once more: better than never.)"""
    last = ""
    for kind in kinds:
        if kind in _ROOM_MOVES:
            last = kind
    return last == "group_followed"


def after_cancel_override(*, any_vote: bool) -> Event:
    """Esc in override goes back to the tally if a team has chosen, else to recording."""
    return Event.BACK_TO_TALLY if any_vote else Event.BACK_TO_RECORDING
