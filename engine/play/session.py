"""A session is the fold of its events: pure, deterministic, validated event by event.

The room has one `machine.State`. At a decision every team may record a choice (`choice_made`;
recording again replaces the team's earlier one); the room then follows one choice
(`group_followed`: the majority, the facilitator's pick on a tie, an override, or in solo the
single team's choice). Solo play is the one-team case of the same path. Each team is scored on
the choice it made at each decision the room faced (see `team_decisions`).

`apply` raises a typed error for an event the state does not allow, so the same function checks
a move before it is appended and checks a log when it is read back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from types import MappingProxyType

from engine.core.jsontypes import FrozenJSON
from engine.core.model import Choice, Scenario
from engine.play import drills, live, machine, order
from engine.play import evaluation as ev_
from engine.play import events as ev
from engine.play.checks import InvalidEvent, current_decision, require_text
from engine.play.drills import DrillRecord, FiredInject, Selection
from engine.play.evaluation import Feedback, Observation, PlanItem, TimerExpiry
from engine.play.events import EndReason, Event, How, Mode
from engine.play.machine import PlayError, SessionOver, State
from engine.play.room import (
    COUNTS,
    Correction,
    HybridTally,
    Participant,
    Reason,
    VoteRecord,
    hybrid_tally,
    leaders_of,
)


class TieNeedsPick(PlayError):
    """The teams are tied: the facilitator must pick one of the tied choices."""


class NotTheMajority(PlayError):
    """A pick that is not the majority (nor among the tied): it needs override=True."""


class ContentChanged(Exception):
    """The scenario's content changed since the session started: resuming would replay a
    different exercise, so it is refused."""

    def __init__(
        self, scenario_id: str, stored_hash: str, current_hash: str, path: str | None = None
    ) -> None:
        from engine.core.i18n import _

        where = f" ({path})" if path else ""
        super().__init__(
            _(
                "scenario '{id}'{where} has changed since this session started "
                "(content hash {then} then, {now} now); restore the scenario file as it was to "
                "resume, or start a new session with the new version"
            ).format(id=scenario_id, where=where, then=stored_hash[:12], now=current_hash[:12])
        )
        self.scenario_id = scenario_id
        self.stored_hash = stored_hash
        self.current_hash = current_hash
        self.path = path


@dataclass(frozen=True)
class Note:
    """A facilitator's note, attached to a scene (or to the whole session when scene is None)."""

    seq: int
    scene: str | None
    text: str
    at: str
    team: str | None = None  # the team it is about (None: the room, or a solo session)


@dataclass(frozen=True)
class RoomDecision:
    """A decision the room faced: each team's choice (None: none recorded) and what it followed.
    `votes` are the teams' effective choices (recorded, or their members' majority); `recorded`
    the facilitator's records and `heads` the participants' own votes behind them."""

    scene: str
    choice: str
    how: How
    votes: tuple[tuple[str, str | None], ...]  # (team, choice), in team order
    recorded: tuple[tuple[str, str], ...] = ()
    heads: tuple[tuple[str, str], ...] = ()  # (participant id, choice)
    reason: str | None = None
    seq: int = 0
    shown: tuple[str, ...] = ()  # the choices offered then, in the order the room saw them


