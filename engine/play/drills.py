"""The fold's handlers for on-demand injects and identify drills (event kinds in `events.py`).

- `inject_fired`: the facilitator fires an on-demand inject. The room stays at the scene it
  interrupted: effects then `set` change the variables, a decision stays open, and a recorded
  vote for a choice the new values no longer offer is dropped (it could not be followed).
- `selection_made`: one team's multi-select at the room's current identify drill (again:
  replaces); `participant_selected` the same from a participant's device.
When the room leaves a drill, each team's selection is kept in a `DrillRecord`: the recorded
one, else the options more than half of its participants who selected ticked (none: empty).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from engine.core.model import Scenario, Scene, SceneKind
from engine.play import events as ev
from engine.play import machine
from engine.play.checks import InvalidEvent, require
from engine.play.events import Event
from engine.play.machine import SessionOver

if TYPE_CHECKING:
    from engine.play.session import Session

Selection = tuple[str, ...]


@dataclass(frozen=True)
class FiredInject:
    """An on-demand inject fired during the session, at the scene it interrupted."""

    seq: int
    inject: str
    scene: str
    at: str


@dataclass(frozen=True)
class DrillRecord:
    """An identify drill the room passed: each team's selection (empty: none) and the
    participants' own selections behind them."""

    scene: str
    selections: tuple[tuple[str, Selection], ...]  # (team, option ids), in team order
    heads: tuple[tuple[str, Selection], ...] = ()  # (participant id, option ids)

    def of(self, team: str) -> Selection:
        return dict(self.selections).get(team, ())


def current_drill(scenario: Scenario, session: Session, event: Event) -> Scene:
    """The drill the event is for, which must be where the room is."""
    scene_id = require(event.data, "scene", str, event)
    if scene_id != session.state.scene:
        raise InvalidEvent(
            f"event {event.seq} ({event.kind}) is for scene '{scene_id}' but the room is at "
            f"'{session.state.scene}'"
        )
    scene = scenario.scenes[scene_id]
    if scene.kind is SceneKind.ENDING:
        raise SessionOver(f"the session has ended at '{scene_id}'")
    if scene.kind is not SceneKind.IDENTIFY:
        raise InvalidEvent(f"'{scene_id}' is a {scene.kind} scene, not an identify drill")
    return scene


def check_selection(scene: Scene, options: object, event: Event | None = None) -> Selection:
    """The selection as option ids in the drill's order, each known and listed once."""
    where = f"event {event.seq} ({event.kind}): " if event is not None else ""
    if not isinstance(options, (list, tuple)) or not all(isinstance(o, str) for o in options):
        raise InvalidEvent(f"{where}a selection is a list of option ids, not {options!r}")
    known = [o.id for o in scene.options]
    unknown = [o for o in options if o not in known]
    if unknown:
        raise InvalidEvent(
            f"{where}'{scene.id}' has no option '{unknown[0]}' (options: {', '.join(known)})"
        )
    if len(set(options)) != len(options):
        raise InvalidEvent(f"{where}an option is selected at most once")
    return tuple(o for o in known if o in options)


def _pairs(mapping: Mapping[str, Selection]) -> tuple[tuple[str, Selection], ...]:
    return tuple(mapping.items())


def selection_made(scenario: Scenario, session: Session, event: Event) -> Session:
    scene = current_drill(scenario, session, event)
    team = require(event.data, "team", str, event)
    if team not in session.teams:
        raise InvalidEvent(f"no team '{team}' in this session (teams: {', '.join(session.teams)})")
    chosen = check_selection(scene, event.data.get("options"), event)
    selections = dict(session.selections)
    selections[team] = chosen
    ordered = tuple((t, selections[t]) for t in session.teams if t in selections)
    return replace(session, selections=ordered)


def participant_selected(scenario: Scenario, session: Session, event: Event) -> Session:
    scene = current_drill(scenario, session, event)
    who = require(event.data, "participant", str, event)
    if session.participant(who) is None:
        raise InvalidEvent(f"no participant '{who}' has joined this session")
    chosen = check_selection(scene, event.data.get("options"), event)
    heads = dict(session.pselections)
    heads[who] = chosen
    return replace(session, pselections=_pairs(heads))


def team_selection(session: Session, team: str, scene: Scene) -> Selection:
    """A team's selection at the current drill: recorded, else its members' majority per option."""
    recorded = dict(session.selections)
    if team in recorded:
        return recorded[team]
    members = [
        sel
        for pid, sel in session.pselections
        if (p := session.participant(pid)) is not None and p.team == team
    ]
    if not members:
        return ()
    return tuple(o.id for o in scene.options if 2 * sum(o.id in s for s in members) > len(members))


def leave_drill(scenario: Scenario, session: Session) -> Session:
    """When the room moves on from a drill: record each team's selection and clear them."""
    scene = scenario.scenes[session.state.scene]
    if scene.kind is not SceneKind.IDENTIFY:
        return session
    return replace(
        session,
        drills=session.drills + (pending_drill(session, scene),),
        selections=(),
        pselections=(),
    )


def pending_drill(session: Session, scene: Scene) -> DrillRecord:
    """The record the current drill would get if the room moved on now."""
    return DrillRecord(
        scene.id,
        tuple((t, team_selection(session, t, scene)) for t in session.teams),
        session.pselections,
    )


def inject_fired(scenario: Scenario, session: Session, event: Event) -> Session:
    inject_id = require(event.data, "inject", str, event)
    scene_id = require(event.data, "scene", str, event)
    if scene_id != session.state.scene:
        raise InvalidEvent(
            f"inject '{inject_id}' was fired at '{scene_id}' but the room is at "
            f"'{session.state.scene}'"
        )
    state = machine.fire(scenario, session.state, inject_id)
    offered = {c.id for c in machine.offered_choices(scenario, state)}
    fired = FiredInject(event.seq, inject_id, scene_id, event.at)
    return replace(
        session,
        state=state,
        fired=session.fired + (fired,),
        votes=tuple((t, c) for t, c in session.votes if c in offered),
        pvotes=tuple((p, c) for p, c in session.pvotes if c in offered),
        last_follow=None,  # the room's last move can no longer be undone
    )


HANDLERS: dict[str, Callable[[Scenario, Session, Event], Session]] = {
    ev.INJECT_FIRED: inject_fired,
    ev.SELECTION_MADE: selection_made,
    ev.PARTICIPANT_SELECTED: participant_selected,
}


def drill_selections(
    session: Session, team: str, scenario: Scenario
) -> Iterable[tuple[str, Selection]]:
    """(drill, this team's selection) for every drill the room passed, and the current one
    when the room stands at a drill."""
    for record in session.drills:
        yield record.scene, record.of(team)
    scene = scenario.scenes[session.state.scene]
    if scene.kind is SceneKind.IDENTIFY:
        yield scene.id, team_selection(session, team, scene)
