"""What participants and the projector may see: plain dicts built from the folded session.

The participant view carries the scene and the choices only (never `recommended`, `enacts`,
`harmful`, `feedback` or `discussion` before the reveal). At an identify drill it carries the
statements (`options`: id and text, never their tags, which hold the answer). A participant
whose team holds a role card also gets that role (`role`) and what only that role learns here
(`private`, and per fired inject): never another role's text, and the projector none at all. After the room has followed a choice,
`last` tells what it followed and the tally it had; the choice's feedback is added only when
the session runs with immediate feedback.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from engine.core.model import Scenario
from engine.play.events import FeedbackTiming
from engine.play.live import displayed_choices, displayed_ids
from engine.play.room import Participant, hybrid_tally
from engine.play.session import RoomDecision, Session, discussion_seconds


def _tally_of(decision: RoomDecision, session: Session, order: list[str]) -> dict[str, Any]:
    members = {p.id: p.team for p in session.participants}
    tally = hybrid_tally(session.teams, dict(decision.recorded), members, dict(decision.heads))
    return tally.by_choice(order)


def deadline(scenario: Scenario, session: Session, since: str | None) -> str | None:
    """When the discussion timer runs out at the current decision (ISO 8601 UTC), if any: the
    session's timer, else its timing profile's minutes per decision."""
    seconds = discussion_seconds(scenario, session.options)
    if not since or seconds is None:
        return None
    start = datetime.fromisoformat(since.replace("Z", "+00:00"))
    end = start + timedelta(seconds=float(seconds))
    return end.isoformat(timespec="seconds").replace("+00:00", "Z")


def _last(scenario: Scenario, session: Session) -> dict[str, Any] | None:
    if not session.decisions:
        return None
    room = session.decisions[-1]
    scene = scenario.scenes[room.scene]
    choice = scene.choice(room.choice)
    order = displayed_ids(scenario, session, scene.id)
    last: dict[str, Any] = {
        "scene": scene.id,
        "title": scene.title,
        "choice": room.choice,
        "text": choice.text if choice else room.choice,
        "tally": _tally_of(room, session, order),
        "texts": {c.id: c.text for c in scene.choices},
    }
    timing = FeedbackTiming.of(session.options, facilitated=True)
    if timing is FeedbackTiming.IMMEDIATE and choice is not None:
        last["feedback"] = choice.feedback
    return last


def room_view(scenario: Scenario, session: Session, since: str | None = None) -> dict[str, Any]:
    """The view everyone in the room shares (participants add their own vote)."""
    scene = scenario.scenes[session.state.scene]
    ended = session.closed or scene.kind == "ending"
    decision = scene.kind == "decision" and not ended
    choices = displayed_choices(scenario, session) if decision else ()
    tally = None
    if decision and session.revealed:
        tally = session.live_tally().by_choice([c.id for c in choices])
    drill = scene.kind == "identify" and not ended
    return {
        "session": session.id,
        "scene": {"id": scene.id, "kind": scene.kind, "title": scene.title, "text": scene.text},
        "choices": [{"id": c.id, "text": c.text} for c in choices],
        "options": [{"id": o.id, "text": o.text} for o in scene.options] if drill else [],
        "injects": _fired_here(scenario, session),
        "revealed": session.revealed if decision else False,
        "tally": tally,
        "followed": session.decisions[-1].choice if session.decisions else None,
        "last": _last(scenario, session),
        "deadline": deadline(scenario, session, since) if decision or drill else None,
        "voted": len(session.pvotes) if decision else 0,
        "participants": len(session.participants),
        "teams": list(session.teams),
        "ended": ended,
        "seq": session.seq,
    }


def participant_view(
    scenario: Scenario, session: Session, participant: Participant, since: str | None = None
) -> dict[str, Any]:
    """The participant view of the API: the room's view plus who they are and their vote."""
    view = room_view(scenario, session, since)
    current = session.participant(participant.id) or participant
    view["my_vote"] = session.pvote_of(participant.id) if view["choices"] else None
    view["my_selection"] = (
        list(dict(session.pselections).get(participant.id, ())) if view["options"] else None
    )
    view["me"] = {"id": current.id, "name": current.name, "team": current.team}
    _add_role(view, scenario, session, current.team)
    return view


def _fired_here(scenario: Scenario, session: Session) -> list[dict[str, Any]]:
    """The on-demand injects fired while the room is at its current scene (shown to all)."""
    out = []
    for f in session.fired:
        inject = scenario.inject(f.inject)
        if f.scene == session.state.scene and inject is not None:
            out.append({"id": inject.id, "title": inject.title, "text": inject.text})
    return out


def _add_role(view: dict[str, Any], scenario: Scenario, session: Session, team: str) -> None:
    """The participant's own role card and private texts: only their team's role."""
    role_id = session.role_of(team)
    role = scenario.role(role_id) if role_id else None
    view["role"] = (
        {"id": role.id, "title": role.title, "agency": role.agency, "brief": role.brief}
        if role is not None
        else None
    )
    scene = scenario.scenes[session.state.scene]
    view["private"] = scene.private_for(role.id) if role is not None else None
    for fired in view["injects"]:
        inject = scenario.inject(fired["id"])
        fired["private"] = (
            inject.private_for(role.id) if role is not None and inject is not None else None
        )
