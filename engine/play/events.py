"""Session events: the only thing a session stores (event sourcing; docs/architecture.md).

Kinds and their data (all JSON-serialisable):
- `session_started`: scenario_id, content_hash, mode ("solo" | "facilitated"), teams, options,
  start, seed, and optionally label (the room is then at the scenario's start scene). `seed`
  orders every decision's choices for the whole session (engine/play/order.py); null or absent
  (sessions recorded before choices were shuffled, and `options.order: "file"`) keeps the
  file's order. `options.lang` is the interface language the session was started in (its
  reports use it); absent in sessions recorded before languages: English
- `scene_entered`: scene — the room acknowledged a narrative/inject scene and entered `scene`
- `choice_made`: scene, choice, team — one team's choice at the room's current decision
- `group_followed`: scene, choice, how ("majority" | "tie-break" | "override" | "solo"), to —
  the room takes `choice`; `to` is the scene it leads to (redundant, checked, for log readers)
- `note_added`: scene (or null), text, and optionally team (one of the session's teams: the
  note is about that team; absent = about the room) — a facilitator's note
- `session_ended`: reason ("ending" | "abandoned")

Evaluation (HSEEP after-action report and improvement plan). Except `timer_expired`, these may
also follow `session_ended`: evaluators write up after the room has finished.
- `observation_added`: text, and optionally scene (where the room was), team, objective (an
  objective id of the scenario), practice (GP id), indicator (watch point or indicator id),
  rating ("P" | "S" | "M" | "U": performed without challenges, with some, with major
  challenges, unable to be performed), by (an evaluator's label)
- `timer_expired`: scene (the room's current scene), seconds (the time that was allowed)
- `feedback_given`: ratings ({objective id: 1-5}), worked, change (free text), and optionally
  team and participant (an opaque id; absent = anonymous, the default)
- `plan_item_added`: item (its id, "1", "2", ...), issue, and optionally action, practice,
  objective, organisation, contact, start, completion (ISO dates), source (what drafted it,
  e.g. "observation:12" or "missed:GP21.S4")
- `plan_item_edited`: item, and the fields that change (same names; null clears)
- `plan_item_removed`: item

Catalogue (may also follow `session_ended`):
- `session_labelled`: label — the session's label from here on (e.g. "Nairobi course, day 2");
  a label given at the start is `label` in `session_started`'s data instead.

Live room (participants voting from their own browsers, `nexus-ttx serve`):
- `participant_joined`: participant (an opaque id), name (a pseudonym, at most 40 characters,
  no control characters), team, token_hash (sha256 hex of the participant's bearer token; the
  token itself is never stored)
- `participant_moved`: participant, team — the facilitator moves someone to another team
- `participant_voted`: participant, scene, choice — one participant's vote at the room's current
  decision; voting again replaces it; refused once the tally is revealed
- `tally_revealed`: scene — the facilitator shows the tally; participants' votes at that
  decision are final from here on
- `room_reason`: scene, how ("override" | "tie-break"), choice, text — why the facilitator moved
  the room against (or between) the majority; appended just before the `group_followed` it
  explains, which carries it in its decision record
- `correction`: target (the seq of the event corrected), action ("undo" | "replace"), choice
  (for "replace"), text (optional, why) — corrects a recorded vote (`choice_made` or
  `participant_voted`, the voter's latest at its decision, current or past) or undoes the last
  room move (`group_followed`, while the room has not moved since and the session is open).
  Nothing is rewritten: the fold applies the correction and reports list it.

On-demand injects and identify drills:
- `inject_fired`: inject (an inject id of the scenario), scene (the room's current scene, which
  it interrupts) — the facilitator fires an on-demand inject: effects then set apply, the room
  stays at `scene` (a decision stays open; a recorded vote the new values no longer offer is
  dropped)
- `selection_made`: scene, team, options (a list of option ids, possibly empty) — one team's
  multi-select at the room's current identify drill; recording again replaces it. The room
  leaves the drill with `scene_entered`, as from a narrative scene
- `participant_selected`: participant, scene, options — one participant's multi-select at the
  current drill from their device; selecting again replaces it

Readers of older logs: none of the live kinds is required; a log without them folds as before.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Final, TypedDict

from engine.core.jsontypes import JSON, FrozenJSON

SESSION_STARTED: Final = "session_started"
SCENE_ENTERED: Final = "scene_entered"
CHOICE_MADE: Final = "choice_made"
GROUP_FOLLOWED: Final = "group_followed"
NOTE_ADDED: Final = "note_added"
SESSION_ENDED: Final = "session_ended"
PARTICIPANT_JOINED: Final = "participant_joined"
PARTICIPANT_MOVED: Final = "participant_moved"
PARTICIPANT_VOTED: Final = "participant_voted"
TALLY_REVEALED: Final = "tally_revealed"
ROOM_REASON: Final = "room_reason"
CORRECTION: Final = "correction"
OBSERVATION_ADDED: Final = "observation_added"
TIMER_EXPIRED: Final = "timer_expired"
FEEDBACK_GIVEN: Final = "feedback_given"
PLAN_ITEM_ADDED: Final = "plan_item_added"
PLAN_ITEM_EDITED: Final = "plan_item_edited"
PLAN_ITEM_REMOVED: Final = "plan_item_removed"
SESSION_LABELLED: Final = "session_labelled"
INJECT_FIRED: Final = "inject_fired"
SELECTION_MADE: Final = "selection_made"
PARTICIPANT_SELECTED: Final = "participant_selected"

# Kinds that may still be appended after `session_ended` (write-up after the room has finished).
AFTER_END: Final = frozenset(
    {
        NOTE_ADDED,
        OBSERVATION_ADDED,
        FEEDBACK_GIVEN,
        PLAN_ITEM_ADDED,
        PLAN_ITEM_EDITED,
        PLAN_ITEM_REMOVED,
        SESSION_LABELLED,
    }
)

LIVE_KINDS: Final = frozenset(
    {
        PARTICIPANT_JOINED,
        PARTICIPANT_MOVED,
        PARTICIPANT_VOTED,
        TALLY_REVEALED,
        ROOM_REASON,
        PARTICIPANT_SELECTED,
    }
)
KINDS: Final = frozenset(
    {SESSION_STARTED, SCENE_ENTERED, CHOICE_MADE, GROUP_FOLLOWED, SESSION_ENDED, TIMER_EXPIRED}
    | AFTER_END
    | LIVE_KINDS
    | {CORRECTION, INJECT_FIRED, SELECTION_MADE}
)


class Mode(StrEnum):
    """Who plays: one player, or teams in a room with a facilitator."""

    SOLO = "solo"
    FACILITATED = "facilitated"


class FeedbackTiming(StrEnum):
    """When a choice's facilitator feedback is shown: right after it, or at the debrief."""

    IMMEDIATE = "immediate"
    DEBRIEF = "debrief"

    @classmethod
    def default_for(cls, facilitated: bool) -> FeedbackTiming:
        """A player alone learns from feedback right after each choice; a room discusses first
        and hears it at the debrief (revealing it live would end the discussion)."""
        return cls.DEBRIEF if facilitated else cls.IMMEDIATE

    @classmethod
    def of(cls, options: Mapping[str, FrozenJSON], facilitated: bool) -> FeedbackTiming:
        """A session's timing: as its `session_started` options recorded it, else the default
        for its mode (sessions recorded before the option existed)."""
        try:
            return cls(str(options.get("feedback")))
        except ValueError:
            return cls.default_for(facilitated)


