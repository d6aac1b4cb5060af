"""Quality bar for the Western Balkans and Syria/Iraq scenarios (issue 6).

The structural checks read the YAML directly and always run; the play-through checks use the
engine's state machine; the strict validation runs once `engine.validate` exists.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
CATALOG = SCENARIOS / "toolkit.yaml"

# scenario id -> (environment, practices that must be recommended, watch-point factors that
# must be tagged, manifestations that must be tagged, the best path's choices in order)
EXPECTED = {
    "balkans-arms-pipeline": (
        "transitional",
        {"GP1", "GP2", "GP6", "GP10", "GP23", "GP25"},
        {"corruption", "political-landscape", "governance", "capabilities"},
        {"alliances", "transformation"},
        ["trace-and-share", "integrity-probe", "joint-cell", "joint-operation",
         "dual-charges-review", "regional-database", "train-and-forum"],
    ),
    "syria-iraq-antiquities-and-oil": (
        "post-conflict",
        {"GP4", "GP7", "GP10", "GP12", "GP17", "GP18"},
        {"security-dynamics", "external-support", "leadership", "economic"},
        {"hybrid", "black-hole", "transformation"},
        ["method-consultation", "map-vet-partner", "private-roundtable", "governed-database",
         "follow-money", "brief-and-protect", "screen-and-refer"],
    ),
}
IDS = sorted(EXPECTED)


def _load(path: Path):
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def catalog():
    data = _load(CATALOG)
    return {
        "key_actions": {k["id"] for gp in data["good_practices"] for k in gp["key_actions"]},
        "indicators": {i["id"] for w in data["watch_points"] for i in w["indicators"]},
        "factors": {w["id"] for w in data["watch_points"]},
        "manifestations": {m["id"] for m in data["manifestations"]},
        "environments": {e["id"] for e in data["environments"]},
    }


def _path(sid: str) -> Path:
    return SCENARIOS / f"{sid}.yaml"


@pytest.mark.parametrize("sid", IDS)
def test_header(sid, catalog):
    path = _path(sid)
    assert path.read_text(encoding="utf-8").splitlines()[0] == (
        "# yaml-language-server: $schema=../schemas/scenario.schema.json"
    )
    doc = _load(path)
    env, practices, factors, manifestations, _ = EXPECTED[sid]
    assert doc["format"] == "nexus-ttx/1"
    assert doc["id"] == sid == path.stem
    assert doc["environment"] == env and env in catalog["environments"]
    assert doc["language"] == "en" and doc["version"] == "1.0"
    assert doc["title"] and doc["summary"] and doc["region"] and doc["audience"]
    assert all(len(c) == 2 and c.isalpha() and c.isupper() for c in doc["countries"])
    assert 60 <= doc["duration_minutes"] <= 120
    assert factors <= set(doc["watch_points"]) <= catalog["factors"]
    assert manifestations <= set(doc["manifestations"]) <= catalog["manifestations"]
    assert practices <= set(doc["good_practices"])


@pytest.mark.parametrize("sid", IDS)
def test_quality_bar_counts(sid, catalog):
    doc = _load(_path(sid))
    scenes = doc["scenes"]
    decisions = {k: s for k, s in scenes.items() if s["kind"] == "decision"}
    scored = [s for s in decisions.values() if s.get("recommended")]
    endings = [s for s in scenes.values() if s["kind"] == "ending"]
    injects = [s for s in scenes.values() if s["kind"] == "inject"]
    assert len(scored) >= 6
    assert len(endings) >= 3
    assert {"success", "partial", "failure"} <= {e["outcome"] for e in endings}
    assert injects
    harmful = [c for s in decisions.values() for c in s["choices"] if c.get("harmful")]
    assert harmful and all(c.get("feedback") for c in harmful)
    # at least one harmful option that still enacts a recommended key action (teaching case)
    assert any(
        set(c.get("enacts") or ()) & set(s.get("recommended") or ())
        for s in decisions.values() for c in s["choices"] if c.get("harmful")
    )
    for sid_, s in decisions.items():
        assert 1 <= len(s.get("discussion") or ()) <= 3, sid_
        assert 2 <= len(s["choices"]) <= 4, sid_
        assert any("if" not in c for c in s["choices"]), f"{sid_} may dead-end"
        for c in s["choices"]:
            assert c.get("feedback"), f"{sid_}/{c['id']} has no feedback"
        # the best option is on the menu: some choice enacts everything recommended
        rec = set(s.get("recommended") or ())
        assert any(rec <= set(c.get("enacts") or ()) and not c.get("harmful")
                   for c in s["choices"]), sid_


@pytest.mark.parametrize("sid", IDS)
def test_references_exist(sid, catalog):
    doc = _load(_path(sid))
    scenes = doc["scenes"]
    assert doc["start"] in scenes
    recommended_practices = set()
    for sid_, s in scenes.items():
        for ka in s.get("recommended") or ():
            assert ka in catalog["key_actions"], f"{sid_}: unknown key action {ka}"
            recommended_practices.add(ka.split(".")[0])
        for wp in s.get("watch_points") or ():
            assert wp in catalog["indicators"] or wp in catalog["factors"], f"{sid_}: {wp}"
        nexts = [s.get("next")] + [c.get("next") for c in s.get("choices") or ()]
        for n in nexts:
            if n is None:
                continue
            for target in [n] if isinstance(n, str) else [b["goto"] for b in n]:
                assert target in scenes, f"{sid_}: unknown scene {target}"
        for c in s.get("choices") or ():
            for ka in c.get("enacts") or ():
                assert ka in catalog["key_actions"], f"{sid_}/{c['id']}: unknown {ka}"
            for var in {**(c.get("effects") or {}), **(c.get("set") or {})}:
                assert var in doc["variables"], f"{sid_}/{c['id']}: unknown variable {var}"
    # every practice the exercise declares is recommended somewhere, and vice versa
    assert set(doc["good_practices"]) == recommended_practices
    # the factors declared for the exercise are the ones its scenes actually show
    shown = {wp.split(".")[0] for s in scenes.values() for wp in s.get("watch_points") or ()}
    assert set(doc["watch_points"]) == shown


def _scenario(sid):
    model = pytest.importorskip("engine.model")
    return model.scenario_from_dict(_load(_path(sid)))


def _alignments(scenario):
    """All playable paths: (points, possible, ending). The scenarios are small enough."""
    machine = pytest.importorskip("engine.machine")
    out = []

    def walk(state, points, possible, depth):
        assert depth < 100, "loop"
        scene = scenario.scenes[state.scene]
        if scene.kind == "ending":
            out.append((points, possible, scene.id))
            return
        if scene.kind != "decision":
            walk(machine.acknowledge(scenario, state), points, possible, depth + 1)
            return
        offered = machine.offered_choices(scenario, state)
        assert offered, f"dead end at {scene.id}"
        rec = set(scene.recommended)
        for c in offered:
            gain = 0 if c.harmful else len(set(c.enacts) & rec)
            walk(machine.apply_choice(scenario, state, c), points + gain, possible + len(rec),
                 depth + 1)

    walk(machine.initial_state(scenario), 0, 0, 0)
    return out


@pytest.mark.parametrize("sid", IDS)
def test_best_path_plays_to_success_with_full_alignment(sid):
    machine = pytest.importorskip("engine.machine")
    scenario = _scenario(sid)
    state = machine.initial_state(scenario)
    points = possible = 0
    choices = list(EXPECTED[sid][4])
    while scenario.scenes[state.scene].kind != "ending":
        scene = scenario.scenes[state.scene]
        if scene.kind == "decision":
            choice = scene.choice(choices.pop(0))
            assert not choice.harmful
            points += len(set(choice.enacts) & set(scene.recommended))
            possible += len(scene.recommended)
            state = machine.choose(scenario, state, choice.id)
        else:
            state = machine.acknowledge(scenario, state)
    assert not choices
    assert scenario.scenes[state.scene].outcome == "success"
    assert possible and points == possible


@pytest.mark.parametrize("sid", IDS)
def test_bounds_and_endings(sid):
    scenario = _scenario(sid)
    paths = _alignments(scenario)
    ratios = [100 * p / q for p, q, _ in paths]
    assert max(ratios) == 100
    assert min(ratios) < 50
    assert {e for _, _, e in paths} == {s.id for s in scenario.endings}


@pytest.mark.parametrize("sid", IDS)
def test_validates_strictly(sid):
    validate = pytest.importorskip("engine.validate")
    result = validate.validate_file(_path(sid))
    diagnostics = getattr(result, "diagnostics", result)
    assert list(diagnostics) == []
