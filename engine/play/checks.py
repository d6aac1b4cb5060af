"""Checks shared by the fold's handlers (room moves and live-room events)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TypeVar

from engine.core.model import Scenario, Scene, SceneKind
from engine.play import machine
from engine.play.events import Event
from engine.play.machine import PlayError, SessionOver, State


class InvalidEvent(PlayError):
    """An event that does not fit the session (bad data, unknown team, out of order)."""


T = TypeVar("T")


def require(data: Mapping[str, object], key: str, kind: type[T], event: Event) -> T:
    """`data[key]` when it is a `kind` (a bool is no int), else InvalidEvent naming the event."""
    value = data.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise InvalidEvent(
            f"event {event.seq} ({event.kind}) needs '{key}' as {kind.__name__}, got {value!r}"
        )
    return value


def require_text(data: Mapping[str, object], key: str, event: Event) -> str:
    """`data[key]` when it is a string, else InvalidEvent naming the event."""
    return require(data, key, str, event)


def current_decision(scenario: Scenario, state: State, event: Event) -> Scene:
    scene_id = require_text(event.data, "scene", event)
    if scene_id != state.scene:
        raise InvalidEvent(
            f"event {event.seq} ({event.kind}) is for scene '{scene_id}' but the "
            f"room is at '{state.scene}'"
        )
    scene = scenario.scenes[scene_id]
    if scene.kind is SceneKind.ENDING:
        raise SessionOver(f"the session has ended at '{scene_id}'")
    if scene.kind is not SceneKind.DECISION:
        raise machine.NotADecision(f"'{scene_id}' is a {scene.kind} scene: it has no choices")
    return scene
