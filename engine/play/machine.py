"""The state machine: one pure transition function shared by play, scoring and analysis.

A `State` is where the room is (scene), the variables' values, and the facts conditions can
read (`visited`, `chose`). Every function here is pure: same scenario and state in, same
result out; nothing is stored. Sessions fold their events through these functions.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple, Protocol

from engine.core.model import Branch, Choice, Scenario, Scene, SceneKind


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
    return {v.id: x for v, x in zip(scenario.variables, state.values, strict=False)}


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
                values = values_of(scenario, state)
            if not c.condition.holds(values, state.visited, state.chosen):
                continue
        offered.append(c)
    return tuple(offered)


def _resolve(
    branches: tuple[Branch, ...], values: Mapping[str, int], state: PlayState, where: str
) -> str:
    for branch in branches:
        if branch.condition is None or branch.condition.holds(values, state.visited, state.chosen):
            return branch.goto
    raise NoBranchTaken(f"no branch of {where}'s next holds; the last branch needs no 'if'")


def _enter(
    state: PlayState, scene_id: str, values: tuple[int, ...], chosen: frozenset[tuple[str, str]]
) -> State:
    visited = state.visited if scene_id in state.visited else state.visited | {scene_id}
    return State(scene_id, values, visited, chosen)


def acknowledge(scenario: Scenario, state: PlayState) -> State:
    """Continue from a narrative or inject scene to the scene its `next` names."""
    scene = scenario.scenes[state.scene]
    if scene.kind is SceneKind.ENDING:
        raise SessionOver(f"the session has ended at '{scene.id}'")
    if scene.kind is SceneKind.DECISION:
        raise NotADecision(f"'{scene.id}' is a decision: choose one of its options")
    branches = scene.next
    if len(branches) == 1 and branches[0].condition is None:
        target = branches[0].goto  # the common case: nothing to evaluate
    else:
        target = _resolve(branches, values_of(scenario, state), state, f"scene '{scene.id}'")
    return _enter(state, target, state.values, state.chosen)


def apply_choice(scenario: Scenario, state: PlayState, choice: Choice) -> State:
    """Effects (added, then clamped), then `set`, then the first `next` branch that holds."""
    values = list(state.values)
    index = scenario.variable_index
    for name, delta in choice.effects:
        i = index[name]
        values[i] = scenario.variables[i].clamp(values[i] + delta)
    for name, value in choice.set:
        i = index[name]
        values[i] = scenario.variables[i].clamp(value)
    new_values = tuple(values)
    chosen = state.chosen | {(state.scene, choice.id)}
    branches = choice.next
    if len(branches) == 1 and branches[0].condition is None:
        target = branches[0].goto  # the common case: nothing to evaluate
    else:
        after = State(state.scene, new_values, state.visited, chosen)
        names = {v.id: x for v, x in zip(scenario.variables, new_values, strict=False)}
        target = _resolve(branches, names, after, f"choice '{choice.id}'")
    return _enter(state, target, new_values, chosen)


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