class How(StrEnum):
    """How the room came to follow a choice (`group_followed`'s `how`)."""

    MAJORITY = "majority"
    TIE_BREAK = "tie-break"
    OVERRIDE = "override"
    SOLO = "solo"


class EndReason(StrEnum):
    """Why a session ended (`session_ended`'s `reason`)."""

    ENDING = "ending"
    ABANDONED = "abandoned"


class SessionStatus(StrEnum):
    """A session as lists and reports show it."""

    ACTIVE = "active"
    ENDED = "ended"
    ABANDONED = "abandoned"


def status_of(ended: str | None) -> SessionStatus:
    """The status a session has after its `session_ended` reason (None: not ended)."""
    if ended is None:
        return SessionStatus.ACTIVE
    return SessionStatus.ABANDONED if ended == EndReason.ABANDONED else SessionStatus.ENDED


HOW: Final = frozenset(h.value for h in How)
END_REASONS: Final = frozenset(r.value for r in EndReason)
CORRECTION_ACTIONS: Final = frozenset({"undo", "replace"})
REASONED_HOW: Final = frozenset({How.OVERRIDE.value, How.TIE_BREAK.value})


class EventJSON(TypedDict):
    """An event as plain JSON (its data thawed)."""

    seq: int
    session: str
    kind: str
    data: JSON
    at: str


@dataclass(frozen=True)
class Event:
    """One appended fact. `seq` counts from 1 within its session; `at` is ISO 8601 UTC."""

    seq: int
    session_id: str
    kind: str
    data: Mapping[str, FrozenJSON]  # JSON made read-only: narrow (isinstance) to read it
    at: str

    def to_json(self) -> EventJSON:
        return {
            "seq": self.seq,
            "session": self.session_id,
            "kind": self.kind,
            "data": thaw(self.data),
            "at": self.at,
        }


def make_event(
    seq: int, session_id: str, kind: str, data: Mapping[str, JSON], at: str | None = None
) -> Event:
    """Build an event, freezing its data (a JSON round trip also proves it serialisable)."""
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    return Event(seq, session_id, kind, freeze_object(json.loads(dumps(data))), at or now())


def dumps(data: Mapping[str, JSON] | Mapping[str, FrozenJSON]) -> str:
    """Canonical JSON for storage."""
    plain = {k: thaw(v) for k, v in data.items()}
    return json.dumps(plain, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def now() -> str:
    """UTC time with milliseconds, e.g. 2026-01-31T09:15:02.120Z."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def freeze(value: JSON | FrozenJSON) -> FrozenJSON:
    """Read-only views of decoded JSON, so a frozen Event stays unchanged."""
    if isinstance(value, Mapping):
        return freeze_object(value)
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    return value


def freeze_object(value: Mapping[str, JSON | FrozenJSON]) -> Mapping[str, FrozenJSON]:
    """A JSON object's read-only view (an event's data)."""
    return MappingProxyType({k: freeze(v) for k, v in value.items()})


def thaw(value: JSON | FrozenJSON) -> JSON:
    """The plain JSON value of a frozen one (what `json.dumps` takes)."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [thaw(v) for v in value]
    return value
