"""The state machine: one pure transition function shared by play, scoring and analysis.

A `State` is where the room is (scene), the variables' values, the facts conditions can
read (`visited`, `chose`) and the on-demand injects fired so far (`fired`: a once-only inject
is offered until it is in there). Every function here is pure: same scenario and state in, same
result out; nothing is stored. Sessions fold their events through these functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple, Protocol

from engine.core.i18n import _
from engine.core.model import Branch, Choice, Inject, Scenario, Scene, SceneKind


class PlayError(Exception):
    """A move the scenario does not allow; the message is meant for a person."""


class SessionOver(PlayError):
    """The session has reached an ending; no further move is possible."""


class NotADecision(PlayError):
    """A choice was made at a scene that offers none (or a decision was 'continued')."""


class UnknownChoice(PlayError):
    """The scene has no choice with that id."""


class ChoiceUnavailable(PlayError):
    """The choice exists but its condition does not hold in this state."""


class InjectUnavailable(PlayError):
    """The inject does not exist, was fired already (once-only), or its condition fails."""


class NoBranchTaken(PlayError):
    """No branch of a `next` list held: validation prevents it (the last branch has no `if`)."""


class State(NamedTuple):
    """Where the play stands. Values are in the order of `scenario.variables`.

    An immutable tuple rather than a frozen dataclass: the analysis makes one per transition
    explored (thousands per `validate`), and a frozen dataclass's `__init__` sets each field
    through `object.__setattr__`, which made it the costliest line of the search.
    """

    scene: str
    values: tuple[int, ...]
    visited: frozenset[str]
    chosen: frozenset[tuple[str, str]]
    fired: frozenset[str] = frozenset()


class PlayState(Protocol):
    """What the functions below read of a state: a `State`, or analysis's projected `Node`."""

    @property
    def scene(self) -> str: ...
    @property
    def values(self) -> tuple[int, ...]: ...
    @property
    def visited(self) -> frozenset[str]: ...
    @property
    def chosen(self) -> frozenset[tuple[str, str]]: ...
    @property
    def fired(self) -> frozenset[str]: ...


def initial_state(scenario: Scenario) -> State:
    """The state at the start scene, with every variable at its initial value."""
    return State(
        scene=scenario.start,
        values=tuple(v.initial for v in scenario.variables),
        visited=frozenset((scenario.start,)),
        chosen=frozenset(),
    )


def values_of(scenario: Scenario, state: PlayState) -> dict[str, int]:
    """Variable name -> value, as conditions and the UI read them."""
    return dict(zip(scenario.variable_index, state.values, strict=False))


def current_scene(scenario: Scenario, state: PlayState) -> Scene:
    return scenario.scenes[state.scene]


def is_over(scenario: Scenario, state: PlayState) -> bool:
    return scenario.scenes[state.scene].kind is SceneKind.ENDING


def offered_choices(scenario: Scenario, state: PlayState) -> tuple[Choice, ...]:
    """The choices whose `if` holds now, in scenario order (the TUI numbers them 1..n)."""
    scene = scenario.scenes[state.scene]
    if scene.kind is not SceneKind.DECISION:
        return ()
    values: dict[str, int] | None = None  # built only if a choice has a condition
    offered = []
    for c in scene.choices:
        if c.condition is not None:
            if values is None:
                values = dict(zip(scenario.variable_index, state.values, strict=False))
            if not c.condition.evaluator(values, state.visited, state.chosen):
                continue
        offered.append(c)
    return tuple(offered)


def _taken(
    branches: tuple[Branch, ...],
    values: Mapping[str, int],
    visited: frozenset[str],
    chosen: frozenset[tuple[str, str]],
) -> int:
    """The index of the first branch that holds (-1: none does)."""
    for i, branch in enumerate(branches):
        if branch.condition is None or branch.condition.evaluator(values, visited, chosen):
            return i
    return -1


def _no_branch(where: str) -> NoBranchTaken:
    return NoBranchTaken(
        _("no branch of {where} holds; the last branch needs no 'if'").format(where=where)
    )


def branch_taken(scenario: Scenario, state: PlayState, choice: Choice | None = None) -> int:
    """Which branch of a `next` list the move from `state` takes (-1: none holds): the
    choice's list after its effects and `set`, or with no choice the scene's own list. The
    same evaluation as `apply_choice` and `acknowledge`, asked without making the move."""
    if choice is None:
        branches = scenario.scenes[state.scene].next
        return _taken(branches, values_of(scenario, state), state.visited, state.chosen)
    values = _changed(scenario, state.values, choice.effects, choice.set)
    chosen = state.chosen | {(state.scene, choice.id)}
    names = dict(zip(scenario.variable_index, values, strict=False))
    return _taken(choice.next, names, state.visited, chosen)


def _enter(
    state: PlayState, scene_id: str, values: tuple[int, ...], chosen: frozenset[tuple[str, str]]
) -> State:
    visited = state.visited
    if scene_id not in visited:
        visited = visited | {scene_id}
    return _new_state(State, (scene_id, values, visited, chosen, state.fired))


# State(...) without the Python-level __new__ a NamedTuple's defaults add (the analysis makes
# one per move it explores).
_new_state = tuple.__new__


