"""On-demand injects in the analysis: firing is a transition wherever the inject's condition
holds (once-only injects at most once), it never earns points, and the bounds stay exact:
checked against brute-force enumeration of every play, firings included."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.analysis.statespace import explore
from engine.analysis.summary import analyze
from engine.check.validate import load_scenario
from engine.core.model import Scenario, scenario_from_dict
from engine.play.machine import (
    State,
    acknowledge,
    apply_choice,
    apply_inject,
    available_injects,
    initial_state,
    offered_choices,
)
from engine.play.scoring import score_decision
from tests.test_analysis_properties import scenarios

LAYERS = Path(__file__).resolve().parent / "fixtures" / "valid" / "layers.yaml"
SETTINGS = settings(
    max_examples=int(os.environ.get("NTX_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@dataclass
class Oracle:
    ratios: set[Fraction] = field(default_factory=set)
    reached: set[str] = field(default_factory=set)
    offered: set[tuple[str, str]] = field(default_factory=set)
    dead_end: bool = False

    @property
    def best(self) -> Fraction | None:
        return max(self.ratios) if self.ratios else None

    @property
    def worst(self) -> Fraction | None:
        return min(self.ratios) if self.ratios else None


def brute_force(scenario: Scenario, limit: int = 300_000) -> Oracle:
    """Every play from the start over full machine states, firings included. Scene moves only
    go forward here, so a state met again on the same play was reached by firings alone: that
    play adds nothing new (a free cycle) and is cut."""
    out = Oracle()
    seen = [0]

    def walk(state: State, p: int, q: int, on_path: frozenset[State]) -> None:
        seen[0] += 1
        if seen[0] > limit:
            raise RuntimeError("too many plays for the oracle")
        out.reached.add(state.scene)
        scene = scenario.scenes[state.scene]
        if scene.kind == "ending":
            if q > 0:
                out.ratios.add(Fraction(p, q))
            return
        if state in on_path:
            return
        on_path = on_path | {state}
        for inject in available_injects(scenario, state):
            walk(apply_inject(scenario, state, inject), p, q, on_path)
        if scene.kind != "decision":
            walk(acknowledge(scenario, state), p, q, on_path)
            return
        offered = offered_choices(scenario, state)
        if not offered:
            out.dead_end = True
        for c in offered:
            out.offered.add((scene.id, c.id))
            d = score_decision(scenario, scene.id, c.id)
            walk(apply_choice(scenario, state, c), p + d.points, q + d.possible, on_path)

    walk(initial_state(scenario), 0, 0, frozenset())
    return out


@st.composite
def with_injects(draw: Any) -> dict[str, Any]:
    """A random acyclic scenario with one to three on-demand injects over its variables."""
    doc = draw(scenarios())
    names = list(doc.get("variables", {}))
    injects = []
    for k in range(draw(st.integers(1, 3))):
        inject: dict[str, Any] = {"id": f"i{k}", "title": "I", "text": "."}
        if draw(st.booleans()):
            inject["repeatable"] = True
        if names and draw(st.booleans()):
            op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
            inject["if"] = f"{draw(st.sampled_from(names))} {op} {draw(st.integers(0, 4))}"
        if names and draw(st.booleans()):
            inject["effects"] = {draw(st.sampled_from(names)): draw(st.integers(-2, 2))}
        if names and draw(st.integers(0, 2)) == 0:
            inject["set"] = {draw(st.sampled_from(names)): draw(st.integers(0, 4))}
        injects.append(inject)
    doc["injects"] = injects
    return doc


@SETTINGS
@given(with_injects())
def test_bounds_with_injects_match_brute_force(doc: dict[str, Any]) -> None:
    scenario = scenario_from_dict(doc)
    oracle = brute_force(scenario)
    a = analyze(scenario)
    assert a.complete and a.space.acyclic  # firing alone never makes a loop
    assert not any(f.code == "NTX301" for f in a.findings)
    assert (a.best.ratio if a.best else None) == oracle.best
    assert (a.worst.ratio if a.worst else None) == oracle.worst
    assert a.space.offered == oracle.offered
    assert set(a.unreachable) == set(scenario.scenes) - oracle.reached
    assert any(f.code == "NTX302" for f in a.findings) == oracle.dead_end


def _doc(injects: list[dict[str, Any]]) -> dict[str, Any]:
    """A hand-written case: the best choice at `d` is offered only while `open == 1`."""
    return {
        "format": "nexus-ttx/1",
        "id": "hand",
        "title": "Hand",
        "summary": ".",
        "region": "Nowhere",
        "environment": "transitional",
        "manifestations": ["hybrid"],
        "watch_points": ["corruption"],
        "good_practices": ["GP21"],
        "variables": {"open": {"initial": 0, "min": 0, "max": 1}},
        "injects": injects,
        "start": "n",
        "scenes": {
            "n": {"kind": "narrative", "title": "N", "text": ".", "next": "d"},
            "d": {
                "kind": "decision",
                "title": "D",
                "text": ".",
                "recommended": ["GP21.S4"],
                "choices": [
                    {
                        "id": "good",
                        "text": "G",
                        "if": "open == 1",
                        "enacts": ["GP21.S4"],
                        "next": "e",
                    },
                    {"id": "poor", "text": "P", "next": "e"},
                ],
            },
            "e": {"kind": "ending", "title": "E", "text": ".", "outcome": "success"},
        },
    }


def test_an_inject_that_opens_a_choice_lifts_the_best_bound() -> None:
    without = analyze(scenario_from_dict(_doc([])))
    assert without.best is not None and without.best.ratio == 0
    opened = analyze(
        scenario_from_dict(_doc([{"id": "tip", "title": "T", "text": ".", "set": {"open": 1}}]))
    )
    assert opened.best is not None and opened.best.ratio == 1
    assert ("d", "good") in opened.space.offered


def test_a_condition_that_never_holds_changes_nothing() -> None:
    doc = _doc([{"id": "tip", "title": "T", "text": ".", "if": "open == 5", "set": {"open": 1}}])
    a = analyze(scenario_from_dict(doc))
    assert a.best is not None and a.best.ratio == 0
    assert ("d", "good") not in a.space.offered


def test_once_only_and_repeatable_firings() -> None:
    once = {"id": "up", "title": "U", "text": ".", "effects": {"open": 1}}
    space = explore(scenario_from_dict(_doc([once])))
    fired = {st.fired for st in space.states}
    assert fired == {frozenset(), frozenset({"up"})}
    again = explore(scenario_from_dict(_doc([{**once, "repeatable": True}])))
    assert {st.fired for st in again.states} == {frozenset()}  # repeatable: not remembered
    assert again.acyclic and any(again.fires)


def test_the_layers_fixture_explores_injects_and_drill() -> None:
    scenario = load_scenario(LAYERS)
    space = explore(scenario)
    assert space.complete and space.acyclic
    assert any(st.fired == {"press-leak"} for st in space.states)
    # after the leak, 'go-public' (if leaked == 0) is no longer offered at first-call
    leaked = [i for i, st in enumerate(space.states) if st.scene == "first-call" and st.fired]
    assert leaked and all(len(space.succ[i]) == 2 for i in leaked)


def test_guessability_is_the_players_and_ignores_drills_and_firings() -> None:
    from engine.analysis.guessability import chance_level, compute

    doc = _doc([])
    doc["scenes"]["d"]["choices"].append({"id": "other", "text": "O", "next": "e"})
    base = chance_level(scenario_from_dict(doc))
    assert base == 0  # no choice offered without the inject scores
    drill = {
        "kind": "identify",
        "title": "Spot",
        "text": ".",
        "watch_points": ["corruption"],
        "options": [
            {"id": "a", "text": "A", "tags": ["corruption.1"]},
            {"id": "b", "text": "B"},
            {"id": "c", "text": "C"},
            {"id": "x", "text": "X"},
        ],
        "next": "d",
    }
    with_drill = {**doc, "scenes": {**doc["scenes"], "n": {**drill}}}
    assert chance_level(scenario_from_dict(with_drill)) == base
    # an inject whose firing closes every choice: a dead end only the facilitator can reach
    closing = {**doc, "injects": [{"id": "shut", "title": "S", "text": ".", "set": {"open": 1}}]}
    for c in closing["scenes"]["d"]["choices"]:
        c["if"] = "open == 0" if c["id"] != "good" else "open == 1 and false"
    space = explore(scenario_from_dict(closing))
    assert space.dead_ends  # reported by the analysis (NTX302) ...
    g = compute(space)
    assert g is not None and g.chance == 0  # ... but chance is the players' own play
