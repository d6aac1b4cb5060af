"""Analysis: exact bounds on hand-built scenarios (checked against brute force), findings."""

from __future__ import annotations

import copy
import json
import re
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import pytest
import yaml

from engine.analysis.statespace import explore
from engine.analysis.summary import analyze
from engine.core.model import Scenario, scenario_from_dict
from engine.play.machine import State, acknowledge, apply_choice, initial_state, offered_choices
from engine.play.scoring import score, score_decision
from tests.scenarios.hand import convoy, harmful_shortcut, hidden_best, ratio_trap

# --- the oracle: every path, with the machine's full states ---------------------------------


@dataclass
class Brute:
    paths: list[tuple[int, int, str, tuple[tuple[str, str], ...]]] = field(default_factory=list)
    offered: set[tuple[str, str]] = field(default_factory=set)
    reached: set[str] = field(default_factory=set)
    dead_end: bool = False
    loop: bool = False
    earned: set[str] = field(default_factory=set)  # key actions credited on some full path
    areas: list[dict[str, tuple[int, int]]] = field(default_factory=list)  # per path, by area

    def best_by_area(self) -> dict[str, Fraction]:
        out: dict[str, Fraction] = {}
        for by_area in self.areas:
            for area, (p, q) in by_area.items():
                if q > 0:
                    r = Fraction(p, q)
                    out[area] = max(out.get(area, r), r)
        return out

    def ratios(self) -> list[Fraction]:
        return [Fraction(p, q) for p, q, _, _ in self.paths if q > 0]

    @property
    def best(self) -> Fraction | None:
        r = self.ratios()
        return max(r) if r else None

    @property
    def worst(self) -> Fraction | None:
        r = self.ratios()
        return min(r) if r else None


def brute_force(scenario: Scenario, max_paths: int = 200_000) -> Brute:
    """Enumerate every path from the start (the oracle: fine in a test, never in the product)."""
    out = Brute()

    def walk(
        state: State,
        p: int,
        q: int,
        moves: tuple,
        on_path: frozenset[State],
        credited: frozenset[str],
        decisions: tuple = (),
    ) -> None:
        if len(out.paths) > max_paths:
            raise RuntimeError("too many paths for the oracle")
        out.reached.add(state.scene)
        scene = scenario.scenes[state.scene]
        if scene.kind == "ending":
            out.paths.append((p, q, scene.id, moves))
            out.earned.update(credited)
            result = score(scenario, list(decisions), ending=scene.id)
            out.areas.append({a: (t.points, t.possible) for a, t in result.by_area.items()})
            return
        if state in on_path:
            out.loop = True
            return
        on_path = on_path | {state}
        if scene.kind != "decision":
            walk(acknowledge(scenario, state), p, q, moves, on_path, credited, decisions)
            return
        offered = offered_choices(scenario, state)
        if not offered:
            out.dead_end = True
            return
        for c in offered:
            out.offered.add((scene.id, c.id))
            d = score_decision(scenario, scene.id, c.id)
            walk(
                apply_choice(scenario, state, c),
                p + d.points,
                q + d.possible,
                moves + ((scene.id, c.id),),
                on_path,
                credited if d.harmful else credited | set(d.taken),
                decisions + ((scene.id, c.id),),
            )

    walk(initial_state(scenario), 0, 0, (), frozenset(), frozenset())
    return out


def _model(doc) -> Scenario:
    return scenario_from_dict(doc)


def _replay(scenario: Scenario, moves) -> tuple[int, int]:
    """Play the reported path with the machine and score it: it must be playable as reported."""
    state = initial_state(scenario)
    p = q = 0
    moves = list(moves)
    while scenario.scenes[state.scene].kind != "ending":
        if scenario.scenes[state.scene].kind == "decision":
            scene, choice = moves.pop(0)
            assert scene == state.scene
            offered = {c.id: c for c in offered_choices(scenario, state)}
            d = score_decision(scenario, scene, choice)
            p, q = p + d.points, q + d.possible
            state = apply_choice(scenario, state, offered[choice])
        else:
            state = acknowledge(scenario, state)
    assert not moves
    return p, q


