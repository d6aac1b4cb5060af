"""The cohort report's JSON shape (`cohort --format json`; `Cohort.to_json`,
`Comparison.to_json`). Plain dicts at run time."""

from __future__ import annotations

from typing import TypedDict


class ShareJSON(TypedDict):
    key: str
    text: str
    where: str
    count: int
    out_of: int
    share: float | None


class GroupJSON(TypedDict):
    id: str
    name: str
    points: int
    possible: int
    alignment: float | None


class ScenarioCount(TypedDict):
    id: str
    title: str
    sessions: int
    chance: float | None


class TeamRowJSON(TypedDict):
    session: str
    label: str
    scenario: str
    team: str
    alignment: float | None
    harmful: int


class TeamDistribution(TypedDict):
    buckets: list[int]
    rows: list[TeamRowJSON]


class ParticipantDistribution(TypedDict):
    buckets: list[int]


class Skipped(TypedDict):
    session: str
    reason: str


class CohortJSON(TypedDict):
    title: str
    sessions: int
    teams: int
    participants: int
    points: int
    possible: int
    alignment: float | None
    chance: float | None
    scenarios: list[ScenarioCount]
    by_area: list[GroupJSON]
    by_practice: list[GroupJSON]
    missed: list[ShareJSON]
    harmful: list[ShareJSON]
    team_distribution: TeamDistribution
    participant_distribution: ParticipantDistribution
    skipped: list[Skipped]


class Delta(TypedDict):
    id: str
    name: str
    delta: float | None


class ComparisonJSON(TypedDict):
    a: CohortJSON
    b: CohortJSON
    by_area: list[Delta]
    by_practice: list[Delta]
