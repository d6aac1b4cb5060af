"""Scoring against the toolkit's recommended key actions (README "Scoring"; docs/authoring.md).

At a decision with recommended set R, a choice enacting E scores |E ∩ R| of |R|, unless the
choice is harmful: then it scores 0 (its taken list is still shown, flagged). Unscored decisions
(empty R) add nothing to `possible`. Alignment = 100 · Σpoints / Σpossible; with nothing possible
it is `None` (printed "n/a", JSON `null`), because 0 % or 100 % would both claim something the
participant never had the chance to show. Pure: no catalog loading, no I/O here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from functools import cache
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple, TypedDict

from engine.core.model import Choice, Scenario, Scene

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

# The toolkit fixes the four areas by practice number; the catalog says the same. This is the
# default mapping so scoring stays pure and usable before (or without) loading the catalog.
_AREA_RANGES: tuple[tuple[int, int, str], ...] = (
    (1, 2, "legal"),
    (3, 12, "research-information-sharing"),
    (13, 19, "local-engagement"),
    (20, 25, "capacity-building-law-enforcement"),
)

AreaOf = Callable[[str], "str | None"]


@cache
def practice_of(key_action: str) -> str:
    """`GP22.A5.S1` -> `GP22`: key-action ids start with their practice's id."""
    return key_action.split(".", 1)[0]


@cache
def default_area_of(practice: str) -> str | None:
    """The area of a practice id (`GP21` -> capacity building ...), or None if not a GP id."""
    try:
        number = int(practice[2:]) if practice.startswith("GP") else -1
    except ValueError:
        return None
    for low, high, area in _AREA_RANGES:
        if low <= number <= high:
            return area
    return None


def catalog_area_of() -> AreaOf:
    """The toolkit catalog's practice -> area mapping, or the fixed ranges without a catalog
    (scoring, the analysis and path tests all take their areas from here)."""
    try:
        from engine.toolkit.catalog import BASE_LANGUAGE, load_catalog

        areas = {p.id: p.area for p in load_catalog(lang=BASE_LANGUAGE).good_practices}
    except Exception:  # the catalog is optional for scoring: fall back to the fixed ranges
        return default_area_of
    if not areas:
        return default_area_of
    return lambda practice: areas.get(practice) or default_area_of(practice)


class TallyJSON(TypedDict):
    points: int
    possible: int


class DecisionScoreJSON(TypedDict):
    scene: str
    choice: str | None
    taken: list[str]
    missed: list[str]
    also: list[str]
    harmful: bool
    points: int
    possible: int


class ScoreJSON(TypedDict):
    """`Score.to_json`: the `run --json` object (stable keys, README)."""

    scenario: str
    ending: str | None
    outcome: str | None
    points: int
    possible: int
    alignment: float | None
    harmful: int
    by_area: dict[str, TallyJSON]
    by_practice: dict[str, TallyJSON]
    decisions: list[DecisionScoreJSON]


class DrillScoreJSON(TypedDict):
    scene: str
    selected: list[str]
    correct: list[str]
    hits: list[str]
    wrong: list[str]
    missed: list[str]
    precision: float | None
    recall: float | None


class IdentificationJSON(TypedDict):
    precision: float | None
    recall: float | None
    hits: int
    selected: int
    correct: int
    drills: list[DrillScoreJSON]


class Tally(NamedTuple):
    """Points of possible for one area or practice."""

    points: int
    possible: int

    def to_json(self) -> TallyJSON:
        return {"points": self.points, "possible": self.possible}


class DecisionScore(NamedTuple):
    """One decision faced: what was recommended, what the choice did, what it earned."""

    scene: str
    choice: str | None  # None: this team recorded no choice before the room moved on
    recommended: tuple[str, ...]
    enacted: tuple[str, ...]
    taken: tuple[str, ...]  # E ∩ R, in R's order (shown even when harmful, but flagged)
    missed: tuple[str, ...]  # R − E, in R's order
    also: tuple[str, ...]  # E − R, in E's order: "also enacted", no points
    harmful: bool
    points: int
    possible: int

    @property
    def scored(self) -> bool:
        return self.possible > 0

    @property
    def credited(self) -> tuple[str, ...]:
        """Key actions that count as strengths: the taken ones, unless the choice was harmful."""
        return () if self.harmful else self.taken


