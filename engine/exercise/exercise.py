"""The exercise facade: play a scenario as a stored session (the API the TUI and CLI use).

Every move is checked against the folded session first (a refused move raises the machine's
typed error and appends nothing), then appended to the store (committed and fsynced) and only
then applied in memory: whatever the screen shows as done is on disk. If another process
appended to the same session meanwhile, the exercise catches up and checks the move again.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from engine.core.diagnostics import did_you_mean
from engine.core.i18n import DEFAULT_LANGUAGE, _, current_language, ngettext
from engine.core.jsontypes import JSON, JSONObject
from engine.core.model import Choice, Inject, Scenario, Scene, SceneKind
from engine.play import drills, machine
from engine.play import events as ev
from engine.play import session as fold_
from engine.play.evaluation import next_item_id
from engine.play.events import EndReason, Event, Mode, make_event, thaw
from engine.play.machine import PlayError, State
from engine.play.order import SEED_BITS, SessionOrder
from engine.play.room import Participant, clean_name
from engine.play.scoring import AreaOf, Identification, Score, catalog_area_of, identification
from engine.play.scoring import score as score_of
from engine.play.session import (  # re-exported for callers of the facade
    ContentChanged,
    InvalidEvent,
    Note,
    NotTheMajority,
    Session,
    TieNeedsPick,
)
from engine.play.teams import SOLO_TEAM, TeamListError, team_list
from engine.store.base import DamagedSession, SessionStore, StaleSession, clean_label

LANGUAGE_OPTION = "lang"  # session_started options: the interface language at the start

__all__ = [
    "ChoicesError",
    "ContentChanged",
    "Exercise",
    "HeadlessPlan",
    "InvalidEvent",
    "NotTheMajority",
    "Note",
    "PlayError",
    "TieNeedsPick",
    "plan_headless",
    "play_headless",
]

_RETRIES = 50


class Exercise:
    """One session of one scenario, backed by a store."""

    def __init__(
        self,
        store: SessionStore,
        scenario: Scenario,
        session: Session,
        scenario_path: str | None = None,
        area_of: AreaOf | None = None,
    ) -> None:
        self.store = store
        self.scenario = scenario
        self.scenario_path = scenario_path
        self._session = session
        self._area_of = area_of

    # --- lifecycle -------------------------------------------------------------------------

    @classmethod
    def start(
        cls,
        store: SessionStore,
        scenario: Scenario,
        *,
        scenario_path: str | None = None,
        mode: Mode | str = Mode.SOLO,
        teams: Sequence[str] = (SOLO_TEAM,),
        options: Mapping[str, JSON] | None = None,
        label: str = "",
        seed: int | None = None,
    ) -> Exercise:
        """Open a new session at the scenario's start scene (teams by `team_list`'s rules;
        `label`: e.g. the course).

        The session shuffles every decision's choices from `seed` (drawn here when None),
        recorded in `session_started`; `options={"order": "file"}` keeps the file's order.
        """
        teams = tuple(teams)
        if str(mode) in {m.value for m in Mode}:  # else the fold's check names the bad mode
            try:
                teams = team_list(mode, teams)
            except TeamListError as exc:
                raise InvalidEvent(str(exc)) from None
        opts = dict(options or {})
        opts.setdefault(LANGUAGE_OPTION, current_language())  # the session's reports speak it
        if opts.get("order") == SessionOrder.FILE:
            seed = None
        elif seed is None:
            seed = secrets.randbits(SEED_BITS)
        data: JSONObject = {
            "scenario_id": scenario.id,
            "content_hash": scenario.content_hash,
            "mode": mode,
            "teams": list(teams),
            "options": opts,
            "start": scenario.start,
            "seed": seed,
        }
        if label.strip():
            data["label"] = clean_label(label)
        # check before creating anything: a bad mode or team list appends nothing
        fold_.start(scenario, make_event(1, "check", ev.SESSION_STARTED, data))
        first = store.create_session(
            scenario_id=scenario.id,
            content_hash=scenario.content_hash,
            title=scenario.title,
            mode=mode,
            teams=teams,
            data=data,
            scenario_path=scenario_path,
        )
        return cls(store, scenario, fold_.start(scenario, first), scenario_path)

    @classmethod
    def resume(cls, store: SessionStore, session_id: str, scenario: Scenario) -> Exercise:
        """Reopen a stored session; `ContentChanged` if the scenario is not the one it played."""
        info = store.session(session_id)
        if info.scenario_id != scenario.id or info.content_hash != scenario.content_hash:
            raise ContentChanged(
                info.scenario_id, info.content_hash, scenario.content_hash, info.scenario_path
            )
        try:
            session = fold_.fold(scenario, store.events(info.id))
        except (KeyError, TypeError, AttributeError, IndexError) as exc:
            # rows that decode but do not make sense together
            raise DamagedSession(
                info.id,
                getattr(store, "path", "the store"),
                f"its events cannot be replayed: {type(exc).__name__}",
            ) from None
        exercise = cls(store, scenario, session, info.scenario_path)
        exercise._close_if_ended()  # a crash between reaching an ending and recording it
        return exercise

    # --- what the screen shows -------------------------------------------------------------

    @property
    def session(self) -> Session:
        return self._session

    @property
    def session_id(self) -> str:
        return self._session.id

    @property
    def mode(self) -> Mode:
        return self._session.mode

    @property
    def teams(self) -> tuple[str, ...]:
        return self._session.teams

    @property
    def options(self) -> JSONObject:
        """The session's recorded options, as plain (mutable, serialisable) JSON."""
        return {k: thaw(v) for k, v in self._session.options.items()}

    @property
    def language(self) -> str:
        """The interface language the session was started in (older sessions: English)."""
        return str(self._session.options.get(LANGUAGE_OPTION) or DEFAULT_LANGUAGE)

    @property
    def state(self) -> State:
        return self._session.state

    @property
    def scene(self) -> Scene:
        return self.scenario.scenes[self._session.state.scene]

    @property
    def offered(self) -> tuple[Choice, ...]:
        """The choices on offer, in the session's display order (number keys count these)."""
        return self._session.shown(self.scenario)

    @property
    def seed(self) -> int | None:
        """The session's choice-order seed (None: file order)."""
        return self._session.seed

    @property
    def is_over(self) -> bool:
        """At an ending, or ended (abandoned): no more moves."""
        return self._session.closed or machine.is_over(self.scenario, self._session.state)

    @property
    def values(self) -> dict[str, int]:
        return machine.values_of(self.scenario, self._session.state)

    @property
    def path(self) -> tuple[str, ...]:
        return self._session.path

    @property
    def notes(self) -> tuple[Note, ...]:
        return self._session.notes

    def pending_teams(self) -> tuple[str, ...]:
        return self._session.pending_teams() if self.scene.kind is SceneKind.DECISION else ()

    def tally(self) -> dict[str, tuple[str, ...]]:
        return self._session.tally(self.scenario) if self.scene.kind is SceneKind.DECISION else {}

    def majority(self) -> str | None:
        return (
            self._session.majority(self.scenario) if self.scene.kind is SceneKind.DECISION else None
        )

    def events(self) -> tuple[Event, ...]:
        """The session's whole log, as stored."""
        return self.store.events(self.session_id)

    # --- moves -----------------------------------------------------------------------------

    def acknowledge(self) -> None:
        """Continue from a narrative or inject scene to the next scene."""

        def build(s: Session) -> tuple[str, JSONObject]:
            self._check_open(s)
            target = machine.acknowledge(self.scenario, s.state).scene
            return ev.SCENE_ENTERED, {"scene": target}

        self._commit(build)
        self._close_if_ended()

    def record_choice(self, team: str, choice_id: str) -> None:
        """Record one team's choice at the current decision (again: replaces it)."""
        self._commit(
            lambda s: (ev.CHOICE_MADE, {"scene": s.state.scene, "choice": choice_id, "team": team})
        )

    def follow(
        self, choice_id: str | None = None, *, override: bool = False, reason: str | None = None
    ) -> None:
        """The room moves on: the majority, or the facilitator's pick (needed on a tie; with
        `override=True` any offered choice). An override or a tie-break carries `reason`,
        recorded as a `room_reason` event just before the move."""
        if reason is not None and reason.strip():
            choice, how = fold_.following(
                self.scenario, self._session, choice_id, override=override
            )
            if how in ev.REASONED_HOW:
                self._commit(
                    lambda s: (
                        ev.ROOM_REASON,
                        {"scene": s.state.scene, "how": how, "choice": choice, "text": reason},
                    )
                )

        def build(s: Session) -> tuple[str, JSONObject]:
            self._check_open(s)
            choice, how = fold_.following(self.scenario, s, choice_id, override=override)
            target = machine.choose(self.scenario, s.state, choice).scene
            return ev.GROUP_FOLLOWED, {
                "scene": s.state.scene,
                "choice": choice,
                "how": how,
                "to": target,
            }

        self._commit(build)
        self._close_if_ended()

    # --- the live room ---------------------------------------------------------------------

    def join(self, name: str, team: str, token_hash: str) -> Participant:
        """A participant joins under a pseudonym (cleaned: see `clean_name`)."""
        participant_id = "p-" + secrets.token_hex(6)
        self._commit(
            lambda s: (
                ev.PARTICIPANT_JOINED,
                {
                    "participant": participant_id,
                    "name": clean_name(name),
                    "team": team,
                    "token_hash": token_hash,
                },
            )
        )
        joined = self._session.participant(participant_id)
        assert joined is not None
        return joined

    def move(self, participant_id: str, team: str) -> None:
        """The facilitator moves a participant to another team."""
        self._commit(
            lambda s: (ev.PARTICIPANT_MOVED, {"participant": participant_id, "team": team})
        )

    def vote(self, participant_id: str, choice_id: str, scene: str | None = None) -> Event:
        """A participant's own vote at the current decision (`scene`: the decision they saw;
        refused if the room has moved on). Returns the stored event."""
        stored = self._commit(
            lambda s: (
                ev.PARTICIPANT_VOTED,
                {
                    "participant": participant_id,
                    "scene": s.state.scene if scene is None else scene,
                    "choice": choice_id,
                },
            )
        )
        assert stored is not None
        return stored

    def reveal(self) -> None:
        """Show the tally: participants' votes at this decision are final."""
        self._commit(lambda s: (ev.TALLY_REVEALED, {"scene": s.state.scene}))

    def correct(self, target: int, *, choice: str | None = None, text: str = "") -> None:
        """Correct the vote recorded by event `target` (replace with `choice`, or undo it with
        None), or undo the room's last move (`target` = its group_followed event)."""
        data: JSONObject = {"target": target, "action": "undo" if choice is None else "replace"}
        if choice is not None:
            data["choice"] = choice
        if text.strip():
            data["text"] = text.strip()
        self._commit(lambda s: (ev.CORRECTION, data))

    # --- on-demand injects and identify drills -----------------------------------------------

    def injects_available(self) -> tuple[Inject, ...]:
        """The on-demand injects the facilitator may fire now."""
        return machine.available_injects(self.scenario, self._session.state)

    def fire_inject(self, inject_id: str) -> None:
        """Fire an on-demand inject: effects then set; the room stays where it is."""

        def build(s: Session) -> tuple[str, JSONObject]:
            self._check_open(s)
            return ev.INJECT_FIRED, {"inject": inject_id, "scene": s.state.scene}

        self._commit(build)

    def record_selection(self, team: str, options: Sequence[str]) -> None:
        """Record one team's selection at the current identify drill (again: replaces it)."""
        self._commit(
            lambda s: (
                ev.SELECTION_MADE,
                {"scene": s.state.scene, "team": team, "options": list(options)},
            )
        )

    def participant_select(
        self, participant_id: str, options: Sequence[str], scene: str | None = None
    ) -> Event:
        """A participant's own selection at the current drill (`scene`: the drill they saw)."""
        stored = self._commit(
            lambda s: (
                ev.PARTICIPANT_SELECTED,
                {
                    "participant": participant_id,
                    "scene": s.state.scene if scene is None else scene,
                    "options": list(options),
                },
            )
        )
        assert stored is not None
        return stored

    def select(self, options: Sequence[str]) -> None:
        """Solo convenience: record the player's selection at the drill, then move on."""
        if len(self.teams) != 1:
            raise PlayError("select() is for one team: use record_selection() for each team")
        self.record_selection(self.teams[0], options)
        self.acknowledge()

    def identification(self, team: str | None = None) -> Identification:
        """One team's identify drills scored (precision and recall), beside alignment."""
        team = self.teams[0] if team is None else team
        if team not in self.teams:
            raise KeyError(f"no team '{team}' in this session (teams: {', '.join(self.teams)})")
        return identification(
            self.scenario, drills.drill_selections(self._session, team, self.scenario)
        )

    def choose(self, choice_id: str) -> None:
        """Solo convenience: record the choice for the single team, then follow it."""
        if len(self.teams) != 1:
            raise PlayError(
                f"choose() is for one team; this session has {len(self.teams)}: "
                f"use record_choice() for each, then follow()"
            )
        self._check_open(self._session)
        machine.choose(self.scenario, self._session.state, choice_id)  # refuse before appending
        self.record_choice(self.teams[0], choice_id)
        self.follow(choice_id)

    def add_note(self, text: str, scene: str | None = "", team: str | None = None) -> None:
        """A facilitator's note on the current scene (or `scene`; None for the whole session),
        about one team when `team` is given."""
        about = {"team": team} if team is not None else {}
        self._commit(
            lambda s: (
                ev.NOTE_ADDED,
                {"scene": s.state.scene if scene == "" else scene, "text": text, **about},
            )
        )

    # --- evaluation (allowed after the end too, except the timer) ---------------------------

    def add_observation(self, text: str, **fields: str | None) -> None:
        """Record an observation (fields: scene, team, objective, practice, indicator, rating,
        by); the scene defaults to where the room is."""
        self._commit(
            lambda s: (
                ev.OBSERVATION_ADDED,
                {"scene": s.state.scene, **fields, "text": text},
            )
        )

    def timer_expired(self, seconds: int) -> None:
        """The decision timer ran out at the room's current scene."""

        def build(s: Session) -> tuple[str, JSONObject]:
            self._check_open(s)
            return ev.TIMER_EXPIRED, {"scene": s.state.scene, "seconds": seconds}

        self._commit(build)

    def give_feedback(
        self,
        ratings: Mapping[str, int],
        worked: str = "",
        change: str = "",
        *,
        team: str | None = None,
        participant: str | None = None,
    ) -> None:
        """A participant's (or team's) end-of-exercise feedback; anonymous unless `participant`."""
        data: JSONObject = {"ratings": dict(ratings), "worked": worked, "change": change}
        if team is not None:
            data["team"] = team
        if participant is not None:
            data["participant"] = participant
        self._commit(lambda s: (ev.FEEDBACK_GIVEN, data))

    def add_plan_item(self, issue: str, **fields: str | None) -> str:
        """Add an improvement-plan item; returns its id ("1", "2", ...)."""
        made: list[str] = []

        def build(s: Session) -> tuple[str, JSONObject]:
            item = next_item_id(s.plan, s.plan_items_added)
            made[:] = [item]
            return ev.PLAN_ITEM_ADDED, {**fields, "item": item, "issue": issue}

        self._commit(build)
        return made[0]

    def edit_plan_item(self, item: str, **changes: str | None) -> None:
        self._commit(lambda s: (ev.PLAN_ITEM_EDITED, {**changes, "item": item}))

    def remove_plan_item(self, item: str) -> None:
        self._commit(lambda s: (ev.PLAN_ITEM_REMOVED, {"item": item}))

    def abandon(self) -> None:
        """End the session for good without reaching an ending (quitting does not call this)."""

        def build(s: Session) -> tuple[str, JSONObject]:
            self._check_open(s)
            return ev.SESSION_ENDED, {"reason": EndReason.ABANDONED}

        self._commit(build)

    # --- scores ----------------------------------------------------------------------------

    def score(self, team: str | None = None) -> Score:
        """One team's score (default: the first team, i.e. the player in solo)."""
        team = self.teams[0] if team is None else team
        if team not in self.teams:
            raise KeyError(f"no team '{team}' in this session (teams: {', '.join(self.teams)})")
        if self._area_of is None:
            self._area_of = catalog_area_of()
        return score_of(
            self.scenario,
            self._session.team_decisions(team),
            ending=self._session.ending(self.scenario),
            area_of=self._area_of,
        )

    def scores(self) -> dict[str, Score]:
        return {team: self.score(team) for team in self.teams}

    def participant_scores(self) -> dict[str, Score]:
        """Each participant's own votes scored like a team's (participant id -> score)."""
        return {
            p.id: self._score_path(self._session.participant_decisions(p.id))
            for p in self._session.participants
        }

    def room_score(self) -> Score:
        """The room's followed path scored (overrides included)."""
        return self._score_path(self._session.room_decisions())

    def _score_path(self, decisions: Sequence[tuple[str, str | None]]) -> Score:
        if self._area_of is None:
            self._area_of = catalog_area_of()
        return score_of(
            self.scenario,
            decisions,
            ending=self._session.ending(self.scenario),
            area_of=self._area_of,
        )

    # --- internals -------------------------------------------------------------------------

    def _check_open(self, s: Session) -> None:
        if s.closed:
            raise machine.SessionOver(f"session {s.id} has ended ({s.ended})")
        if machine.is_over(self.scenario, s.state):
            raise machine.SessionOver(f"the session has ended at '{s.state.scene}'")

    def _commit(self, build: Callable[[Session], tuple[str, JSONObject] | None]) -> Event | None:
        """Check the move on the latest state, append it, then apply it in memory.
        `build` makes the event from the latest state (None: nothing to append any more).
        Returns the stored event."""
        for _attempt in range(_RETRIES):
            s = self._session
            made = build(s)
            if made is None:
                return None
            kind, data = made
            candidate = make_event(s.seq + 1, s.id, kind, data)
            fold_.apply(self.scenario, s, candidate)  # raises: nothing appended
            try:
                stored = self.store.append(s.id, kind, data, after=s.seq)
            except StaleSession:
                self._catch_up()
                continue
            self._session = fold_.apply(self.scenario, s, stored)
            return stored
        raise PlayError(f"session {self.session_id} is too busy: too many concurrent writers")

    def _catch_up(self) -> None:
        """Fold in what other processes appended."""
        self._session = fold_.fold(
            self.scenario, self.store.events(self.session_id, self._session.seq), self._session
        )

    def refresh(self) -> bool:
        """Catch up with other writers; True if anything changed."""
        before = self._session.seq
        self._catch_up()
        return self._session.seq != before

    def _close_if_ended(self) -> None:
        def build(s: Session) -> tuple[str, JSONObject] | None:
            if s.closed or not machine.is_over(self.scenario, s.state):
                return None
            return ev.SESSION_ENDED, {"reason": EndReason.ENDING}

        self._commit(build)


