"""The handout's shape (`build_handout`): the situation manual and the facilitator guide,
read by their Markdown and HTML renderings. Plain dicts at run time."""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

Audience = Literal["participant", "facilitator"]


class PracticeRef(TypedDict):
    id: str
    title: str


class Scope(TypedDict):
    type: str
    region: str
    environment: str
    duration: int
    audience: list[str]
    practices: list[PracticeRef]
    summary: str


class ObjectiveItem(TypedDict):
    id: str
    text: str
    practices: list[str]


class AgendaRow(TypedDict):
    item: str
    minutes: int


class Schedule(TypedDict):
    profile: str
    total: int
    decision_minutes: int
    planned: int
    over: int
    rows: list[AgendaRow]


class RoleItem(TypedDict):
    id: str
    title: str
    agency: str
    brief: str


class PrivateText(TypedDict):
    scene: str
    text: str


class RoleCard(TypedDict):
    id: str
    title: str
    agency: str
    brief: str
    private: list[PrivateText]


class TitledText(TypedDict):
    title: str
    text: str


class Term(TypedDict):
    term: str
    text: str


class WatchPointItem(TypedDict):
    id: str
    name: str
    text: str


class KeyActionItem(TypedDict):
    id: str
    practice: str
    text: str


class ChoiceItem(TypedDict):
    text: str
    marks: list[str]


class RoleText(TypedDict):
    role: str
    text: str


class Module(TypedDict):
    number: int
    id: str
    title: str
    kind: str
    minutes: int
    text: str
    discussion: list[str]
    watch_points: list[WatchPointItem]
    recommended: list[KeyActionItem]
    choices: list[ChoiceItem]
    private: list[RoleText]


class InjectItem(TypedDict):
    id: str
    title: str
    text: str
    when: str
    repeatable: bool
    effects: list[str]
    discussion: list[str]
    private: list[RoleText]


class Handout(TypedDict):
    """The whole document; `modules` and `injects` only in the facilitator guide."""

    audience: Audience
    title: str
    kind: str
    scenario: str
    scope: Scope
    objectives: list[ObjectiveItem]
    ground_rules: list[str]
    artificialities: list[str]
    schedule: Schedule
    roles: list[RoleItem]
    role_card: RoleCard | None
    briefing: list[TitledText]
    glossary: list[Term]
    modules: NotRequired[list[Module]]
    injects: NotRequired[list[InjectItem]]