def _changed(
    scenario: Scenario,
    values: tuple[int, ...],
    effects: tuple[tuple[str, int], ...],
    assigned: tuple[tuple[str, int], ...],
) -> tuple[int, ...]:
    """Effects added (each clamped), then `set` assigned (clamped): a choice's or an inject's."""
    if not effects and not assigned:
        return values
    out = list(values)
    index, variables = scenario.variable_index, scenario.variables
    for name, delta in effects:
        i = index[name]
        out[i] = variables[i].clamp(out[i] + delta)
    for name, value in assigned:
        i = index[name]
        out[i] = variables[i].clamp(value)
    return tuple(out)


def acknowledge(scenario: Scenario, state: PlayState) -> State:
    """Continue from a narrative, inject or identify scene to the scene its `next` names."""
    return acknowledge_move(scenario, state)[0]


def acknowledge_move(scenario: Scenario, state: PlayState) -> tuple[State, int]:
    """`acknowledge`, and the index of the branch of the scene's `next` it took (analysis
    records which branches any reachable move takes)."""
    scene = scenario.scenes[state.scene]
    if scene.kind is SceneKind.ENDING:
        raise SessionOver(f"the session has ended at '{scene.id}'")
    if scene.kind is SceneKind.DECISION:
        raise NotADecision(f"'{scene.id}' is a decision: choose one of its options")
    branches = scene.next
    if len(branches) == 1 and branches[0].condition is None:
        i = 0  # the common case: nothing to evaluate
    else:
        values = dict(zip(scenario.variable_index, state.values, strict=False))
        i = _taken(branches, values, state.visited, state.chosen)
        if i < 0:
            raise _no_branch(_("the next list of scene '{id}'").format(id=scene.id))
    return _enter(state, branches[i].goto, state.values, state.chosen), i


def apply_choice(scenario: Scenario, state: PlayState, choice: Choice) -> State:
    """Effects (added, then clamped), then `set`, then the first `next` branch that holds."""
    return choice_move(scenario, state, choice)[0]


def choice_move(scenario: Scenario, state: PlayState, choice: Choice) -> tuple[State, int]:
    """`apply_choice`, and the index of the branch of the choice's `next` it took."""
    new_values = _changed(scenario, state.values, choice.effects, choice.set)
    chosen = state.chosen | {(state.scene, choice.id)}
    branches = choice.next
    if len(branches) == 1 and branches[0].condition is None:
        i = 0  # the common case: nothing to evaluate
    else:
        names = dict(zip(scenario.variable_index, new_values, strict=False))
        i = _taken(branches, names, state.visited, chosen)
        if i < 0:
            raise _no_branch(_("the next list of choice '{id}'").format(id=choice.id))
    return _enter(state, branches[i].goto, new_values, chosen), i


def choose(scenario: Scenario, state: PlayState, choice_id: str) -> State:
    """Make the choice `choice_id` at the current decision, checking that it is on offer."""
    scene = scenario.scenes[state.scene]
    if scene.kind is SceneKind.ENDING:
        raise SessionOver(f"the session has ended at '{scene.id}'")
    if scene.kind is not SceneKind.DECISION:
        raise NotADecision(f"'{scene.id}' is a {scene.kind} scene: it has no choices")
    choice = scene.choice(choice_id)
    if choice is None:
        ids = ", ".join(c.id for c in scene.choices)
        raise UnknownChoice(f"'{scene.id}' has no choice '{choice_id}' (choices: {ids})")
    if choice.condition is not None and not choice.condition.holds(
        values_of(scenario, state), state.visited, state.chosen
    ):
        raise ChoiceUnavailable(
            f"choice '{choice_id}' is not offered now: its condition "
            f"'{choice.condition.source}' does not hold"
        )
    return apply_choice(scenario, state, choice)


def can_fire(scenario: Scenario, state: PlayState, inject: Inject) -> bool:
    """Whether `inject` is on offer now: the session is not over, it is repeatable or not yet
    fired, and its condition holds."""
    if scenario.scenes[state.scene].kind is SceneKind.ENDING:
        return False
    if not inject.repeatable and inject.id in state.fired:
        return False
    return inject.condition is None or inject.condition.holds(
        values_of(scenario, state), state.visited, state.chosen
    )


def available_injects(scenario: Scenario, state: PlayState) -> tuple[Inject, ...]:
    """The on-demand injects the facilitator may fire now, in scenario order."""
    return tuple(i for i in scenario.injects if can_fire(scenario, state, i))


def apply_inject(scenario: Scenario, state: PlayState, inject: Inject) -> State:
    """Effects, then `set`; the room stays at the scene the inject interrupted."""
    values = _changed(scenario, state.values, inject.effects, inject.set)
    return State(state.scene, values, state.visited, state.chosen, state.fired | {inject.id})


def fire(scenario: Scenario, state: PlayState, inject_id: str) -> State:
    """Fire the on-demand inject `inject_id`, checking that it is on offer."""
    inject = scenario.inject(inject_id)
    if inject is None:
        ids = ", ".join(i.id for i in scenario.injects) or "none"
        raise InjectUnavailable(f"the scenario has no inject '{inject_id}' (injects: {ids})")
    if scenario.scenes[state.scene].kind is SceneKind.ENDING:
        raise SessionOver(f"the session has ended at '{state.scene}'")
    if not inject.repeatable and inject.id in state.fired:
        raise InjectUnavailable(f"inject '{inject_id}' has been fired already (it fires once)")
    if not can_fire(scenario, state, inject):
        source = inject.condition.source if inject.condition is not None else ""
        raise InjectUnavailable(
            f"inject '{inject_id}' is not offered now: its condition '{source}' does not hold"
        )
    return apply_inject(scenario, state, inject)