@dataclass(frozen=True)
class Session:
    """Everything a session's events say, folded."""

    id: str
    scenario_id: str
    content_hash: str
    mode: Mode
    teams: tuple[str, ...]
    options: Mapping[str, FrozenJSON]  # as recorded in session_started
    state: State
    path: tuple[str, ...]
    decisions: tuple[RoomDecision, ...] = ()
    votes: tuple[tuple[str, str], ...] = ()  # choices recorded at the current decision
    notes: tuple[Note, ...] = ()
    observations: tuple[Observation, ...] = ()
    timer_expiries: tuple[TimerExpiry, ...] = ()
    feedback: tuple[Feedback, ...] = ()
    plan: tuple[PlanItem, ...] = ()
    plan_items_added: int = 0  # ever, so a removed item's number is not reused
    plan_sources: frozenset[str] = frozenset()  # ever drafted, so a removed draft stays removed
    ended: EndReason | None = None
    seq: int = 0
    started_at: str = ""
    updated_at: str = ""
    # the live room (see engine/play/room.py)
    participants: tuple[Participant, ...] = ()
    pvotes: tuple[tuple[str, str], ...] = ()  # (participant, choice) at the current decision
    revealed: bool = False  # the current decision's tally has been revealed
    label: str = ""  # the session's label (a course, a day, a cohort)
    reasons: tuple[Reason, ...] = ()
    corrections: tuple[Correction, ...] = ()
    vote_log: tuple[VoteRecord, ...] = ()
    last_follow: Session | None = None  # the session just before the last room move
    seed: int | None = None  # choice order (engine.play.order); None: file order
    # on-demand injects and identify drills (see engine/play/drills.py)
    fired: tuple[FiredInject, ...] = ()
    selections: tuple[tuple[str, Selection], ...] = ()  # (team, options) at the current drill
    pselections: tuple[tuple[str, Selection], ...] = ()  # (participant, options) there
    drills: tuple[DrillRecord, ...] = ()  # the drills the room passed

    def shown(self, scenario: Scenario) -> tuple[Choice, ...]:
        """The choices offered at the room's current decision, in the session's display order
        (what number keys 1-9 count); empty elsewhere."""
        scene = scenario.scenes[self.state.scene]
        return order.displayed(self.seed, scene, machine.offered_choices(scenario, self.state))

    def _display_rank(self, scenario: Scenario) -> dict[str, int]:
        scene = scenario.scenes[self.state.scene]
        return {c.id: i for i, c in enumerate(order.displayed(self.seed, scene))}

    @property
    def scene(self) -> str:
        return self.state.scene

    @property
    def closed(self) -> bool:
        """No more moves: a session_ended was appended."""
        return self.ended is not None

    @property
    def count(self) -> str:
        """What the room's majority counts: "teams" (default) or "heads" (session option)."""
        value = self.options.get("count", "teams")
        return value if value in COUNTS else "teams"

    def participant(self, participant_id: str) -> Participant | None:
        for p in self.participants:
            if p.id == participant_id:
                return p
        return None

    def live_tally(self) -> HybridTally:
        """The current decision's hybrid tally (recorded tables and device votes)."""
        return hybrid_tally(
            self.teams,
            dict(self.votes),
            {p.id: p.team for p in self.participants},
            dict(self.pvotes),
        )

    def vote_of(self, team: str) -> str | None:
        """The team's choice at the current decision: recorded, or its members' majority."""
        return self.live_tally().team_choice.get(team)

    def pvote_of(self, participant_id: str) -> str | None:
        return dict(self.pvotes).get(participant_id)

    def pending_teams(self) -> tuple[str, ...]:
        choices = self.live_tally().team_choice
        return tuple(t for t in self.teams if choices.get(t) is None)

    def tally(self, scenario: Scenario) -> dict[str, tuple[str, ...]]:
        """Choice id -> teams that chose it (choices in display order, teams in team order)."""
        rank = self._display_rank(scenario)
        result: dict[str, list[str]] = {}
        for team, choice in self.live_tally().team_choice.items():
            if choice is not None:
                result.setdefault(choice, []).append(team)
        return {c: tuple(result[c]) for c in sorted(result, key=lambda c: rank.get(c, 1 << 30))}

    def leaders(self, scenario: Scenario) -> tuple[str, ...]:
        """The choices with the most teams, or heads with `count: heads` (several when tied;
        none when nobody chose)."""
        rank = self._display_rank(scenario)
        return leaders_of(self.live_tally(), self.count, sorted(rank, key=rank.__getitem__))

    def majority(self, scenario: Scenario) -> str | None:
        leaders = self.leaders(scenario)
        return leaders[0] if len(leaders) == 1 else None

    def team_decisions(self, team: str) -> tuple[tuple[str, str | None], ...]:
        """(scene, this team's choice or None) at every decision the room faced."""
        if team not in self.teams:
            raise KeyError(team)
        return tuple((d.scene, dict(d.votes).get(team)) for d in self.decisions)

    def participant_decisions(self, participant_id: str) -> tuple[tuple[str, str | None], ...]:
        """(scene, this participant's vote or None) at every decision the room faced since
        they joined."""
        joined = self.participant(participant_id)
        if joined is None:
            raise KeyError(participant_id)
        first = sum(1 for d in self.decisions if d.seq < joined.joined_seq)
        return tuple((d.scene, dict(d.heads).get(participant_id)) for d in self.decisions[first:])

    def room_decisions(self) -> tuple[tuple[str, str | None], ...]:
        """(scene, the choice the room followed) at every decision: the room's own path."""
        return tuple((d.scene, d.choice) for d in self.decisions)

    def role_of(self, team: str) -> str | None:
        """The role assigned to `team` at setup (session option `roles`), if any."""
        roles = self.options.get("roles")
        role = roles.get(team) if isinstance(roles, Mapping) else None
        return role if isinstance(role, str) else None

    def selection_of(self, scenario: Scenario, team: str) -> Selection:
        """The team's selection at the current drill (empty elsewhere)."""
        scene = scenario.scenes[self.state.scene]
        return drills.team_selection(self, team, scene) if scene.is_drill else ()

    def ending(self, scenario: Scenario) -> str | None:
        """The ending scene the room reached, if it reached one."""
        return self.state.scene if machine.is_over(scenario, self.state) else None