# --- hand-built scenarios ------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc, best, worst",
    [
        (convoy, Fraction(2, 3), Fraction(0)),
        (ratio_trap, Fraction(1), Fraction(1, 5)),
        (hidden_best, Fraction(3, 4), Fraction(1, 4)),
        (harmful_shortcut, Fraction(2, 3), Fraction(0)),
    ],
)
def test_bounds_match_hand_and_brute_force(doc, best, worst) -> None:
    scenario = _model(doc())
    a = analyze(scenario)
    oracle = brute_force(scenario)
    assert (oracle.best, oracle.worst) == (best, worst)
    assert a.best.ratio == best and a.worst.ratio == worst
    for e in (a.best, a.worst):
        assert _replay(scenario, e.path) == (e.points, e.possible)
        assert Fraction(e.points, e.possible) == e.ratio
    assert a.complete and not a.errors


def test_most_points_is_not_best() -> None:
    scenario = _model(ratio_trap())
    oracle = brute_force(scenario)
    most = max(oracle.paths, key=lambda t: t[0])
    assert most[3] == (("d1", "careful"), ("d2", "thorough"))
    a = analyze(scenario)
    assert a.best.path == (("d1", "quick"),)
    assert a.worst.path == (("d1", "careful"), ("d2", "minimal"))
    js = a.to_json()
    assert js["best_alignment"] == 100.0 and js["worst_alignment"] == 20.0


def test_condition_hides_the_best_choice() -> None:
    a = analyze(_model(hidden_best()))
    assert a.best.path == (("d1", "build-trust"), ("d2", "joint"))
    assert a.to_json()["best_alignment"] == 75.0


def test_harmful_choice_enacting_recommended_action() -> None:
    a = analyze(_model(harmful_shortcut()))
    assert a.never_enactable == ["GP8.S4"]
    js = a.to_json()
    assert js["coverage"]["practices"]["GP8"] == {"recommended": ["GP8.S4"], "enactable": []}
    assert js["coverage"]["enactable"] == 2
    assert js["best_alignment"] == 66.67 and js["worst_alignment"] == 0.0


def test_convoy_json_keys_and_values() -> None:
    js = analyze(_model(convoy())).to_json()
    for key in (
        "scenes",
        "decisions",
        "endings",
        "endings_reachable",
        "unreachable",
        "best_alignment",
        "worst_alignment",
        "states_explored",
        "best_by_area",
        "never_enactable",
        "coverage",
        "complete",
        "findings",
    ):
        assert key in js
    assert (js["scenes"], js["decisions"], js["endings"], js["endings_reachable"]) == (6, 2, 3, 3)
    assert js["unreachable"] == []
    assert js["best_alignment"] == 66.67 and js["worst_alignment"] == 0.0
    # capacity building: GP21.S4, GP25.S1 -> best 1/2; research: GP8.S4 -> 1/1
    assert js["best_by_area"] == {
        "capacity-building-law-enforcement": 50.0,
        "research-information-sharing": 100.0,
    }
    assert js["complete"] is True
    assert [f["code"] for f in js["findings"]] == [
        "NTX306",  # border at trust 45
        "NTX320",  # raid always leaves trust at 20: its branch to border is never taken
        "NTX310",  # task-force and community-watch are listed first
        "NTX311",  # ... and are the longest texts
        "NTX312",  # so "always the first" scores 66.67 % (and "always the longest")
        "NTX312",
        "NTX314",  # raid is harmful, credited with GP21.S4, and its feedback is "No."
    ]


def test_no_scored_decision_has_no_alignment() -> None:
    doc = convoy()
    for s in doc["scenes"].values():
        s.pop("recommended", None)
    a = analyze(_model(doc))
    assert a.best is None and a.worst is None
    assert a.to_json()["best_alignment"] is None


def test_unscored_paths_are_left_out() -> None:
    """A path facing no scored decision has no alignment: it is neither 0 % nor 100 %."""
    doc = ratio_trap()
    doc["scenes"]["brief"] = {
        "kind": "decision",
        "title": "B",
        "text": "?",
        "choices": [
            {"id": "skip", "text": "Skip", "next": "ok"},
            {"id": "go", "text": "Go", "next": "d1"},
        ],
    }
    a = analyze(_model(doc))
    assert (a.best.ratio, a.worst.ratio) == (1, Fraction(1, 5))


