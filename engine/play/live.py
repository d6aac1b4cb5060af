"""The fold's handlers for the live room: joins, moves, participants' votes, the reveal, the
facilitator's reasons and corrections (event kinds documented in `events.py`).

Each handler checks the event against the session and returns the session after it, or raises
`InvalidEvent` (or the machine's error) and changes nothing — the same check runs before an
append and when a log is read back.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from engine.core.model import Choice, Scenario
from engine.play import events as ev
from engine.play import machine, order
from engine.play.checks import InvalidEvent, current_decision, require
from engine.play.events import Event, How
from engine.play.room import (
    NAME_MAX,
    Correction,
    Participant,
    Reason,
    VoteRecord,
    clean_name,
    hybrid_tally,
)

if TYPE_CHECKING:
    from engine.play.session import RoomDecision, Session

_HEX64 = re.compile(r"[0-9a-f]{64}")


def _team(session: Session, event: Event) -> str:
    team = require(event.data, "team", str, event)
    if team not in session.teams:
        raise InvalidEvent(f"no team '{team}' in this session (teams: {', '.join(session.teams)})")
    return team


def _known(session: Session, event: Event) -> Participant:
    participant_id = require(event.data, "participant", str, event)
    found = session.participant(participant_id)
    if found is None:
        raise InvalidEvent(f"no participant '{participant_id}' has joined this session")
    return found


def participant_joined(scenario: Scenario, session: Session, event: Event) -> Session:
    participant_id = require(event.data, "participant", str, event)
    name = require(event.data, "name", str, event)
    token_hash = require(event.data, "token_hash", str, event)
    team = _team(session, event)
    if not name or clean_name(name) != name:
        raise InvalidEvent(
            f"a pseudonym is 1 to {NAME_MAX} characters without control characters, not {name!r}"
        )
    if not _HEX64.fullmatch(token_hash):
        raise InvalidEvent("token_hash must be the sha256 of the token, in lowercase hex")
    if session.participant(participant_id) is not None:
        raise InvalidEvent(f"participant '{participant_id}' has already joined")
    if any(p.token_hash == token_hash for p in session.participants):
        raise InvalidEvent("that token is already in use")
    joined = Participant(participant_id, name, team, token_hash, event.seq)
    return replace(session, participants=session.participants + (joined,))


def participant_moved(scenario: Scenario, session: Session, event: Event) -> Session:
    who = _known(session, event)
    team = _team(session, event)
    moved = tuple(replace(p, team=team) if p.id == who.id else p for p in session.participants)
    return replace(session, participants=moved)


def participant_voted(scenario: Scenario, session: Session, event: Event) -> Session:
    scene = current_decision(scenario, session.state, event)
    who = _known(session, event)
    choice = require(event.data, "choice", str, event)
    if session.revealed:
        raise InvalidEvent(f"the tally at '{scene.id}' has been revealed: voting there is closed")
    machine.choose(scenario, session.state, choice)  # raises if not on offer
    votes = dict(session.pvotes)
    votes[who.id] = choice
    record = VoteRecord(event.seq, len(session.decisions), scene.id, None, who.id)
    return replace(session, pvotes=tuple(votes.items()), vote_log=session.vote_log + (record,))


def tally_revealed(scenario: Scenario, session: Session, event: Event) -> Session:
    current_decision(scenario, session.state, event)
    return replace(session, revealed=True)


def room_reason(scenario: Scenario, session: Session, event: Event) -> Session:
    scene = current_decision(scenario, session.state, event)
    how = require(event.data, "how", str, event)
    choice = require(event.data, "choice", str, event)
    text = require(event.data, "text", str, event).strip()
    if how not in ev.REASONED_HOW:
        raise InvalidEvent(f"a room reason explains an override or a tie-break, not {how!r}")
    if not text:
        raise InvalidEvent("a room reason needs some text")
    machine.choose(scenario, session.state, choice)
    reason = Reason(event.seq, scene.id, How(how), choice, text)
    return replace(session, reasons=session.reasons + (reason,))


def correction(scenario: Scenario, session: Session, event: Event) -> Session:
    target = require(event.data, "target", int, event)
    action = require(event.data, "action", str, event)
    if action not in ev.CORRECTION_ACTIONS:
        raise InvalidEvent(f"a correction is 'undo' or 'replace', not {action!r}")
    if session.decisions and session.decisions[-1].seq == target:
        return _undo_move(session, event, action)
    record = next((r for r in session.vote_log if r.seq == target), None)
    if record is None:
        raise InvalidEvent(
            f"event {target} is not a recorded vote or the room's last move: it cannot be corrected"
        )
    key = (record.team, record.participant)
    same = [
        r.seq
        for r in session.vote_log
        if r.decision == record.decision and (r.team, r.participant) == key
    ]
    if max(same) != target:
        raise InvalidEvent(f"event {target} was replaced by a later vote: correct that one")
    choice: str | None = None
    if action == "replace":
        choice = require(event.data, "choice", str, event)
        if scenario.scenes[record.scene].choice(choice) is None:
            raise InvalidEvent(f"'{record.scene}' has no choice '{choice}'")
        if record.decision == len(session.decisions):
            machine.choose(scenario, session.state, choice)
    return _correct_vote(session, event, record, choice)


def _text(event: Event) -> str:
    text = event.data.get("text", "")
    return text.strip() if isinstance(text, str) else ""


def _correct_vote(
    session: Session, event: Event, record: VoteRecord, choice: str | None
) -> Session:
    """Change (or remove) one vote, at the open decision or in a past decision's record."""
    is_team = record.team is not None
    voter = record.team if is_team else record.participant
    assert voter is not None
    current = record.decision == len(session.decisions)
    if current:
        pairs = session.votes if is_team else session.pvotes
    else:
        past = session.decisions[record.decision]
        pairs = past.recorded if is_team else past.heads
    before = dict(pairs).get(voter)
    changed = dict(pairs)
    changed.pop(voter, None)
    if choice is not None:
        changed[voter] = choice
    ordered = tuple(changed.items())
    if is_team:
        ordered = tuple((t, changed[t]) for t in session.teams if t in changed)
    fixed = Correction(
        event.seq,
        record.seq,
        ev.CHOICE_MADE if is_team else ev.PARTICIPANT_VOTED,
        "replace" if choice is not None else "undo",
        record.scene,
        record.decision + 1,
        voter,
        before,
        choice,
        _text(event),
        event.at,
    )
    session = replace(session, corrections=session.corrections + (fixed,))
    if current:
        if is_team:
            return replace(session, votes=ordered)
        return replace(session, pvotes=ordered)
    decisions = list(session.decisions)
    decisions[record.decision] = _recount(session, past, ordered, is_team)
    return replace(session, decisions=tuple(decisions))