# -- how the room follows a choice: `following` proposes, `check_how` verifies ------------------


def following(
    scenario: Scenario, session: Session, choice: str | None, *, override: bool = False
) -> tuple[str, How]:
    """The choice the room follows and how: the facilitator's `choice` (an override when
    `override`, a tie-break when it settles a tie), else the unique leader. Raises when there is
    nothing to follow; `check_how` still verifies the result when the event is applied."""
    if override:
        if choice is None:
            raise NotTheMajority("an override needs the choice to follow")
        return choice, How.OVERRIDE
    leaders = session.leaders(scenario)
    usual = How.SOLO if session.mode is Mode.SOLO or len(session.teams) == 1 else How.MAJORITY
    if choice is None:
        if not leaders:
            raise NotTheMajority("no team has chosen yet")
        if len(leaders) > 1:
            raise TieNeedsPick(f"the teams are tied between {', '.join(leaders)}: pick one of them")
        return leaders[0], usual
    return choice, How.TIE_BREAK if len(leaders) > 1 and choice in leaders else usual


def check_how(scenario: Scenario, session: Session, choice: str, how: str) -> How:
    """The rules of following: solo takes its team's choice; majority is the unique leader;
    a tie-break picks among the tied leaders; an override may pick any offered choice."""
    if how not in ev.HOW:
        raise InvalidEvent(f"unknown way of following {how!r} (one of {sorted(ev.HOW)})")
    leaders = session.leaders(scenario)
    if how == How.SOLO:
        if session.mode is not Mode.SOLO and len(session.teams) != 1:
            raise InvalidEvent("'solo' following is for a one-team session")
        if session.vote_of(session.teams[0]) != choice:
            raise InvalidEvent(f"in solo play the room follows the player's choice, not '{choice}'")
    elif how == How.MAJORITY:
        if not leaders:
            raise NotTheMajority("no team has chosen yet: record a choice or override")
        if len(leaders) > 1:
            raise TieNeedsPick(
                f"the teams are tied between {', '.join(leaders)}: the facilitator must pick one"
            )
        if leaders[0] != choice:
            raise NotTheMajority(
                f"the majority chose '{leaders[0]}', not '{choice}': "
                f"use an override to follow '{choice}'"
            )
    elif how == How.TIE_BREAK:
        if len(leaders) < 2:
            raise NotTheMajority("there is no tie to break")
        if choice not in leaders:
            raise NotTheMajority(
                f"'{choice}' is not among the tied choices ({', '.join(leaders)}): use an override"
            )
    return How(how)