def test_projection_ignores_unread_facts() -> None:
    """`raided` is read by no condition, so states differing only in it are one state."""
    space = explore(_model(convoy()))
    assert len(space) == 7
    assert all(st.values[1] == 0 for st in space.states)


def test_visited_and_chose_are_kept_when_read() -> None:
    doc = hidden_best()
    d2 = doc["scenes"]["d2"]["choices"]
    d2[0]["if"] = 'chose("d1", "build-trust")'
    del doc["variables"]
    del doc["scenes"]["d1"]["choices"][0]["effects"]
    a = analyze(_model(doc))
    assert a.best.ratio == Fraction(3, 4)
    assert a.best.ratio == brute_force(_model(doc)).best


def test_state_bound_reports_incomplete_and_stops() -> None:
    a = analyze(_model(hidden_best()), max_states=3)
    assert not a.complete and a.states_explored <= 3
    assert a.best is None and a.unreachable is None
    assert [f.code for f in a.findings] == ["NTX309"]


def test_long_counter_loop_terminates() -> None:
    """A loop that a counter ends is not a loop; bounds count each pass through it."""
    doc = hidden_best()
    doc["variables"]["rounds"] = {"label": "Rounds", "initial": 0, "min": 0, "max": 10}
    doc["scenes"]["d2"]["choices"].append(
        {
            "id": "again",
            "text": "Again",
            "effects": {"rounds": 1},
            "next": [{"if": "rounds < 3", "goto": "d1"}, {"goto": "ok"}],
        }
    )
    scenario = _model(doc)
    a = analyze(scenario)
    assert a.complete and not a.errors
    oracle = brute_force(scenario)
    assert (a.best.ratio, a.worst.ratio) == (oracle.best, oracle.worst)


def test_exploration_is_reused_by_the_explorer_that_made_it() -> None:
    from engine.analysis.statespace import Explorer

    scenario = _model(convoy())
    explorer = Explorer()
    assert analyze(scenario, explorer=explorer).space is analyze(scenario, explorer=explorer).space
    assert (
        analyze(scenario, explorer=explorer).space
        is not analyze(_model(convoy()), explorer=explorer).space
    )
    assert analyze(scenario, max_states=5, explorer=explorer).space is not explorer.space(scenario)
    # no hidden cache: without a shared explorer, each analysis explores afresh
    assert analyze(scenario).space is not analyze(scenario).space


def test_validation_and_analysis_share_one_exploration(tmp_path) -> None:
    from engine.analysis.statespace import Explorer
    from engine.check.validate import validate_file

    path = tmp_path / "convoy.yaml"
    path.write_text(yaml.safe_dump(convoy(), sort_keys=False), encoding="utf-8")
    explorer = Explorer(1000)
    result = validate_file(path, explorer=explorer)
    assert result.scenario is not None
    space = explorer.space(result.scenario)
    assert analyze(result.scenario, 1000, explorer=explorer).space is space


def test_large_chain_is_linear_and_iterative() -> None:
    """Deep scenes must not hit the recursion limit."""
    scenes = {}
    n = 5000
    for i in range(n):
        scenes[f"s{i}"] = {
            "kind": "decision",
            "title": "D",
            "text": ".",
            "recommended": ["GP21.S4"],
            "choices": [
                {"id": "a", "text": "A", "enacts": ["GP21.S4"], "next": f"s{i + 1}"},
                {"id": "b", "text": "B", "next": f"s{i + 1}"},
            ],
        }
    scenes[f"s{n}"] = {"kind": "ending", "title": "E", "text": ".", "outcome": "success"}
    doc = copy.deepcopy(convoy())
    doc["scenes"] = scenes
    doc["start"] = "s0"
    doc["variables"] = {}
    a = analyze(_model(doc))
    assert a.states_explored == n + 1
    assert (a.best.ratio, a.worst.ratio) == (1, 0)


# --- findings: every NTX3xx code has a failing fixture, asserted at its line ----------------

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "analysis"
EXPECT = re.compile(r"#\s*expect:\s*(NTX\d{3})")


def _expected(path: Path) -> tuple[str, int]:
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        m = EXPECT.search(line)
        if m:
            return m.group(1), n
    raise AssertionError(f"{path.name} has no '# expect: NTXnnn' marker")


VALID_FIXTURES = sorted(
    p
    for p in FIXTURES.glob("ntx3*.yaml")
    if p.name not in ("ntx308_runtime_error.yaml", "ntx309_state_bound.yaml")
)