# --- headless play (`nexus-ttx run` / `resume --choices`) -----------------------------------


class ChoicesError(PlayError):
    """A headless choice list that does not fit the scenario (wrong id, too many, a cycle)."""


@dataclass(frozen=True)
class HeadlessPlan:
    """The moves a choice list makes from a state: None acknowledges, a string chooses, a
    tuple selects those options at an identify drill and moves on. `stopped_at` is the decision
    or drill where the choices ran out (None: an ending was reached)."""

    moves: tuple[str | tuple[str, ...] | None, ...]
    stopped_at: str | None


#: In a choice list, a drill's selection joins option ids with "+"; NOTHING selects none.
SELECT_JOIN = "+"
NOTHING = "-"


def parse_selection(scene: Scene, entry: str, where: str) -> tuple[str, ...]:
    """`a+b+c` (or `-` for nothing) at identify drill `scene`, checked against its options."""
    ids = [] if entry.strip() == NOTHING else [o.strip() for o in entry.split(SELECT_JOIN)]
    try:
        return drills.check_selection(scene, ids)
    except InvalidEvent as exc:
        raise ChoicesError(
            _(
                "{where}: {problem}; write a selection as option ids joined by '+', or '-' for none"
            ).format(where=where, problem=exc)
        ) from None


def offered_text(scenario: Scenario, state: State) -> str:
    ids = [c.id for c in machine.offered_choices(scenario, state)]
    return ", ".join(ids) if ids else _("(none)")