def start(scenario: Scenario, event: Event) -> Session:
    """The session a `session_started` event opens (the room at the start scene)."""
    if event.kind != ev.SESSION_STARTED or event.seq != 1:
        raise InvalidEvent(
            f"a session's first event must be session_started with seq 1, got "
            f"{event.kind} with seq {event.seq}"
        )
    data = event.data
    scenario_id = require_text(data, "scenario_id", event)
    stored_hash = require_text(data, "content_hash", event)
    if scenario_id != scenario.id or stored_hash != scenario.content_hash:
        raise ContentChanged(scenario_id, stored_hash, scenario.content_hash)
    mode_text = require_text(data, "mode", event)
    if mode_text not in {m.value for m in Mode}:
        raise InvalidEvent(f"unknown mode {mode_text!r} (solo or facilitated)")
    mode = Mode(mode_text)
    listed = data.get("teams") or ()
    named = listed if isinstance(listed, tuple) else ()  # a JSON list, frozen
    teams = tuple(t for t in named if isinstance(t, str) and t.strip())
    if not teams or len(teams) != len(named):
        raise InvalidEvent("a session needs at least one team, each with a non-empty name")
    if len(set(teams)) != len(teams):
        raise InvalidEvent(f"team names must be distinct: {', '.join(teams)}")
    if mode is Mode.SOLO and len(teams) != 1:
        raise InvalidEvent("solo play has exactly one team (the player)")
    if data.get("start", scenario.start) != scenario.start:
        raise InvalidEvent(
            f"the session started at '{data.get('start')}', but the scenario "
            f"starts at '{scenario.start}'"
        )
    options = data.get("options") or {}
    if not isinstance(options, Mapping):
        raise InvalidEvent("session options must be an object")
    seed = _seed(data, options)
    _check_roles_and_timing(scenario, options, teams)
    return Session(
        id=event.session_id,
        scenario_id=scenario_id,
        content_hash=stored_hash,
        mode=mode,
        teams=teams,
        options=MappingProxyType(dict(options)),
        state=machine.initial_state(scenario),
        path=(scenario.start,),
        seq=1,
        started_at=event.at,
        updated_at=event.at,
        label=str(data.get("label") or ""),
        seed=seed,
    )


def _check_roles_and_timing(
    scenario: Scenario, options: Mapping[str, FrozenJSON], teams: tuple[str, ...]
) -> None:
    """Session options `roles` ({team: role id}, teams without a role left out) and `timing`
    (a profile name) must name the session's teams and the scenario's roles and profiles."""
    roles = options.get("roles")
    if roles is not None:
        if not isinstance(roles, Mapping):
            raise InvalidEvent("session option 'roles' maps team names to role ids")
        for team, role in roles.items():
            if team not in teams:
                raise InvalidEvent(f"roles: no team '{team}' in this session")
            if not isinstance(role, str) or scenario.role(role) is None:
                known = ", ".join(r.id for r in scenario.roles) or "none"
                raise InvalidEvent(f"roles: the scenario has no role {role!r} (roles: {known})")
    timing = options.get("timing")
    if timing is not None and (not isinstance(timing, str) or not scenario.timing_profile(timing)):
        known = ", ".join(t.name for t in scenario.timing) or "none"
        raise InvalidEvent(f"timing: the scenario has no profile {timing!r} (profiles: {known})")


def discussion_seconds(scenario: Scenario, options: Mapping[str, FrozenJSON]) -> int | None:
    """The discussion timer per decision: the session's own `timer` (seconds), else the
    minutes per decision of its timing profile (`timing`), else none."""
    timer = options.get("timer")
    if isinstance(timer, (int, float)) and not isinstance(timer, bool) and timer > 0:
        return int(timer)
    name = options.get("timing")
    profile = scenario.timing_profile(name) if isinstance(name, str) else None
    return profile.decision * 60 if profile is not None else None


def _seed(data: Mapping[str, FrozenJSON], options: Mapping[str, FrozenJSON]) -> int | None:
    """The recorded choice-order seed. Sessions recorded before shuffling have none (file
    order), as has a session started with `--order file` (options.order = "file")."""
    seed = data.get("seed")
    if not order.valid_seed(seed):
        raise InvalidEvent(f"the choice-order seed must be a whole number 0..2^48, got {seed!r}")
    how = options.get("order", order.SessionOrder.SHUFFLED)
    if how not in {o.value for o in order.SessionOrder}:
        raise InvalidEvent(f"unknown choice order {how!r} (shuffled or file)")
    if how == order.SessionOrder.FILE and seed is not None:
        raise InvalidEvent("a session in file order has no choice-order seed")
    return seed if isinstance(seed, int) else None  # valid_seed: an int or None


