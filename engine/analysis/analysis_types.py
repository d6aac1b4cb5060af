"""The analysis pass's JSON shapes (`analyze --json`, `test --json`; stable keys, README).
Plain dicts at run time, in the order the `to_json` methods write them."""

from __future__ import annotations

from typing import Literal, TypedDict

from engine.core.diagnostics import Severity


class Move(TypedDict):
    scene: str
    choice: str


class BlindJSON(TypedDict):
    alignment: float | None
    outcome: str | None
    ending: str | None
    points: int
    possible: int
    choices: list[Move]


class GuessJSON(TypedDict):
    """Chance level and blind strategies (every value None when the scenario is not playable)."""

    chance_alignment: float | None
    outcomes_at_chance: dict[str, float] | None
    chance_scored_probability: float | None
    chance_note: str | None
    blind_strategies: dict[str, BlindJSON] | None


class FindingJSON(TypedDict):
    code: str
    severity: Severity
    message: str
    path: list[str | int]


class ExtremeJSON(TypedDict):
    alignment: float
    points: int
    possible: int
    choices: list[Move]


class CoverageJSON(TypedDict):
    declared: int
    recommended: int
    enactable: int
    practices: dict[str, dict[str, list[str]]]


class AnalysisJSON(GuessJSON):
    scenario: str
    scenes: int
    decisions: int
    endings: int
    endings_reachable: int
    endings_reached: list[str]
    unreachable: list[str] | None
    best_alignment: float | None
    worst_alignment: float | None
    best: ExtremeJSON | None
    worst: ExtremeJSON | None
    best_by_area: dict[str, float | None]
    never_enactable: list[str] | None
    coverage: CoverageJSON
    states_explored: int
    max_states: int
    complete: bool
    bounds_note: str | None
    findings: list[FindingJSON]


class QuickTestJSON(TypedDict):
    mode: Literal["quicktest"]
    scenario: str
    ok: bool
    states: int
    complete: bool
    scenes_visited: int
    scenes: int
    choices_made: int
    choices: int
    unvisited: list[str]
    failures: list[str]


class AlignmentStats(TypedDict):
    min: float | None
    mean: float | None
    max: float | None


class AlignmentSpread(AlignmentStats):
    histogram: dict[str, int]


class RandomTestJSON(TypedDict):
    mode: Literal["randomtest"]
    scenario: str
    ok: bool
    runs: int
    seed: int
    scenes: dict[str, int]
    choices: dict[str, dict[str, int]]
    key_actions: dict[str, dict[str, int]]
    endings: dict[str, int]
    outcomes: dict[str, int]
    alignment: AlignmentSpread
    failures: list[str]