def _left_over(scene: Scene, pending: Sequence[str]) -> ChoicesError:
    return ChoicesError(
        ngettext(
            "the scenario ended at '{scene}' ({title}) with {n} choice left over: {choices}",
            "the scenario ended at '{scene}' ({title}) with {n} choices left over: {choices}",
            len(pending),
        ).format(scene=scene.id, title=scene.title, n=len(pending), choices=", ".join(pending))
    )


def _choose_headless(
    scenario: Scenario, state: State, scene: Scene, choice_id: str, where: str
) -> State:
    """The state after `choice_id` at decision `scene`, or a `ChoicesError` saying what is on
    offer there instead."""
    choice = scene.choice(choice_id)
    if choice is None:
        offered = [c.id for c in machine.offered_choices(scenario, state)]
        raise ChoicesError(
            _("{where}: there is no choice '{choice}'; on offer there: {offered}").format(
                where=where, choice=choice_id, offered=offered_text(scenario, state)
            )
            + did_you_mean(choice_id, offered)
        )
    try:
        return machine.choose(scenario, state, choice_id)
    except machine.ChoiceUnavailable:
        condition = choice.condition.source if choice.condition is not None else ""
        raise ChoicesError(
            _(
                "{where}: '{choice}' is not on offer now (its condition '{condition}' does "
                "not hold); on offer there: {offered}"
            ).format(
                where=where,
                choice=choice_id,
                condition=condition,
                offered=offered_text(scenario, state),
            )
        ) from None


