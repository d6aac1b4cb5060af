"""The scenario model: frozen dataclasses built from a document that already passed validation.

The model is what play, scoring and analysis read; it never changes after loading, so it can be
shared freely between the engine, the TUI and analysis workers.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from engine.core.expr import Expr, parse


class SceneKind(StrEnum):
    """What a scene does: tell (narrative, inject), ask (decision) or end the exercise."""

    NARRATIVE = "narrative"
    INJECT = "inject"
    DECISION = "decision"
    ENDING = "ending"


class Outcome(StrEnum):
    """How an ending went, as the scenario's author judges it."""

    SUCCESS = "success"
    PARTIAL = "partial"
    FAILURE = "failure"


class DecisionOrder(StrEnum):
    """How sessions show a decision's choices: shuffled per session, or always in file order."""

    SHUFFLED = "shuffled"
    FIXED = "fixed"


@dataclass(frozen=True)
class Variable:
    """A bounded integer the scenario tracks (e.g. community trust)."""

    id: str
    label: str
    initial: int
    min: int
    max: int

    def clamp(self, value: int) -> int:
        return self.min if value < self.min else self.max if value > self.max else value


@dataclass(frozen=True)
class Branch:
    """One entry of a `next` list: go to `goto` when `condition` holds (None: always)."""

    goto: str
    condition: Expr | None = None


@dataclass(frozen=True)
class Choice:
    """An option at a decision. `enacts`, `feedback` and `harmful` are facilitator-only."""

    id: str
    text: str
    next: tuple[Branch, ...]
    enacts: tuple[str, ...] = ()
    feedback: str | None = None
    harmful: bool = False
    effects: tuple[tuple[str, int], ...] = ()
    set: tuple[tuple[str, int], ...] = ()
    condition: Expr | None = None


@dataclass(frozen=True)
class Scene:
    """A node of the scenario graph: narrative, inject, decision or ending."""

    id: str
    kind: SceneKind
    title: str
    text: str
    next: tuple[Branch, ...] = ()
    choices: tuple[Choice, ...] = ()
    recommended: tuple[str, ...] = ()
    watch_points: tuple[str, ...] = ()
    discussion: tuple[str, ...] = ()
    outcome: Outcome | None = None
    order: DecisionOrder = DecisionOrder.SHUFFLED  # "fixed" keeps file order in every session

    @property
    def is_scored(self) -> bool:
        return self.kind is SceneKind.DECISION and bool(self.recommended)

    def choice(self, choice_id: str) -> Choice | None:
        for c in self.choices:
            if c.id == choice_id:
                return c
        return None


@dataclass(frozen=True)
class Objective:
    """What the exercise evaluates, shown by the key actions of `practices`."""

    id: str
    text: str
    practices: tuple[str, ...]


@dataclass(frozen=True)
class Scenario:
    """A whole exercise. `content_hash` identifies its content for session safety."""

    id: str
    title: str
    summary: str
    region: str
    environment: str
    manifestations: tuple[str, ...]
    watch_points: tuple[str, ...]
    good_practices: tuple[str, ...]
    start: str
    scenes: Mapping[str, Scene]
    variables: tuple[Variable, ...] = ()
    language: str = "en"
    version: str | None = None
    authors: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    duration_minutes: int | None = None
    objectives: tuple[Objective, ...] = ()
    content_hash: str = ""
    format: str = "nexus-ttx/1"
    variable_index: Mapping[str, int] = field(default_factory=dict, compare=False, repr=False)

    def scene(self, scene_id: str) -> Scene:
        return self.scenes[scene_id]

    def variable(self, name: str) -> Variable:
        return self.variables[self.variable_index[name]]

    def objective(self, objective_id: str) -> Objective | None:
        for o in self.objectives:
            if o.id == objective_id:
                return o
        return None

    @property
    def decisions(self) -> tuple[Scene, ...]:
        return tuple(s for s in self.scenes.values() if s.kind is SceneKind.DECISION)

    @property
    def endings(self) -> tuple[Scene, ...]:
        return tuple(s for s in self.scenes.values() if s.kind is SceneKind.ENDING)


def content_hash(data: Mapping[str, Any]) -> str:
    """SHA-256 of the document's canonical JSON: comments and layout do not change it."""
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _condition(source: Any) -> Expr | None:
    return parse(str(source)) if source is not None else None


def _branches(next_value: Any) -> tuple[Branch, ...]:
    if next_value is None:
        return ()
    if isinstance(next_value, str):
        return (Branch(next_value),)
    return tuple(Branch(b["goto"], _condition(b.get("if"))) for b in next_value)


def _pairs(mapping: Mapping[str, int] | None) -> tuple[tuple[str, int], ...]:
    return tuple((k, int(v)) for k, v in (mapping or {}).items())


def _choice(data: Mapping[str, Any]) -> Choice:
    return Choice(
        id=data["id"],
        text=data["text"],
        next=_branches(data.get("next")),
        enacts=tuple(data.get("enacts") or ()),
        feedback=data.get("feedback"),
        harmful=bool(data.get("harmful", False)),
        effects=_pairs(data.get("effects")),
        set=_pairs(data.get("set")),
        condition=_condition(data.get("if")),
    )


def _scene(scene_id: str, data: Mapping[str, Any]) -> Scene:
    return Scene(
        id=scene_id,
        kind=SceneKind(data["kind"]),
        title=data.get("title", scene_id),
        text=data.get("text", ""),
        next=_branches(data.get("next")),
        choices=tuple(_choice(c) for c in data.get("choices") or ()),
        recommended=tuple(data.get("recommended") or ()),
        watch_points=tuple(data.get("watch_points") or ()),
        discussion=tuple(data.get("discussion") or ()),
        outcome=None if data.get("outcome") is None else Outcome(data["outcome"]),
        order=DecisionOrder(data.get("order", "shuffled")),
    )


def scenario_from_dict(data: Mapping[str, Any]) -> Scenario:
    """Build the model from a validated document (schema and semantic checks already passed)."""
    variables = tuple(
        Variable(name, v.get("label", name), int(v["initial"]), int(v["min"]), int(v["max"]))
        for name, v in (data.get("variables") or {}).items()
    )
    scenes = {sid: _scene(sid, s) for sid, s in data["scenes"].items()}
    version = data.get("version")
    return Scenario(
        id=data["id"],
        title=data["title"],
        summary=data.get("summary", ""),
        region=data["region"],
        environment=data["environment"],
        manifestations=tuple(data.get("manifestations") or ()),
        watch_points=tuple(data.get("watch_points") or ()),
        good_practices=tuple(data.get("good_practices") or ()),
        start=data["start"],
        scenes=MappingProxyType(scenes),
        variables=variables,
        language=data.get("language", "en"),
        version=None if version is None else str(version),
        authors=tuple(data.get("authors") or ()),
        countries=tuple(data.get("countries") or ()),
        audience=tuple(data.get("audience") or ()),
        duration_minutes=data.get("duration_minutes"),
        objectives=tuple(
            Objective(o["id"], o["text"], tuple(o.get("practices") or ()))
            for o in data.get("objectives") or ()
        ),
        content_hash=content_hash(data),
        format=data.get("format", "nexus-ttx/1"),
        variable_index=MappingProxyType({v.id: i for i, v in enumerate(variables)}),
    )
