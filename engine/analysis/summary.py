"""Scenario analysis: what every playable path can do, computed once over the state space.

`analyze(scenario)` explores the reachable play states with the state machine
(`engine.analysis.statespace`), then reports:

* structure: scenes, decisions, endings; endings reachable; scenes never reached;
* exact best and worst alignment over all playable paths and the best per area
  (`engine.analysis.bounds`, Dinkelbach over a longest-path DP; never enumerating paths);
* key actions recommended somewhere that no playable path can earn, and coverage of the
  declared good practices;
* chance level (exact expected alignment of uniform random play), the probability of each
  outcome under it, and the blind strategies first / longest / shortest
  (`engine.analysis.guessability`);
* findings for authors (`engine.analysis.findings`: loops, dead ends, unreachable scenes and endings,
  choices never offered, scored decisions that cannot score, practices never recommended).

A path's points per decision come from `engine.play.scoring.score_decision`, the definition play and
the debrief use. Alignment is only defined for paths that face at least one scored decision;
paths that face none are left out of best/worst (they have no alignment, as in `run`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from engine.analysis.analysis_types import AnalysisJSON, ExtremeJSON, GuessJSON
from engine.analysis.bounds import Extreme, Solver, weights
from engine.analysis.findings import Finding, collect_findings
from engine.analysis.guessability import Guessability, compute
from engine.analysis.statespace import DEFAULT_MAX_STATES, Explorer, StateSpace
from engine.core.model import Scenario
from engine.play.scoring import DecisionScore, default_area_of, practice_of, score_decision

AreaOf = Callable[[str], "str | None"]


def _natural(key: str) -> tuple[int, str]:
    digits = "".join(ch for ch in key.split(".", 1)[0] if ch.isdigit())
    return (int(digits) if digits else -1, key)


@dataclass
class Analysis:
    """Everything `nexus-ttx analyze` reports, computed from one exploration."""

    scenario: Scenario
    space: StateSpace
    complete: bool
    states_explored: int
    endings_reached: list[str]
    unreachable: list[str] | None  # None when the exploration was incomplete
    best: Extreme | None
    worst: Extreme | None
    best_by_area: dict[str, Extreme]
    never_enactable: list[str] | None  # None when unknown (incomplete, or loops)
    coverage: dict[str, dict[str, list[str]]]
    findings: list[Finding] = field(default_factory=list)
    bounds_note: str | None = None  # why best/worst are missing, if they are
    guess: Guessability | None = None  # chance level and blind strategies (None: not playable)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]

    def to_json(self) -> AnalysisJSON:
        sc = self.scenario
        cov = self.coverage
        return {
            "scenario": sc.id,
            "scenes": len(sc.scenes),
            "decisions": len(sc.decisions),
            "endings": len(sc.endings),
            "endings_reachable": len(self.endings_reached),
            "endings_reached": self.endings_reached,
            "unreachable": self.unreachable,
            "best_alignment": _pct(self.best),
            "worst_alignment": _pct(self.worst),
            "best": _extreme_json(self.best),
            "worst": _extreme_json(self.worst),
            "best_by_area": {a: _pct(e) for a, e in self.best_by_area.items()},
            "never_enactable": self.never_enactable,
            "coverage": {
                "declared": len(sc.good_practices),
                "recommended": sum(1 for g in sc.good_practices if cov[g]["recommended"]),
                "enactable": sum(1 for g in sc.good_practices if cov[g]["enactable"]),
                "practices": cov,
            },
            "states_explored": self.states_explored,
            "max_states": self.space.max_states,
            "complete": self.complete,
            "bounds_note": self.bounds_note,
            "findings": [f.to_json() for f in self.findings],
            **_guess_json(self.guess),
        }


def _guess_json(g: Guessability | None) -> GuessJSON:
    if g is not None:
        return g.to_json()
    return {
        "chance_alignment": None,
        "outcomes_at_chance": None,
        "chance_scored_probability": None,
        "chance_note": None,
        "blind_strategies": None,
    }


def _pct(e: Extreme | None) -> float | None:
    return None if e is None else round(e.percent, 2)


def _extreme_json(e: Extreme | None) -> ExtremeJSON | None:
    if e is None:
        return None
    return {
        "alignment": round(e.percent, 2),
        "points": e.points,
        "possible": e.possible,
        "choices": [{"scene": s, "choice": c} for s, c in e.path],
    }


def analyze(
    scenario: Scenario,
    max_states: int = DEFAULT_MAX_STATES,
    area_of: AreaOf | None = None,
    explorer: Explorer | None = None,
) -> Analysis:
    """Analyse `scenario` (areas by `area_of`, practice -> area; default: the fixed ranges).
    Pass the `explorer` that validated it to reuse its exploration."""
    space = (explorer or Explorer(max_states)).space(scenario, max_states)
    return _analyze(scenario, space, area_of or default_area_of)


@dataclass
class _Bounds:
    """What the bounds part of the analysis found (all None/empty when it could not run)."""

    best: Extreme | None = None
    worst: Extreme | None = None
    by_area: dict[str, Extreme] = field(default_factory=dict)
    enactable: set[str] | None = None
    note: str | None = None


def _analyze(scenario: Scenario, space: StateSpace, area_of: AreaOf) -> Analysis:
    reached = space.scenes_reached
    # (points, possible) per choice, from scoring's own definition, overall and per area.
    decision_scores = {
        (sid, c.id): score_decision(scenario, sid, c.id) for sid, _, c in space.choices
    }
    recommended_anywhere = list(dict.fromkeys(k for s in scenario.decisions for k in s.recommended))
    found = _bounds(space, decision_scores, recommended_anywhere, area_of)
    enactable = found.enactable
    never = None if enactable is None else [k for k in recommended_anywhere if k not in enactable]
    coverage: dict[str, dict[str, list[str]]] = {}
    for gp in scenario.good_practices:
        rec = sorted((k for k in recommended_anywhere if practice_of(k) == gp), key=_natural)
        coverage[gp] = {
            "recommended": rec,
            "enactable": [k for k in rec if enactable is not None and k in enactable],
        }
    return Analysis(
        scenario=scenario,
        space=space,
        complete=space.complete,
        states_explored=len(space),
        endings_reached=[s.id for s in scenario.endings if s.id in reached],
        unreachable=[sid for sid in scenario.scenes if sid not in reached]
        if space.complete
        else None,
        best=found.best,
        worst=found.worst,
        best_by_area=found.by_area,
        never_enactable=never,
        coverage=coverage,
        bounds_note=found.note,
        findings=collect_findings(scenario, space),
        guess=compute(space),
    )


def _bounds(
    space: StateSpace,
    decision_scores: dict[tuple[str, str], DecisionScore],
    recommended_anywhere: list[str],
    area_of: AreaOf,
) -> _Bounds:
    """Exact best and worst alignment, best per area, and the enactable key actions."""
    if not space.complete:
        return _Bounds(
            note=f"exploration stopped at {space.max_states} states; bounds need every state "
            "(raise --max-states)"
        )
    if not space.acyclic:
        return _Bounds(
            note="the scenario can loop forever, so paths are unbounded; fix the loop first"
        )
    solver = Solver(space)
    p, q = weights(
        space, lambda s, c: (decision_scores[s, c].points, decision_scores[s, c].possible)
    )
    best, worst = solver.bounds(p, q)
    found = _Bounds(
        best, worst, note=None if best is not None else "no playable path faces a scored decision"
    )
    area_cache: dict[str, str | None] = {}

    def ka_area(k: str) -> str | None:
        a = area_cache.get(k, "")
        if a == "":
            a = area_cache[k] = area_of(practice_of(k))
        return a

    scores = [decision_scores[sid, c.id] for sid, _, c in space.choices]
    areas = sorted({a for k in recommended_anywhere if (a := ka_area(k)) is not None})
    for area in areas:
        pa = [0 if d.harmful else sum(1 for k in d.taken if ka_area(k) == area) for d in scores]
        qa = [sum(1 for k in d.recommended if ka_area(k) == area) for d in scores]
        pa.append(0)
        qa.append(0)
        hints = [e.labels for e in (best, worst) if e is not None]
        b, _ = solver.bounds(pa, qa, want="best", hints=hints)
        if b is not None:
            found.by_area[area] = b
    # A key action is enactable when a non-harmful choice that enacts it at a decision that
    # recommends it lies on a playable path (from a state that can still reach an ending).
    found.enactable = set()
    for label in solver.playable_labels():
        scene_id, _, choice = space.choices[label]
        d = decision_scores[scene_id, choice.id]
        if not d.harmful:
            found.enactable.update(d.taken)
    return found