class Score(NamedTuple):
    """A participant's (or team's) score over the decisions they faced, and where it ended."""

    scenario: str
    points: int
    possible: int
    alignment: float | None
    harmful: int
    harmful_choices: tuple[tuple[str, str], ...]
    by_area: Mapping[str, Tally]
    by_practice: Mapping[str, Tally]
    decisions: tuple[DecisionScore, ...]
    ending: str | None = None
    outcome: str | None = None

    def to_json(self) -> ScoreJSON:
        """The `run --json` object (stable keys, README); callers may add more keys."""
        return {
            "scenario": self.scenario,
            "ending": self.ending,
            "outcome": self.outcome,
            "points": self.points,
            "possible": self.possible,
            "alignment": json_alignment(self.alignment),
            "harmful": self.harmful,
            "by_area": {k: v.to_json() for k, v in self.by_area.items()},
            "by_practice": {k: v.to_json() for k, v in self.by_practice.items()},
            "decisions": [
                {
                    "scene": d.scene,
                    "choice": d.choice,
                    "taken": list(d.taken),
                    "missed": list(d.missed),
                    "also": list(d.also),
                    "harmful": d.harmful,
                    "points": d.points,
                    "possible": d.possible,
                }
                for d in self.decisions
            ],
        }


def json_alignment(alignment: float | None) -> float | None:
    """Two decimals are what people read; the exact fraction is points/possible."""
    return None if alignment is None else round(alignment, 2)


def format_alignment(alignment: float | None) -> str:
    """An alignment for people: "34.31%" (or "34,31 %" in French); "n/a" when unscored."""
    from engine.core.formats import percent as show_percent
    from engine.core.i18n import _

    return _("n/a") if alignment is None else show_percent(alignment, 2)


def percent(points: int, possible: int) -> float | None:
    return None if possible == 0 else 100.0 * points / possible


_CACHE: dict[tuple[str, str, str | None], DecisionScore] = {}
_CACHE_LIMIT = 65_536


def score_decision(scenario: Scenario, scene_id: str, choice_id: str | None) -> DecisionScore:
    """Score one choice (or no choice) at one decision (memoised by content hash: the same
    content always scores the same)."""
    key = (scenario.content_hash, scene_id, choice_id)
    cached = _CACHE.get(key) if scenario.content_hash else None
    if cached is not None:
        return cached
    result = _score_decision(scenario, scene_id, choice_id)
    if scenario.content_hash:
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.clear()
        _CACHE[key] = result
    return result


def _score_decision(scenario: Scenario, scene_id: str, choice_id: str | None) -> DecisionScore:
    scene = scenario.scenes[scene_id]
    result = decision_score(scene, scene.choice(choice_id) if choice_id is not None else None)
    # an id the scene does not have scores as no choice, but keeps its id for the record
    return result if result.choice == choice_id else result._replace(choice=choice_id)


def decision_score(scene: Scene, choice: Choice | None) -> DecisionScore:
    """What `choice` (None: no choice) takes, misses and earns at decision `scene`: the one
    definition of taken and missed key actions (play feedback, debrief and reports use it)."""
    choice_id = choice.id if choice is not None else None
    scene_id = scene.id
    recommended = scene.recommended
    enacted = choice.enacts if choice is not None else ()
    harmful = bool(choice is not None and choice.harmful)
    e, r = set(enacted), set(recommended)
    taken = tuple(k for k in recommended if k in e)
    return DecisionScore(
        scene=scene_id,
        choice=choice_id,
        recommended=recommended,
        enacted=enacted,
        taken=taken,
        missed=tuple(k for k in recommended if k not in e),
        also=tuple(dict.fromkeys(k for k in enacted if k not in r)),
        harmful=harmful,
        points=0 if harmful else len(taken),
        possible=len(recommended),
    )


def _group_tallies(
    decisions: Iterable[DecisionScore],
    key: Callable[[str], str | None],
    order: Callable[[str], SupportsRichComparison],
) -> dict[str, Tally]:
    """Restrict R and E to each group's key actions; groups with nothing possible are omitted."""
    counts: dict[str, list[int]] = {}  # group -> [points, possible]
    for d in decisions:
        credited = d.credited
        for ka in d.recommended:
            group = key(ka)
            if group is None:
                continue
            count = counts.get(group)
            if count is None:
                count = counts[group] = [0, 0]
            count[1] += 1
            if ka in credited:
                count[0] += 1
    return {g: Tally(*counts[g]) for g in sorted(counts, key=order)}


def practice_order(practice: str) -> tuple[int, str]:
    """GP2 before GP10."""
    digits = practice[2:]
    return (int(digits) if digits.isdigit() else 1 << 30, practice)


def area_order(area: str) -> tuple[int, str]:
    """The toolkit's order of areas (legal first), unknown ids after them."""
    known = [a for _, _, a in _AREA_RANGES]
    return (known.index(area) if area in known else len(known), area)


_AREA_KEYS: dict[AreaOf, Callable[[str], str | None]] = {}


def _area_key(area_of: AreaOf) -> Callable[[str], str | None]:
    """Key action -> area, memoised per mapping (scoring runs in tight loops in benches)."""
    key = _AREA_KEYS.get(area_of)
    if key is None:
        if len(_AREA_KEYS) > 64:
            _AREA_KEYS.clear()
        key = _AREA_KEYS[area_of] = cache(lambda ka: area_of(practice_of(ka)))
    return key