def plan_headless(
    scenario: Scenario, state: State, choices: Sequence[str], max_steps: int | None = None
) -> HeadlessPlan:
    """Check a choice list in memory before anything is stored: narrative and inject scenes
    advance by themselves, one choice per decision met. Bounded: a scenario that can loop
    between narrative scenes stops with a `ChoicesError` instead of hanging."""
    limit = (
        max_steps if max_steps is not None else 4 * (len(scenario.scenes) + 1) * (len(choices) + 1)
    )
    moves: list[str | tuple[str, ...] | None] = []
    pending = list(choices)
    for _step in range(limit):
        scene = scenario.scenes[state.scene]
        if scene.kind is SceneKind.ENDING:
            if pending:
                raise _left_over(scene, pending)
            return HeadlessPlan(tuple(moves), None)
        if scene.kind is SceneKind.IDENTIFY:
            if not pending:
                return HeadlessPlan(tuple(moves), scene.id)
            entry = pending.pop(0)
            where = _("at drill '{scene}' ({title}), entry {n}").format(
                scene=scene.id, title=scene.title, n=len(choices) - len(pending)
            )
            moves.append(parse_selection(scene, entry, where))
            state = machine.acknowledge(scenario, state)
            continue
        if scene.kind is not SceneKind.DECISION:
            state = machine.acknowledge(scenario, state)
            moves.append(None)
            continue
        if not pending:
            return HeadlessPlan(tuple(moves), scene.id)
        choice_id = pending.pop(0)
        where = _("at decision '{scene}' ({title}), choice {n}").format(
            scene=scene.id, title=scene.title, n=len(choices) - len(pending)
        )
        state = _choose_headless(scenario, state, scene, choice_id, where)
        moves.append(choice_id)
    raise ChoicesError(
        _(
            "stopped after {limit} steps without reaching a decision or an ending (at "
            "'{scene}'): the scenario seems to loop"
        ).format(limit=limit, scene=state.scene)
    )


def play_headless(exercise: Exercise, plan: HeadlessPlan) -> None:
    """Apply a checked plan to a one-team exercise."""
    for move in plan.moves:
        if move is None:
            exercise.acknowledge()
        elif isinstance(move, tuple):
            exercise.select(move)
        else:
            exercise.choose(move)
