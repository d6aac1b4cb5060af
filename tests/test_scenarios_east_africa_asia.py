"""Quality bar for the East Africa and South-East Asia scenarios (issue 6).

The structural checks read the YAML directly and always run. The play-through checks use the
engine's state machine and analysis when they are importable; strict validation runs once
`engine.validate` exists.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = ROOT / "scenarios"
CATALOG = SCENARIOS / "toolkit.yaml"

# scenario id -> what the assignment requires, and the best path's choices in order
EXPECTED = {
    "east-africa-charcoal-and-hawala": {
        "environment": "transitional",
        "countries": {"KE", "SO"},
        "practices": {"GP5", "GP12", "GP13", "GP14", "GP15", "GP16", "GP18", "GP21"},
        "factors": {"social-status", "economic", "recruitment", "geography-of-operations"},
        "manifestations": {"alliances", "integration"},
        "best": ["joint-assessment", "map-and-roundtable", "targeted-accountable", "joint-forum",
                 "support-and-channel", "protocol", "assess-and-jobs", "open-design",
                 "prosecute-and-indicators"],
        "best_ending": "ending-success",
    },
    "straits-ransom-and-remittance": {
        "environment": "politically-stable",
        "countries": {"SG", "MY", "PH", "ID"},
        "practices": {"GP3", "GP4", "GP6", "GP11", "GP12", "GP20", "GP22", "GP23"},
        "practices_any": {"GP8", "GP9"},
        "factors": {"geography-of-operations", "external-support", "capabilities"},
        "manifestations": {"appropriation-of-tactics", "alliances"},
        "best": ["enrich-peripheral", "fusion-cell", "ppp-taskgroup", "platform-and-police",
                 "share-and-notices", "regional-network", "tna-and-courses",
                 "assistance-and-network"],
        "best_ending": "ending-success",
    },
}
IDS = sorted(EXPECTED)
MODELINE = "# yaml-language-server: $schema=../schemas/scenario.schema.json"


def _load(path: Path):
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _path(sid: str) -> Path:
    return SCENARIOS / f"{sid}.yaml"


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


def _targets(next_value) -> list[str]:
    if next_value is None:
        return []
    if isinstance(next_value, str):
        return [next_value]
    return [b["goto"] for b in next_value]


@pytest.mark.parametrize("sid", IDS)
def test_header(sid, catalog):
    path = _path(sid)
    assert path.read_text(encoding="utf-8").splitlines()[0] == MODELINE
    doc = _load(path)
    want = EXPECTED[sid]
    assert doc["format"] == "nexus-ttx/1"
    assert doc["id"] == sid == path.stem
    assert doc["title"] and doc["summary"] and doc["region"]
    assert doc["language"] == "en" and doc["version"] == "1.0"
    assert doc["authors"] == ["nexus-ttx team"]
    assert doc["environment"] == want["environment"] in catalog["environments"]
    assert want["countries"] <= set(doc["countries"])
    assert all(len(c) == 2 and c.isalpha() and c.isupper() for c in doc["countries"])
    assert 60 <= doc["duration_minutes"] <= 120
    assert len(doc["audience"]) >= 3
    assert want["factors"] <= set(doc["watch_points"]) <= catalog["factors"]
    assert want["manifestations"] <= set(doc["manifestations"]) <= catalog["manifestations"]
    assert 2 <= len(doc["variables"]) <= 4


@pytest.mark.parametrize("sid", IDS)
def test_quality_bar_counts(sid):
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
    # a harmful option that still enacts a recommended key action: the deliberate teaching case
    assert any(
        set(c.get("enacts") or ()) & set(s.get("recommended") or ())
        for s in decisions.values() for c in s["choices"] if c.get("harmful")
    )
    for scene_id, s in decisions.items():
        assert 1 <= len(s.get("discussion") or ()) <= 3, scene_id
        assert all(isinstance(q, str) for q in s["discussion"]), f"{scene_id}: unquoted ': '?"
        assert 2 <= len(s["choices"]) <= 4, scene_id
        assert any("if" not in c for c in s["choices"]), f"{scene_id} may dead-end"
        assert len({c["id"] for c in s["choices"]}) == len(s["choices"]), scene_id
        for c in s["choices"]:
            assert isinstance(c.get("feedback"), str), f"{scene_id}/{c['id']} has no feedback"
            assert isinstance(c["text"], str), f"{scene_id}/{c['id']}: text is not a string"
        rec = set(s.get("recommended") or ())
        assert any(rec <= set(c.get("enacts") or ()) and not c.get("harmful")
                   for c in s["choices"]), f"{scene_id}: no option enacts all of {rec}"
    for scene_id, s in scenes.items():
        words = len(s.get("text", "").split())
        assert 50 <= words <= 190, f"{scene_id}: {words} words"


@pytest.mark.parametrize("sid", IDS)
def test_references_exist(sid, catalog):
    doc = _load(_path(sid))
    scenes = doc["scenes"]
    assert doc["start"] in scenes
    recommended_practices: set[str] = set()
    for scene_id, s in scenes.items():
        for ka in s.get("recommended") or ():
            assert ka in catalog["key_actions"], f"{scene_id}: unknown key action {ka}"
            recommended_practices.add(ka.split(".")[0])
        for wp in s.get("watch_points") or ():
            assert wp in catalog["indicators"] or wp in catalog["factors"], f"{scene_id}: {wp}"
        for target in _targets(s.get("next")):
            assert target in scenes, f"{scene_id}: unknown scene {target}"
        for c in s.get("choices") or ():
            for target in _targets(c.get("next")):
                assert target in scenes, f"{scene_id}/{c['id']}: unknown scene {target}"
            for ka in c.get("enacts") or ():
                assert ka in catalog["key_actions"], f"{scene_id}/{c['id']}: unknown {ka}"
            for var in {**(c.get("effects") or {}), **(c.get("set") or {})}:
                assert var in doc["variables"], f"{scene_id}/{c['id']}: unknown {var}"
    want = EXPECTED[sid]
    assert want["practices"] <= recommended_practices
    if "practices_any" in want:
        assert want["practices_any"] & recommended_practices
    # every declared practice is trained (recommended somewhere), and vice versa
    assert set(doc["good_practices"]) == recommended_practices
    # the factors declared for the exercise are the ones its scenes show
    shown = {wp.split(".")[0] for s in scenes.values() for wp in s.get("watch_points") or ()}
    assert set(doc["watch_points"]) == shown


def _scenario(sid):
    model = pytest.importorskip("engine.model")
    return model.scenario_from_dict(_load(_path(sid)))


def _all_paths(scenario):
    """Every playable path as (points, possible, ending, outcome, choices); the graphs are small."""
    machine = pytest.importorskip("engine.machine")
    results = []

    def walk(state, points, possible, trail):
        scene = machine.current_scene(scenario, state)
        if scene.kind == "ending":
            results.append((points, possible, scene.id, scene.outcome, trail))
            return
        if scene.kind != "decision":
            walk(machine.acknowledge(scenario, state), points, possible, trail)
            return
        offered = machine.offered_choices(scenario, state)
        assert offered, f"dead end at {scene.id}"
        rec = set(scene.recommended)
        for c in offered:
            gained = 0 if c.harmful else len(rec & set(c.enacts))
            walk(machine.apply_choice(scenario, state, c), points + gained,
                 possible + len(rec), trail + [c.id])

    walk(machine.initial_state(scenario), 0, 0, [])
    return results


@pytest.mark.parametrize("sid", IDS)
def test_paths_bounds_and_endings(sid):
    scenario = _scenario(sid)
    paths = _all_paths(scenario)
    alignments = [100 * p / q for p, q, *_ in paths]
    assert max(alignments) == 100
    assert min(alignments) < 50
    endings = {s.id for s in scenario.endings}
    assert {e for _, _, e, _, _ in paths} == endings, "every ending is reachable"


@pytest.mark.parametrize("sid", IDS)
def test_best_path_plays_to_success(sid):
    scenario = _scenario(sid)
    machine = pytest.importorskip("engine.machine")
    state = machine.initial_state(scenario)
    points = possible = 0
    choices = list(EXPECTED[sid]["best"])
    while not machine.is_over(scenario, state):
        scene = machine.current_scene(scenario, state)
        if scene.kind != "decision":
            state = machine.acknowledge(scenario, state)
            continue
        choice = scene.choice(choices.pop(0))
        rec = set(scene.recommended)
        assert rec <= set(choice.enacts) and not choice.harmful, scene.id
        points += len(rec)
        possible += len(rec)
        state = machine.choose(scenario, state, choice.id)
    assert not choices, "every choice of the best path is used"
    assert state.scene == EXPECTED[sid]["best_ending"]
    assert machine.current_scene(scenario, state).outcome == "success"
    assert possible and points == possible


@pytest.mark.parametrize("sid", IDS)
def test_analysis_agrees(sid):
    analysis = pytest.importorskip("engine.analysis")
    result = analysis.analyze(_scenario(sid)).to_json()
    assert result["best_alignment"] == 100
    assert result["worst_alignment"] < 50
    assert result["unreachable"] == []
    assert result["endings_reachable"] == result["endings"]


@pytest.mark.parametrize("sid", IDS)
def test_validates_strictly(sid):
    validate = pytest.importorskip("engine.validate")
    result = validate.validate_file(_path(sid))
    diagnostics = list(getattr(result, "diagnostics", result))
    assert diagnostics == [], "\n".join(str(d) for d in diagnostics)


@pytest.mark.parametrize("sid", IDS)
def test_cli_validate_strict_and_run_best_path(sid, cli):
    pytest.importorskip("engine.validate")
    path = str(_path(sid))
    checked = cli("validate", "--strict", path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    played = cli("run", path, "--choices", ",".join(EXPECTED[sid]["best"]), "--json")
    assert played.returncode == 0, played.stdout + played.stderr
    report = json.loads(played.stdout)
    assert report["ending"] == EXPECTED[sid]["best_ending"]
    assert report["outcome"] == "success"
    assert report["alignment"] == 100
    assert report["harmful"] == 0