def score(
    scenario: Scenario,
    decisions: Iterable[tuple[str, str | None]],
    *,
    ending: str | None = None,
    area_of: AreaOf = default_area_of,
) -> Score:
    """Score a sequence of (decision scene id, choice id or None) as one participant faced them.

    `ending` is the ending scene reached (if any); `area_of` maps a practice id to its area id
    (pass the catalog's mapping; the default follows the toolkit's fixed ranges).
    """
    scored = tuple(score_decision(scenario, s, c) for s, c in decisions)
    points = sum(d.points for d in scored)
    possible = sum(d.possible for d in scored)
    harmful = tuple((d.scene, d.choice) for d in scored if d.harmful and d.choice is not None)
    outcome = None
    if ending is not None and ending in scenario.scenes:
        outcome = scenario.scenes[ending].outcome
    return Score(
        scenario=scenario.id,
        points=points,
        possible=possible,
        alignment=percent(points, possible),
        harmful=len(harmful),
        harmful_choices=harmful,
        by_area=MappingProxyType(_group_tallies(scored, _area_key(area_of), area_order)),
        by_practice=MappingProxyType(_group_tallies(scored, practice_of, practice_order)),
        decisions=scored,
        ending=ending,
        outcome=outcome,
    )


# -- identification: identify drills, scored beside alignment (never inside it) -----------------


class DrillScore(NamedTuple):
    """One identify drill: what was selected, what was correct, precision and recall.

    precision = |S ∩ C| / |S| (0 when nothing was selected), recall = |S ∩ C| / |C|."""

    scene: str
    selected: tuple[str, ...]
    correct: tuple[str, ...]
    hits: tuple[str, ...]  # S ∩ C, in the drill's order
    wrong: tuple[str, ...]  # S − C: distractors selected
    missed: tuple[str, ...]  # C − S

    @property
    def precision(self) -> float:
        return 100.0 * len(self.hits) / len(self.selected) if self.selected else 0.0

    @property
    def recall(self) -> float | None:
        return 100.0 * len(self.hits) / len(self.correct) if self.correct else None

    def to_json(self) -> DrillScoreJSON:
        return {
            "scene": self.scene,
            "selected": list(self.selected),
            "correct": list(self.correct),
            "hits": list(self.hits),
            "wrong": list(self.wrong),
            "missed": list(self.missed),
            "precision": json_alignment(self.precision),
            "recall": json_alignment(self.recall),
        }


class Identification(NamedTuple):
    """Every drill faced, and the overall figures: Σ|S ∩ C| / Σ|S| and Σ|S ∩ C| / Σ|C|."""

    drills: tuple[DrillScore, ...]

    @property
    def hits(self) -> int:
        return sum(len(d.hits) for d in self.drills)

    @property
    def selected(self) -> int:
        return sum(len(d.selected) for d in self.drills)

    @property
    def correct(self) -> int:
        return sum(len(d.correct) for d in self.drills)

    @property
    def precision(self) -> float | None:
        if not self.drills:
            return None
        return 100.0 * self.hits / self.selected if self.selected else 0.0

    @property
    def recall(self) -> float | None:
        return percent(self.hits, self.correct) if self.drills else None

    def to_json(self) -> IdentificationJSON:
        return {
            "precision": json_alignment(self.precision),
            "recall": json_alignment(self.recall),
            "hits": self.hits,
            "selected": self.selected,
            "correct": self.correct,
            "drills": [d.to_json() for d in self.drills],
        }


def drill_score(scene: Scene, selected: Iterable[str]) -> DrillScore:
    """Score one selection at identify drill `scene` (the one definition: play, debrief,
    reports and `run` use it). Unknown ids are ignored; the order is the drill's."""
    chosen = set(selected)
    correct = scene.correct_options
    order = [o.id for o in scene.options]
    sel = tuple(o for o in order if o in chosen)
    return DrillScore(
        scene=scene.id,
        selected=sel,
        correct=tuple(o for o in order if o in correct),
        hits=tuple(o for o in sel if o in correct),
        wrong=tuple(o for o in sel if o not in correct),
        missed=tuple(o for o in order if o in correct and o not in chosen),
    )


def identification(
    scenario: Scenario, selections: Iterable[tuple[str, Iterable[str]]]
) -> Identification:
    """Score (drill scene id, selected option ids) pairs, in the order they were faced."""
    return Identification(tuple(drill_score(scenario.scenes[s], sel) for s, sel in selections))


def format_identification(ident: Identification | None) -> str:
    """`precision 66.67%, recall 50.00%` (n/a without drills)."""
    if ident is None or not ident.drills:
        return "n/a"
    return f"precision {format_alignment(ident.precision)}, recall {format_alignment(ident.recall)}"
