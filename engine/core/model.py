"""The scenario model: immutable records built from a document that already passed validation.

The model is what play, scoring and analysis read; it never changes after loading, so it can be
shared freely between the engine, the TUI and analysis workers. The records are NamedTuples
rather than frozen dataclasses: just as immutable and typed, and every command imports this
module, where ten frozen dataclasses took longer to make than validating a whole scenario
(a NamedTuple class is several times cheaper). A changed copy is `record._replace(...)`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple

from engine.core.expr import Expr, parse


class SceneKind(StrEnum):
    """What a scene does: tell (narrative, inject), ask (decision), drill the room on what it
    sees (identify) or end the exercise."""

    NARRATIVE = "narrative"
    INJECT = "inject"
    DECISION = "decision"
    IDENTIFY = "identify"
    ENDING = "ending"


#: The names of the timing profiles, shortest first.
TIMING_PROFILES = ("short", "standard", "long")


class Outcome(StrEnum):
    """How an ending went, as the scenario's author judges it."""

    SUCCESS = "success"
    PARTIAL = "partial"
    FAILURE = "failure"


class DecisionOrder(StrEnum):
    """How sessions show a decision's choices: shuffled per session, or always in file order."""

    SHUFFLED = "shuffled"
    FIXED = "fixed"


class Variable(NamedTuple):
    """A bounded integer the scenario tracks (e.g. community trust)."""

    id: str
    label: str
    initial: int
    min: int
    max: int

    def clamp(self, value: int) -> int:
        return self.min if value < self.min else self.max if value > self.max else value


class Branch(NamedTuple):
    """One entry of a `next` list: go to `goto` when `condition` holds (None: always)."""

    goto: str
    condition: Expr | None = None


class Choice(NamedTuple):
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


class Option(NamedTuple):
    """A statement of an identify drill. `tags` are facilitator-only (they hold the answer)."""

    id: str
    text: str
    tags: tuple[str, ...] = ()


class Scene(NamedTuple):
    """A node of the scenario graph: narrative, inject, decision, identify drill or ending."""

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
    options: tuple[Option, ...] = ()  # identify drills
    manifestations: tuple[str, ...] = ()  # identify drills: also part of the answer
    private: tuple[tuple[str, str], ...] = ()  # (role id, text): the facilitator-only layer

    @property
    def is_scored(self) -> bool:
        return self.kind is SceneKind.DECISION and bool(self.recommended)

    @property
    def is_drill(self) -> bool:
        return self.kind is SceneKind.IDENTIFY

    def is_correct(self, option: Option) -> bool:
        """The identify rule: an option is correct iff one of its tags is in the answer, i.e.
        is one of the scene's watch points or manifestations, or is an indicator (`f.n`) of a
        factor `f` the scene names (a factor covers all its indicators)."""
        return any(_answers(tag, self.watch_points, self.manifestations) for tag in option.tags)

    @property
    def correct_options(self) -> frozenset[str]:
        """Ids of the drill's correct options (empty for other scenes)."""
        return frozenset(o.id for o in self.options if self.is_correct(o))

    def option(self, option_id: str) -> Option | None:
        for o in self.options:
            if o.id == option_id:
                return o
        return None

    def private_for(self, role: str) -> str | None:
        """What only `role` learns here (None: nothing)."""
        return dict(self.private).get(role)

    def choice(self, choice_id: str) -> Choice | None:
        for c in self.choices:
            if c.id == choice_id:
                return c
        return None


def _answers(tag: str, watch_points: tuple[str, ...], manifestations: tuple[str, ...]) -> bool:
    if tag in watch_points or tag in manifestations:
        return True
    factor, dot, _ = tag.partition(".")
    return bool(dot) and factor in watch_points


class Role(NamedTuple):
    """A role card: one agency's seat at the table and what it knows at the start."""

    id: str
    title: str
    brief: str
    agency: str = ""


class TimingProfile(NamedTuple):
    """A timing profile: minutes for the whole exercise and per decision."""

    name: str
    total: int
    decision: int


class Inject(NamedTuple):
    """An on-demand inject: fired by the facilitator at any time, never scored. Firing applies
    `effects` (added, then clamped), then `set`; play returns to the interrupted scene."""

    id: str
    title: str
    text: str
    repeatable: bool = False
    condition: Expr | None = None
    effects: tuple[tuple[str, int], ...] = ()
    set: tuple[tuple[str, int], ...] = ()
    watch_points: tuple[str, ...] = ()
    discussion: tuple[str, ...] = ()
    private: tuple[tuple[str, str], ...] = ()

    def private_for(self, role: str) -> str | None:
        return dict(self.private).get(role)


class Objective(NamedTuple):
    """What the exercise evaluates, shown by the key actions of `practices`."""

    id: str
    text: str
    practices: tuple[str, ...]


class Scenario(NamedTuple):
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
    roles: tuple[Role, ...] = ()
    injects: tuple[Inject, ...] = ()
    timing: tuple[TimingProfile, ...] = ()  # shortest first
    variable_index: Mapping[str, int] = MappingProxyType({})  # variable id -> position

    def scene(self, scene_id: str) -> Scene:
        return self.scenes[scene_id]

    def variable(self, name: str) -> Variable:
        return self.variables[self.variable_index[name]]

    def objective(self, objective_id: str) -> Objective | None:
        for o in self.objectives:
            if o.id == objective_id:
                return o
        return None

    def role(self, role_id: str) -> Role | None:
        for r in self.roles:
            if r.id == role_id:
                return r
        return None

    def inject(self, inject_id: str) -> Inject | None:
        for i in self.injects:
            if i.id == inject_id:
                return i
        return None

    def timing_profile(self, name: str) -> TimingProfile | None:
        for t in self.timing:
            if t.name == name:
                return t
        return None

    @property
    def drills(self) -> tuple[Scene, ...]:
        return tuple(s for s in self.scenes.values() if s.kind is SceneKind.IDENTIFY)

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
        options=tuple(
            Option(o["id"], o["text"], tuple(o.get("tags") or ()))
            for o in data.get("options") or ()
        ),
        manifestations=tuple(data.get("manifestations") or ()),
        private=_private(data.get("private")),
    )


def _private(value: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    return tuple((str(k), str(v)) for k, v in (value or {}).items())


def _inject(data: Mapping[str, Any]) -> Inject:
    return Inject(
        id=data["id"],
        title=data["title"],
        text=data["text"],
        repeatable=bool(data.get("repeatable", False)),
        condition=_condition(data.get("if")),
        effects=_pairs(data.get("effects")),
        set=_pairs(data.get("set")),
        watch_points=tuple(data.get("watch_points") or ()),
        discussion=tuple(data.get("discussion") or ()),
        private=_private(data.get("private")),
    )


def _timing(value: Mapping[str, Mapping[str, int]] | None) -> tuple[TimingProfile, ...]:
    value = value or {}
    return tuple(
        TimingProfile(name, int(value[name]["total"]), int(value[name]["decision"]))
        for name in TIMING_PROFILES
        if name in value
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
        roles=tuple(
            Role(r["id"], r["title"], r["brief"], r.get("agency", ""))
            for r in data.get("roles") or ()
        ),
        injects=tuple(_inject(i) for i in data.get("injects") or ()),
        timing=_timing(data.get("timing")),
    )
