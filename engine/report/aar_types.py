"""The after-action report's shape (`build_aar`; `nexus-ttx-aar/1`), read by its HTML and
Markdown renderings. Plain dicts at run time, in the order `build_aar` writes them."""

from __future__ import annotations

from typing import Literal, TypedDict

from engine.core.model import Outcome
from engine.play.evaluation import Rating
from engine.play.events import How
from engine.play.scoring import IdentificationJSON

RatedBy = Literal["evaluators", "alignment"]
Delivery = Literal["solo", "facilitated", "hybrid"]
CoverStatus = Literal["in progress", "completed", "abandoned"]


class Cover(TypedDict):
    title: str
    scenario: str
    region: str
    start: str
    end: str
    duration_minutes: int
    location: str | None
    format: str  # a Delivery, or what the facilitator typed (`report --delivery`)
    sponsor: str | None
    handling: str | None
    teams: list[str]
    participants: int
    session: str
    status: CoverStatus


class ScenarioBrief(TypedDict):
    title: str
    summary: str


class ObservationRow(TypedDict):
    seq: int
    text: str
    rating: Rating | None
    rating_text: str | None
    team: str | None
    scene: str | None
    objective: str | None
    practice: str | None
    indicator: str | None
    by: str | None
    time: str | None


class ObjectiveRow(TypedDict):
    id: str
    text: str
    practices: list[str]
    rating: Rating | None
    rating_text: str
    rated_by: RatedBy | None
    points: int
    possible: int
    alignment: float | None
    decisions: list[int]
    observations: list[ObservationRow]
    feedback_mean: float | None


class Finding(TypedDict):
    """A strength or an area for improvement: one practice on the room's path."""

    practice: str
    practice_id: str
    points: int
    possible: int
    alignment: float | None
    taken: list[str]
    missed: list[str]
    decisions: list[int]
    harmful_at: list[int]
    observations: list[ObservationRow]


class AreaRow(TypedDict):
    area: str
    points: int
    possible: int
    alignment: float | None


class Result(TypedDict):
    name: str
    points: int
    possible: int
    alignment: float | None
    harmful: int
    by_area: list[AreaRow]


class NamedIdentification(IdentificationJSON):
    name: str


class Results(TypedDict):
    room: Result
    teams: list[Result]
    participants: list[Result]
    chance: float | None
    identification: list[NamedIdentification]


class TimelineVote(TypedDict):
    team: str
    choice: str | None


class GroupedChoice(TypedDict):
    text: str | None
    teams: list[str]
    followed: bool


class TimelineNote(TypedDict):
    label: str
    text: str


class TimelineRow(TypedDict):
    number: int
    decision: str | None
    time: str
    chosen: str | None
    how: How
    votes: list[TimelineVote]
    choices: list[GroupedChoice]
    notes: list[TimelineNote]


class ObjectiveFeedback(TypedDict):
    objective: str
    responses: int
    mean: float | None
    distribution: list[int]


class Said(TypedDict):
    team: str | None
    text: str


class FeedbackPart(TypedDict):
    responses: int
    objectives: list[ObjectiveFeedback]
    worked: list[Said]
    change: list[Said]


class PlanRow(TypedDict):
    item: str
    issue: str
    action: str
    practice: str | None
    objective: str | None
    organisation: str
    contact: str
    start: str | None
    completion: str | None


class Summary(TypedDict):
    ending: str | None
    outcome: Outcome | None
    room_alignment: float | None
    ratings: dict[str, int]
    strengths: list[str]
    improvements: list[str]
    observations: int
    feedback: int
    plan_items: int


class PracticeInfo(TypedDict):
    id: str
    title: str
    full_title: str
    area: str | None
    key_actors: list[str]
    standards: list[str]


class AAR(TypedDict):
    """The whole document (`nexus-ttx-aar/1`)."""

    format: str
    cover: Cover
    scenario: ScenarioBrief
    objectives: list[ObjectiveRow]
    strengths: list[Finding]
    improvements: list[Finding]
    results: Results
    timeline: list[TimelineRow]
    observations: list[ObservationRow]
    feedback: FeedbackPart
    plan: list[PlanRow]
    summary: Summary
    practices: list[PracticeInfo]