def apply(scenario: Scenario, session: Session | None, event: Event) -> Session:
    """The session after one more event; raises (and changes nothing) if it does not fit."""
    if session is None:
        return start(scenario, event)
    if event.seq != session.seq + 1 or event.session_id != session.id:
        raise InvalidEvent(
            f"event {event.seq} of session {event.session_id} does not follow "
            f"event {session.seq} of session {session.id}"
        )
    kind = event.kind
    if session.closed and kind not in ev.AFTER_END:
        raise SessionOver(f"session {session.id} has ended ({session.ended})")
    if kind == ev.SESSION_STARTED:
        raise InvalidEvent(f"session {session.id} has already started")
    handler = _HANDLERS.get(kind)
    if handler is None:
        raise InvalidEvent(f"unknown event kind {kind!r}")
    after = handler(scenario, session, event)
    return replace(after, seq=event.seq, updated_at=event.at)


def _scene_entered(scenario: Scenario, session: Session, event: Event) -> Session:
    target = require_text(event.data, "scene", event)
    state = machine.acknowledge(scenario, session.state)
    if state.scene != target:
        raise InvalidEvent(
            f"after '{session.state.scene}' the room enters '{state.scene}', not '{target}'"
        )
    session = drills.leave_drill(scenario, session)
    return replace(session, state=state, path=session.path + (target,), last_follow=None)


def _choice_made(scenario: Scenario, session: Session, event: Event) -> Session:
    scene = current_decision(scenario, session.state, event)
    team = require_text(event.data, "team", event)
    choice = require_text(event.data, "choice", event)
    if team not in session.teams:
        raise InvalidEvent(f"no team '{team}' in this session (teams: {', '.join(session.teams)})")
    machine.choose(scenario, session.state, choice)  # raises if not on offer
    votes = dict(session.votes)
    votes[team] = choice
    ordered = tuple((t, votes[t]) for t in session.teams if t in votes)
    record = VoteRecord(event.seq, len(session.decisions), scene.id, team, None)
    return replace(session, votes=ordered, vote_log=session.vote_log + (record,))


def _group_followed(scenario: Scenario, session: Session, event: Event) -> Session:
    scene = current_decision(scenario, session.state, event)
    choice = require_text(event.data, "choice", event)
    how_text = require_text(event.data, "how", event)
    state = machine.choose(scenario, session.state, choice)
    how = check_how(scenario, session, choice, how_text)
    to = event.data.get("to")
    if to is not None and to != state.scene:
        raise InvalidEvent(f"choice '{choice}' leads to '{state.scene}', not '{to}'")
    votes = tuple((t, session.vote_of(t)) for t in session.teams)
    reason = next(
        (
            r.text
            for r in reversed(session.reasons)
            if r.scene == scene.id
            and r.how == how
            and r.choice == choice
            and r.seq > _last_move_seq(session)
        ),
        None,
    )
    shown = tuple(c.id for c in session.shown(scenario))
    decision = RoomDecision(
        scene.id, choice, how, votes, session.votes, session.pvotes, reason, event.seq, shown
    )
    return replace(
        session,
        state=state,
        path=session.path + (state.scene,),
        decisions=session.decisions + (decision,),
        votes=(),
        pvotes=(),
        revealed=False,
        last_follow=replace(session, last_follow=None),
    )


def _last_move_seq(session: Session) -> int:
    """The seq of the room's last follow (0 if none): reasons given before it are used up."""
    return session.decisions[-1].seq if session.decisions else 0


