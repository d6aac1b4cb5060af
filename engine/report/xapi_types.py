"""The parts of an xAPI 1.0.3 statement that `engine.report.xapi` writes (names as the xAPI
specification spells them). Plain dicts at run time; extension values are free JSON."""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

from engine.core.jsontypes import JSON

LanguageMap = dict[str, str]  # language tag -> text


class Account(TypedDict):
    homePage: str
    name: str


class Actor(TypedDict):
    objectType: Literal["Group", "Agent"]
    account: Account


class Verb(TypedDict):
    id: str
    display: LanguageMap


class InteractionChoice(TypedDict):
    id: str
    description: LanguageMap


class ActivityDefinition(TypedDict):
    type: str
    name: LanguageMap
    description: NotRequired[LanguageMap]
    interactionType: NotRequired[Literal["choice"]]
    choices: NotRequired[list[InteractionChoice]]
    correctResponsesPattern: NotRequired[list[str]]


class Activity(TypedDict):
    objectType: Literal["Activity"]
    id: str
    definition: ActivityDefinition


class ScoreX(TypedDict):
    scaled: float
    raw: int
    min: int
    max: int


class Result(TypedDict):
    response: NotRequired[str]
    completion: NotRequired[bool]
    success: NotRequired[bool]
    score: NotRequired[ScoreX]
    extensions: NotRequired[dict[str, JSON]]


class ContextActivities(TypedDict):
    parent: list[Activity]


class Context(TypedDict):
    registration: str
    platform: str
    language: str
    contextActivities: ContextActivities
    team: NotRequired[Actor]


class Statement(TypedDict):
    id: str
    actor: Actor
    verb: Verb
    object: Activity
    result: Result
    context: Context
    timestamp: str
