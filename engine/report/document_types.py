"""The scoring report's shape (`build_report`; `report --format json`, `nexus-ttx-report/1`).

Its keys are a stable, documented interface (README "Reports"; tests read them): these
TypedDicts name every part, so the builders and the four renderings are checked against one
definition. At run time they are plain dicts, serialised in the order the builders write them.
"""

from __future__ import annotations

from typing import Literal, NotRequired, TypedDict

from engine.core.jsontypes import JSONObject
from engine.core.model import Outcome, SceneKind
from engine.play.events import How, Mode, SessionStatus
from engine.play.room import CorrectedKind, CorrectionAction
from engine.play.scoring import DrillScoreJSON, IdentificationJSON, ScoreJSON


class Named(TypedDict):
    id: str
    name: str


class ScenarioPart(TypedDict):
    id: str
    title: str
    summary: str
    region: str
    countries: list[str]
    environment: Named
    manifestations: list[Named]
    watch_points: list[Named]
    good_practices: list[Named]
    version: str | None
    content_hash: str
    path: str | None


class SessionPart(TypedDict):
    id: str
    mode: Mode
    teams: list[str]
    status: SessionStatus
    started: str
    updated: str
    options: JSONObject  # the session's recorded options, as stored (JSON)


class KeyActionInfo(TypedDict):
    id: str
    text: str
    practice: str
    practice_title: str
    area: str | None
    area_name: str | None
    key_actors: list[str]
    standards: list[str]


class PracticeConcerned(TypedDict):
    id: str
    title: str
    key_actors: list[str]
    standards: list[str]
    decisions: list[int]


class HarmfulChoice(TypedDict):
    scene: str
    choice: str
    text: str


class TallyRow(TypedDict):
    id: str
    name: str
    points: int
    possible: int
    alignment: float | None


TallyKey = Literal["by_area", "by_practice"]  # a team summary's two tables of TallyRow


class TeamSummary(TypedDict):
    team: str
    points: int
    possible: int
    alignment: float | None
    harmful: int
    harmful_choices: list[HarmfulChoice]
    strengths: list[str]
    improvements: list[str]
    by_area: list[TallyRow]
    by_practice: list[TallyRow]
    score: ScoreJSON
    identification: IdentificationJSON | None


class TeamDecision(TypedDict):
    team: str
    choice: str | None
    number: int | None
    text: str | None
    harmful: bool
    points: int
    possible: int
    taken: list[str]
    missed: list[str]
    also: list[str]
    feedback: str | None
    effects: list[str]


class FollowedScore(TypedDict):
    points: int
    possible: int
    harmful: bool
    taken: list[str]
    missed: list[str]


class Followed(TypedDict):
    """The room's choice; scored (the FollowedScore keys) when the room's path was scored."""

    choice: str
    how: How
    text: str
    effects: list[str]
    feedback: str | None
    points: NotRequired[int]
    possible: NotRequired[int]
    harmful: NotRequired[bool]
    taken: NotRequired[list[str]]
    missed: NotRequired[list[str]]


class OptionRow(TypedDict):
    number: int
    choice: str
    text: str


class DecisionExtras(TypedDict):
    reason: str | None
    heads: dict[str, int]


class DecisionRow(TypedDict):
    number: int
    scene: str
    title: str
    text: str
    recommended: list[str]
    options: list[OptionRow]
    followed: Followed
    teams: list[TeamDecision]
    notes: list[str]
    reason: str | None
    heads: dict[str, int]


class PathStep(TypedDict):
    scene: str
    title: str
    kind: SceneKind


class EndingPart(TypedDict):
    scene: str
    title: str
    outcome: Outcome | None
    text: str


class NoteRow(TypedDict):
    seq: int
    scene: str | None
    scene_title: str | None
    text: str
    team: str | None
    at: str


class ScoreSummary(TypedDict):
    points: int
    possible: int
    alignment: float | None
    harmful: int


class RoomMove(TypedDict):
    scene: str
    choice: str
    how: How
    points: int


class RoomPart(ScoreSummary):
    choices: list[RoomMove]


class Vote(TypedDict):
    scene: str
    choice: str | None


class ParticipantPart(TypedDict):
    id: str
    name: str
    team: str
    points: int
    possible: int
    alignment: float | None
    harmful: int
    votes: list[Vote]


class CorrectionPart(TypedDict):
    seq: int
    target: int
    kind: CorrectedKind
    action: CorrectionAction
    decision: int
    scene: str
    scene_title: str
    who: str | None
    before: str | None
    after: str | None
    text: str
    at: str


class LiveParts(TypedDict):
    room: RoomPart | None
    participants: list[ParticipantPart]
    corrections: list[CorrectionPart]


class DrillOption(TypedDict):
    id: str
    text: str
    tags: list[str]
    correct: bool


class DrillTeam(DrillScoreJSON):
    team: str


class DrillRow(TypedDict):
    number: int
    scene: str
    title: str
    text: str
    watch_points: list[str]
    manifestations: list[str]
    options: list[DrillOption]
    teams: list[DrillTeam]


class FiredRow(TypedDict):
    seq: int
    inject: str
    title: str
    text: str
    scene: str
    scene_title: str
    at: str


class LayerParts(TypedDict):
    drills: list[DrillRow]
    injects_fired: list[FiredRow]


class Report(TypedDict):
    """The whole document (`nexus-ttx-report/1`)."""

    format: str
    session: SessionPart
    scenario: ScenarioPart
    chance_alignment: float | None
    teams: list[TeamSummary]
    decisions: list[DecisionRow]
    path: list[PathStep]
    ending: EndingPart | None
    notes: list[NoteRow]
    key_actions: dict[str, KeyActionInfo]
    practices: list[PracticeConcerned]
    room: RoomPart | None
    participants: list[ParticipantPart]
    corrections: list[CorrectionPart]
    drills: list[DrillRow]
    injects_fired: list[FiredRow]