def _recount(
    session: Session, past: RoomDecision, pairs: tuple[tuple[str, str], ...], is_team: bool
) -> RoomDecision:
    """A past decision's record with one vote changed: its teams' choices recounted (the room's
    move stands; undo the move itself to change it)."""
    recorded = pairs if is_team else past.recorded
    heads = past.heads if is_team else pairs
    members = {p.id: p.team for p in session.participants}
    tally = hybrid_tally(session.teams, dict(recorded), members, dict(heads))
    votes = tuple((t, tally.team_choice.get(t)) for t in session.teams)
    return replace(past, recorded=recorded, heads=heads, votes=votes)


def _undo_move(session: Session, event: Event, action: str) -> Session:
    """Take back the room's last move: the room stands again at that decision, with the votes
    it had then (the tally revealed), to follow again."""
    before = session.last_follow
    if action != "undo":
        raise InvalidEvent("a room move is undone, then followed again: use 'undo'")
    if before is None:
        raise InvalidEvent("the room has moved on since: only its last move can be undone")
    move = session.decisions[-1]
    fixed = Correction(
        event.seq,
        move.seq,
        ev.GROUP_FOLLOWED,
        "undo",
        move.scene,
        len(session.decisions),
        None,
        move.choice,
        None,
        _text(event),
        event.at,
    )
    return replace(
        before,
        revealed=True,
        notes=session.notes,
        participants=session.participants,
        reasons=session.reasons,
        corrections=session.corrections + (fixed,),
        vote_log=tuple(r for r in session.vote_log if r.decision <= len(before.decisions)),
        last_follow=None,
    )


HANDLERS: dict[str, Callable[[Scenario, Session, Event], Session]] = {
    ev.PARTICIPANT_JOINED: participant_joined,
    ev.PARTICIPANT_MOVED: participant_moved,
    ev.PARTICIPANT_VOTED: participant_voted,
    ev.TALLY_REVEALED: tally_revealed,
    ev.ROOM_REASON: room_reason,
    ev.CORRECTION: correction,
}


def displayed_choices(scenario: Scenario, session: Session) -> tuple[Choice, ...]:
    """The choices on offer now, in the session's displayed order: what the TUI numbers, the
    web page and the projector list, and the order tallies are shown in (`Session.shown`, the
    one place that decides it)."""
    return session.shown(scenario)


def displayed_ids(scenario: Scenario, session: Session, scene_id: str) -> list[str]:
    """All of a decision scene's choice ids in the session's displayed order (a past decision's
    tally is listed in it)."""
    return [c.id for c in order.displayed(session.seed, scenario.scenes[scene_id])]
