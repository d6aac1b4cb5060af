"""Chance level, outcomes at chance, blind strategies and harm analysis against brute force.

The oracle walks every path of play with the machine (offered choices, uniform weight 1/k at
each decision) and averages ΣP/ΣQ over the paths that face a scored decision, in exact
fractions: the analysis must agree to the last digit, on hand scenarios and random ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pytest
import yaml
from hypothesis import given

from engine.analysis.guessability import (
    OUTCOMES,
    STRATEGIES,
    compute,
    pick,
    text_length,
)
from engine.analysis.statespace import explore
from engine.analysis.summary import analyze
from engine.core.model import Scenario, scenario_from_dict
from engine.play.machine import State, acknowledge, apply_choice, initial_state, offered_choices
from engine.play.scoring import score_decision
from tests.scenarios.hand import convoy, harbour, harmful_shortcut, hidden_best, ratio_trap
from tests.test_analysis_properties import SETTINGS, scenarios


@dataclass
class Oracle:
    paths: list[tuple[Fraction, int, int, str, int]] = field(default_factory=list)
    # (probability, points, possible, outcome, harmful choices)

    @property
    def chance(self) -> Fraction | None:
        scored = [(pr, p, q) for pr, p, q, _, _ in self.paths if q > 0]
        mass = sum((pr for pr, _, _ in scored), Fraction(0))
        if not mass:
            return None
        return sum((pr * Fraction(p, q) for pr, p, q in scored), Fraction(0)) / mass

    def outcomes(self) -> dict[str, Fraction]:
        out = dict.fromkeys(OUTCOMES, Fraction(0))
        for pr, _, _, outcome, _ in self.paths:
            out[outcome] += pr
        return out


def enumerate_play(scenario: Scenario) -> Oracle:
    out = Oracle()

    def walk(state: State, pr: Fraction, p: int, q: int, harm: int) -> None:
        scene = scenario.scenes[state.scene]
        if scene.kind == "ending":
            out.paths.append((pr, p, q, scene.outcome or "", harm))
            return
        if scene.kind != "decision":
            walk(acknowledge(scenario, state), pr, p, q, harm)
            return
        offered = offered_choices(scenario, state)
        for c in offered:
            d = score_decision(scenario, scene.id, c.id)
            walk(
                apply_choice(scenario, state, c),
                pr / len(offered),
                p + d.points,
                q + d.possible,
                harm + c.harmful,
            )

    walk(initial_state(scenario), Fraction(1), 0, 0, 0)
    return out


def blind_oracle(scenario: Scenario, strategy: str) -> tuple[int, int, str]:
    state, p, q = initial_state(scenario), 0, 0
    while scenario.scenes[state.scene].kind != "ending":
        scene = scenario.scenes[state.scene]
        if scene.kind != "decision":
            state = acknowledge(scenario, state)
            continue
        offered = offered_choices(scenario, state)
        if strategy == "first":
            c = offered[0]
        else:
            sign = -1 if strategy == "longest" else 1
            c = min(offered, key=lambda c: sign * len(" ".join(c.text.split())))
        d = score_decision(scenario, scene.id, c.id)
        p, q = p + d.points, q + d.possible
        state = apply_choice(scenario, state, c)
    return p, q, state.scene


def check_against_oracle(scenario: Scenario) -> None:
    space = explore(scenario)
    g = compute(space)
    if not (space.complete and space.acyclic and not space.dead_ends and not space.errors):
        assert g is None
        return
    assert g is not None
    oracle = enumerate_play(scenario)
    assert g.chance == oracle.chance
    assert dict(g.outcomes) == oracle.outcomes()
    assert sum(g.outcomes.values()) == 1
    for name in STRATEGIES:
        p, q, ending = blind_oracle(scenario, name)
        play = g.blind[name]
        assert (play.points, play.possible, play.ending) == (p, q, ending)
        assert play.outcome == scenario.scenes[ending].outcome


@pytest.mark.parametrize("doc", [convoy, ratio_trap, hidden_best, harmful_shortcut, harbour])
def test_hand_scenarios_match_enumeration(doc) -> None:
    check_against_oracle(scenario_from_dict(doc()))


def test_convoy_chance_worked_by_hand() -> None:
    """convoy: call offers 3 (task-force 2/2, raid 0/2 harmful, wait 0/2). After task-force
    (trust 45) border offers only checkpoint (0/1): 2/3. After raid (trust 20) the riot ending:
    0/2. After wait (trust 60) border offers community-watch (1/1) or checkpoint (0/1): 1/3 or
    0/3. Chance = 1/3·2/3 + 1/3·0 + 1/6·1/3 + 1/6·0 = 2/9 + 1/18 = 5/18."""
    g = compute(explore(scenario_from_dict(convoy())))
    assert g is not None and g.chance == Fraction(5, 18)
    assert g.scored_probability == 1
    assert g.blind["first"].path == (("call", "task-force"), ("border", "checkpoint"))
    assert g.blind["first"].ratio == Fraction(2, 3)


def test_a_graph_too_large_for_exact_chance_says_so_and_keeps_blind_strategies(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from engine.analysis import guessability

    monkeypatch.setattr(guessability, "MAX_NODES", 0)
    g = compute(explore(scenario_from_dict(convoy())))
    assert g is not None and g.chance is None and g.outcomes == {}
    assert g.note is not None and "not computed" in g.note
    assert g.blind["first"].ratio == Fraction(2, 3)  # blind strategies are one path each


@SETTINGS
@given(scenarios())
def test_random_scenarios_match_enumeration(doc) -> None:
    check_against_oracle(scenario_from_dict(doc))


def test_unscored_paths_are_left_out_of_chance_level() -> None:
    """Half the plays face no scored decision: chance level is the mean over the other half."""
    doc = {
        "format": "nexus-ttx/1",
        "id": "half",
        "title": "Half",
        "summary": ".",
        "region": "R",
        "environment": "transitional",
        "manifestations": ["hybrid"],
        "watch_points": ["corruption"],
        "good_practices": ["GP21"],
        "start": "a",
        "scenes": {
            "a": {
                "kind": "decision",
                "title": "A",
                "text": ".",
                "choices": [
                    {"id": "skip", "text": "Skip", "next": "end"},
                    {"id": "go", "text": "Go", "next": "b"},
                ],
            },
            "b": {
                "kind": "decision",
                "title": "B",
                "text": ".",
                "recommended": ["GP21.S4"],
                "choices": [
                    {"id": "yes", "text": "Yes", "enacts": ["GP21.S4"], "next": "end"},
                    {"id": "no", "text": "No", "next": "end"},
                    {"id": "never", "text": "Never", "next": "end"},
                ],
            },
            "end": {"kind": "ending", "title": "E", "text": ".", "outcome": "partial"},
        },
    }
    g = compute(explore(scenario_from_dict(doc)))
    assert g is not None
    assert g.scored_probability == Fraction(1, 2)
    assert g.chance == Fraction(1, 3)


def test_blind_pick_rules() -> None:
    from engine.core.model import Choice

    def c(i: str, text: str) -> Choice:
        return Choice(i, text, ())

    offered = [(2, c("a", "Mid text")), (0, c("b", "Longer  text here")), (1, c("d", "Tiny"))]
    assert pick("first", offered) == 1  # listed first in the file
    assert pick("longest", offered) == 1
    assert pick("shortest", offered) == 2
    tie = [(1, c("x", "same")), (0, c("y", "same"))]
    assert pick("longest", tie) == pick("shortest", tie) == 1  # ties go to the first listed
    assert text_length(c("z", "  two\n words ")) == len("two words")


def test_analyze_json_and_text_show_chance_and_blind(cli, tmp_path: Path) -> None:
    path = tmp_path / "convoy.yaml"
    path.write_text(yaml.safe_dump(convoy(), sort_keys=False), encoding="utf-8")
    r = cli("analyze", str(path), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    assert data["chance_alignment"] == round(500 / 18, 2)
    assert set(data["outcomes_at_chance"]) == {"success", "partial", "failure"}
    assert sum(data["outcomes_at_chance"].values()) == pytest.approx(1.0)
    assert data["blind_strategies"]["first"] == {
        "alignment": 66.67,
        "outcome": "partial",
        "ending": "stalemate",
        "points": 2,
        "possible": 3,
        "choices": [
            {"scene": "call", "choice": "task-force"},
            {"scene": "border", "choice": "checkpoint"},
        ],
    }
    assert set(data["blind_strategies"]) == {"first", "longest", "shortest"}
    text = cli("analyze", str(path)).stdout
    assert " 27.78%  expected alignment of random play" in text
    assert "first      66.67%  partial (stalemate)" in text


def test_analysis_object_carries_guessability() -> None:
    a = analyze(scenario_from_dict(convoy()))
    assert a.guess is not None and a.guess.chance == Fraction(5, 18)
    js = a.to_json()
    assert js["chance_alignment"] == 27.78


def check_harm_against_oracle(scenario: Scenario) -> None:
    from engine.analysis.guessability import harmful_success_path

    space = explore(scenario)
    if not (space.complete and space.acyclic and not space.dead_ends and not space.errors):
        return
    harmful = [c.harmful for _, _, c in space.choices]
    found = harmful_success_path(space, lambda label: harmful[label])
    worst = [h for _, _, _, outcome, h in enumerate_play(scenario).paths if outcome == "success"]
    assert (found[0] if found else None) == (max(worst) if worst else None)
    if found:
        count, labels, ending = found
        assert scenario.scenes[ending].outcome == "success"
        assert sum(harmful[x] for x in labels) == count


@SETTINGS
@given(scenarios())
def test_harmful_success_path_matches_enumeration(doc) -> None:
    check_harm_against_oracle(scenario_from_dict(doc))


@pytest.mark.parametrize(
    "feedback, flagged",
    [
        ("Too much, too fast.", True),
        ("GP6.S3 asks for data protection; this sends names to everyone.", False),
        ("Breaks the data-protection condition of GP6.", False),
        ("GP61 is another practice.", True),
        ("See GP6.S31, not this step.", False),  # names practice GP6 (as GP6.S31)
    ],
)
def test_harmful_credit_explained_rule(feedback: str, flagged: bool) -> None:
    from engine.analysis.judgement import credit_findings

    doc = yaml.safe_load(
        (
            Path(__file__).parent / "fixtures/analysis/ntx314_harmful_credit_unexplained.yaml"
        ).read_text(encoding="utf-8")
    )
    doc["scenes"]["d1"]["choices"][1]["feedback"] = feedback
    found: list[tuple[str, str]] = []
    credit_findings(scenario_from_dict(doc), lambda code, msg, path: found.append((code, msg)))
    assert bool(found) == flagged
    if flagged:
        assert "'share-everything' at 'd1'" in found[0][1] and "GP6.S3" in found[0][1]