def _note_added(scenario: Scenario, session: Session, event: Event) -> Session:
    text = require_text(event.data, "text", event)
    scene_id = event.data.get("scene")
    if scene_id is not None and scene_id not in session.state.visited:
        raise InvalidEvent(f"a note can be attached to a scene the room visited, not '{scene_id}'")
    if not text.strip():
        raise InvalidEvent("a note needs some text")
    team = event.data.get("team")
    if team is not None and team not in session.teams:
        raise InvalidEvent(f"a note can be about a team of the session, not {team!r}")
    note = Note(event.seq, scene_id, text, event.at, team)
    return replace(session, notes=session.notes + (note,))


def _session_ended(scenario: Scenario, session: Session, event: Event) -> Session:
    reason = require_text(event.data, "reason", event)
    if reason not in ev.END_REASONS:
        raise InvalidEvent(f"unknown end reason {reason!r} (ending or abandoned)")
    if reason == EndReason.ENDING and not machine.is_over(scenario, session.state):
        raise InvalidEvent(f"the room is at '{session.state.scene}', not at an ending")
    return replace(session, ended=EndReason(reason), last_follow=None)


def _session_labelled(scenario: Scenario, session: Session, event: Event) -> Session:
    return replace(session, label=require_text(event.data, "label", event))


def fold(scenario: Scenario, events: Iterable[Event], session: Session | None = None) -> Session:
    """Fold events into a session (optionally continuing from one already folded)."""
    for event in events:
        session = apply(scenario, session, event)
    if session is None:
        raise InvalidEvent("a session needs at least its session_started event")
    return session


def _observation(scenario: Scenario, session: Session, event: Event) -> Session:
    observation = ev_.observation_from(event.seq, event.data, scenario, session.teams, event.at)
    return replace(session, observations=(*session.observations, observation))


def _timer(scenario: Scenario, session: Session, event: Event) -> Session:
    expiry = ev_.timer_from(event.seq, event.data, session.state.scene, event.at)
    return replace(session, timer_expiries=(*session.timer_expiries, expiry))


def _feedback(scenario: Scenario, session: Session, event: Event) -> Session:
    given = ev_.feedback_from(event.seq, event.data, scenario, session.teams, event.at)
    return replace(session, feedback=(*session.feedback, given))


def _plan_add(scenario: Scenario, session: Session, event: Event) -> Session:
    plan = ev_.plan_added(event.data, scenario, session.plan)
    source = plan[-1].source
    sources = session.plan_sources | {source} if source else session.plan_sources
    return replace(
        session, plan=plan, plan_items_added=session.plan_items_added + 1, plan_sources=sources
    )


def _plan_edit(scenario: Scenario, session: Session, event: Event) -> Session:
    return replace(session, plan=ev_.plan_edited(event.data, scenario, session.plan))


def _plan_remove(scenario: Scenario, session: Session, event: Event) -> Session:
    return replace(session, plan=ev_.plan_removed(event.data, session.plan))


Handler = Callable[[Scenario, Session, Event], Session]

_EVALUATION: dict[str, Handler] = {
    ev.OBSERVATION_ADDED: _observation,
    ev.TIMER_EXPIRED: _timer,
    ev.FEEDBACK_GIVEN: _feedback,
    ev.PLAN_ITEM_ADDED: _plan_add,
    ev.PLAN_ITEM_EDITED: _plan_edit,
    ev.PLAN_ITEM_REMOVED: _plan_remove,
}


def _evaluation(scenario: Scenario, session: Session, event: Event) -> Session:
    """An evaluation event's handler, its data errors (ValueError) reported as InvalidEvent."""
    try:
        return _EVALUATION[event.kind](scenario, session, event)
    except ValueError as exc:
        raise InvalidEvent(f"event {event.seq} ({event.kind}): {exc}") from None


_HANDLERS: dict[str, Handler] = {
    ev.SCENE_ENTERED: _scene_entered,
    ev.CHOICE_MADE: _choice_made,
    ev.GROUP_FOLLOWED: _group_followed,
    ev.NOTE_ADDED: _note_added,
    ev.SESSION_ENDED: _session_ended,
    ev.SESSION_LABELLED: _session_labelled,
    **live.HANDLERS,
    **drills.HANDLERS,
    **dict.fromkeys(_EVALUATION, _evaluation),
}