@pytest.mark.parametrize("path", VALID_FIXTURES, ids=lambda p: p.stem)
def test_finding_fixture_through_validate(path: Path) -> None:
    from engine.check.validate import validate_file

    code, line = _expected(path)
    result = validate_file(path)
    found = [(d.code, d.line) for d in result.diagnostics]
    assert found == [(code, line)], found
    severity = result.diagnostics[0].severity
    assert severity == ("error" if code in ("NTX301", "NTX302") else "warning")
    assert result.ok == (severity == "warning")


def test_runtime_error_fixture_reported_at_its_choice() -> None:
    """Validation rejects a branch list without a final `else` (NTX214), so only a model built
    around it can fail at run time; analysis reports that as NTX308, and never raises."""
    from engine.analysis.findings import analysis_diagnostics
    from engine.load.yamlload import load_file

    path = FIXTURES / "ntx308_runtime_error.yaml"
    code, line = _expected(path)
    loaded = load_file(path)
    scenario = scenario_from_dict(loaded.data)
    found = analysis_diagnostics(scenario, loaded.source, str(path))
    assert [(d.code, d.line, d.severity) for d in found] == [(code, line, "error")]
    assert "NoBranchTaken" in found[0].message


def test_state_bound_fixture(cli) -> None:
    path = FIXTURES / "ntx309_state_bound.yaml"
    code, line = _expected(path)
    r = cli("analyze", str(path), "--max-states", "10", "--json")
    data = json.loads(r.stdout)
    assert r.returncode == 0, r.stderr
    assert data["complete"] is False and data["states_explored"] == 10
    assert data["best_alignment"] is None and data["unreachable"] is None
    assert [(f["code"], f["line"]) for f in data["findings"]] == [(code, line)]
    full = json.loads(cli("analyze", str(path), "--json").stdout)
    assert full["complete"] is True and full["findings"] == []
    assert full["best_alignment"] == 100.0 and full["worst_alignment"] == 0.0


def test_every_ntx3_code_has_a_fixture_and_is_registered() -> None:
    from engine.analysis.findings import CODES
    from engine.core.diagnostics import CODES as REGISTRY

    with_fixture = {_expected(p)[0] for p in FIXTURES.glob("ntx3*.yaml")}
    assert with_fixture == set(CODES)
    assert set(CODES) <= set(REGISTRY)


# --- the command -------------------------------------------------------------------------


def _write(tmp_path: Path, doc, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def test_analyze_command_json(cli, tmp_path) -> None:
    r = cli("analyze", str(_write(tmp_path, harmful_shortcut())), "--json")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    for key in (
        "scenes",
        "decisions",
        "endings",
        "endings_reachable",
        "unreachable",
        "best_alignment",
        "worst_alignment",
        "states_explored",
    ):
        assert key in data
    assert (data["best_alignment"], data["worst_alignment"]) == (66.67, 0.0)
    assert data["never_enactable"] == ["GP8.S4"]
    assert data["best"]["choices"] == [
        {"scene": "d1", "choice": "liaise"},
        {"scene": "d2", "choice": "report"},
    ]


def test_analyze_command_text_and_exit_code(cli, tmp_path) -> None:
    r = cli("analyze", str(_write(tmp_path, ratio_trap())))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    best = lines.index("  best            100.00% (2/2)")
    assert lines[best + 1].strip() == "d1: quick"
    worst = lines.index("  worst            20.00% (1/5)")
    assert lines[worst + 1].strip() == "d1: careful → d2: minimal"
    loop = FIXTURES / "ntx301_loop.yaml"
    r = cli("analyze", str(loop))
    assert r.returncode == 1
    assert f"{loop}:{_expected(loop)[1]}:9: error: NTX301" in r.stdout
    assert "n/a: the scenario can loop forever" in r.stdout


def test_analyze_command_bad_input(cli, tmp_path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: nexus-ttx/1\nid: x\n\tbad: [\n", encoding="utf-8")
    r = cli("analyze", str(bad))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert "bad.yaml:" in r.stderr
    r = cli("analyze", str(tmp_path / "missing.yaml"))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    r = cli("analyze", str(bad), "--max-states", "0")
    assert r.returncode == 2
