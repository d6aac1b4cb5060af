"""Property tests: `analyze` agrees with brute-force path enumeration on random small scenarios."""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.analysis.summary import analyze
from engine.core.model import scenario_from_dict
from tests.test_analysis import _replay, brute_force

KEY_ACTIONS = ["GP21.S4", "GP8.S4", "GP25.S1", "GP13.S1", "GP1.S1", "GP22.A5.S1", "GP9.S2"]
SETTINGS = settings(
    max_examples=int(os.environ.get("NTX_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def conditions(draw, i: int, n_vars: int, earlier: list[tuple[str, list[str]]]) -> str:
    """A random condition over the variables and the facts of scenes before scene `i`."""
    atoms = []
    for v in range(n_vars):
        op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
        atoms.append(f"v{v} {op} {draw(st.integers(0, 4))}")
    for sid, choice_ids in earlier:
        atoms.append(f'visited("{sid}")')
        for cid in choice_ids:
            atoms.append(f'chose("{sid}", "{cid}")')
    if not atoms:
        return draw(st.sampled_from(["true", "false"]))
    first = draw(st.sampled_from(atoms))
    if draw(st.booleans()):
        second = draw(st.sampled_from(atoms))
        join = draw(st.sampled_from(["and", "or"]))
        first = f"({first}) {join} not ({second})"
    return first


@st.composite
def scenarios(draw, loops: bool = False) -> dict[str, Any]:
    """A valid scenario document: scenes s0..sN, endings last, forward edges only.

    With `loops`, choices may also jump back to an earlier scene; a guarded back edge
    (`loop < 2`, with `loop` raised by the same choice) terminates, an unguarded one may not.
    """
    n = draw(st.integers(2, 6))
    n_end = draw(st.integers(1, 2))
    n_vars = draw(st.integers(0, 2))
    variables: dict[str, Any] = {}
    for v in range(n_vars):
        hi = draw(st.integers(1, 4))
        variables[f"v{v}"] = {
            "label": f"V{v}",
            "initial": draw(st.integers(0, hi)),
            "min": 0,
            "max": hi,
        }
    if loops:
        variables["loop"] = {"label": "Loop", "initial": 0, "min": 0, "max": 3}
    ids = [f"s{i}" for i in range(n + n_end)]
    scenes: dict[str, Any] = {}
    earlier: list[tuple[str, list[str]]] = []
    for i in range(n):
        later = ids[i + 1 :]
        if draw(st.integers(0, 3)) == 0:
            branches = []
            for _ in range(draw(st.integers(0, 1))):
                branches.append(
                    {
                        "if": draw(conditions(i, n_vars, earlier)),
                        "goto": draw(st.sampled_from(later)),
                    }
                )
            branches.append({"goto": draw(st.sampled_from(later))})
            scenes[ids[i]] = {
                "kind": draw(st.sampled_from(["narrative", "inject"])),
                "title": "N",
                "text": ".",
                "next": branches if len(branches) > 1 else branches[0]["goto"],
            }
            earlier.append((ids[i], []))
            continue
        recommended = draw(st.lists(st.sampled_from(KEY_ACTIONS), unique=True, max_size=3))
        choices = []
        for k in range(draw(st.integers(1, 3))):
            c: dict[str, Any] = {
                "id": f"c{k}",
                "text": f"C{k}",
                "enacts": draw(st.lists(st.sampled_from(KEY_ACTIONS), unique=True, max_size=3)),
            }
            if draw(st.integers(0, 4)) == 0:
                c["harmful"] = True
                c["feedback"] = "No."
            if (k > 0 and draw(st.booleans())) or draw(st.integers(0, 7)) == 0:
                c["if"] = draw(conditions(i, n_vars, earlier))
            if n_vars and draw(st.booleans()):
                c["effects"] = {f"v{draw(st.integers(0, n_vars - 1))}": draw(st.integers(-2, 2))}
            if n_vars and draw(st.integers(0, 3)) == 0:
                c["set"] = {f"v{draw(st.integers(0, n_vars - 1))}": draw(st.integers(0, 4))}
            target = draw(st.sampled_from(later))
            if loops and i > 0 and draw(st.integers(0, 3)) == 0:
                back = draw(st.sampled_from(ids[: i + 1]))
                if draw(st.booleans()):
                    c["effects"] = {**c.get("effects", {}), "loop": 1}
                    c["next"] = [{"if": "loop < 2", "goto": back}, {"goto": target}]
                else:
                    c["next"] = back
            elif draw(st.integers(0, 2)) == 0:
                c["next"] = [
                    {
                        "if": draw(conditions(i, n_vars, earlier)),
                        "goto": draw(st.sampled_from(later)),
                    },
                    {"goto": target},
                ]
            else:
                c["next"] = target
            choices.append(c)
        scene = {"kind": "decision", "title": "D", "text": ".", "choices": choices}
        if recommended:
            scene["recommended"] = recommended
        scenes[ids[i]] = scene
        earlier.append((ids[i], [c["id"] for c in choices]))
    for sid in ids[n:]:
        scenes[sid] = {
            "kind": "ending",
            "title": "E",
            "text": ".",
            "outcome": draw(st.sampled_from(["success", "partial", "failure"])),
        }
    doc: dict[str, Any] = {
        "format": "nexus-ttx/1",
        "id": "random",
        "title": "Random",
        "summary": ".",
        "region": "Nowhere",
        "environment": "transitional",
        "manifestations": ["hybrid"],
        "watch_points": ["corruption"],
        "good_practices": ["GP21", "GP8"],
        "start": "s0",
        "scenes": scenes,
    }
    if variables:
        doc["variables"] = variables
    return doc


@SETTINGS
@given(scenarios())
def test_bounds_and_reachability_match_brute_force(doc) -> None:
    scenario = scenario_from_dict(doc)
    oracle = brute_force(scenario)
    a = analyze(scenario)
    assert a.complete
    assert (a.best.ratio if a.best else None) == oracle.best
    assert (a.worst.ratio if a.worst else None) == oracle.worst
    for e in (a.best, a.worst):
        if e is not None:
            assert _replay(scenario, e.path) == (e.points, e.possible)
    assert set(a.endings_reached) == {
        s for s in oracle.reached if scenario.scenes[s].kind == "ending"
    }
    assert set(a.unreachable) == set(scenario.scenes) - oracle.reached
    assert a.space.offered == oracle.offered
    assert any(f.code == "NTX302" for f in a.findings) == oracle.dead_end
    assert not oracle.loop and a.space.acyclic
    recommended = {k for s in scenario.scenes.values() for k in s.recommended}
    assert set(a.never_enactable) == recommended - oracle.earned
    assert {k: e.ratio for k, e in a.best_by_area.items()} == oracle.best_by_area()


@SETTINGS
@given(scenarios(loops=True))
def test_loops_found_exactly(doc) -> None:
    """A loop in the projected state graph is exactly a full-state loop the oracle finds."""
    scenario = scenario_from_dict(doc)
    oracle = brute_force(scenario)
    a = analyze(scenario)
    assert a.complete
    assert (not a.space.acyclic) == oracle.loop
    assert any(f.code == "NTX301" for f in a.findings) == oracle.loop
    if not oracle.loop:
        assert (a.best.ratio if a.best else None) == oracle.best
        assert (a.worst.ratio if a.worst else None) == oracle.worst
